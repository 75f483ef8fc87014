//! The progress bar of `check` on a large folder: files, megabytes and findings so far, drawn
//! on standard error when it is a terminal, and only once the run has taken a second, so
//! that a quick run never flickers.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long a run goes before its progress is drawn.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// The progress of a lint run, one tick per file written.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    shown: bool,
    bytes: u64,
    findings: usize,
}

impl Progress {
    /// A progress bar over `files` files, drawn only when `wanted` and standard error is a
    /// terminal.
    pub fn new(files: usize, wanted: bool) -> Self {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(files as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "checking {bar:30} {pos}/{len} files {msg} {elapsed}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            started: Instant::now(),
            shown: false,
            bytes: 0,
            findings: 0,
        }
    }

    /// One more file done: `bytes` long, with `findings` findings.
    pub fn tick(&mut self, bytes: u64, findings: usize) {
        self.bytes += bytes;
        self.findings += findings;
        let Some(bar) = &self.bar else {
            return;
        };
        if !self.shown && should_show(self.started, Instant::now()) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.set_message(message(self.bytes, self.findings));
        bar.inc(1);
    }

    /// Whether the bytes given to [`Progress::tick`] are shown: only a bar shows them.
    pub const fn counts_bytes(&self) -> bool {
        self.bar.is_some()
    }

    /// Whether the bar is being drawn.
    pub const fn is_shown(&self) -> bool {
        self.shown
    }

    /// Runs `write` with the bar taken off the screen, so that what it prints is not drawn
    /// over.
    pub fn suspend<T>(&self, write: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(write),
            _ => write(),
        }
    }

    /// Removes the bar before the summary is written.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Whether a run that started at `started` has gone on long enough to show its progress.
fn should_show(started: Instant, now: Instant) -> bool {
    now.saturating_duration_since(started) >= QUIET_FOR
}

/// "12.4 MB, 37 findings".
fn message(bytes: u64, findings: usize) -> String {
    #[allow(clippy::cast_precision_loss)] // a display figure
    let mb = bytes as f64 / 1e6;
    let noun = if findings == 1 { "finding" } else { "findings" };
    format!("{mb:.1} MB, {findings} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_waits_a_second_before_it_is_drawn() {
        let start = Instant::now();
        assert!(!should_show(start, start));
        assert!(!should_show(start, start + Duration::from_millis(999)));
        assert!(should_show(start, start + Duration::from_secs(1)));
    }

    #[test]
    fn progress_counts_megabytes_and_findings() {
        assert_eq!(message(12_400_000, 37), "12.4 MB, 37 findings");
        assert_eq!(message(0, 1), "0.0 MB, 1 finding");
        // Off a terminal (as under test) nothing is drawn, but the counts still add up.
        let mut p = Progress::new(2, true);
        p.tick(10, 1);
        p.tick(5, 2);
        assert_eq!((p.bytes, p.findings), (15, 3));
        p.finish();
    }
}
