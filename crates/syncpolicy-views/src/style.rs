//! Terminal styles (`anstyle`, the styling crate clap uses), empty when colour is off. The
//! text inside a style is escaped by the caller (`crate::escape`); the style adds only its own
//! escape sequences.

use anstyle::{AnsiColor, Effects};

/// Terminal styles, empty when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colour on (`true`) or off.
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    /// True when this style prints no colour.
    pub fn is_plain(&self) -> bool {
        !self.color
    }

    fn paint(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    pub fn bold(&self, t: &str) -> String {
        self.paint(anstyle::Style::new().effects(Effects::BOLD), t)
    }
    pub fn green(&self, t: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), t)
    }
    pub fn red(&self, t: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint(anstyle::Style::new().effects(Effects::DIMMED), t)
    }
}

/// The width of a text column padded with `{:<width$}`: the widest cell's, at most 65,535 (the
/// most `std::fmt` pads to; a larger width panics). A wider cell is written whole, unpadded, as
/// it would be at any width.
pub fn column_width(cells: impl IntoIterator<Item = usize>) -> usize {
    cells
        .into_iter()
        .max()
        .unwrap_or(0)
        .min(usize::from(u16::MAX))
}
