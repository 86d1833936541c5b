//! `GET /v1/customer/partners/{partner_id}/merchant-integrations[?tracking_id=|/{merchant_id}]`.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::merchant_integrations::{
    CapabilityStatus, OnboardingStatus, ProductName, VettingStatus,
};
use paypal_partner::readiness::Blocker;
use paypal_partner::{Client, Error, MerchantLookup, Readiness};
use serde_json::json;

const STATUS: &str = include_str!("fixtures/merchant_status.json");
const LOOKUP_PATH: &str = "/v1/customer/partners/PARTNERMERCHANT1/merchant-integrations";

#[tokio::test]
async fn lookup_by_tracking_id_finds_the_merchant_id() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LOOKUP_PATH)
                .query_param("tracking_id", "seller 42/ü")
                .header("authorization", bearer())
                .header("paypal-partner-attribution-id", BN_CODE);
            then.status(200).json_body(json!({
                "merchant_id": "8LQLM2ML4ZTYU",
                "tracking_id": "seller 42/ü",
                "links": [{"href": "https://api-m.sandbox.paypal.com/v1/customer/partners/PARTNERMERCHANT1/merchant-integrations/8LQLM2ML4ZTYU", "rel": "read", "method": "GET"}]
            }));
        })
        .await;
    let found = client(&server)
        .merchant_integrations()
        .find_by_tracking_id("seller 42/ü")
        .send()
        .await
        .unwrap();
    lookup.assert_async().await;
    let MerchantLookup::Found(found) = found else {
        panic!("{found:?}")
    };
    assert_eq!(found.merchant_id, "8LQLM2ML4ZTYU");
    assert_eq!(
        found.tracking_id.as_ref().map(|id| id.as_str()),
        Some("seller 42/ü")
    );
}

#[tokio::test]
async fn not_finished_is_pending_not_an_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let not_found = server
        .mock_async(|when, then| {
            when.method(GET).path(LOOKUP_PATH).query_param("tracking_id", "seller-404");
            then.status(404).json_body(json!({"name": "RESOURCE_NOT_FOUND", "message": "The specified resource does not exist.", "debug_id": "d404"}));
        })
        .await;
    let partial = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LOOKUP_PATH)
                .query_param("tracking_id", "seller-partial");
            then.status(201)
                .json_body(json!({"tracking_id": "seller-partial", "links": []}));
        })
        .await;
    let empty = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(LOOKUP_PATH)
                .query_param("tracking_id", "seller-empty");
            then.status(200).body("");
        })
        .await;
    let client = client(&server);
    for id in ["seller-404", "seller-partial", "seller-empty"] {
        let lookup = client
            .merchant_integrations()
            .find_by_tracking_id(id)
            .send()
            .await
            .unwrap();
        assert_eq!(lookup, MerchantLookup::Pending, "{id}");
    }
    not_found.assert_async().await;
    partial.assert_async().await;
    empty.assert_async().await;
    let status = client
        .merchant_integrations()
        .status_by_tracking_id("seller-404")
        .send()
        .await
        .unwrap();
    assert!(matches!(status, OnboardingStatus::Pending));
}

#[tokio::test]
async fn other_lookup_errors_stay_errors() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(LOOKUP_PATH);
            then.status(403)
                .json_body(json!({"name": "NOT_AUTHORIZED", "debug_id": "d"}));
        })
        .await;
    let err = client(&server)
        .merchant_integrations()
        .find_by_tracking_id("seller-42")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn status_document_is_fully_modelled() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{LOOKUP_PATH}/8LQLM2ML4ZTYU"))
                .query_param("fields", "products,capabilities")
                .header("authorization", bearer());
            then.status(200)
                .header("paypal-debug-id", "abc")
                .body(STATUS);
        })
        .await;
    let doc = client(&server)
        .merchant_integrations()
        .status("8LQLM2ML4ZTYU")
        .fields(["products", "capabilities"])
        .send()
        .await
        .unwrap();
    status.assert_async().await;
    assert_eq!(
        doc.merchant_id.as_ref().map(|id| id.as_str()),
        Some("8LQLM2ML4ZTYU")
    );
    assert_eq!(doc.payments_receivable, Some(true));
    assert_eq!(doc.primary_email_confirmed, Some(true));
    let custom = doc.product(&ProductName::PpcpCustom).unwrap();
    assert_eq!(custom.vetting_status, Some(VettingStatus::Subscribed));
    assert_eq!(
        doc.capability("CUSTOM_CARD_PROCESSING").unwrap().status,
        Some(CapabilityStatus::Active)
    );
    assert_eq!(doc.partner_client_id(), Some(CLIENT_ID));
    assert_eq!(doc.granted_scopes().count(), 5);
    // `a_field_paypal_added_later` is ignored: the document still decodes (unknown fields policy).
    assert_eq!(doc.readiness(), Readiness::CardsAndButtons);
}

