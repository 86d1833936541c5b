//! Payment series: list with filters, pages and streams.

mod common;

use futures_util::TryStreamExt;
use httpmock::prelude::*;
use procuret::{AgentId, Decimal, Denomination, EntityId, Error, Order, OrderBy, PaymentMechanism};
use serde_json::json;

fn series(public_id: &str) -> serde_json::Value {
    json!({
        "public_id": public_id,
        "created": "2023-11-14 22:13:20.000000",
        "creating_agent": 1234,
        "payment_method": {"public_id": "pm_1", "kind": 2},
        "customer": {"entity_id": 11, "legal_entity_name": "Customer Pty Ltd"},
        "supplier": {"entity_id": 589121125121i64, "legal_entity_name": "Acme"},
        "exchange_id": "ex_1",
        "amount": {"magnitude": "1200.00", "denomination": 1},
        "sum_payments": {"magnitude": "100", "denomination": {"indexid": 1, "iso_4217": "AUD", "exponent": 2}},
        "total_payable": {"magnitude": "1300.50", "denomination": 1},
        "identifier": "INV-9",
        "mechanism": 1,
        "disposition": {"sequence": 0, "count": 3, "limit": 2, "offset": 0},
        "unexpected": {"nested": true}
    })
}

#[tokio::test]
async fn list_sends_every_filter() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/payment/series/list")
                .query_param("limit", "2")
                .query_param("offset", "4")
                .query_param("order", "descending")
                .query_param("order_by", "created")
                .query_param("any_fragment", "acme")
                .query_param("business_id", "11")
                .query_param("method_id", "pm_1")
                .query_param("public_id", "ps_1")
                .query_param("completed", "false")
                .query_param("payment_mechanism", "3")
                .query_param("has_overdue_instalment", "true")
                .query_param("min_overdue_days", "5")
                .query_param("max_overdue_days", "30")
                .header(
                    "x-procuret-signature",
                    common::signature("/payment/series/list"),
                );
            then.status(200).json_body(json!([series("ps_1")]));
        })
        .await;
    let page = common::signed(&server)
        .payment_series()
        .list()
        .text("acme")
        .business_id(11)
        .method_id("pm_1")
        .public_id("ps_1")
        .completed(false)
        .payment_mechanism(PaymentMechanism::StripeSubscription)
        .has_overdue_instalment(true)
        .min_overdue_days(5)
        .max_overdue_days(30)
        .sort(OrderBy::Created, Order::Descending)
        .limit(2)
        .offset(4)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let s = &page.items[0];
    assert_eq!(s.creating_agent, Some(AgentId::new(1234)));
    assert_eq!(s.mechanism, Some(PaymentMechanism::OnPlatform));
    let amount = s.amount.as_ref().unwrap();
    assert_eq!(amount.magnitude, Decimal::from(1200));
    assert_eq!(amount.denomination, Denomination::Aud);
    assert_eq!(
        s.sum_payments
            .as_ref()
            .unwrap()
            .currency
            .as_ref()
            .unwrap()
            .exponent,
        Some(2)
    );
    assert_eq!(s.customer.as_ref().unwrap().entity_id, EntityId::new(11));
}

#[tokio::test]
async fn stream_walks_every_page() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/api/payment/series/list")
                .query_param("offset", "0");
            then.status(200)
                .json_body(json!([series("a"), series("b")]));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/api/payment/series/list")
                .query_param("offset", "2");
            then.status(200)
                .json_body(json!([series("c"), series("d")]));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.path("/api/payment/series/list")
                .query_param("offset", "4");
            then.status(200).json_body(json!([]));
        })
        .await;
    let all: Vec<_> = common::signed(&server)
        .payment_series()
        .list()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.public_id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c", "d"]
    );
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn unknown_mechanism_is_kept() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/payment/series/list");
            then.status(200)
                .json_body(json!([{"public_id": "z", "mechanism": 12, "amount": null}]));
        })
        .await;
    let page = common::signed(&server)
        .payment_series()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(page.items[0].mechanism, Some(PaymentMechanism::Unknown(12)));
    assert!(page.items[0].amount.is_none());
}

#[tokio::test]
async fn list_validates_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    let api = common::signed(&server).payment_series();
    let cases = [
        (api.list().limit(0), "limit"),
        (api.list().text(""), "any_fragment"),
        (api.list().public_id(" "), "public_id"),
        (
            api.list().min_overdue_days(9).max_overdue_days(1),
            "min_overdue_days",
        ),
    ];
    for (request, field) in cases {
        match request.send().await {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    mock.assert_calls_async(0).await;
}
