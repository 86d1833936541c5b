//! `partner paypal ...`.

use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner paypal`.
#[derive(Debug, Args)]
pub(crate) struct PaypalArgs {
    #[command(subcommand)]
    command: PaypalCommand,
}

#[derive(Debug, Subcommand)]
enum PaypalCommand {}

pub(crate) async fn run(_ctx: &Ctx, args: PaypalArgs) -> CliResult {
    match args.command {}
}
