//! Phase timings for profiling a command (`SYNCPOLICY_TIMINGS=1`): each phase records its
//! start and end (milliseconds since the first phase of the process, on any thread), and the
//! command prints them on stderr when it ends. Off (nothing recorded) unless the variable is
//! set.

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The environment variable that turns the timings on.
pub const TIMINGS_ENV: &str = "SYNCPOLICY_TIMINGS";

/// One phase: its name, start and end in milliseconds since the process's first phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// What ran (`read source`, `validate`, ...).
    pub name: &'static str,
    /// Start, ms.
    pub start: f64,
    /// End, ms.
    pub end: f64,
    /// The process's resident memory when the phase ended, in MB (Linux only: `None` where
    /// `/proc/self/statm` cannot be read). What each phase holds, and what new memory it
    /// touched, which costs time of its own on some machines.
    pub resident_mb: Option<f64>,
}

/// The process's resident memory in MB, from `/proc/self/statm` (its second field, in pages,
/// counted as 4 KiB: the page size of Linux on x86-64 and of most arm64 kernels; a kernel with
/// larger pages shows less than the process holds).
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1_048_576.0)
}

fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

fn log() -> &'static Mutex<Vec<Phase>> {
    static LOG: Mutex<Vec<Phase>> = Mutex::new(Vec::new());
    &LOG
}

/// True when timings are recorded.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os(TIMINGS_ENV).is_some_and(|v| !v.is_empty() && v != "0"))
}

/// A phase being timed: recorded when dropped.
#[derive(Debug)]
pub struct Timer {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing `name` (does nothing unless [`enabled`]).
pub fn phase(name: &'static str) -> Timer {
    Timer {
        name,
        start: enabled().then(|| {
            let _ = origin();
            Instant::now()
        }),
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            let o = origin();
            let ms = |t: Instant| t.saturating_duration_since(o).as_secs_f64() * 1e3;
            let p = Phase {
                name: self.name,
                start: ms(start),
                end: ms(Instant::now()),
                resident_mb: resident_mb(),
            };
            if let Ok(mut l) = log().lock() {
                l.push(p);
            }
        }
    }
}

/// The phases recorded so far (in the order they ended), emptied.
pub fn take() -> Vec<Phase> {
    log()
        .lock()
        .map(|mut l| std::mem::take(&mut *l))
        .unwrap_or_default()
}
