//! Everything the crate and the runtime log, at TRACE, holds no API key. (Its own test binary: it
//! installs the process-wide subscriber.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{API_KEY, PATH, client, request, send};
use httpmock::prelude::*;
use serde_json::json;
use tracing::Level;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt as _;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn trace_logs_never_contain_the_key() {
    let buffer = Buffer::default();
    // Everything at TRACE, except the mock server: it is the receiving end, which of course sees (and
    // logs) the key it is sent.
    let targets = Targets::new()
        .with_default(Level::TRACE)
        .with_target("httpmock", LevelFilter::OFF);
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(Level::TRACE)
            .with_ansi(false)
            .with_writer(buffer.clone())
            .finish()
            .with(targets),
    )
    .unwrap();

    let server = MockServer::start_async().await;
    let client = client(&server);
    let request = request().build().unwrap();
    let ok = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH).header("x-api-key", API_KEY);
            then.status(200)
                .header("x-amzn-RequestId", "aws-log-1")
                .json_body(json!({"code": 0, "message": "OK", "requestId": "req-log-1"}));
        })
        .await;
    let ack = send(&client, &request).await.unwrap();
    tracing::trace!(?client, ?ack, "after the acknowledgement");
    ok.assert_async().await;
    ok.delete_async().await;

    let refused = server
        .mock_async(|when, then| {
            when.method(POST).path(PATH);
            then.status(403).json_body(
                json!({"code": 403, "message": "Invalid API key", "requestId": "req-log-2"}),
            );
        })
        .await;
    let err = send(&client, &request).await.unwrap_err();
    tracing::trace!(?err, %err, "after the refusal");
    refused.assert_async().await;

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The capture works: the runtime's span and the HTTP stack's traces, the crate's events and their
    // ids are in it...
    assert!(logs.contains("partner_request"), "{logs}");
    assert!(logs.contains("TRACE"), "{logs}");
    assert!(
        logs.contains("sending a Leanpub discount request"),
        "{logs}"
    );
    assert!(logs.contains("aws-log-1"), "{logs}");
    assert!(logs.contains("req-log-2"), "{logs}");
    // ...and the key is not.
    assert!(
        !logs.contains(API_KEY),
        "the API key is in the logs:\n{logs}"
    );
    assert!(
        !logs.contains("SUPER-SECRET"),
        "part of the API key is in the logs:\n{logs}"
    );
}
