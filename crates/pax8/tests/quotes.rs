//! The quoting API's `/v2/quotes` against a mock server. The quoting spec has no examples, so the
//! bodies are built from its schemas (`quoting_operation_example`: every property filled in, first
//! enum value) and each request body is checked against its schema (`assert_fits_quoting_schema`).
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::quotes::{
    AccountType, AttachmentUpdate, IntentType, NewAccessListEntry, NewQuoteLineItem,
    PreferencesUpdate, QuoteAccount, QuoteBillingTerm, QuoteLineItemUpdate, QuoteProductType,
    Section, Upload, UsageBased, UsageBasedType,
};
use pax8::{Decimal, Direction, NewQuote, QuoteSort, QuoteStatus, QuoteUpdate, Timestamp};
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
    let update = QuoteUpdate::new(Timestamp::parse(""), "i", false, QuoteStatus::Draft, "t");
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

const WHEN: &str = "2026-02-01T00:00:00Z";

fn standard() -> NewQuoteLineItem {
    NewQuoteLineItem::standard(
        "prod-1",
        QuoteBillingTerm::OneYear,
        5,
        Decimal::new(2250, 2),
        Timestamp::parse(WHEN),
    )
    .commitment_term("term-1")
    .note("Seats for sales")
}

fn custom() -> NewQuoteLineItem {
    NewQuoteLineItem::custom(
        "Onboarding",
        QuoteBillingTerm::OneTime,
        1,
        Decimal::new(500, 0),
        Decimal::new(300, 0),
        Decimal::new(500, 0),
        Timestamp::parse(WHEN),
    )
    .product_sku("ONB-1")
}

fn usage() -> NewQuoteLineItem {
    NewQuoteLineItem::usage_based(
        "prod-2",
        QuoteBillingTerm::Monthly,
        1,
        Decimal::new(1, 1),
        Decimal::new(5, 2),
        UsageBased::new(UsageBasedType::QtyVaries, true),
        Timestamp::parse(WHEN),
    )
    .requires_line_item_index(0)
}

#[tokio::test]
async fn add_line_items_sends_each_kind_as_its_schema_says() {
    let (server, client) = setup().await;
    let sent = json!([
        {"type": "Standard", "productId": "prod-1", "billingTerm": "1 Year", "quantity": 5,
         "price": 22.5, "effectiveDate": WHEN, "commitmentTermId": "term-1",
         "note": "Seats for sales"},
        {"type": "Custom", "productName": "Onboarding", "productSku": "ONB-1",
         "billingTerm": "One-Time", "quantity": 1, "price": 500, "cost": 300,
         "initialTotal": 500, "effectiveDate": WHEN},
        {"type": "UsageBased", "productId": "prod-2", "billingTerm": "Monthly", "quantity": 1,
         "price": 0.1, "cost": 0.05, "usageBased": {"displayNote": true, "type": "QTY_VARIES"},
         "requiredLineItemIndex": 0, "effectiveDate": WHEN},
    ]);
    assert_fits_quoting_schema(&sent[0], "AddStandardLineItemPayload");
    assert_fits_quoting_schema(&sent[1], "AddCustomLineItemPayload");
    assert_fits_quoting_schema(&sent[2], "AddUsageBasedLineItemPayload");
    let answer = quoting_operation_example("addLineItems", false);
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/line-items"))
                .header("content-type", "application/json")
                .json_body(sent.clone());
            then.status(201).json_body(answer.clone());
        })
        .await;
    let added = client
        .quotes()
        .add_line_items(QUOTE, &[standard(), custom(), usage()])
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].id.as_ref().unwrap().as_str(), QUOTE);
    assert_eq!(
        added[0].usage_based.as_ref().unwrap().kind,
        Some(UsageBasedType::PriceFlat)
    );
}

