//! `notelint.toml`: the file as written ([`RawConfig`], every key optional, unknown keys
//! refused) and the settings it resolves into ([`Config`]), with globs and patterns compiled
//! once. A mistake in the file is a [`ConfigError`] that points at the key or value.
//!
//! A configuration file comes with the repository being checked, so it is data, not power:
//! it may only name paths inside its own folder (no absolute path, no `..` climbing out, no
//! symbolic link leading out, nothing inside `.git`), and it cannot widen what the link
//! checker requests (`allow-private = true` is refused: only `--allow-private` on the command
//! line allows private addresses).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use globset::{GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::engine::Settings;
use crate::links::LinkOptions;
use crate::rules;

/// The file name looked for in the current folder and its parents.
pub const FILE_NAME: &str = "notelint.toml";

/// `notelint.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawConfig {
    /// Rule levels: `rule-id = "error" | "warning" | "info" | "off"`.
    pub rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    /// Globs of the files to check when walking folders (default: every file notelint reads).
    pub include: Option<Vec<Spanned<String>>>,
    /// Globs of files never to check, walked or named.
    pub exclude: Option<Vec<Spanned<String>>>,
    /// The lowest severity that fails the run: `"error"` (default), `"warnings"` or `"info"`.
    pub deny: Option<Spanned<String>>,
    /// Link-check settings.
    pub links: Option<RawLinks>,
    /// Rule levels for some paths only.
    pub overrides: Option<Vec<RawOverride>>,
}

/// The `[links]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLinks {
    /// The most requests in flight at once.
    pub max_concurrency: Option<Spanned<i64>>,
    /// The most requests in flight at once to one host.
    pub host_concurrency: Option<Spanned<i64>>,
    /// How long one request may take: seconds, or a duration such as `"30s"`.
    pub timeout: Option<Spanned<RawDuration>>,
    /// How many times a failed request is tried again.
    pub retries: Option<Spanned<i64>>,
    /// Regular expressions of URLs never to check.
    pub exclude: Option<Vec<Spanned<String>>>,
    /// Keep results between runs: `true` for the default file, or a path.
    pub cache: Option<Spanned<RawCache>>,
    /// How long a cached result stays good: seconds, or a duration such as `"1d"`.
    pub cache_max_age: Option<Spanned<RawDuration>>,
    /// The `User-Agent` header sent.
    pub user_agent: Option<Spanned<String>>,
    /// Refused when `true`: private addresses are only requested with `--allow-private`.
    pub allow_private: Option<Spanned<bool>>,
}

/// A duration: a number of seconds, or a string with a unit (`"500ms"`, `"30s"`, `"5m"`,
/// `"12h"`, `"1d"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDuration {
    Seconds(i64),
    Text(String),
}

/// `cache = true | false | "path"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawCache {
    Enabled(bool),
    Path(String),
}

/// One `[[overrides]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawOverride {
    /// Globs of the files this override applies to.
    pub paths: Spanned<Vec<Spanned<String>>>,
    /// Rule levels for those files, as in `[rules]`.
    pub rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// A mistake in a configuration file, pointing at the key or value at fault.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a value of the wrong type, or a value
    /// notelint does not accept.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A mistake in the text of a configuration file, with its place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct InvalidConfig {
    pub message: String,
    #[source_code]
    pub src: miette::NamedSource<String>,
    #[label("{label}")]
    pub span: Option<miette::SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// The cache file used for `cache = true` (and by default), relative to the configuration's
/// folder.
pub const DEFAULT_CACHE: &str = ".notelint-cache.json";

