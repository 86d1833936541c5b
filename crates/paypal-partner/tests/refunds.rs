//! Refund lookup: `GET /v2/payments/refunds/{refund_id}`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::Error;
use paypal_partner::captures::RefundStatus;
use serde_json::json;

const ASSERTION: &str = "eyJhbGciOiJub25lIn0=.eyJpc3MiOiJwYXJ0bmVyLWNsaWVudC1pZCIsInBheWVyX2lkIjoiU0VMTEVSTUVSQ0hBTlQ5In0=.";

#[tokio::test]
async fn get_a_refund_for_a_seller() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/payments/refunds/1JU08902781691411")
                .header("authorization", bearer())
                .header("paypal-auth-assertion", ASSERTION)
                .header("paypal-partner-attribution-id", BN_CODE)
                .is_true(|req| header(req, "paypal-request-id").is_none());
            then.status(200).json_body(json!({
                "id": "1JU08902781691411", "status": "COMPLETED",
                "amount": {"currency_code": "USD", "value": "10.99"},
                "invoice_id": "INVOICE-123", "note_to_payer": "Defective product",
                "seller_payable_breakdown": {"gross_amount": {"currency_code": "USD", "value": "10.99"},
                    "net_amount": {"currency_code": "USD", "value": "10.99"}},
                "links": [{"href": "https://api-m.paypal.com/v2/payments/captures/2GG279541U471931P", "rel": "up", "method": "GET"}],
                "create_time": "2026-12-03T00:00:00Z"
            }));
        })
        .await;
    let refund = client(&server)
        .refunds()
        .get("1JU08902781691411")
        .on_behalf_of("SELLERMERCHANT9")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    assert_eq!(refund.id, "1JU08902781691411");
    assert_eq!(refund.status, Some(RefundStatus::Completed));
    assert_eq!(refund.invoice_id.as_deref(), Some("INVOICE-123"));
}

#[tokio::test]
async fn an_unknown_refund_is_a_not_found() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/payments/refunds/NOPE");
            then.status(404).json_body(json!({
                "name": "RESOURCE_NOT_FOUND", "debug_id": "abc",
                "details": [{"issue": "INVALID_RESOURCE_ID", "location": "path", "field": "refund_id"}]
            }));
        })
        .await;
    let err = client(&server)
        .refunds()
        .get("NOPE")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = client(&server)
        .refunds()
        .get("a b")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(input) if input.field == "refund_id"));
}
