//! Unknown fields kept verbatim so that nothing a newer product version adds is lost.

/// One field that the reader did not know, kept as opaque text in its source format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreservedField {
    /// The key exactly as spelled in the source.
    pub key: String,
    /// The value as compact text in the source's own format (JSON for settings files).
    pub raw: String,
    /// Position among the known fields: the field was found before the known field with this
    /// index in the writer's canonical order (or after all known fields when the index is past
    /// the end). Writers use it to put the field back where it was.
    pub before_known: usize,
}

/// The unknown fields of one object, in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Preserved(pub Vec<PreservedField>);

impl Preserved {
    /// True when nothing was preserved.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fields that go before the known field with canonical index `index`.
    pub fn before(&self, index: usize) -> impl Iterator<Item = &PreservedField> {
        self.0.iter().filter(move |f| f.before_known == index)
    }

    /// Fields positioned after the last of `known_count` known fields.
    pub fn trailing(&self, known_count: usize) -> impl Iterator<Item = &PreservedField> {
        self.0.iter().filter(move |f| f.before_known >= known_count)
    }

    /// Adds a field.
    pub fn push(&mut self, key: impl Into<String>, raw: impl Into<String>, before_known: usize) {
        self.0.push(PreservedField {
            key: key.into(),
            raw: raw.into(),
            before_known,
        });
    }
}
