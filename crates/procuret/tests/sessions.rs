//! Second-factor codes, session creation, storing and restoring sessions.

mod common;

use httpmock::prelude::*;
use partner_core::clock::ManualClock;
use procuret::{Error, ExposeSecret, Lifecycle, NewSession, Perspective, Session};
use serde_json::json;

#[tokio::test]
async fn second_factor_code_by_agent_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/second-factor-code")
                .header("content-type", "application/json")
                .header_missing("x-procuret-session-id")
                .json_body(json!({
                    "email": null, "plaintext_secret": "pass phrase", "agent_id": 77, "perspective": null
                }));
            then.status(200).body("");
        })
        .await;
    common::anonymous(&server)
        .second_factor_code()
        .agent_id(77)
        .passphrase("pass phrase")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn second_factor_code_validates_before_sending() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = common::anonymous(&server);
    let cases = [
        (client.second_factor_code().passphrase("p"), "email"),
        (
            client
                .second_factor_code()
                .email("not-an-email")
                .passphrase("p"),
            "email",
        ),
        (
            client.second_factor_code().email("me@example.org"),
            "passphrase",
        ),
        (
            client
                .second_factor_code()
                .email("me@example.org")
                .passphrase(""),
            "passphrase",
        ),
    ];
    for (request, field) in cases {
        match request.send().await {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn second_factor_code_is_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/second-factor-code");
            then.status(503)
                .json_body(json!({"error-information": "down", "response-code": 503}));
        })
        .await;
    let err = common::anonymous(&server)
        .second_factor_code()
        .email("me@example.org")
        .passphrase("p")
        .perspective(Perspective::Supplier)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn create_session_decodes_and_defaults_to_long_lived() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/session").json_body(json!({
                "email": "me@example.org", "secret": "pw", "perspective": 4, "lifecycle": 2, "code": "654321"
            }));
            then.status(200).json_body(json!({
                "session_id": 9223372036854775807i64, "session_key": "sk", "api_key": "the-key",
                "lifecycle": 2, "perspective": 4, "agent": {"agent_id": 1}, "new_field": [1]
            }));
        })
        .await;
    let session = common::anonymous(&server)
        .sessions()
        .create(
            &procuret::NewSession::builder()
                .email("me@example.org")
                .passphrase("pw")
                .perspective(Perspective::Sales)
                .code(" 654321 ")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(session.session_id(), i64::MAX);
    assert_eq!(session.api_key().expose_secret(), "the-key");
    assert_eq!(session.lifecycle(), Lifecycle::LongLived);
    assert_eq!(session.perspective(), Some(Perspective::Sales));
    assert!(!format!("{session:?}").contains("the-key"));
}

#[tokio::test]
async fn create_session_short_lived() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/session")
                .json_body_includes(r#"{"lifecycle": 1}"#);
            then.status(200).json_body(
                json!({"session_id": 5, "api_key": "k", "lifecycle": 1, "perspective": 1}),
            );
        })
        .await;
    let session = common::anonymous(&server)
        .sessions()
        .create(
            &procuret::NewSession::builder()
                .email("me@example.org")
                .passphrase("pw")
                .perspective(Perspective::Supplier)
                .code("1")
                .lifecycle(Lifecycle::ShortLived)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(session.lifecycle(), Lifecycle::ShortLived);
}

#[tokio::test]
async fn wrong_code_is_an_authentication_error_without_replay() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/session");
            then.status(401)
                .json_body(json!({"error-information": "Invalid code", "response-code": 401}));
        })
        .await;
    let err = common::anonymous(&server)
        .sessions()
        .create(
            &procuret::NewSession::builder()
                .email("me@example.org")
                .passphrase("pw")
                .perspective(Perspective::Supplier)
                .code("000000")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Authentication { .. }), "{err:?}");
    assert_eq!(
        err.api_error().unwrap().message.as_deref(),
        Some("Invalid code")
    );
    assert_eq!(
        procuret::StatusMeaning::of(&err),
        Some(procuret::StatusMeaning::NotAuthenticated)
    );
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_malformed_session_answer_does_not_quote_the_key() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/session");
            then.status(200)
                .json_body(json!({"session_id": "oops", "api_key": "LEAKED-KEY", "lifecycle": 2}));
        })
        .await;
    let err = common::anonymous(&server)
        .sessions()
        .create(
            &procuret::NewSession::builder()
                .email("me@example.org")
                .passphrase("pw")
                .perspective(Perspective::Supplier)
                .code("1")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert!(!format!("{err} {err:?}").contains("LEAKED-KEY"));
}

#[test]
fn new_session_is_validated_at_build() {
    let base = || {
        NewSession::builder()
            .email("me@example.org")
            .passphrase("pw")
            .perspective(Perspective::Supplier)
    };
    let cases = [
        (base(), "code"),
        (base().code("  "), "code"),
        (base().code("1").email("nope"), "email"),
        (
            NewSession::builder()
                .email("me@example.org")
                .passphrase("pw")
                .code("1"),
            "perspective",
        ),
    ];
    for (request, field) in cases {
        match request.build() {
            Err(Error::InvalidInput(input)) => assert_eq!(input.field, field),
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_restored_session_signs_and_can_act_for_another_agent() {
    let server = MockServer::start_async().await;
    let stored = serde_json::to_string(&common::session(Lifecycle::LongLived)).unwrap();
    let restored: Session = serde_json::from_str(&stored).unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/human")
                .query_param("human_id", "12")
                .header("x-procuret-session-id", common::SESSION_ID.to_string())
                .header("x-procuret-signature", common::signature("/human"))
                .header("x-procuret-forwarded-agent", "4242")
                .header_missing("x-procuret-api-key");
            then.status(200).json_body(json!({"public_id": 12}));
        })
        .await;
    let client = common::with_session(
        &server,
        restored.acting_for(4242),
        ManualClock::at_unix(common::NOW),
    );
    client.humans().get(12).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn short_lived_sessions_send_the_raw_key() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/entity")
                .header("x-procuret-api-key", common::API_KEY)
                .header_missing("x-procuret-signature")
                .header_missing("x-procuret-forwarded-agent");
            then.status(200).json_body(json!({"public_id": 1}));
        })
        .await;
    let client = common::with_session(
        &server,
        common::session(Lifecycle::ShortLived),
        ManualClock::at_unix(common::NOW),
    );
    client.entities().get(1).send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn signed_calls_need_a_session() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!([]));
        })
        .await;
    let client = common::anonymous(&server);
    let err = client.instalment_links().list().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(i) if i.field == "session"),
        "{err:?}"
    );
    let err = client.entities().get(1).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(i) if i.field == "session"),
        "{err:?}"
    );
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn request_builders_redact_passphrases_and_codes() {
    let server = MockServer::start_async().await;
    let client = common::anonymous(&server);
    let builder = NewSession::builder()
        .email("me@example.org")
        .passphrase("hunter2-pass")
        .code("918273");
    let body = builder
        .clone()
        .perspective(Perspective::Supplier)
        .build()
        .unwrap();
    let create = client.sessions().create(&body);
    let code = client.second_factor_code().passphrase("hunter2-pass");
    let debug = format!("{builder:?} {body:?} {create:?} {code:?}");
    assert!(
        !debug.contains("hunter2-pass") && !debug.contains("918273"),
        "{debug}"
    );
    assert!(debug.contains("me@example.org"));
}
