//! Release of DELAYED funds: `POST /v1/payments/referenced-payouts-items`, 409 as "in progress"; and
//! batches: `POST /v1/payments/referenced-payouts`, `GET /v1/payments/referenced-payouts/{id}`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::referenced_payouts::{ItemStatus, ReleaseOutcome};
use paypal_partner::{Error, Money};
use serde_json::json;

fn item(status: &str) -> serde_json::Value {
    json!({
        "item_id": "JH5ZW6N6XFA3Q", "processing_state": {"status": status},
        "reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID",
        "payout_amount": {"currency_code": "USD", "value": "91.02"},
        "links": [{"href": "https://api-m.paypal.com/v1/payments/referenced-payouts-items/JH5ZW6N6XFA3Q", "rel": "self", "method": "GET"}]
    })
}

#[tokio::test]
async fn release_processed() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "release-1")
                .header_missing("prefer")
                .json_body(json!({"reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID"}));
            then.status(201).json_body(item("SUCCESS"));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .idempotency_key(paypal_partner::IdempotencyKey::new("release-1").unwrap())
        .send()
        .await
        .unwrap();
    release.assert_async().await;
    let ReleaseOutcome::Processed(item) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        item.processing_state.unwrap().status,
        Some(ItemStatus::Success)
    );
    assert_eq!(
        item.payout_amount,
        Some(Money::parse("USD", "91.02").unwrap())
    );
}

#[tokio::test]
async fn release_async_is_queued() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items")
                .header("prefer", "respond-async")
                .header_exists("paypal-request-id");
            then.status(202).json_body(item("PENDING"));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .respond_async()
        .send()
        .await
        .unwrap();
    release.assert_async().await;
    assert!(matches!(outcome, ReleaseOutcome::Queued(_)), "{outcome:?}");
}

#[tokio::test]
async fn a_409_is_in_progress_not_a_failure() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let release = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/payments/referenced-payouts-items");
            then.status(409).header("paypal-debug-id", "d409").json_body(json!({
                "name": "RESOURCE_CONFLICT", "message": "A previous call for the given resource is ongoing", "debug_id": "d409"
            }));
        })
        .await;
    let outcome = client(&server)
        .referenced_payouts()
        .release("3C679366HH908993F")
        .send()
        .await
        .unwrap();
    // Not retried: a conflict is an answer.
    release.assert_calls_async(1).await;
    let ReleaseOutcome::InProgress(api) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(api.request_id.as_deref(), Some("d409"));
    assert_eq!(api.code.as_deref(), Some("RESOURCE_CONFLICT"));
}

#[tokio::test]
async fn other_errors_stay_errors_and_bad_ids_are_refused() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let err = client
        .referenced_payouts()
        .release("not/valid")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts-items");
            then.status(422)
                .json_body(json!({"name": "UNPROCESSABLE_ENTITY", "debug_id": "d"}));
        })
        .await;
    let err = client
        .referenced_payouts()
        .release("CAP1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn get_item() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/referenced-payouts-items/JH5ZW6N6XFA3Q")
                .header("authorization", bearer());
            then.status(200).json_body(item("PROCESSING"));
        })
        .await;
    let item = client(&server)
        .referenced_payouts()
        .get_item("JH5ZW6N6XFA3Q")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(
        item.processing_state.unwrap().status,
        Some(ItemStatus::Processing)
    );
}

fn batch_json(server: &MockServer, ids: &[&str], next: Option<String>) -> serde_json::Value {
    let mut links = vec![
        json!({"href": server.url("/v1/payments/referenced-payouts/KHbwO28lWlXwi2IlToJ2IYNG4juFv9kpbFx4J9oQ5Hb24RSp96Dk5FudVHd6v4E="), "rel": "self", "method": "GET"}),
    ];
    if let Some(next) = next {
        links.push(json!({"href": next, "rel": "next", "method": "GET"}));
    }
    json!({
        "referenced_payouts": ids.iter().map(|id| {
            let mut i = item("SUCCESS");
            i["item_id"] = json!(id);
            i
        }).collect::<Vec<_>>(),
        "links": links
    })
}

