//! `partner paypal captures ...`: captured payments and their refunds.

use clap::{Args, Subcommand};
use paypal_partner::captures::RefundRequest;
use paypal_partner::{CaptureId, IdempotencyKey, MerchantId, Money};
use rust_decimal::Decimal;

use super::request_id;
use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner paypal captures`.
#[derive(Debug, Args)]
pub(crate) struct CapturesArgs {
    #[command(subcommand)]
    command: CapturesCommand,
}

#[derive(Debug, Subcommand)]
enum CapturesCommand {
    /// One capture: its status, amount and the seller's breakdown (gross, PayPal fee, platform
    /// fees, net).
    Get {
        /// The capture id (from `orders capture`).
        id: CaptureId,
        /// The seller's PayPal merchant id: read the capture as that seller
        /// (`PayPal-Auth-Assertion`).
        #[arg(long, value_name = "MERCHANT_ID")]
        seller: Option<MerchantId>,
    },
    /// Refund a capture, in full or in part (`--amount`), and print the refund (`refunds get`
    /// reads it again).
    Refund(Refund),
}

#[derive(Debug, Args)]
struct Refund {
    /// The capture id (from `orders capture`).
    id: CaptureId,
    /// The seller's PayPal merchant id: refund as that seller (`PayPal-Auth-Assertion`), for a
    /// capture taken on their behalf.
    #[arg(long, value_name = "MERCHANT_ID")]
    seller: Option<MerchantId>,
    /// Refund this much, in the currency's units (`2.50`); all that remains of the capture when
    /// absent.
    #[arg(long, requires = "currency")]
    amount: Option<Decimal>,
    /// The currency of --amount (ISO 4217, in capitals: `USD`).
    #[arg(long, value_name = "CODE", requires = "amount")]
    currency: Option<String>,
    /// How much of your platform fee to give back, in the currency of --amount (not above it).
    #[arg(long, value_name = "AMOUNT", requires = "amount")]
    platform_fee: Option<Decimal>,
    /// A note to the buyer (at most 255 characters).
    #[arg(long)]
    note: Option<String>,
    /// Your invoice id for the refund.
    #[arg(long)]
    invoice_id: Option<String>,
    /// Sent as `PayPal-Request-Id` (1 to 108 visible ASCII characters; generated when absent): a
    /// refund that failed or timed out, repeated with the same id, is not applied twice.
    #[arg(long, visible_alias = "idempotency-key", value_parser = request_id, value_name = "ID")]
    request_id: Option<IdempotencyKey>,
}

pub(crate) async fn run(
    ctx: &Ctx,
    client: &paypal_partner::Client,
    args: CapturesArgs,
) -> CliResult {
    match args.command {
        CapturesCommand::Get { id, seller } => {
            let mut call = client.captures().get(id);
            if let Some(seller) = seller {
                call = call.on_behalf_of(seller);
            }
            ctx.out.record(&call.send().await?)
        }
        CapturesCommand::Refund(args) => refund(ctx, client, args).await,
    }
}

async fn refund(ctx: &Ctx, client: &paypal_partner::Client, args: Refund) -> CliResult {
    let mut refund = match (args.amount, args.currency) {
        (Some(amount), Some(currency)) => {
            let mut refund = RefundRequest::amount(Money::new(currency.clone(), amount));
            if let Some(fee) = args.platform_fee {
                refund = refund.platform_fee(Money::new(currency, fee));
            }
            refund
        }
        // clap requires --amount and --currency together.
        _ => RefundRequest::full(),
    };
    if let Some(note) = args.note {
        refund = refund.note_to_payer(note);
    }
    if let Some(id) = args.invoice_id {
        refund = refund.invoice_id(id);
    }
    let refund = refund.build()?;
    let mut call = client.captures().refund(args.id.clone(), &refund);
    if let Some(seller) = args.seller {
        call = call.on_behalf_of(seller);
    }
    if let Some(key) = args.request_id {
        call = call.idempotency_key(key);
    }
    let created = call.send().await?;
    ctx.out.record(&created)?;
    ctx.out.note(&format!(
        "refunded capture {}: refund {}",
        args.id, created.id
    ));
    Ok(())
}
