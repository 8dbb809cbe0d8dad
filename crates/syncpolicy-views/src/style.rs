//! ANSI styles for terminal text, empty when colour is off. The text inside a style is
//! escaped by the caller (`crate::escape`); the style adds only its own escape sequences.

/// ANSI styles, empty when colour is off.
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

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    pub fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    pub fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    pub fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    pub fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
}
