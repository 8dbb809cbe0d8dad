//! Integration tests of the Rules Editor PowerShell crate: golden files written from the
//! export grammar, bad input, the write-then-read property, and plans.

mod bad_input;
mod golden;
mod plan;
mod roundtrip;
mod support;
