//! Integration tests of the syncpolicy binary.

mod show;
mod support;
mod tidy;
