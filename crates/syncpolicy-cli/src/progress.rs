//! Progress on standard error (`indicatif`): a spinner naming the phase (reading a file with its
//! size, validating, comparing, migrating, simulating with a count of objects, installing),
//! cleared when the phase ends. Shown only when standard error is a terminal and `--quiet` is
//! not given; otherwise no bar exists at all, so updates cost one branch.

use crate::context::Context;
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::borrow::Cow;
use std::io::IsTerminal;
use std::time::Duration;

/// How often a spinner redraws while its phase runs.
const TICK: Duration = Duration::from_millis(120);

/// True when progress is shown: standard error is a terminal and `--quiet` was not given.
pub(crate) fn shown(ctx: &Context) -> bool {
    !ctx.quiet && std::io::stderr().is_terminal()
}

/// A phase's progress display; dropping it clears the line.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Nothing shown.
    pub(crate) fn none() -> Self {
        Progress { bar: None }
    }

    /// A spinner with the phase's name, e.g. `validating contoso.json`.
    pub(crate) fn spinner(ctx: &Context, phase: impl Into<Cow<'static, str>>) -> Self {
        Self::start(ctx, phase.into(), "{spinner} {msg} ({elapsed})")
    }

    /// A spinner for reading a file, with its size.
    pub(crate) fn reading(ctx: &Context, path: &std::path::Path) -> Self {
        if !shown(ctx) {
            return Self::none();
        }
        let shown_path = syncpolicy_views::escape::text(&path.display().to_string()).into_owned();
        let phase = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => format!("reading {shown_path} ({})", HumanBytes(m.len())),
            _ => format!("reading {shown_path}"),
        };
        Self::spinner(ctx, phase)
    }

    /// A spinner with a running count, e.g. `simulating: 120000 objects`.
    pub(crate) fn counter(ctx: &Context, phase: impl Into<Cow<'static, str>>, unit: &str) -> Self {
        // The unit is the program's own word; braces would be template syntax.
        let unit: String = unit.chars().filter(|c| !matches!(c, '{' | '}')).collect();
        Self::start(
            ctx,
            phase.into(),
            &format!("{{spinner}} {{msg}}: {{human_pos}} {unit} ({{elapsed}})"),
        )
    }

    fn start(ctx: &Context, phase: Cow<'static, str>, template: &str) -> Self {
        if !shown(ctx) {
            return Self::none();
        }
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(phase);
        // Drawn at once (a short phase shows it briefly), then kept moving while the phase runs.
        bar.tick();
        bar.enable_steady_tick(TICK);
        Progress { bar: Some(bar) }
    }

    /// Adds `n` to the count.
    pub(crate) fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Runs `f` (which prints on standard error) with the spinner hidden, then shows it again.
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Names the next phase on the same line.
    pub(crate) fn phase(&self, phase: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.bar {
            bar.set_message(phase);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
