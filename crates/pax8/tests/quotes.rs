//! The quoting API's `/v2/quotes` against a mock server. The quoting spec has no examples, so the
//! bodies are built from its schemas (`quoting_operation_example`: every property filled in, first
//! enum value) and each request body is checked against its schema (`assert_fits_quoting_schema`).
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::quotes::{IntentType, QuoteAccount, QuoteBillingTerm, QuoteProductType};
use pax8::{Decimal, Direction, NewQuote, QuoteSort, QuoteStatus, QuoteUpdate};
use serde_json::{Value, json};

const QUOTE: &str = "5f0c7c3e-6a3f-4a7e-9b1d-2a4c6e8f0a1b";

#[tokio::test]
async fn list_sends_filters_sort_and_limit_and_keeps_status_counts() {
    let (server, client) = setup().await;
    let mut body = quoting_operation_example("getQuotesList", false);
    body["page"] = json!({"number": 1, "size": 25, "totalElements": 60, "totalPages": 3});
    body["statusCounts"] = json!({"draft": 4, "sent": 2, "accepted": 1, "declined": 0,
        "closed": 0, "expired": 3});
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/quotes")
                .header("authorization", BEARER)
                .query_param("sort", "totals.recurringTotal,desc")
                .query_param("search", "Acme")
                .query_param("status", "draft,changes_requested")
                .query_param("account", "partner")
                .query_param("partnerId", "p-1")
                .query_param("intentType", "PAX8_TO_PARTNER")
                .query_param("page", "1")
                .query_param("limit", "25")
                .query_param_count(".*", ".*", 8);
            then.status(200).json_body(body.clone());
        })
        .await;
    let quotes = client
        .quotes()
        .list()
        .sort(QuoteSort::RecurringTotal, Direction::Desc)
        .search("Acme")
        .status(QuoteStatus::Draft)
        .status(QuoteStatus::ChangesRequested)
        .account(QuoteAccount::Partner)
        .partner_id("p-1")
        .intent_type(IntentType::Pax8ToPartner)
        .page(1)
        .size(25)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(quotes.page.items.len(), 1);
    assert_eq!(quotes.page.total_items, Some(60));
    assert_eq!(quotes.page.total_pages, Some(3));
    assert!(quotes.page.has_next());
    assert_eq!(quotes.status_counts.draft, 4);
    assert_eq!(quotes.status_counts.expired, 3);
    // Left out by Pax8: read as 0.
    assert_eq!(quotes.status_counts.pending, 0);
    let quote = &quotes.page.items[0];
    assert_eq!(quote.id.as_str(), QUOTE);
    assert_eq!(quote.status, Some(QuoteStatus::Draft));
    assert_eq!(quote.intent_type, Some(IntentType::PartnerToClient));
    assert_eq!(quote.line_item_counts.unwrap().total, Some(3));
    let total = quote
        .totals
        .as_ref()
        .unwrap()
        .recurring_total
        .as_ref()
        .unwrap();
    assert_eq!(total.amount, Some(Decimal::new(125, 1)));
    assert_eq!(
        quote.owned_by.as_ref().unwrap().role.as_deref(),
        Some("text")
    );
}

#[tokio::test]
async fn list_stream_walks_every_page_with_limit() {
    let (server, client) = setup().await;
    let mut mocks = Vec::new();
    for number in 0..3u64 {
        let count = if number == 2 { 1 } else { 2 };
        let items: Vec<Value> = (0..count)
            .map(|i| json!({"id": format!("q{}", number * 2 + i), "status": "sent"}))
            .collect();
        let mut body = page(json!(items), number, 2, 5, 3);
        body["statusCounts"] = json!({"sent": 5});
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/v2/quotes")
                        .query_param("page", number.to_string())
                        .query_param("limit", "2")
                        .query_param("status", "sent")
                        .query_param_missing("size");
                    then.status(200).json_body(body.clone());
                })
                .await,
        );
    }
    let ids: Vec<String> = client
        .quotes()
        .list()
        .status(QuoteStatus::Sent)
        .size(2)
        .stream()
        .map_ok(|q| q.id.into_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["q0", "q1", "q2", "q3", "q4"]);
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn create_posts_the_payload_and_reads_the_quote() {
    let (server, client) = setup().await;
    let sent = json!({"clientId": "c-1", "quoteRequestId": "r-1"});
    assert_fits_quoting_schema(&sent, "CreateQuotePayload");
    let answer = quoting_operation_example("createQuote", false);
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/quotes")
                .header("content-type", "application/json")
                .json_body(sent.clone());
            then.status(201).json_body(answer.clone());
        })
        .await;
    let quote = client
        .quotes()
        .create(&NewQuote::new("c-1").quote_request_id("r-1"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(quote.id.as_str(), QUOTE);
    assert_eq!(quote.status, Some(QuoteStatus::Draft));
    // The spec types `lineItems` as one object: read as a list of one.
    assert_eq!(quote.line_items.len(), 1);
    let item = &quote.line_items[0];
    assert_eq!(item.billing_term, Some(QuoteBillingTerm::Monthly));
    assert_eq!(item.quantity, Some(3));
    assert_eq!(
        item.product.as_ref().unwrap().kind,
        Some(QuoteProductType::Standalone)
    );
    assert_eq!(
        item.price.as_ref().unwrap().amount,
        Some(Decimal::new(125, 1))
    );
    assert_eq!(quote.attachments.len(), 1);
    assert_eq!(quote.sales_margin_percentage, Some(Decimal::new(125, 1)));
    assert_eq!(quote.client.as_ref().unwrap().is_shadow_company, Some(true));
    assert_eq!(
        quote.partner.as_ref().unwrap().postcode.as_deref(),
        Some("text")
    );
    assert!(quote.expires_on.as_ref().unwrap().is_parsed());
}

#[tokio::test]
async fn create_without_a_request_sends_the_client_only() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/quotes")
                .json_body(json!({"clientId": "c-1"}));
            then.status(201)
                .json_body(json!({"id": "q-1", "lineItems": []}));
        })
        .await;
    let quote = client
        .quotes()
        .create(&NewQuote::new("c-1"))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert!(quote.line_items.is_empty());
}

