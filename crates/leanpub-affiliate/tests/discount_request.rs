//! `POST /api/v2/PartnerDiscountRequest` against a mock: the wire format, every response code, the
//! gateway's own errors, and the retry rules.

mod common;

use std::time::Duration;

use common::{API_KEY, PARTNER_ID, PATH, client, reply, request, sandbox_body};
use httpmock::prelude::*;
use leanpub_affiliate::{Error, Mode, RetryPolicy, ServiceCode, StatusCode, Timeouts};
use serde_json::json;

#[tokio::test]
async fn sends_the_key_json_content_type_and_the_sandbox_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(PATH)
                .header("x-api-key", API_KEY)
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .json_body(sandbox_body());
            then.status(200)
                .header("x-amzn-RequestId", "aws-0")
                .json_body(reply(0, "OK"));
        })
        .await;

    let ack = client(&server)
        .request_discount(&request().build().unwrap())
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(ack.mode, Mode::Sandbox);
    assert_eq!(ack.message.as_deref(), Some("OK"));
    assert_eq!(ack.request_id.as_deref(), Some("req-0"));
    assert_eq!(ack.aws_request_id.as_deref(), Some("aws-0"));
    assert_eq!(ack.http_status, StatusCode::OK);
}

#[tokio::test]
async fn transaction_id_is_sent_only_when_set() {
    let server = MockServer::start_async().await;
    let with = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH).json_body(json!({
                "productId": "the-book",
                "partnerId": PARTNER_ID,
                "origin": "shop.example.com",
                "transactionId": "order-1234",
                "sandboxMode": true,
                "recipient": {"firstName": "Zoë", "lastName": "Ñúñez", "email": "zoe@example.com"}
            }));
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH).json_body(sandbox_body());
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    let tagged = request().transaction_id("order-1234").build().unwrap();
    client.request_discount(&tagged).await.unwrap();
    client
        .request_discount(&request().build().unwrap())
        .await
        .unwrap();

    with.assert_calls_async(1).await;
    without.assert_calls_async(1).await;
}