/// Rule levels for the files matching some globs.
#[derive(Debug, Clone)]
pub struct Override {
    pub paths: GlobSet,
    pub levels: Vec<(&'static str, Option<Severity>)>,
}

/// A resolved configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    /// The folder globs are relative to: the file's folder, or the current one.
    pub root: PathBuf,
    /// Rule levels from `[rules]`.
    pub levels: Vec<(&'static str, Option<Severity>)>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    /// The `deny` key: the lowest failing severity.
    pub deny: Option<Severity>,
    /// Link-check settings; flags on the command line override them.
    pub links: LinkOptions,
    pub overrides: Vec<Override>,
}

/// The nearest `notelint.toml` in `dir` or one of its parents.
#[must_use]
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and resolves the configuration file at `path`.
///
/// # Errors
/// When the file cannot be read or holds a mistake.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let mut config = parse(&path.display().to_string(), &text, root)?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Parses and resolves configuration text; `name` labels errors, globs are relative to `root`.
///
/// # Errors
/// When the text holds a mistake.
pub fn parse(name: &str, text: &str, root: PathBuf) -> Result<Config, ConfigError> {
    let fail = |message: String, span: Option<Range<usize>>, label: &str, help: Option<String>| {
        ConfigError::Invalid(Box::new(InvalidConfig {
            message,
            src: miette::NamedSource::new(name, text.to_string()),
            span: span.map(|r| (r.start, r.end - r.start).into()),
            label: label.to_string(),
            help,
        }))
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        let help = message
            .starts_with("unknown field")
            .then(|| "see the configuration reference in the README for every key".to_string());
        fail(
            format!("invalid configuration: {message}"),
            e.span(),
            "here",
            help,
        )
    })?;
    resolve(raw, root, text)
        .map_err(|(message, span, help)| fail(message, Some(span), "here", help))
}

/// A resolution mistake: the message, where it is, and a hint.
type Mistake = (String, Range<usize>, Option<String>);

fn resolve(raw: RawConfig, root: PathBuf, text: &str) -> Result<Config, Mistake> {
    let mut config = Config {
        root,
        ..Config::default()
    };
    if let Some(rules) = &raw.rules {
        config.levels = resolve_levels(rules)?;
    }
    if let Some(include) = &raw.include {
        config.include = Some(build_globs(include, "include")?);
    }
    if let Some(exclude) = &raw.exclude {
        config.exclude = Some(build_globs(exclude, "exclude")?);
    }
    if let Some(deny) = &raw.deny {
        config.deny = Some(Severity::parse(deny.get_ref()).ok_or_else(|| {
            (
                format!("unknown level `{}` for deny", deny.get_ref()),
                deny.span(),
                Some("use \"error\", \"warnings\" or \"info\"".to_string()),
            )
        })?);
    }
    if let Some(links) = &raw.links {
        config.links = resolve_links(links, &config.root, text)?;
    }
    for o in raw.overrides.iter().flatten() {
        if o.paths.get_ref().is_empty() {
            return Err((
                "an override needs at least one path glob".to_string(),
                o.paths.span(),
                None,
            ));
        }
        config.overrides.push(Override {
            paths: build_globs(o.paths.get_ref(), "overrides.paths")?,
            levels: match &o.rules {
                Some(rules) => resolve_levels(rules)?,
                None => Vec::new(),
            },
        });
    }
    Ok(config)
}

/// Parses a rule level: a severity or `off`.
///
/// # Errors
/// The words accepted, for a value that is none of them.
pub fn parse_level(s: &str) -> Result<Option<Severity>, String> {
    match s {
        "off" => Ok(None),
        "error" => Ok(Some(Severity::Error)),
        "warning" => Ok(Some(Severity::Warning)),
        "info" => Ok(Some(Severity::Info)),
        _ => Err(format!(
            "unknown level `{s}`: use \"error\", \"warning\", \"info\" or \"off\""
        )),
    }
}

