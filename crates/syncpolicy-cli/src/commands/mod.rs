//! The command table: one module per subcommand, each with `<Name>Args` and `run`.

pub(crate) mod apply;
pub(crate) mod completions;
pub(crate) mod connector;
pub(crate) mod diff;
pub(crate) mod directory;
pub(crate) mod export;
pub(crate) mod expr;
pub(crate) mod feature;
pub(crate) mod generate;
pub(crate) mod history;
pub(crate) mod identity;
pub(crate) mod impact;
pub(crate) mod install;
pub(crate) mod interface;
pub(crate) mod man;
pub(crate) mod migrate;
pub(crate) mod ou;
pub(crate) mod partition;
pub(crate) mod plan;
pub(crate) mod prune;
pub(crate) mod rule;
pub(crate) mod runprofile;
pub(crate) mod scheduler;
pub(crate) mod schema;
pub(crate) mod show;
pub(crate) mod signin;
pub(crate) mod simulate;
pub(crate) mod staging;
pub(crate) mod validate;
pub(crate) mod verify;

#[cfg(test)]
mod help_tests;

use crate::context::{Context, DeploymentArgs, GlobalArgs};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Synchronization settings management for Entra Connect-style directory sync servers.
///
/// Catalog, show, validate, compare, migrate and import the complete configuration of a
/// synchronization server.
///
/// A SOURCE is a settings file, a folder of snapshots (the newest is read), a legacy
/// Exported-ServerConfiguration-* folder, or a snapshot of the deployment: @latest, @~N
/// (N changes before the latest) or @<timestamp prefix>.
///
/// Exit codes: 0 success or no differences; 1 differences or error-level findings; 2 the
/// command could not do its job.
#[derive(Debug, Parser)]
#[command(name = "syncpolicy", bin_name = "syncpolicy", version)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show a readable summary of a configuration: sign-in, identity mapping, features, directories with their partitions and OU filters, rule counts and custom rules.
    Show(show::ShowArgs),
    /// Check settings files before they are imported: every finding with its code, place and what to do.
    Validate(validate::ValidateArgs),
    /// Compare two configurations: what changed, classified, with an exit code for CI.
    Diff(diff::DiffArgs),
    /// Plan the way from a server's current configuration to a desired one: a safe apply script in PowerShell, or the steps as text.
    Plan(plan::PlanArgs),
    /// Turn a legacy Exported-ServerConfiguration-* folder into a settings file.
    Migrate(migrate::MigrateArgs),
    /// Create a deployment: express settings, or import a settings file (--import) or a legacy folder (--migrate).
    Install(install::InstallArgs),
    /// Write the deployment's current configuration to a folder (disaster recovery).
    Export(export::ExportArgs),
    /// List the deployment's changes, newest first.
    History(history::HistoryArgs),
    /// Check after installation that the deployment matches the settings file it was imported from.
    Verify(verify::VerifyArgs),
    /// Turn staging mode on or off.
    Staging(staging::StagingArgs),
    /// Add, remove or list on-premises directories (AD forests).
    Directory(directory::DirectoryArgs),
    /// Add, select or deselect domain partitions; preferred domain controllers.
    Partition(partition::PartitionArgs),
    /// OU filtering: include, exclude or clear containers.
    Ou(ou::OuArgs),
    /// Object types and attributes a connector imports.
    Connector(connector::ConnectorArgs),
    /// Sign-in method, password hash sync and seamless single sign-on.
    Signin(signin::SigninArgs),
    /// Optional features: writeback, Exchange hybrid, group filtering, directory extensions, app filtering, deletion threshold.
    Feature(feature::FeatureArgs),
    /// Source anchor, user principal name and user matching.
    Identity(identity::IdentityArgs),
    /// Sync cycle interval and whether the scheduler runs.
    Scheduler(scheduler::SchedulerArgs),
    /// Run profiles and their steps per connector.
    Runprofile(runprofile::RunprofileArgs),
    /// The rules editor: list, show, add, edit, enable, disable, clone, delete, move rules.
    Rule(rule::RuleArgs),
    /// Parse, check and evaluate declarative-provisioning expressions.
    Expr(expr::ExprArgs),
    /// Write a sample or a generated large configuration (for trials, tests and benchmarks).
    Generate(generate::GenerateArgs),
    /// Make the deployment equal to a settings file, a legacy folder or one of its snapshots (@~N: a rollback) as one change.
    Apply(apply::ApplyArgs),
    /// Remove old automatic exports by a retention rule (never the newest).
    Prune(prune::PruneArgs),
    /// Run a configuration's filters and rules over exported directory objects: what each object becomes in the metaverse and in Entra ID.
    Simulate(simulate::SimulateArgs),
    /// Compare what two configurations do to the same directory objects: Entra adds, deletes and updates, the deletion threshold, the runs needed.
    Impact(impact::ImpactArgs),
    /// List every command and the values its --format accepts, as JSON (for tests and tooling).
    #[command(hide = true)]
    Interface(interface::InterfaceArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff) of syncpolicy or of one of its commands.
    Man(man::ManArgs),
    /// Print the JSON Schema (draft 2020-12) of the settings file, for editors.
    Schema(schema::SchemaArgs),
}

