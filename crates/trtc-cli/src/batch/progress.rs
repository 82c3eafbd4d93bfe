//! Progress on stderr: a redrawn bar on a terminal, plain lines (at most one a second) anywhere else.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const BAR_WIDTH: usize = 24;
/// How often the plain-lines mode writes a line while work goes on.
const LINE_EVERY: Duration = Duration::from_secs(1);
/// The rate is shown once this much time has passed: the first answers come faster than the limit allows
/// thereafter, so an early rate says nothing about the time left.
const RATE_AFTER: Duration = Duration::from_millis(500);

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// stderr is a terminal: one line redrawn in place.
    Bar,
    /// stderr is a file or a pipe: a plain line now and then, readable in a CI log.
    Lines,
}

impl Mode {
    pub(super) fn detect() -> Mode {
        if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

#[derive(Debug)]
pub(super) struct Progress {
    mode: Mode,
    total: usize,
    done: usize,
    failed: usize,
    started: Instant,
    last_line: Instant,
    bar_shown: bool,
}

impl Progress {
    pub(super) fn new(mode: Mode, total: usize) -> Progress {
        let now = Instant::now();
        Progress {
            mode,
            total,
            done: 0,
            failed: 0,
            started: now,
            last_line: now,
            bar_shown: false,
        }
    }

    pub(super) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// A message of its own line (a failed room, a warning), kept above the bar.
    pub(super) fn note(&mut self, message: &str) {
        let mut err = std::io::stderr().lock();
        if self.bar_shown {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "{message}");
        if self.mode == Mode::Bar && self.bar_shown {
            let _ = write!(err, "{}", self.bar());
        }
        let _ = err.flush();
    }

    /// One more room finished (`failed` when it was not dismissed nor already gone).
    pub(super) fn advance(&mut self, failed: bool) {
        self.done += 1;
        if failed {
            self.failed += 1;
        }
        self.tick();
    }

    /// Redraws the bar, or writes a line when one is due.
    pub(super) fn tick(&mut self) {
        match self.mode {
            Mode::Bar => {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{}", self.bar());
                let _ = err.flush();
                self.bar_shown = true;
            }
            Mode::Lines => {
                if self.last_line.elapsed() >= LINE_EVERY && self.done < self.total {
                    self.last_line = Instant::now();
                    let _ = writeln!(std::io::stderr(), "{}", self.line());
                }
            }
        }
    }

    /// The last state, then the cursor on a fresh line.
    pub(super) fn finish(&mut self) {
        let mut err = std::io::stderr().lock();
        let _ = match self.mode {
            Mode::Bar => writeln!(err, "\r\x1b[2K{}", self.bar()),
            Mode::Lines => writeln!(err, "{}", self.line()),
        };
        self.bar_shown = false;
    }

    /// Rooms per second so far, once there is enough to say.
    fn rate(&self) -> Option<f64> {
        let elapsed = self.started.elapsed();
        (elapsed >= RATE_AFTER || self.done >= self.total).then(|| self.done as f64 / elapsed.as_secs_f64().max(1e-3))
    }

    fn rate_text(&self) -> String {
        match self.rate() {
            Some(rate) => format!("{rate:.1}"),
            None => "-".to_owned(),
        }
    }

    fn left(&self) -> String {
        if self.done >= self.total {
            return "0s".to_owned();
        }
        match self.rate() {
            Some(rate) if self.done > 0 && rate > 0.0 => {
                duration(Duration::from_secs_f64((self.total - self.done) as f64 / rate))
            }
            _ => "?".to_owned(),
        }
    }

    fn failed_part(&self) -> String {
        match self.failed {
            0 => String::new(),
            n => format!(", {n} failed"),
        }
    }

    fn bar(&self) -> String {
        let filled = (self.done * BAR_WIDTH).checked_div(self.total).unwrap_or(BAR_WIDTH);
        let mut bar = "=".repeat(filled);
        if filled < BAR_WIDTH {
            bar.push('>');
            bar.push_str(&" ".repeat(BAR_WIDTH - filled - 1));
        }
        format!(
            "[{bar}] {}/{} rooms{}  {} rooms/s  {} left",
            self.done,
            self.total,
            self.failed_part(),
            self.rate_text(),
            self.left()
        )
    }

    fn line(&self) -> String {
        let percent = (self.done * 100).checked_div(self.total).unwrap_or(100);
        format!(
            "progress: {}/{} rooms ({percent}%){}, {} rooms/s, {} left",
            self.done,
            self.total,
            self.failed_part(),
            self.rate_text(),
            self.left()
        )
    }
}

/// `42s`, `3m07s`, `1h02m`.
pub(crate) fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..=59 => format!("{}s", secs.max(u64::from(d.as_millis() > 0 && secs == 0))),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(Duration::from_millis(300)), "1s");
        assert_eq!(duration(Duration::ZERO), "0s");
        assert_eq!(duration(Duration::from_secs(42)), "42s");
        assert_eq!(duration(Duration::from_secs(187)), "3m07s");
        assert_eq!(duration(Duration::from_secs(3720)), "1h02m");
    }

    #[test]
    fn the_bar_fills_with_the_rooms_done() {
        let mut progress = Progress::new(Mode::Lines, 4);
        assert_eq!(
            progress.bar(),
            "[>                       ] 0/4 rooms  - rooms/s  ? left"
        );
        progress.done = 2;
        progress.failed = 1;
        let bar = progress.bar();
        assert!(
            bar.starts_with("[============>           ] 2/4 rooms, 1 failed  "),
            "{bar}"
        );
        assert!(bar.ends_with(" left"), "{bar}");
        progress.done = 4;
        assert!(progress.bar().starts_with("[========================] 4/4 rooms"));
        assert!(progress.line().starts_with("progress: 4/4 rooms (100%), 1 failed, "));
    }
}
