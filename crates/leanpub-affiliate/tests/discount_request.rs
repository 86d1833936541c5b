//! `POST /api/v2/PartnerDiscountRequest` against a mock: the wire format, the environments, every
//! response code, the gateway's own errors, the retry rules and the per-call options.

mod common;

use std::time::Duration;

use common::{API_KEY, PARTNER_ID, PATH, client, named_client, reply, request, sandbox_body, send};
use httpmock::prelude::*;
use leanpub_affiliate::{
    Environment, Error, ErrorDetails, RetryPolicy, ServiceCode, StatusCode, Timeouts,
};
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
        .discounts()
        .request(request().build().unwrap())
        .send()
        .await
        .unwrap();

    mock.assert_async().await;
    assert!(ack.sandbox_mode);
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
    send(&client, &tagged).await.unwrap();
    send(&client, &request().build().unwrap()).await.unwrap();

    with.assert_calls_async(1).await;
    without.assert_calls_async(1).await;
}

#[tokio::test]
async fn sandbox_is_the_default_and_production_must_be_asked_for() {
    let server = MockServer::start_async().await;
    let sandbox = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH).json_body(sandbox_body());
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
    let request = request().build().unwrap();

    // A custom server, the default and the named sandbox all rehearse.
    assert!(send(&client(&server), &request).await.unwrap().sandbox_mode);
    let default = common::builder(&server)
        .environment(Environment::default())
        .transport(std::sync::Arc::new(common::Redirect::to(
            &server.base_url(),
        )))
        .build()
        .unwrap();
    assert_eq!(default.environment(), &Environment::Sandbox);
    assert!(send(&default, &request).await.unwrap().sandbox_mode);
    let named = named_client(&server, Environment::Sandbox);
    assert!(send(&named, &request).await.unwrap().sandbox_mode);
    sandbox.assert_calls_async(3).await;
    production.assert_calls_async(0).await;

    let real = named_client(&server, Environment::Production);
    assert!(!send(&real, &request).await.unwrap().sandbox_mode);
    production.assert_calls_async(1).await;
    sandbox.assert_calls_async(3).await;
}

type IsVariant = fn(&Error) -> bool;

#[tokio::test]
async fn every_service_code_has_its_own_outcome_whatever_the_http_status() {
    let authentication: IsVariant = |e| matches!(e, Error::Authentication { .. });
    let api: IsVariant = |e| matches!(e, Error::Api(_));
    let cases: [(i64, ServiceCode, IsVariant); 9] = [
        (401, ServiceCode::InvalidPartnerId, authentication),
        (402, ServiceCode::MissingPartnerId, authentication),
        (403, ServiceCode::InvalidApiKey, authentication),
        (404, ServiceCode::InvalidOrigin, api),
        (405, ServiceCode::InvalidProductId, api),
        (406, ServiceCode::InvalidRecipient, api),
        (407, ServiceCode::PermissionDenied, api),
        (501, ServiceCode::SchedulingFailed, api),
        (777, ServiceCode::Unknown(777), api),
    ];
    let server = MockServer::start_async().await;
    let client = client(&server);
    let request = request().build().unwrap();
    for (code, service_code, is_variant) in cases {
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

            let err = send(&client, &request).await.unwrap_err();

            assert!(is_variant(&err), "code {code}, HTTP {status}: {err:?}");
            let details = err.provider_details::<ErrorDetails>().unwrap();
            assert_eq!(details.result_code(), Some(service_code));
            assert_eq!(err.api_error().unwrap().code, Some(code.to_string()));
            let reply = details.reply().unwrap();
            assert_eq!(reply.message.as_deref(), Some("refused"));
            assert_eq!(reply.http_status.as_u16(), status);
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.request_id(), Some(format!("req-{code}").as_str()));
            assert_eq!(
                details.aws_request_id(),
                Some(format!("aws-{code}").as_str())
            );
            assert!(err.to_string().contains(&code.to_string()), "{err}");
            // Only an undocumented code leaves the outcome open.
            assert_eq!(err.may_have_been_applied(), code == 777, "{err}");
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
        let err = send(&client, &request).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
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
    let ack = send(&client, &request).await.unwrap();
    assert_eq!(ack.request_id.as_deref(), Some("r"));
    mock.assert_calls_async(1).await;
}