#[tokio::test]
async fn update_line_items_sends_what_an_update_takes() {
    let (server, client) = setup().await;
    let sent = json!([
        {"id": "li-1", "type": "Standard", "billingTerm": "Annual", "quantity": 7,
         "price": 20, "effectiveDate": WHEN, "commitmentTermId": "term-2"},
        {"id": "li-2", "type": "Custom", "productName": "Training", "billingTerm": "Monthly",
         "quantity": 2, "price": 50.5, "cost": 20, "initialTotal": 0, "effectiveDate": WHEN,
         "note": "n"},
        {"id": "li-3", "type": "UsageBased", "billingTerm": "Monthly", "quantity": 1,
         "price": 1, "cost": 0.5, "usageBased": {"displayNote": false, "type": "PRICE_VARIES"},
         "effectiveDate": WHEN},
    ]);
    assert_fits_quoting_schema(&sent[0], "UpdateStandardLineItemPayload");
    assert_fits_quoting_schema(&sent[1], "UpdateCustomLineItemPayload");
    assert_fits_quoting_schema(&sent[2], "UpdateUsageBasedLineItemPayload");
    let answer = quoting_operation_example("updateLineItems", false);
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(format!("/v2/quotes/{QUOTE}/line-items"))
                .json_body(sent.clone());
            then.status(200).json_body(answer.clone());
        })
        .await;
    let updates = [
        QuoteLineItemUpdate::standard(
            "li-1",
            QuoteBillingTerm::Annual,
            7,
            Decimal::new(20, 0),
            Timestamp::parse(WHEN),
        )
        .commitment_term("term-2"),
        QuoteLineItemUpdate::custom(
            "li-2",
            "Training",
            QuoteBillingTerm::Monthly,
            2,
            Decimal::new(505, 1),
            Decimal::new(20, 0),
            Decimal::ZERO,
            Timestamp::parse(WHEN),
        )
        .note("n"),
        QuoteLineItemUpdate::usage_based(
            "li-3",
            QuoteBillingTerm::Monthly,
            1,
            Decimal::ONE,
            Decimal::new(5, 1),
            UsageBased::new(UsageBasedType::PriceVaries, false),
            Timestamp::parse(WHEN),
        ),
    ];
    let updated = client
        .quotes()
        .update_line_items(QUOTE, &updates)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(updated[0].quantity, Some(3));
}

#[tokio::test]
async fn delete_line_items_in_bulk_and_one() {
    let (server, client) = setup().await;
    let sent = json!({"lineItemIds": ["li-1", "li-2"]});
    assert_fits_quoting_schema(&sent, "DeleteLineItemsPayload");
    let bulk = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/line-items/bulk-delete"))
                .json_body(sent.clone());
            then.status(204);
        })
        .await;
    let one = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v2/quotes/{QUOTE}/line-items/li-3"));
            then.status(204);
        })
        .await;
    client
        .quotes()
        .delete_line_items(QUOTE, &["li-1".into(), "li-2".into()])
        .send()
        .await
        .unwrap();
    client
        .quotes()
        .delete_line_item(QUOTE, "li-3")
        .send()
        .await
        .unwrap();
    bulk.assert_async().await;
    one.assert_async().await;
}

#[tokio::test]
async fn sections_list_create_and_update() {
    let (server, client) = setup().await;
    let answer = quoting_operation_example("getSections", false);
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/sections"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let created_answer = quoting_operation_example("createSection", false);
    let create_body = json!({"name": "Security"});
    assert_fits_quoting_schema(&create_body, "CreateSectionPayload");
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/sections"))
                .json_body(create_body.clone());
            then.status(201).json_body(created_answer.clone());
        })
        .await;
    let update_body = json!({"sections": [
        {"id": "s-1", "name": "Security", "order": 0,
         "lineItems": [{"lineItemId": "li-1", "order": 0}, {"lineItemId": "li-2", "order": 1}]}
    ]});
    assert_fits_quoting_schema(&update_body, "SectionsPayload");
    assert_fits_quoting_schema(&update_body["sections"][0], "SectionPayload");
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(format!("/v2/quotes/{QUOTE}/sections"))
                .json_body(update_body.clone());
            then.status(200)
                .json_body(json!({"sections": update_body["sections"]}));
        })
        .await;
    let sections = client.quotes().sections(QUOTE).send().await.unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].id.as_str(), QUOTE);
    assert_eq!(sections[0].order, 3);
    assert_eq!(sections[0].line_items[0].order, 3);
    let created = client
        .quotes()
        .create_section(QUOTE, "Security")
        .send()
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    let section = Section::new("s-1", "Security", 0)
        .line_item("li-1", 0)
        .line_item("li-2", 1);
    let updated = client
        .quotes()
        .update_sections(QUOTE, std::slice::from_ref(&section))
        .send()
        .await
        .unwrap();
    assert_eq!(updated, [section]);
    list.assert_async().await;
    create.assert_async().await;
    update.assert_async().await;
}