#[tokio::test]
async fn sandbox_is_the_default_and_production_must_be_asked_for() {
    let server = MockServer::start_async().await;
    let sandbox = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(PATH)
                .json_body_includes(r#"{"sandboxMode": true}"#);
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let production = server
        .mock_async(|when, then| {
            let mut body = sandbox_body();
            body["sandboxMode"] = json!(false);
            when.method(POST).path(PATH).json_body(body);
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;
    let client = client(&server);

    let default = request().build().unwrap();
    assert_eq!(default.mode(), Mode::Sandbox);
    assert_eq!(
        client.request_discount(&default).await.unwrap().mode,
        Mode::Sandbox
    );
    let explicit_sandbox = request().mode(Mode::Sandbox).build().unwrap();
    client.request_discount(&explicit_sandbox).await.unwrap();
    sandbox.assert_calls_async(2).await;
    production.assert_calls_async(0).await;

    let real = request().production().build().unwrap();
    assert_eq!(
        client.request_discount(&real).await.unwrap().mode,
        Mode::Production
    );
    let configured = request().mode(Mode::Production).build().unwrap();
    client.request_discount(&configured).await.unwrap();
    production.assert_calls_async(2).await;
    sandbox.assert_calls_async(2).await;
}

type IsVariant = fn(&Error) -> bool;

#[tokio::test]
async fn every_service_code_has_its_own_outcome_whatever_the_http_status() {
    let cases: [(i64, IsVariant); 9] = [
        (401, |e| matches!(e, Error::InvalidPartnerId(_))),
        (402, |e| matches!(e, Error::MissingPartnerId(_))),
        (403, |e| matches!(e, Error::InvalidApiKey(_))),
        (404, |e| matches!(e, Error::InvalidOrigin(_))),
        (405, |e| matches!(e, Error::InvalidProductId(_))),
        (406, |e| matches!(e, Error::InvalidRecipient(_))),
        (407, |e| matches!(e, Error::PermissionDenied(_))),
        (501, |e| matches!(e, Error::SchedulingFailed(_))),
        (
            777,
            |e| matches!(e, Error::UnknownCode(r) if r.code == ServiceCode::Unknown(777)),
        ),
    ];
    let server = MockServer::start_async().await;
    let client = client(&server);
    let request = request().build().unwrap();
    for (code, is_variant) in cases {
        // The documentation does not say whether the HTTP status mirrors the code: try both.
        let mirrored = u16::try_from(code).ok().filter(|s| (100..600).contains(s));
        for status in [Some(200), mirrored].into_iter().flatten() {
            let mock = server
                .mock_async(|when, then| {
                    when.method(POST).path(PATH);
                    then.status(status)
                        .header("x-amzn-RequestId", format!("aws-{code}"))
                        .json_body(reply(code, "refused"));
                })
                .await;

            let err = client.request_discount(&request).await.unwrap_err();

            assert!(is_variant(&err), "code {code}, HTTP {status}: {err:?}");
            assert_eq!(err.service_code().map(ServiceCode::code), Some(code));
            let reply = err.service_reply().unwrap();
            assert_eq!(reply.message.as_deref(), Some("refused"));
            assert_eq!(reply.http_status.as_u16(), status);
            assert_eq!(err.request_id(), Some(format!("req-{code}").as_str()));
            assert_eq!(err.aws_request_id(), Some(format!("aws-{code}").as_str()));
            assert!(err.to_string().contains(&code.to_string()), "{err}");
            // A definite answer: never repeated, not even for 501 (which is safe to resend by hand).
            mock.assert_calls_async(1).await;
            mock.delete_async().await;
        }
    }
}

#[tokio::test]
async fn code_zero_is_an_acknowledgement_and_nothing_else_is() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    let request = request().build().unwrap();

    // A 2xx without an explicit code 0 must not pass for an acknowledgement.
    for body in [json!({"message": "OK"}), json!({"code": "zero"}), json!([])] {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(PATH);
                then.status(200).json_body(body.clone());
            })
            .await;
        let err = client.request_discount(&request).await.unwrap_err();
        assert!(
            matches!(err, Error::Core(partner_core::Error::Decode(_))),
            "{body}: {err:?}"
        );
        assert!(err.may_have_been_applied());
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }

    // Unknown fields are tolerated.
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200)
                .json_body(json!({"code": 0, "message": "OK", "requestId": "r", "extra": [1]}));
        })
        .await;
    let ack = client.request_discount(&request).await.unwrap();
    assert_eq!(ack.request_id.as_deref(), Some("r"));
    mock.assert_calls_async(1).await;
}

struct GatewayCase {
    status: u16,
    message: &'static str,
    error_type: Option<&'static str>,
    calls: usize,
    processed: bool,
    safe_to_retry: bool,
}

