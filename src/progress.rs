//! Progress feedback for long work: a bar (or, for work without a count, a spinner naming the
//! current phase) on standard error.
//!
//! Shown only when standard error is a terminal and only once the work has lasted a second:
//! short builds, pipes, CI logs and tests see nothing, so no output ever depends on timing. The
//! bar is cleared when the work ends; the one-line summary that follows is the caller's.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// How long work runs silently before the bar appears.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress indicator that stays hidden for short work and off a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `len` units of work, labelled `what`.
    pub fn bar(len: u64, what: &str) -> Progress {
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .map(|s| s.progress_chars("=> "));
        Self::start(Some(len), what, style.ok())
    }

    /// A spinner for work without a count; [`Progress::phase`] renames the current step.
    pub fn phases(first: &str) -> Progress {
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})").ok();
        Self::start(None, first, style)
    }

    fn start(len: Option<u64>, what: &str, style: Option<ProgressStyle>) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::hidden());
        if let Some(s) = style {
            bar.set_style(s);
        }
        bar.set_message(what.to_string());
        let delayed = bar.clone();
        // Reveal the bar once the work has lasted SHOW_AFTER, unless it is already over.
        std::thread::spawn(move || {
            let step = Duration::from_millis(50);
            let mut waited = Duration::ZERO;
            while waited < SHOW_AFTER {
                if delayed.is_finished() {
                    return;
                }
                std::thread::sleep(step);
                waited += step;
            }
            if !delayed.is_finished() {
                delayed.set_draw_target(ProgressDrawTarget::stderr());
                delayed.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// One more unit done.
    pub fn inc(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }

    /// Names the step now running.
    pub fn phase(&self, what: &str) {
        if let Some(b) = &self.bar {
            b.set_message(what.to_string());
        }
    }

    /// Ends the work and clears the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_progress_is_silent_and_cheap() {
        // Tests run with stderr captured (not a terminal): nothing is created or drawn.
        if std::io::stderr().is_terminal() {
            return;
        }
        let p = Progress::bar(3, "work");
        assert!(p.bar.is_none());
        p.inc();
        p.phase("more work");
        p.finish();
    }
}
