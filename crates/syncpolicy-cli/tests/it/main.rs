//! Integration tests of the syncpolicy binary.

mod show;
mod support;
mod tidy;
mod migrate;
mod diff;
mod install;
mod deployment;
mod changes;