#[tokio::test]
async fn access_list_list_add_and_delete() {
    let (server, client) = setup().await;
    let answer = quoting_operation_example("getQuoteAccessList", false);
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/access-list"));
            then.status(200).json_body(answer.clone());
        })
        .await;
    let sent = json!([
        {"email": "ann@client.example", "accountType": "contact", "accountName": "Ann Lee"},
        {"email": "bob@msp.example", "accountType": "user", "userId": "u-1",
         "accountRole": "Admin"},
    ]);
    assert_fits_quoting_schema(&sent[0], "AddAccessListEntryPayload");
    assert_fits_quoting_schema(&sent[1], "AddAccessListEntryPayload");
    let added_answer = quoting_operation_example("addQuoteAccessListEntry", false);
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/access-list"))
                .json_body(sent.clone());
            then.status(201).json_body(added_answer.clone());
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v2/quotes/{QUOTE}/access-list/e-1"));
            then.status(204);
        })
        .await;
    let entries = client.quotes().access_list(QUOTE).send().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].account_type, Some(AccountType::User));
    assert_eq!(entries[0].link.as_deref(), Some("text"));
    let added = client
        .quotes()
        .add_access_list_entries(
            QUOTE,
            &[
                NewAccessListEntry::new("ann@client.example")
                    .account_type(AccountType::Contact)
                    .account_name("Ann Lee"),
                NewAccessListEntry::new("bob@msp.example")
                    .account_type(AccountType::User)
                    .user_id("u-1")
                    .account_role("Admin"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert_eq!(added[0].id.as_str(), QUOTE);
    client
        .quotes()
        .delete_access_list_entry(QUOTE, "e-1")
        .send()
        .await
        .unwrap();
    list.assert_async().await;
    add.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn bad_line_items_sections_and_entries_are_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v2/");
            then.status(200).json_body(json!({}));
        })
        .await;
    let quotes = client.quotes();
    assert_invalid(quotes.add_line_items(QUOTE, &[]).send().await, "line_items");
    assert_invalid(
        quotes.add_line_items("", &[standard()]).send().await,
        "quote_id",
    );
    let mut with_product = custom();
    with_product.product_id = Some("p".into());
    assert_invalid(
        quotes.add_line_items(QUOTE, &[with_product]).send().await,
        "line_items[0].product_id",
    );
    let mut no_product = standard();
    no_product.product_id = None;
    assert_invalid(
        quotes
            .add_line_items(QUOTE, &[custom(), no_product])
            .send()
            .await,
        "line_items[1].product_id",
    );
    let three_years = NewQuoteLineItem::custom(
        "Setup",
        QuoteBillingTerm::ThreeYear,
        1,
        Decimal::ONE,
        Decimal::ONE,
        Decimal::ONE,
        Timestamp::parse(WHEN),
    );
    assert_invalid(
        quotes.add_line_items(QUOTE, &[three_years]).send().await,
        "line_items[0].billing_term",
    );
    let bad_name = NewQuoteLineItem::custom(
        "Setup & more",
        QuoteBillingTerm::OneTime,
        1,
        Decimal::ONE,
        Decimal::ONE,
        Decimal::ONE,
        Timestamp::parse(WHEN),
    );
    assert_invalid(
        quotes.add_line_items(QUOTE, &[bad_name]).send().await,
        "line_items[0].product_name",
    );
    assert_invalid(
        quotes
            .add_line_items(QUOTE, &[custom().product_sku("ONB 1")])
            .send()
            .await,
        "line_items[0].product_sku",
    );
    assert_invalid(
        quotes
            .add_line_items(QUOTE, &[standard().note("x".repeat(2001))])
            .send()
            .await,
        "line_items[0].note",
    );
    assert_invalid(
        quotes
            .add_line_items(QUOTE, &[usage().requires_line_item_index(1)])
            .send()
            .await,
        "line_items[0].required_line_item_index",
    );
    let mut huge = standard();
    huge.quantity = u32::MAX;
    assert_invalid(
        quotes.add_line_items(QUOTE, &[huge]).send().await,
        "line_items[0].quantity",
    );
    let mut subscribed = QuoteLineItemUpdate::standard(
        "li-1",
        QuoteBillingTerm::Monthly,
        1,
        Decimal::ONE,
        Timestamp::parse(WHEN),
    );
    assert_invalid(
        quotes
            .update_line_items(
                QUOTE,
                &[QuoteLineItemUpdate::standard(
                    " ",
                    QuoteBillingTerm::Monthly,
                    1,
                    Decimal::ONE,
                    Timestamp::parse(WHEN),
                )],
            )
            .send()
            .await,
        "line_items[0].id",
    );
    subscribed.item.subscription_id = Some("s".into());
    assert_invalid(
        quotes.update_line_items(QUOTE, &[subscribed]).send().await,
        "line_items[0].subscription_id",
    );
    assert_invalid(
        quotes.delete_line_items(QUOTE, &[]).send().await,
        "line_item_ids",
    );
    assert_invalid(
        quotes.delete_line_items(QUOTE, &["".into()]).send().await,
        "line_item_ids",
    );
    assert_invalid(
        quotes.delete_line_item(QUOTE, "").send().await,
        "line_item_id",
    );
    assert_invalid(quotes.create_section(QUOTE, " ").send().await, "name");
    assert_invalid(
        quotes
            .update_sections(QUOTE, &[Section::new("s", "", 0)])
            .send()
            .await,
        "sections[0].name",
    );
    assert_invalid(
        quotes
            .update_sections(QUOTE, &[Section::new("s", "n", 0).line_item("", 0)])
            .send()
            .await,
        "sections[0].line_items[0].line_item_id",
    );
    assert_invalid(
        quotes.add_access_list_entries(QUOTE, &[]).send().await,
        "entries",
    );
    assert_invalid(
        quotes
            .add_access_list_entries(QUOTE, &[NewAccessListEntry::new("not an email")])
            .send()
            .await,
        "entries[0].email",
    );
    assert_invalid(
        quotes.delete_access_list_entry(QUOTE, "..").send().await,
        "access_list_entry_id",
    );
    any.assert_calls_async(0).await;
}

