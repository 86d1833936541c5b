//! Shared fixtures: a client pointed at a mock server, a valid request, and the expected wire body.
#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use httpmock::MockServer;
use leanpub_affiliate::{Client, DiscountRequest, DiscountRequestBuilder, Recipient, RetryPolicy};
use serde_json::{Value, json};

pub const API_KEY: &str = "lk_test_9f8e7d6c5b4a-SUPER-SECRET";
pub const PARTNER_ID: &str = "partner-ÄÖÜ-42";
pub const PATH: &str = "/api/v2/PartnerDiscountRequest";

/// A client for `server`, retrying fast so tests stay quick.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client")
}

pub fn builder(server: &MockServer) -> leanpub_affiliate::ClientBuilder {
    Client::builder()
        .api_key(API_KEY)
        .partner_id(PARTNER_ID)
        .base_url(server.url("/api/v2").parse().unwrap())
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(50)),
        )
}

pub fn request() -> DiscountRequestBuilder {
    DiscountRequest::builder()
        .product_id("the-book")
        .origin("shop.example.com")
        .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
}

/// The body of [`request`] in the sandbox.
pub fn sandbox_body() -> Value {
    json!({
        "productId": "the-book",
        "partnerId": PARTNER_ID,
        "origin": "shop.example.com",
        "sandboxMode": true,
        "recipient": {"firstName": "Zoë", "lastName": "Ñúñez", "email": "zoe@example.com"}
    })
}

pub fn reply(code: i64, message: &str) -> Value {
    json!({"code": code, "message": message, "requestId": format!("req-{code}")})
}
