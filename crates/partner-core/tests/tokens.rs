//! The OAuth2 token cache: single flight, failure fan-out, 401 replay, early refresh, stores.

mod support;

use std::sync::Arc;
use std::time::Duration;

use httpmock::prelude::*;
use partner_core::auth::{ClientCredentials, FileTokenStore, TokenCacheConfig, TokenStore};
use partner_core::clock::ManualClock;
use partner_core::{ApiClient, Error, ExposeSecret, Request};
use support::{ScriptedTransport, reply};

fn token_body(token: &str, expires_in: u64) -> String {
    format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#)
}

fn api_url() -> partner_core::url::Url {
    "https://api.test/v1/things".parse().unwrap()
}

fn scripted_client(
    t: &ScriptedTransport,
    config: TokenCacheConfig,
    clock: Option<ManualClock>,
) -> ApiClient {
    scripted_client_retrying(t, config, clock, partner_core::RetryPolicy::default())
}

/// A client whose retry policy (which its token requests follow too) is `retry`.
fn scripted_client_retrying(
    t: &ScriptedTransport,
    config: TokenCacheConfig,
    clock: Option<ManualClock>,
    retry: partner_core::RetryPolicy,
) -> ApiClient {
    let source = ClientCredentials::json_body(
        "https://auth.test/token".parse().unwrap(),
        "cid",
        "csecret".into(),
    )
    .with_param("audience", "https://api.test");
    let mut builder = ApiClient::builder("t/1")
        .transport(t.arc())
        .auth_origin(api_url())
        .retry_policy(retry)
        .oauth2(Arc::new(source), config);
    if let Some(clock) = clock {
        builder = builder.clock(Arc::new(clock));
    }
    builder.build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_on_a_cold_client_fetch_one_token() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/token")
                .header("content-type", "application/json")
                .json_body(serde_json::json!({
                    "client_id": "cid", "client_secret": "csecret",
                    "grant_type": "client_credentials", "audience": "aud"
                }));
            then.status(200)
                .delay(Duration::from_millis(200))
                .body(token_body("tok-1", 3600));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/things")
                .header("authorization", "Bearer tok-1");
            then.status(200).body("{}");
        })
        .await;
    let base: partner_core::url::Url = server.base_url().parse().unwrap();
    let source =
        ClientCredentials::json_body(base.join("/token").unwrap(), "cid", "csecret".into())
            .with_param("audience", "aud");
    let client = ApiClient::builder("t/1")
        .auth_origin(base.clone())
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .build()
        .unwrap();
    let calls = (0..200).map(|_| {
        let client = client.clone();
        let url = base.join("/v1/things").unwrap();
        tokio::spawn(async move { client.execute(Request::get(url)).await })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    token.assert_calls_async(1).await;
    api.assert_calls_async(200).await;
}

#[tokio::test(start_paused = true)]
async fn a_failed_fetch_fails_every_waiter_and_the_next_call_tries_again() {
    let t = ScriptedTransport::new(vec![
        support::Step::Slow(
            Duration::from_secs(1),
            401,
            r#"{"error":"invalid_client","error_description":"bad"}"#.into(),
        ),
        reply(200, &token_body("tok-2", 3600)),
        reply(200, "{}"),
    ]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    let waiters = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.execute(Request::get(api_url())).await })
    });
    for result in futures_util::future::join_all(waiters).await {
        match result.unwrap() {
            Err(Error::Authentication { api: Some(api), .. }) => {
                assert_eq!(api.code.as_deref(), Some("invalid_client"));
            }
            other => panic!("expected an authentication error, got {other:?}"),
        }
    }
    assert_eq!(t.seen().len(), 1, "the waiters shared one fetch");
    client.execute(Request::get(api_url())).await.unwrap();
    let seen = t.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].headers["authorization"], "Bearer tok-2");
}

