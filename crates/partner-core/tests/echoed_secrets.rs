//! A server that quotes the credentials it received (some gateways and proxies do) must not make them
//! appear in any error, field or log line: every output is grepped for every secret, in every form a
//! server may echo it in (partner_sandbox::echo::echoed_forms).

use std::sync::Arc;

use partner_core::auth::{ApiKeyAuth, ClientCredentials, TokenCacheConfig};
use partner_core::{ApiClient, Error, Request, RetryPolicy};
use partner_sandbox::echo::{EchoFormat, EchoServer, leaks};
use partner_testkit::{CapturedLogs, assert_no_leak, error_text};

const CLIENT_ID: &str = "client-id-1";
// Characters that change under JSON, URL and Base64 encoding.
const CLIENT_SECRET: &str = "cs/\"quoted\"+secret&=ü";
const API_KEY: &str = "api-key/with+plus=";

fn oauth_client(echo: &EchoServer, credentials: ClientCredentials) -> ApiClient {
    ApiClient::builder("echo-test/1")
        .auth_origin(echo.base_url())
        .request_id_header("x-request-id".parse().unwrap())
        .oauth2(Arc::new(credentials), TokenCacheConfig::default())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn token_url(echo: &EchoServer) -> partner_core::url::Url {
    echo.base_url().join("token").unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_token_endpoint_echoing_the_client_secret_and_basic_header_leaks_nothing() {
    let echo = EchoServer::start().await.unwrap();
    let basic = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    };
    let secrets = [CLIENT_SECRET, basic.as_str()];
    for status in [400, 401, 500] {
        for format in EchoFormat::ALL {
            for credentials in [
                ClientCredentials::basic_form(token_url(&echo), CLIENT_ID, CLIENT_SECRET.into()),
                ClientCredentials::json_body(token_url(&echo), CLIENT_ID, CLIENT_SECRET.into()),
            ] {
                echo.reply(status, format);
                let logs = CapturedLogs::default();
                let _guard = logs.capture();
                let client = oauth_client(&echo, credentials);
                let err = client
                    .execute(Request::get(echo.base_url().join("api/x").unwrap()))
                    .await
                    .unwrap_err();
                assert!(
                    matches!(err, Error::Authentication { .. }),
                    "{status}: {err:?}"
                );
                let text = error_text(&err);
                assert!(
                    text.contains("[REDACTED]"),
                    "the echo was not scrubbed: {text}"
                );
                assert_no_leak("token error", &text, &secrets);
                assert_no_leak("logs", &logs.text(), &secrets);
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn api_errors_echoing_bearer_tokens_leak_nothing() {
    let echo = EchoServer::start().await.unwrap();
    echo.grant_tokens_at("/token");
    for status in [400, 401, 429, 500] {
        for format in EchoFormat::ALL {
            echo.reply(status, format);
            let logs = CapturedLogs::default();
            let _guard = logs.capture();
            let client = oauth_client(
                &echo,
                ClientCredentials::basic_form(token_url(&echo), CLIENT_ID, CLIENT_SECRET.into()),
            );
            let err = client
                .execute(
                    Request::post(echo.base_url().join("api/x").unwrap())
                        .body("application/json", "{}"),
                )
                .await
                .unwrap_err();
            let text = error_text(&err);
            assert!(
                text.contains("[REDACTED]"),
                "the echo was not scrubbed: {text}"
            );
            let tokens = echo.issued_tokens();
            // A 401 makes the client fetch a second token and replay: both were echoed.
            assert!(!tokens.is_empty());
            let mut secrets: Vec<&str> = tokens.iter().map(String::as_str).collect();
            secrets.push(CLIENT_SECRET);
            assert_no_leak("API error", &text, &secrets);
            assert_no_leak("logs", &logs.text(), &secrets);
        }
    }
    assert!(echo.issued_tokens().len() > 8, "tokens were not refreshed");
}

#[tokio::test(flavor = "current_thread")]
async fn an_api_key_echoed_in_an_error_or_a_2xx_decode_failure_leaks_nothing() {
    let echo = EchoServer::start().await.unwrap();
    let client = ApiClient::builder("echo-test/1")
        .auth_origin(echo.base_url())
        .authenticator(Arc::new(ApiKeyAuth::new(
            "x-api-key".parse().unwrap(),
            API_KEY.into(),
        )))
        .request_id_header("x-request-id".parse().unwrap())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let logs = CapturedLogs::default();
    let _guard = logs.capture();
    for (status, format) in [
        (403, EchoFormat::Json),
        (502, EchoFormat::Text),
        // A 2xx whose body is not the expected document: the decode error quotes it.
        (200, EchoFormat::Text),
        (200, EchoFormat::Json),
        (403, EchoFormat::AsciiJson),
        (200, EchoFormat::AsciiJson),
    ] {
        echo.reply(status, format);
        let err = client
            .send_json::<Vec<u32>>(Request::get(echo.base_url().join("api/x").unwrap()))
            .await
            .unwrap_err();
        let text = error_text(&err);
        assert!(
            text.contains("[REDACTED]"),
            "{status}: not scrubbed: {text}"
        );
        assert_no_leak("API key error", &text, &[API_KEY]);
    }
    assert_no_leak("logs", &logs.text(), &[API_KEY]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_scoped_secret_is_scrubbed_while_its_scope_lives() {
    let echo = EchoServer::start().await.unwrap();
    echo.reply(422, EchoFormat::Json);
    let client = ApiClient::builder("echo-test/1")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let code = "654321";
    let call = || {
        client.execute(
            Request::post(echo.base_url().join("session").unwrap())
                .json(&serde_json::json!({ "code": code }))
                .unwrap(),
        )
    };
    let scope = client.scrubber().scope(code);
    let err = call().await.unwrap_err();
    assert_no_leak("scoped error", &error_text(&err), &[code]);
    drop(scope);
    // Once the call is over, the value is ordinary text again: the scrubber is not what hid it.
    let err = call().await.unwrap_err();
    assert!(!leaks(&error_text(&err), &[code]).is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn a_successful_answer_is_left_as_the_server_sent_it() {
    let echo = EchoServer::start().await.unwrap();
    echo.reply(200, EchoFormat::Json);
    let client = ApiClient::builder("echo-test/1")
        .auth_origin(echo.base_url())
        .authenticator(Arc::new(ApiKeyAuth::new(
            "x-api-key".parse().unwrap(),
            API_KEY.into(),
        )))
        .build()
        .unwrap();
    // Scrubbing is for errors and logs: a 2xx body reaches the caller untouched.
    let body: serde_json::Value = client
        .send_json(Request::get(echo.base_url().join("api/x").unwrap()))
        .await
        .unwrap();
    assert!(
        body["message"].as_str().unwrap().contains(API_KEY),
        "{body}"
    );
}
