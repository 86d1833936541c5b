//! Every id-taking operation, called with hostile ids: each call either goes to exactly the intended
//! path (the id as one percent-encoded segment) or is refused before sending with
//! `Error::InvalidInput` naming the id's field. Issue 15, item 3: `.`/`..` were dropped by the URL
//! library, so `GET /v2/checkout/orders/..` went out as `GET /v2/checkout/orders` and
//! `POST /v2/checkout/orders/../capture` as `POST /v2/checkout/orders/capture`.
//!
//! A recording transport captures each request's path without any network. To cover a new
//! operation, add a row to `operations()`.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use paypal_partner::captures::RefundRequest;
use paypal_partner::partner_core::bytes::Bytes;
use paypal_partner::partner_core::error::TransportError;
use paypal_partner::partner_core::http::{self, Method};
use paypal_partner::partner_core::transport::{HttpRequest, HttpResponse, Transport};
use paypal_partner::{Client, Error};

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Records every API request (method and raw path) and answers 404, which is not retried.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<(Method, String)>>,
}

impl Transport for Recorder {
    fn send(
        &self,
        request: HttpRequest,
        _max: usize,
    ) -> Boxed<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let path = request.uri().path().to_owned();
            if path == "/v1/oauth2/token" {
                let token = r#"{"access_token":"t","token_type":"Bearer","expires_in":32400}"#;
                return Ok(response(200, token));
            }
            self.sent
                .lock()
                .unwrap()
                .push((request.method().clone(), path));
            Ok(response(404, "{}"))
        })
    }
}

fn response(status: u16, body: &'static str) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from_static(body.as_bytes()))
        .unwrap()
}

fn client(recorder: &Arc<Recorder>, partner_id: &str) -> Result<Client, Error> {
    Client::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .partner_merchant_id(partner_id)
        .base_url("https://paypal.invalid".parse().unwrap())
        .transport(recorder.clone())
        .build()
}

type Call = fn(Arc<Recorder>, String) -> Boxed<'static, Result<(), Error>>;

/// One id of one operation: the request it must send, with `{}` standing for the hostile id (other
/// ids of the path are fixed, benign ones).
struct Operation {
    name: &'static str,
    field: &'static str,
    method: Method,
    path: &'static [&'static str],
    call: Call,
}

macro_rules! op {
    ($name:literal, $field:literal, $method:ident, [$($segment:literal),+], |$rec:ident, $id:ident| $call:expr) => {
        Operation {
            name: $name,
            field: $field,
            method: Method::$method,
            path: &[$($segment),+],
            call: |$rec, $id| Box::pin(async move { $call.map(drop) }),
        }
    };
}

fn operations() -> Vec<Operation> {
    vec![
        op!(
            "orders.get",
            "order_id",
            GET,
            ["v2", "checkout", "orders", "{}"],
            |r, id| client(&r, "PARTNER1")?.orders().get(&id).send().await
        ),
        op!(
            "orders.capture",
            "order_id",
            POST,
            ["v2", "checkout", "orders", "{}", "capture"],
            |r, id| client(&r, "PARTNER1")?.orders().capture(&id).send().await
        ),
        op!(
            "captures.get",
            "capture_id",
            GET,
            ["v2", "payments", "captures", "{}"],
            |r, id| client(&r, "PARTNER1")?.captures().get(&id).send().await
        ),
        op!(
            "captures.refund",
            "capture_id",
            POST,
            ["v2", "payments", "captures", "{}", "refund"],
            |r, id| client(&r, "PARTNER1")?
                .captures()
                .refund(&id, &RefundRequest::full())
                .send()
                .await
        ),
        op!(
            "referenced_payouts.get_item",
            "payouts_item_id",
            GET,
            ["v1", "payments", "referenced-payouts-items", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .referenced_payouts()
                .get_item(&id)
                .await
        ),
        op!(
            "referrals.get",
            "partner_referral_id",
            GET,
            ["v2", "customer", "partner-referrals", "{}"],
            |r, id| client(&r, "PARTNER1")?.referrals().get(&id).await
        ),
        op!(
            "merchant_integrations.status",
            "merchant_id",
            GET,
            [
                "v1",
                "customer",
                "partners",
                "PARTNER1",
                "merchant-integrations",
                "{}"
            ],
            |r, id| client(&r, "PARTNER1")?
                .merchant_integrations()
                .status(&id)
                .send()
                .await
        ),
        op!(
            "merchant_integrations.status",
            "partner_merchant_id",
            GET,
            [
                "v1",
                "customer",
                "partners",
                "{}",
                "merchant-integrations",
                "SELLER1"
            ],
            |r, id| client(&r, &id)?
                .merchant_integrations()
                .status("SELLER1")
                .send()
                .await
        ),
        op!(
            "merchant_integrations.find_by_tracking_id",
            "partner_merchant_id",
            GET,
            ["v1", "customer", "partners", "{}", "merchant-integrations"],
            |r, id| client(&r, &id)?
                .merchant_integrations()
                .find_by_tracking_id("tracking-1")
                .await
        ),
    ]
}

/// The ids of issue 15 and their relatives.
fn hostile_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "",
        " ",
        ".",
        "..",
        "/",
        "?",
        "#",
        "%2F",
        "%2f",
        "%2e%2e",
        "%2E%2E",
        "%2e",
        ".%2e",
        "a\tb",
        "a\rb",
        "a\nb",
        "\n",
        "a\u{0}b",
        "a\u{7f}b",
        "a\u{85}b",
        "../x",
        "./x",
        "x/..",
        "a/b",
        "a?b=c",
        "a#b",
        "\\..",
        "..\\",
        "...",
        "a b",
        "zoë",
        ";x",
        "..;",
        "%00",
        "a%2Fb",
        "\u{202e}x",
    ]
    .map(String::from)
    .to_vec();
    ids.push("a".repeat(70_000));
    ids
}

