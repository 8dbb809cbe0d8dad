//! Integration tests of the syncpolicy binary.

mod changes;
mod deployment;
mod diff;
mod expr;
mod help;
mod hostile_json;
mod install;
mod migrate;
mod show;
mod support;
mod tidy;
mod validate;
