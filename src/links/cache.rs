//! The cache file: recent answers per URL, so a second run asks nothing it already knows.
//!
//! The file is JSON, written to a temporary file beside it and renamed into place, so a
//! reader never sees half a file. A file that is not a notelint cache is ignored and never
//! replaced (the cache path may be a typo for a file that matters); one larger than
//! [`MAX_FILE`] is not read. An entry checked in the future is stale: a planted
//! `"checked": 18446744073709551615` must not be trusted forever.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::LinkStatus;

/// The format marker in the file; a file without it is not ours.
const FORMAT: &str = "notelint-link-cache";
const VERSION: u32 = 1;

/// The largest cache file read: far more than any real cache (some 400,000 URLs), and small
/// enough to read whole.
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// How far in the future a check time may lie (clocks differ between machines sharing a
/// cache) before the entry is distrusted.
const CLOCK_SKEW: u64 = 60 * 60;

/// How every cache file notelint writes begins; a damaged file that begins so is still ours
/// to replace.
const HEADER: &str = "{\"format\":\"notelint-link-cache\"";

#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: String,
    version: u32,
    entries: HashMap<String, Entry>,
}

/// One remembered answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// When the URL was checked, in seconds since the Unix epoch.
    checked: u64,
    #[serde(flatten)]
    status: LinkStatus,
}