fn resolve_levels(
    rules: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<Vec<(&'static str, Option<Severity>)>, Mistake> {
    let mut levels = Vec::new();
    for (id, level) in rules {
        let Some(rule) = rules::find(id.get_ref()) else {
            return Err((
                format!("unknown rule `{}`", id.get_ref()),
                id.span(),
                Some("`notelint rules` lists every rule id".to_string()),
            ));
        };
        let level = parse_level(level.get_ref()).map_err(|m| (m, level.span(), None))?;
        levels.push((rule.info().id, level));
    }
    Ok(levels)
}

fn build_globs(globs: &[Spanned<String>], key: &str) -> Result<GlobSet, Mistake> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let written = glob.get_ref();
        // Globs match paths relative to the configuration's folder: one that starts at the
        // root or climbs out with `..` can never match and is a mistake (or a probe).
        if written.starts_with(['/', '\\']) || written.split(['/', '\\']).any(|part| part == "..") {
            return Err((
                format!(
                    "{key} globs are relative to the folder holding the configuration: `{written}` leads outside it"
                ),
                glob.span(),
                Some("remove the leading `/` or the `..`".to_string()),
            ));
        }
        let pattern = written.trim_start_matches("./");
        let pattern = pattern.strip_suffix('/').map_or_else(
            || pattern.to_string(),
            // `drafts/` means everything below `drafts`.
            |dir| format!("{dir}/**"),
        );
        // A glob without a slash matches a file name in any folder, as in `.gitignore`.
        let pattern = if pattern.contains('/') {
            pattern
        } else {
            format!("**/{pattern}")
        };
        let compiled = globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| (format!("invalid glob: {}", e.kind()), glob.span(), None))?;
        builder.add(compiled);
        // `archive` also names everything below the folder `archive`.
        if !pattern.ends_with("/**") {
            if let Ok(below) = globset::GlobBuilder::new(&format!("{pattern}/**"))
                .literal_separator(true)
                .build()
            {
                builder.add(below);
            }
        }
    }
    builder
        .build()
        .map_err(|e| (format!("invalid glob: {e}"), 0..0, None))
}

fn positive(value: &Spanned<i64>, key: &str) -> Result<i64, Mistake> {
    let v = *value.get_ref();
    if v < 1 {
        return Err((
            format!("{key} must be at least 1, not {v}"),
            value.span(),
            None,
        ));
    }
    Ok(v)
}

/// The span of `key = value` when the text just before the value is the key (bare or
/// quoted, possibly the last part of a dotted key); the value's span otherwise.
fn assignment_span(text: &str, value: Range<usize>, key: &str) -> Range<usize> {
    let before = text.get(..value.start).unwrap_or_default().trim_end();
    let Some(before) = before.strip_suffix('=').map(str::trim_end) else {
        return value;
    };
    for written in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
        if let Some(rest) = before.strip_suffix(written.as_str()) {
            return rest.len()..value.end;
        }
    }
    value
}

/// `written` (a path from the configuration file) as a path inside `root`, or why not.
///
/// Refused: an absolute path; `..` climbing above `root`; a `.git` component (a file written
/// there could become a hook or git setting); and a path whose nearest existing folder (or
/// the file itself) lies outside `root` once symbolic links are followed.
fn inside(root: &Path, written: &str) -> Result<PathBuf, &'static str> {
    use std::path::Component;
    let path = Path::new(written);
    if written.is_empty() {
        return Err("is empty");
    }
    if path.has_root() || path.is_absolute() || written.starts_with(['/', '\\']) {
        return Err("is an absolute path");
    }
    let mut normal = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => {
                if name.eq_ignore_ascii_case(".git") {
                    return Err("is inside .git");
                }
                normal.push(name);
            }
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    return Err("climbs out of it with `..`");
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err("is an absolute path"),
        }
    }
    if normal.as_os_str().is_empty() {
        return Err("names the folder itself");
    }
    let full = root.join(&normal);
    // Follow symbolic links through the part of the path that exists: the nearest existing
    // ancestor (or the file itself) must still be inside the (canonical) root.
    if let Ok(canonical_root) = std::fs::canonicalize(root) {
        let existing = full
            .ancestors()
            .take_while(|a| a.starts_with(root))
            .find_map(|a| std::fs::canonicalize(a).ok());
        if existing.is_some_and(|found| !found.starts_with(&canonical_root)) {
            return Err("leads out of it through a symbolic link");
        }
    }
    Ok(full)
}

