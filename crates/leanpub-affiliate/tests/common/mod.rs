//! Shared fixtures: a client pointed at a mock server, a valid request, and the expected wire body.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use httpmock::MockServer;
use leanpub_affiliate::{
    Acknowledgement, Client, DiscountRequest, DiscountRequestBuilder, Environment, Error,
    Recipient, RetryPolicy,
};
use partner_core::TransportError;
use partner_core::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
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
        .environment(Environment::custom(&server.url("/api/v2")).unwrap())
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(10), Duration::from_millis(50)),
        )
}

/// A client of a named environment (`Production`, `Sandbox`) whose requests, addressed to
/// `https://leanpub.schams.net`, are delivered to `server` instead: nothing leaves the machine.
pub fn named_client(server: &MockServer, environment: Environment) -> Client {
    builder(server)
        .environment(environment)
        .transport(Arc::new(Redirect::to(&server.base_url())))
        .build()
        .expect("client")
}

/// Sends `request` with `client`, the one operation of the crate.
pub async fn send(client: &Client, request: &DiscountRequest) -> Result<Acknowledgement, Error> {
    client.discounts().request(request.clone()).send().await
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

/// The real transport, with every request's scheme and authority replaced by a loopback server's
/// (the path and everything else kept), so that a client of the real service can be tested.
#[derive(Debug)]
pub struct Redirect {
    inner: ReqwestTransport,
    scheme: String,
    authority: String,
}

impl Redirect {
    pub fn to(base_url: &str) -> Self {
        let uri: partner_core::http::Uri = base_url.parse().unwrap();
        Self {
            inner: ReqwestTransport::new().unwrap(),
            scheme: uri.scheme_str().unwrap().to_owned(),
            authority: uri.authority().unwrap().to_string(),
        }
    }
}

impl Transport for Redirect {
    fn send(
        &self,
        mut request: HttpRequest,
        max_response_bytes: usize,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>> {
        let mut parts = request.uri().clone().into_parts();
        parts.scheme = Some(self.scheme.parse().unwrap());
        parts.authority = Some(self.authority.parse().unwrap());
        *request.uri_mut() = partner_core::http::Uri::from_parts(parts).unwrap();
        self.inner.send(request, max_response_bytes)
    }
}
