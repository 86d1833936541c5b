//! Request authentication, byte for byte as Procuret's Python library does it.
//!
//! Every authenticated request carries `x-procuret-session-id` (the session id in decimal). Then:
//! - a **long-lived** session adds `x-procuret-signature`: the standard, padded base64 of
//!   HMAC-SHA256, keyed by the UTF-8 bytes of the api key *string* (not base64-decoded), over the
//!   decimal start of the current 900-second window followed by the request path without the API
//!   root and without the query (`1699999200/instalment-link`);
//! - a **short-lived** session adds `x-procuret-api-key` with the raw key.
//!
//! A session acting for another agent adds `x-procuret-forwarded-agent`. The signature covers
//! neither method, query nor body, and stays valid for the rest of its window.
//!
//! Sessions of a lifecycle this crate does not know are signed (as Procuret's Swift and .NET
//! libraries always do).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use hmac::{Hmac, KeyInit, Mac};
use partner_core::auth::{AuthTicket, Authenticator};
use partner_core::clock::SharedClock;
use partner_core::http::{HeaderName, HeaderValue};
use partner_core::scrub::Scrubber;
use partner_core::transport::HttpRequest;
use partner_core::{Error, ExposeSecret};
use sha2::Sha256;

use crate::enums::Lifecycle;
use crate::session::Session;

/// The length of a signature window, in seconds.
pub const WINDOW_SECONDS: u64 = 900;

/// `x-procuret-session-id`.
pub const SESSION_ID_HEADER: HeaderName = HeaderName::from_static("x-procuret-session-id");
/// `x-procuret-signature`.
pub const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-procuret-signature");
/// `x-procuret-api-key`.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-procuret-api-key");
/// `x-procuret-forwarded-agent`.
pub const FORWARDED_AGENT_HEADER: HeaderName =
    HeaderName::from_static("x-procuret-forwarded-agent");

/// The start of the 900-second window holding `unix_seconds`.
pub fn time_window(unix_seconds: u64) -> u64 {
    unix_seconds - unix_seconds % WINDOW_SECONDS
}

/// The text that is signed: the window start in decimal, then the path.
pub fn string_to_sign(unix_seconds: u64, path: &str) -> String {
    format!("{}{}", time_window(unix_seconds), path)
}

/// The `x-procuret-signature` value for `path` (e.g. `/instalment-link/list`) at `unix_seconds`.
pub fn signature(api_key: &str, unix_seconds: u64, path: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes())
        .expect("HMAC-SHA256 accepts keys of any length");
    mac.update(string_to_sign(unix_seconds, path).as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// The path that is signed: the request path with the API root (e.g. `/api`) removed.
pub fn signed_path<'a>(request_path: &'a str, base_path: &str) -> &'a str {
    let root = base_path.trim_end_matches('/');
    match request_path.strip_prefix(root) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => request_path,
    }
}

/// Authenticates requests with a [`Session`], as the module documentation describes.
#[derive(Clone)]
pub struct SessionAuthenticator {
    session: Session,
    clock: SharedClock,
    base_path: String,
}

impl fmt::Debug for SessionAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionAuthenticator")
            .field("session", &self.session)
            .field("base_path", &self.base_path)
            .finish_non_exhaustive()
    }
}

impl SessionAuthenticator {
    /// Authenticates with `session`, reading the time from `clock`; `base_path` is the API root's
    /// path (`/api` for Procuret's hosts), left out of the signed path.
    pub fn new(session: Session, clock: SharedClock, base_path: impl Into<String>) -> Self {
        Self {
            session,
            clock,
            base_path: base_path.into(),
        }
    }

    fn signs(&self) -> bool {
        self.session.lifecycle() != Lifecycle::ShortLived
    }

    /// Adds the headers to `request`; returns the window used.
    fn apply(&self, request: &mut HttpRequest) -> Result<u64, Error> {
        let now = self.clock.unix_seconds();
        let key = self.session.api_key().expose_secret();
        let (credential_header, credential) = if self.signs() {
            let path = signed_path(request.uri().path(), &self.base_path);
            (SIGNATURE_HEADER, signature(key, now, path))
        } else {
            (API_KEY_HEADER, key.to_owned())
        };
        // Session ids and keys are printable ASCII (checked by `Session::new`), so these cannot fail
        // in practice; the error names the part without quoting it.
        let mut credential = HeaderValue::from_str(&credential)
            .map_err(|_| Error::invalid_input("api_key", "is not a valid header value"))?;
        credential.set_sensitive(true);
        let headers = request.headers_mut();
        headers.insert(
            SESSION_ID_HEADER,
            HeaderValue::from(self.session.session_id()),
        );
        headers.insert(credential_header, credential);
        if let Some(agent) = self.session.acting_for_agent() {
            headers.insert(FORWARDED_AGENT_HEADER, HeaderValue::from(agent.get()));
        }
        Ok(time_window(now))
    }
}

