//! A server that quotes the request it received (some gateways and proxies do) must not make the API
//! key appear in any error or log line, whatever the answer's shape: a service refusal (with an error
//! status or a 2xx), a gateway error, an unreadable body, plain text, or an acknowledgement whose ids
//! quote it.

use leanpub_affiliate::{
    Client, DiscountRequest, Environment, Error, ErrorDetails, Recipient, RetryPolicy,
};
use partner_sandbox::echo::{EchoFormat, EchoServer};
use partner_testkit::{CapturedLogs, assert_no_leak, error_text};
use serde_json::json;

// Characters that change under URL and Base64 encoding.
const API_KEY: &str = "lk_echo/key+with=plus";

fn outputs(err: &Error) -> String {
    let details = err.provider_details::<ErrorDetails>();
    let mut text = format!(
        "{err}\n{err:?}\n{err:#?}\n{details:?}\n{:?} {:?}\n",
        err.request_id(),
        details.and_then(ErrorDetails::aws_request_id)
    );
    text.push_str(&error_text(err));
    text
}

fn client(echo: &EchoServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .partner_id("partner-1")
        .environment(Environment::Custom(
            echo.base_url().join("api/v2/").unwrap(),
        ))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

fn request() -> DiscountRequest {
    DiscountRequest::builder()
        .product_id("the-book")
        .origin("shop.example.com")
        .recipient(Recipient::new("Zoë", "Ñúñez", "zoe@example.com"))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn an_echoing_server_never_makes_the_api_key_appear() {
    let echo = EchoServer::start().await.unwrap();
    let client = client(&echo);
    let logs = CapturedLogs::default();
    let _guard = logs.capture();
    let cases = [
        // A service refusal, with an error status and with a 2xx.
        (403, EchoFormat::Json, Some(json!(403))),
        (403, EchoFormat::AsciiJson, Some(json!(403))),
        (200, EchoFormat::Json, Some(json!(403))),
        // A code that is not a number: a decode error quoting the body.
        (200, EchoFormat::Json, Some(json!("x"))),
        // The API Gateway's own error (`message`, no `code`).
        (502, EchoFormat::Json, None),
        // Neither shape.
        (500, EchoFormat::Text, None),
        (200, EchoFormat::Text, None),
    ];
    for (status, format, code) in cases {
        echo.reply(status, format);
        if let Some(code) = code {
            echo.code(code);
        }
        let err = client
            .discounts()
            .request(request())
            .send()
            .await
            .unwrap_err();
        let text = outputs(&err);
        assert!(
            text.contains("[REDACTED]"),
            "{status}: not scrubbed: {text}"
        );
        assert_no_leak("error", &text, &[API_KEY]);
    }
    // An acknowledgement whose `x-amzn-RequestId` quotes the key: the debug log must not.
    echo.reply(200, EchoFormat::Json);
    echo.code(json!(0));
    client.discounts().request(request()).send().await.unwrap();
    let logs = logs.text();
    assert!(logs.contains("acknowledged"), "{logs}");
    assert!(logs.contains("[REDACTED]"), "{logs}");
    assert_no_leak("logs", &logs, &[API_KEY]);
}
