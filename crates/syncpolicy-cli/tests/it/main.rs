//! Integration tests of the syncpolicy binary.

mod apply;
mod architecture;
mod changes;
mod checked;
mod control;
mod deployment;
mod diff;
mod expr;
mod faults;
mod generate;
mod help;
mod hostile_json;
mod install;
mod json_output;
mod legacy_folders;
mod messages;
mod migrate;
mod powershell;
mod report;
mod schema;
mod show;
mod simulate;
mod support;
mod terminal;
mod tidy;
mod validate;