impl Authenticator for SessionAuthenticator {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut HttpRequest,
    ) -> BoxFuture<'a, Result<AuthTicket, Error>> {
        futures_util::future::ready(self.apply(request).map(AuthTicket)).boxed()
    }

    /// A signature made just before a window edge can reach Procuret after it: sign again with the
    /// current time and replay once. A raw key cannot change, so a short-lived session does not
    /// replay.
    fn on_unauthorized(&self, ticket: AuthTicket) -> BoxFuture<'_, bool> {
        let _ = ticket;
        futures_util::future::ready(self.signs()).boxed()
    }

    /// The api key: sent as is by short-lived sessions, and known to Procuret either way.
    fn register_secrets(&self, scrubber: &Scrubber) {
        scrubber.add(self.session.api_key().expose_secret());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn research_example() {
        assert_eq!(
            string_to_sign(1_700_000_000, "/instalment-link"),
            "1699999200/instalment-link"
        );
        assert_eq!(
            signature(
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
                1_700_000_000,
                "/instalment-link"
            ),
            "ducSASD791TdeC8Xm/svBR7xfjlhd4ZaHRqNwggOfWw="
        );
    }

    /// Expected values computed independently with Python's `hmac` module.
    #[test]
    fn edge_cases_cross_checked() {
        let key = "Zm9v-YmFy_YmF6LXF1eC0xMjM0NTY3ODkw";
        assert_eq!(
            signature(key, 0, "/instalment-link"),
            "k1c2cZSkeSznhM/UTdAy1crExSgqZ+XUmYtMlNHjhWM="
        );
        assert_eq!(
            signature(key, 899, "/payment/series/list"),
            "+sLHFpXvz2jRH0mKQqBZwDEagpMdX56ck+OZCKGgdBE="
        );
        assert_eq!(
            signature("k", 900, "/credit/prospective-payment"),
            "DNPXnclMPfBKBKOI7bFqX3yowIYiQrwdbp6B1bBBa7o="
        );
    }

    #[tokio::test]
    async fn headers_for_the_largest_session_id_and_a_forwarded_agent() {
        use partner_core::clock::ManualClock;
        use std::sync::Arc;
        let session = Session::new(i64::MAX, "k".into(), Lifecycle::LongLived)
            .unwrap()
            .acting_for(31);
        let auth = SessionAuthenticator::new(session, Arc::new(ManualClock::at_unix(900)), "/api");
        let mut request = partner_core::http::Request::builder()
            .uri("https://procuret.com/api/credit/prospective-payment?principle=1")
            .body(partner_core::bytes::Bytes::new())
            .unwrap();
        let ticket = auth.authenticate(&mut request).await.unwrap();
        assert_eq!(ticket, AuthTicket(900));
        let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(header("x-procuret-session-id"), "9223372036854775807");
        assert_eq!(
            header("x-procuret-signature"),
            "DNPXnclMPfBKBKOI7bFqX3yowIYiQrwdbp6B1bBBa7o="
        );
        assert_eq!(header("x-procuret-forwarded-agent"), "31");
        assert!(request.headers()["x-procuret-signature"].is_sensitive());
        assert!(auth.on_unauthorized(ticket).await);
    }

    #[test]
    fn windows() {
        assert_eq!(time_window(0), 0);
        assert_eq!(time_window(899), 0);
        assert_eq!(time_window(900), 900);
        assert_eq!(time_window(1_699_999_199), 1_699_998_300);
    }

    #[test]
    fn signed_paths() {
        assert_eq!(
            signed_path("/api/instalment-link/list", "/api/"),
            "/instalment-link/list"
        );
        assert_eq!(
            signed_path("/api/instalment-link", "/api"),
            "/instalment-link"
        );
        assert_eq!(signed_path("/instalment-link", "/"), "/instalment-link");
        assert_eq!(signed_path("/apix/thing", "/api"), "/apix/thing");
    }
}