fn resolve_links(raw: &RawLinks, root: &Path, text: &str) -> Result<LinkOptions, Mistake> {
    let mut links = LinkOptions::default();
    if let Some(v) = &raw.max_concurrency {
        links.max_concurrency = usize::try_from(positive(v, "max-concurrency")?).unwrap_or(1);
    }
    if let Some(v) = &raw.host_concurrency {
        links.host_concurrency = usize::try_from(positive(v, "host-concurrency")?).unwrap_or(1);
    }
    if let Some(v) = &raw.retries {
        links.retries = u32::try_from(*v.get_ref()).map_err(|_| {
            (
                format!("retries must be 0 or more, not {}", v.get_ref()),
                v.span(),
                None,
            )
        })?;
    }
    if let Some(v) = &raw.timeout {
        links.timeout = resolve_duration(v, "timeout")?;
    }
    if let Some(v) = &raw.cache_max_age {
        links.cache_max_age = resolve_duration(v, "cache-max-age")?;
    }
    for pattern in raw.exclude.iter().flatten() {
        let re = Regex::new(pattern.get_ref()).map_err(|e| {
            (
                format!("invalid regular expression: {e}"),
                pattern.span(),
                None,
            )
        })?;
        links.exclude.push(re);
    }
    links.cache = match &raw.cache {
        None => Some(root.join(DEFAULT_CACHE)),
        Some(cache) => match cache.get_ref() {
            RawCache::Enabled(true) => Some(root.join(DEFAULT_CACHE)),
            RawCache::Enabled(false) => None,
            RawCache::Path(p) => Some(inside(root, p).map_err(|why| {
                (
                    format!(
                        "cache must be a path inside the folder holding the configuration: `{p}` {why}"
                    ),
                    assignment_span(text, cache.span(), "cache"),
                    Some(
                        "a repository's configuration may only name files inside it; \
                         `--cache PATH` on the command line may name any file"
                            .to_string(),
                    ),
                )
            })?),
        },
    };
    if let Some(ua) = &raw.user_agent {
        if ua.get_ref().trim().is_empty() || ua.get_ref().contains(['\r', '\n']) {
            return Err((
                "user-agent must be one non-empty line".to_string(),
                ua.span(),
                None,
            ));
        }
        links.user_agent.clone_from(ua.get_ref());
    }
    // `false` is the default and narrows nothing; `true` would let a repository make the
    // checker request loopback, private and cloud metadata addresses.
    if let Some(allow) = &raw.allow_private {
        if *allow.get_ref() {
            return Err((
                "allow-private can only be given on the command line (--allow-private): a repository's configuration may not widen what the link checker requests".to_string(),
                assignment_span(text, allow.span(), "allow-private"),
                Some("remove the key, and pass --allow-private when you mean it".to_string()),
            ));
        }
    }
    Ok(links)
}

fn resolve_duration(value: &Spanned<RawDuration>, key: &str) -> Result<Duration, Mistake> {
    let bad = || {
        (
            format!("{key} must be a positive number of seconds or a duration such as \"30s\""),
            value.span(),
            Some("units: ms, s, m, h, d".to_string()),
        )
    };
    let duration = match value.get_ref() {
        RawDuration::Seconds(s) => Duration::from_secs(u64::try_from(*s).map_err(|_| bad())?),
        RawDuration::Text(text) => parse_duration(text).ok_or_else(bad)?,
    };
    if duration.is_zero() {
        return Err(bad());
    }
    Ok(duration)
}

/// Parses `"500ms"`, `"30s"`, `"5m"`, `"12h"`, `"1d"` (or a bare number of seconds).
#[must_use]
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let secs = |k: u64| n.checked_mul(k).map(Duration::from_secs);
    match unit.trim() {
        "ms" => Some(Duration::from_millis(n)),
        "" | "s" => secs(1),
        "m" => secs(60),
        "h" => secs(60 * 60),
        "d" => secs(24 * 60 * 60),
        _ => None,
    }
}

