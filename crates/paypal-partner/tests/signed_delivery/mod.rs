//! Signed webhook deliveries for the webhook tests: a client on a test clock, PayPal's signing done
//! with the fixture key (see fixtures/README.md), and the fixture certificate served by the mock.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use base64::Engine as _;
use httpmock::prelude::*;
use paypal_partner::Client;
use paypal_partner::partner_core::clock::ManualClock;
use paypal_partner::webhooks::{WebhookHeaders, WebhookVerifier};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

pub const KEY: &[u8] = include_bytes!("../fixtures/webhook-key.pk8");
pub const CERT: &str = include_str!("../fixtures/webhook-cert.pem");
pub const EC_CERT: &str = include_str!("../fixtures/ec-cert.pem");
pub const WEBHOOK_ID: &str = "1JE4291016473214C";
/// 2030-01-01T00:00:00Z, inside the fixture certificate's validity.
pub const NOW: u64 = 1_893_456_000;
pub const SENT_AT: &str = "2030-01-01T00:00:00Z";
pub const CERT_PATH: &str = "/v1/notifications/certs/CERT-360caa42-fca2a594-test";
pub const TRANSMISSION_ID: &str = "b2384410-f8d2-11ec-b9a6-bd1ba6d8ad2c";

pub struct Fixture {
    pub server: MockServer,
    pub clock: ManualClock,
    pub client: Client,
}

pub async fn fixture() -> Fixture {
    let server = MockServer::start_async().await;
    let clock = ManualClock::at_unix(NOW);
    let client = Client::builder()
        .client_id(super::common::CLIENT_ID)
        .client_secret(super::common::SECRET)
        .environment(paypal_partner::Environment::custom(&server.base_url()).unwrap())
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    Fixture {
        server,
        clock,
        client,
    }
}

pub fn sign(message: &str) -> String {
    let key = RsaKeyPair::from_pkcs8(KEY).unwrap();
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        message.as_bytes(),
        &mut signature,
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(signature)
}

/// The headers PayPal sends with `body`, signed for [`WEBHOOK_ID`].
pub fn signed_headers(
    transmission_id: &str,
    sent_at: &str,
    cert_url: &str,
    body: &[u8],
) -> WebhookHeaders {
    let message = format!(
        "{transmission_id}|{sent_at}|{WEBHOOK_ID}|{}",
        crc32fast::hash(body)
    );
    let sig = sign(&message);
    WebhookHeaders::from_fn(|name| {
        Some(match name {
            "paypal-transmission-id" => transmission_id.to_owned(),
            "paypal-transmission-time" => sent_at.to_owned(),
            "paypal-transmission-sig" => sig.clone(),
            "paypal-cert-url" => cert_url.to_owned(),
            "paypal-auth-algo" => "SHA256withRSA".to_owned(),
            _ => return None,
        })
    })
    .unwrap()
}

/// [`signed_headers`] for transmission [`TRANSMISSION_ID`] sent at [`SENT_AT`].
pub fn headers(cert_url: String, body: &[u8]) -> WebhookHeaders {
    signed_headers(TRANSMISSION_ID, SENT_AT, &cert_url, body)
}

pub fn verifier(client: &Client) -> WebhookVerifier {
    WebhookVerifier::builder(client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .build()
}

/// The certificate at [`CERT_PATH`], fetched without credentials as PayPal serves it.
pub async fn serve<'a>(server: &'a MockServer, pem: &str) -> httpmock::Mock<'a> {
    let pem = pem.to_owned();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(CERT_PATH)
                .header_missing("authorization");
            then.status(200)
                .header("content-type", "application/x-pem-file")
                .body(pem);
        })
        .await
}
