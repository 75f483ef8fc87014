//! The workflow, the action and the pre-commit hooks: valid against GitHub's schemas, and
//! their notelint commands run here as written.

use std::path::Path;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).expect("file");
    serde_yaml_ng::from_str(&text).expect("valid YAML")
}

fn assert_valid(schema: &str, path: &str) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data").join(schema)).expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let doc = yaml(path);
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{path}:\n{}", errors.join("\n"));
    // Without a required key the file fails, so the check is not vacuous.
    let required = schema["required"][0].as_str().expect("a required key");
    let mut broken = doc.clone();
    broken.as_object_mut().expect("a mapping").remove(required);
    assert!(!validator.is_valid(&broken), "{path} without {required}");
}

#[test]
fn workflow_is_valid() {
    assert_valid("github-workflows.json", ".github/workflows/ci.yml");
    let workflow = yaml(".github/workflows/ci.yml");
    let jobs = workflow["jobs"].as_object().expect("jobs");
    for job in ["fmt", "clippy", "test", "release"] {
        assert!(jobs.contains_key(job), "missing job {job}");
    }
}

#[test]
fn action_is_valid() {
    assert_valid("github-actions.json", "action.yml");
}

/// Runs the action's `Check` step as GitHub would (`bash -e`), with the notelint binary of
/// this build installed where the `Install` step puts it.
#[test]
fn action_check_step_runs_as_written() {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let check = steps
        .iter()
        .find(|s| s["id"] == "check")
        .expect("a step with id check");
    let script = check["run"].as_str().expect("run script");

    let temp = tempfile::tempdir().expect("tempdir");
    let bin = temp.path().join("notelint/bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    // A link, not a copy: a binary just written can be briefly unrunnable ("text file busy")
    // while other tests start processes.
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("notelint"),
        bin.join("notelint"),
    )
    .expect("link binary");
    let output_file = temp.path().join("github-output");
    let sarif = temp.path().join("notelint.sarif");
    let out = std::process::Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(root())
        .env("RUNNER_TEMP", temp.path())
        .env("GITHUB_OUTPUT", &output_file)
        .env(
            "NOTELINT_PATHS",
            "fixtures/text/orphan-marker.txt fixtures/text/clean-post.txt",
        )
        .env("NOTELINT_ARGS", "--no-config")
        .env("SARIF_FILE", &sarif)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.starts_with("::error file=fixtures/text/orphan-marker.txt,line=4,col=48"),
        "{stdout}"
    );
    let outputs = std::fs::read_to_string(&output_file).expect("outputs");
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("SARIF")).expect("JSON");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "orphan-marker");
}

#[test]
fn pre_commit_hook_runs_as_written() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks.as_array().expect("a list of hooks")[0];
    assert_eq!(hook["id"], "notelint");
    assert_eq!(hook["language"], "rust");
    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("regex");
    assert!(files.is_match("posts/a.md") && files.is_match("b.html") && !files.is_match("c.rs"));
    // pre-commit runs the entry with the staged file names appended.
    let entry: Vec<&str> = hook["entry"].as_str().expect("entry").split(' ').collect();
    assert_eq!(entry[0], "notelint");
    let out = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(root())
        .args(&entry[1..])
        .args([
            "--no-config",
            "fixtures/text/clean-post.txt",
            "fixtures/text/orphan-marker.txt",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = assert_cmd::Command::cargo_bin("notelint")
            .expect("binary")
            .args(["completions", shell])
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("changed-since"),
            "{shell}"
        );
    }
    let out = assert_cmd::Command::cargo_bin("notelint")
        .expect("binary")
        .arg("man")
        .output()
        .expect("run");
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH notelint"),
        "{page}"
    );
}

