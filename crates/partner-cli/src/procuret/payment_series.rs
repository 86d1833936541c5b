//! `partner procuret payment-series ...`: the instalment plans behind taken-up links.

use clap::{Args, Subcommand};
use procuret::{Client, EntityId, PaymentSeriesId};

use super::{Window, entity_id};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ExitKind};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/public_id"),
    col("customer", "/customer/legal_entity_name"),
    col("identifier", "/identifier"),
    col("amount", "/amount/magnitude"),
    col("paid", "/sum_payments/magnitude"),
    col("payable", "/total_payable/magnitude"),
    col("created", "/created"),
];

/// `partner procuret payment-series`.
#[derive(Debug, Args)]
pub(crate) struct PaymentSeriesArgs {
    #[command(subcommand)]
    command: PaymentSeriesCommand,
}

#[derive(Debug, Subcommand)]
enum PaymentSeriesCommand {
    /// List payment series, oldest first (20 a page unless --page-size), with filters.
    List(ListSeries),
    /// One payment series, by its id (Procuret has no single-series lookup: this is the list
    /// filtered by id; none is exit 3).
    Get {
        /// The series id.
        id: PaymentSeriesId,
    },
}

#[derive(Debug, Args)]
struct ListSeries {
    #[command(flatten)]
    list: ListArgs,
    /// Only series matching this text anywhere (customer name, identifier...).
    #[arg(long)]
    text: Option<String>,
    /// Only the series of this customer business (entity id).
    #[arg(long, value_parser = entity_id)]
    business_id: Option<EntityId>,
    /// Only series that are (true) or are not (false) paid off.
    #[arg(long)]
    completed: Option<bool>,
    /// Only series that have (true) or have not (false) an overdue instalment.
    #[arg(long)]
    overdue: Option<bool>,
    /// Only series overdue by at least this many days.
    #[arg(long, value_name = "DAYS")]
    min_overdue_days: Option<u32>,
    /// Only series overdue by at most this many days.
    #[arg(long, value_name = "DAYS")]
    max_overdue_days: Option<u32>,
}

pub(crate) async fn run(ctx: &Ctx, client: &Client, args: PaymentSeriesArgs) -> CliResult {
    match args.command {
        PaymentSeriesCommand::List(args) => list(ctx, client, args).await,
        PaymentSeriesCommand::Get { id } => {
            let page = client
                .payment_series()
                .list()
                .public_id(id.clone())
                .limit(1)
                .send()
                .await?;
            let series = page.into_items().into_iter().next().ok_or_else(|| {
                CliError::new(
                    ExitKind::NotFound,
                    format!("no payment series with id {id}"),
                )
            })?;
            ctx.out.record(&series)
        }
    }
}

async fn list(ctx: &Ctx, client: &Client, args: ListSeries) -> CliResult {
    let window = Window::of(&args.list)?;
    let mut list = client.payment_series().list().limit(window.limit);
    if let Some(text) = args.text {
        list = list.text(text);
    }
    if let Some(business) = args.business_id {
        list = list.business_id(business);
    }
    if let Some(completed) = args.completed {
        list = list.completed(completed);
    }
    if let Some(overdue) = args.overdue {
        list = list.has_overdue_instalment(overdue);
    }
    if let Some(days) = args.min_overdue_days {
        list = list.min_overdue_days(days);
    }
    if let Some(days) = args.max_overdue_days {
        list = list.max_overdue_days(days);
    }
    if args.list.all {
        return ctx.out.stream(list.stream(), COLUMNS).await;
    }
    let page = list.offset(window.offset).send().await?;
    ctx.out.page(&window.renumber(page), COLUMNS)
}