struct GatewayCase {
    variant: IsVariant,
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
            variant: |e| matches!(e, Error::Api(_)),
            status: 403,
            message: "Missing Authentication Token",
            error_type: Some("MissingAuthenticationTokenException"),
            calls: 1,
            processed: false,
            safe_to_retry: false,
        },
        // The key refused at the gateway: a refused credential, as in every crate.
        GatewayCase {
            variant: |e| matches!(e, Error::Authentication { .. }),
            status: 403,
            message: "Forbidden",
            error_type: Some("ForbiddenException"),
            calls: 1,
            processed: false,
            safe_to_retry: false,
        },
        // Throttling is retried (the policy below allows 2 attempts), then reported.
        GatewayCase {
            variant: |e| matches!(e, Error::RateLimited { .. }),
            status: 429,
            message: "Too Many Requests",
            error_type: Some("ThrottlingException"),
            calls: 2,
            processed: false,
            safe_to_retry: true,
        },
        GatewayCase {
            variant: |e| matches!(e, Error::RateLimited { .. }),
            status: 429,
            message: "Limit Exceeded",
            error_type: None,
            calls: 2,
            processed: false,
            safe_to_retry: true,
        },
        GatewayCase {
            variant: |e| matches!(e, Error::Api(_)),
            status: 502,
            message: "Internal server error",
            error_type: None,
            calls: 1,
            processed: true,
            safe_to_retry: false,
        },
        GatewayCase {
            variant: |e| matches!(e, Error::Api(_)),
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

        let err = send(&client, &request).await.unwrap_err();

        assert!((case.variant)(&err), "HTTP {}: {err:?}", case.status);
        let Some(ErrorDetails::Gateway(gateway)) = err.provider_details::<ErrorDetails>() else {
            panic!("HTTP {} {}: {err:?}", case.status, case.message);
        };
        assert_eq!(gateway.status.as_u16(), case.status);
        assert_eq!(gateway.message, case.message);
        assert_eq!(gateway.error_type.as_deref(), case.error_type);
        assert_eq!(gateway.aws_request_id.as_deref(), Some("aws-gw"));
        assert_eq!(err.request_id(), Some("aws-gw"));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(case.status));
        assert_eq!(err.api_error().unwrap().code.as_deref(), case.error_type);
        assert_eq!(gateway.is_throttled(), case.status == 429);
        assert_eq!(
            gateway.is_missing_authentication_token(),
            case.message == "Missing Authentication Token"
        );
        assert_eq!(
            err.provider_details::<ErrorDetails>()
                .and_then(ErrorDetails::result_code),
            None
        );
        assert_eq!(err.may_have_been_applied(), case.processed, "{err}");
        assert_eq!(err.is_retryable(), case.safe_to_retry, "{err}");
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

    let err = send(&client(&server), &request().build().unwrap())
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

    let err = send(&client(&server), &request().build().unwrap())
        .await
        .unwrap_err();

    assert!(
        matches!(&err, Error::Api(api) if api.status == StatusCode::SERVICE_UNAVAILABLE),
        "{err:?}"
    );
    assert!(err.provider_details::<ErrorDetails>().is_none());
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

    let err = send(&client, &request().build().unwrap())
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
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

    let call = tokio::spawn(async move { send(&client, &request).await });
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
        .environment(Environment::custom(&format!("http://127.0.0.1:{port}/api/v2/")).unwrap())
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
        )
        .build()
        .unwrap();

    let err = send(&client, &request().build().unwrap())
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable(), "{err:?}");
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn a_per_call_timeout_replaces_the_clients() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(200)
                .delay(Duration::from_millis(1500))
                .json_body(reply(0, "OK"));
        })
        .await;
    // The client would wait 30 s; this one call waits 200 ms.
    let client = client(&server);

    let err = client
        .discounts()
        .request(request().build().unwrap())
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::Timeout { after, .. } if after == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(err.may_have_been_applied());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn no_retries_sends_a_throttled_call_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429)
                .json_body(json!({"message": "Too Many Requests"}));
        })
        .await;

    let err = client(&server)
        .discounts()
        .request(request().build().unwrap())
        .no_retries()
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert!(err.is_retryable(), "a 429 was not applied: {err}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_clock_setting_reads_retry_after_dates() {
    use partner_core::clock::ManualClock;

    let server = MockServer::start_async().await;
    // One hour after the client's clock, and long past by the machine's: only a client that reads
    // the date with its own clock waits an hour (more than the policy allows, so it stops at once).
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(429)
                .header("Retry-After", "Sun, 09 Sep 2001 01:46:40 GMT")
                .json_body(json!({"message": "Too Many Requests"}));
        })
        .await;
    let clock = std::sync::Arc::new(ManualClock::at_unix(1_000_000_000 - 3600));
    let client = common::builder(&server).clock(clock).build().unwrap();

    let err = send(&client, &request().build().unwrap())
        .await
        .unwrap_err();

    match &err {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)))
        }
        other => panic!("{other:?}"),
    }
    mock.assert_calls_async(1).await;
}
