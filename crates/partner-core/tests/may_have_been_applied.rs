//! The errors of a request that may have been applied: said through `Error::may_have_been_applied`,
//! never `is_retryable`, and the key of a keyed request exposed for a safe resend. Scripted transport
//! under paused time, so the timeouts are exact.

mod support;

use std::time::Duration;

use partner_core::error::TransportErrorKind;
use partner_core::http::Method;
use partner_core::{ApiClient, Error, IdempotencyKey, Request, RequestOptions, RetryPolicy};
use support::{ScriptedTransport, Step, reply};

const APPLIED: &str = "(may have been applied: check before sending again)";

fn client(transport: &ScriptedTransport) -> ApiClient {
    ApiClient::builder("core-tests/1.0")
        .transport(transport.arc())
        .idempotency_header("idempotency-key".parse().unwrap())
        .retry_policy(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

fn url() -> partner_core::url::Url {
    "https://api.test/orders".parse().unwrap()
}

fn slow() -> Step {
    Step::Slow(Duration::from_secs(60), 201, "{}".into())
}

fn attempt_timeout() -> RequestOptions {
    RequestOptions::new().timeout(Duration::from_secs(1))
}

async fn fail(transport: &ScriptedTransport, request: Request) -> Error {
    client(transport).execute(request).await.unwrap_err()
}

fn assert_applied(err: &Error) {
    assert!(err.may_have_been_applied(), "{err:?}");
    assert!(!err.is_retryable(), "{err:?}");
    assert!(err.to_string().ends_with(APPLIED), "{err}");
}

fn assert_not_applied(err: &Error) {
    assert!(!err.may_have_been_applied(), "{err:?}");
    assert!(!err.to_string().contains("may have been applied"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_post_that_timed_out_may_have_been_applied_and_is_still_a_timeout() {
    let t = ScriptedTransport::new(vec![slow()]);
    let err = fail(&t, Request::post(url()).options(&attempt_timeout())).await;
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
    assert_applied(&err);
    assert_eq!(err.idempotency_key(), None);
    assert_eq!(t.seen().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_post_whose_connection_was_lost_or_that_got_a_5xx_may_have_been_applied() {
    let lost = ScriptedTransport::new(vec![Step::Fail(TransportErrorKind::Other)]);
    let err = fail(&lost, Request::post(url())).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_applied(&err);

    for status in [500, 502, 503, 504] {
        let t = ScriptedTransport::new(vec![reply(status, "busy")]);
        let err = fail(&t, Request::post(url())).await;
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(matches!(err, Error::Api(_)), "{err:?}");
        assert_applied(&err);
        assert_eq!(t.seen().len(), 1);
    }

    let patch = ScriptedTransport::new(vec![reply(503, "busy")]);
    assert_applied(&fail(&patch, Request::patch(url())).await);
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_answer_to_a_post_may_have_been_applied() {
    let t = ScriptedTransport::new(vec![reply(201, "<html>created</html>")]);
    let err = client(&t)
        .send_json::<serde_json::Value>(Request::post(url()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_applied(&err);

    let too_large = ScriptedTransport::new(vec![Step::Fail(TransportErrorKind::BodyTooLarge)]);
    assert_applied(&fail(&too_large, Request::post(url())).await);

    let get = ScriptedTransport::new(vec![reply(200, "<html></html>")]);
    let err = client(&get)
        .send_json::<serde_json::Value>(Request::get(url()))
        .await
        .unwrap_err();
    assert_not_applied(&err);
}

#[tokio::test(start_paused = true)]
async fn an_operation_timeout_during_a_post_may_have_been_applied() {
    let t = ScriptedTransport::new(vec![slow()]);
    let options = RequestOptions::new()
        .timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(2));
    let err = fail(&t, Request::post(url()).options(&options)).await;
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: partner_core::TimeoutPhase::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert_applied(&err);
}

#[tokio::test(start_paused = true)]
async fn a_post_refused_or_never_sent_was_not_applied() {
    let refused = ScriptedTransport::new(vec![reply(422, r#"{"message":"bad"}"#)]);
    let err = fail(&refused, Request::post(url())).await;
    assert_not_applied(&err);
    assert!(!err.is_retryable());

    let throttled = ScriptedTransport::new(vec![]).with_fallback(reply(429, ""));
    let err = fail(&throttled, Request::post(url())).await;
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_not_applied(&err);
    assert!(err.is_retryable());
    assert_eq!(throttled.seen().len(), 4, "a refusal is retried");

    let unreachable =
        ScriptedTransport::new(vec![]).with_fallback(Step::Fail(TransportErrorKind::Connect));
    let err = fail(&unreachable, Request::post(url())).await;
    assert_not_applied(&err);
    assert!(err.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn idempotent_methods_are_retried_and_never_say_applied() {
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let t = ScriptedTransport::new(vec![]).with_fallback(slow());
        let err = fail(
            &t,
            Request::new(method.clone(), url()).options(&attempt_timeout()),
        )
        .await;
        assert_not_applied(&err);
        assert!(err.is_retryable(), "{method}: {err:?}");
        assert_eq!(t.seen().len(), 4, "{method}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_keyed_post_error_exposes_the_key_it_was_sent_with() {
    let t = ScriptedTransport::new(vec![]).with_fallback(slow());
    let err = fail(&t, Request::post(url()).keyed().options(&attempt_timeout())).await;
    assert_not_applied(&err);
    assert!(err.is_retryable(), "resend with the same key: {err:?}");
    let key = err.idempotency_key().expect("the generated key").clone();
    let seen = t.seen();
    assert_eq!(seen.len(), 4);
    for attempt in &seen {
        assert_eq!(attempt.headers["idempotency-key"], key.as_str());
    }

    // Resending with the key from the error sends that very key.
    let resend = ScriptedTransport::new(vec![reply(201, "{}")]);
    client(&resend)
        .execute(
            Request::post(url())
                .keyed()
                .options(&RequestOptions::new().idempotency_key(key.clone())),
        )
        .await
        .unwrap();
    assert_eq!(resend.seen()[0].headers["idempotency-key"], key.as_str());
}

#[tokio::test(start_paused = true)]
async fn every_error_of_a_keyed_post_carries_its_given_key() {
    let key = IdempotencyKey::new("order-0042").unwrap();
    let keyed = || {
        Request::post(url())
            .keyed()
            .options(&RequestOptions::new().idempotency_key(key.clone()))
    };
    let cases = [
        ScriptedTransport::new(vec![reply(400, "{}")]),
        ScriptedTransport::new(vec![]).with_fallback(reply(503, "")),
        ScriptedTransport::new(vec![]).with_fallback(Step::Fail(TransportErrorKind::Other)),
        ScriptedTransport::new(vec![Step::Fail(TransportErrorKind::BodyTooLarge)]),
    ];
    for t in cases {
        let err = fail(&t, keyed()).await;
        assert_eq!(err.idempotency_key(), Some(&key), "{err:?}");
        assert_not_applied(&err);
    }
    let decode = ScriptedTransport::new(vec![reply(201, "not json")]);
    let err = client(&decode)
        .send_json::<serde_json::Value>(keyed())
        .await
        .unwrap_err();
    assert_eq!(err.idempotency_key(), Some(&key));
    assert_not_applied(&err);
}
