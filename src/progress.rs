//! Progress for people at a terminal, and nothing for anyone else: a spinner for cluster
//! calls that take longer than a moment, a bar for removals one by one (reap, revoke without
//! deletecollection). Drawn on stderr only when it is a terminal and `-q` was not given, so
//! cron mail, pipes and files never see a control character; colours follow `NO_COLOR`
//! (through `console`, which indicatif and dialoguer share).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A call that answers faster than this shows nothing: a spinner that flashes is noise.
const SPINNER_DELAY: Duration = Duration::from_millis(200);

static QUIET: AtomicBool = AtomicBool::new(false);

/// The spinner on screen, if any: a bar that starts takes its place (two animations on one
/// terminal would overwrite each other's line).
static SHOWN: Mutex<Option<(u64, ProgressBar)>> = Mutex::new(None);
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
/// Bars on screen: a spinner due to appear meanwhile stays hidden.
static BARS: AtomicUsize = AtomicUsize::new(0);

/// `-q/--quiet`: no progress at all (results and errors are still printed).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether progress may be drawn: stderr is a terminal, and not `-q`.
pub fn enabled() -> bool {
    !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// A spinner that appears only if it is still alive after [`SPINNER_DELAY`], and clears
/// itself when dropped. Needs a tokio runtime (the delay is a task).
pub struct Spinner {
    id: u64,
    bar: ProgressBar,
    reveal: Option<tokio::task::JoinHandle<()>>,
}

pub fn spinner(message: impl Into<String>) -> Spinner {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"),
    );
    bar.set_message(message.into());
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let reveal = enabled().then(|| {
        let bar = bar.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SPINNER_DELAY).await;
            if BARS.load(Ordering::Relaxed) > 0 {
                return;
            }
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(100));
            *SHOWN.lock().unwrap_or_else(|e| e.into_inner()) = Some((id, bar));
        })
    });
    Spinner { id, bar, reveal }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(reveal) = self.reveal.take() {
            reveal.abort();
        }
        self.bar.finish_and_clear();
        let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
        if shown.as_ref().is_some_and(|(id, _)| *id == self.id) {
            *shown = None;
        }
    }
}

/// Clears the spinner on screen, if any, for a bar to take its place.
fn hide_spinner() {
    if let Some((_, spinner)) = SHOWN.lock().unwrap_or_else(|e| e.into_inner()).take() {
        spinner.finish_and_clear();
    }
}

/// A bar of `len` steps, drawn at once (each step is a request, so the whole is long
/// enough to watch); hidden off a terminal. Cleared when dropped.
pub struct Bar {
    bar: ProgressBar,
    /// Counted in [`BARS`] while on screen.
    shown: bool,
}

pub fn bar(len: usize, message: impl Into<String>) -> Bar {
    let shown = enabled() && len > 1;
    let target = if shown {
        BARS.fetch_add(1, Ordering::Relaxed);
        hide_spinner();
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message.into());
    Bar { bar, shown }
}

impl Bar {
    pub fn step(&self) {
        self.bar.inc(1);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
        if self.shown {
            BARS.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn off_a_terminal_nothing_is_drawn() {
        // Tests run with stderr captured or piped: never a terminal.
        assert!(!enabled());
        let spinner = spinner("asking");
        assert!(spinner.reveal.is_none());
        assert!(spinner.bar.is_hidden());
        let bar = bar(10, "removing");
        bar.step();
        assert!(bar.bar.is_hidden());
        assert!(!bar.shown);
        assert_eq!(bar.bar.position(), 1);
    }

    #[test]
    fn quiet_turns_progress_off_everywhere() {
        set_quiet(true);
        assert!(!enabled());
        set_quiet(false);
    }
}