#[tokio::test]
async fn a_401_refreshes_once_and_replays_once() {
    let t = ScriptedTransport::new(vec![
        reply(200, &token_body("old", 3600)),
        reply(401, r#"{"error":"invalid_token"}"#),
        reply(200, &token_body("new", 3600)),
        reply(200, r#"{"ok":1}"#),
    ]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    client.execute(Request::get(api_url())).await.unwrap();
    let seen = t.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[1].headers["authorization"], "Bearer old");
    assert_eq!(seen[3].headers["authorization"], "Bearer new");
}

/// The same over loopback through the default transport: the headers reach the server, and the
/// replay carries the new token.
#[tokio::test]
async fn a_401_replay_works_through_the_default_transport() {
    let server = support::ScriptServer::start(vec![
        reply(200, &token_body("old", 3600)),
        reply(401, r#"{"error":"invalid_token"}"#),
        reply(200, &token_body("new", 3600)),
        reply(200, r#"{"ok":1}"#),
    ])
    .await;
    let source = ClientCredentials::json_body(server.url("/token"), "cid", "csecret".into());
    let client = ApiClient::builder("t/1")
        .auth_origin(server.url("/"))
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .build()
        .unwrap();
    let body: serde_json::Value = client
        .send_json(Request::get(server.url("/v1/things?page=2")))
        .await
        .unwrap();
    assert_eq!(body["ok"], 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    for (i, token) in [(1, "Bearer old"), (3, "Bearer new")] {
        assert_eq!(seen[i].method, http::Method::GET);
        assert_eq!(seen[i].uri, "/v1/things?page=2");
        assert_eq!(seen[i].headers["authorization"], token);
        assert_eq!(seen[i].headers["user-agent"], "t/1");
        assert_eq!(seen[i].headers["accept"], "application/json");
    }
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error_not_a_loop() {
    let t = ScriptedTransport::new(vec![
        reply(200, &token_body("a", 3600)),
        reply(401, "{}"),
        reply(200, &token_body("b", 3600)),
        reply(401, r#"{"message":"still no"}"#),
    ]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    let err = client.execute(Request::get(api_url())).await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(t.seen().len(), 4);
}

#[tokio::test]
async fn tokens_are_refreshed_before_expiry_not_after() {
    let clock = ManualClock::at_unix(1_700_000_000);
    let t = ScriptedTransport::new(vec![
        reply(200, &token_body("first", 3600)),
        reply(200, &token_body("second", 3600)),
    ])
    .with_fallback(reply(200, "{}"));
    let client = scripted_client(&t, TokenCacheConfig::default(), Some(clock.clone()));
    let cache = client.token_cache().unwrap().clone();
    assert_eq!(cache.token().await.unwrap().secret.expose_secret(), "first");
    clock.advance(Duration::from_secs(3600 - 100)); // outside the 60–90 s window
    assert_eq!(cache.token().await.unwrap().secret.expose_secret(), "first");
    clock.advance(Duration::from_secs(50)); // 50 s before expiry: inside every jittered buffer
    assert_eq!(
        cache.token().await.unwrap().secret.expose_secret(),
        "second"
    );
    assert_eq!(t.seen().len(), 2);
}

#[tokio::test]
async fn a_transient_token_endpoint_failure_is_retried() {
    let t = ScriptedTransport::new(vec![reply(503, ""), reply(200, &token_body("ok", 3600))]);
    // The token request follows the client's retry policy.
    let retry = partner_core::RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(1));
    let client = scripted_client_retrying(&t, TokenCacheConfig::default(), None, retry);
    assert_eq!(
        client
            .token_cache()
            .unwrap()
            .token()
            .await
            .unwrap()
            .secret
            .expose_secret(),
        "ok"
    );
    let seen = t.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|r| r.uri == "https://auth.test/token"));
}

#[tokio::test]
async fn token_fetches_stop_where_the_clients_retry_policy_stops() {
    let t = ScriptedTransport::new(vec![
        reply(503, ""),
        reply(503, ""),
        reply(200, &token_body("too late", 3600)),
    ]);
    // Two attempts in all, as for any other request of this client: no retry loop of the cache's own.
    let retry = partner_core::RetryPolicy::default()
        .with_max_attempts(2)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(1));
    let client = scripted_client_retrying(&t, TokenCacheConfig::default(), None, retry);
    let err = client.token_cache().unwrap().token().await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(t.seen().len(), 2);
}

#[tokio::test]
async fn a_token_in_a_shared_store_saves_the_next_process_a_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(FileTokenStore::new(dir.path()));
    let first = ScriptedTransport::new(vec![reply(200, &token_body("shared", 3600))]);
    let a = scripted_client(
        &first,
        TokenCacheConfig::default().with_store(store.clone()),
        None,
    );
    a.token_cache().unwrap().token().await.unwrap();
    // A second client (another process) with the same store: no fetch at all.
    let second = ScriptedTransport::new(vec![]);
    let b = scripted_client(
        &second,
        TokenCacheConfig::default().with_store(store.clone()),
        None,
    );
    assert_eq!(
        b.token_cache()
            .unwrap()
            .token()
            .await
            .unwrap()
            .secret
            .expose_secret(),
        "shared"
    );
    assert!(second.seen().is_empty());
}

#[tokio::test]
async fn a_stored_token_close_to_expiry_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn TokenStore> = Arc::new(FileTokenStore::new(dir.path()));
    let clock = ManualClock::at_unix(1_700_000_000);
    let first = ScriptedTransport::new(vec![reply(200, &token_body("old", 100))]);
    let a = scripted_client(
        &first,
        TokenCacheConfig::default().with_store(store.clone()),
        Some(clock.clone()),
    );
    a.token_cache().unwrap().token().await.unwrap();
    clock.advance(Duration::from_secs(50)); // 50 s left: under the 60 s buffer
    let second = ScriptedTransport::new(vec![reply(200, &token_body("fresh", 3600))]);
    let b = scripted_client(
        &second,
        TokenCacheConfig::default().with_store(store),
        Some(clock),
    );
    assert_eq!(
        b.token_cache()
            .unwrap()
            .token()
            .await
            .unwrap()
            .secret
            .expose_secret(),
        "fresh"
    );
    assert_eq!(second.seen().len(), 1);
}

#[tokio::test]
async fn a_refused_token_is_removed_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileTokenStore::new(dir.path());
    let shared: Arc<dyn TokenStore> = Arc::new(store.clone());
    let t = ScriptedTransport::new(vec![
        reply(200, &token_body("revoked", 3600)),
        reply(401, "{}"),
        reply(200, &token_body("replacement", 3600)),
        reply(200, "{}"),
    ]);
    let client = scripted_client(&t, TokenCacheConfig::default().with_store(shared), None);
    client.execute(Request::get(api_url())).await.unwrap();
    let key = client.token_cache().unwrap().key().clone();
    let stored = store.load(&key).await.unwrap().unwrap();
    assert_eq!(stored.secret.expose_secret(), "replacement");
}

#[tokio::test]
async fn basic_form_token_requests_follow_rfc_6749() {
    let t = ScriptedTransport::new(vec![reply(
        200,
        r#"{"scope":"https://uri.paypal.com/services/x","access_token":"A21","token_type":"Bearer","app_id":"APP-80W","expires_in":31349,"nonce":"2020-..."}"#,
    )]);
    let source = ClientCredentials::basic_form(
        "https://auth.test/v1/oauth2/token".parse().unwrap(),
        "id",
        "sec".into(),
    );
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .build()
        .unwrap();
    let token = client.token_cache().unwrap().token().await.unwrap();
    assert_eq!(token.extra["app_id"], "APP-80W");
    let seen = &t.seen()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.headers["user-agent"], "t/1",
        "the token request identifies the SDK too"
    );
    assert_eq!(seen.headers["authorization"], "Basic aWQ6c2Vj"); // base64("id:sec")
    assert!(seen.headers["authorization"].is_sensitive());
    assert_eq!(
        seen.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(&seen.body[..], b"grant_type=client_credentials");
}

#[tokio::test]
async fn credentials_are_never_sent_to_another_host() {
    let t = ScriptedTransport::new(vec![]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    let err = client
        .execute(Request::get("https://evil.test/v1/things".parse().unwrap()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref i) if i.field == "url"),
        "{err:?}"
    );
    assert!(t.seen().is_empty(), "not even the token was fetched");
    // Unauthenticated requests may go anywhere.
    let t = ScriptedTransport::new(vec![reply(200, "{}")]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    client
        .execute(Request::get("https://cdn.test/cert.pem".parse().unwrap()).without_auth())
        .await
        .unwrap();
    assert!(t.seen()[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_failed_early_refresh_keeps_serving_the_still_valid_token() {
    let clock = ManualClock::at_unix(1_700_000_000);
    let t = ScriptedTransport::new(vec![
        reply(200, &token_body("current", 3600)),
        reply(200, "{}"),
        reply(503, "token endpoint down"),
        reply(200, "{}"),
        reply(200, "{}"),
        reply(200, &token_body("renewed", 3600)),
        reply(200, "{}"),
    ]);
    let client = scripted_client_retrying(
        &t,
        TokenCacheConfig::default(),
        Some(clock.clone()),
        partner_core::RetryPolicy::disabled(),
    );
    client.execute(Request::get(api_url())).await.unwrap();
    clock.advance(Duration::from_secs(3600 - 50)); // inside the refresh window, 50 s of validity left

    // The refresh fails, but the call goes through with the token that still works...
    client.execute(Request::get(api_url())).await.unwrap();
    // ...and the next call does not hammer the token endpoint again.
    client.execute(Request::get(api_url())).await.unwrap();
    let seen = t.seen();
    assert_eq!(seen.len(), 5, "one failed refresh, three API calls");
    assert_eq!(seen[3].headers["authorization"], "Bearer current");
    assert_eq!(seen[4].headers["authorization"], "Bearer current");

    clock.advance(Duration::from_secs(6)); // past the short back-off
    client.execute(Request::get(api_url())).await.unwrap();
    assert_eq!(t.seen()[6].headers["authorization"], "Bearer renewed");
}

#[tokio::test]
async fn a_failed_refresh_of_an_expired_token_is_an_error() {
    let clock = ManualClock::at_unix(1_700_000_000);
    let t = ScriptedTransport::new(vec![reply(200, &token_body("old", 100)), reply(503, "")]);
    let client = scripted_client_retrying(
        &t,
        TokenCacheConfig::default(),
        Some(clock.clone()),
        partner_core::RetryPolicy::disabled(),
    );
    client.token_cache().unwrap().token().await.unwrap();
    clock.advance(Duration::from_secs(101));
    let err = client.token_cache().unwrap().token().await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
}

#[tokio::test]
async fn a_token_that_is_not_a_valid_header_value_is_an_authentication_error() {
    let t = ScriptedTransport::new(vec![reply(
        200,
        r#"{"access_token":"bad\ntoken","expires_in":3600}"#,
    )]);
    let client = scripted_client(&t, TokenCacheConfig::default(), None);
    let err = client.execute(Request::get(api_url())).await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("bad\ntoken"));
    assert_eq!(t.seen().len(), 1, "nothing was sent with a broken header");
}
