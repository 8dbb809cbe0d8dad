//! Entry point of the `syncpolicy` binary: parses the command line and dispatches.

mod change;
mod codes;
mod commands;
mod context;
mod deployment;
mod errors;
mod exit;
mod output;
mod progress;
mod prompt;
mod source;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the simulation allocates many small values per object; glibc's allocator spent a
/// fifth of `simulate`'s time in malloc/free (docs/performance.md, offline simulation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    let ctx = context::Context::new(&cli.global, cli.command.deployment());
    match commands::run(&cli.command, &ctx) {
        Ok(code) => code,
        // A change that changes nothing is not a failure: the one wording, exit 0.
        Err(err)
            if matches!(
                err.downcast_ref::<syncpolicy_store::StoreError>(),
                Some(syncpolicy_store::StoreError::Unchanged { .. })
            ) =>
        {
            println!("{err}");
            ExitCode::from(exit::OK)
        }
        Err(err) => {
            ctx.print_error(&err);
            ExitCode::from(exit::ERROR)
        }
    }
}
