//! `partner procuret ...`.

use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner procuret`.
#[derive(Debug, Args)]
pub(crate) struct ProcuretArgs {
    #[command(subcommand)]
    command: ProcuretCommand,
}

#[derive(Debug, Subcommand)]
enum ProcuretCommand {}

pub(crate) async fn run(_ctx: &Ctx, args: ProcuretArgs) -> CliResult {
    match args.command {}
}
