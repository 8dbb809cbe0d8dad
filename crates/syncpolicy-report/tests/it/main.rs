//! Integration tests of the diagnostic renderers: text with excerpts, JSON and SARIF.

mod render;
