//! `partner pax8 ...`: the Pax8 Partner API, one module per resource.

mod companies;

use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner pax8`.
#[derive(Debug, Args)]
pub(crate) struct Pax8Args {
    #[command(subcommand)]
    command: Pax8Command,
}

#[derive(Debug, Subcommand)]
enum Pax8Command {
    /// Companies (your customers): list, get, create, update.
    Companies(companies::CompaniesArgs),
}

pub(crate) async fn run(ctx: &Ctx, args: Pax8Args) -> CliResult {
    let client = ctx.pax8()?;
    match args.command {
        Pax8Command::Companies(args) => companies::run(ctx, &client, args).await,
    }
}