#[tokio::test]
async fn get_reads_line_items_as_an_array_too() {
    let (server, client) = setup().await;
    let mut answer = quoting_operation_example("getQuoteById", false);
    let item = answer["lineItems"].clone();
    answer["lineItems"] = json!([item.clone(), item]);
    answer["status"] = json!("changes_requested");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}"))
                .header("authorization", BEARER);
            then.status(200).json_body(answer.clone());
        })
        .await;
    let quote = client.quotes().get(QUOTE).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(quote.line_items.len(), 2);
    assert_eq!(quote.status, Some(QuoteStatus::ChangesRequested));
}

#[tokio::test]
async fn update_puts_every_required_field() {
    let (server, client) = setup().await;
    let quote: pax8::Quote =
        serde_json::from_value(quoting_operation_example("getQuoteById", false)).unwrap();
    let update = QuoteUpdate::from_quote(&quote)
        .unwrap()
        .intro_message("Hello")
        .published(true)
        .status(QuoteStatus::Sent);
    let sent = json!({
        "expiresOn": "2025-07-15T10:00:00Z",
        "introMessage": "Hello",
        "published": true,
        "status": "sent",
        "termsAndDisclaimers": "text",
    });
    assert_fits_quoting_schema(&sent, "UpdateQuotePayload");
    let answer = quoting_operation_example("updateQuote", false);
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(format!("/v2/quotes/{QUOTE}"))
                .json_body(sent.clone());
            then.status(200).json_body(answer.clone());
        })
        .await;
    let updated = client.quotes().update(QUOTE, &update).send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(updated.id.as_str(), QUOTE);
}

#[tokio::test]
async fn delete_and_take_ownership() {
    let (server, client) = setup().await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path(format!("/v2/quotes/{QUOTE}"));
            then.status(204);
        })
        .await;
    let answer = quoting_operation_example("takeQuoteOwnership", false);
    let take = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/take-ownership"))
                .header("authorization", BEARER);
            then.status(200).json_body(answer.clone());
        })
        .await;
    client.quotes().delete(QUOTE).send().await.unwrap();
    let quote = client.quotes().take_ownership(QUOTE).send().await.unwrap();
    delete.assert_async().await;
    take.assert_async().await;
    assert_eq!(
        quote.owned_by.as_ref().unwrap().display_name.as_deref(),
        Some("text")
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v2/");
            then.status(200).json_body(json!({}));
        })
        .await;
    assert_invalid(client.quotes().get("").send().await, "quote_id");
    assert_invalid(client.quotes().delete(" ").send().await, "quote_id");
    assert_invalid(
        client.quotes().take_ownership("..").send().await,
        "quote_id",
    );
    assert_invalid(
        client.quotes().create(&NewQuote::new("")).send().await,
        "client_id",
    );
    assert_invalid(
        client
            .quotes()
            .create(&NewQuote::new("c").quote_request_id(" "))
            .send()
            .await,
        "quote_request_id",
    );
    assert_invalid(client.quotes().list().size(201).send().await, "size");
    assert_invalid(
        client.quotes().list().partner_id("").send().await,
        "partner_id",
    );
    assert_invalid(client.quotes().list().search(" ").send().await, "search");
    let streamed = client
        .quotes()
        .list()
        .size(500)
        .stream()
        .try_collect::<Vec<_>>()
        .await;
    assert_invalid(streamed, "size");
    let update = QuoteUpdate::new(
        pax8::Timestamp::parse(""),
        "i",
        false,
        QuoteStatus::Draft,
        "t",
    );
    assert_invalid(
        client.quotes().update(QUOTE, &update).send().await,
        "expires_on",
    );
    let no_expiry: pax8::Quote = serde_json::from_value(json!({"id": "q"})).unwrap();
    assert_invalid(QuoteUpdate::from_quote(&no_expiry), "expires_on");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn not_found_keeps_the_quoting_error_body() {
    let (server, client) = setup().await;
    let body = json!({
        "type": "NOT_FOUND",
        "message": "Quote not found",
        "instance": "/v2/quotes/nope",
        "status": 404,
        "details": [{"type": "QUOTE_NOT_FOUND", "message": "no quote nope"}]
    });
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/quotes/nope");
            then.status(404).json_body(body.clone());
        })
        .await;
    let err = client.quotes().get("nope").send().await.unwrap_err();
    assert!(err.is_not_found());
    let api = err.api_error().unwrap();
    assert_eq!(api.message.as_deref(), Some("Quote not found"));
    let typed = err.provider_details::<pax8::ErrorDetails>().unwrap();
    assert_eq!(typed.details[0].message.as_deref(), Some("no quote nope"));
}

#[tokio::test]
async fn take_ownership_is_not_retried_after_a_server_error() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/quotes/q-1/take-ownership");
            then.status(503);
        })
        .await;
    let err = client
        .quotes()
        .take_ownership("q-1")
        .send()
        .await
        .unwrap_err();
    assert!(err.may_have_been_applied());
    mock.assert_calls_async(1).await;
}
