//! A server that quotes the request it received (some gateways and proxies do) must not make the
//! client secret, the Basic header or a bearer token appear in any error or log line: every output is
//! grepped for each secret in every form a server may echo it in.

use std::io::Write;
use std::sync::{Arc, Mutex};

use partner_sandbox::echo::{EchoFormat, EchoServer, leaks};

const CLIENT_ID: &str = "client-id-1";
// Characters that change under JSON, URL and Base64 encoding.
const CLIENT_SECRET: &str = "cs/\"quoted\"+secret&=ü";

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Captures every event and span of this thread at TRACE level until the guard drops.
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Everything a core error shows: `Display`, `Debug` (plain and pretty), the fields of its API error,
/// and the same for each error of its source chain.
fn core_outputs(err: &partner_core::Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}\n");
    if let Some(api) = err.api_error() {
        text.push_str(&format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{}\n",
            api.code, api.message, api.request_id, api.details, api.raw_body
        ));
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("{s}\n{s:?}\n"));
        if let Some(inner) = s.downcast_ref::<partner_core::Error>() {
            text.push_str(&core_outputs(inner));
        }
        source = s.source();
    }
    text
}

fn assert_no_leak(what: &str, text: &str, secrets: &[&str]) {
    let found = leaks(text, secrets);
    assert!(found.is_empty(), "{what} leaks {found:?}:\n{text}");
}

fn client(echo: &EchoServer) -> paypal_partner::Client {
    paypal_partner::Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .base_url(echo.base_url())
        .retry_policy(paypal_partner::RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The client's secrets known before any call.
fn fixed_secrets() -> Vec<String> {
    use base64::Engine as _;
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    vec![CLIENT_SECRET.to_owned(), basic]
}

#[tokio::test(flavor = "current_thread")]
async fn a_token_endpoint_echoing_the_credentials_leaks_nothing() {
    let echo = EchoServer::start().await.unwrap();
    echo.refuse_tokens();
    let fixed = fixed_secrets();
    let secrets: Vec<&str> = fixed.iter().map(String::as_str).collect();
    for status in [400, 401, 500] {
        for format in [EchoFormat::Json, EchoFormat::Text] {
            echo.reply(status, format);
            let logs = Logs::default();
            let _guard = logs.capture();
            let client = client(&echo);
            let err = client.orders().get("O-1").send().await.unwrap_err();
            assert!(
                matches!(err, partner_core::Error::Authentication { .. }),
                "{status}: {err:?}"
            );
            let text = core_outputs(&err);
            assert!(
                text.contains("[REDACTED]"),
                "{status}: not scrubbed: {text}"
            );
            assert_no_leak("token error", &text, &secrets);
            assert_no_leak("logs", &logs.text(), &secrets);
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn api_errors_echoing_the_bearer_token_leak_nothing() {
    let echo = EchoServer::start().await.unwrap();
    echo.grant_tokens_at("/v1/oauth2/token");
    for status in [400, 401, 404, 422, 500] {
        for format in [EchoFormat::Json, EchoFormat::Text] {
            echo.reply(status, format);
            let logs = Logs::default();
            let _guard = logs.capture();
            let client = client(&echo);
            let err = client.orders().get("O-1").send().await.unwrap_err();
            let text = core_outputs(&err);
            assert!(
                text.contains("[REDACTED]"),
                "{status}: not scrubbed: {text}"
            );
            let mut secrets = fixed_secrets();
            secrets.extend(echo.issued_tokens());
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            assert_no_leak("API error", &text, &secrets);
            assert_no_leak("logs", &logs.text(), &secrets);
        }
    }
    assert!(
        echo.issued_tokens().len() >= 10,
        "every client fetched a token"
    );
}
