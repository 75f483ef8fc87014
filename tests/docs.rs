//! `docs/rules.md` and the README's rule table are made from the rules' doc comments; this
//! fails when either is stale. `NOTELINT_BLESS=1 cargo test --test docs` writes them anew.

use std::path::Path;

use notelint::docs;

fn check_or_bless(path: &Path, expected: &str) {
    if std::env::var_os("NOTELINT_BLESS").is_some() {
        std::fs::write(path, expected).expect("write");
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `NOTELINT_BLESS=1 cargo test --test docs` and commit it",
        path.display()
    );
}

#[test]
fn rules_md_is_generated_from_the_rule_docs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(root.join("docs")).expect("docs folder");
    check_or_bless(&root.join("docs/rules.md"), &docs::rules_markdown());
}

#[test]
fn readme_rule_table_is_generated_from_the_rule_docs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README");
    let updated = docs::with_table(&readme).expect("the README has the rules table markers");
    check_or_bless(&path, &updated);
}

#[test]
fn every_rule_and_file_problem_is_documented_with_an_anchor() {
    let md = docs::rules_markdown();
    for info in notelint::rules::catalogue() {
        assert!(
            md.contains(&format!("\n## {}\n", info.id)),
            "{} has no heading",
            info.id
        );
        assert!(info.url().ends_with(&format!("docs/rules.md#{}", info.id)));
    }
}
