//! `partner pax8 quotes items ...`: a quote's line items, from flags or from a JSON file.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use partner_core::wire_enum::KnownValues;
use pax8::quotes::{
    QuoteBillingTerm, QuoteLineItem, QuoteLineItemType, QuoteProductType, UsageBased,
    UsageBasedType,
};
use pax8::{
    CommitmentTermId, Decimal, LineItemId, NewQuoteLineItem, ProductId, QuoteId,
    QuoteLineItemUpdate, SubscriptionId, Timestamp,
};
use serde::Deserialize;

use crate::arg_values::{date, known};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ExitKind};
use crate::output::{Column, col};

const LINE_ITEM_COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("type", "/product/type"),
    col("product", "/product/name"),
    col("term", "/billingTerm"),
    col("quantity", "/quantity"),
    col("price", "/price/amount"),
    col("currency", "/price/currency"),
    col("effective", "/effectiveDate"),
];

#[derive(Debug, Args)]
pub(super) struct ItemsArgs {
    #[command(subcommand)]
    command: ItemsCommand,
}

#[derive(Debug, Subcommand)]
enum ItemsCommand {
    /// The line items of a quote.
    List {
        /// The quote's id.
        id: QuoteId,
    },
    /// Add line items: one catalogue product from the flags, or any number of items of any kind
    /// (Standard, Custom, UsageBased) from a JSON file. Prints the items added.
    Add(AddItems),
    /// Change a line item's quantity, price, term, effective date or note; the flags not given
    /// keep the item's current values (Pax8 takes the whole item). Prints the quote's items as
    /// Pax8 answers them.
    Update(UpdateItem),
    /// Delete line items of a quote.
    Delete {
        /// The quote's id.
        id: QuoteId,
        /// The line items' ids.
        #[arg(required = true)]
        line_item_ids: Vec<LineItemId>,
    },
}

#[derive(Debug, Args)]
struct UpdateItem {
    /// The quote's id.
    id: QuoteId,
    /// The line item's id (from `quotes items list`).
    line_item_id: LineItemId,
    /// The new quantity.
    #[arg(long)]
    quantity: Option<u32>,
    /// The new price per unit (`12.50`).
    #[arg(long)]
    price: Option<Decimal>,
    /// The new billing term (`Monthly`, `Annual`, `1 Year`...).
    #[arg(long, value_parser = known::<QuoteBillingTerm>)]
    billing_term: Option<QuoteBillingTerm>,
    /// The new effective day, YYYY-MM-DD (midnight UTC).
    #[arg(long, value_parser = date)]
    effective_date: Option<time::Date>,
    /// The new note (at most 2000 characters).
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, Args)]
struct AddItems {
    /// The quote's id.
    id: QuoteId,
    /// A JSON file (`-` for stdin) with one line item or an array of them, as the API takes them:
    /// `{"type": "Custom", "productName": "Onboarding", "billingTerm": "One-Time", "quantity": 1,
    /// "price": 500, "cost": 0, "initialTotal": 500, "effectiveDate": "2026-01-01T00:00:00Z"}`.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["product_id", "billing_term", "quantity", "price", "effective_date", "note", "commitment_term_id"])]
    file: Option<PathBuf>,
    /// The catalogue product (a Standard item).
    #[arg(long, required_unless_present = "file")]
    product_id: Option<ProductId>,
    /// The billing term (`Monthly`, `Annual`, `1 Year`...).
    #[arg(long, value_parser = known::<QuoteBillingTerm>, required_unless_present = "file")]
    billing_term: Option<QuoteBillingTerm>,
    /// How many units.
    #[arg(long, required_unless_present = "file")]
    quantity: Option<u32>,
    /// The price per unit (`12.50`).
    #[arg(long, required_unless_present = "file")]
    price: Option<Decimal>,
    /// When the item takes effect, YYYY-MM-DD (midnight UTC); default: today.
    #[arg(long, value_parser = date)]
    effective_date: Option<time::Date>,
    /// A note shown with the item (at most 2000 characters).
    #[arg(long)]
    note: Option<String>,
    /// The commitment term, for products that have them.
    #[arg(long)]
    commitment_term_id: Option<CommitmentTermId>,
}

