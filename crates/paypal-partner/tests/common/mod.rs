//! Shared test helpers: a client pointed at an httpmock server, and the token endpoint mock.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use base64::Engine as _;
use httpmock::prelude::*;
use paypal_partner::{Client, RetryPolicy};
use serde_json::json;

pub const CLIENT_ID: &str = "partner-client-id";
pub const SECRET: &str = "partner-secret-value";
pub const PARTNER_ID: &str = "PARTNERMERCHANT1";
pub const BN_CODE: &str = "PLATFORM_SP_PPCP";
pub const TOKEN: &str = "A21AAtest-access-token";

pub fn basic_auth() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{SECRET}"))
    )
}

pub fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// `POST /v1/oauth2/token` as PayPal documents it.
pub async fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/oauth2/token")
                .header("authorization", basic_auth())
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials");
            then.status(200).json_body(json!({
                "scope": "https://uri.paypal.com/services/customer/partner-referrals/readwrite https://uri.paypal.com/services/customer/partner",
                "access_token": TOKEN,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": 31349,
                "nonce": "2024-01-01T00:00:00ZdJ3cKk"
            }));
        })
        .await
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .with_max_retry_after(Duration::from_secs(5))
}

pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .partner_merchant_id(PARTNER_ID)
        .bn_code(BN_CODE)
        .environment(paypal_partner::Environment::custom(&server.base_url()).unwrap())
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

pub fn header<'a>(req: &'a httpmock::HttpMockRequest, name: &str) -> Option<&'a str> {
    req.headers_vec()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
