//! `partner procuret links ...` (also `link ...`): create, list and get instalment links.

use clap::{Args, Subcommand, ValueEnum};
use procuret::{
    CommunicationOption, Decimal, Denomination, EntityId, InstalmentLink, InstalmentLinkId,
    NewInstalmentLink,
};
use serde::Serialize;

use super::{SignedIn, Window, entity_id};
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::list_args::ListArgs;
use crate::output::{Column, col};

const COLUMNS: &[Column] = &[
    col("id", "/public_id"),
    col("amount", "/invoice_amount"),
    col("email", "/invitee_email"),
    col("invoice", "/invoice_identifier"),
    col("supplier", "/supplier/legal_entity_name"),
    col("created", "/created"),
];

/// `partner procuret links`.
#[derive(Debug, Args)]
pub(crate) struct LinksArgs {
    #[command(subcommand)]
    command: LinksCommand,
}

#[derive(Debug, Subcommand)]
enum LinksCommand {
    /// Create an instalment link and print its customer address (`url`) and id. Procuret has no
    /// idempotency keys: the request is never sent twice, and when the outcome is unknown (exit 6)
    /// look for the link with `links list` before creating it again.
    Create(CreateLink),
    /// List instalment links, oldest first (20 a page unless --page-size).
    List(ListLinks),
    /// One instalment link, by its public id.
    Get {
        /// The link's public id (the `il=` of its address).
        id: InstalmentLinkId,
    },
}

#[derive(Debug, Args)]
struct CreateLink {
    /// The invoice amount, a decimal in the currency's units with at most two places (422.42);
    /// it must be positive.
    #[arg(long, allow_negative_numbers = true)]
    amount: Decimal,
    /// The customer's email address (or give --phone).
    #[arg(long, required_unless_present = "phone")]
    email: Option<String>,
    /// The customer's phone number, instead of or as well as --email.
    #[arg(long)]
    phone: Option<String>,
    /// Your identifier for the sale: the invoice (or order, quote) number.
    #[arg(long)]
    invoice: String,
    /// Have Procuret email the link to the customer (by default the customer is not contacted:
    /// you send the address yourself).
    #[arg(long)]
    email_customer: bool,
    /// The supplier entity the link is for (default: the one given to `login --entity-id`; under
    /// --sandbox, the sandbox's supplier).
    #[arg(long, value_parser = entity_id)]
    entity_id: Option<EntityId>,
    /// The currency (default: the supplier's; amounts are checked as AUD's two places).
    #[arg(long, value_enum)]
    currency: Option<Currency>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Currency {
    Aud,
    Nzd,
}

impl From<Currency> for Denomination {
    fn from(currency: Currency) -> Self {
        match currency {
            Currency::Aud => Denomination::Aud,
            Currency::Nzd => Denomination::Nzd,
        }
    }
}

#[derive(Debug, Args)]
struct ListLinks {
    #[command(flatten)]
    list: ListArgs,
    /// Only links the customer has (true) or has not (false) opened.
    #[arg(long)]
    opened: Option<bool>,
    /// Only the links of this supplier entity.
    #[arg(long, value_parser = entity_id)]
    entity_id: Option<EntityId>,
}

/// A created link with the address to send the customer to.
#[derive(Debug, Serialize)]
struct CreatedLink<'a> {
    url: String,
    #[serde(flatten)]
    link: &'a InstalmentLink,
}

pub(crate) async fn run(ctx: &Ctx, signed: &SignedIn, args: LinksArgs) -> CliResult {
    let links = signed.client.instalment_links();
    match args.command {
        LinksCommand::Create(args) => create(ctx, signed, args).await,
        LinksCommand::List(args) => list(ctx, signed, args).await,
        LinksCommand::Get { id } => ctx.out.record(&links.get(id).send().await?),
    }
}

async fn create(ctx: &Ctx, signed: &SignedIn, args: CreateLink) -> CliResult {
    let supplier = args.entity_id.or(signed.entity_id).ok_or_else(|| {
        CliError::invalid(
            "--entity-id is required: the supplier entity the link is for (or record it once \
             with `partner procuret login --entity-id ID`)",
        )
    })?;
    let communication = if args.email_customer {
        CommunicationOption::EmailCustomer
    } else {
        CommunicationOption::DoNotContact
    };
    let mut body = NewInstalmentLink::builder()
        .supplier_id(supplier)
        .invoice_amount(args.amount)
        .invoice_identifier(args.invoice)
        .communication(communication);
    if let Some(email) = args.email {
        body = body.invitee_email(email);
    }
    if let Some(phone) = args.phone {
        body = body.invitee_phone(phone);
    }
    if let Some(currency) = args.currency {
        body = body.denomination(currency.into());
    }
    // Checked here: a bad field is exit 2, and nothing is sent.
    let body = body.build()?;
    let links = signed.client.instalment_links();
    let link = links.create(&body).send().await?;
    let url = links.customer_url(&link)?.to_string();
    ctx.out.note(&format!(
        "Created instalment link {} for {}: send the customer to {url}",
        link.public_id, link.invoice_amount
    ));
    ctx.out.record(&CreatedLink { url, link: &link })
}

async fn list(ctx: &Ctx, signed: &SignedIn, args: ListLinks) -> CliResult {
    let window = Window::of(&args.list)?;
    let mut list = signed.client.instalment_links().list().limit(window.limit);
    if let Some(opened) = args.opened {
        list = list.opened(opened);
    }
    if let Some(supplier) = args.entity_id {
        list = list.supplier_id(supplier);
    }
    if args.list.all {
        return ctx.out.stream(list.stream(), COLUMNS).await;
    }
    let page = list.offset(window.offset).send().await?;
    ctx.out.page(&window.renumber(page), COLUMNS)
}