#[tokio::test]
async fn only_our_active_integration_grants_permissions() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    let mut foreign: serde_json::Value = serde_json::from_str(STATUS).unwrap();
    foreign["oauth_integrations"][0]["oauth_third_party"][0]["partner_client_id"] =
        json!("another-partner-client-id");
    let mut revoked: serde_json::Value = serde_json::from_str(STATUS).unwrap();
    revoked["oauth_integrations"][0]["status"] = json!("I");
    for (merchant, body) in [("FOREIGN1", foreign), ("REVOKED1", revoked)] {
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("{LOOKUP_PATH}/{merchant}"));
                then.status(200).json_body(body);
            })
            .await;
        let doc = client(&server)
            .merchant_integrations()
            .status(merchant)
            .send()
            .await
            .unwrap();
        assert_eq!(doc.granted_scopes().count(), 0, "{merchant}");
        assert_eq!(
            doc.readiness(),
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
            "{merchant}"
        );
    }
}

#[tokio::test]
async fn a_malformed_status_document_is_not_quoted_in_the_error() {
    let server = MockServer::start_async().await;
    token_mock(&server).await;
    // The credentials come first, well inside the 200 characters a decode error would quote.
    let wrong_type = r#"{"merchant_id":"BADDOC1","api_credentials":{"signature":{"api_user_name":"seller_api1","api_password":"HUNTER2-API-PASSWORD"}},"oauth_integrations":[{"status":"A","oauth_third_party":[{"access_token":"SELLER-ACCESS-TOKEN","scopes":[]}]}],"payments_receivable":"yes"}"#;
    let truncated = r#"{"merchant_id":"BADDOC2","api_credentials":{"signature":{"api_user_name":"seller_api1","api_password":"HUNTER2-API-PASSWORD"}},"oauth_integrations":[{"oauth_third_party":[{"access_token":"SELLER-ACCESS-TOKEN""#;
    for (merchant, body) in [("BADDOC1", wrong_type), ("BADDOC2", truncated)] {
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("{LOOKUP_PATH}/{merchant}"));
                then.status(200).body(body);
            })
            .await;
        let err = client(&server)
            .merchant_integrations()
            .status(merchant)
            .send()
            .await
            .unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("{merchant}: expected a decode error, got {err:?}");
        };
        assert!(decode.snippet.is_none(), "{merchant}");
        for text in [err.to_string(), format!("{err:?}")] {
            for secret in ["HUNTER2-API-PASSWORD", "SELLER-ACCESS-TOKEN", "seller_api1"] {
                assert!(!text.contains(secret), "{merchant}: {text}");
            }
        }
    }
}

#[tokio::test]
async fn missing_partner_merchant_id_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .environment(paypal_partner::Environment::custom(&server.base_url()).unwrap())
        .build()
        .unwrap();
    let err = client
        .merchant_integrations()
        .find_by_tracking_id("seller-42")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(i) if i.field == "partner_merchant_id"),
        "{err:?}"
    );
    let err = client
        .merchant_integrations()
        .status("X")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = common::client(&server)
        .merchant_integrations()
        .status("bad id")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    token.assert_calls_async(0).await;
}