const BOUNDARY: &str = "pax8-form-boundary-0000000000000000";

fn part(field: &str, file_name: &str, content_type: &str, data: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
         filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n{data}\r\n"
    )
}

#[tokio::test]
async fn library_list_upload_update_share_delete_and_replace() {
    let (server, client) = setup().await;
    let list_answer = quoting_operation_example("getLibraryAttachmentsMetadata", false);
    let list = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/quote-attachments");
            then.status(200).json_body(list_answer.clone());
        })
        .await;
    let upload_body = format!(
        "{}{}--{BOUNDARY}--\r\n",
        part(
            "attachments",
            "terms.pdf",
            "application/pdf",
            "%PDF-1.4 terms"
        ),
        part("attachments", "notes.txt", "text/plain", "plain notes")
    );
    let upload_answer = quoting_operation_example("uploadAttachmentToLibrary", false);
    let upload = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/quote-attachments")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(upload_body.clone());
            then.status(201).json_body(upload_answer.clone());
        })
        .await;
    let update_body = json!([{"id": "a-1", "name": "Terms", "order": 0}]);
    assert_fits_quoting_schema(&update_body[0], "UpdateAttachmentPayload");
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/v2/quote-attachments")
                .json_body(update_body.clone());
            then.status(200)
                .json_body(quoting_operation_example("updateLibraryAttachments", false));
        })
        .await;
    let share_body = json!([{"attachmentId": "qa-1"}]);
    assert_fits_quoting_schema(&share_body[0], "CopyAttachmentPayload");
    let share = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/quote-attachments/shared")
                .json_body(share_body.clone());
            then.status(201).json_body(quoting_operation_example(
                "addQuoteAttachmentsToLibrary",
                false,
            ));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v2/quote-attachments/a-1");
            then.status(204);
        })
        .await;
    let replace_body = format!(
        "{}--{BOUNDARY}--\r\n",
        part(
            "attachment",
            "terms-v2.pdf",
            "application/pdf",
            "%PDF-1.4 v2"
        )
    );
    let replace = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path("/v2/quote-attachments/a-1")
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(replace_body.clone());
            then.status(200)
                .json_body(quoting_operation_example("replaceLibraryAttachment", false));
        })
        .await;

    let quotes = client.quotes();
    let library = quotes.library_attachments().send().await.unwrap();
    assert_eq!(library.len(), 1);
    assert_eq!(library[0].id.as_ref().unwrap().as_str(), QUOTE);
    assert_eq!(library[0].order, Some(3));
    assert_eq!(
        library[0].created_by.as_ref().unwrap().role.as_deref(),
        Some("text")
    );
    let uploaded = quotes
        .upload_to_library(&[
            Upload::pdf("terms.pdf", &b"%PDF-1.4 terms"[..]),
            Upload::new("notes.txt", "text/plain", &b"plain notes"[..]),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.len(), 1);
    quotes
        .update_library_attachments(&[AttachmentUpdate::new("a-1", "Terms", 0)])
        .send()
        .await
        .unwrap();
    quotes
        .add_to_library(&["qa-1".into()])
        .send()
        .await
        .unwrap();
    quotes
        .delete_library_attachment("a-1")
        .send()
        .await
        .unwrap();
    let replaced = quotes
        .replace_library_attachment("a-1", &Upload::pdf("terms-v2.pdf", &b"%PDF-1.4 v2"[..]))
        .send()
        .await
        .unwrap();
    assert!(replaced.replaced_on.as_ref().unwrap().is_parsed());
    list.assert_async().await;
    upload.assert_async().await;
    update.assert_async().await;
    share.assert_async().await;
    delete.assert_async().await;
    replace.assert_async().await;
}