/// Must be refused by every operation: by the path rule every crate shares, or by PayPal's id rule
/// (1 to 255 characters, no whitespace).
fn must_refuse(id: &str) -> bool {
    id.is_empty()
        || id == "."
        || id == ".."
        || id.chars().any(|c| c.is_control() || c.is_whitespace())
        || id.len() > 255
}

/// The path's segments, each percent-decoded once (an independent decoder: not the one that encoded).
fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|segment| {
            let bytes = segment.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 2 < bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).expect("valid escape"));
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).expect("UTF-8 segment")
        })
        .collect()
}

#[tokio::test]
async fn hostile_ids_never_move_a_request_to_another_path() {
    let recorder = Arc::new(Recorder::default());
    let (mut sent_right, mut refused) = (0, 0);
    let (mut elsewhere, mut mistakes) = (Vec::new(), Vec::new());
    for op in operations() {
        for id in hostile_ids() {
            let before = recorder.sent.lock().unwrap().len();
            let result = (op.call)(recorder.clone(), id.clone()).await;
            let sent: Vec<_> = recorder.sent.lock().unwrap()[before..].to_vec();
            let shown = if id.len() > 40 {
                format!("{} chars", id.len())
            } else {
                format!("{id:?}")
            };
            let intended: Vec<String> = op
                .path
                .iter()
                .map(|s| {
                    if *s == "{}" {
                        id.clone()
                    } else {
                        (*s).to_owned()
                    }
                })
                .collect();
            for (method, path) in &sent {
                if *method != op.method || decoded_segments(path) != intended {
                    elsewhere.push(format!("{} {shown}: {method} {path}", op.name));
                }
            }
            if sent.is_empty() {
                match &result {
                    Err(Error::InvalidInput(input)) if input.field == op.field => refused += 1,
                    other => {
                        mistakes.push(format!("{} {shown}: nothing sent, yet {other:?}", op.name))
                    }
                }
            } else {
                sent_right += 1;
            }
            if sent.is_empty() != must_refuse(&id) {
                mistakes.push(format!(
                    "{} {shown}: sent {} request(s)",
                    op.name,
                    sent.len()
                ));
            }
        }
    }
    assert!(
        elsewhere.is_empty(),
        "{} requests went elsewhere:\n{}",
        elsewhere.len(),
        elsewhere.join("\n")
    );
    assert!(mistakes.is_empty(), "{}", mistakes.join("\n"));
    assert!(
        sent_right > 0 && refused > 0,
        "{sent_right} sent, {refused} refused"
    );
}

#[test]
fn the_decoder_of_this_test_decodes() {
    assert_eq!(decoded_segments("/v1/a%2Fb/%252e"), ["v1", "a/b", "%2e"]);
}
