//! `partner pax8 subscriptions ...`.

use clap::{Args, Subcommand, ValueEnum};
use pax8::{
    BillingTerm, CompanyId, Decimal, ProductId, SubscriptionId, SubscriptionSort,
    SubscriptionStatus, SubscriptionUpdate,
};

use super::listing;
use crate::arg_values::{date, known};
use crate::context::Ctx;
use crate::exit::CliResult;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("product", "/productName"),
    col("company", "/companyId"),
    col("quantity", "/quantity"),
    col("status", "/status"),
    col("term", "/billingTerm"),
    col("price", "/price"),
    col("start", "/startDate"),
    col("end", "/endDate"),
];

const HISTORY_COLUMNS: &[Column] = &[
    col("updated", "/updatedDate"),
    col("status", "/status"),
    col("quantity", "/quantity"),
    col("term", "/billingTerm"),
    col("price", "/price"),
    col("start", "/startDate"),
    col("end", "/endDate"),
];

/// `partner pax8 subscriptions`.
#[derive(Debug, Args)]
pub(crate) struct SubscriptionsArgs {
    #[command(subcommand)]
    command: SubscriptionsCommand,
}

#[derive(Debug, Subcommand)]
enum SubscriptionsCommand {
    /// List subscriptions, with filters and a sort.
    List(ListSubscriptions),
    /// One subscription (the only call that shows `vendorSkuId`).
    Get {
        /// The subscription's id.
        id: SubscriptionId,
    },
    /// Every version of a subscription, one row per change Pax8 recorded (newest first on the
    /// simulator).
    History {
        /// The subscription's id.
        id: SubscriptionId,
    },
    /// Change a subscription's quantity, price, billing term or dates (only the flags given are
    /// sent); prints the subscription as Pax8 answers it.
    ///
    /// Pax8 refuses changes to future-dated subscriptions, and a quantity decrease during a
    /// commitment.
    Update(UpdateSubscription),
    /// Cancel a subscription.
    ///
    /// At Pax8 a cancellation ends the subscription and deprovisions the product at the vendor
    /// when it takes effect: the subscription becomes `Cancelled`, or `PendingCancel` when its
    /// commitment does not allow early cancellation (it then ends with the commitment). Pax8
    /// answers with no body, so the subscription is read back and printed as it is after the
    /// request.
    Cancel {
        /// The subscription's id.
        id: SubscriptionId,
        /// The day the cancellation takes effect, YYYY-MM-DD (sent as midnight UTC); default: as
        /// soon as Pax8 allows.
        #[arg(long, value_parser = date)]
        date: Option<time::Date>,
    },
}

#[derive(Debug, Args)]
struct ListSubscriptions {
    #[command(flatten)]
    list: ListArgs,
    /// Only the subscriptions of this company.
    #[arg(long)]
    company_id: Option<CompanyId>,
    /// Only the subscriptions of this product.
    #[arg(long)]
    product_id: Option<ProductId>,
    /// Only subscriptions with this status.
    #[arg(long, value_parser = known::<SubscriptionStatus>)]
    status: Option<SubscriptionStatus>,
    /// Only subscriptions billed per this term.
    #[arg(long, value_parser = known::<BillingTerm>)]
    billing_term: Option<BillingTerm>,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SortField>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortField {
    Quantity,
    StartDate,
    EndDate,
    CreatedDate,
    BillingStart,
    Price,
}

impl From<SortField> for SubscriptionSort {
    fn from(field: SortField) -> Self {
        match field {
            SortField::Quantity => SubscriptionSort::Quantity,
            SortField::StartDate => SubscriptionSort::StartDate,
            SortField::EndDate => SubscriptionSort::EndDate,
            SortField::CreatedDate => SubscriptionSort::CreatedDate,
            SortField::BillingStart => SubscriptionSort::BillingStart,
            SortField::Price => SubscriptionSort::Price,
        }
    }
}

#[derive(Debug, Args)]
struct UpdateSubscription {
    /// The subscription's id.
    id: SubscriptionId,
    /// The new quantity (a whole number above zero; to end a subscription, cancel it).
    #[arg(long)]
    quantity: Option<u32>,
    /// The new customer price per unit, in the subscription's currency (`15.39`).
    #[arg(long)]
    price: Option<Decimal>,
    /// The currency of --price (ISO 4217, `USD`); default: the subscription's.
    #[arg(long, requires = "price")]
    currency_code: Option<String>,
    /// The new billing term.
    #[arg(long, value_parser = known::<BillingTerm>)]
    billing_term: Option<BillingTerm>,
    /// The new start date, YYYY-MM-DD (sent as midnight UTC).
    #[arg(long, value_parser = date)]
    start_date: Option<time::Date>,
    /// The new end date, YYYY-MM-DD (sent as midnight UTC); only with one of the other changes.
    #[arg(long, value_parser = date)]
    end_date: Option<time::Date>,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: SubscriptionsArgs) -> CliResult {
    let subscriptions = client.subscriptions();
    match args.command {
        SubscriptionsCommand::List(args) => list(ctx, client, args).await,
        SubscriptionsCommand::Get { id } => ctx.out.record(&subscriptions.get(id).send().await?),
        SubscriptionsCommand::History { id } => {
            let versions = subscriptions.history(id).send().await?;
            ctx.out.list(&versions, HISTORY_COLUMNS)
        }
        SubscriptionsCommand::Update(args) => update(ctx, client, args).await,
        SubscriptionsCommand::Cancel { id, date } => {
            subscriptions.cancel(id.clone(), date).send().await?;
            ctx.out.note(&format!("cancellation of {id} requested"));
            // The answer is empty: show what the cancellation did (Cancelled or PendingCancel).
            match subscriptions.get(id).send().await {
                Ok(subscription) => ctx.out.record(&subscription),
                Err(err) => {
                    ctx.out.note(&format!(
                        "the cancellation was accepted, but reading the subscription back failed: {err}"
                    ));
                    Ok(())
                }
            }
        }
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListSubscriptions) -> CliResult {
    let mut list = client.subscriptions().list();
    if let Some(field) = args.sort {
        let direction = listing::direction(args.desc);
        list = list.sort(field.into(), direction);
    }
    if let Some(id) = args.company_id {
        list = list.company_id(id);
    }
    if let Some(id) = args.product_id {
        list = list.product_id(id);
    }
    if let Some(status) = args.status {
        list = list.status(status);
    }
    if let Some(term) = args.billing_term {
        list = list.billing_term(term);
    }
    listing::print(ctx, list, &args.list, COLUMNS).await
}

async fn update(ctx: &Ctx, client: &pax8::Client, args: UpdateSubscription) -> CliResult {
    let mut update = SubscriptionUpdate::builder();
    if let Some(quantity) = args.quantity {
        update = update.quantity(quantity);
    }
    if let Some(price) = args.price {
        update = update.price(price);
    }
    if let Some(code) = args.currency_code {
        update = update.currency_code(code);
    }
    if let Some(term) = args.billing_term {
        update = update.billing_term(term);
    }
    if let Some(day) = args.start_date {
        update = update.start_date(day);
    }
    if let Some(day) = args.end_date {
        update = update.end_date(day);
    }
    // An empty update or a zero quantity is refused here, before anything is sent.
    let update = update.build()?;
    let subscription = client
        .subscriptions()
        .update(args.id, &update)
        .send()
        .await?;
    ctx.out.record(&subscription)
}
