//! Tokens: Basic auth + form, cached, single-flight, the response available; BN code on calls.
mod common;

use common::*;
use httpmock::prelude::*;
use paypal_partner::{Error, ErrorDetails, partner_core::ExposeSecret};
use serde_json::json;

#[tokio::test]
async fn token_is_fetched_once_and_exposed() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let client = client(&server);
    let clone = client.clone();
    let (a, b, c) = tokio::join!(
        client.access_token(),
        client.access_token(),
        clone.access_token()
    );
    let info = a.unwrap();
    b.unwrap();
    c.unwrap();
    token.assert_calls_async(1).await;
    assert_eq!(info.app_id.as_deref(), Some("APP-80W284485P519543T"));
    assert_eq!(info.nonce.as_deref(), Some("2024-01-01T00:00:00ZdJ3cKk"));
    assert_eq!(info.token_type.as_deref(), Some("Bearer"));
    assert!(info.has_scope("https://uri.paypal.com/services/customer/partner"));
    assert!(!info.has_scope("https://uri.paypal.com/services/customer"));
    let left = info.expires_in.unwrap().as_secs();
    assert!((31_300..=31_349).contains(&left), "{left}");
    assert_eq!(info.access_token.expose_secret(), TOKEN);
    let debug = format!("{info:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

#[tokio::test]
async fn refused_credentials_are_an_authentication_error_with_oauth_code() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/oauth2/token");
            then.status(401).json_body(json!({"error": "invalid_client", "error_description": "Client Authentication failed"}));
        })
        .await;
    let err = client(&server).access_token().await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(
        err.api_error().and_then(|api| api.code.as_deref()),
        Some("invalid_client")
    );
    // The token endpoint's refusal is read like any other PayPal error: typed details included.
    let details = err
        .provider_details::<ErrorDetails>()
        .expect("typed details");
    assert_eq!(details.error.as_deref(), Some("invalid_client"));
    assert_eq!(
        details.error_description.as_deref(),
        Some("Client Authentication failed")
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_replays_once() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let refused = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/payments/referenced-payouts-items/ITEM1");
            then.status(401).json_body(json!({"error": "invalid_token", "error_description": "Token signature verification failed"}));
        })
        .await;
    let err = client(&server)
        .referenced_payouts()
        .get_item("ITEM1")
        .send()
        .await
        .unwrap_err();
    // One call, one refresh and replay, then the answer stands.
    refused.assert_calls_async(2).await;
    token.assert_calls_async(2).await;
    assert!(matches!(err, Error::Authentication { .. }));
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires() {
    use std::sync::Arc;
    use std::time::Duration;
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let clock = paypal_partner::partner_core::clock::ManualClock::at_unix(1_700_000_000);
    let client = paypal_partner::Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .environment(paypal_partner::Environment::custom(&server.base_url()).unwrap())
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    client.access_token().await.unwrap();
    clock.advance(Duration::from_secs(3600));
    client.access_token().await.unwrap();
    token.assert_calls_async(1).await;
    // 10 s before expiry is inside the refresh buffer: a new token is fetched.
    clock.advance(Duration::from_secs(31_349 - 3600 - 10));
    client.access_token().await.unwrap();
    token.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_token_store_lets_a_second_client_skip_the_token_request() {
    use std::sync::Arc;

    use partner_core::auth::{EncryptedFileTokenStore, EncryptionKey, TokenStore};

    let server = httpmock::MockServer::start_async().await;
    let token = common::token_mock(&server).await;
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(EncryptedFileTokenStore::new(
        dir.path(),
        &EncryptionKey::from_bytes([5; 32]),
    ));
    let build = || {
        paypal_partner::Client::builder()
            .client_id(common::CLIENT_ID)
            .client_secret(common::SECRET)
            .partner_merchant_id(common::PARTNER_ID)
            .environment(paypal_partner::Environment::custom(&server.base_url()).unwrap())
            .token_store(store.clone())
            .build()
            .unwrap()
    };
    // Two clients, as two processes would have: one token request between them.
    build().access_token().await.unwrap();
    build().access_token().await.unwrap();
    token.assert_calls_async(1).await;
}
