//! Integration tests of the syncpolicy binary.

mod apply;
mod changes;
mod deployment;
mod diff;
mod expr;
mod faults;
mod help;
mod install;
mod migrate;
mod show;
mod support;
mod tidy;
mod validate;
