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
use std::sync::Arc;

use paypal_partner::captures::RefundRequest;
use paypal_partner::partner_core::http::Method;
use paypal_partner::{Client, Error};

use partner_testkit::paths::{RecordingTransport, decoded_segments, hostile_ids};

/// What the recorder answers on the token endpoint.
const TOKEN: &str = r#"{"access_token":"t","token_type":"Bearer","expires_in":32400}"#;

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

fn client(recorder: &Arc<RecordingTransport>, partner_id: &str) -> Result<Client, Error> {
    Client::builder()
        .client_id("client-id")
        .client_secret("client-secret")
        .partner_merchant_id(partner_id)
        .environment(paypal_partner::Environment::custom("https://paypal.invalid").unwrap())
        .transport(recorder.clone())
        .build()
}

type Call = fn(Arc<RecordingTransport>, String) -> Boxed<'static, Result<(), Error>>;

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
                .send()
                .await
        ),
        op!(
            "webhooks.get",
            "webhook_id",
            GET,
            ["v1", "notifications", "webhooks", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .webhooks()
                .get(id.as_str())
                .send()
                .await
        ),
        op!(
            "webhooks.update",
            "webhook_id",
            PATCH,
            ["v1", "notifications", "webhooks", "{}"],
            |r, id| {
                let patch = paypal_partner::webhooks::WebhookPatch::builder()
                    .all_events()
                    .build()?;
                client(&r, "PARTNER1")?
                    .webhooks()
                    .update(id.as_str(), &patch)
                    .send()
                    .await
            }
        ),
        op!(
            "webhooks.delete",
            "webhook_id",
            DELETE,
            ["v1", "notifications", "webhooks", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .webhooks()
                .delete(id.as_str())
                .send()
                .await
        ),
        op!(
            "event-types.list",
            "webhook_id",
            GET,
            ["v1", "notifications", "webhooks", "{}", "event-types"],
            |r, id| client(&r, "PARTNER1")?
                .webhooks()
                .subscriptions(id.as_str())
                .send()
                .await
        ),
        op!(
            "webhooks-lookup.get",
            "webhook_lookup_id",
            GET,
            ["v1", "notifications", "webhooks-lookup", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .webhook_lookups()
                .get(id.as_str())
                .send()
                .await
        ),
        op!(
            "webhooks-lookup.delete",
            "webhook_lookup_id",
            DELETE,
            ["v1", "notifications", "webhooks-lookup", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .webhook_lookups()
                .delete(id.as_str())
                .send()
                .await
        ),
        op!(
            "webhooks-events.get",
            "event_id",
            GET,
            ["v1", "notifications", "webhooks-events", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .webhook_events()
                .get(id.as_str())
                .send()
                .await
        ),
        op!(
            "webhooks-events.resend",
            "event_id",
            POST,
            ["v1", "notifications", "webhooks-events", "{}", "resend"],
            |r, id| client(&r, "PARTNER1")?
                .webhook_events()
                .resend(id.as_str())
                .send()
                .await
        ),
        op!(
            "payouts.get",
            "payout_batch_id",
            GET,
            ["v1", "payments", "payouts", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .payouts()
                .get(id.as_str())
                .send()
                .await
        ),
        op!(
            "payouts.get (items)",
            "payout_batch_id",
            GET,
            ["v1", "payments", "payouts", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .payouts()
                .items(id.as_str())
                .send()
                .await
        ),
        op!(
            "payouts-item.get",
            "payout_item_id",
            GET,
            ["v1", "payments", "payouts-item", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .payouts()
                .get_item(id.as_str())
                .send()
                .await
        ),
        op!(
            "payouts-item.cancel",
            "payout_item_id",
            POST,
            ["v1", "payments", "payouts-item", "{}", "cancel"],
            |r, id| client(&r, "PARTNER1")?
                .payouts()
                .cancel_item(id.as_str())
                .send()
                .await
        ),
        op!(
            "referenced-payouts.get_batch_details",
            "payouts_batch_id",
            GET,
            ["v1", "payments", "referenced-payouts", "{}"],
            |r, id| client(&r, "PARTNER1")?
                .referenced_payouts()
                .batch_items(id.as_str())
                .send()
                .await
        ),
        op!(
            "referrals.get",
            "partner_referral_id",
            GET,
            ["v2", "customer", "partner-referrals", "{}"],
            |r, id| client(&r, "PARTNER1")?.referrals().get(&id).send().await
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
                .send()
                .await
        ),
    ]
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

#[tokio::test]
async fn hostile_ids_never_move_a_request_to_another_path() {
    let recorder = Arc::new(RecordingTransport::new("/v1/oauth2/token", TOKEN));
    let (mut sent_right, mut refused) = (0, 0);
    let (mut elsewhere, mut mistakes) = (Vec::new(), Vec::new());
    for op in operations() {
        for id in hostile_ids() {
            let before = recorder.sent().len();
            let result = (op.call)(recorder.clone(), id.clone()).await;
            let sent: Vec<_> = recorder.sent()[before..].to_vec();
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
