//! `partner pax8 orders ...`: list, get, and create (with `--dry-run`, Pax8's `isMock=true`).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use pax8::{
    BillingTerm, CommitmentTermId, CompanyId, NewLineItem, NewOrder, Order, OrderId, ProductId,
    ProvisioningValue, SubscriptionId, Timestamp,
};
use serde::Deserialize;

use super::listing;
use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::input::read_json;
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("company", "/companyId"),
    col("created", "/createdDate"),
    col("ordered by", "/orderedBy"),
    col("user", "/orderedByUserEmail"),
];

/// The line items of one order, printed under it as a table.
const LINE_COLUMNS: &[Column] = &[
    col("#", "/lineItemNumber"),
    col("product", "/productId"),
    col("quantity", "/quantity"),
    col("billing term", "/billingTerm"),
    col("commitment", "/commitmentTermId"),
    col("subscription", "/subscriptionId"),
    col("parent #", "/parentLineItemNumber"),
    col("provisioning", "/provisioningDetails"),
];

/// `partner pax8 orders`.
#[derive(Debug, Args)]
pub(crate) struct OrdersArgs {
    #[command(subcommand)]
    command: OrdersCommand,
}

#[derive(Debug, Subcommand)]
enum OrdersCommand {
    /// List orders, oldest first (Pax8 offers no sort; large accounts' lists are slow: keep pages
    /// small or filter by company).
    List {
        /// Only this company's orders.
        #[arg(long)]
        company_id: Option<CompanyId>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// One order with its line items.
    Get {
        /// The order's id.
        id: OrderId,
    },
    /// Place an order (one or more --line, or --file), and print it.
    ///
    /// Each line is `product=ID,quantity=N` with optional `billing-term=Monthly` (the default;
    /// also Annual, 2-Year, 3-Year, One-Time, Trial, Activation), `commitment=ID` (a commitment
    /// term from `products dependencies`) or `commitment=auto` (the shortest commitment at least
    /// as long as the billing term), `parent-line=N` (depends on line N of this order),
    /// `parent-subscription=ID`, `start=2026-12-31` (provisioning start) and
    /// `provision.KEY=VALUE` (repeatable; several values separated by `|`; keys from
    /// `products provisioning-details`). Lines are numbered 1 to n in the order given.
    ///
    /// Products without `commitment=` are looked up first, so that one that requires a
    /// commitment is refused before anything is ordered. Pax8 has no idempotency keys: if the
    /// command fails with exit code 6, list the company's orders before ordering again.
    Create(Box<CreateOrder>),
}

#[derive(Debug, Args)]
struct CreateOrder {
    /// The company ordering (required unless the --file document has `companyId`; overrides it).
    #[arg(long)]
    company_id: Option<CompanyId>,
    /// A line item: `product=ID,quantity=N[,billing-term=T][,commitment=ID|auto][,...]`
    /// (repeatable; see above).
    #[arg(
        long = "line",
        value_name = "SPEC",
        value_parser = parse_line,
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    lines: Vec<LineSpec>,
    /// Read the order from this JSON file (`-` for stdin) in Pax8's shape: `{"companyId",
    /// "orderedByUserEmail", "lineItems": [{"productId", "quantity", "billingTerm",
    /// "commitmentTermId", "provisionStartDate", "parentSubscriptionId", "parentLineItemNumber",
    /// "provisioningDetails": [{"key", "values": [..]}]}]}`.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,
    /// The email of the user placing the order, as Pax8 records it (default: the API user's).
    #[arg(long, value_name = "EMAIL")]
    ordered_by_user_email: Option<String>,
    /// Validate without placing the order: Pax8 checks it (`isMock=true`, the crate's
    /// `orders().validate`) and answers with the order it would place. Nothing is ordered and no
    /// subscription is created.
    #[arg(long)]
    dry_run: bool,
}

/// Which commitment term a line uses.
#[derive(Debug, Clone, PartialEq)]
enum CommitmentChoice {
    /// This commitment term.
    Id(CommitmentTermId),
    /// The shortest one at least as long as the billing term, from the product's dependencies.
    Auto,
}

/// One `--line` (or one line item of a `--file` document), before it is checked.
#[derive(Debug, Clone, PartialEq)]
struct LineSpec {
    product: ProductId,
    quantity: u32,
    billing_term: BillingTerm,
    commitment: Option<CommitmentChoice>,
    parent_line: Option<u32>,
    parent_subscription: Option<SubscriptionId>,
    start: Option<Timestamp>,
    provisioning: Vec<ProvisioningValue>,
}

/// Parses `product=ID,quantity=N,...` (clap reports the error with the flag's name).
fn parse_line(spec: &str) -> Result<LineSpec, String> {
    let mut product = None;
    let mut quantity = None;
    let mut billing_term = BillingTerm::Monthly;
    let mut commitment = None;
    let mut parent_line = None;
    let mut parent_subscription = None;
    let mut start = None;
    let mut provisioning = Vec::new();
    for part in spec.split(',') {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not KEY=VALUE"))?;
        let (key, value) = (key.trim(), value.trim());
        if value.is_empty() {
            return Err(format!("{key} has no value"));
        }
        let number = |what: &str| {
            value
                .parse::<u32>()
                .map_err(|_| format!("{what} must be a whole number, got `{value}`"))
        };
        match key {
            "product" => product = Some(ProductId::from(value)),
            "quantity" => quantity = Some(number("quantity")?),
            "billing-term" => {
                billing_term =
                    known::<BillingTerm>(value).map_err(|e| format!("billing-term: {e}"))?
            }
            "commitment" if value == "auto" => commitment = Some(CommitmentChoice::Auto),
            "commitment" => commitment = Some(CommitmentChoice::Id(value.into())),
            "parent-line" => parent_line = Some(number("parent-line")?),
            "parent-subscription" => parent_subscription = Some(SubscriptionId::from(value)),
            "start" => {
                let date = Timestamp::parse(value);
                if !date.is_parsed() {
                    return Err(format!(
                        "start must be a date (2026-12-31) or a date-time, got `{value}`"
                    ));
                }
                start = Some(date);
            }
            _ => match key.strip_prefix("provision.") {
                Some(name) if !name.is_empty() => {
                    provisioning.push(ProvisioningValue::new(name, value.split('|')));
                }
                _ => {
                    return Err(format!(
                        "unknown key `{key}` (product, quantity, billing-term, commitment, \
                         parent-line, parent-subscription, start, provision.KEY)"
                    ));
                }
            },
        }
    }
    Ok(LineSpec {
        product: product.ok_or("product=ID is required")?,
        quantity: quantity.ok_or("quantity=N is required")?,
        billing_term,
        commitment,
        parent_line,
        parent_subscription,
        start,
        provisioning,
    })
}

/// An order in a `--file` document: Pax8's JSON shape for `POST /orders`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OrderDocument {
    #[serde(default)]
    company_id: Option<CompanyId>,
    #[serde(default)]
    ordered_by_user_email: Option<String>,
    line_items: Vec<LineDocument>,
}

