//! `partner leanpub ...`.

use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner leanpub`.
#[derive(Debug, Args)]
pub(crate) struct LeanpubArgs {
    #[command(subcommand)]
    command: LeanpubCommand,
}

#[derive(Debug, Subcommand)]
enum LeanpubCommand {}

pub(crate) async fn run(_ctx: &Ctx, args: LeanpubArgs) -> CliResult {
    match args.command {}
}
