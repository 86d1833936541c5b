//! [`TokenSource`]: how a provider asks for an OAuth2 access token, and how the token endpoint's
//! error answers read.

use std::fmt;
use std::time::SystemTime;

use super::token::{AccessToken, TokenKey};
use crate::client::Response;
use crate::error::{ApiError, Error};
use crate::request::Request;
use crate::scrub::Scrubber;

/// How a provider obtains an access token: it builds the token request and reads the answer; the
/// [`TokenCache`](super::TokenCache) sends it through the client's attempt steps (its transport,
/// timeouts and retry policy; without credentials or rate limit).
pub trait TokenSource: Send + Sync + fmt::Debug + 'static {
    /// Identifies the token in caches and stores (token URL + hash of the client id).
    fn key(&self) -> TokenKey;

    /// Builds the token request. The cache sends it without the client's credentials, and retries
    /// it as an idempotent request: asking for a token twice is harmless.
    ///
    /// # Errors
    ///
    /// Whatever prevents building it (a header value that cannot be sent...).
    fn token_request(&self) -> Result<Request, Error>;

    /// Reads a 2xx token response issued at `now`. The default reads a standard OAuth2 JSON response.
    ///
    /// # Errors
    ///
    /// A decode error (without a body snippet: the body holds the token).
    fn parse_token(&self, response: &Response, now: SystemTime) -> Result<AccessToken, Error> {
        AccessToken::from_oauth_response(&response.body, now)
    }

    /// Tells `scrubber` the secrets the token request carries (a client secret, a Basic value), so
    /// that a token endpoint echoing them never puts them in an error or a log. The cache calls it
    /// once, when it is made. The default registers nothing.
    fn register_secrets(&self, scrubber: &Scrubber) {
        let _ = scrubber;
    }
}

/// Parses an OAuth2 error body `{error, error_description}` (RFC 6749 §5.2), or any JSON with
/// `message`/`name`, into an [`ApiError`].
pub fn oauth_api_error(response: &Response) -> ApiError {
    let body = &response.body;
    let mut api = ApiError::new(response.status, String::from_utf8_lossy(body).into_owned());
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        api.code = text("error").or_else(|| text("name"));
        api.message = text("error_description").or_else(|| text("message"));
        api.request_id = text("debug_id");
    }
    api
}
