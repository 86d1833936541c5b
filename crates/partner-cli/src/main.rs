//! `partner`: one command-line tool over the Pax8, PayPal partner, Procuret and Leanpub affiliate
//! clients, built only on their public APIs.
//!
//! ```text
//! partner --sandbox pax8 companies list
//! partner --sandbox paypal referral create --tracking-id seller-42 --return-url https://example.com/done
//! partner --json pax8 subscriptions list --all | jq .status
//! ```
//!
//! Every command prints a table by default and JSON with `--json`, reads credentials from the same
//! variables as each crate's `from_env` (or a profile, `partner config set`), and ends with an exit
//! code that says what kind of failure it was (`partner --help`). docs/cli.md lists every command.

mod arg_values;
mod cli;
mod config_cmd;
mod context;
mod exit;
mod input;
mod leanpub;
mod list_args;
mod output;
mod pax8;
mod paypal;
mod procuret;
mod profile;
mod reasons;
mod sandbox_cmd;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command, Global};
use crate::context::Ctx;
use crate::exit::CliResult;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}

async fn run(cli: Cli) -> CliResult {
    let global = cli.global;
    match cli.command {
        Command::Pax8(args) => with_ctx(&global, async |ctx| pax8::run(ctx, args).await).await,
        Command::Paypal(args) => with_ctx(&global, async |ctx| paypal::run(ctx, args).await).await,
        Command::Procuret(args) => {
            with_ctx(&global, async |ctx| procuret::run(ctx, args).await).await
        }
        Command::Leanpub(args) => {
            with_ctx(&global, async |ctx| leanpub::run(ctx, args).await).await
        }
        Command::Config(args) => {
            with_ctx(&global, async |ctx| config_cmd::run(ctx, args).await).await
        }
        // Neither needs credentials nor the in-process sandbox.
        Command::Sandbox(args) => sandbox_cmd::run(Output::new(global.json), args).await,
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "partner", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// Runs a command with its context, and stops the in-process sandbox after it, whatever happened.
async fn with_ctx(global: &Global, command: impl AsyncFnOnce(&Ctx) -> CliResult) -> CliResult {
    let ctx = Ctx::new(global).await?;
    let result = command(&ctx).await;
    ctx.finish().await;
    result
}
