//! `/orders` against a mock server: the order builder, `isMock`, decoding quirks.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::products::ProvisioningValue;
use pax8::{BillingTerm, NewLineItem, NewOrder, OrderedBy, Product};
use serde_json::json;
use time::macros::datetime;

fn order() -> NewOrder {
    let product: Product = serde_json::from_value(json!({
        "id": "p-annual", "name": "Committed", "requiresCommitment": true
    }))
    .unwrap();
    NewOrder::builder("c-1")
        .ordered_by(OrderedBy::Pax8Partner)
        .ordered_by_user_email("me@partner.com")
        .line_item(
            NewLineItem::new("p-1", BillingTerm::Monthly, 5)
                .provision_start_date(datetime!(2025-01-01 00:00 UTC))
                .provisioning_detail(ProvisioningValue::new("msDomain", ["contoso"])),
        )
        .line_item(
            NewLineItem::for_product(&product, BillingTerm::Annual, 2)
                .commitment_term("ct-1")
                .parent_line_item(1),
        )
        .build()
        .unwrap()
}

fn order_body() -> serde_json::Value {
    json!({
        "companyId": "c-1",
        "orderedBy": "Pax8 Partner",
        "orderedByUserEmail": "me@partner.com",
        "lineItems": [
            {"productId": "p-1", "lineItemNumber": 1, "quantity": 5, "billingTerm": "Monthly",
             "provisionStartDate": "2025-01-01T00:00:00Z",
             "provisioningDetails": [{"key": "msDomain", "values": ["contoso"]}]},
            {"productId": "p-annual", "lineItemNumber": 2, "quantity": 2, "billingTerm": "Annual",
             "commitmentTermId": "ct-1", "parentLineItemNumber": 1}
        ]
    })
}

#[tokio::test]
async fn create_sends_numbered_line_items() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/orders")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .query_param_missing("isMock")
                .json_body(order_body());
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3-order-response"));
        })
        .await;
    let placed = client.orders().create(&order()).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(placed.id.as_str(), "8e42de97-6bfe-4db5-864b-d2e4b18c71e2");
    assert_eq!(placed.created_date.unwrap().as_str(), "2020-12-01");
    assert_eq!(placed.line_items[0].quantity, Some(5.into()));
}

#[tokio::test]
async fn validate_sends_is_mock() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/orders")
                .query_param("isMock", "true")
                .json_body(order_body());
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3-order-response"));
        })
        .await;
    client.orders().validate(&order()).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn rejected_order_is_not_retried() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/orders");
            then.status(503)
                .json_body(json!({"type": "UNAVAILABLE", "message": "try later", "status": 503}));
        })
        .await;
    let err = client.orders().create(&order()).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // A POST that may have been applied is never sent twice.
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn get_and_list_decode_ordered_by() {
    let (server, client) = setup().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/orders/o-1")
                .header("authorization", BEARER);
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3-order-get-response"));
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/orders")
                .header("authorization", BEARER)
                .query_param("companyId", "c-1")
                .query_param("page", "0")
                .query_param("size", "20");
            then.status(200).json_body(page(
                json!([{"id": "o-2", "companyId": "c-1", "orderedBy": "Pax8Partner", "createdDate": "2024-03-01",
                        "lineItems": [{"productId": "p", "commitmentTermID": "ct-9", "quantity": 1}]}]),
                0, 20, 1, 1,
            ));
        })
        .await;
    let order = client.orders().get("o-1").send().await.unwrap();
    assert_eq!(order.ordered_by, Some(OrderedBy::Pax8Partner));
    assert_eq!(order.ordered_by_user_email.as_deref(), Some("john@doe.com"));
    let orders: Vec<_> = client
        .orders()
        .list()
        .company_id("c-1")
        .size(20)
        .stream()
        .try_collect()
        .await
        .unwrap();
    // The wire's `Pax8Partner` is the spec's `Pax8 Partner`.
    assert_eq!(orders[0].ordered_by, Some(OrderedBy::Pax8Partner));
    assert_eq!(
        orders[0].line_items[0]
            .commitment_term_id
            .as_ref()
            .unwrap()
            .as_str(),
        "ct-9"
    );
    get.assert_async().await;
    list.assert_async().await;
}

#[tokio::test]
async fn bad_orders_are_refused_before_sending() {
    let (server, _client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/orders");
            then.status(200).json_body(json!({}));
        })
        .await;
    let committed: Product =
        serde_json::from_value(json!({"id": "p-c", "requiresCommitment": true})).unwrap();
    assert_invalid(
        NewOrder::builder("c-1")
            .line_item(NewLineItem::for_product(&committed, BillingTerm::Annual, 1))
            .build(),
        "line_items[1].commitment_term_id",
    );
    assert_invalid(
        NewOrder::builder("c-1")
            .line_item(NewLineItem::new("p", BillingTerm::Monthly, 1))
            .line_item(NewLineItem::new("p", BillingTerm::Monthly, 0))
            .build(),
        "line_items[2].quantity",
    );
    assert_invalid(
        NewOrder::builder("c-1")
            .line_item(NewLineItem::new("", BillingTerm::Monthly, 1))
            .build(),
        "line_items[1].product_id",
    );
    assert_invalid(NewOrder::builder("c-1").build(), "line_items");
    assert_invalid(
        NewOrder::builder(" ")
            .line_item(NewLineItem::new("p", BillingTerm::Monthly, 1))
            .build(),
        "company_id",
    );
    assert_invalid(
        NewOrder::builder("c-1")
            .line_item(NewLineItem::new("p", BillingTerm::Monthly, 1).parent_line_item(3))
            .build(),
        "parent_line_item_number",
    );
    let client = builder(&server).build().unwrap();
    assert_invalid(client.orders().get("").send().await, "order_id");
    assert_invalid(
        client.orders().list().company_id("").send().await,
        "company_id",
    );
    any.assert_calls_async(0).await;
}