pub(super) async fn run(ctx: &Ctx, client: &pax8::Client, args: ItemsArgs) -> CliResult {
    let quotes = client.quotes();
    match args.command {
        ItemsCommand::List { id } => {
            let quote = quotes.get(id).send().await?;
            ctx.out.list(&quote.line_items, LINE_ITEM_COLUMNS)
        }
        ItemsCommand::Add(args) => {
            let items = match &args.file {
                Some(path) => read_items(path)?,
                None => vec![item_from_flags(&args)?],
            };
            let added = quotes.add_line_items(args.id, &items).send().await?;
            ctx.out.note(&format!("added {} line items", added.len()));
            ctx.out.list(&added, LINE_ITEM_COLUMNS)
        }
        ItemsCommand::Update(args) => {
            if args.quantity.is_none()
                && args.price.is_none()
                && args.billing_term.is_none()
                && args.effective_date.is_none()
                && args.note.is_none()
            {
                return Err(CliError::invalid(
                    "nothing to change: give at least one of --quantity, --price, --billing-term, --effective-date, --note",
                ));
            }
            let quote = quotes.get(args.id.clone()).send().await?;
            let current = quote
                .line_items
                .iter()
                .find(|item| item.id.as_ref() == Some(&args.line_item_id))
                .ok_or_else(|| {
                    CliError::new(
                        ExitKind::NotFound,
                        format!("quote {} has no line item {}", args.id, args.line_item_id),
                    )
                })?;
            let change = item_update(current, &args)?;
            let items = quotes.update_line_items(args.id, &[change]).send().await?;
            ctx.out.list(&items, LINE_ITEM_COLUMNS)
        }
        ItemsCommand::Delete { id, line_item_ids } => {
            let count = line_item_ids.len();
            if let [one] = line_item_ids.as_slice() {
                quotes
                    .delete_line_item(id.clone(), one.clone())
                    .send()
                    .await?;
            } else {
                quotes
                    .delete_line_items(id.clone(), &line_item_ids)
                    .send()
                    .await?;
            }
            ctx.out
                .note(&format!("deleted {count} line items of quote {id}"));
            Ok(())
        }
    }
}

/// The whole of an existing line item, with the changes of the flags.
fn item_update(current: &QuoteLineItem, args: &UpdateItem) -> CliResult<QuoteLineItemUpdate> {
    let lacks = |field: &str| {
        CliError::other(format!(
            "line item {} has no {field} to keep: give it with its flag",
            args.line_item_id
        ))
    };
    let amount = |value: Option<&pax8::quotes::Amount>| value.and_then(|a| a.amount);
    let term = match &args.billing_term {
        Some(term) => term.clone(),
        None => current
            .billing_term
            .clone()
            .ok_or_else(|| lacks("billing term"))?,
    };
    let quantity = match args.quantity {
        Some(quantity) => quantity,
        None => current
            .quantity
            .and_then(|q| u32::try_from(q).ok())
            .ok_or_else(|| lacks("quantity"))?,
    };
    let price = match args.price {
        Some(price) => price,
        None => amount(current.price.as_ref()).ok_or_else(|| lacks("price"))?,
    };
    let effective = match args.effective_date {
        Some(day) => Timestamp::from_date_time(day.midnight().assume_utc()),
        None => current
            .effective_date
            .clone()
            .unwrap_or_else(|| Timestamp::from_date_time(today_utc())),
    };
    let id = args.line_item_id.clone();
    let product = current.product.as_ref();
    let mut change = if let Some(usage) = &current.usage_based {
        QuoteLineItemUpdate::usage_based(
            id,
            term,
            quantity,
            price,
            amount(current.cost.as_ref()).ok_or_else(|| lacks("cost"))?,
            usage.clone(),
            effective,
        )
    } else if product.and_then(|p| p.kind.as_ref()) == Some(&QuoteProductType::Custom) {
        QuoteLineItemUpdate::custom(
            id,
            product
                .and_then(|p| p.name.clone())
                .ok_or_else(|| lacks("product name"))?,
            term,
            quantity,
            price,
            amount(current.cost.as_ref()).ok_or_else(|| lacks("cost"))?,
            current
                .totals
                .as_ref()
                .and_then(|t| amount(t.initial_total.as_ref()))
                .ok_or_else(|| lacks("initial total"))?,
            effective,
        )
    } else {
        QuoteLineItemUpdate::standard(id, term, quantity, price, effective)
    };
    if let Some(note) = args.note.clone().or_else(|| current.note.clone()) {
        change = change.note(note);
    }
    if let Some(commitment) = current.commitment_term.as_ref().and_then(|c| c.id.clone()) {
        change = change.commitment_term(commitment);
    }
    Ok(change)
}

/// A Standard line item from the flags (clap has checked the required ones are present).
fn item_from_flags(args: &AddItems) -> CliResult<NewQuoteLineItem> {
    let missing = |flag: &str| CliError::invalid(format!("{flag} is required without --file"));
    let effective = match args.effective_date {
        Some(day) => day.midnight().assume_utc(),
        None => today_utc(),
    };
    let mut item = NewQuoteLineItem::standard(
        args.product_id
            .clone()
            .ok_or_else(|| missing("--product-id"))?,
        args.billing_term
            .clone()
            .ok_or_else(|| missing("--billing-term"))?,
        args.quantity.ok_or_else(|| missing("--quantity"))?,
        args.price.ok_or_else(|| missing("--price"))?,
        Timestamp::from_date_time(effective),
    );
    if let Some(note) = &args.note {
        item = item.note(note.clone());
    }
    if let Some(id) = &args.commitment_term_id {
        item = item.commitment_term(id.clone());
    }
    Ok(item)
}

