//! Integration tests of the syncpolicy binary.

mod changes;
mod deployment;
mod diff;
mod expr;
mod generate;
mod help;
mod install;
mod migrate;
mod show;
mod simulate;
mod support;
mod tidy;
mod validate;
