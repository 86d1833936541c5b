//! `/invoices` against a mock server.
mod common;

use common::*;
use futures_util::TryStreamExt;
use httpmock::prelude::*;
use pax8::invoices::{InvoiceItemType, InvoiceTerm, ItemChargeType, RateType};
use pax8::{Decimal, Direction, InvoiceSort, InvoiceStatus, MonthOffset};
use serde_json::json;
use time::macros::date;

#[tokio::test]
async fn list_with_every_filter() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices")
                .header("authorization", BEARER)
                .query_param("sort", "invoiceDate,desc")
                .query_param("status", "Nothing Due")
                .query_param("invoiceDate", "2021-01-01")
                .query_param("invoiceDateRangeStart", "2020-01-01")
                .query_param("invoiceDateRangeEnd", "2020-12-31")
                .query_param("dueDate", "2021-01-15")
                .query_param("total", "9985.96")
                .query_param("balance", "729.22")
                .query_param("carriedBalance", "0")
                .query_param("companyId", "c-1")
                .query_param_count(".*", ".*", 10);
            then.status(200).json_body(spec_example("invoices-paged"));
        })
        .await;
    let page = client
        .invoices()
        .list()
        .sort(InvoiceSort::InvoiceDate, Direction::Desc)
        .status(InvoiceStatus::NothingDue)
        .invoice_date(date!(2021 - 01 - 01))
        .invoice_date_range(date!(2020 - 01 - 01), date!(2020 - 12 - 31))
        .due_date(date!(2021 - 01 - 15))
        .total(Decimal::new(998596, 2))
        .balance(Decimal::new(72922, 2))
        .carried_balance(Decimal::ZERO)
        .company_id("c-1")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let first = &page.items[0];
    assert_eq!(first.total, Some(Decimal::new(998596, 2)));
    assert_eq!(first.status, Some(InvoiceStatus::Unpaid));
    assert_eq!(page.items[1].total, Some(Decimal::new(1979623189, 2)));
    assert_eq!(page.items[9].status, Some(InvoiceStatus::Void));
}

#[tokio::test]
async fn get_invoice_and_items() {
    let (server, client) = setup().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices/i-1")
                .header("authorization", BEARER);
            then.status(200).json_body(spec_example("invoice-0"));
        })
        .await;
    let items = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices/i-1/items")
                .header("authorization", BEARER)
                .query_param("page", "3")
                .query_param("size", "1");
            then.status(200).json_body(spec_example("invoice-items"));
        })
        .await;
    let invoice = client.invoices().get("i-1").send().await.unwrap();
    assert_eq!(invoice.status, Some(InvoiceStatus::Paid));
    assert_eq!(invoice.total, Some(Decimal::from(17432960)));
    let page = client
        .invoices()
        .items("i-1")
        .page(3)
        .size(1)
        .send()
        .await
        .unwrap();
    let item = &page.items[0];
    assert_eq!(item.item_type, Some(InvoiceItemType::Subscription));
    assert_eq!(item.rate_type, Some(RateType::Single));
    assert_eq!(item.charge_type, Some(ItemChargeType::Per));
    assert_eq!(item.term, Some(InvoiceTerm::Monthly));
    assert_eq!(item.sales_tax, Some(Decimal::from(2200)));
    assert_eq!(page.total_pages, Some(762));
    get.assert_async().await;
    items.assert_async().await;
}

#[tokio::test]
async fn draft_items_with_offset_and_company() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices/draftItems")
                .header("authorization", BEARER)
                .query_param("monthOffset", "0")
                .query_param("companyId", "c-1")
                .query_param("page", "0");
            then.status(200).json_body(json!({
                "content": [
                    {"type": "one_time", "rateType": "Flat", "term": "One-time", "chargeType": "FLAT", "price": 1},
                    {"type": "payment-credit", "rateType": "markup", "term": "3 Year", "price": "2.50"},
                    {"type": "brand-new-kind", "rateType": "banded", "term": "Quarterly"}
                ],
                "page": {"size": 10, "totalElements": 3, "totalPages": 1, "number": 0}
            }));
        })
        .await;
    let items: Vec<_> = client
        .invoices()
        .draft_items()
        .month_offset(MonthOffset::Current)
        .company_id("c-1")
        .stream()
        .try_collect()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(items[0].item_type, Some(InvoiceItemType::OneTime));
    assert_eq!(items[0].rate_type, Some(RateType::Flat));
    assert_eq!(items[0].term, Some(InvoiceTerm::OneTime));
    assert_eq!(items[0].charge_type, Some(ItemChargeType::Flat));
    assert_eq!(items[1].item_type, Some(InvoiceItemType::PaymentCredit));
    assert_eq!(items[1].term, Some(InvoiceTerm::ThreeYear));
    assert_eq!(items[1].price, Some(Decimal::new(250, 2)));
    assert_eq!(
        items[2].item_type,
        Some(InvoiceItemType::Unknown("brand-new-kind".into()))
    );
    assert_eq!(items[2].rate_type, Some(RateType::Unknown("banded".into())));
}

#[tokio::test]
async fn draft_items_default_sends_no_offset() {
    let (server, client) = setup().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices/draftItems")
                .query_param_missing("monthOffset")
                .query_param_missing("companyId");
            then.status(200)
                .json_body(spec_example("draft-invoice-items"));
        })
        .await;
    let page = client.invoices().draft_items().send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.items.len(), 2);
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
    assert_invalid(client.invoices().get("").send().await, "invoice_id");
    assert_invalid(client.invoices().items("").send().await, "invoice_id");
    assert_invalid(
        client.invoices().draft_items().company_id("").send().await,
        "company_id",
    );
    assert_invalid(
        client
            .invoices()
            .list()
            .invoice_date_range(date!(2021 - 01 - 01), date!(2020 - 01 - 01))
            .send()
            .await,
        "invoice_date_range",
    );
    assert_invalid(client.invoices().list().size(300).send().await, "size");
    any.assert_calls_async(0).await;
}
