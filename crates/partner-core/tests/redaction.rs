//! No secret in any `Debug` or `Display` of the public configs, clients and errors.

mod support;

use std::sync::Arc;

use partner_core::auth::{
    AccessToken, ApiKeyAuth, ClientCredentials, EncryptedFileTokenStore, EncryptionKey,
    TokenCacheConfig, TokenSource,
};
use partner_core::{ApiClient, Request};
use support::{ScriptedTransport, reply};

const SECRETS: [&str; 4] = [
    "s3cr3t-client-secret",
    "tok-abcdef-123456",
    "api-key-zzz",
    "0123456789abcdef",
];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}

#[tokio::test]
async fn configs_clients_tokens_and_errors_do_not_print_secrets() {
    let source = ClientCredentials::basic_form(
        "https://auth.test/token".parse().unwrap(),
        "id",
        SECRETS[0].into(),
    );
    assert_clean("ClientCredentials", &format!("{source:?}"));
    let request = source.token_request().unwrap();
    assert_clean("token request", &format!("{request:?}"));

    let t = ScriptedTransport::new(vec![
        reply(
            200,
            &format!(r#"{{"access_token":"{}","expires_in":3600}}"#, SECRETS[1]),
        ),
        reply(500, r#"{"message":"boom"}"#),
    ]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .auth_origin("https://api.test".parse().unwrap())
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .retry_policy(partner_core::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .execute(Request::get("https://api.test/x".parse().unwrap()))
        .await
        .unwrap_err();
    assert_clean("ApiClient", &format!("{client:?}"));
    assert_clean("error", &format!("{err} {err:?}"));
    let token = client.token_cache().unwrap().token().await.unwrap();
    assert_clean("AccessToken", &format!("{token:?}"));
    assert_clean("StoredToken", &format!("{:?}", token.to_stored()));
    assert_clean(
        "TokenCache",
        &format!("{:?}", client.token_cache().unwrap()),
    );
    // The request that went out was marked sensitive.
    assert!(t.seen()[1].headers["authorization"].is_sensitive());

    let key_auth = ApiKeyAuth::new("x-api-key".parse().unwrap(), SECRETS[2].into());
    assert_clean("ApiKeyAuth", &format!("{key_auth:?}"));
    let key = EncryptionKey::from_bytes(*b"0123456789abcdef0123456789abcdef");
    assert_clean("EncryptionKey", &format!("{key:?}"));
    assert_clean(
        "EncryptedFileTokenStore",
        &format!("{:?}", EncryptedFileTokenStore::new("/tmp", &key)),
    );
    assert_clean(
        "AccessToken::new",
        &format!("{:?}", AccessToken::new(SECRETS[1], None)),
    );
}

#[tokio::test]
async fn a_token_endpoint_that_returns_garbage_is_not_quoted() {
    let source =
        ClientCredentials::json_body("https://auth.test/token".parse().unwrap(), "id", "x".into());
    let t = ScriptedTransport::new(vec![reply(
        200,
        &format!(r#"{{"access_token":["{}"]}}"#, SECRETS[1]),
    )]);
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .build()
        .unwrap();
    let err = client.token_cache().unwrap().token().await.unwrap_err();
    let mut text = format!("{err} {err:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    assert_clean("token decode error", &text);
}
