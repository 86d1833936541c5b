//! `partner pax8 ...`: the Pax8 Partner API, one module per resource.

mod companies;
mod contacts;
mod invoices;
mod listing;
mod orders;
mod products;
mod quotes;
mod subscriptions;
mod usage;
mod webhooks;

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
    /// Subscriptions: list, get, history, update, cancel.
    Subscriptions(subscriptions::SubscriptionsArgs),
    /// Metered usage of usage-based subscriptions: summaries and daily lines.
    Usage(usage::UsageArgs),
    /// Pax8's invoices to you: list, get, items, and the draft of the next one.
    Invoices(invoices::InvoicesArgs),
    /// Quotes to your clients: list, get, create, update, send, delete, line items, sharing.
    Quotes(quotes::QuotesArgs),
    /// Webhooks: where Pax8 sends change events; create, update, test, delivery logs.
    Webhooks(webhooks::WebhooksArgs),
}

pub(crate) async fn run(ctx: &Ctx, args: Pax8Args) -> CliResult {
    let client = ctx.pax8()?;
    match args.command {
        Pax8Command::Companies(args) => companies::run(ctx, &client, args).await,
        Pax8Command::Contacts(args) => contacts::run(ctx, &client, args).await,
        Pax8Command::Products(args) => products::run(ctx, &client, args).await,
        Pax8Command::Orders(args) => orders::run(ctx, &client, args).await,
        Pax8Command::Subscriptions(args) => subscriptions::run(ctx, &client, args).await,
        Pax8Command::Usage(args) => usage::run(ctx, &client, args).await,
        Pax8Command::Invoices(args) => invoices::run(ctx, &client, args).await,
        Pax8Command::Quotes(args) => quotes::run(ctx, &client, args).await,
        Pax8Command::Webhooks(args) => webhooks::run(ctx, &client, args).await,
    }
}