#[tokio::test]
async fn batch_create_sends_captures_and_reads_the_batch() {
    use paypal_partner::referenced_payouts::{BatchOutcome, ReferencedPayoutBatchRequest};
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let body = batch_json(&server, &["ITEM-1", "ITEM-2"], None);
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/referenced-payouts")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "batch-1")
                .header("prefer", "respond-async")
                .json_body(json!({"referenced_payouts": [
                    {"reference_id": "2KP03934U4415543C", "reference_type": "TRANSACTION_ID"},
                    {"reference_id": "8TA4226978212399L", "reference_type": "TRANSACTION_ID"}
                ]}));
            then.status(202).json_body(body.clone());
        })
        .await;
    let batch = ReferencedPayoutBatchRequest::builder()
        .captures(["2KP03934U4415543C", "8TA4226978212399L"])
        .build()
        .unwrap();
    let outcome = client(&server)
        .referenced_payouts()
        .create_batch(&batch)
        .respond_async()
        .idempotency_key(paypal_partner::IdempotencyKey::new("batch-1").unwrap())
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    let BatchOutcome::Queued(batch) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(batch.referenced_payouts.len(), 2);
    // The spec's batch has no id field: it is the last segment of the self link.
    assert_eq!(
        batch.batch_id().unwrap().as_str(),
        "KHbwO28lWlXwi2IlToJ2IYNG4juFv9kpbFx4J9oQ5Hb24RSp96Dk5FudVHd6v4E="
    );
}

#[test]
fn batch_input_is_checked() {
    use paypal_partner::referenced_payouts::{
        PayoutDirective, PayoutDirectiveType, ReferencedPayoutBatchRequest,
    };
    let field = |r: Result<_, Error>| match r {
        Err(Error::InvalidInput(e)) => e.field.into_owned(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(ReferencedPayoutBatchRequest::builder().build()),
        "referenced_payouts"
    );
    assert_eq!(
        field(
            ReferencedPayoutBatchRequest::builder()
                .capture("a/b")
                .build()
        ),
        "referenced_payouts[0].reference_id"
    );
    assert_eq!(
        field(
            ReferencedPayoutBatchRequest::builder()
                .captures((0..1001).map(|i| format!("C{i}")))
                .build()
        ),
        "referenced_payouts"
    );
    assert_eq!(
        field(
            ReferencedPayoutBatchRequest::builder()
                .capture("C1")
                .payout_directive(PayoutDirective::new(PayoutDirectiveType::Email, "a@b.c"))
                .build()
        ),
        "payout_directive.destination"
    );
}

#[tokio::test]
async fn batch_items_page_and_stream_follow_next_links() {
    use futures_util::TryStreamExt;
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let next = server.url("/v1/payments/referenced-payouts/BATCH-1?page=2");
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/referenced-payouts/BATCH-1")
                .query_param_missing("page")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE);
            then.status(200).json_body(batch_json(
                &server,
                &["ITEM-1", "ITEM-2"],
                Some(next.clone()),
            ));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/referenced-payouts/BATCH-1")
                .query_param("page", "2");
            then.status(200)
                .json_body(batch_json(&server, &["ITEM-3"], None));
        })
        .await;
    let payouts = client(&server).referenced_payouts();
    let page = payouts.batch_items("BATCH-1").send().await.unwrap();
    assert_eq!(page.items().len(), 2);
    assert!(page.has_next(), "a next link means more");
    let all: Vec<_> = payouts
        .batch_items("BATCH-1")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(ids, ["ITEM-1", "ITEM-2", "ITEM-3"]);
    first.assert_calls_async(2).await;
    second.assert_calls_async(1).await;
    assert!(matches!(
        payouts.batch_items("a b").send().await,
        Err(Error::InvalidInput(_))
    ));
}
