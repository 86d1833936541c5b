//! Shipment tracking: `POST /v2/checkout/orders/{id}/track` and
//! `PATCH /v2/checkout/orders/{id}/trackers/{tracker_id}`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::Error;
use paypal_partner::orders::{Patch, PatchOp};
use paypal_partner::trackers::{
    Carrier, TrackerItem, TrackerRequest, TrackerStatus, TrackerUpdate,
};
use serde_json::json;

const SELLER: &str = "SELLERMERCHANT9";
const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

#[tokio::test]
async fn track_sends_the_tracker_and_reads_it_from_the_order() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let track = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/checkout/orders/5O190127TN364715T/track")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .is_true(|req| header(req, "paypal-request-id").is_none())
                .json_body(json!({
                    "capture_id": "8MC585209K746392H",
                    "tracking_number": "443844607820",
                    "carrier": "FEDEX",
                    "notify_payer": true,
                    "items": [{"name": "T-Shirt", "quantity": "2", "sku": "sku02"}]
                }));
            then.status(201).json_body(json!({
                "id": "5O190127TN364715T",
                "status": "COMPLETED",
                "purchase_units": [{
                    "reference_id": "default",
                    "shipping": {
                        "name": {"full_name": "John Doe"},
                        "trackers": [{
                            "id": "8MC585209K746392H-443844607820",
                            "status": "SHIPPED",
                            "items": [{"name": "T-Shirt", "quantity": "2", "sku": "sku02"}],
                            "links": [{"href": "https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T/trackers/8MC585209K746392H-443844607820", "rel": "self", "method": "GET"}],
                            "create_time": "2026-12-03T00:00:00Z"
                        }]
                    }
                }]
            }));
        })
        .await;
    let tracker = TrackerRequest::new("8MC585209K746392H")
        .tracking_number("443844607820")
        .carrier(Carrier::Fedex)
        .notify_payer(true)
        .item(TrackerItem::new("T-Shirt", 2).sku("sku02"))
        .build()
        .unwrap();
    let order = client(&server)
        .orders()
        .track("5O190127TN364715T", &tracker)
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    track.assert_async().await;
    let added = order.trackers().next().unwrap();
    assert_eq!(added.id, "8MC585209K746392H-443844607820");
    assert_eq!(added.status, Some(TrackerStatus::Shipped));
    assert_eq!(added.items[0].quantity.as_deref(), Some("2"));
}

#[tokio::test]
async fn a_tracker_post_is_not_retried_once_sent() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/checkout/orders/ORDER1/track");
            then.status(500)
                .json_body(json!({"name": "INTERNAL_SERVER_ERROR"}));
        })
        .await;
    let err = client(&server)
        .orders()
        .track("ORDER1", &TrackerRequest::new("CAP1"))
        .send()
        .await
        .unwrap_err();
    // No PayPal-Request-Id in the spec: a second attempt could add a second tracker.
    failing.assert_calls_async(1).await;
    assert!(err.may_have_been_applied(), "{err:?}");
}

#[tokio::test]
async fn cancel_and_update_a_tracker() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let cancel = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/checkout/orders/ORDER1/trackers/CAP1-443844607820")
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .json_body(json!([{"op": "replace", "path": "/status", "value": "CANCELLED"}]));
            then.status(204);
        })
        .await;
    client(&server)
        .orders()
        .update_tracker("ORDER1", "CAP1-443844607820", &TrackerUpdate::cancel())
        .on_behalf_of(SELLER)
        .send()
        .await
        .unwrap();
    cancel.assert_async().await;

    let update = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/checkout/orders/ORDER1/trackers/CAP1-1")
                .json_body(json!([
                    {"op": "replace", "path": "/notify_payer", "value": false},
                    {"op": "replace", "path": "/items", "value": [{"name": "Mug", "quantity": "1"}]}
                ]));
            then.status(204);
        })
        .await;
    let changes = TrackerUpdate::new()
        .notify_payer(false)
        .replace_items([TrackerItem::new("Mug", 1)])
        .build()
        .unwrap();
    client(&server)
        .orders()
        .update_tracker("ORDER1", "CAP1-1", &changes)
        .send()
        .await
        .unwrap();
    update.assert_async().await;
}

#[tokio::test]
async fn bad_trackers_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let cases: Vec<(TrackerRequest, &str)> = vec![
        (TrackerRequest::new("CAP-1"), "capture_id"),
        (TrackerRequest::new(""), "capture_id"),
        (
            TrackerRequest::new("CAP1").tracking_number("9".repeat(65)),
            "tracking_number",
        ),
        (
            TrackerRequest::new("CAP1").carrier(Carrier::Other),
            "carrier_name_other",
        ),
        (
            TrackerRequest::new("CAP1").carrier(Carrier::from_wire("dhl")),
            "carrier",
        ),
        (
            TrackerRequest::new("CAP1")
                .carrier_name_other("Bike courier")
                .carrier(Carrier::Ups),
            "carrier_name_other",
        ),
        (
            TrackerRequest::new("CAP1").item(TrackerItem::new("Mug", 0)),
            "items[0].quantity",
        ),
        (
            TrackerRequest::new("CAP1").item(TrackerItem::new("", 1)),
            "items[0].name",
        ),
    ];
    for (tracker, field) in cases {
        let built = tracker.clone().build();
        assert!(
            matches!(&built, Err(Error::InvalidInput(input)) if input.field == field),
            "{field}: {built:?}"
        );
        let err = client
            .orders()
            .track("ORDER1", &tracker)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
    }
    assert!(
        TrackerRequest::new("CAP1")
            .carrier_name_other("Bike courier")
            .build()
            .is_ok()
    );

    let updates: Vec<(TrackerUpdate, &str)> = vec![
        (TrackerUpdate::new(), "operations"),
        (
            TrackerUpdate::new().operation(Patch::replace("/status", json!("SHIPPED"))),
            "operations[0].value",
        ),
        (
            TrackerUpdate::new().operation(Patch::remove("/items")),
            "operations[0].op",
        ),
        (
            TrackerUpdate::new().operation(Patch::replace("/tracking_number", json!("1"))),
            "operations[0].path",
        ),
        (
            TrackerUpdate::new().operation(Patch::add("/notify_payer", json!("yes"))),
            "operations[0].value",
        ),
        (
            TrackerUpdate::new().replace_items([TrackerItem::new("Mug", 1).sku("")]),
            "operations[0].value[0].sku",
        ),
    ];
    for (update, field) in updates {
        let built = update.clone().build();
        assert!(
            matches!(&built, Err(Error::InvalidInput(input)) if input.field == field),
            "{field}: {built:?}"
        );
        let err = client
            .orders()
            .update_tracker("ORDER1", "T1", &update)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
    }
    let err = client
        .orders()
        .update_tracker("ORDER1", "", &TrackerUpdate::cancel())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "tracker_id"));
    assert_eq!(TrackerUpdate::cancel().operations[0].op, PatchOp::Replace);
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_tracker_id_is_one_encoded_segment() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let patch = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/checkout/orders/ORDER1/trackers/..%2F..%2Fx");
            then.status(204);
        })
        .await;
    client(&server)
        .orders()
        .update_tracker("ORDER1", "../../x", &TrackerUpdate::cancel())
        .send()
        .await
        .unwrap();
    patch.assert_async().await;
}
