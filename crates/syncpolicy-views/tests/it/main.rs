//! Integration tests of the presentation layer.

mod control;
mod document;
mod flows;