fn today_utc() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
        .date()
        .midnight()
        .assume_utc()
}

/// A line item as the API takes it (`Add*LineItemPayload`), read from a file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ItemFile {
    #[serde(rename = "type", default)]
    kind: Option<QuoteLineItemType>,
    effective_date: Option<String>,
    price: Option<Decimal>,
    quantity: Option<u32>,
    billing_term: Option<QuoteBillingTerm>,
    note: Option<String>,
    product_id: Option<ProductId>,
    product_name: Option<String>,
    product_sku: Option<String>,
    cost: Option<Decimal>,
    initial_total: Option<Decimal>,
    commitment_term_id: Option<CommitmentTermId>,
    subscription_id: Option<SubscriptionId>,
    required_line_item_id: Option<LineItemId>,
    required_line_item_index: Option<u32>,
    required_subscription_id: Option<SubscriptionId>,
    usage_based: Option<UsageBasedFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UsageBasedFile {
    #[serde(rename = "type")]
    kind: UsageBasedType,
    #[serde(default)]
    display_note: bool,
}

fn read_items(path: &std::path::Path) -> CliResult<Vec<NewQuoteLineItem>> {
    let items: Vec<ItemFile> = crate::input::read_json_list(path, "--file", "line item")?;
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| item_from_file(index, item))
        .collect()
}

fn item_from_file(index: usize, file: ItemFile) -> CliResult<NewQuoteLineItem> {
    let missing =
        |field: &str| CliError::invalid(format!("line item {index}: `{field}` is required"));
    let kind = file.kind.clone().unwrap_or(QuoteLineItemType::Standard);
    let effective = match &file.effective_date {
        Some(text) => {
            let stamp = Timestamp::parse(text.clone());
            if !stamp.is_parsed() {
                return Err(CliError::invalid(format!(
                    "line item {index}: `effectiveDate` is not a date or date-time: {text}"
                )));
            }
            stamp
        }
        None => Timestamp::from_date_time(today_utc()),
    };
    let term = file
        .billing_term
        .clone()
        .ok_or_else(|| missing("billingTerm"))?;
    // The enums keep a value they do not know; a file's typo is refused here instead of sent.
    if term.is_unknown() {
        return Err(CliError::invalid(format!(
            "line item {index}: `billingTerm` must be one of: {}",
            QuoteBillingTerm::KNOWN.join(", ")
        )));
    }
    if let Some(usage) = &file.usage_based
        && usage.kind.is_unknown()
    {
        return Err(CliError::invalid(format!(
            "line item {index}: `usageBased.type` must be one of: {}",
            UsageBasedType::KNOWN.join(", ")
        )));
    }
    let quantity = file.quantity.ok_or_else(|| missing("quantity"))?;
    let price = file.price.ok_or_else(|| missing("price"))?;
    let mut item = match kind {
        QuoteLineItemType::Standard => NewQuoteLineItem::standard(
            file.product_id
                .clone()
                .ok_or_else(|| missing("productId"))?,
            term,
            quantity,
            price,
            effective,
        ),
        QuoteLineItemType::Custom => NewQuoteLineItem::custom(
            file.product_name
                .clone()
                .ok_or_else(|| missing("productName"))?,
            term,
            quantity,
            price,
            file.cost.ok_or_else(|| missing("cost"))?,
            file.initial_total.ok_or_else(|| missing("initialTotal"))?,
            effective,
        ),
        QuoteLineItemType::UsageBased => {
            let usage = file
                .usage_based
                .as_ref()
                .ok_or_else(|| missing("usageBased"))?;
            NewQuoteLineItem::usage_based(
                file.product_id
                    .clone()
                    .ok_or_else(|| missing("productId"))?,
                term,
                quantity,
                price,
                file.cost.ok_or_else(|| missing("cost"))?,
                UsageBased::new(usage.kind.clone(), usage.display_note),
                effective,
            )
        }
        other => {
            return Err(CliError::invalid(format!(
                "line item {index}: `type` must be Standard, Custom or UsageBased, not {}",
                other.as_str()
            )));
        }
    };
    // Fields the kind does not take are refused by the client, by name, before sending.
    if let Some(note) = file.note {
        item = item.note(note);
    }
    if let Some(sku) = file.product_sku {
        item = item.product_sku(sku);
    }
    if let Some(id) = file.commitment_term_id {
        item = item.commitment_term(id);
    }
    if let Some(id) = file.subscription_id {
        item = item.subscription(id);
    }
    if let Some(id) = file.required_line_item_id {
        item = item.requires_line_item(id);
    }
    if let Some(at) = file.required_line_item_index {
        item = item.requires_line_item_index(at);
    }
    if let Some(id) = file.required_subscription_id {
        item = item.requires_subscription(id);
    }
    Ok(item)
}
