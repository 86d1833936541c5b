//! `POST/GET /v2/customer/partner-referrals`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::referrals::{BusinessEntity, BusinessType, Feature, Product, ReferralRequest};
use paypal_partner::{Error, KnownPayPalError};
use serde_json::json;

fn referral() -> ReferralRequest {
    ReferralRequest::builder()
        .tracking_id("seller-42")
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .return_url_description("Back to the platform")
        .email("seller@example.com")
        .preferred_language_code("en-US")
        .business_entity(BusinessEntity::new(BusinessType::Corporation).legal_name("Seller Inc."))
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_sends_the_documented_request_and_returns_the_action_url() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/customer/partner-referrals")
                .header("authorization", bearer())
                .header("content-type", "application/json")
                .header("paypal-partner-attribution-id", BN_CODE)
                .header("paypal-request-id", "referral-seller-42")
                .header_missing("paypal-auth-assertion")
                .json_body(json!({
                    "tracking_id": "seller-42",
                    "email": "seller@example.com",
                    "preferred_language_code": "en-US",
                    "partner_config_override": {
                        "return_url": "https://platform.example/paypal/return",
                        "return_url_description": "Back to the platform"
                    },
                    "business_entity": {
                        "business_type": {"type": "CORPORATION"},
                        "names": [{"business_name": "Seller Inc.", "type": "LEGAL_NAME"}]
                    },
                    "operations": [{
                        "operation": "API_INTEGRATION",
                        "api_integration_preference": {"rest_api_integration": {
                            "integration_method": "PAYPAL",
                            "integration_type": "THIRD_PARTY",
                            "third_party_details": {"features": ["PAYMENT", "REFUND", "PARTNER_FEE"]}
                        }}
                    }],
                    "products": ["PPCP"],
                    "legal_consents": [{"type": "SHARE_DATA_CONSENT", "granted": true}]
                }));
            then.status(201).header("paypal-debug-id", "f1a2b3").json_body(json!({"links": [
                {"href": "https://api-m.sandbox.paypal.com/v2/customer/partner-referrals/ZjcyODU4ZWYt", "rel": "self", "method": "GET"},
                {"href": "https://www.sandbox.paypal.com/bizsignup/partner/entry?referralToken=ZjcyODU4ZWYt", "rel": "action_url", "method": "GET"}
            ]}));
        })
        .await;
    let client = client(&server);
    let request = referral();
    let created = client
        .referrals()
        .create(&request)
        .idempotency_key(paypal_partner::IdempotencyKey::new("referral-seller-42").unwrap())
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    token.assert_async().await;
    assert_eq!(
        created.action_url().unwrap().as_str(),
        "https://www.sandbox.paypal.com/bizsignup/partner/entry?referralToken=ZjcyODU4ZWYt"
    );
    assert_eq!(
        created.partner_referral_id().as_ref().map(|id| id.as_str()),
        Some("ZjcyODU4ZWYt")
    );
}

#[tokio::test]
async fn a_generated_request_id_is_sent_on_every_post() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/customer/partner-referrals")
                .is_true(|req| header(req, "paypal-request-id").is_some_and(|id| id.len() == 36));
            then.status(201).json_body(json!({"links": []}));
        })
        .await;
    let created = client(&server)
        .referrals()
        .create(&referral())
        .send()
        .await
        .unwrap();
    create.assert_async().await;
    // PayPal sent no action_url: a typed error, not a panic or an empty string.
    let err = created.action_url().unwrap_err();
    assert_eq!(err.rel, "action_url");
}

#[tokio::test]
async fn partner_not_approved_is_recognisable() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/customer/partner-referrals");
            then.status(403)
                .header("paypal-debug-id", "dbg-403")
                .json_body(json!({
                    "name": "PRODUCT_PPCP_UNAUTHORIZED",
                    "message": "The partner is not authorized to onboard for PPCP",
                    "debug_id": "dbg-403"
                }));
        })
        .await;
    let err = client(&server)
        .referrals()
        .create(&referral())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(paypal_partner::ErrorDetails::known_error),
        Some(KnownPayPalError::ProductPpcpUnauthorized)
    );
    assert_eq!(err.request_id(), Some("dbg-403"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn account_status_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/customer/partner-referrals");
            then.status(422)
                .json_body(json!({"name": "ACCOUNT_STATUS_ERROR", "debug_id": "d"}));
        })
        .await;
    let err = client(&server)
        .referrals()
        .create(&referral())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(paypal_partner::ErrorDetails::code),
        Some("ACCOUNT_STATUS_ERROR")
    );
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(paypal_partner::ErrorDetails::known_error),
        Some(KnownPayPalError::AccountStatusError)
    );
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let any = server
        .mock_async(|when, then| {
            when.path_includes("/v2/");
            then.status(201).json_body(json!({"links": []}));
        })
        .await;
    let client = client(&server);
    let mut bad = referral();
    bad.tracking_id = Some("x".repeat(128).into());
    let err = client.referrals().create(&bad).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(i) if i.field == "tracking_id"),
        "{err:?}"
    );
    let err = client
        .referrals()
        .create(&referral())
        .idempotency_key(paypal_partner::IdempotencyKey::new("x".repeat(109)).unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = client.referrals().get("").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    any.assert_calls_async(0).await;
    token.assert_calls_async(0).await;
}

#[tokio::test]
async fn get_a_referral_back() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/customer/partner-referrals/ZjcyODU4ZWYt")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE)
                .header_missing("paypal-request-id");
            then.status(200).json_body(json!({
                "partner_referral_id": "ZjcyODU4ZWYt",
                "submitter_payer_id": "RFYUH2QQDGUQU",
                "referral_data": {
                    "tracking_id": "seller-42",
                    "operations": [{"operation": "API_INTEGRATION", "api_integration_preference": {"rest_api_integration": {"integration_method": "PAYPAL", "integration_type": "THIRD_PARTY", "third_party_details": {"features": ["PAYMENT", "SOMETHING_NEW"]}}}}],
                    "products": ["PPCP"],
                    "legal_consents": [{"type": "SHARE_DATA_CONSENT", "granted": true}]
                },
                "links": [{"href": "https://api-m.sandbox.paypal.com/v2/customer/partner-referrals/ZjcyODU4ZWYt", "rel": "self", "method": "GET"}]
            }));
        })
        .await;
    let details = client(&server)
        .referrals()
        .get("ZjcyODU4ZWYt")
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    let data = details.referral_data.unwrap();
    assert_eq!(
        data.tracking_id.as_ref().map(|id| id.as_str()),
        Some("seller-42")
    );
    assert_eq!(details.submitter_payer_id.as_deref(), Some("RFYUH2QQDGUQU"));
    let features = &data.operations[0]
        .api_integration_preference
        .as_ref()
        .unwrap()
        .rest_api_integration
        .as_ref()
        .unwrap()
        .third_party_details
        .as_ref()
        .unwrap()
        .features;
    assert_eq!(features[1], Feature::Unknown("SOMETHING_NEW".into()));
}
