//! Every rule has a named pair of example posts, `fixtures/rules/RULE/fails.EXT` (shows the
//! defect) and `fixtures/rules/RULE/passes.EXT` (the corrected post), so a newcomer finds a
//! rule's examples by its id. One table-driven test, driven by the binary's own rule list:
//! - a rule without both files fails the test, naming the rule;
//! - `fails` must report the rule at least once, `passes` must not report it;
//! - the human report of `fails` is kept as the snapshot `rule_fixtures__RULE.snap`
//!   (`INSTA_UPDATE=always cargo test --test rule_fixtures` rewrites them).
//!
//! Extra arguments (`--rule bibliography-order=warning` for a rule off by default,
//! `--check-links` for the link rules) sit in `fixtures/rules/RULE/args`, one per line.
//!
//! The link rules need answers without the network. Their fixtures cite
//! `http://127.0.0.1:XXXXX/…`; the test starts one loopback server and copies such a fixture,
//! with `XXXXX` replaced by the server's port, to the same relative path in a temporary
//! folder, and runs from there, so the report names the fixture as it is in the repository.
//! The port is written back as `XXXXX` in the report; the placeholder has five characters,
//! like every port the test accepts, so the snippets' underlines line up the same in every
//! run. The server answers by the path's first segment (see [`serve`]): `/gone/…` 404,
//! `/busy/…` 503, `/moved/REST` a 301 to `/REST`, anything else 200.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// How the link-rule fixtures write the address of the test's server.
const HOST_PLACEHOLDER: &str = "127.0.0.1:XXXXX";

/// Flags for a fixture served by the test: the server is on loopback, answers must not come
/// from (or go to) a cache file, and the one retry-worthy answer (503) should not make the
/// test wait.
const SERVED_ARGS: [&str; 5] = [
    "--allow-private",
    "--no-cache",
    "--no-progress",
    "--retry-backoff",
    "10ms",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path as the repository names it.
fn shown(file: &Path) -> String {
    file.strip_prefix(root())
        .unwrap_or(file)
        .display()
        .to_string()
}

/// The rule ids, in the order `notelint rules` lists them, without the file problems
/// (`io-error`, `invalid-utf8`, …): those concern the file rather than the notes it holds,
/// and some (an unreadable file, a bug in notelint) cannot be shown by a file in the
/// repository.
fn rule_ids() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_notelint"))
        .args(["rules", "--format", "json"])
        .output()
        .expect("run notelint rules");
    assert!(out.status.success(), "notelint rules failed: {out:?}");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("rules JSON");
    rules
        .as_array()
        .expect("a list of rules")
        .iter()
        .map(|r| r["id"].as_str().expect("a rule id").to_string())
        .filter(|id| notelint::problems::find(id).is_none())
        .collect()
}

/// The file `fixtures/rules/ID/STEM.*`, if there is exactly one.
fn fixture(id: &str, stem: &str) -> Result<PathBuf, String> {
    let dir = root().join("fixtures/rules").join(id);
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{id}: cannot read fixtures/rules/{id}/: {e}"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_stem().is_some_and(|s| s == stem) && p.extension().is_some())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "{id}: no fixtures/rules/{id}/{stem}.txt (or .md, .html)"
        )),
        _ => Err(format!("{id}: more than one fixtures/rules/{id}/{stem}.*")),
    }
}

/// The lines of `fixtures/rules/ID/args`, if any.
fn extra_args(id: &str) -> Vec<String> {
    std::fs::read_to_string(root().join("fixtures/rules").join(id).join("args"))
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The loopback server the link-rule fixtures point at; it answers until dropped.
struct Server {
    _server: MockServer,
    /// The runtime the server runs on, dropped after it.
    _runtime: tokio::runtime::Runtime,
    port: String,
}

/// Answers by the first segment of the path, so a fixture says in its URL what it expects.
struct ByPath;

impl Respond for ByPath {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        if path.starts_with("/gone/") {
            ResponseTemplate::new(404)
        } else if path.starts_with("/busy/") {
            ResponseTemplate::new(503)
        } else if let Some(rest) = path.strip_prefix("/moved") {
            ResponseTemplate::new(301).insert_header("Location", rest)
        } else {
            ResponseTemplate::new(200)
        }
    }
}

/// Starts the server on a port of five digits, the width of [`HOST_PLACEHOLDER`]'s port
/// (the usual ephemeral ranges hold only such ports; the loop guards against others).
fn serve() -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut held = Vec::new();
    let listener = loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        if port >= 10_000 {
            break listener;
        }
        assert!(held.len() < 100, "no five-digit loopback port found");
        held.push(listener);
    };
    let port = listener
        .local_addr()
        .expect("local address")
        .port()
        .to_string();
    let server = runtime.block_on(async {
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(path_regex(".*"))
            .respond_with(ByPath)
            .mount(&server)
            .await;
        server
    });
    Server {
        _server: server,
        _runtime: runtime,
        port,
    }
}

