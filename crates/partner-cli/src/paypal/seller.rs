//! `partner paypal seller ...`: a seller's merchant id and readiness to take payments.

use clap::{Args, Subcommand};
use paypal_partner::merchant_integrations::MerchantIntegration;
use paypal_partner::{MerchantId, MerchantLookup, Readiness, TrackingId};
use serde::Serialize;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ExitKind};

/// `partner paypal seller`.
#[derive(Debug, Args)]
pub(crate) struct SellerArgs {
    #[command(subcommand)]
    command: SellerCommand,
}

#[derive(Debug, Subcommand)]
enum SellerCommand {
    /// Look a seller up and print their PayPal merchant id and PayPal's readiness verdict: ready
    /// for buttons and cards, buttons only (and why no cards), or not ready, with each reason as
    /// a message for the seller.
    ///
    /// The verdict is read from the API's status document each time, never from the return URL.
    /// Exits 3 when no seller has finished sign-up with that tracking id (yet: PayPal can take a
    /// while; look again later).
    Status(Status),
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct Status {
    /// Your tracking id for the seller (the one given to `referral create`).
    #[arg(long)]
    tracking_id: Option<TrackingId>,
    /// The seller's PayPal merchant id, when you already know it.
    #[arg(long)]
    merchant_id: Option<MerchantId>,
}

/// What `seller status` prints: the seller's identity, the flags the verdict is made of, and the
/// verdict. The status document's credentials and tokens are never printed.
#[derive(Debug, Serialize)]
struct SellerStatus {
    merchant_id: Option<MerchantId>,
    tracking_id: Option<TrackingId>,
    legal_name: Option<String>,
    payments_receivable: Option<bool>,
    primary_email_confirmed: Option<bool>,
    can_take_payments: bool,
    can_take_cards: bool,
    verdict: String,
    reasons: Vec<String>,
}

impl SellerStatus {
    fn new(status: &MerchantIntegration) -> Self {
        let readiness: Readiness = status.readiness();
        Self {
            merchant_id: status.merchant_id.clone(),
            tracking_id: status.tracking_id.clone(),
            legal_name: status.legal_name.clone(),
            payments_receivable: status.payments_receivable,
            primary_email_confirmed: status.primary_email_confirmed,
            can_take_payments: readiness.can_take_payments(),
            can_take_cards: readiness.can_take_cards(),
            verdict: readiness.to_string(),
            reasons: readiness.reasons(),
        }
    }
}

pub(crate) async fn run(ctx: &Ctx, client: &paypal_partner::Client, args: SellerArgs) -> CliResult {
    match args.command {
        SellerCommand::Status(args) => status(ctx, client, args).await,
    }
}

async fn status(ctx: &Ctx, client: &paypal_partner::Client, args: Status) -> CliResult {
    let integrations = client.merchant_integrations();
    let merchant_id = match (args.merchant_id, args.tracking_id) {
        (Some(merchant_id), _) => merchant_id,
        (None, Some(tracking_id)) => match integrations
            .find_by_tracking_id(tracking_id.clone())
            .send()
            .await?
        {
            MerchantLookup::Found(found) => found.merchant_id,
            MerchantLookup::Pending => {
                return Err(CliError::new(
                    ExitKind::NotFound,
                    format!(
                        "no seller has finished sign-up with tracking id `{tracking_id}` (yet: \
                         PayPal may take a while to report it; look again later)"
                    ),
                ));
            }
        },
        // clap's group makes one of the two required.
        (None, None) => return Err(CliError::invalid("give --tracking-id or --merchant-id")),
    };
    let document = integrations.status(merchant_id).send().await?;
    let view = SellerStatus::new(&document);
    if ctx.out.is_json() {
        return ctx.out.record(&view);
    }
    // The table renderer keeps arrays whole, as one JSON cell: the reasons, meant for a person,
    // go one per line instead.
    let mut table = serde_json::to_value(&view)
        .map_err(|e| CliError::other(format!("cannot print the result: {e}")))?;
    if let Some(fields) = table.as_object_mut() {
        if view.reasons.is_empty() {
            fields.remove("reasons");
        } else {
            fields.insert("reasons".into(), view.reasons.join("\n").into());
        }
    }
    ctx.out.record(&table)?;
    if !view.reasons.is_empty() {
        ctx.out
            .note("the seller cannot take payments yet: show them the reasons above");
    }
    Ok(())
}
