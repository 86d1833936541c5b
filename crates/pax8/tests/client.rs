//! The client: authentication, token caching, retries, rate limiting, pagination, redaction.
mod common;

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use futures_util::future::{BoxFuture, FutureExt};
use futures_util::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use partner_core::bytes::Bytes;
use partner_core::clock::ManualClock;
use partner_core::error::TransportError;
use partner_core::transport::{HttpRequest, HttpResponse, Transport};
use pax8::{Client, EncryptionKey, Environment, Error};
use serde_json::json;
use tokio::time::Instant;

// ---------------------------------------------------------------------------------------------
// A transport that answers from a function, records when each API call was sent, and can delay.

type Handler =
    dyn Fn(&HttpRequest) -> (u16, Vec<(&'static str, String)>, String, Duration) + Send + Sync;

struct FakeTransport {
    handler: Box<Handler>,
    sent: Mutex<Vec<(Instant, String)>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl fmt::Debug for FakeTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FakeTransport")
    }
}

impl FakeTransport {
    fn new(
        handler: impl Fn(&HttpRequest) -> (u16, Vec<(&'static str, String)>, String, Duration)
        + Send
        + Sync
        + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            handler: Box::new(move |req| {
                if req.uri().path().ends_with("/v1/token") {
                    let token =
                        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400});
                    return (200, vec![], token.to_string(), Duration::ZERO);
                }
                handler(req)
            }),
            sent: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        })
    }

    fn api_calls(&self) -> Vec<(Instant, String)> {
        self.sent.lock().unwrap().clone()
    }
}

impl Transport for FakeTransport {
    fn send(
        &self,
        request: HttpRequest,
        _max: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        async move {
            let is_token = request.uri().path().ends_with("/v1/token");
            if !is_token {
                assert_eq!(
                    request.headers().get("authorization").unwrap(),
                    BEARER,
                    "every API call carries the bearer token"
                );
                self.sent
                    .lock()
                    .unwrap()
                    .push((Instant::now(), request.uri().to_string()));
            }
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            let (status, headers, body, delay) = (self.handler)(&request);
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            let mut response = pax8::http::Response::builder().status(status);
            for (name, value) in headers {
                response = response.header(name, value);
            }
            Ok(response.body(Bytes::from(body)).unwrap())
        }
        .boxed()
    }
}

fn fake_client(transport: Arc<FakeTransport>) -> pax8::ClientBuilder {
    Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .environment(pax8::Environment::custom("https://pax8.invalid").unwrap())
        .retry_policy(fast_retry())
        .transport(transport)
}

fn ok_company() -> (u16, Vec<(&'static str, String)>, String, Duration) {
    (
        200,
        vec![],
        json!({"id": "c-1", "name": "n"}).to_string(),
        Duration::ZERO,
    )
}

#[test]
fn client_and_streams_are_shareable() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    fn sendable<T: Send + 'static>(_: &T) {}
    shareable::<Client>();
    shareable::<pax8::WebhookVerifier>();
    let client = Client::builder()
        .client_id("id")
        .client_secret("secret")
        .build()
        .unwrap();
    sendable(&client.companies().list().stream());
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn one_token_for_many_concurrent_calls() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1")
                .header("authorization", BEARER);
            then.status(200)
                .json_body(json!({"id": "c-1", "name": "n"}));
        })
        .await;
    let client = builder(&server).build().unwrap();
    let calls = (0..10).map(|_| {
        let client = client.clone();
        async move { client.companies().get("c-1").send().await }
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    token.assert_calls_async(1).await;
    api.assert_calls_async(10).await;
}

#[tokio::test]
async fn legacy_token_endpoint_and_audience() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("content-type", "application/json")
                .json_body(json!({
                    "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                    "grant_type": "client_credentials", "audience": "api://p8p.client"
                }));
            then.status(200)
                .json_body(json!({"access_token": "legacy", "expires_in": 86400}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1")
                .header("authorization", "Bearer legacy");
            then.status(200).json_body(json!({"id": "c-1"}));
        })
        .await;
    // On a custom environment the legacy endpoint is `{root}/oauth/token`, on the same server.
    let client = builder(&server).legacy_auth().build().unwrap();
    client.companies().get("c-1").send().await.unwrap();
    token.assert_async().await;
    api.assert_async().await;
}