/// Runs `notelint check` on a fixture in this format and returns its standard output (the
/// exit code appended) with the server's port written back as the placeholder.
fn check(file: &Path, args: &[String], format: &str, server: &Server) -> String {
    let rel = file
        .strip_prefix(root())
        .expect("fixture inside the repository");
    let text = std::fs::read_to_string(file).expect("read fixture");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_notelint"));
    // No configuration file: a `notelint.toml` in or above the checkout must not change what
    // the examples report.
    cmd.env("NO_COLOR", "1")
        .args(["check", "--no-config", "--format", format])
        .args(args);
    let scratch;
    if text.contains(HOST_PLACEHOLDER) {
        scratch = tempfile::tempdir().expect("temporary folder");
        let copy = scratch.path().join(rel);
        std::fs::create_dir_all(copy.parent().expect("a parent folder")).expect("mkdir");
        let served = text.replace(HOST_PLACEHOLDER, &format!("127.0.0.1:{}", server.port));
        std::fs::write(&copy, served).expect("write the served copy");
        cmd.current_dir(scratch.path()).args(SERVED_ARGS);
    } else {
        cmd.current_dir(root());
    }
    let out = cmd.arg(rel).output().expect("run notelint check");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    format!(
        "{}[exit {}]\n",
        stdout.replace(&format!("127.0.0.1:{}", server.port), HOST_PLACEHOLDER),
        out.status.code().unwrap_or(-1)
    )
}

/// The rule ids of the findings in a concise report (`path:line:col: severity[rule] message`).
fn rules_reported(concise: &str) -> Vec<String> {
    concise
        .lines()
        .filter_map(|line| line.split_once(": ").map(|(_, rest)| rest))
        .filter_map(|rest| {
            let (head, _) = rest.split_once(' ')?;
            let (_, rule) = head.split_once('[')?;
            Some(rule.strip_suffix(']')?.to_string())
        })
        .collect()
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let ids = rule_ids();
    assert!(ids.len() >= 31, "the binary lists only {} rules", ids.len());

    // Every rule has its folder and both files: a new rule without examples is named here.
    let mut missing = Vec::new();
    let mut table = Vec::new();
    for id in &ids {
        if !root().join("fixtures/rules").join(id).is_dir() {
            missing.push(format!("{id}: no folder fixtures/rules/{id}/"));
            continue;
        }
        match (fixture(id, "fails"), fixture(id, "passes")) {
            (Ok(fails), Ok(passes)) => table.push((id.as_str(), fails, passes)),
            (fails, passes) => missing.extend(fails.err().into_iter().chain(passes.err())),
        }
    }
    assert!(
        missing.is_empty(),
        "rules without their example posts (see fixtures/rules/README.md):\n{}",
        missing.join("\n")
    );
    // And no folder is left over from a rule that was renamed or removed.
    let known: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let stray: Vec<String> = std::fs::read_dir(root().join("fixtures/rules"))
        .expect("fixtures/rules")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !known.contains(name.as_str()))
        .collect();
    assert!(stray.is_empty(), "folders for no rule: {stray:?}");

    let server = serve();
    let mut wrong = Vec::new();
    let mut snapshots_differ = Vec::new();
    for (id, fails, passes) in &table {
        let args = extra_args(id);
        let failing = check(fails, &args, "concise", &server);
        if !rules_reported(&failing).iter().any(|r| r == id) {
            wrong.push(format!(
                "{id}: {} reports no {id}:\n{failing}",
                shown(fails)
            ));
        }
        let passing = check(passes, &args, "concise", &server);
        if rules_reported(&passing).iter().any(|r| r == id) {
            wrong.push(format!(
                "{id}: {} still reports {id}:\n{passing}",
                shown(passes)
            ));
        }

        let human = check(fails, &args, "human", &server);
        let mut settings = insta::Settings::clone_current();
        let served =
            std::fs::read_to_string(fails).is_ok_and(|text| text.contains(HOST_PLACEHOLDER));
        let mut command = vec!["notelint check --no-config".to_string()];
        command.extend(args.iter().cloned());
        command.push(shown(fails));
        if served {
            command.push("(URLs served by the test on 127.0.0.1)".into());
        }
        settings.set_description(command.join(" "));
        settings.set_omit_expression(true);
        // Collect every differing snapshot rather than stop at the first (despite what insta
        // prints): a parser change usually moves several at once. insta prints each diff.
        let same = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!(*id, human));
        }));
        if same.is_err() {
            snapshots_differ.push(*id);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        snapshots_differ.is_empty(),
        "snapshots differ for {snapshots_differ:?} (INSTA_UPDATE=always rewrites them)"
    );
}
