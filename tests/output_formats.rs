//! Every output format on one fixture (snapshots), SARIF against the SARIF 2.1.0 schema, and
//! columns counted the same way — in Unicode scalar values — by every format.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const FIXTURE: &str = "fixtures/formats/unicode-columns.txt";

fn run(args: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run notelint");
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code().unwrap_or(-1),
    )
}

fn format(name: &str) -> String {
    let (stdout, code) = run(&["check", "--no-config", "--format", name, FIXTURE]);
    assert_eq!(code, 1, "{stdout}");
    stdout
}

fn sarif_of(args: &[&str]) -> Value {
    let mut all = vec!["check", "--no-config", "--format", "sarif"];
    all.extend_from_slice(args);
    let (stdout, _) = run(&all);
    serde_json::from_str(&stdout).expect("SARIF is JSON")
}

#[test]
fn human_snapshot() {
    insta::assert_snapshot!(format("human"));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(format("json"));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(format("github"));
}

/// The rule list and rule indexes change whenever a rule is added, so the snapshot leaves
/// them out; `sarif_rules_come_from_the_registry` checks them.
#[test]
fn sarif_snapshot() {
    let mut log: Value = serde_json::from_str(&format("sarif")).expect("JSON");
    let run = &mut log["runs"][0];
    run["tool"]["driver"]["rules"] = Value::String("[every rule]".into());
    run["tool"]["driver"]["version"] = Value::String("[version]".into());
    run["tool"]["driver"]["semanticVersion"] = Value::String("[version]".into());
    for result in run["results"].as_array_mut().expect("results") {
        result["ruleIndex"] = Value::String("[index]".into());
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).expect("JSON"));
}

#[test]
fn sarif_of_every_fixture_validates_against_the_schema() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .expect("schema");
    // The published schema's `language` patterns have a stray `]` that strict regex engines
    // reject; use the pattern they mean (two letters, or two letters, a dash and two more).
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(stray));
    let text = text.replace(stray, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let mut schema: Value = serde_json::from_str(&text).expect("schema JSON");
    // This copy keeps the log's own schema under `definitions/Root`: validate against it.
    assert!(schema["definitions"]["Root"]["properties"]["runs"].is_object());
    schema["$ref"] = Value::String("#/definitions/Root".into());
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log = sarif_of(&["fixtures"]);
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() > 20, "the fixtures hold many defects");

    // An invalid log fails, so the check is not vacuous.
    let mut broken = log.clone();
    broken["version"] = Value::String("2.0.0".into());
    assert!(!validator.is_valid(&broken));
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_rules_come_from_the_registry() {
    let (listed, _) = run(&["rules", "--format", "json"]);
    let listed: Value = serde_json::from_str(&listed).expect("rules JSON");
    let ids: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let log = sarif_of(&["fixtures"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let described: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(&described[..ids.len()], &ids[..]);
    for rule in rules.iter().take(ids.len()) {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{rule}"
            );
        }
        assert!(rule["helpUri"].as_str().is_some(), "{rule}");
    }
    for result in log["runs"][0]["results"].as_array().expect("results") {
        let i = usize::try_from(result["ruleIndex"].as_u64().expect("index")).expect("index");
        assert_eq!(rules[i]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_fingerprints_survive_lines_moving() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .expect("fixture");
    let file = dir.path().join("post.txt");
    let fingerprints = |text: &str| {
        std::fs::write(&file, text).expect("write");
        let log = sarif_of(&[file.to_str().expect("path")]);
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"]["notelint/v1"].clone())
            .collect::<Vec<_>>()
    };
    let before = fingerprints(&text);
    let after = fingerprints(&format!("Preface.\n\n{text}"));
    assert_eq!(before.len(), 2);
    assert_eq!(before, after);
}

/// The column of `needle` on 1-based `line` of the fixture, counted in Unicode scalar values.
fn expected_column(line: usize, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .expect("fixture");
    let line = text.lines().nth(line - 1).expect("line");
    line[..line.find(needle).expect("needle")].chars().count() + 1
}

#[test]
fn every_format_counts_columns_in_scalar_values() {
    // Line 3 holds a non-breaking space and curly quotes before the orphan marker [3].
    let col = expected_column(3, "[3]");
    assert_eq!(col, 70, "the scalar-value column, not the byte column (75)");

    let json: Value = serde_json::from_str(&format("json")).expect("JSON");
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(70))
    );
    assert_eq!(d["end_column"].as_u64(), Some(73));

    let sarif: Value = serde_json::from_str(&format("sarif")).expect("JSON");
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(3), Some(70))
    );
    assert_eq!(region["endColumn"].as_u64(), Some(73));

    let github = format("github");
    assert!(
        github.contains("line=3,col=70,endLine=3,endColumn=73,title=orphan-marker::"),
        "{github}"
    );
    let concise = format("concise");
    assert!(
        concise.contains(&format!("{FIXTURE}:3:70: error[orphan-marker]")),
        "{concise}"
    );
    let human = format("human");
    assert!(human.contains(&format!("[{FIXTURE}:3:70]")), "{human}");
}

