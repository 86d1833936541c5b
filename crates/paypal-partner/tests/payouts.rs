//! Payouts v1 on the wire: batch create (with its request id), batch read, the paged item list and
//! its stream, item read and cancel.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use paypal_partner::payouts::{
    BatchStatus, PayoutItemRequest, PayoutRequest, Purpose, RecipientType, TransactionStatus,
};
use paypal_partner::{Error, IdempotencyKey, Money};
use serde_json::json;

fn item_json(id: &str, status: &str) -> serde_json::Value {
    json!({
        "payout_item_id": id, "transaction_id": "1DG93452WK758815H", "activity_id": "0E158638XS0329101",
        "transaction_status": status,
        "payout_item_fee": {"currency": "USD", "value": "0.25"},
        "payout_batch_id": "FYXMPQTX4JC9N", "sender_batch_id": "Payouts_2018_100007",
        "payout_item": {"recipient_type": "EMAIL", "amount": {"currency": "USD", "value": "9.87"},
                        "note": "Thanks!", "receiver": "receiver@example.com", "sender_item_id": "item-1",
                        "recipient_wallet": "PAYPAL", "purpose": "GOODS"},
        "time_processed": "2026-12-01T10:00:00Z",
        "links": []
    })
}

fn batch_json(
    items: Vec<serde_json::Value>,
    total_pages: u64,
    total_items: u64,
) -> serde_json::Value {
    json!({
        "total_items": total_items, "total_pages": total_pages,
        "batch_header": {
            "payout_batch_id": "FYXMPQTX4JC9N", "batch_status": "SUCCESS",
            "time_created": "2026-12-01T10:00:00Z",
            "sender_batch_header": {"sender_batch_id": "Payouts_2018_100007", "email_subject": "You have a payout!"},
            "funding_source": "BALANCE",
            "amount": {"currency": "USD", "value": "19.74"}, "fees": {"currency": "USD", "value": "0.50"}
        },
        "items": items,
        "links": []
    })
}

fn request() -> PayoutRequest {
    PayoutRequest::builder("Payouts_2018_100007")
        .email_subject("You have a payout!")
        .email_message("You have received a payout!")
        .item(
            PayoutItemRequest::new(
                RecipientType::Email,
                "receiver@example.com",
                Money::parse("USD", "9.87").unwrap(),
            )
            .note("Thanks!")
            .sender_item_id("item-1")
            .purpose(Purpose::Goods),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_sends_the_batch_with_its_request_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/payouts")
                .header("authorization", bearer())
                .header("paypal-request-id", "batch-7")
                .header("paypal-partner-attribution-id", BN_CODE)
                .json_body(json!({
                    "sender_batch_header": {"sender_batch_id": "Payouts_2018_100007",
                        "email_subject": "You have a payout!", "email_message": "You have received a payout!"},
                    "items": [{"recipient_type": "EMAIL", "amount": {"currency": "USD", "value": "9.87"},
                        "note": "Thanks!", "receiver": "receiver@example.com", "sender_item_id": "item-1",
                        "purpose": "GOODS"}]
                }));
            then.status(201).json_body(json!({
                "batch_header": {"payout_batch_id": "FYXMPQTX4JC9N", "batch_status": "PENDING",
                    "sender_batch_header": {"sender_batch_id": "Payouts_2018_100007"}},
                "links": [{"href": server.url("/v1/payments/payouts/FYXMPQTX4JC9N"), "rel": "self", "method": "GET"}]
            }));
        })
        .await;
    let created = client(&server)
        .payouts()
        .create(&request())
        .idempotency_key(IdempotencyKey::new("batch-7").unwrap())
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    assert_eq!(
        created.batch_header.payout_batch_id.as_str(),
        "FYXMPQTX4JC9N"
    );
    assert_eq!(
        created.batch_header.batch_status,
        Some(BatchStatus::Pending)
    );
}

#[tokio::test]
async fn a_retried_create_reuses_its_request_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/payouts")
                .header("paypal-request-id", "batch-8");
            then.status(503);
        })
        .await;
    let err = client(&server)
        .payouts()
        .create(&request())
        .idempotency_key(IdempotencyKey::new("batch-8").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(failing.calls_async().await > 1, "retried");
    assert_eq!(err.idempotency_key().map(|k| k.as_str()), Some("batch-8"));
}

