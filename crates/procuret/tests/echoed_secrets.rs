//! A server that quotes the request it received (some gateways and proxies do) must not make the
//! session's api key, the passphrase or the second-factor code appear in any error or log line: every
//! output is grepped for each secret in every form a server may echo it in.

use partner_sandbox::echo::{EchoFormat, EchoServer, leaks};
use partner_testkit::{CapturedLogs, assert_no_leak, error_text};
use procuret::{Client, Environment, Lifecycle, Perspective, RetryPolicy, Session};

// Characters that change under JSON, URL and Base64 encoding.
const API_KEY: &str = "pk/echo+key=with\"quote";
const PASSPHRASE: &str = "correct \"horse\" battery/staple+ü";
const CODE: &str = "123456";

fn client(echo: &EchoServer) -> Client {
    Client::builder()
        .environment(Environment::custom(echo.base_url().join("api/").unwrap().as_str()).unwrap())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn signed_calls_never_show_the_api_key() {
    let echo = EchoServer::start().await.unwrap();
    for lifecycle in [Lifecycle::ShortLived, Lifecycle::LongLived] {
        let session = Session::new(7, API_KEY.into(), lifecycle).unwrap();
        let client = client(&echo).with_session(session).unwrap();
        for status in [400, 401, 403, 500] {
            for format in EchoFormat::ALL {
                echo.reply(status, format);
                let logs = CapturedLogs::default();
                let _guard = logs.capture();
                let err = client.entities().get(1).send().await.unwrap_err();
                let text = error_text(&err);
                if lifecycle == Lifecycle::ShortLived {
                    // The raw key was sent, and echoed.
                    assert!(
                        text.contains("[REDACTED]"),
                        "{status}: not scrubbed: {text}"
                    );
                }
                assert_no_leak("signed call error", &text, &[API_KEY]);
                assert_no_leak("logs", &logs.text(), &[API_KEY]);
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn session_creation_never_shows_the_passphrase_or_the_code() {
    let echo = EchoServer::start().await.unwrap();
    let client = client(&echo);
    let secrets = [PASSPHRASE, CODE];
    for (status, format) in [
        (401, EchoFormat::Json),
        (422, EchoFormat::Text),
        (500, EchoFormat::Json),
        // A 2xx that is not a session: the decode error.
        (200, EchoFormat::Json),
    ] {
        echo.reply(status, format);
        let logs = CapturedLogs::default();
        let _guard = logs.capture();
        let err = client
            .sessions()
            .create(
                &procuret::NewSession::builder()
                    .email("me@example.org")
                    .passphrase(PASSPHRASE)
                    .perspective(Perspective::Supplier)
                    .code(CODE)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap_err();
        let text = error_text(&err);
        if status != 200 {
            assert!(
                text.contains("[REDACTED]"),
                "{status}: not scrubbed: {text}"
            );
        }
        assert_no_leak("session error", &text, &secrets);
        assert_no_leak("logs", &logs.text(), &secrets);

        let err = client
            .second_factor_code()
            .email("me@example.org")
            .passphrase(PASSPHRASE)
            .perspective(Perspective::Supplier)
            .send()
            .await;
        if status != 200 {
            let text = error_text(&err.unwrap_err());
            assert!(
                text.contains("[REDACTED]"),
                "{status}: not scrubbed: {text}"
            );
            assert_no_leak("second-factor error", &text, &[PASSPHRASE]);
        }
        assert_no_leak("logs", &logs.text(), &secrets);
    }
    // The code is scrubbed only while its call lasts: afterwards it is ordinary text again.
    assert!(!client_scrubs(&echo, CODE).await);
}

/// Whether an error answer quoting `text` comes back scrubbed outside any call that sent it.
async fn client_scrubs(echo: &EchoServer, text: &str) -> bool {
    echo.reply(400, EchoFormat::Json);
    let session = Session::new(7, API_KEY.into(), Lifecycle::LongLived).unwrap();
    let client = client(echo).with_session(session).unwrap();
    // The echoed path carries the text; the client itself knows it only as a path.
    let err = client
        .entities()
        .get(text.parse::<i64>().unwrap())
        .send()
        .await
        .unwrap_err();
    leaks(&error_text(&err), &[text]).is_empty()
}
