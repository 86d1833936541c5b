//! A server that quotes the request it received (some gateways and proxies do) must not make the
//! client secret, the Basic header or a bearer token appear in any error or log line: every output is
//! grepped for each secret in every form a server may echo it in.

use partner_sandbox::echo::{EchoFormat, EchoServer};
use partner_testkit::{CapturedLogs, assert_no_leak, error_text};

const CLIENT_ID: &str = "client-id-1";
// Characters that change under JSON, URL and Base64 encoding.
const CLIENT_SECRET: &str = "cs/\"quoted\"+secret&=ü";

fn client(echo: &EchoServer) -> paypal_partner::Client {
    paypal_partner::Client::builder()
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .environment(paypal_partner::Environment::Custom(echo.base_url()))
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
        for format in EchoFormat::ALL {
            echo.reply(status, format);
            let logs = CapturedLogs::default();
            let _guard = logs.capture();
            let client = client(&echo);
            let err = client.orders().get("O-1").send().await.unwrap_err();
            assert!(
                matches!(err, partner_core::Error::Authentication { .. }),
                "{status}: {err:?}"
            );
            let text = error_text(&err);
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
        for format in EchoFormat::ALL {
            echo.reply(status, format);
            let logs = CapturedLogs::default();
            let _guard = logs.capture();
            let client = client(&echo);
            let err = client.orders().get("O-1").send().await.unwrap_err();
            let text = error_text(&err);
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