#[tokio::test]
async fn refused_credentials_are_an_authentication_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v1/token");
            then.status(401)
                .json_body(json!({"error": "access_denied", "error_description": "Unauthorized"}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path_prefix("/v1/companies");
            then.status(200);
        })
        .await;
    let client = builder(&server).build().unwrap();
    let err = client.companies().get("c-1").send().await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    let details = err
        .provider_details::<pax8::ErrorDetails>()
        .expect("the token endpoint's refusal is read as Pax8's error document");
    assert_eq!(details.error.as_deref(), Some("access_denied"));
    assert_eq!(details.error_description.as_deref(), Some("Unauthorized"));
    assert!(!format!("{err:?}").contains(CLIENT_SECRET));
    api.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_401_refreshes_the_token_and_replays_once() {
    let (server, client) = setup().await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/companies/c-1");
            then.status(401)
                .json_body(json!({"error": "access_denied", "error_description": "Unauthorized"}));
        })
        .await;
    let err = client.companies().get("c-1").send().await.unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    api.assert_calls_async(2).await;
}

#[tokio::test]
async fn token_expiry_mid_stream_fetches_a_new_token() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    for number in 0..3u64 {
        server
            .mock_async(move |when, then| {
                when.method(GET)
                    .path("/v1/subscriptions")
                    .header("authorization", BEARER)
                    .query_param("page", number.to_string());
                then.status(200).json_body(page(
                    json!([{"id": format!("s{number}")}]),
                    number,
                    1,
                    3,
                    3,
                ));
            })
            .await;
    }
    let clock = ManualClock::at_unix(1_750_000_000);
    let client = builder(&server)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let mut stream = Box::pin(client.subscriptions().list().size(1).stream());
    assert_eq!(stream.next().await.unwrap().unwrap().id.as_str(), "s0");
    token.assert_calls_async(1).await;
    // Tokens live 24 h: a day later, the next page needs a fresh one.
    clock.advance(Duration::from_secs(25 * 3600));
    let rest: Vec<_> = stream
        .map_ok(|s| s.id.into_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest, ["s1", "s2"]);
    token.assert_calls_async(2).await;
}

#[cfg(feature = "file-store")]
#[tokio::test]
async fn tokens_persist_in_a_file_and_are_reused() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/companies/c-1")
                .header("authorization", BEARER);
            then.status(200).json_body(json!({"id": "c-1"}));
        })
        .await;
    for _ in 0..2 {
        // A new client each time, as a new process would be.
        let client = builder(&server)
            .token_cache_file(dir.path())
            .build()
            .unwrap();
        client.companies().get("c-1").send().await.unwrap();
    }
    token.assert_calls_async(1).await;
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
}

#[cfg(feature = "file-store")]
#[tokio::test]
async fn encrypted_token_file_hides_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let key = EncryptionKey::from_bytes([7; 32]);
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/companies/c-1");
            then.status(200).json_body(json!({"id": "c-1"}));
        })
        .await;
    for _ in 0..2 {
        let client = builder(&server)
            .encrypted_token_cache_file(dir.path(), &key)
            .build()
            .unwrap();
        client.companies().get("c-1").send().await.unwrap();
    }
    token.assert_calls_async(1).await;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(TOKEN));
    }
}

#[tokio::test]
async fn debug_output_never_shows_the_secret() {
    let server = MockServer::start_async().await;
    let builder = builder(&server);
    assert!(!format!("{builder:?}").contains(CLIENT_SECRET));
    let client = builder.build().unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains(CLIENT_SECRET), "{text}");
    assert!(text.contains("/v1/"), "{text}");
}

