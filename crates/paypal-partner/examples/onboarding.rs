//! Seller onboarding, end to end: sign-up link → poll for the merchant id → readiness.
//!
//! ```sh
//! PAYPAL_CLIENT_ID=... PAYPAL_CLIENT_SECRET=... PAYPAL_PARTNER_MERCHANT_ID=<your PayPal merchant id> \
//! cargo run -p paypal-partner --example onboarding
//! ```
//!
//! `PAYPAL_ENVIRONMENT` is optional (`sandbox` by default, `production`, or a URL): point it at a
//! local simulator to run without PayPal. `PAYPAL_TRACKING_ID` picks the seller's tracking id (default: a fresh one), and
//! `PAYPAL_POLL_SECONDS` how long to wait for the seller to finish (default 300).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use paypal_partner::Client;
use paypal_partner::merchant_integrations::MerchantLookup;
use paypal_partner::referrals::{Feature, Product, ReferralRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    if client.partner_merchant_id().is_none() {
        return Err("set PAYPAL_PARTNER_MERCHANT_ID (your PayPal merchant id)".into());
    }

    let tracking_id = std::env::var("PAYPAL_TRACKING_ID").unwrap_or_else(|_| {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        format!("seller-{}", now.as_secs())
    });

    // 1. The sign-up link, tied to our tracking id. Store tracking_id -> seller on your side now:
    //    the return redirect may never come.
    let referral = ReferralRequest::builder()
        .tracking_id(&tracking_id)
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()?;
    let created = match client.referrals().create(&referral).send().await {
        Ok(created) => created,
        Err(err) => {
            eprintln!(
                "could not create the referral: {err} (PayPal error {:?}, debug id {:?})",
                err.provider_details::<paypal_partner::ErrorDetails>()
                    .and_then(paypal_partner::ErrorDetails::code),
                err.request_id()
            );
            return Err(err.into());
        }
    };
    println!("tracking id: {tracking_id}");
    println!("send the seller to: {}", created.action_url()?);

    // 2. Poll for the merchant id, with backoff (prefer the MERCHANT.ONBOARDING.COMPLETED webhook).
    let budget: u64 = std::env::var("PAYPAL_POLL_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(budget);
    let mut wait = Duration::from_secs(2);
    let merchant = loop {
        match client
            .merchant_integrations()
            .find_by_tracking_id(&tracking_id)
            .send()
            .await?
        {
            MerchantLookup::Found(found) => break found,
            MerchantLookup::Pending if tokio::time::Instant::now() + wait < deadline => {
                println!("not finished yet; checking again in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(60));
            }
            MerchantLookup::Pending => {
                println!(
                    "the seller has not finished; run again later with PAYPAL_TRACKING_ID={tracking_id}"
                );
                return Ok(());
            }
        }
    };
    println!("merchant id: {}", merchant.merchant_id);

    // 3. Can they take payments? The verdict comes from the API, never from the return URL.
    let status = client
        .merchant_integrations()
        .status(&merchant.merchant_id)
        .send()
        .await?;
    let readiness = status.readiness();
    println!("{readiness}");
    for reason in readiness.reasons() {
        println!("  - {reason}");
    }
    Ok(())
}