#[tokio::test]
async fn gateway_errors_are_their_own_variant() {
    let cases = [
        GatewayCase {
            status: 403,
            message: "Missing Authentication Token",
            error_type: Some("MissingAuthenticationTokenException"),
            calls: 1,
            processed: false,
            safe_to_retry: false,
        },
        GatewayCase {
            status: 403,
            message: "Forbidden",
            error_type: Some("ForbiddenException"),
            calls: 1,
            processed: false,
            safe_to_retry: false,
        },
        // Throttling is retried (the policy below allows 2 attempts), then reported.
        GatewayCase {
            status: 429,
            message: "Too Many Requests",
            error_type: Some("ThrottlingException"),
            calls: 2,
            processed: false,
            safe_to_retry: true,
        },
        GatewayCase {
            status: 429,
            message: "Limit Exceeded",
            error_type: None,
            calls: 2,
            processed: false,
            safe_to_retry: true,
        },
        GatewayCase {
            status: 502,
            message: "Internal server error",
            error_type: None,
            calls: 1,
            processed: true,
            safe_to_retry: false,
        },
        GatewayCase {
            status: 504,
            message: "Endpoint request timed out",
            error_type: None,
            calls: 1,
            processed: true,
            safe_to_retry: false,
        },
    ];
    let server = MockServer::start_async().await;
    let client = common::builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(10), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let request = request().build().unwrap();
    for case in cases {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(PATH);
                let then = then
                    .status(case.status)
                    .header("x-amzn-RequestId", "aws-gw")
                    .json_body(json!({"message": case.message}));
                if let Some(error_type) = case.error_type {
                    then.header("x-amzn-ErrorType", error_type);
                }
            })
            .await;

        let err = client.request_discount(&request).await.unwrap_err();

        let Error::Gateway(gateway) = &err else {
            panic!("HTTP {} {}: {err:?}", case.status, case.message);
        };
        assert_eq!(gateway.status.as_u16(), case.status);
        assert_eq!(gateway.message, case.message);
        assert_eq!(gateway.error_type.as_deref(), case.error_type);
        assert_eq!(gateway.aws_request_id.as_deref(), Some("aws-gw"));
        assert_eq!(err.request_id(), Some("aws-gw"));
        assert_eq!(err.http_status().map(|s| s.as_u16()), Some(case.status));
        assert_eq!(gateway.is_throttled(), case.status == 429);
        assert_eq!(
            gateway.is_missing_authentication_token(),
            case.message == "Missing Authentication Token"
        );
        assert_eq!(err.service_code(), None);
        assert_eq!(err.may_have_been_applied(), case.processed, "{err}");
        assert_eq!(err.is_safe_to_retry(), case.safe_to_retry, "{err}");
        mock.assert_calls_async(case.calls).await;
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn no_retry_after_a_502() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(502)
                .json_body(json!({"message": "Internal server error"}));
        })
        .await;

    let err = client(&server)
        .request_discount(&request().build().unwrap())
        .await
        .unwrap_err();

    assert!(err.may_have_been_applied(), "{err:?}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn no_retry_after_a_non_json_5xx_either() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(503).body("<html>Service Unavailable</html>");
        })
        .await;

    let err = client(&server)
        .request_discount(&request().build().unwrap())
        .await
        .unwrap_err();

    assert!(
        matches!(&err, Error::Core(core) if core.status() == Some(StatusCode::SERVICE_UNAVAILABLE)),
        "{err:?}"
    );
    assert!(err.may_have_been_applied());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn no_retry_after_a_timeout() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200)
                .delay(Duration::from_millis(1500))
                .json_body(reply(0, "OK"));
        })
        .await;
    let client = common::builder(&server)
        .timeouts(Timeouts::default().attempt(Duration::from_millis(200)))
        .build()
        .unwrap();

    let err = client
        .request_discount(&request().build().unwrap())
        .await
        .unwrap_err();

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.may_have_been_applied());
    assert!(!err.is_safe_to_retry());
    // Outlast the delay, so that a retry (had there been one) would have been counted.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_429_is_retried_and_then_acknowledged() {
    let server = MockServer::start_async().await;
    let throttled = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429)
                .header("Retry-After", "1")
                .json_body(json!({"message": "Too Many Requests"}));
        })
        .await;
    let client = client(&server);
    let request = request().build().unwrap();

    let call = tokio::spawn(async move { client.request_discount(&request).await });
    // The client waits the second the gateway asked for; swap the answer meanwhile.
    while throttled.calls_async().await == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let throttled_calls = throttled.calls_async().await;
    throttled.delete_async().await;
    let accepted = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH).json_body(sandbox_body());
            then.status(200).json_body(reply(0, "OK"));
        })
        .await;

    let ack = call.await.unwrap().unwrap();

    assert_eq!(ack.request_id.as_deref(), Some("req-0"));
    // Two calls in all: the throttled one and the accepted retry.
    assert_eq!(throttled_calls, 1);
    accepted.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_connection_that_never_opened_is_safe_to_retry() {
    // A port nobody listens on: the request certainly never left.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = leanpub_affiliate::Client::builder()
        .api_key(API_KEY)
        .partner_id(PARTNER_ID)
        .base_url(format!("http://127.0.0.1:{port}/api/v2/").parse().unwrap())
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .build()
        .unwrap();

    let err = client
        .request_discount(&request().build().unwrap())
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Core(_)), "{err:?}");
    assert!(err.is_safe_to_retry(), "{err:?}");
    assert!(!err.may_have_been_applied());
}
