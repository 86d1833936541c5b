//! `/usage-summaries` against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::Decimal;
use serde_json::json;
use time::macros::date;

#[tokio::test]
async fn get_summary() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/usage-summaries/u-1")
                .header("authorization", BEARER);
            then.status(200).json_body(json!({
                "id": "u-1", "subscriptionId": "s-1", "productId": "p", "resourceGroup": "RG",
                "vendorName": "Microsoft", "currentCharges": 100.56, "currencyCode": "USD",
                "partnerTotal": 86.456, "isTrial": false
            }));
        })
        .await;
    let summary = client.usage_summaries().get("u-1").send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(summary.current_charges, Some(Decimal::new(10056, 2)));
    // Missing when reached through a subscription: optional.
    assert_eq!(summary.company_id, None);
}

#[tokio::test]
async fn usage_lines_need_a_date_and_page() {
    let (server, client) = setup().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/usage-summaries/u-1/usage-lines")
                .header("authorization", BEARER)
                .query_param("usageDate", "2020-01-14")
                .query_param("productId", "p-9")
                .query_param("page", "0")
                .query_param("size", "10");
            then.status(200)
                .json_body(spec_example("usage-lines-paged"));
        })
        .await;
    let page = client
        .usage_summaries()
        .usage_lines("u-1", date!(2020 - 01 - 14))
        .product_id("p-9")
        .page(0)
        .size(10)
        .send()
        .await
        .unwrap();
    first.assert_async().await;
    assert_eq!(page.items.len(), 10);
    assert_eq!(page.items[0].unit_price, Some(Decimal::new(533, 2)));
    assert_eq!(
        page.items[0].usage_date.as_ref().unwrap().date(),
        Some(date!(2020 - 01 - 14))
    );
}

#[tokio::test]
async fn usage_lines_stream_across_pages() {
    let (server, client) = setup().await;
    for number in 0..2u64 {
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path("/v1/usage-summaries/u-1/usage-lines")
                    .query_param("usageDate", "2024-02-29")
                    .query_param("page", number.to_string());
                then.status(200).json_body(page(
                    json!([{"usageDate": "2024-02-29", "quantity": number + 1}]),
                    number,
                    1,
                    2,
                    2,
                ));
            })
            .await;
    }
    let lines: Vec<_> = client
        .usage_summaries()
        .usage_lines("u-1", date!(2024 - 02 - 29))
        .size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let quantities: Vec<_> = lines.iter().map(|l| l.quantity.unwrap()).collect();
    assert_eq!(quantities, [Decimal::from(1), Decimal::from(2)]);
}

#[tokio::test]
async fn summaries_for_a_subscription() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/subscriptions/s-1/usage-summaries");
            then.status(200)
                .json_body(spec_example("usage-summaries-paged"));
        })
        .await;
    let page = client
        .usage_summaries()
        .for_subscription("s-1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(page.items[3].is_trial, Some(true));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    assert_invalid(
        client.usage_summaries().get("").send().await,
        "usage_summary_id",
    );
    assert_invalid(
        client
            .usage_summaries()
            .usage_lines("", date!(2024 - 01 - 01))
            .send()
            .await,
        "usage_summary_id",
    );
    assert_invalid(
        client
            .usage_summaries()
            .usage_lines("u", date!(2024 - 01 - 01))
            .size(0)
            .send()
            .await,
        "size",
    );
    assert_invalid(
        client.usage_summaries().for_subscription("").send().await,
        "subscription_id",
    );
    // The token endpoint is not called either: nothing was sent at all.
    any.assert_calls_async(0).await;
}