#[tokio::test]
async fn a_custom_environment_serves_everything_under_its_root() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/pax8/v1/token");
            then.status(200)
                .json_body(json!({"access_token": TOKEN, "expires_in": 86400}));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pax8/v1/companies/c-1")
                .header("authorization", BEARER);
            then.status(200).json_body(json!({"id": "c-1"}));
        })
        .await;
    let hooks = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pax8/api/v2/webhooks/w-1")
                .header("authorization", BEARER);
            then.status(200).json_body(json!({"id": "w-1"}));
        })
        .await;
    // No trailing slash: the root still keeps its `/pax8` path.
    let client = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .environment(Environment::custom(&server.url("/pax8")).unwrap())
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), server.url("/pax8/v1/"));
    assert_eq!(
        client.webhooks_base_url().as_str(),
        server.url("/pax8/api/v2/")
    );
    client.companies().get("c-1").send().await.unwrap();
    client.webhooks().get("w-1").send().await.unwrap();
    token.assert_async().await;
    api.assert_async().await;
    hooks.assert_async().await;
}

#[tokio::test]
async fn production_is_the_default() {
    let client = Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .build()
        .unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.pax8.com/v1/");
    assert_eq!(
        client.webhooks_base_url().as_str(),
        "https://api.pax8.com/api/v2/"
    );
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let token = token_mock(&server).await;
    for url in [
        "http://api.example.com/",
        "https://user:pw@api.example.com/",
        "https://api.example.com/?x=1",
    ] {
        match Environment::custom(url) {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, "environment", "{input}"),
            other => panic!("expected an invalid environment for {url}, got {other:?}"),
        }
        // A `Custom` URL built by hand is checked by `build()`.
        let by_hand = Environment::Custom(url.parse().unwrap());
        match builder(&server).environment(by_hand).build() {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, "environment", "{input}"),
            other => panic!("expected an invalid environment for {url}, got {other:?}"),
        }
    }
    token.assert_calls_async(0).await;
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn a_429_without_retry_after_is_retried_then_reported() {
    let (server, client) = setup().await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/companies/c-1");
            then.status(429).json_body(
                json!({"type": "TOO_MANY_REQUESTS", "message": "slow down", "status": 429}),
            );
        })
        .await;
    let err = client.companies().get("c-1").send().await.unwrap_err();
    match &err {
        Error::RateLimited { retry_after, api } => {
            assert_eq!(*retry_after, None);
            assert_eq!(api.message.as_deref(), Some("slow down"));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    api.assert_calls_async(3).await;
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_waits_as_told() {
    let answers = Arc::new(Mutex::new(VecDeque::from([
        (429u16, vec![("retry-after", "2".to_string())]),
        (200, vec![]),
    ])));
    let transport = FakeTransport::new(move |_| {
        let (status, headers) = answers.lock().unwrap().pop_front().unwrap();
        let body = if status == 200 {
            json!({"id": "c-1"}).to_string()
        } else {
            String::new()
        };
        (status, headers, body, Duration::ZERO)
    });
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    let started = Instant::now();
    client.companies().get("c-1").send().await.unwrap();
    let calls = transport.api_calls();
    assert_eq!(calls.len(), 2);
    assert!(
        calls[1].0 - calls[0].0 >= Duration::from_secs(2),
        "waited {:?}",
        calls[1].0 - calls[0].0
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn server_errors_on_gets_are_retried() {
    let answers = Arc::new(Mutex::new(VecDeque::from([502u16, 503, 200])));
    let transport = FakeTransport::new(move |_| {
        let status = answers.lock().unwrap().pop_front().unwrap();
        (
            status,
            vec![],
            json!({"id": "c-1"}).to_string(),
            Duration::ZERO,
        )
    });
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    client.companies().get("c-1").send().await.unwrap();
    assert_eq!(transport.api_calls().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Rate limiting

#[tokio::test(start_paused = true)]
async fn the_default_limiter_holds_1000_per_minute_across_clones() {
    let transport = FakeTransport::new(|_| ok_company());
    let client = fake_client(transport.clone()).build().unwrap();
    let clone = client.clone();
    for i in 0..1100 {
        let c = if i % 2 == 0 { &client } else { &clone };
        c.companies().get("c-1").send().await.unwrap();
    }
    let times: Vec<Instant> = transport.api_calls().into_iter().map(|(t, _)| t).collect();
    assert_eq!(times.len(), 1100);
    // No 60 s window ever holds more than 1000 calls...
    for i in 0..times.len() - 1000 {
        assert!(
            times[i + 1000] - times[i] >= Duration::from_secs(60),
            "calls {i} and {} are {:?} apart",
            i + 1000,
            times[i + 1000] - times[i]
        );
    }
    // ...and the limiter does not wait much longer than it must.
    let total = *times.last().unwrap() - times[0];
    assert!(total < Duration::from_secs(70), "{total:?}");
    // A burst goes out at once.
    assert_eq!(times[49], times[0]);
}

#[tokio::test(start_paused = true)]
async fn a_custom_quota_and_no_limit() {
    let transport = FakeTransport::new(|_| ok_company());
    let client = fake_client(transport.clone())
        .rate_limit(pax8::Quota::per_second(2).with_burst(1))
        .build()
        .unwrap();
    for _ in 0..3 {
        client.companies().get("c-1").send().await.unwrap();
    }
    let times: Vec<Instant> = transport.api_calls().into_iter().map(|(t, _)| t).collect();
    assert!(
        times[2] - times[0] >= Duration::from_millis(1000),
        "{:?}",
        times[2] - times[0]
    );

    let transport = FakeTransport::new(|_| ok_company());
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..2000 {
        client.companies().get("c-1").send().await.unwrap();
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[tokio::test(start_paused = true)]
async fn prefetch_fetches_concurrently_and_yields_in_order() {
    let transport = FakeTransport::new(|req| {
        let query = req.uri().query().unwrap_or_default().to_string();
        let number: u64 = query
            .split('&')
            .find_map(|p| p.strip_prefix("page="))
            .unwrap()
            .parse()
            .unwrap();
        // Later pages answer faster, so they complete out of order.
        let delay = Duration::from_millis(400 - number * 50);
        let items =
            json!([{"id": format!("s{}", number * 2)}, {"id": format!("s{}", number * 2 + 1)}]);
        (
            200,
            vec![],
            page(items, number, 2, 12, 6).to_string(),
            delay,
        )
    });
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .subscriptions()
        .list()
        .size(2)
        .prefetch(4)
        .stream()
        .map_ok(|s| s.id.into_string())
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..12).map(|i| format!("s{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(transport.api_calls().len(), 6);
    assert!(transport.max_in_flight.load(Ordering::SeqCst) >= 3);
    assert!(transport.max_in_flight.load(Ordering::SeqCst) <= 4);
}

#[tokio::test]
async fn stream_stops_after_an_error_and_honours_max_pages() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices")
                .query_param("page", "0");
            then.status(200)
                .json_body(page(json!([{"id": "i0"}]), 0, 1, 5, 5));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/invoices")
                .query_param("page", "1");
            then.status(404)
                .json_body(json!({"type": "NOT_FOUND", "message": "gone", "status": 404}));
        })
        .await;
    let results: Vec<_> = client.invoices().list().size(1).stream().collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(results[1].as_ref().unwrap_err().is_not_found());

    let one: Vec<_> = client
        .invoices()
        .list()
        .size(1)
        .max_pages(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}

#[tokio::test]
async fn stream_starts_at_the_requested_page() {
    let (server, client) = setup().await;
    let p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v1/products")
                .query_param("page", "1");
            then.status(200)
                .json_body(page(json!([{"id": "p1"}]), 1, 1, 2, 2));
        })
        .await;
    let all: Vec<_> = client
        .products()
        .list()
        .page(1)
        .size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    p1.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// Per-call options

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_replaces_the_clients() {
    let transport = FakeTransport::new(|_| {
        let (status, headers, body, _) = ok_company();
        (status, headers, body, Duration::from_secs(10))
    });
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    let err = client
        .companies()
        .get("c-1")
        .timeout(Duration::from_secs(1))
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(transport.api_calls().len(), 1);
    // Without the option, the client's 60 s per attempt lets the same answer through.
    client.companies().get("c-1").send().await.unwrap();
}

#[tokio::test]
async fn no_retries_sends_once_and_a_list_takes_the_options_too() {
    let transport = FakeTransport::new(|_| (503, vec![], String::new(), Duration::ZERO));
    let client = fake_client(transport.clone())
        .without_rate_limit()
        .build()
        .unwrap();
    let err = client
        .companies()
        .get("c-1")
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(transport.api_calls().len(), 1);
    client
        .invoices()
        .list()
        .no_retries()
        .send()
        .await
        .unwrap_err();
    assert_eq!(transport.api_calls().len(), 2);
    let streamed: Vec<_> = client
        .invoices()
        .list()
        .no_retries()
        .stream()
        .collect()
        .await;
    assert!(streamed[0].is_err());
    assert_eq!(transport.api_calls().len(), 3);
    // The client's policy (three attempts) applies otherwise.
    client.companies().get("c-1").send().await.unwrap_err();
    assert_eq!(transport.api_calls().len(), 6);
}

// ---------------------------------------------------------------------------------------------
// The escape hatch and typed error details

#[tokio::test]
async fn a_raw_request_is_sent_under_the_rest_base_with_the_token() {
    let (server, client) = setup().await;
    let quote = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v1/quotes/q-1/lines")
                .header("authorization", BEARER)
                .json_body(json!({"quantity": 2}));
            then.status(200).json_body(json!({"id": "l-1"}));
        })
        .await;
    let line: serde_json::Value = client
        .raw_request(pax8::http::Method::POST, "quotes/q-1/lines")
        .json(&json!({"quantity": 2}))
        .send_json()
        .await
        .unwrap();
    assert_eq!(line["id"], "l-1");
    quote.assert_async().await;
}

#[tokio::test]
async fn a_raw_path_leaving_the_base_or_an_idempotency_key_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = builder(&server).build().unwrap();
    for path in ["..", "../token", "companies/../../api/v2/webhooks", "a//b"] {
        let err = client
            .raw_request(pax8::http::Method::DELETE, path)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{path}: {err:?}");
    }
    let err = client
        .raw_request(pax8::http::Method::POST, "orders")
        .idempotency_key(partner_core::IdempotencyKey::new("k-1").unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn both_error_shapes_are_typed_details() {
    let (server, client) = setup().await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/v1/subscriptions/s-1");
            then.status(422).json_body(json!({
                "errors": ["Quantity cannot be decreased during the commitment term"]
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v1/subscriptions/s-2");
            then.status(400).json_body(json!({
                "type": "BAD_REQUEST", "message": "Invalid request", "status": 400,
                "details": [{"message": "bad field", "instance": "quantity"}]
            }));
        })
        .await;
    let update = pax8::SubscriptionUpdate::builder()
        .quantity(1)
        .build()
        .unwrap();
    let err = client
        .subscriptions()
        .update("s-1", &update)
        .send()
        .await
        .unwrap_err();
    let details = err.provider_details::<pax8::ErrorDetails>().unwrap();
    assert_eq!(
        details.error_messages(),
        ["Quantity cannot be decreased during the commitment term"]
    );
    assert_eq!(details.error_type, None);

    let err = client.subscriptions().get("s-2").send().await.unwrap_err();
    let details = err.provider_details::<pax8::ErrorDetails>().unwrap();
    assert_eq!(details.error_type.as_deref(), Some("BAD_REQUEST"));
    assert_eq!(details.status, Some(400));
    assert_eq!(details.details[0].instance.as_deref(), Some("quantity"));
}
