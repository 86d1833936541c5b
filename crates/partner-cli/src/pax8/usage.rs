//! `partner pax8 usage ...`: usage summaries (a month of metered usage per resource group) and
//! their daily usage lines.

use clap::{Args, Subcommand, ValueEnum};
use pax8::{CompanyId, ProductId, SubscriptionId, UsageSummaryId, UsageSummarySort};

use super::listing;
use crate::arg_values::date;
use crate::context::Ctx;
use crate::exit::CliResult;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const SUMMARY_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("resource group", "/resourceGroup"),
    col("vendor", "/vendorName"),
    col("charges", "/currentCharges"),
    col("partner total", "/partnerTotal"),
    col("currency", "/currencyCode"),
    col("trial", "/isTrial"),
];

const LINE_COLUMNS: &[Column] = &[
    col("date", "/usageDate"),
    col("product", "/productName"),
    col("unit", "/unitOfMeasure"),
    col("quantity", "/quantity"),
    col("unit price", "/unitPrice"),
    col("charges", "/currentCharges"),
    col("partner total", "/partnerTotal"),
    col("currency", "/currencyCode"),
];

/// `partner pax8 usage`.
#[derive(Debug, Args)]
pub(crate) struct UsageArgs {
    #[command(subcommand)]
    command: UsageCommand,
}

#[derive(Debug, Subcommand)]
enum UsageCommand {
    /// The usage summaries of a usage-based subscription: this month's charges per resource group.
    Summaries(ListSummaries),
    /// One usage summary.
    Summary {
        /// The usage summary's id (from `usage summaries`).
        id: UsageSummaryId,
    },
    /// The usage lines of a summary for one day: what each product used and cost.
    ///
    /// Pax8 requires the day (`usageDate`): there is no "every day" listing, so walk the days of
    /// the month with one call each.
    Lines(ListLines),
}

#[derive(Debug, Args)]
struct ListSummaries {
    /// The subscription whose usage to list.
    #[arg(long)]
    subscription_id: SubscriptionId,
    #[command(flatten)]
    list: ListArgs,
    /// Only this resource group (as Pax8 names it, `Production`).
    #[arg(long)]
    resource_group: Option<String>,
    /// Only this company's summaries.
    #[arg(long)]
    company_id: Option<CompanyId>,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SummarySort>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SummarySort {
    ResourceGroup,
    CurrentCharges,
    PartnerTotal,
}

impl From<SummarySort> for UsageSummarySort {
    fn from(field: SummarySort) -> Self {
        match field {
            SummarySort::ResourceGroup => UsageSummarySort::ResourceGroup,
            SummarySort::CurrentCharges => UsageSummarySort::CurrentCharges,
            SummarySort::PartnerTotal => UsageSummarySort::PartnerTotal,
        }
    }
}

#[derive(Debug, Args)]
struct ListLines {
    /// The usage summary's id (from `usage summaries`).
    summary_id: UsageSummaryId,
    /// The day, YYYY-MM-DD (required by Pax8).
    #[arg(long, value_parser = date)]
    usage_date: time::Date,
    /// Only this product's lines.
    #[arg(long)]
    product_id: Option<ProductId>,
    #[command(flatten)]
    list: ListArgs,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: UsageArgs) -> CliResult {
    match args.command {
        UsageCommand::Summaries(args) => summaries(ctx, client, args).await,
        UsageCommand::Summary { id } => ctx
            .out
            .record(&client.usage_summaries().get(id).send().await?),
        UsageCommand::Lines(args) => lines(ctx, client, args).await,
    }
}

async fn summaries(ctx: &Ctx, client: &pax8::Client, args: ListSummaries) -> CliResult {
    let mut list = client
        .usage_summaries()
        .for_subscription(args.subscription_id);
    if let Some(field) = args.sort {
        let direction = listing::direction(args.desc);
        list = list.sort(field.into(), direction);
    }
    if let Some(group) = args.resource_group {
        list = list.resource_group(group);
    }
    if let Some(id) = args.company_id {
        list = list.company_id(id);
    }
    listing::print(ctx, list, &args.list, SUMMARY_COLUMNS).await
}

async fn lines(ctx: &Ctx, client: &pax8::Client, args: ListLines) -> CliResult {
    let mut list = client
        .usage_summaries()
        .usage_lines(args.summary_id, args.usage_date);
    if let Some(id) = args.product_id {
        list = list.product_id(id);
    }
    listing::print(ctx, list, &args.list, LINE_COLUMNS).await
}