/// A line long enough to be cropped in the snippet still gets the span's own column in the
/// header, and multi-byte characters before it count once.
#[test]
fn human_header_column_on_a_cropped_long_line_is_the_spans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("long.txt");
    let line = format!(
        "{} “quoted” text.[2]",
        "Ærøskøbing\u{a0}harbour ".repeat(20)
    );
    std::fs::write(
        &file,
        format!(
            "Title\n\nA claim.[1]\n{line}\n\n[1] Anna Vik, River Works (Oslo: Elv, 1977), 3.\n"
        ),
    )
    .expect("write");
    let col = line[..line.find("[2]").expect("marker")].chars().count() + 1;
    let path = file.to_str().expect("path");
    let (human, _) = run(&["check", "--no-config", path]);
    assert!(human.contains(&format!("{path}:4:{col}]")), "{human}");
    let (concise, _) = run(&["check", "--no-config", "--format", "concise", path]);
    assert!(
        concise.contains(&format!("{path}:4:{col}: error[orphan-marker]")),
        "{concise}"
    );
}

/// Human output of a file holding two posts, as a terminal of `columns` columns shows it.
fn human_at(columns: &str) -> String {
    let out = Command::cargo_bin("notelint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns)
        .args(["check", "--no-config", "fixtures/formats/two-posts.txt"])
        .output()
        .expect("run notelint");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn human_output_groups_findings_by_post_and_never_wraps_a_url() {
    let joined = "help: join the URL: https://example.org/wp-content/uploads/2019/05/harbour-cranes-of-the-old-quay-and-the-new-basin-report.pdf\n";
    for columns in ["80", "250"] {
        let out = human_at(columns);
        assert!(out.contains(joined), "{columns} columns:\n{out}");
        let first = out.find("post 1 of 2: Cranes at the Old Quay (lines 1–9)");
        let second = out.find("post 2 of 2: Lights Along the Northern Coast (lines 11–18)");
        let orphan = out.find("orphan-marker");
        assert!(
            first < second && second < orphan && first.is_some(),
            "{columns} columns:\n{out}"
        );
    }
    insta::assert_snapshot!("human_two_posts_80_columns", human_at("80"));
    insta::assert_snapshot!("human_two_posts_250_columns", human_at("250"));
}

#[test]
fn statistics_count_findings_by_rule() {
    let (stdout, code) = run(&[
        "check",
        "--no-config",
        "--statistics",
        "fixtures/formats/two-posts.txt",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "1  error    orphan-marker\n1  error    orphan-note\n1  error    url-whitespace\n3 errors in 1 file (2 posts, 4 notes)\n[*] 1 finding fixable with `notelint fix`\n"
    );
}
