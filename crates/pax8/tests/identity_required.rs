//! Issue 15, item 4, checked for Pax8: a resource whose identity the API always returns requires it
//! when decoding, so an HTTP 200 carrying `{}` or a Pax8 error body is `Error::Decode` naming `id`,
//! never an `Ok` resource without one.

use std::sync::Arc;

use futures_util::future::{BoxFuture, FutureExt};
use partner_core::bytes::Bytes;
use partner_core::error::TransportError;
use partner_core::transport::{HttpRequest, HttpResponse, Transport};
use pax8::{Client, Error};

// Pax8's error shape without `status`, which some resources also have (with another type): this
// shows the missing `id`, not a type clash.
const ERROR_BODY: &str =
    r#"{"type":"NOT_FOUND","message":"Company not found","instance":"/v1/companies/x"}"#;

/// Answers every API call with status 200 and `body`.
#[derive(Debug)]
struct Answer {
    body: &'static str,
}

impl Transport for Answer {
    fn send(
        &self,
        request: HttpRequest,
        _max: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let body = if request.uri().path() == "/v1/token" {
            r#"{"access_token":"t","token_type":"Bearer","expires_in":86400}"#
        } else {
            self.body
        };
        async move {
            Ok(pax8::http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from_static(body.as_bytes()))
                .unwrap())
        }
        .boxed()
    }
}

fn client(body: &'static str) -> Client {
    Client::builder()
        .client_id("id")
        .client_secret("secret")
        .environment(pax8::Environment::custom("https://pax8.invalid").unwrap())
        .without_rate_limit()
        .transport(Arc::new(Answer { body }))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_200_without_the_resource_id_is_a_decode_error() {
    for body in ["{}", ERROR_BODY] {
        let c = client(body);
        let results: Vec<(&str, Result<(), Error>)> = vec![
            (
                "companies.get",
                c.companies().get("c").send().await.map(drop),
            ),
            (
                "contacts.get",
                c.companies().contacts("c").get("k").send().await.map(drop),
            ),
            ("products.get", c.products().get("p").send().await.map(drop)),
            ("orders.get", c.orders().get("o").send().await.map(drop)),
            (
                "subscriptions.get",
                c.subscriptions().get("s").send().await.map(drop),
            ),
            (
                "usage.get",
                c.usage_summaries().get("u").send().await.map(drop),
            ),
            ("invoices.get", c.invoices().get("i").send().await.map(drop)),
            ("webhooks.get", c.webhooks().get("w").send().await.map(drop)),
            (
                "webhooks.log",
                c.webhooks().log("w", "l").send().await.map(drop),
            ),
        ];
        for (what, result) in results {
            match result {
                Err(Error::Decode(decode)) => assert!(
                    decode.message.contains("missing field `id`"),
                    "{what} {body}: {decode}"
                ),
                other => panic!("{what} {body}: expected a decode error, got {other:?}"),
            }
        }
    }
}