/// The answers known from earlier runs, and those of this run.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    entries: HashMap<String, Entry>,
    max_age: Duration,
    /// Whether the file may be written: false when something that is not a notelint cache
    /// (or that could not be read or judged) is in the way.
    writable: bool,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Loads the cache at `path`. A missing file is an empty cache. An unreadable, foreign
    /// or oversized one is also empty, is not replaced, and comes with the warning to show;
    /// a damaged notelint cache is empty, with a warning, and is replaced.
    #[must_use]
    pub fn load(path: &Path, max_age: Duration) -> (Self, Option<String>) {
        let mut cache = Self {
            path: path.to_path_buf(),
            entries: HashMap::new(),
            max_age,
            writable: false,
        };
        let kept = "it is neither used nor replaced: remove it or choose another --cache path";
        let bytes = match read_capped(path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return (
                    cache,
                    Some(format!(
                        "the link cache {} is larger than {} MiB; {kept}",
                        path.display(),
                        MAX_FILE / (1024 * 1024)
                    )),
                )
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                cache.writable = true;
                return (cache, None);
            }
            Err(e) => {
                return (
                    cache,
                    Some(format!(
                        "cannot read the link cache {}: {e}; {kept}",
                        path.display()
                    )),
                )
            }
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(file) if file.format == FORMAT && file.version == VERSION => {
                cache.entries = file.entries;
                cache.writable = true;
                (cache, None)
            }
            _ if bytes.starts_with(HEADER.as_bytes()) => {
                cache.writable = true;
                (
                    cache,
                    Some(format!(
                        "the link cache {} is damaged or from another version; starting afresh",
                        path.display()
                    )),
                )
            }
            _ => (
                cache,
                Some(format!(
                    "{} is not a notelint link cache; {kept}",
                    path.display()
                )),
            ),
        }
    }

    /// The answer for `url` if it is still fresh. Bad answers age out ten times sooner than
    /// good ones, since a dead page may come back; errors and skips are never kept.
    #[must_use]
    pub fn get(&self, url: &str) -> Option<&LinkStatus> {
        let entry = self.entries.get(url)?;
        if !entry.is_plausible(now()) {
            return None;
        }
        let limit = match entry.status {
            LinkStatus::Ok | LinkStatus::Redirected { .. } => self.max_age,
            LinkStatus::Dead { .. } => self.max_age / 10,
            LinkStatus::Error { .. } | LinkStatus::Skipped { .. } => return None,
        };
        let age = now().saturating_sub(entry.checked);
        (Duration::from_secs(age) < limit).then_some(&entry.status)
    }

    /// Remembers a fresh answer (errors and skips are not worth keeping).
    pub fn insert(&mut self, url: &str, status: &LinkStatus) {
        if matches!(
            status,
            LinkStatus::Error { .. } | LinkStatus::Skipped { .. }
        ) {
            return;
        }
        self.entries.insert(
            url.to_string(),
            Entry {
                checked: now(),
                status: status.clone(),
            },
        );
    }

    /// Writes the cache, dropping stale entries, through a temporary file renamed into place.
    /// Does nothing when the file in the way is not a notelint cache (`load` warned).
    ///
    /// # Errors
    /// Errors creating, writing or renaming the file.
    pub fn save(&mut self) -> io::Result<()> {
        if !self.writable {
            return Ok(());
        }
        let max_age = self.max_age.as_secs();
        let now = now();
        self.entries
            .retain(|_, e| e.is_plausible(now) && now.saturating_sub(e.checked) < max_age);
        let file = CacheFile {
            format: FORMAT.to_string(),
            version: VERSION,
            entries: std::mem::take(&mut self.entries),
        };
        let json = serde_json::to_vec(&file).map_err(io::Error::other);
        self.entries = file.entries;
        let json = json?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self.path.file_name().map_or_else(
            || "notelint-cache".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        // `create_new` never follows a link planted at the temporary name, nor truncates a
        // file already there.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp);
        let written = match written {
            Ok(file) => Ok(file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                // Someone else's file or link: leave it alone.
                return Err(io::Error::new(
                    e.kind(),
                    format!("{} is in the way", tmp.display()),
                ));
            }
            Err(e) => Err(e),
        };
        let written = written.and_then(|mut f| {
            f.write_all(&json)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &self.path)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(())
    }
}

impl Entry {
    /// Whether the check time is not in the future (beyond clock skew).
    fn is_plausible(&self, now: u64) -> bool {
        self.checked <= now.saturating_add(CLOCK_SKEW)
    }
}

/// The file's bytes, or `None` when it is larger than [`MAX_FILE`] (read no further than
/// that, whatever the file claims its size is).
fn read_capped(path: &Path) -> io::Result<Option<Vec<u8>>> {
    // Not a pipe (which would block the open) nor a folder.
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    if file.metadata().is_ok_and(|m| m.len() > MAX_FILE) {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Ok(None);
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_survive_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let day = Duration::from_secs(86_400);
        let (mut cache, warning) = Cache::load(&path, day);
        assert!(warning.is_none());
        cache.insert("https://a.example/", &LinkStatus::Ok);
        cache.insert(
            "https://b.example/",
            &LinkStatus::Error {
                reason: "timed out".into(),
            },
        );
        cache.save().unwrap();
        let (cache, warning) = Cache::load(&path, day);
        assert!(warning.is_none());
        assert_eq!(cache.get("https://a.example/"), Some(&LinkStatus::Ok));
        assert_eq!(cache.get("https://b.example/"), None);
        // Nothing is left behind but the cache itself.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_answers_are_not_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let (mut cache, _) = Cache::load(&path, Duration::ZERO);
        cache.insert("https://a.example/", &LinkStatus::Ok);
        assert_eq!(cache.get("https://a.example/"), None);
    }

    #[test]
    fn corrupt_or_foreign_files_are_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        for content in [
            &b"{not json"[..],
            b"{\"format\":\"other\",\"version\":1,\"entries\":{}}",
            b"\xff\x00",
        ] {
            std::fs::write(&path, content).unwrap();
            let (cache, warning) = Cache::load(&path, Duration::from_secs(60));
            assert!(warning.is_some());
            assert!(cache.entries.is_empty());
        }
    }

    fn entry_at(checked: u64) -> String {
        format!(
            r#"{{"format":"notelint-link-cache","version":1,"entries":{{"https://a.example/":{{"checked":{checked},"status":"ok"}}}}}}"#
        )
    }

    #[test]
    fn entries_checked_in_the_future_are_stale_and_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let day = Duration::from_secs(86_400);
        for checked in [u64::MAX, u64::MAX - 1, now() + 2 * 60 * 60] {
            std::fs::write(&path, entry_at(checked)).unwrap();
            let (mut cache, warning) = Cache::load(&path, Duration::MAX);
            assert!(warning.is_none(), "{warning:?}");
            assert_eq!(cache.get("https://a.example/"), None, "{checked}");
            cache.save().unwrap();
            let (cache, _) = Cache::load(&path, day);
            assert!(cache.entries.is_empty(), "{checked}");
        }
        // A little clock skew is tolerated.
        std::fs::write(&path, entry_at(now() + 60)).unwrap();
        let (cache, _) = Cache::load(&path, day);
        assert_eq!(cache.get("https://a.example/"), Some(&LinkStatus::Ok));
    }

    #[test]
    fn a_file_that_is_not_a_cache_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.md");
        for content in [&b"# My notes\n"[..], b"{\"format\":\"other\"}", b"\xff\x00"] {
            std::fs::write(&path, content).unwrap();
            let (mut cache, warning) = Cache::load(&path, Duration::from_secs(60));
            let warning = warning.expect("a warning");
            assert!(warning.contains("neither used nor replaced"), "{warning}");
            cache.insert("https://a.example/", &LinkStatus::Ok);
            cache.save().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), content);
        }
        // A folder is not replaced either.
        let (mut cache, warning) = Cache::load(dir.path(), Duration::from_secs(60));
        assert!(warning.is_some());
        cache.save().unwrap();
        assert!(dir.path().is_dir());
    }

    #[test]
    fn a_damaged_notelint_cache_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        std::fs::write(&path, &entry_at(1)[..40]).unwrap();
        let (mut cache, warning) = Cache::load(&path, Duration::from_secs(60));
        assert!(warning.is_some_and(|w| w.contains("starting afresh")));
        cache.insert("https://a.example/", &LinkStatus::Ok);
        cache.save().unwrap();
        let (cache, warning) = Cache::load(&path, Duration::from_secs(60));
        assert!(warning.is_none());
        assert_eq!(cache.get("https://a.example/"), Some(&LinkStatus::Ok));
    }

    #[test]
    fn an_oversized_cache_file_is_not_read_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let file = std::fs::File::create(&path).unwrap();
        // Sparse: no disk is spent on it.
        file.set_len(MAX_FILE + 1).unwrap();
        drop(file);
        let (mut cache, warning) = Cache::load(&path, Duration::from_secs(60));
        assert!(warning.is_some_and(|w| w.contains("larger than 64 MiB")));
        cache.insert("https://a.example/", &LinkStatus::Ok);
        cache.save().unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), MAX_FILE + 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        let target = dir.path().join("precious");
        std::fs::write(&target, "keep me").unwrap();
        let tmp = dir
            .path()
            .join(format!(".cache.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&target, &tmp).unwrap();
        let (mut cache, _) = Cache::load(&path, Duration::from_secs(60));
        cache.insert("https://a.example/", &LinkStatus::Ok);
        assert!(cache.save().is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        assert!(!path.exists());
    }
}
