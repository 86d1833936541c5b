//! `partner pax8 invoices ...`: Pax8's invoices to you, their items, and the draft of the next one.

use clap::{Args, Subcommand, ValueEnum};
use pax8::{CompanyId, Decimal, InvoiceId, InvoiceSort, InvoiceStatus, MonthOffset};

use super::listing;
use crate::arg_values::{date, known};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/id"),
    col("date", "/invoiceDate"),
    col("due", "/dueDate"),
    col("status", "/status"),
    col("total", "/total"),
    col("balance", "/balance"),
    col("currency", "/currencyCode"),
    col("company", "/companyId"),
];

const ITEM_COLUMNS: &[Column] = &[
    col("type", "/type"),
    col("company", "/companyName"),
    col("product", "/productName"),
    col("term", "/term"),
    col("quantity", "/quantity"),
    col("price", "/price"),
    col("total", "/total"),
    col("cost total", "/costTotal"),
    col("from", "/startPeriod"),
    col("to", "/endPeriod"),
];

/// `partner pax8 invoices`.
#[derive(Debug, Args)]
pub(crate) struct InvoicesArgs {
    #[command(subcommand)]
    command: InvoicesCommand,
}

#[derive(Debug, Subcommand)]
enum InvoicesCommand {
    /// List invoices, with filters and a sort.
    List(ListInvoices),
    /// One invoice.
    Get {
        /// The invoice's id.
        id: InvoiceId,
    },
    /// The items (lines) of an invoice.
    Items {
        /// The invoice's id.
        id: InvoiceId,
        #[command(flatten)]
        list: ListArgs,
    },
    /// The items of the invoice being prepared: what will be billed next.
    DraftItems(ListDraftItems),
}

#[derive(Debug, Args)]
struct ListInvoices {
    #[command(flatten)]
    list: ListArgs,
    /// Only invoices of this company.
    #[arg(long)]
    company_id: Option<CompanyId>,
    /// Only invoices with this status.
    #[arg(long, value_parser = known::<InvoiceStatus>)]
    status: Option<InvoiceStatus>,
    /// Only invoices dated this day, YYYY-MM-DD.
    #[arg(long, value_parser = date, conflicts_with_all = ["from", "to"])]
    date: Option<time::Date>,
    /// Only invoices dated on or after this day, YYYY-MM-DD (with --to).
    #[arg(long, value_parser = date, requires = "to")]
    from: Option<time::Date>,
    /// Only invoices dated on or before this day, YYYY-MM-DD (with --from).
    #[arg(long, value_parser = date, requires = "from")]
    to: Option<time::Date>,
    /// Only invoices due on this day, YYYY-MM-DD.
    #[arg(long, value_parser = date)]
    due_date: Option<time::Date>,
    /// Only invoices with exactly this total (`1234.50`).
    #[arg(long)]
    total: Option<Decimal>,
    /// Only invoices with exactly this balance (`0` for settled ones).
    #[arg(long)]
    balance: Option<Decimal>,
    /// Sort by this field.
    #[arg(long, value_enum)]
    sort: Option<SortField>,
    /// Sort descending (with --sort).
    #[arg(long, requires = "sort")]
    desc: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortField {
    InvoiceDate,
    DueDate,
    Status,
    PartnerName,
    Total,
    Balance,
    CarriedBalance,
}

impl From<SortField> for InvoiceSort {
    fn from(field: SortField) -> Self {
        match field {
            SortField::InvoiceDate => InvoiceSort::InvoiceDate,
            SortField::DueDate => InvoiceSort::DueDate,
            SortField::Status => InvoiceSort::Status,
            SortField::PartnerName => InvoiceSort::PartnerName,
            SortField::Total => InvoiceSort::Total,
            SortField::Balance => InvoiceSort::Balance,
            SortField::CarriedBalance => InvoiceSort::CarriedBalance,
        }
    }
}

#[derive(Debug, Args)]
struct ListDraftItems {
    #[command(flatten)]
    list: ListArgs,
    /// Which month's draft: `next` (Pax8's default) or `current`.
    #[arg(long, value_enum, default_value_t = Month::Next)]
    month: Month,
    /// Only this company's items.
    #[arg(long)]
    company_id: Option<CompanyId>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Month {
    Current,
    Next,
}

pub(crate) async fn run(ctx: &Ctx, client: &pax8::Client, args: InvoicesArgs) -> CliResult {
    match args.command {
        InvoicesCommand::List(args) => list(ctx, client, args).await,
        InvoicesCommand::Get { id } => ctx.out.record(&client.invoices().get(id).send().await?),
        InvoicesCommand::Items { id, list } => items(ctx, client.invoices().items(id), list).await,
        InvoicesCommand::DraftItems(args) => {
            let mut draft = client
                .invoices()
                .draft_items()
                .month_offset(match args.month {
                    Month::Current => MonthOffset::Current,
                    Month::Next => MonthOffset::Next,
                });
            if let Some(id) = args.company_id {
                draft = draft.company_id(id);
            }
            items(ctx, draft, args.list).await
        }
    }
}

async fn list(ctx: &Ctx, client: &pax8::Client, args: ListInvoices) -> CliResult {
    let mut list = client.invoices().list();
    if let Some(field) = args.sort {
        let direction = listing::direction(args.desc);
        list = list.sort(field.into(), direction);
    }
    if let Some(id) = args.company_id {
        list = list.company_id(id);
    }
    if let Some(status) = args.status {
        list = list.status(status);
    }
    if let Some(day) = args.date {
        list = list.invoice_date(day);
    }
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return Err(CliError::invalid(format!(
                "--from {from} is after --to {to}"
            )));
        }
        list = list.invoice_date_range(from, to);
    }
    if let Some(day) = args.due_date {
        list = list.due_date(day);
    }
    if let Some(total) = args.total {
        list = list.total(total);
    }
    if let Some(balance) = args.balance {
        list = list.balance(balance);
    }
    listing::print(ctx, list, &args.list, COLUMNS).await
}

async fn items(ctx: &Ctx, list: pax8::invoices::ListInvoiceItems, args: ListArgs) -> CliResult {
    listing::print(ctx, list, &args, ITEM_COLUMNS).await
}
