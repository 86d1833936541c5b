//! Orders v2 and Payments v2 through the client against `partner-sandbox`'s PayPal simulator:
//! confirm, update and authorize an order, capture the authorization in parts with a platform fee,
//! void and reauthorize on the sandbox clock, track a shipment and read a refund. Each step asserts on
//! the state the simulator keeps, and each refusal on PayPal's error `name` and issue.
//!
//! `sandbox_coverage.rs` maps every operationId of the specs to the test here that calls it.

mod sim;

use std::time::Duration;

use paypal_partner::authorizations::{AuthorizationStatus, CaptureRequest, ReauthorizeRequest};
use paypal_partner::captures::{RefundRequest, RefundStatus};
use paypal_partner::headers::Prefer;
use paypal_partner::orders::{
    CaptureStatus, ConfirmPaymentSourceRequest, DisbursementMode, OrderPatch, OrderRequest,
    OrderStatus, ProcessingInstruction, PurchaseUnitRequest,
};
use paypal_partner::trackers::{
    Carrier, TrackerItem, TrackerRequest, TrackerStatus, TrackerUpdate,
};
use paypal_partner::{Client, Error, IdempotencyKey};
use serde_json::json;
use sim::{onboard, refusal, start, usd};

/// Creates an `AUTHORIZE` order of `amount` for `seller`, with a 5.00 platform fee and delayed
/// disbursement; its id.
async fn authorize_order(client: &Client, seller: &str, amount: &str) -> String {
    let order = OrderRequest::authorize(
        PurchaseUnitRequest::new(usd(amount))
            .payee_merchant_id(seller)
            .platform_fee(usd("5.00"))
            .disbursement_mode(DisbursementMode::Delayed)
            .reference_id("unit-1"),
    );
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status, Some(OrderStatus::Created));
    created.id.to_string()
}

/// An approved `AUTHORIZE` order, authorized; the authorization id.
async fn authorized(sandbox: &partner_sandbox::Sandbox, client: &Client, seller: &str) -> String {
    let order_id = authorize_order(client, seller, "100.00").await;
    sandbox.paypal().approve_order(&order_id).unwrap();
    let order = client
        .orders()
        .authorize(&order_id)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    order.authorizations().next().unwrap().id.to_string()
}

/// A refusal as (status, name, issue), for the tables of refused calls below.
type Refusal = (u16, &'static str, &'static str);

fn assert_refusals(calls: Vec<(&str, (u16, String, String), Refusal)>) {
    for (call, got, (status, name, issue)) in calls {
        assert_eq!(
            (got.0, got.1.as_str(), got.2.as_str()),
            (status, name, issue),
            "{call}"
        );
    }
}

