//! `/subscriptions` against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::{
    BillingTerm, Decimal, Direction, SubscriptionSort, SubscriptionStatus, SubscriptionUpdate,
};
use serde_json::json;
use time::macros::date;

#[tokio::test]
async fn list_with_every_filter() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/subscriptions")
                .header("authorization", BEARER)
                .query_param("sort", "startDate,desc")
                .query_param("status", "PendingManual")
                .query_param("billingTerm", "2-Year")
                .query_param("companyId", "c-1")
                .query_param("productId", "p-1")
                .query_param_count(".*", ".*", 5);
            then.status(200)
                .json_body(spec_example("subscriptions-paged"));
        })
        .await;
    let page = client
        .subscriptions()
        .list()
        .sort(SubscriptionSort::StartDate, Direction::Desc)
        .status(SubscriptionStatus::PendingManual)
        .billing_term(BillingTerm::TwoYear)
        .company_id("c-1")
        .product_id("p-1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.total_pages, Some(11));
    let first = &page.items[0];
    assert_eq!(first.status, Some(SubscriptionStatus::PendingAutomated));
    assert_eq!(first.price, Some(Decimal::from(150)));
    // `createdDate` is typed date-time but arrives date-only.
    assert!(first.created_date.as_ref().unwrap().is_date_only());
    assert_eq!(page.items[5].price, Some(Decimal::new(7777, 2)));
}

#[tokio::test]
async fn get_decodes_commitment_and_vendor_ids() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/subscriptions/s-1")
                .header("authorization", BEARER);
            then.status(200).json_body(json!({
                "id": "s-1", "companyId": "c", "productId": "p", "quantity": 5,
                "vendorSubscriptionId": "ms-sub", "vendorSkuId": "ms-sku",
                "startDate": "2023-08-11T11:33:12.314-0600", "billingStart": "2021-01-01",
                "status": "SomethingNew", "price": 32.01, "partnerCost": "27.5",
                "commitment": {"id": "ct", "term": "Annual", "endDate": "2026-01-01T00:00:00Z"},
                "provisioningDetails": [{"key": "msTenantId", "values": ["tenant"]}]
            }));
        })
        .await;
    let sub = client.subscriptions().get("s-1").send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(sub.vendor_sku_id.as_deref(), Some("ms-sku"));
    assert_eq!(
        sub.status,
        Some(SubscriptionStatus::Unknown("SomethingNew".into()))
    );
    assert_eq!(sub.price, Some(Decimal::new(3201, 2)));
    assert_eq!(sub.partner_cost, Some(Decimal::new(275, 1)));
    assert_eq!(
        sub.commitment.as_ref().unwrap().term,
        Some(BillingTerm::Annual)
    );
    assert_eq!(
        sub.provisioning_details[0].values.as_deref(),
        Some(&["tenant".to_string()][..])
    );
    // Unknown enum values are sent back as received.
    assert_eq!(
        serde_json::to_value(&sub).unwrap()["status"],
        "SomethingNew"
    );
}

#[tokio::test]
async fn update_puts_a_partial_body_with_numbers() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/v1/subscriptions/s-1")
                .header("authorization", BEARER)
                .header("content-type", "application/json")
                .json_body(json!({"quantity": 11, "price": 15.39, "billingTerm": "Monthly"}));
            then.status(200)
                .json_body(spec_example("microsoft-office-365-e3-subscription"));
        })
        .await;
    let sub = client
        .subscriptions()
        .update(
            "s-1",
            &SubscriptionUpdate::builder()
                .quantity(11)
                .price(Decimal::new(1539, 2))
                .billing_term(BillingTerm::Monthly)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(sub.price, Some(Decimal::new(3201, 2)));
}

#[tokio::test]
async fn update_error_with_errors_array() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/v1/subscriptions/s-1");
            then.status(422).json_body(
                json!({"errors": ["Quantity cannot be decreased during the commitment term"]}),
            );
        })
        .await;
    let err = client
        .subscriptions()
        .update(
            "s-1",
            &SubscriptionUpdate::builder().quantity(1).build().unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(
        api.message.as_deref(),
        Some("Quantity cannot be decreased during the commitment term")
    );
    assert!(api.raw_body.contains("errors"));
}

#[tokio::test]
async fn cancel_sends_cancel_date_as_midnight_utc() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v1/subscriptions/s-1")
                .header("authorization", BEARER)
                .query_param("cancelDate", "2025-02-01T00:00:00Z");
            then.status(204);
        })
        .await;
    client
        .subscriptions()
        .cancel("s-1", Some(date!(2025 - 02 - 01)))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn history_and_usage_summaries() {
    let (server, client) = setup().await;
    let history = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/subscriptions/s-1/history")
                .header("authorization", BEARER);
            then.status(200)
                .json_body(spec_example("subscription-history"));
        })
        .await;
    let usage = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/subscriptions/s-1/usage-summaries")
                .header("authorization", BEARER)
                .query_param("sort", "partnerTotal,desc")
                .query_param("resourceGroup", "Company 1")
                .query_param("companyId", "c-1")
                .query_param("size", "10");
            then.status(200)
                .json_body(spec_example("usage-summaries-paged"));
        })
        .await;
    let versions = client.subscriptions().history("s-1").send().await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0].updated_date.as_ref().unwrap().as_str(),
        "2020-12-10T03:12:14.453-0300"
    );
    let summaries = client
        .subscriptions()
        .usage_summaries("s-1")
        .sort(pax8::UsageSummarySort::PartnerTotal, Direction::Desc)
        .resource_group("Company 1")
        .company_id("c-1")
        .size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        summaries.items[0].partner_total,
        Some(Decimal::new(86456, 3))
    );
    history.assert_async().await;
    usage.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/subscriptions");
            then.status(200).json_body(json!({}));
        })
        .await;
    let subs = client.subscriptions();
    assert_invalid(subs.get("").send().await, "subscription_id");
    assert_invalid(SubscriptionUpdate::builder().build(), "update");
    assert_invalid(
        SubscriptionUpdate::builder().quantity(0).build(),
        "quantity",
    );
    assert_invalid(subs.cancel("", None).send().await, "subscription_id");
    assert_invalid(subs.history("").send().await, "subscription_id");
    assert_invalid(subs.usage_summaries("").send().await, "subscription_id");
    assert_invalid(subs.list().company_id("").send().await, "company_id");
    assert_invalid(
        subs.list().size(201).stream().try_collect::<Vec<_>>().await,
        "size",
    );
    any.assert_calls_async(0).await;
}