impl Config {
    /// `path` relative to the configuration's folder, for matching globs; `None` when it lies
    /// outside (or is standard input).
    fn relative<'p>(&self, path: &'p Path) -> Option<std::borrow::Cow<'p, Path>> {
        if path.as_os_str() == "-" {
            return None;
        }
        let absolute = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .ok()?;
        let rel = absolute.strip_prefix(&self.root).ok()?;
        Some(std::borrow::Cow::Owned(rel.to_path_buf()))
    }

    /// Whether a file found by walking a folder is to be checked.
    #[must_use]
    pub fn walks_into(&self, path: &Path) -> bool {
        // Without globs every file is taken: no need to resolve its path (a system call per
        // path component).
        if self.exclude.is_none() && self.include.is_none() {
            return true;
        }
        let Some(rel) = self.relative(path) else {
            return true;
        };
        if self.exclude.as_ref().is_some_and(|g| g.is_match(&rel)) {
            return false;
        }
        self.include.as_ref().is_none_or(|g| g.is_match(&rel))
    }

    /// Whether a file named on the command line is to be checked (only `exclude` applies).
    #[must_use]
    pub fn accepts_named(&self, path: &Path) -> bool {
        if self.exclude.is_none() {
            return true;
        }
        self.relative(path)
            .is_none_or(|rel| !self.exclude.as_ref().is_some_and(|g| g.is_match(&rel)))
    }

    /// The settings for `base` with `[rules]` applied.
    #[must_use]
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::default();
        for &(id, level) in &self.levels {
            settings.set(id, level);
        }
        settings
    }

    /// `settings` with the overrides that match `path` applied, in file order.
    #[must_use]
    pub fn settings_for(&self, path: &Path, settings: &Settings) -> Settings {
        let mut out = settings.clone();
        if self.overrides.is_empty() {
            return out;
        }
        let Some(rel) = self.relative(path) else {
            return out;
        };
        for o in &self.overrides {
            if o.paths.is_match(&rel) {
                for &(id, level) in &o.levels {
                    out.set(id, level);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Config {
        parse("notelint.toml", text, PathBuf::from("/r")).expect("valid config")
    }

    fn parse_err(text: &str) -> (String, Option<Range<usize>>) {
        match parse("notelint.toml", text, PathBuf::from("/r")) {
            Err(ConfigError::Invalid(e)) => {
                (e.message, e.span.map(|s| s.offset()..s.offset() + s.len()))
            }
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn every_key_resolves() {
        let c = parse_ok(
            r#"
include = ["posts/**"]
exclude = ["drafts/", "*.htm"]
deny = "warnings"
[rules]
numbering-gap = "off"
empty-note = "warning"
[links]
max-concurrency = 8
host-concurrency = 2
timeout = "30s"
retries = 0
exclude = ["^https://example\\.com/"]
cache = true
cache-max-age = "2d"
user-agent = "bot/1"
allow-private = false
[[overrides]]
paths = ["archive/**"]
rules = { orphan-note = "info" }
"#,
        );
        assert_eq!(
            c.levels,
            vec![
                ("empty-note", Some(Severity::Warning)),
                ("numbering-gap", None)
            ]
        );
        assert_eq!(c.deny, Some(Severity::Warning));
        assert_eq!(c.links.max_concurrency, 8);
        assert_eq!(c.links.host_concurrency, 2);
        assert_eq!(c.links.timeout, Duration::from_secs(30));
        assert_eq!(c.links.retries, 0);
        assert!(c.links.exclude[0].is_match("https://example.com/a"));
        assert_eq!(c.links.cache, Some(PathBuf::from("/r").join(DEFAULT_CACHE)));
        assert_eq!(c.links.cache_max_age, Duration::from_secs(2 * 86_400));
        assert_eq!(c.links.user_agent, "bot/1");
        assert!(!c.links.allow_private);
        let o = &c.overrides[0];
        assert!(o.paths.is_match("archive/2019/a.md"));
        assert!(!o.paths.is_match("posts/a.md"));
        assert_eq!(o.levels, vec![("orphan-note", Some(Severity::Info))]);
        let exclude = c.exclude.as_ref().expect("exclude");
        assert!(exclude.is_match("drafts/x.md"));
        assert!(exclude.is_match("a/b/page.htm"));
        assert!(!exclude.is_match("a/b/page.html"));
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let text = "[rules]\nempty-note = \"off\"\n[links]\ntimeuot = 3\n";
        let (message, span) = parse_err(text);
        assert!(message.contains("unknown field `timeuot`"), "{message}");
        assert_eq!(&text[span.expect("span")], "timeuot");

        let text = "[rules]\nno-such-rule = \"off\"\n";
        let (message, span) = parse_err(text);
        assert!(message.contains("unknown rule `no-such-rule`"), "{message}");
        assert_eq!(&text[span.expect("span")], "no-such-rule");
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let text = "[rules]\nempty-note = \"loud\"\n";
        let (message, span) = parse_err(text);
        assert!(message.contains("unknown level `loud`"), "{message}");
        assert_eq!(&text[span.expect("span")], "\"loud\"");

        for (text, bad) in [
            ("[links]\nmax-concurrency = 0\n", "0"),
            ("[links]\ntimeout = \"soon\"\n", "\"soon\""),
            ("[links]\nexclude = [\"(\"]\n", "\"(\""),
            ("include = [\"a/[\"]\n", "\"a/[\""),
        ] {
            let (_, span) = parse_err(text);
            assert_eq!(&text[span.expect("span")], bad, "{text}");
        }
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1w"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn discovery_finds_the_nearest_parent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).expect("mkdir");
        assert_ne!(discover(&sub), Some(dir.path().join("a").join(FILE_NAME)));
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").expect("write");
        assert_eq!(discover(&sub), Some(dir.path().join("a").join(FILE_NAME)));
    }

    #[test]
    fn allow_private_true_is_refused_at_the_key() {
        for text in [
            "[links]\nallow-private = true\n",
            "[links]\n\"allow-private\" = true\n",
            "links.allow-private = true\n",
            "links = { allow-private = true }\n",
        ] {
            let (message, span) = parse_err(text);
            assert!(
                message.starts_with(
                    "allow-private can only be given on the command line (--allow-private)"
                ),
                "{message}"
            );
            let underlined = &text[span.expect("span")];
            assert!(
                underlined.contains("allow-private") && underlined.ends_with("= true"),
                "{text}: {underlined}"
            );
        }
        assert!(
            !parse_ok("[links]\nallow-private = false\n")
                .links
                .allow_private
        );
    }

    #[test]
    fn cache_paths_leading_outside_the_folder_are_refused() {
        for bad in [
            "../../home/user/.bashrc",
            "..",
            "a/../../b.json",
            "/etc/passwd",
            "/tmp/cache.json",
            "./../x.json",
            ".git/hooks/pre-commit",
            "sub/.GIT/config",
            "",
            "a/..",
        ] {
            let text = format!("[links]\ncache = {bad:?}\n");
            let (message, span) = parse_err(&text);
            assert!(
                message.starts_with("cache must be a path inside"),
                "{message}"
            );
            assert_eq!(&text[span.expect("span")], format!("cache = {bad:?}"));
        }
        for good in [
            "links.json",
            "./cache/links.json",
            "a/../b.json",
            ".cache/x",
        ] {
            let c = parse_ok(&format!("[links]\ncache = {good:?}\n"));
            let path = c.links.cache.expect("a cache");
            assert!(path.starts_with("/r"), "{good}: {}", path.display());
            assert!(!path.components().any(|c| c.as_os_str() == ".."), "{good}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn cache_paths_through_a_link_leading_outside_are_refused() {
        let outside = tempfile::tempdir().expect("tempdir");
        let repo = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(repo.path()).expect("canonical");
        std::os::unix::fs::symlink(outside.path(), root.join("home")).expect("link");
        std::os::unix::fs::symlink(outside.path().join("rc"), root.join("rc")).expect("link");
        std::fs::create_dir(root.join("inner")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("inner"), root.join("alias")).expect("link");
        for (value, ok) in [
            ("home/.bashrc", false),
            ("home/new/dir/cache.json", false),
            ("rc", true),
            ("alias/cache.json", true),
            ("inner/deeper/cache.json", true),
        ] {
            let text = format!("[links]\ncache = {value:?}\n");
            let parsed = parse("notelint.toml", &text, root.clone());
            assert_eq!(parsed.is_ok(), ok, "{value}");
        }
        // `rc` is a dangling link out of the folder: reading it finds nothing and writing
        // replaces the link, not its target, so it is let through; once the target exists
        // it is refused.
        std::fs::write(outside.path().join("rc"), "x").expect("write");
        let text = "[links]\ncache = \"rc\"\n";
        assert!(parse("notelint.toml", text, root).is_err());
    }

    #[test]
    fn globs_leading_outside_the_folder_are_refused() {
        for (key, glob) in [
            ("include", "/etc/**"),
            ("exclude", "../secrets/**"),
            ("include", "posts/../../x"),
            ("exclude", "\\\\server\\share"),
        ] {
            let text = format!("{key} = [{glob:?}]\n");
            let (message, span) = parse_err(&text);
            assert!(message.contains("leads outside"), "{message}");
            assert_eq!(&text[span.expect("span")], format!("{glob:?}"));
        }
        let text = "[[overrides]]\npaths = [\"../x/**\"]\n";
        let (message, _) = parse_err(text);
        assert!(message.starts_with("overrides.paths globs"), "{message}");
    }
}
