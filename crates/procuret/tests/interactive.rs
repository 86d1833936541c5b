//! The interactive session creation: the library flow with scripted input, and the example program
//! with and without a terminal.

mod common;

use std::io::Cursor;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use httpmock::prelude::*;
use procuret::interactive::{PromptError, create_session_interactively};
use procuret::{ExposeSecret, Lifecycle, Perspective};
use serde_json::json;

async fn mock_session_endpoints(
    server: &MockServer,
    lifecycle: i64,
) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let code = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/second-factor-code").json_body(json!({
                "email": "me@example.org", "plaintext_secret": "secret pass", "agent_id": null, "perspective": 1
            }));
            then.status(200).body("");
        })
        .await;
    let session = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/session").json_body(json!({
                "email": "me@example.org", "secret": "secret pass", "perspective": 1,
                "lifecycle": lifecycle, "code": "123456"
            }));
            then.status(200).json_body(json!({
                "session_id": 4242, "session_key": "sk", "api_key": "generated-key",
                "lifecycle": lifecycle, "perspective": 1
            }));
        })
        .await;
    (code, session)
}

#[tokio::test]
async fn scripted_flow_creates_a_session() {
    let server = MockServer::start_async().await;
    let (code, session_mock) = mock_session_endpoints(&server, 2).await;
    // A wrong perspective and a malformed email are asked again; an empty lifecycle is long-lived.
    let mut input = Cursor::new("9\n1\n\nnot-an-email\nme@example.org\n123456\n");
    let mut output = Vec::new();
    let mut prompts = Vec::new();
    let session = create_session_interactively(
        &common::anonymous(&server),
        &mut input,
        &mut output,
        |prompt: &str| {
            prompts.push(prompt.to_owned());
            Ok("secret pass\n".to_owned())
        },
    )
    .await
    .unwrap();
    code.assert_async().await;
    session_mock.assert_async().await;
    assert_eq!(session.session_id(), 4242);
    assert_eq!(session.api_key().expose_secret(), "generated-key");
    assert_eq!(session.lifecycle(), Lifecycle::LongLived);
    assert_eq!(session.perspective(), Some(Perspective::Supplier));
    assert_eq!(prompts, ["passphrase: "]);
    let text = String::from_utf8(output).unwrap();
    assert!(
        text.contains("Please enter a number from 1 to 7."),
        "{text}"
    );
    assert!(
        text.contains("That does not look like an email address."),
        "{text}"
    );
    assert!(text.contains("Session created with id 4242."), "{text}");
    assert!(!text.contains("secret pass"), "{text}");
    assert!(!text.contains("generated-key"), "{text}");
}

#[tokio::test]
async fn scripted_flow_short_lived() {
    let server = MockServer::start_async().await;
    let (_, session_mock) = mock_session_endpoints(&server, 1).await;
    let mut input = Cursor::new("1\n1\nme@example.org\n123456\n");
    let session = create_session_interactively(
        &common::anonymous(&server),
        &mut input,
        &mut Vec::new(),
        |_: &str| Ok("secret pass".to_owned()),
    )
    .await
    .unwrap();
    session_mock.assert_async().await;
    assert_eq!(session.lifecycle(), Lifecycle::ShortLived);
}

#[tokio::test]
async fn input_ending_early_and_refusals_are_errors() {
    let server = MockServer::start_async().await;
    let client = common::anonymous(&server);
    let err = create_session_interactively(
        &client,
        &mut Cursor::new("1\n"),
        &mut Vec::new(),
        |_: &str| Ok("x".to_owned()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, PromptError::EndOfInput(_)), "{err:?}");

    let err = create_session_interactively(
        &client,
        &mut Cursor::new("0\n8\nx\n"),
        &mut Vec::new(),
        |_: &str| Ok("x".to_owned()),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, PromptError::TooManyTries(_)), "{err:?}");

    let refused = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/second-factor-code");
            then.status(401)
                .json_body(json!({"error-information": "Bad credentials", "response-code": 401}));
        })
        .await;
    let err = create_session_interactively(
        &client,
        &mut Cursor::new("1\n2\nme@example.org\n"),
        &mut Vec::new(),
        |_: &str| Ok("wrong".to_owned()),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
    assert!(matches!(err, PromptError::Api(_)));
    refused.assert_async().await;
}

/// `target/<profile>/examples/interactive_session`, built by `cargo test` next to this test.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let path = profile_dir.join("examples").join(format!(
        "interactive_session{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        path.exists(),
        "{} is missing: `cargo test -p procuret` builds it",
        path.display()
    );
    path
}

#[test]
fn the_example_refuses_to_run_without_a_terminal() {
    let output = Command::new(example_binary())
        .env("PROCURET_ENVIRONMENT", "http://127.0.0.1:9/api")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("must be run in a terminal"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_example_runs_in_a_pseudo_terminal() {
    let server = MockServer::start_async().await;
    let (code, session_mock) = mock_session_endpoints(&server, 2).await;
    let base = server.url("/api");
    let transcript = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(example_binary());
        command.env("PROCURET_ENVIRONMENT", base);
        let mut p = rexpect::session::spawn_command(command, Some(20_000)).unwrap();
        p.exp_string("perspective: ").unwrap();
        p.send_line("1").unwrap();
        p.exp_string("lifecycle [2]: ").unwrap();
        p.send_line("").unwrap();
        p.exp_string("email: ").unwrap();
        p.send_line("me@example.org").unwrap();
        p.exp_string("passphrase: ").unwrap();
        p.send_line("secret pass").unwrap();
        let mut seen = p.exp_string("code: ").unwrap();
        p.send_line("123456").unwrap();
        seen.push_str(&p.exp_eof().unwrap());
        let status = p.process().wait().unwrap();
        (seen, format!("{status:?}"))
    })
    .await
    .unwrap();
    let (output, status) = transcript;
    assert!(
        status.contains(", 0)"),
        "exit status {status}; output {output}"
    );
    code.assert_async().await;
    session_mock.assert_async().await;
    // The passphrase is not echoed; the session JSON is printed for safekeeping.
    assert!(!output.contains("secret pass"), "{output}");
    assert!(output.contains("\"session_id\": 4242"), "{output}");
    assert!(output.contains("secret manager"), "{output}");
}
