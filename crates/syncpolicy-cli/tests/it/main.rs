//! Integration tests of the syncpolicy binary.

mod changes;
mod deployment;
mod diff;
mod expr;
mod help;
mod install;
mod migrate;
mod powershell;
mod show;
mod support;
mod tidy;
mod validate;
