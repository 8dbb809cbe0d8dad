//! Realistic sample configurations and a deterministic generator of large ones, for the shipped
//! `samples/`, tests and benchmarks. Built from the documented out-of-box rule set; no I/O.

pub mod catalogue;
pub mod generate;
mod rng;
pub mod samples;