/// A line item in a `--file` document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LineDocument {
    product_id: ProductId,
    quantity: u32,
    billing_term: BillingTerm,
    #[serde(default, alias = "commitmentTermID")]
    commitment_term_id: Option<CommitmentTermId>,
    #[serde(default)]
    provision_start_date: Option<Timestamp>,
    #[serde(default)]
    parent_subscription_id: Option<SubscriptionId>,
    #[serde(default)]
    parent_line_item_number: Option<u32>,
    #[serde(default)]
    line_item_number: Option<u32>,
    #[serde(default)]
    provisioning_details: Vec<ProvisioningValue>,
}

impl LineDocument {
    fn into_spec(self, number: u32) -> CliResult<LineSpec> {
        if self.line_item_number.is_some_and(|n| n != number) {
            return Err(CliError::invalid(format!(
                "lineItems[{number}].lineItemNumber: line items are numbered 1 to n in the order \
                 given; leave it out or give {number}"
            )));
        }
        Ok(LineSpec {
            product: self.product_id,
            quantity: self.quantity,
            billing_term: self.billing_term,
            commitment: self.commitment_term_id.map(CommitmentChoice::Id),
            parent_line: self.parent_line_item_number,
            parent_subscription: self.parent_subscription_id,
            start: self.provision_start_date,
            provisioning: self.provisioning_details,
        })
    }
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: OrdersArgs) -> CliResult {
    match args.command {
        OrdersCommand::List { company_id, list } => {
            let mut builder = client.orders().list();
            if let Some(company) = company_id {
                builder = builder.company_id(company);
            }
            listing::print(ctx, builder, &list, COLUMNS).await
        }
        OrdersCommand::Get { id } => print_order(ctx, &client.orders().get(id).send().await?),
        OrdersCommand::Create(args) => create(ctx, client, *args).await,
    }
}

async fn create(ctx: &Ctx, client: &pax8::Client, args: CreateOrder) -> CliResult {
    let (company_id, email, lines) = match &args.file {
        Some(path) => {
            let doc: OrderDocument = read_json(path, "--file")?;
            let mut lines = Vec::with_capacity(doc.line_items.len());
            for (number, line) in (1..).zip(doc.line_items) {
                lines.push(line.into_spec(number)?);
            }
            let company = args.company_id.or(doc.company_id);
            (
                company,
                args.ordered_by_user_email.or(doc.ordered_by_user_email),
                lines,
            )
        }
        None => (args.company_id, args.ordered_by_user_email, args.lines),
    };
    let company_id = company_id.ok_or_else(|| {
        CliError::invalid("--company-id is required (or `companyId` in the --file document)")
    })?;
    // The order's shape is checked by the crate's builder once with the lines as given, so that
    // bad input is refused before any product is looked up; then again with what the catalogue says.
    build_order(
        &company_id,
        email.as_deref(),
        lines.iter().cloned().map(plain_item),
    )?;
    let mut items = Vec::with_capacity(lines.len());
    for (number, line) in (1..).zip(lines) {
        items.push(line_item(client, number, line).await?);
    }
    let order = build_order(&company_id, email.as_deref(), items)?;
    if args.dry_run {
        let checked = client.orders().validate(&order).send().await?;
        print_order(ctx, &checked)?;
        ctx.out.note(
            "dry run: nothing was ordered (Pax8 validated the order with isMock=true; the ids \
             above are not kept)",
        );
        return Ok(());
    }
    let placed = client.orders().create(&order).send().await?;
    print_order(ctx, &placed)?;
    ctx.out.note(&format!("placed order {}", placed.id));
    Ok(())
}

