//! Fault injection: latency, 5xx, 429 bursts, dropped connections, at start, at runtime and over HTTP.

mod common;

use std::time::{Duration, Instant};

use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn leanpub_body() -> Value {
    json!({ "productId": "the-partner-sdk-handbook", "partnerId": "sandbox-partner", "origin": "shop.example.com",
            "recipient": { "firstName": "A", "lastName": "B", "email": "a@example.com" } })
}

async fn leanpub_call(sandbox: &Sandbox) -> reqwest::Result<reqwest::Response> {
    common::client()
        .post(sandbox.leanpub().endpoint_url())
        .header("x-api-key", "sandbox-leanpub-api-key")
        .json(&leanpub_body())
        .send()
        .await
}

#[tokio::test]
async fn latency_is_added() {
    let sandbox = Sandbox::start(SandboxConfig::new().provider_faults(
        Provider::Leanpub,
        FaultConfig::new().latency(Duration::from_millis(1000)),
    ))
    .await
    .unwrap();
    let started = Instant::now();
    assert_eq!(
        leanpub_call(&sandbox).await.unwrap().status(),
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(1000));
    // Other providers are unaffected.
    let started = Instant::now();
    common::client()
        .get(sandbox.paypal().cert_url())
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(1000));
}

#[tokio::test]
async fn error_rate_gives_provider_shaped_5xx() {
    let sandbox = common::sandbox().await;
    sandbox.faults().set(
        Provider::Paypal,
        FaultConfig::new().error_rate(1.0).error_status(500),
    );
    let response = common::client()
        .get(sandbox.paypal().cert_url())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers().contains_key("paypal-debug-id"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "INTERNAL_SERVER_ERROR");
    sandbox.faults().clear();
    assert_eq!(
        common::client()
            .get(sandbox.paypal().cert_url())
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // A rate of one half fails some requests and not others, deterministically per seed.
    sandbox
        .faults()
        .set_global(FaultConfig::new().error_rate(0.5));
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(leanpub_call(&sandbox).await.unwrap().status());
    }
    assert!(
        statuses.contains(&StatusCode::SERVICE_UNAVAILABLE) && statuses.contains(&StatusCode::OK)
    );
}

#[tokio::test]
async fn throttle_burst_answers_429_with_retry_after_then_recovers() {
    let sandbox = common::sandbox().await;
    sandbox.faults().set(
        Provider::Pax8,
        FaultConfig::new().throttle(2, Duration::from_secs(3)),
    );
    let client = common::client();
    for _ in 0..2 {
        let response = client
            .get(sandbox.pax8().base_url().to_string() + "/companies")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "3");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 429);
    }
    // Burst over: the next request reaches the API (401: no token).
    let response = client
        .get(sandbox.pax8().base_url().to_string() + "/companies")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn dropped_connections_are_connection_errors() {
    let sandbox = common::sandbox().await;
    sandbox
        .faults()
        .set(Provider::Leanpub, FaultConfig::new().drop_rate(1.0));
    let error = leanpub_call(&sandbox)
        .await
        .expect_err("the connection is dropped");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");

    // A raw TCP client sees the socket closed with no response bytes.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = sandbox.leanpub().base_url().socket_addrs(|| None).unwrap()[0];
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"POST /api/v2/PartnerDiscountRequest HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf))
        .await
        .unwrap();
    assert!(read.is_err() || buf.is_empty(), "got {} bytes", buf.len());

    sandbox.faults().clear_provider(Provider::Leanpub);
    assert_eq!(
        leanpub_call(&sandbox).await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn admin_endpoint_sets_reads_and_clears_faults() {
    let sandbox = common::sandbox().await;
    let client = common::client();
    let admin = sandbox
        .leanpub()
        .base_url()
        .join("__sandbox/faults")
        .unwrap();
    let set: Value = client
        .put(admin.clone())
        .json(&json!({ "error_rate": 1.0, "error_status": 502 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set["error_rate"], 1.0);
    let response = leanpub_call(&sandbox).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"], "Internal server error");
    // Admin endpoints are never faulted.
    let read: Value = client
        .get(admin.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["error_status"], 502);
    assert_eq!(
        client.delete(admin).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        leanpub_call(&sandbox).await.unwrap().status(),
        StatusCode::OK
    );
    assert!(sandbox.faults().effective(Provider::Leanpub).is_none());
}

#[tokio::test]
async fn shutdown_stops_the_servers() {
    let sandbox = common::sandbox().await;
    let url = sandbox.leanpub().endpoint_url();
    sandbox.shutdown().await;
    let result = common::client()
        .post(url)
        .json(&leanpub_body())
        .send()
        .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn dropping_the_sandbox_stops_the_servers() {
    let sandbox = common::sandbox().await;
    let url = sandbox.leanpub().endpoint_url();
    drop(sandbox);
    // Let the runtime run the aborted accept loop's cancellation.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        common::client()
            .post(url)
            .json(&leanpub_body())
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn fixed_ports() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let sandbox = Sandbox::start(SandboxConfig::new().port(Provider::Procuret, port))
        .await
        .unwrap();
    assert_eq!(sandbox.procuret().base_url().port(), Some(port));
    assert_eq!(sandbox.procuret().base_url().path(), "/api");
}