#[tokio::test]
async fn downloads_return_the_bytes() {
    let (server, client) = setup().await;
    let pdf = b"%PDF-1.4\n\x00\xff binary".to_vec();
    let zip = b"PK\x03\x04 zip".to_vec();
    let metadata = quoting_operation_example("getLibraryAttachmentMetadata", false);
    let library_meta = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/quote-attachments/a-1")
                .query_param_missing("download");
            then.status(200).json_body(metadata.clone());
        })
        .await;
    let library_file = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/quote-attachments/a-1")
                .query_param("download", "true")
                .header("accept", "*/*");
            then.status(200)
                .header("content-type", "application/pdf")
                .body(pdf.clone());
        })
        .await;
    let quote_meta = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/attachments/qa-1"))
                .query_param_missing("download");
            then.status(200)
                .json_body(quoting_operation_example("getAttachmentMetadata", false));
        })
        .await;
    let quote_file = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/attachments/qa-1"))
                .query_param("download", "true");
            then.status(200)
                .header("content-type", "application/pdf")
                .body(pdf.clone());
        })
        .await;
    let all = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/attachments"))
                .query_param("downloadZip", "true")
                .header("accept", "*/*");
            then.status(200)
                .header("content-type", "application/zip")
                .body(zip.clone());
        })
        .await;
    let quotes = client.quotes();
    let meta = quotes.library_attachment("a-1").send().await.unwrap();
    assert_eq!(meta.name.as_deref(), Some("text"));
    assert_eq!(
        quotes
            .download_library_attachment("a-1")
            .send()
            .await
            .unwrap(),
        pdf
    );
    let meta = quotes.attachment(QUOTE, "qa-1").send().await.unwrap();
    assert_eq!(meta.url.as_deref(), Some("text"));
    assert_eq!(
        quotes
            .download_attachment(QUOTE, "qa-1")
            .send()
            .await
            .unwrap(),
        pdf
    );
    assert_eq!(
        quotes.download_attachments_zip(QUOTE).send().await.unwrap(),
        zip
    );
    library_meta.assert_async().await;
    library_file.assert_async().await;
    quote_meta.assert_async().await;
    quote_file.assert_async().await;
    all.assert_async().await;
}

