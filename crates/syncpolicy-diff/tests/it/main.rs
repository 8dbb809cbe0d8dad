//! Integration tests of the diff crate: properties over samples and generated configurations,
//! and one crafted pair per change kind.

mod cases;
mod properties;
mod support;
