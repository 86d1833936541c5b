//! Refunds with platform fees: `POST /v2/payments/captures/{id}/refund`; `GET /v2/payments/captures/{id}`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::captures::{RefundRequest, RefundStatus};
use paypal_partner::orders::CaptureStatus;
use paypal_partner::{Error, Money};
use serde_json::json;

const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

#[tokio::test]
async fn refund_with_platform_fee() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let refund = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/captures/3C679366HH908993F/refund")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-request-id", "refund-1")
                .header("prefer", "return=representation")
                .header("paypal-partner-attribution-id", BN_CODE)
                .json_body(json!({
                    "amount": {"currency_code": "USD", "value": "10.00"},
                    "invoice_id": "INVOICE-123",
                    "note_to_payer": "DefectiveProduct",
                    "payment_instruction": {"platform_fees": [{"amount": {"currency_code": "USD", "value": "1.00"}}]}
                }));
            then.status(201).json_body(json!({
                "id": "1JU08902781691411", "status": "COMPLETED",
                "amount": {"currency_code": "USD", "value": "10.00"},
                "seller_payable_breakdown": {"gross_amount": {"currency_code": "USD", "value": "10.00"},
                    "platform_fees": [{"amount": {"currency_code": "USD", "value": "1.00"}}],
                    "net_amount": {"currency_code": "USD", "value": "9.00"}},
                "links": [{"href": "https://api-m.paypal.com/v2/payments/captures/3C679366HH908993F", "rel": "up", "method": "GET"}]
            }));
        })
        .await;
    let request = RefundRequest::amount(Money::parse("USD", "10.00").unwrap())
        .invoice_id("INVOICE-123")
        .note_to_payer("DefectiveProduct")
        .platform_fee(Money::parse("USD", "1.00").unwrap());
    let done = client(&server)
        .captures()
        .refund("3C679366HH908993F", &request)
        .on_behalf_of("SELLERMERCHANT9")
        .idempotency_key(paypal_partner::IdempotencyKey::new("refund-1").unwrap())
        .prefer(paypal_partner::headers::Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap();
    refund.assert_async().await;
    assert_eq!(done.status, Some(RefundStatus::Completed));
    assert_eq!(done.amount, Some(Money::parse("USD", "10.00").unwrap()));
}

#[tokio::test]
async fn full_refund_sends_an_empty_object() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let refund = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/payments/captures/CAP1/refund")
                .header_exists("paypal-request-id")
                .json_body(json!({}));
            then.status(201).json_body(
                json!({"id": "R", "status": "PENDING", "status_details": {"reason": "ECHECK"}}),
            );
        })
        .await;
    let request = RefundRequest::full();
    let done = client(&server)
        .captures()
        .refund("CAP1", &request)
        .send()
        .await
        .unwrap();
    refund.assert_async().await;
    assert_eq!(done.status, Some(RefundStatus::Pending));
}

#[tokio::test]
async fn get_capture() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/payments/captures/CAP1").header("paypal-auth-assertion", ASSERTION);
            then.status(200).json_body(json!({"id": "CAP1", "status": "PARTIALLY_REFUNDED", "amount": {"currency_code": "EUR", "value": "7.50"}}));
        })
        .await;
    let capture = client(&server)
        .captures()
        .get("CAP1")
        .on_behalf_of("SELLERMERCHANT9")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(capture.status, Some(CaptureStatus::PartiallyRefunded));
}

#[tokio::test]
async fn bad_refunds_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let fee_too_big = RefundRequest::amount(Money::parse("USD", "1.00").unwrap())
        .platform_fee(Money::parse("USD", "2.00").unwrap());
    let negative = RefundRequest::amount(Money::parse("USD", "-1.00").unwrap());
    for request in [&fee_too_big, &negative] {
        let err = client
            .captures()
            .refund("CAP1", request)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    let err = client
        .captures()
        .refund("", &RefundRequest::full())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
}