impl Command {
    /// The deployment options of a command that opens a deployment; `None` for the commands
    /// that never do (files in, files out).
    pub(crate) fn deployment(&self) -> Option<&DeploymentArgs> {
        match self {
            Command::Show(a) => Some(&a.deployment),
            Command::Validate(a) => Some(&a.deployment),
            Command::Diff(a) => Some(&a.deployment),
            Command::Plan(a) => Some(&a.deployment),
            Command::Install(a) => Some(&a.deployment),
            Command::Export(a) => Some(&a.deployment),
            Command::History(a) => Some(&a.deployment),
            Command::Verify(a) => Some(&a.deployment),
            Command::Staging(a) => Some(&a.deployment),
            Command::Directory(a) => Some(&a.deployment),
            Command::Partition(a) => Some(&a.deployment),
            Command::Ou(a) => Some(&a.deployment),
            Command::Connector(a) => Some(&a.deployment),
            Command::Signin(a) => Some(&a.deployment),
            Command::Feature(a) => Some(&a.deployment),
            Command::Identity(a) => Some(&a.deployment),
            Command::Scheduler(a) => Some(&a.deployment),
            Command::Runprofile(a) => Some(&a.deployment),
            Command::Rule(a) => Some(&a.deployment),
            Command::Apply(a) => Some(&a.deployment),
            Command::Prune(a) => Some(&a.deployment),
            Command::Simulate(a) => Some(&a.deployment),
            Command::Impact(a) => Some(&a.deployment),
            Command::Migrate(_)
            | Command::Expr(_)
            | Command::Generate(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Schema(_)
            | Command::Interface(_) => None,
        }
    }
}

pub(crate) fn run(command: &Command, ctx: &Context) -> anyhow::Result<ExitCode> {
    match command {
        Command::Show(args) => show::run(args, ctx),
        Command::Validate(args) => validate::run(args, ctx),
        Command::Diff(args) => diff::run(args, ctx),
        Command::Plan(args) => plan::run(args, ctx),
        Command::Migrate(args) => migrate::run(args, ctx),
        Command::Install(args) => install::run(args, ctx),
        Command::Export(args) => export::run(args, ctx),
        Command::History(args) => history::run(args, ctx),
        Command::Verify(args) => verify::run(args, ctx),
        Command::Staging(args) => staging::run(args, ctx),
        Command::Directory(args) => directory::run(args, ctx),
        Command::Partition(args) => partition::run(args, ctx),
        Command::Ou(args) => ou::run(args, ctx),
        Command::Connector(args) => connector::run(args, ctx),
        Command::Signin(args) => signin::run(args, ctx),
        Command::Feature(args) => feature::run(args, ctx),
        Command::Identity(args) => identity::run(args, ctx),
        Command::Scheduler(args) => scheduler::run(args, ctx),
        Command::Runprofile(args) => runprofile::run(args, ctx),
        Command::Rule(args) => rule::run(args, ctx),
        Command::Expr(args) => expr::run(args, ctx),
        Command::Generate(args) => generate::run(args, ctx),
        Command::Apply(args) => apply::run(args, ctx),
        Command::Prune(args) => prune::run(args, ctx),
        Command::Simulate(args) => simulate::run(args, ctx),
        Command::Impact(args) => impact::run(args, ctx),
        Command::Interface(args) => interface::run(args),
        Command::Completions(args) => completions::run(args, ctx),
        Command::Man(args) => man::run(args, ctx),
        Command::Schema(args) => schema::run(args, ctx),
    }
}