#[tokio::test]
async fn confirm_update_authorize_capture_in_parts_track_and_refund() {
    let (sandbox, client) = start().await;
    let seller = onboard(&sandbox, &client, "pay-parts").await;
    let order_id = authorize_order(&client, &seller, "100.00").await;

    // orders.confirm: a card approves the order at once; a second confirmation is refused.
    let card = ConfirmPaymentSourceRequest::new(json!({
        "card": { "number": "4111111111111111", "expiry": "2030-02", "security_code": "123" }
    }))
    .processing_instruction(ProcessingInstruction::NoInstruction)
    .build()
    .unwrap();
    let confirmed = client
        .orders()
        .confirm_payment_source(&order_id, &card)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status, Some(OrderStatus::Approved));
    let source = confirmed.payment_source.as_ref().unwrap();
    assert_eq!(source["card"]["last_digits"], "1111");
    assert!(source["card"].get("number").is_none(), "{source}");
    let again = client
        .orders()
        .confirm_payment_source(&order_id, &card)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(refusal(again).2, "PAYMENT_ALREADY_APPROVED");

    // orders.patch before completion. The unit has a fee, so `add` is refused ("use replace")...
    let add = OrderPatch::new()
        .set_platform_fees("unit-1", [usd("6.00")])
        .build()
        .unwrap();
    let refused = client
        .orders()
        .update(&order_id, &add)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(
        refusal(refused),
        (
            400,
            "INVALID_REQUEST".into(),
            "INVALID_PATCH_OPERATION".into()
        )
    );
    // ...and `replace` changes it, with the amount; `add` sets the custom id it lacks.
    let patch = OrderPatch::new()
        .replace_amount("unit-1", usd("120.00"))
        .replace_platform_fees("unit-1", [usd("6.00")])
        .set_custom_id("unit-1", "lamps-2")
        .build()
        .unwrap();
    client
        .orders()
        .update(&order_id, &patch)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let order = client
        .orders()
        .get(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let unit = &order.purchase_units[0];
    assert_eq!(unit.amount.as_ref().unwrap().money(), usd("120.00"));
    let fees = &unit.payment_instruction.as_ref().unwrap().platform_fees;
    assert_eq!(fees[0].amount, usd("6.00"));
    assert_eq!(fees.len(), 1);
    assert_eq!(unit.custom_id.as_deref(), Some("lamps-2"));

    // orders.authorize: the order completes with one authorization of the patched amount.
    let order = client
        .orders()
        .authorize(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(order.status, Some(OrderStatus::Completed));
    let authorization = order.authorizations().next().unwrap().clone();
    assert_eq!(authorization.status, Some(AuthorizationStatus::Created));
    assert_eq!(authorization.amount, Some(usd("120.00")));

    // orders.patch after completion is refused.
    let late = OrderPatch::new()
        .replace_amount("unit-1", usd("90.00"))
        .build()
        .unwrap();
    let refused = client
        .orders()
        .update(&order_id, &late)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(
        refusal(refused),
        (
            422,
            "UNPROCESSABLE_ENTITY".into(),
            "ORDER_ALREADY_COMPLETED".into()
        )
    );

    // authorizations.get
    let fetched = client
        .authorizations()
        .get(&authorization.id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.id, authorization.id);
    assert_eq!(fetched.amount, Some(usd("120.00")));
    assert_eq!(fetched.status, Some(AuthorizationStatus::Created));

    // authorizations.capture: a partial capture with its own platform fee, then the final one.
    let first = CaptureRequest::amount(usd("70.00"))
        .platform_fee(usd("3.00"))
        .final_capture(false)
        .invoice_id("inv-parts-1")
        .build()
        .unwrap();
    let first = client
        .authorizations()
        .capture(&authorization.id, &first)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status, Some(CaptureStatus::Completed));
    assert_eq!(first.amount, Some(usd("70.00")));
    assert_eq!(first.final_capture, Some(false));
    let fee = first
        .seller_receivable_breakdown
        .as_ref()
        .unwrap()
        .platform_fees
        .first()
        .map(|fee| fee.amount.clone());
    assert_eq!(fee, Some(usd("3.00")));
    let partly = client
        .authorizations()
        .get(&authorization.id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(partly.status, Some(AuthorizationStatus::PartiallyCaptured));

    let rest = CaptureRequest::full().final_capture(true).build().unwrap();
    let second = client
        .authorizations()
        .capture(&authorization.id, &rest)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(
        second.amount,
        Some(usd("50.00")),
        "the remainder by default"
    );
    let captured = client
        .authorizations()
        .get(&authorization.id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(captured.status, Some(AuthorizationStatus::Captured));
    let order = client
        .orders()
        .get(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let capture_ids: Vec<_> = order.captures().map(|c| c.id.clone()).collect();
    assert_eq!(capture_ids, [first.id.clone(), second.id.clone()]);

    // A captured authorization refuses another capture and a void.
    let capture_again = client
        .authorizations()
        .capture(&authorization.id, &CaptureRequest::full())
        .on_behalf_of(&seller)
        .send()
        .await;
    let void_after = client
        .authorizations()
        .void(&authorization.id)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_refusals(vec![
        (
            "second capture",
            refusal(capture_again),
            (
                422,
                "UNPROCESSABLE_ENTITY",
                "AUTHORIZATION_ALREADY_CAPTURED",
            ),
        ),
        (
            "void after capture",
            refusal(void_after),
            (422, "UNPROCESSABLE_ENTITY", "PREVIOUSLY_CAPTURED"),
        ),
    ]);

    // orders.track.create: a tracker for the first capture, in the order's shipping.
    let tracker = TrackerRequest::new(first.id.clone())
        .tracking_number("443844607820")
        .carrier(Carrier::Fedex)
        .notify_payer(false)
        .build()
        .unwrap();
    let tracked = client
        .orders()
        .track(&order_id, &tracker)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let added = tracked.trackers().next().unwrap().clone();
    assert_eq!(added.id.as_str(), format!("{}-443844607820", first.id));
    assert_eq!(added.status, Some(TrackerStatus::Shipped));

    // orders.trackers.patch: cancelled, as the order then shows.
    client
        .orders()
        .update_tracker(&order_id, added.id.clone(), &TrackerUpdate::cancel())
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let order = client
        .orders()
        .get(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let statuses: Vec<_> = order
        .trackers()
        .map(|t| (t.id.clone(), t.status.clone()))
        .collect();
    assert_eq!(
        statuses,
        [(added.id.clone(), Some(TrackerStatus::Cancelled))]
    );
    let unknown = client
        .orders()
        .update_tracker(
            &order_id,
            format!("{}-000", first.id),
            &TrackerUpdate::cancel(),
        )
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(refusal(unknown).0, 404);

    // refunds.get: a refund of the second capture, read back by id.
    let refund = client
        .captures()
        .refund(&second.id, &RefundRequest::amount(usd("20.00")))
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let read = client
        .refunds()
        .get(&refund.id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(read.id, refund.id);
    assert_eq!(read.status, Some(RefundStatus::Completed));
    assert_eq!(read.amount, Some(usd("20.00")));
}

#[tokio::test]
async fn void_and_reauthorize_follow_the_honour_period() {
    let (sandbox, client) = start().await;
    let seller = onboard(&sandbox, &client, "pay-void").await;

    // authorizations.void: with a representation the voided authorization comes back.
    let voided = authorized(&sandbox, &client, &seller).await;
    let answer = client
        .authorizations()
        .void(&voided)
        .prefer(Prefer::ReturnRepresentation)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap()
        .expect("the authorization, for return=representation");
    assert_eq!(answer.id.as_str(), voided);
    assert_eq!(answer.status, Some(AuthorizationStatus::Voided));
    let read = client
        .authorizations()
        .get(&voided)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status, Some(AuthorizationStatus::Voided));

    // A voided authorization refuses a capture, a reauthorization and another void.
    let capture = client
        .authorizations()
        .capture(&voided, &CaptureRequest::full())
        .on_behalf_of(&seller)
        .send()
        .await
        .map(drop);
    let reauthorize = client
        .authorizations()
        .reauthorize(&voided, &ReauthorizeRequest::full())
        .on_behalf_of(&seller)
        .send()
        .await
        .map(drop);
    let void = client
        .authorizations()
        .void(&voided)
        .on_behalf_of(&seller)
        .send()
        .await
        .map(drop);
    let refused: Vec<(&str, Result<(), Error>, Refusal)> = vec![
        (
            "capture",
            capture,
            (422, "UNPROCESSABLE_ENTITY", "AUTHORIZATION_VOIDED"),
        ),
        (
            "reauthorize",
            reauthorize,
            (422, "UNPROCESSABLE_ENTITY", "AUTHORIZATION_VOIDED"),
        ),
        (
            "void",
            void,
            (422, "UNPROCESSABLE_ENTITY", "PREVIOUSLY_VOIDED"),
        ),
    ];
    assert_refusals(
        refused
            .into_iter()
            .map(|(call, result, expected)| (call, refusal(result), expected))
            .collect(),
    );

    // authorizations.reauthorize: refused within the three-day honour period, accepted after it.
    let original = authorized(&sandbox, &client, &seller).await;
    let amount = ReauthorizeRequest::amount(usd("110.00")).build().unwrap();
    let too_soon = client
        .authorizations()
        .reauthorize(&original, &amount)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(
        refusal(too_soon),
        (
            422,
            "UNPROCESSABLE_ENTITY".into(),
            "REAUTHORIZATION_TOO_SOON".into()
        )
    );
    sandbox
        .paypal()
        .advance_clock(Duration::from_secs(4 * 24 * 3600));
    let renewed = client
        .authorizations()
        .reauthorize(&original, &amount)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_ne!(renewed.id.as_str(), original);
    assert_eq!(renewed.status, Some(AuthorizationStatus::Created));
    assert_eq!(renewed.amount, Some(usd("110.00")));
    let before = client
        .authorizations()
        .get(&original)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(
        before.status,
        Some(AuthorizationStatus::Voided),
        "one live authorization per unit"
    );
    // The new authorization captures as any other.
    let capture = client
        .authorizations()
        .capture(&renewed.id, &CaptureRequest::full())
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(capture.amount, Some(usd("110.00")));
}

/// The refusals and variants around the main flow: the PayPal wallet needs the buyer, an action must
/// match the intent, a tracker's items must be the order's, and the same tracker twice is one.
#[tokio::test]
async fn wallet_confirmation_intent_mismatches_and_tracker_variants() {
    let (sandbox, client) = start().await;
    let seller = onboard(&sandbox, &client, "pay-variants").await;

    // orders.confirm with the PayPal wallet: the buyer still has to act, at the payer-action link.
    let order_id = authorize_order(&client, &seller, "40.00").await;
    let wallet = ConfirmPaymentSourceRequest::new(json!({ "paypal": {} }))
        .build()
        .unwrap();
    let confirmed = client
        .orders()
        .confirm_payment_source(&order_id, &wallet)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status, Some(OrderStatus::PayerActionRequired));
    assert!(confirmed.approve_url().is_some(), "{:?}", confirmed.links);

    // Authorizing before approval, and capturing an AUTHORIZE order, are refused.
    let not_approved = client
        .orders()
        .authorize(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await;
    sandbox.paypal().approve_order(&order_id).unwrap();
    let capture_authorize_order = client
        .orders()
        .capture(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_refusals(vec![
        (
            "authorize before approval",
            refusal(not_approved),
            (422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED"),
        ),
        (
            "capture of an AUTHORIZE order",
            refusal(capture_authorize_order),
            (422, "UNPROCESSABLE_ENTITY", "ACTION_DOES_NOT_MATCH_INTENT"),
        ),
    ]);

    // Authorized and captured, then tracked: the same tracker twice is one tracker.
    let order = client
        .orders()
        .authorize(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let authorization = order.authorizations().next().unwrap().id.clone();
    let capture = client
        .authorizations()
        .capture(&authorization, &CaptureRequest::full())
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let tracker = TrackerRequest::new(capture.id.clone())
        .tracking_number("1Z999AA10123456784")
        .carrier(Carrier::Ups)
        .build()
        .unwrap();
    for _ in 0..2 {
        let order = client
            .orders()
            .track(&order_id, &tracker)
            .on_behalf_of(&seller)
            .send()
            .await
            .unwrap();
        assert_eq!(order.trackers().count(), 1);
    }
    // An item the order does not have is refused; notify_payer is patchable.
    let with_item = TrackerRequest::new(capture.id.clone())
        .tracking_number("1Z999AA10123456785")
        .carrier(Carrier::Ups)
        .item(TrackerItem::new("Lamp", 1).sku("NOT-IN-ORDER"))
        .build()
        .unwrap();
    let refused = client
        .orders()
        .track(&order_id, &with_item)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(refusal(refused).2, "ITEM_SKU_MISMATCH");
    let tracker_id = format!("{}-1Z999AA10123456784", capture.id);
    let notify = TrackerUpdate::new().notify_payer(true).build().unwrap();
    client
        .orders()
        .update_tracker(&order_id, tracker_id.clone(), &notify)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let order = client
        .orders()
        .get(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    let stored = order.trackers().next().unwrap();
    assert_eq!(stored.id.as_str(), tracker_id);
    assert_eq!(stored.status, Some(TrackerStatus::Shipped));
}

/// A repeated `PayPal-Request-Id` answers the first answer instead of acting twice, where the spec
/// defines the header (authorize, capture, void); a reauthorization is held to 115% and 75.00 more.
#[tokio::test]
async fn repeated_keys_answer_the_first_answer_and_reauthorization_has_a_ceiling() {
    let (sandbox, client) = start().await;
    let seller = onboard(&sandbox, &client, "pay-keys").await;
    let order_id = authorize_order(&client, &seller, "100.00").await;
    sandbox.paypal().approve_order(&order_id).unwrap();
    let key = |k: &str| IdempotencyKey::new(k).unwrap();

    let mut authorizations = Vec::new();
    for _ in 0..2 {
        let order = client
            .orders()
            .authorize(&order_id)
            .idempotency_key(key("authorize-1"))
            .on_behalf_of(&seller)
            .send()
            .await
            .unwrap();
        authorizations.push(order.authorizations().next().unwrap().id.clone());
    }
    assert_eq!(authorizations[0], authorizations[1], "one authorization");
    let authorization = authorizations[0].clone();

    let part = CaptureRequest::amount(usd("30.00")).build().unwrap();
    let mut captures = Vec::new();
    for _ in 0..2 {
        let capture = client
            .authorizations()
            .capture(&authorization, &part)
            .idempotency_key(key("capture-1"))
            .on_behalf_of(&seller)
            .send()
            .await
            .unwrap();
        captures.push(capture.id);
    }
    assert_eq!(captures[0], captures[1], "one capture");
    let order = client
        .orders()
        .get(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(order.captures().count(), 1);

    // The rest voided, twice with one key: the second answers the first, not PREVIOUSLY_VOIDED.
    for _ in 0..2 {
        client
            .authorizations()
            .void(&authorization)
            .idempotency_key(key("void-1"))
            .on_behalf_of(&seller)
            .send()
            .await
            .unwrap();
    }
    let voided = client
        .authorizations()
        .get(&authorization)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(voided.status, Some(AuthorizationStatus::Voided));

    // Reauthorization: at most 115% of the original and 75.00 more.
    let other = authorized(&sandbox, &client, &seller).await;
    sandbox
        .paypal()
        .advance_clock(Duration::from_secs(4 * 24 * 3600));
    let too_much = ReauthorizeRequest::amount(usd("116.00")).build().unwrap();
    let refused = client
        .authorizations()
        .reauthorize(&other, &too_much)
        .on_behalf_of(&seller)
        .send()
        .await;
    assert_eq!(refusal(refused).2, "AUTHORIZATION_AMOUNT_EXCEEDED");
    let ceiling = ReauthorizeRequest::amount(usd("115.00")).build().unwrap();
    let renewed = client
        .authorizations()
        .reauthorize(&other, &ceiling)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(renewed.amount, Some(usd("115.00")));
}