/// An order: one JSON object with `--json`; else its fields, then its line items as a table (they
/// would be one unreadable cell of the record).
fn print_order(ctx: &Ctx, order: &Order) -> CliResult {
    if ctx.out.is_json() {
        return ctx.out.record(order);
    }
    let mut fields = serde_json::to_value(order)
        .map_err(|e| CliError::other(format!("cannot print the order: {e}")))?;
    if let Some(map) = fields.as_object_mut() {
        map.remove("lineItems");
    }
    ctx.out.record(&fields)?;
    ctx.out.list(&order.line_items, LINE_COLUMNS)
}

fn build_order(
    company_id: &CompanyId,
    email: Option<&str>,
    items: impl IntoIterator<Item = NewLineItem>,
) -> CliResult<NewOrder> {
    let mut builder = NewOrder::builder(company_id.clone());
    if let Some(email) = email {
        builder = builder.ordered_by_user_email(email);
    }
    for item in items {
        builder = builder.line_item(item);
    }
    Ok(builder.build()?)
}

/// The line item as given, without the catalogue's `requiresCommitment` (`auto` counts as given).
fn plain_item(line: LineSpec) -> NewLineItem {
    let mut item = NewLineItem::new(line.product, line.billing_term, line.quantity);
    if let Some(CommitmentChoice::Id(id)) = line.commitment {
        item = item.commitment_term(id);
    }
    if let Some(number) = line.parent_line {
        item = item.parent_line_item(number);
    }
    if let Some(id) = line.parent_subscription {
        item = item.parent_subscription(id);
    }
    if let Some(start) = line.start {
        item = item.provision_start_date(start);
    }
    for value in line.provisioning {
        item = item.provisioning_detail(value);
    }
    item
}

/// The line item with its commitment resolved: `auto` from the product's dependencies, none after
/// checking that the product does not require one.
async fn line_item(client: &pax8::Client, number: u32, line: LineSpec) -> CliResult<NewLineItem> {
    let product = line.product.clone();
    let billing_term = line.billing_term.clone();
    let commitment = line.commitment.clone();
    let item = plain_item(line);
    match commitment {
        Some(CommitmentChoice::Id(_)) => Ok(item),
        Some(CommitmentChoice::Auto) => {
            let dependencies = client
                .products()
                .dependencies(product.clone())
                .send()
                .await?;
            let chosen = dependencies.commitment_for(&billing_term).ok_or_else(|| {
                CliError::invalid(format!(
                    "line {number}: product {product} offers no commitment at least as long as \
                     {billing_term} (see: partner pax8 products dependencies {product})"
                ))
            })?;
            Ok(item.commitment_term(chosen.id.clone()))
        }
        None => {
            let detail = client.products().get(product).send().await?;
            Ok(item.requires_commitment(detail.requires_commitment.unwrap_or(false)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_every_key() {
        let line = parse_line(
            "product=p1,quantity=3,billing-term=Annual,commitment=auto,parent-line=1,\
             provision.domain=a.example|b.example,start=2026-12-31",
        )
        .unwrap();
        assert_eq!(line.product, "p1");
        assert_eq!(line.quantity, 3);
        assert_eq!(line.billing_term, BillingTerm::Annual);
        assert_eq!(line.commitment, Some(CommitmentChoice::Auto));
        assert_eq!(line.parent_line, Some(1));
        assert_eq!(
            line.provisioning,
            vec![ProvisioningValue::new("domain", ["a.example", "b.example"])]
        );
        assert!(line.start.is_some());
    }

    #[test]
    fn a_bad_line_is_refused_with_the_key() {
        for (spec, expected) in [
            ("quantity=1", "product=ID is required"),
            ("product=p1", "quantity=N is required"),
            ("product=p1,quantity=two", "quantity must be a whole number"),
            ("product=p1,quantity=1,billing-term=Weekly", "billing-term"),
            ("product=p1,quantity=1,colour=red", "unknown key `colour`"),
            ("product=p1,quantity", "`quantity` is not KEY=VALUE"),
            ("product=p1,quantity=1,start=soon", "start must be a date"),
        ] {
            let err = parse_line(spec).unwrap_err();
            assert!(err.contains(expected), "{spec}: {err}");
        }
    }
}
