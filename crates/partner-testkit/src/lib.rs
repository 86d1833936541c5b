//! Test helpers shared by the workspace's crates, so that each test file holds only its own cases.
//! Never published: the crates list it as a path-only dev-dependency, which cargo strips on publish.
//!
//! - [`CapturedLogs`]: every `tracing` event and span at TRACE level, as text.
//! - [`error_text`]: everything an error shows, to grep for what must not be there.
//! - [`assert_no_leak`]: no secret, in any form a server may echo it in, appears in a text.
//! - [`paths`]: a recording transport, hostile ids and a path decoder for the hostile-id tests.
//! - [`sandbox`]: the real transport, recording attempts and lifting injected faults, for the
//!   end-to-end tests against `partner-sandbox`.
//! - [`env_vars`]: a fake environment for the builders' `from_vars`.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use partner_core::Error;

pub mod paths;
pub mod sandbox;

/// Log lines captured at TRACE level, spans included.
#[derive(Debug, Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    /// Captures every event and span of this thread at TRACE level until the guard drops.
    pub fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    /// What was captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// Everything an error shows: `Display`, `Debug` (plain and pretty), the fields of its API error and
/// of its decode error, and the same for each error of its source chain.
pub fn error_text(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}\n");
    if let Some(api) = err.api_error() {
        text.push_str(&format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{}\n",
            api.code, api.message, api.request_id, api.details, api.raw_body
        ));
    }
    if let Error::Decode(decode) = err {
        text.push_str(&format!(
            "{} {} {:?}\n",
            decode.path, decode.message, decode.snippet
        ));
    }
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("{s}\n{s:?}\n"));
        if let Some(inner) = s.downcast_ref::<Error>() {
            text.push_str(&error_text(inner));
        }
        source = s.source();
    }
    text
}

/// Panics, naming `what`, when `text` holds any of `secrets` in any form a server may echo it in
/// (`partner_sandbox::echo::echoed_forms`).
pub fn assert_no_leak(what: &str, text: &str, secrets: &[&str]) {
    let found = partner_sandbox::echo::leaks(text, secrets);
    assert!(found.is_empty(), "{what} leaks {found:?}:\n{text}");
}

/// A fake environment for a builder's `from_vars(lookup)`: the value of each name in `pairs`, `None`
/// for any other, so a `from_env` test never touches the process's real environment.
pub fn env_vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.clone())
    }
}
