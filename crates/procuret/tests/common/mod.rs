//! Shared test set-up: a client against httpmock with a frozen clock.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use httpmock::MockServer;
use partner_core::clock::ManualClock;
use procuret::{Client, Environment, Lifecycle, Session};

pub const SESSION_ID: i64 = 7212399413384927723;
pub const API_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
/// 2023-11-14 22:13:20 UTC; its window starts at 1699999200.
pub const NOW: u64 = 1_700_000_000;

pub fn session(lifecycle: Lifecycle) -> Session {
    Session::new(SESSION_ID, API_KEY.into(), lifecycle).unwrap()
}

pub fn environment(server: &MockServer) -> Environment {
    Environment::custom(&server.url("/api")).unwrap()
}

/// A client without a session.
pub fn anonymous(server: &MockServer) -> Client {
    Client::builder()
        .environment(environment(server))
        .clock(Arc::new(ManualClock::at_unix(NOW)))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A client with a long-lived session at [`NOW`].
pub fn signed(server: &MockServer) -> Client {
    with_session(
        server,
        session(Lifecycle::LongLived),
        ManualClock::at_unix(NOW),
    )
}

pub fn with_session(server: &MockServer, session: Session, clock: ManualClock) -> Client {
    Client::builder()
        .environment(environment(server))
        .session(session)
        .clock(Arc::new(clock))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

pub fn fast_retries() -> procuret::RetryPolicy {
    procuret::RetryPolicy::default().with_backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    )
}

pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The signature of `path` at [`NOW`] with the test key.
pub fn signature(path: &str) -> String {
    procuret::signing::signature(API_KEY, NOW, path)
}
