//! `partner paypal referral ...`: the sign-up link that onboards a seller.

use clap::{Args, Subcommand};
use paypal_partner::IdempotencyKey;
use paypal_partner::referrals::{Feature, Product, ReferralRequest};
use paypal_partner::{PartnerReferralId, TrackingId};

use super::request_id;
use crate::arg_values::known;
use crate::context::Ctx;
use crate::exit::{CliError, CliResult};

/// `partner paypal referral`.
#[derive(Debug, Args)]
pub(crate) struct ReferralArgs {
    #[command(subcommand)]
    command: ReferralCommand,
}

#[derive(Debug, Subcommand)]
enum ReferralCommand {
    /// Create a partner referral and print the seller's sign-up link (`action_url`); `--json`
    /// prints PayPal's whole answer (its `self` and `action_url` links).
    ///
    /// The referral asks for PayPal Complete Payments (PPCP) with a third-party API integration:
    /// the seller lets you take payments, refund them and take your platform fee on their behalf
    /// (features PAYMENT, REFUND, PARTNER_FEE unless --features says otherwise), and consents to
    /// share their data. Once they finished, `partner paypal seller status --tracking-id T` finds
    /// them.
    Create(CreateReferral),
    /// A referral as PayPal stored it: the referral data sent (tracking id, products, features,
    /// return URL) and its links.
    Get {
        /// The referral id: the last segment of its `self` link, the `referralToken` of its
        /// sign-up link (`referral create` prints it on stderr).
        id: PartnerReferralId,
    },
}

#[derive(Debug, Args)]
struct CreateReferral {
    /// Your own id for the seller (1 to 127 characters): the key to find them again with
    /// `seller status --tracking-id`. Store it before sending the link.
    #[arg(long)]
    tracking_id: TrackingId,
    /// Where PayPal sends the seller back after sign-up (absolute http(s) URL, at most 127
    /// characters). PayPal drops non-public and non-https URLs: do not rely on the return alone.
    #[arg(long, value_name = "URL")]
    return_url: String,
    /// The PayPal products to onboard the seller to, comma-separated (default: PPCP).
    #[arg(long, value_delimiter = ',', value_parser = known::<Product>, value_name = "PRODUCT,...")]
    products: Vec<Product>,
    /// The REST features the seller grants you, comma-separated (default: PAYMENT,REFUND,PARTNER_FEE);
    /// each must also be enabled on your REST app, or onboarding fails.
    #[arg(long, value_delimiter = ',', value_parser = known::<Feature>, value_name = "FEATURE,...")]
    features: Vec<Feature>,
    /// The seller's email address, to pre-fill the sign-up form.
    #[arg(long)]
    email: Option<String>,
    /// The language of the sign-up pages (`en`, `en-US`, `zh-Hant-TW`).
    #[arg(long, value_name = "CODE")]
    language: Option<String>,
    /// The seller's country (ISO 3166-1 alpha-2, in capitals: `US`).
    #[arg(long, value_name = "CODE")]
    country: Option<String>,
    /// Sent as `PayPal-Request-Id` (1 to 108 visible ASCII characters; generated when absent):
    /// repeating a create that failed or timed out with the same id is not applied twice.
    #[arg(long, visible_alias = "idempotency-key", value_parser = request_id, value_name = "ID")]
    request_id: Option<IdempotencyKey>,
}

pub(crate) async fn run(
    ctx: &Ctx,
    client: &paypal_partner::Client,
    args: ReferralArgs,
) -> CliResult {
    match args.command {
        ReferralCommand::Create(args) => create(ctx, client, args).await,
        ReferralCommand::Get { id } => ctx.out.record(&client.referrals().get(id).send().await?),
    }
}

async fn create(ctx: &Ctx, client: &paypal_partner::Client, args: CreateReferral) -> CliResult {
    let products = if args.products.is_empty() {
        vec![Product::Ppcp]
    } else {
        args.products
    };
    let features = if args.features.is_empty() {
        vec![Feature::Payment, Feature::Refund, Feature::PartnerFee]
    } else {
        args.features
    };
    let mut referral = ReferralRequest::builder()
        .tracking_id(args.tracking_id.clone())
        .features(features)
        .products(products)
        .share_data_consent(true)
        .return_url(args.return_url);
    if let Some(email) = args.email {
        referral = referral.email(email);
    }
    if let Some(language) = args.language {
        referral = referral.preferred_language_code(language);
    }
    if let Some(country) = args.country {
        referral = referral.legal_country_code(country);
    }
    let referral = referral.build()?;
    let mut call = client.referrals().create(&referral);
    if let Some(key) = args.request_id {
        call = call.idempotency_key(key);
    }
    let created = call.send().await?;
    if ctx.out.is_json() {
        return ctx.out.record(&created);
    }
    let url = created
        .action_url()
        .map_err(|e| CliError::other(format!("the referral was created, but {e}")))?;
    ctx.out.line(url.as_str())?;
    let id = created
        .partner_referral_id()
        .map(|id| format!(" (referral {id})"))
        .unwrap_or_default();
    ctx.out.note(&format!(
        "send the seller to this link{id}; then: partner paypal seller status --tracking-id {}",
        args.tracking_id
    ));
    Ok(())
}
