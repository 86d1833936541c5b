//! `partner pax8 ...`: the Pax8 Partner API, one module per resource.

mod body_file;
mod companies;
mod contacts;
mod orders;
mod products;

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
    /// Contacts of a company: list, get, create, update, delete.
    Contacts(contacts::ContactsArgs),
    /// The product catalogue: list, get, provisioning details, dependencies, pricing.
    Products(products::ProductsArgs),
    /// Orders: list, get, create (--dry-run: Pax8 validates the order without placing it).
    Orders(orders::OrdersArgs),
}

pub(crate) async fn run(ctx: &Ctx, args: Pax8Args) -> CliResult {
    let client = ctx.pax8()?;
    match args.command {
        Pax8Command::Companies(args) => companies::run(ctx, &client, args).await,
        Pax8Command::Contacts(args) => contacts::run(ctx, &client, args).await,
        Pax8Command::Products(args) => products::run(ctx, &client, args).await,
        Pax8Command::Orders(args) => orders::run(ctx, &client, args).await,
    }
}