#[test]
fn release_workflow_is_valid_and_builds_every_target_the_action_downloads() {
    assert_valid("github-workflows.json", ".github/workflows/release.yml");
    let workflow = yaml(".github/workflows/release.yml");
    assert_eq!(workflow["on"]["push"]["tags"][0], "v*");
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a build matrix");
    let built: Vec<&str> = matrix
        .iter()
        .map(|m| m["target"].as_str().expect("target"))
        .collect();
    let script = std::fs::read_to_string(root().join("scripts/action-install.sh")).expect("script");
    let wanted: Vec<&str> = script
        .lines()
        .filter_map(|line| line.split("target=").nth(1))
        .map(|rest| {
            rest.split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(';')
        })
        .filter(|t| !t.is_empty() && !t.starts_with('$'))
        .collect();
    assert_eq!(wanted.len(), 5, "{wanted:?}");
    for target in wanted {
        assert!(
            built.contains(&target),
            "{target} is not built by the release"
        );
    }
    for os in ["ubuntu", "macos", "windows"] {
        assert!(
            matrix
                .iter()
                .any(|m| m["os"].as_str().unwrap_or("").starts_with(os)),
            "no {os} build"
        );
    }
    // The action installs with the script, not with `cargo install` on every job.
    let action = yaml("action.yml");
    let install = &action["runs"]["steps"][0]["run"];
    assert!(
        install
            .as_str()
            .unwrap_or("")
            .contains("scripts/action-install.sh"),
        "{install}"
    );
}

/// A release as the workflow packages it: a tar.gz holding `notelint` and its checksum file.
fn fake_release(dir: &Path, target: &str) -> (Vec<u8>, String) {
    let content = dir.join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    std::fs::write(
        content.join("notelint"),
        "#!/bin/sh\necho fake notelint 9.9.9\n",
    )
    .expect("write");
    let archive = dir.join(format!("notelint-{target}.tar.gz"));
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(&content)
        .arg(".")
        .status()
        .expect("tar runs");
    assert!(status.success());
    let out = std::process::Command::new("sha256sum")
        .arg(&archive)
        .output()
        .expect("sha256sum runs");
    let sum = String::from_utf8_lossy(&out.stdout).to_string();
    (std::fs::read(&archive).expect("archive"), sum)
}

async fn run_install(server: &wiremock::MockServer, root_dir: &Path) -> std::process::Output {
    let script = root().join("scripts/action-install.sh");
    let url = format!("{}/download/v9.9.9", server.uri());
    let root_dir = root_dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg(script)
            .arg(&root_dir)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("NOTELINT_VERSION", "9.9.9")
            .env("NOTELINT_RELEASE_URL", url)
            .env("NOTELINT_FALLBACK", "none")
            .output()
            .expect("bash runs")
    })
    .await
    .expect("joined")
}

async fn serve(server: &wiremock::MockServer, name: &str, body: Vec<u8>) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("GET"))
        .and(path(format!("/download/v9.9.9/{name}")))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_bytes(body))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_install_downloads_the_runners_binary_and_verifies_its_checksum() {
    let temp = tempfile::tempdir().expect("tempdir");
    let (archive, sum) = fake_release(temp.path(), "x86_64-unknown-linux-musl");
    let server = wiremock::MockServer::start().await;
    serve(
        &server,
        "notelint-x86_64-unknown-linux-musl.tar.gz",
        archive,
    )
    .await;
    serve(
        &server,
        "notelint-x86_64-unknown-linux-musl.tar.gz.sha256",
        sum.into_bytes(),
    )
    .await;
    let install = temp.path().join("install");
    let out = run_install(&server, &install).await;
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("checksum verified"),
        "{out:?}"
    );
    let ran = std::process::Command::new(install.join("bin/notelint"))
        .output()
        .expect("installed binary runs");
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "fake notelint 9.9.9\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_install_refuses_an_archive_whose_checksum_differs() {
    let temp = tempfile::tempdir().expect("tempdir");
    let (archive, _) = fake_release(temp.path(), "x86_64-unknown-linux-musl");
    let server = wiremock::MockServer::start().await;
    serve(
        &server,
        "notelint-x86_64-unknown-linux-musl.tar.gz",
        archive,
    )
    .await;
    let wrong = format!(
        "{}  notelint-x86_64-unknown-linux-musl.tar.gz\n",
        "0".repeat(64)
    );
    serve(
        &server,
        "notelint-x86_64-unknown-linux-musl.tar.gz.sha256",
        wrong.into_bytes(),
    )
    .await;
    let install = temp.path().join("install");
    let out = run_install(&server, &install).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!install.join("bin/notelint").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_install_without_a_release_says_so_and_falls_back() {
    let temp = tempfile::tempdir().expect("tempdir");
    let server = wiremock::MockServer::start().await;
    let out = run_install(&server, &temp.path().join("install")).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not download"), "{stderr}");
    assert!(stderr.contains("no fallback allowed"), "{stderr}");
}
