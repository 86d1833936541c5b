//! The reqwest transport over loopback: body cap, decode errors, connection failures.

mod support;

use partner_core::error::TransportErrorKind;
use partner_core::{ApiClient, Error, Request, RequestOptions, RetryPolicy};
use support::{ScriptServer, reply};

#[tokio::test]
async fn an_oversized_body_is_an_error_not_an_allocation() {
    let big = "x".repeat(10_000);
    let server = ScriptServer::start(vec![reply(200, &big)]).await;
    let client = ApiClient::builder("t/1")
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let err = client
        .execute(Request::get(server.url("/big")))
        .await
        .unwrap_err();
    match err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::BodyTooLarge),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_at_the_cap_is_fine() {
    let server = ScriptServer::start(vec![reply(200, &"y".repeat(1_000))]).await;
    let client = ApiClient::builder("t/1")
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let response = client
        .execute(Request::get(server.url("/ok")))
        .await
        .unwrap();
    assert_eq!(response.body.len(), 1_000);
}

/// The body limit of a `BodyTooLarge` error, or a panic naming what came instead.
fn body_limit(err: Error) -> usize {
    match err {
        Error::Transport(t) if t.kind() == TransportErrorKind::BodyTooLarge => {
            let limit = t.body_limit().expect("a BodyTooLarge error names its cap");
            assert!(t.to_string().contains(&limit.to_string()), "{t}");
            limit
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_per_call_cap_applies_to_that_call_only() {
    let body = "z".repeat(5_000);
    // Every answer is the same 5,000 bytes; a retry would show as a second request seen.
    let server = ScriptServer::start(vec![reply(200, &body); 4]).await;
    let client = ApiClient::builder("t/1")
        .max_response_bytes(10_000)
        .build()
        .unwrap();

    // A per-call cap under the body: a typed error naming that cap, sent once (a GET is
    // retryable, yet an oversized answer is final).
    let small = RequestOptions::new().max_response_bytes(4_999);
    let err = client
        .execute(Request::get(server.url("/small")).options(&small))
        .await
        .unwrap_err();
    assert_eq!(body_limit(err), 4_999);
    assert_eq!(server.seen().len(), 1, "an oversized body is not retried");

    // The client's cap is unchanged by it.
    let response = client
        .execute(Request::get(server.url("/default")))
        .await
        .unwrap();
    assert_eq!(response.body.len(), 5_000);

    // A per-call cap at or over the body reads it, even above the client's own cap.
    let strict = ApiClient::builder("t/1")
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let large = RequestOptions::new().max_response_bytes(5_000);
    let response = strict
        .execute(Request::get(server.url("/large")).options(&large))
        .await
        .unwrap();
    assert_eq!(response.body.as_ref(), body.as_bytes());
    let err = strict
        .execute(Request::get(server.url("/strict")))
        .await
        .unwrap_err();
    assert_eq!(body_limit(err), 1_000, "the client's cap stays the default");
    assert_eq!(server.seen().len(), 4);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_the_path() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        content: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        price: f64,
    }
    let server = ScriptServer::start(vec![reply(
        200,
        r#"{"content":[{"id":"a","price":1.5},{"id":"b","price":"NaN?"}]}"#,
    )])
    .await;
    let client = ApiClient::builder("t/1").build().unwrap();
    let err = client
        .send_json::<Page>(Request::get(server.url("/page")))
        .await
        .unwrap_err();
    match &err {
        Error::Decode(d) => {
            assert_eq!(d.path, "content[1].price");
            assert!(d.snippet.as_deref().unwrap().starts_with("{\"content\""));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(err.to_string().contains("content[1].price"));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = ScriptServer::start(vec![reply(200, r#"{"content":[{"id":"#)]).await;
    let client = ApiClient::builder("t/1").build().unwrap();
    let err = client
        .send_json::<serde_json::Value>(Request::get(server.url("/page")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_and_retried() {
    // Bind then drop a listener: the port is (almost certainly) closed.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = ApiClient::builder("t/1")
        .retry_policy(RetryPolicy::default().with_max_attempts(2).with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .unwrap();
    let err = client
        .execute(Request::post(format!("http://{addr}/x").parse().unwrap()))
        .await
        .unwrap_err();
    match err {
        Error::Transport(t) => {
            assert_eq!(t.kind(), TransportErrorKind::Connect);
            assert!(t.is_before_send());
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn error_answers_become_typed_errors() {
    let server = ScriptServer::start(vec![
        reply(
            404,
            r#"{"name":"RESOURCE_NOT_FOUND","message":"gone","debug_id":"d1"}"#,
        ),
        reply(401, r#"{"error":"invalid_token"}"#),
        reply(422, "not json"),
    ])
    .await;
    let client = ApiClient::builder("t/1")
        .request_id_header("x-request-id".parse().unwrap())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .execute(Request::get(server.url("/a")))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("RESOURCE_NOT_FOUND"));
    assert_eq!(api.message.as_deref(), Some("gone"));
    let err = client
        .execute(Request::get(server.url("/b")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    let err = client
        .execute(Request::get(server.url("/c")))
        .await
        .unwrap_err();
    assert_eq!(err.api_error().unwrap().raw_body, "not json");
}

#[tokio::test]
async fn a_chunked_body_without_length_is_capped_while_streaming() {
    use axum::body::Body;
    // 64 chunks of 1 KiB with no Content-Length: the cap must be enforced as the chunks arrive.
    let app = axum::Router::new().route(
        "/stream",
        axum::routing::get(|| async {
            let chunks =
                (0..64).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'z'; 1024])));
            Body::from_stream(futures_util::stream::iter(chunks))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let url: partner_core::url::Url = format!("http://{addr}/stream").parse().unwrap();

    let capped = ApiClient::builder("t/1")
        .max_response_bytes(10_000)
        .build()
        .unwrap();
    let err = capped.execute(Request::get(url.clone())).await.unwrap_err();
    match err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::BodyTooLarge),
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let roomy = ApiClient::builder("t/1")
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    assert_eq!(
        roomy.execute(Request::get(url)).await.unwrap().body.len(),
        64 * 1024
    );
}

/// A URL the `url` crate accepts but that is not a valid HTTP URI (over `http`'s 64 KiB limit).
fn too_long_for_a_uri(server: &ScriptServer) -> partner_core::url::Url {
    server.url(&format!("/{}", "a".repeat(70_000)))
}

fn slow_retries() -> RetryPolicy {
    RetryPolicy::default().with_max_attempts(4).with_backoff(
        std::time::Duration::from_secs(10),
        std::time::Duration::from_secs(20),
    )
}

#[tokio::test(start_paused = true)]
async fn a_url_that_is_not_a_valid_uri_is_invalid_input_on_every_path_and_never_sent() {
    use partner_core::auth::ApiKeyAuth;
    use partner_core::transport::ReqwestTransport;
    use std::sync::Arc;

    let server = ScriptServer::start(vec![]).await;
    let url = too_long_for_a_uri(&server);
    let clients = [
        // The default transport.
        ("default transport", ApiClient::builder("t/1")),
        // The same transport given to the builder.
        (
            "given transport",
            ApiClient::builder("t/1").transport(Arc::new(ReqwestTransport::new().unwrap())),
        ),
        // A custom authenticator.
        (
            "custom authenticator",
            ApiClient::builder("t/1")
                .auth_origin(server.url("/"))
                .authenticator(Arc::new(ApiKeyAuth::new(
                    "x-api-key".parse().unwrap(),
                    "k".into(),
                ))),
        ),
    ];
    for (name, builder) in clients {
        let client = builder.retry_policy(slow_retries()).build().unwrap();
        let started = tokio::time::Instant::now();
        let err = client.execute(Request::get(url.clone())).await.unwrap_err();
        match &err {
            Error::InvalidInput(input) => assert_eq!(input.field, "url", "{name}"),
            other => panic!("{name}: expected invalid input, got {other:?}"),
        }
        // Not retried: a retry would have waited at least 10 s of (paused) time.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{name}"
        );
    }
    assert!(server.seen().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_request_the_transport_cannot_build_is_not_retried() {
    let client = ApiClient::builder("t/1")
        .retry_policy(slow_retries())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    // A valid URI with a scheme reqwest does not send to.
    let err = client
        .execute(Request::get("ftp://127.0.0.1:9/file".parse().unwrap()))
        .await
        .unwrap_err();
    match err {
        Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Request),
        other => panic!("expected a request error, got {other:?}"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

/// Counts permits, to show a refused request spends none.
#[derive(Debug, Default)]
struct CountingLimiter(std::sync::atomic::AtomicUsize);

impl partner_core::rate_limit::RateLimiter for CountingLimiter {
    fn acquire(&self) -> futures_util::future::BoxFuture<'_, ()> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async {})
    }
}

#[tokio::test]
async fn a_url_that_is_not_a_valid_uri_spends_no_permit_and_fetches_no_token() {
    use partner_core::auth::{ClientCredentials, TokenCacheConfig};
    use partner_core::transport::ReqwestTransport;
    use std::sync::Arc;

    let server = ScriptServer::start(vec![]).await;
    for given_transport in [false, true] {
        let limiter = Arc::new(CountingLimiter::default());
        let tokens = ClientCredentials::json_body(server.url("/token"), "id", "secret".into());
        let mut builder = ApiClient::builder("t/1")
            .auth_origin(server.url("/"))
            .oauth2(Arc::new(tokens), TokenCacheConfig::default())
            .rate_limiter(limiter.clone());
        if given_transport {
            builder = builder.transport(Arc::new(ReqwestTransport::new().unwrap()));
        }
        let client = builder.build().unwrap();
        let err = client
            .execute(Request::get(too_long_for_a_uri(&server)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        assert_eq!(limiter.0.load(std::sync::atomic::Ordering::SeqCst), 0);
    }
    // Neither a token request nor the API call reached the server.
    assert!(server.seen().is_empty());
}
