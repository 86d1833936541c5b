//! The harness shared by the `sandbox_*` flow tests: a simulator, a client pointed at it, an onboarded
//! seller, and a reader for PayPal's refusals.

#![allow(dead_code)] // each test file uses its own part of the harness

use std::time::Duration;

use partner_core::RetryPolicy;
use partner_sandbox::paypal::SellerChoices;
use partner_sandbox::{Sandbox, SandboxConfig};
use paypal_partner::referrals::{Feature, Product, ReferralRequest};
use paypal_partner::{Client, Error, ErrorDetails, Money};

/// Retries fast enough for a test, so a transient fault does not slow the suite.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(10), Duration::from_millis(50))
}

/// A client with the simulator's partner credentials, over the real HTTP transport.
pub(crate) fn client_for(sandbox: &Sandbox) -> Client {
    let creds = sandbox.paypal().credentials();
    Client::builder()
        .client_id(&creds.client_id)
        .client_secret(creds.client_secret.as_str())
        .partner_merchant_id(&creds.partner_id)
        .bn_code(&creds.bn_code)
        .environment(paypal_partner::Environment::Custom(
            sandbox.paypal().base_url(),
        ))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A fresh simulator (seeded, so ids repeat run to run) and a client for it.
pub(crate) async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::new().seed(24)).await.unwrap();
    let client = client_for(&sandbox);
    (sandbox, client)
}

/// A seller onboarded through the real flow (referral, then the sign-up page); its merchant id.
pub(crate) async fn onboard(sandbox: &Sandbox, client: &Client, tracking_id: &str) -> String {
    let referral = ReferralRequest::builder()
        .tracking_id(tracking_id)
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()
        .unwrap();
    let created = client.referrals().create(&referral).send().await.unwrap();
    let action_url = created.action_url().unwrap();
    sandbox
        .paypal()
        .complete_onboarding(action_url.as_str(), SellerChoices::default())
        .unwrap()
}

/// US dollars.
pub(crate) fn usd(value: &str) -> Money {
    Money::parse("USD", value).unwrap()
}

/// The HTTP status, PayPal's error `name` and first issue of a refusal; panics on anything else, so a
/// test that expects a refusal fails when the call succeeds or fails another way.
pub(crate) fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String, String) {
    let err = result.expect_err("PayPal should refuse this call");
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    let status = api.status.as_u16();
    let details = err
        .provider_details::<ErrorDetails>()
        .expect("PayPal's error document");
    (
        status,
        details.name.clone().unwrap_or_default(),
        details.first_issue().unwrap_or_default().to_owned(),
    )
}
