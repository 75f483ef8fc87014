//! The cache file: recent answers per URL, so a second run asks nothing it already knows.
//!
//! The file is JSON, written to a temporary file beside it and renamed into place, so a
//! reader never sees half a file. A file that is not a notelint cache is ignored.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::LinkStatus;

/// The format marker in the file; a file without it is not ours.
const FORMAT: &str = "notelint-link-cache";
const VERSION: u32 = 1;

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
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Loads the cache at `path`. A missing file is an empty cache; an unreadable, corrupt
    /// or foreign one is also empty, with the warning to show returned beside it.
    #[must_use]
    pub fn load(path: &Path, max_age: Duration) -> (Self, Option<String>) {
        let mut cache = Self {
            path: path.to_path_buf(),
            entries: HashMap::new(),
            max_age,
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (cache, None),
            Err(e) => {
                return (
                    cache,
                    Some(format!(
                        "cannot read the link cache {}: {e}; ignoring it",
                        path.display()
                    )),
                )
            }
        };
        match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(file) if file.format == FORMAT && file.version == VERSION => {
                cache.entries = file.entries;
                (cache, None)
            }
            _ => (
                cache,
                Some(format!(
                    "{} is not a notelint link cache (or is damaged); ignoring it",
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
    ///
    /// # Errors
    /// Errors creating, writing or renaming the file.
    pub fn save(&mut self) -> io::Result<()> {
        let max_age = self.max_age.as_secs();
        let now = now();
        self.entries
            .retain(|_, e| now.saturating_sub(e.checked) < max_age);
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
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
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
}