#[tokio::test]
async fn get_batch_sends_paging() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/payouts/FYXMPQTX4JC9N")
                .query_param("page", "2")
                .query_param("page_size", "5")
                .query_param("total_required", "true")
                .header("authorization", bearer());
            then.status(200).json_body(batch_json(
                vec![item_json("8AELMXH8UB2P8", "UNCLAIMED")],
                2,
                6,
            ));
        })
        .await;
    let batch = client(&server)
        .payouts()
        .get("FYXMPQTX4JC9N")
        .page(2)
        .page_size(5)
        .total_required(true)
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(batch.total_items, Some(6));
    assert_eq!(
        batch.batch_header.amount,
        Some(Money::parse("USD", "19.74").unwrap())
    );
    let item = &batch.items[0];
    assert_eq!(item.transaction_status, Some(TransactionStatus::Unclaimed));
    assert_eq!(
        item.payout_item.as_ref().unwrap().amount,
        Money::parse("USD", "9.87").unwrap()
    );
}

#[tokio::test]
async fn items_page_and_stream_by_page_number() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut mocks = Vec::new();
    for page in 1..=3u64 {
        let items = vec![
            item_json(&format!("ITEM{page}A"), "SUCCESS"),
            item_json(&format!("ITEM{page}B"), "SUCCESS"),
        ];
        let items = if page == 3 {
            items[..1].to_vec()
        } else {
            items
        };
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(GET)
                        .path("/v1/payments/payouts/FYXMPQTX4JC9N")
                        .query_param("page", page.to_string())
                        .query_param("page_size", "2")
                        .query_param("total_required", "true");
                    then.status(200).json_body(batch_json(items, 3, 5));
                })
                .await,
        );
    }
    let payouts = client(&server).payouts();
    let page = payouts
        .items("FYXMPQTX4JC9N")
        .page(2)
        .page_size(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.number, 1, "PayPal's page 2 is the family's number 1");
    assert_eq!((page.total_pages, page.total_items), (Some(3), Some(5)));
    assert!(page.has_next());
    let all: Vec<_> = payouts
        .items("FYXMPQTX4JC9N")
        .page_size(2)
        .prefetch(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|i| i.payout_item_id.as_str()).collect();
    assert_eq!(ids, ["ITEM1A", "ITEM1B", "ITEM2A", "ITEM2B", "ITEM3A"]);
    assert_eq!(mocks[0].calls_async().await, 1);
    assert_eq!(mocks[1].calls_async().await, 2);
    assert_eq!(mocks[2].calls_async().await, 1);
}

#[tokio::test]
async fn item_get_and_cancel() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/payments/payouts-item/8AELMXH8UB2P8");
            then.status(200)
                .json_body(item_json("8AELMXH8UB2P8", "UNCLAIMED"));
        })
        .await;
    let cancel = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/payments/payouts-item/8AELMXH8UB2P8/cancel")
                .header_exists("paypal-request-id")
                .body("");
            then.status(200)
                .json_body(item_json("8AELMXH8UB2P8", "RETURNED"));
        })
        .await;
    let payouts = client(&server).payouts();
    let item = payouts.get_item("8AELMXH8UB2P8").send().await.unwrap();
    assert_eq!(
        item.payout_item_fee,
        Some(Money::parse("USD", "0.25").unwrap())
    );
    let cancelled = payouts.cancel_item("8AELMXH8UB2P8").send().await.unwrap();
    assert_eq!(
        cancelled.transaction_status,
        Some(TransactionStatus::Returned)
    );
    get.assert_async().await;
    cancel.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let payouts = client(&server).payouts();
    let field = |r: Result<PayoutRequest, Error>| match r {
        Err(Error::InvalidInput(e)) => e.field.into_owned(),
        other => panic!("{other:?}"),
    };
    let usd = |v: &str| Money::parse("USD", v).unwrap();
    assert_eq!(
        field(
            PayoutRequest::builder("")
                .item(PayoutItemRequest::new(
                    RecipientType::Email,
                    "a@b.c",
                    usd("1")
                ))
                .build()
        ),
        "sender_batch_header.sender_batch_id"
    );
    assert_eq!(field(PayoutRequest::builder("b").build()), "items");
    assert_eq!(
        field(
            PayoutRequest::builder("b")
                .item(PayoutItemRequest::new(RecipientType::Email, "", usd("1")))
                .build()
        ),
        "items[0].receiver"
    );
    assert_eq!(
        field(
            PayoutRequest::builder("b")
                .item(PayoutItemRequest::new(
                    RecipientType::Email,
                    "a@b.c",
                    usd("1.001")
                ))
                .build()
        ),
        "items[0].amount.value"
    );
    for result in [
        payouts.items("FYX").page(0).send().await.map(drop),
        payouts.items("FYX").page_size(1001).send().await.map(drop),
        payouts.get("FYX").page(1001).send().await.map(drop),
        payouts.get_item("a b").send().await.map(drop),
        payouts.cancel_item("").send().await.map(drop),
    ] {
        assert!(matches!(result, Err(Error::InvalidInput(_))), "{result:?}");
    }
}
