//! `partner paypal ...`: the PayPal partner API, one module per resource.
//!
//! Onboarding (`referral`, `seller`), payments for a seller (`orders`, `captures`), webhook
//! registrations (`webhooks`) and the local check of a delivery (`webhook verify`).

mod captures;
mod orders;
mod referral;
mod refunds;
mod seller;
mod webhook_events;
mod webhook_verify;
mod webhooks;

use clap::{Args, Subcommand};
use paypal_partner::IdempotencyKey;

use crate::context::Ctx;
use crate::exit::CliResult;

/// `partner paypal`.
#[derive(Debug, Args)]
pub(crate) struct PaypalArgs {
    #[command(subcommand)]
    command: PaypalCommand,
}

#[derive(Debug, Subcommand)]
enum PaypalCommand {
    /// Partner referrals: the sign-up link that onboards a seller to PayPal.
    Referral(referral::ReferralArgs),
    /// A seller's onboarding: their PayPal merchant id and whether they can take payments.
    Seller(seller::SellerArgs),
    /// Orders taken for a seller: create, get, capture, authorize.
    Orders(orders::OrdersArgs),
    /// Captured payments: get one, refund it.
    Captures(captures::CapturesArgs),
    /// Refunds of captures: get one.
    Refunds(refunds::RefundsArgs),
    /// Webhook registrations (list, get, create, delete, event types), simulated events, and the
    /// events PayPal sent.
    Webhooks(webhooks::WebhooksArgs),
    /// One webhook delivery: verify its signature locally (for debugging a receiver).
    Webhook(webhook_verify::WebhookArgs),
}

pub(crate) async fn run(ctx: &Ctx, args: PaypalArgs) -> CliResult {
    let client = ctx.paypal()?;
    match args.command {
        PaypalCommand::Referral(args) => referral::run(ctx, &client, args).await,
        PaypalCommand::Seller(args) => seller::run(ctx, &client, args).await,
        PaypalCommand::Orders(args) => orders::run(ctx, &client, args).await,
        PaypalCommand::Captures(args) => captures::run(ctx, &client, args).await,
        PaypalCommand::Refunds(args) => refunds::run(ctx, &client, args).await,
        PaypalCommand::Webhooks(args) => webhooks::run(ctx, &client, args).await,
        PaypalCommand::Webhook(args) => webhook_verify::run(ctx, &client, args).await,
    }
}

/// A clap `value_parser` for `--request-id`: PayPal's `PayPal-Request-Id`, 1 to 108 visible ASCII
/// characters (the crate's `IdempotencyKey`, held to PayPal's shorter limit here so that a long key
/// is refused as an argument).
fn request_id(value: &str) -> Result<IdempotencyKey, String> {
    const PAYPAL_MAX: usize = 108;
    if value.len() > PAYPAL_MAX {
        return Err(format!("must be at most {PAYPAL_MAX} characters"));
    }
    IdempotencyKey::new(value).map_err(|e| e.reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_follow_paypal_limits() {
        assert!(request_id("order-2026-0001").is_ok());
        assert!(request_id("").unwrap_err().contains("1 to"));
        assert!(request_id("has space").is_err());
        assert!(request_id(&"k".repeat(109)).unwrap_err().contains("108"));
        assert!(request_id(&"k".repeat(108)).is_ok());
    }
}
