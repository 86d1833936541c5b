//! The per-request span carries what an operator needs and nothing secret.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use partner_core::auth::{ClientCredentials, TokenCacheConfig};
use partner_core::{ApiClient, Request};
use support::{ScriptedTransport, Step, reply};
use tracing_subscriber::fmt::format::FmtSpan;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn one_span_per_request_with_status_attempt_and_request_id_but_no_secret() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t = ScriptedTransport::new(vec![
        reply(
            200,
            r#"{"access_token":"tok-SECRET-123","expires_in":3600}"#,
        ),
        reply(503, "busy"),
        Step::Reply(
            200,
            vec![("paypal-debug-id", "dbg-42".into())],
            r#"{"card":"4111-body-never-logged"}"#.into(),
        ),
    ]);
    let source = ClientCredentials::basic_form(
        "https://api.test/v1/oauth2/token".parse().unwrap(),
        "cid",
        "csecret-XYZ".into(),
    );
    let client = ApiClient::builder("t/1")
        .transport(t.arc())
        .auth_origin("https://api.test".parse().unwrap())
        .oauth2(Arc::new(source), TokenCacheConfig::default())
        .request_id_header("paypal-debug-id".parse().unwrap())
        .retry_policy(partner_core::RetryPolicy::default().with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(1),
        ))
        .build()
        .unwrap();
    client
        .execute(Request::get(
            "https://api.test/v2/checkout/orders/O-1?email=a%40b.test"
                .parse()
                .unwrap(),
        ))
        .await
        .unwrap();

    let out = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let span_line = out
        .lines()
        .find(|l| {
            l.contains("partner_request{") && !l.contains("token_fetch{") && l.contains(" close ")
        })
        .expect(&out);
    for field in [
        "method=GET",
        "path=\"/v2/checkout/orders/O-1\"",
        "status=200",
        "attempt=2",
        "request_id=\"dbg-42\"",
        "latency_ms=",
    ] {
        assert!(span_line.contains(field), "missing {field} in: {span_line}");
    }
    for secret in [
        "tok-SECRET-123",
        "csecret-XYZ",
        "4111-body-never-logged",
        "a%40b.test",
        "a@b.test",
    ] {
        assert!(!out.contains(secret), "the log leaks {secret}:\n{out}");
    }
}
