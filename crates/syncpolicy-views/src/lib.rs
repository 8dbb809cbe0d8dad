//! The presentation layer: view models of every report the tool prints, and their renderers
//! (text, markdown, JSON, HTML), shared by every front end.

pub mod impact;
pub mod redact;
pub mod simulate;