#[tokio::test]
async fn a_download_over_the_body_cap_is_an_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let client = builder(&server).max_response_bytes(1024).build().unwrap();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/v2/quotes/{QUOTE}/attachments"));
            then.status(200).body(vec![b'x'; 4096]);
        })
        .await;
    let err = client
        .quotes()
        .download_attachments_zip(QUOTE)
        .send()
        .await
        .unwrap_err();
    match err {
        pax8::Error::Transport(transport) => assert_eq!(
            transport.kind(),
            partner_core::TransportErrorKind::BodyTooLarge
        ),
        other => panic!("expected a body-too-large error, got {other:?}"),
    }
}

#[tokio::test]
async fn quote_attachments_upload_update_copy_delete() {
    let (server, client) = setup().await;
    let upload_body = format!(
        "{}--{BOUNDARY}--\r\n",
        part(
            "attachments",
            "proposal.pdf",
            "application/pdf",
            "%PDF-1.4 p"
        )
    );
    let upload = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/attachments"))
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(upload_body.clone());
            then.status(201)
                .json_body(quoting_operation_example("uploadAttachmentToQuote", false));
        })
        .await;
    let update_body = json!([{"id": "qa-1", "name": "Proposal", "order": 1},
                             {"id": "qa-2", "name": "Terms", "order": 0}]);
    let update = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(format!("/v2/quotes/{QUOTE}/attachments"))
                .json_body(update_body.clone());
            then.status(200).json_body(quoting_operation_example(
                "updateAttachmentsMetadata",
                false,
            ));
        })
        .await;
    let copy = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/attachments/shared"))
                .json_body(json!([{"attachmentId": "a-1"}, {"attachmentId": "a-2"}]));
            then.status(201).json_body(quoting_operation_example(
                "copyAttachmentsToQuoteFromLibrary",
                false,
            ));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/v2/quotes/{QUOTE}/attachments/qa-1"));
            then.status(204);
        })
        .await;
    let quotes = client.quotes();
    let uploaded = quotes
        .upload_attachments(QUOTE, &[Upload::pdf("proposal.pdf", &b"%PDF-1.4 p"[..])])
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded[0].kind.as_deref(), Some("text"));
    quotes
        .update_attachments(
            QUOTE,
            &[
                AttachmentUpdate::new("qa-1", "Proposal", 1),
                AttachmentUpdate::new("qa-2", "Terms", 0),
            ],
        )
        .send()
        .await
        .unwrap();
    quotes
        .copy_from_library(QUOTE, &["a-1".into(), "a-2".into()])
        .send()
        .await
        .unwrap();
    quotes
        .delete_attachment(QUOTE, "qa-1")
        .send()
        .await
        .unwrap();
    upload.assert_async().await;
    update.assert_async().await;
    copy.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn an_upload_is_not_repeated_once_it_may_have_arrived() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v2/quotes/{QUOTE}/attachments"));
            then.status(503);
        })
        .await;
    let err = client
        .quotes()
        .upload_attachments(QUOTE, &[Upload::pdf("p.pdf", &b"%PDF"[..])])
        .send()
        .await
        .unwrap_err();
    assert!(err.may_have_been_applied());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn preferences_get_update_and_their_attachments() {
    let (server, client) = setup().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/quote-preferences");
            then.status(200)
                .json_body(quoting_operation_example("getQuotePreferences", false));
        })
        .await;
    let sent = json!({"daysToExpire": 30, "introMessage": "Hi", "termsAndDisclaimers": "T&C",
                      "salesMarginPercentage": 12.5});
    assert_fits_quoting_schema(&sent, "PreferencesPayload");
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/v2/quote-preferences")
                .json_body(sent.clone());
            then.status(200)
                .json_body(quoting_operation_example("persistQuotePreferences", false));
        })
        .await;
    let add_body = json!({"attachments": ["a-1", "a-2"]});
    assert_fits_quoting_schema(&add_body, "AddPreferenceAttachmentsPayload");
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/quote-preferences/attachments")
                .json_body(add_body.clone());
            then.status(201).json_body(quoting_operation_example(
                "uploadPreferencesAttachments",
                false,
            ));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/v2/quote-preferences/attachments/a-1");
            then.status(204);
        })
        .await;
    let quotes = client.quotes();
    let preferences = quotes.preferences().send().await.unwrap();
    assert_eq!(preferences.days_to_expire, Some(3));
    assert_eq!(preferences.attachments.len(), 1);
    assert_eq!(
        preferences.sales_margin_percentage,
        Some(Decimal::new(125, 1))
    );
    let saved = quotes
        .update_preferences(
            &PreferencesUpdate::new(30, "Hi", "T&C").sales_margin_percentage(Decimal::new(125, 1)),
        )
        .send()
        .await
        .unwrap();
    assert!(saved.attachments.is_empty());
    let added = quotes
        .add_preference_attachments(&["a-1".into(), "a-2".into()])
        .send()
        .await
        .unwrap();
    assert_eq!(added.len(), 1);
    quotes
        .delete_preference_attachment("a-1")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    put.assert_async().await;
    add.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn bad_attachment_input_is_refused_before_sending() {
    let (server, client) = setup().await;
    let any = server
        .mock_async(|when, then| {
            when.path_prefix("/v2/");
            then.status(200).json_body(json!({}));
        })
        .await;
    let quotes = client.quotes();
    assert_invalid(quotes.upload_to_library(&[]).send().await, "attachments");
    assert_invalid(
        quotes
            .upload_attachments(QUOTE, &[Upload::pdf("a\nb.pdf", &b"x"[..])])
            .send()
            .await,
        "attachments.file_name",
    );
    assert_invalid(
        quotes
            .replace_library_attachment("a-1", &Upload::new("a.pdf", "pdf", &b"x"[..]))
            .send()
            .await,
        "attachment.content_type",
    );
    assert_invalid(
        quotes
            .update_library_attachments(&[AttachmentUpdate::new("a-1", " ", 0)])
            .send()
            .await,
        "attachments[0].name",
    );
    assert_invalid(
        quotes.update_attachments(QUOTE, &[]).send().await,
        "attachments",
    );
    assert_invalid(quotes.add_to_library(&[]).send().await, "attachment_ids");
    assert_invalid(
        quotes.copy_from_library(QUOTE, &["".into()]).send().await,
        "attachment_ids",
    );
    assert_invalid(
        quotes.add_preference_attachments(&[]).send().await,
        "attachment_ids",
    );
    assert_invalid(
        quotes
            .update_preferences(&PreferencesUpdate::new(-1, "i", "t"))
            .send()
            .await,
        "days_to_expire",
    );
    assert_invalid(
        quotes.download_attachment(QUOTE, "").send().await,
        "attachment_id",
    );
    assert_invalid(
        quotes.download_attachments_zip(" ").send().await,
        "quote_id",
    );
    assert_invalid(
        quotes.delete_preference_attachment("..").send().await,
        "attachment_id",
    );
    any.assert_calls_async(0).await;
}
