//! Issue 15, item 4: an HTTP 200 whose body is `{}` or a PayPal error body decoded to an `Ok` resource
//! with every field `None`. Resources whose identity PayPal always returns (order, capture, refund,
//! payout item, referral) now require it, so such a body is `Error::Decode` naming the field.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use paypal_partner::captures::RefundRequest;
use paypal_partner::partner_core::bytes::Bytes;
use paypal_partner::partner_core::error::TransportError;
use paypal_partner::partner_core::http;
use paypal_partner::partner_core::transport::{HttpRequest, HttpResponse, Transport};
use paypal_partner::referenced_payouts::ReleaseOutcome;
use paypal_partner::{Client, Error};

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

const ERROR_BODY: &str = r#"{"name":"RESOURCE_NOT_FOUND","message":"The specified resource does not exist.","debug_id":"90957fca61718"}"#;

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
    ) -> Boxed<'_, Result<HttpResponse, TransportError>> {
        let body = if request.uri().path() == "/v1/oauth2/token" {
            r#"{"access_token":"t","token_type":"Bearer","expires_in":32400}"#
        } else {
            self.body
        };
        Box::pin(async move {
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from_static(body.as_bytes()))
                .unwrap())
        })
    }
}

fn client(body: &'static str) -> Client {
    Client::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .environment(paypal_partner::Environment::custom("https://paypal.invalid").unwrap())
        .transport(Arc::new(Answer { body }))
        .build()
        .unwrap()
}

fn assert_missing(result: Result<(), Error>, field: &str, what: &str, body: &str) {
    match result {
        Err(Error::Decode(decode)) => {
            assert!(
                decode.message.contains(&format!("missing field `{field}`")),
                "{what} {body}: {decode}"
            );
            assert_eq!(decode.status.map(|s| s.as_u16()), Some(200), "{what}");
        }
        other => panic!("{what} {body}: expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_200_without_the_resource_id_is_a_decode_error() {
    for body in ["{}", ERROR_BODY] {
        let c = client(body);
        assert_missing(
            c.orders().get("O1").send().await.map(drop),
            "id",
            "orders.get",
            body,
        );
        assert_missing(
            c.orders().capture("O1").send().await.map(drop),
            "id",
            "orders.capture",
            body,
        );
        assert_missing(
            c.captures().get("C1").send().await.map(drop),
            "id",
            "captures.get",
            body,
        );
        assert_missing(
            c.captures()
                .refund("C1", &RefundRequest::full())
                .send()
                .await
                .map(drop),
            "id",
            "captures.refund",
            body,
        );
        assert_missing(
            c.referenced_payouts().get_item("I1").send().await.map(drop),
            "item_id",
            "referenced_payouts.get_item",
            body,
        );
        assert_missing(
            c.referenced_payouts()
                .release("C1")
                .send()
                .await
                .map(|_: ReleaseOutcome| ()),
            "item_id",
            "referenced_payouts.release",
            body,
        );
        assert_missing(
            c.referrals().get("R1").send().await.map(drop),
            "partner_referral_id",
            "referrals.get",
            body,
        );
    }
}

#[tokio::test]
async fn a_capture_inside_an_order_needs_its_id_too() {
    let body =
        r#"{"id":"O1","purchase_units":[{"payments":{"captures":[{"status":"COMPLETED"}]}}]}"#;
    match client(body).orders().get("O1").send().await {
        Err(Error::Decode(decode)) => {
            assert!(decode.message.contains("missing field `id`"), "{decode}");
            assert!(decode.path.contains("captures[0]"), "{}", decode.path);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_with_the_id_still_decodes() {
    let order = client(r#"{"id":"O1"}"#)
        .orders()
        .get("O1")
        .send()
        .await
        .unwrap();
    assert_eq!(order.id, "O1");
}
