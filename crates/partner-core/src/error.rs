//! The one error type of the SDK family.
//!
//! Every provider crate returns [`Error`]. It says what went wrong in a way a program can act on
//! (`match` on the variant, or ask [`Error::status`], [`Error::is_retryable`], [`Error::request_id`]),
//! keeps the provider's own error code, message, raw body and request id, and chains its sources.
//!
//! No variant ever holds a credential: token responses are never quoted in a decode error, and request
//! headers are never copied into an error.
//!
//! # May the failed request have been applied?
//!
//! A write that fails without a definitive answer may still have taken effect on the server: the
//! attempt timed out or the connection was lost after the request was sent, the server answered a
//! retryable 5xx (or 408), or a 2xx arrived that could not be read. What to do depends on whether the
//! request is safe to send again, so every error that came back from an exchange carries a
//! [`Delivery`], read through two accessors:
//!
//! - [`Error::may_have_been_applied`] is `true` when the request is **not** safe to repeat (a POST or
//!   PATCH without an idempotency key) and may have taken effect. Such an error is never
//!   [`is_retryable`](Error::is_retryable): sending it again blindly could apply it twice (two orders
//!   for one). Check with the provider (list or read what the request would have created) before
//!   sending again. Its `Display` ends with "(may have been applied: check before sending again)".
//! - [`Error::idempotency_key`] is the key a keyed request carried (PayPal's `PayPal-Request-Id`,
//!   generated or given). The provider applies a key at most once, so such a request is safe to
//!   repeat: resend with the same key ([`RequestOptions::idempotency_key`]) and the provider answers
//!   with the first request's result instead of applying it again. `is_retryable` stays as the
//!   variant says.
//!
//! Requests that are idempotent by their method (GET, PUT, DELETE) never report
//! `may_have_been_applied`: applying them twice is the same as once, so the client retries them and
//! they may be sent again.
//!
//! The knowledge is context on the error rather than a variant of its own, so a timeout is still an
//! [`Error::Timeout`] and a 503 still an [`Error::Api`].
//!
//! [`RequestOptions::idempotency_key`]: crate::RequestOptions::idempotency_key

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use crate::retry::IdempotencyKey;

/// A `Result` whose error is the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A shareable error source: `Arc` so that one failure (say, a token fetch) can be handed to every
/// caller that was waiting for it.
pub type BoxError = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong when calling a provider API.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent, or the connection failed while it was under way.
    #[error(transparent)]
    Transport(#[from] TransportError),

    /// An attempt or the whole operation ran out of time.
    #[error("{phase} timed out after {after:?}{delivery}")]
    Timeout {
        /// Which deadline passed.
        phase: TimeoutPhase,
        /// The deadline that passed.
        after: Duration,
        /// Whether the request may have been applied, and its idempotency key.
        delivery: Delivery,
    },

    /// The response arrived but its body was not what the API documents.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// The provider answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// Credentials were refused, or no token could be obtained.
    #[error("authentication failed: {message}")]
    Authentication {
        /// What failed, without any credential in it.
        message: String,
        /// The provider's answer, when there was one.
        api: Option<Box<ApiError>>,
        /// The underlying failure (a transport error, a decode error...).
        #[source]
        source: Option<BoxError>,
    },

    /// The provider throttled the request and retrying did not help (or retries were off).
    #[error("rate limited by the provider{}", fmt_retry_after(*retry_after))]
    RateLimited {
        /// How long the provider asked to wait, when it said.
        retry_after: Option<Duration>,
        /// The provider's answer.
        api: Box<ApiError>,
    },

    /// The input was rejected before anything was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
}

fn fmt_retry_after(after: Option<Duration>) -> String {
    match after {
        Some(after) => format!(" (retry after {after:?})"),
        None => String::new(),
    }
}

impl Error {
    /// The HTTP status of the provider's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().map(|api| api.status)
    }

    /// The provider's error document, for API, rate-limit and authentication errors.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::RateLimited { api, .. } => Some(api),
            Error::Authentication { api: Some(api), .. } => Some(api),
            _ => None,
        }
    }

    /// The provider's request or debug id (PayPal's `Paypal-Debug-Id`, Amazon's `x-amzn-RequestId`...),
    /// worth quoting to the provider's support.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|api| api.request_id.as_deref())
    }

    /// Whether calling again later may succeed (timeouts, throttling, server errors, connection failures).
    ///
    /// Always `false` when [`may_have_been_applied`](Self::may_have_been_applied) is `true`: such a
    /// request must be checked, not sent again.
    pub fn is_retryable(&self) -> bool {
        if self.may_have_been_applied() {
            return false;
        }
        match self {
            Error::Transport(_) | Error::Timeout { .. } | Error::RateLimited { .. } => true,
            Error::Api(api) => matches!(api.status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504),
            Error::Decode(_) | Error::Authentication { .. } | Error::InvalidInput(_) => false,
        }
    }

    /// Whether the request may have taken effect on the server although it failed, and is not safe to
    /// send again as it is (not idempotent, no idempotency key): check with the provider before sending
    /// it again.
    ///
    /// True after a timeout or a connection lost once the request may have been sent, a retryable 5xx
    /// (or 408) answer, and a 2xx answer that could not be read. See the [module docs](self).
    ///
    /// ```
    /// # async fn place(client: &partner_core::ApiClient, request: partner_core::Request) {
    /// match client.execute(request).await {
    ///     Ok(_) => {}
    ///     Err(err) if err.may_have_been_applied() => {
    ///         // Not retryable: look the order up before placing it again.
    ///         assert!(!err.is_retryable());
    ///     }
    ///     Err(err) if err.is_retryable() => { /* safe to send again */ }
    ///     Err(_) => { /* fix the request */ }
    /// }
    /// # }
    /// ```
    pub fn may_have_been_applied(&self) -> bool {
        self.delivery()
            .is_some_and(|delivery| delivery.may_have_been_applied)
    }

    /// The idempotency key the failed request carried (PayPal's `PayPal-Request-Id`, given or
    /// generated): resend with the same key
    /// ([`RequestOptions::idempotency_key`](crate::RequestOptions::idempotency_key)) and the provider
    /// applies the request at most once.
    ///
    /// This is not the provider's request id ([`Error::request_id`]), which names its answer.
    pub fn idempotency_key(&self) -> Option<&IdempotencyKey> {
        self.delivery()
            .and_then(|delivery| delivery.idempotency_key.as_deref())
    }

    /// What the client knows about the failed request's effect, for the errors of an exchange.
    pub fn delivery(&self) -> Option<&Delivery> {
        match self {
            Error::Transport(transport) => Some(&transport.delivery),
            Error::Timeout { delivery, .. } => Some(delivery),
            Error::Decode(decode) => Some(&decode.delivery),
            Error::Api(api) | Error::RateLimited { api, .. } => Some(&api.delivery),
            Error::Authentication { .. } | Error::InvalidInput(_) => None,
        }
    }

    /// The same error with `key` as its idempotency key, when it is an error of an exchange that has
    /// none yet.
    pub(crate) fn with_idempotency_key(mut self, key: Option<&Arc<IdempotencyKey>>) -> Self {
        let Some(key) = key else { return self };
        let delivery = match &mut self {
            Error::Transport(transport) => &mut transport.delivery,
            Error::Timeout { delivery, .. } => delivery,
            Error::Decode(decode) => &mut decode.delivery,
            Error::Api(api) | Error::RateLimited { api, .. } => &mut api.delivery,
            Error::Authentication { .. } | Error::InvalidInput(_) => return self,
        };
        delivery.idempotency_key.get_or_insert_with(|| key.clone());
        self
    }

    /// The provider crate's typed reading of the provider's error document, when it is a `T`: the
    /// same call in every crate, with that crate's `ErrorDetails`.
    ///
    /// ```
    /// use partner_core::{ApiError, Error};
    ///
    /// #[derive(Debug)]
    /// struct ErrorDetails { name: String }
    ///
    /// let api = ApiError::new(partner_core::http::StatusCode::UNPROCESSABLE_ENTITY, "{}")
    ///     .with_provider_details(ErrorDetails { name: "UNPROCESSABLE_ENTITY".into() });
    /// let err = Error::from(api);
    /// assert_eq!(err.provider_details::<ErrorDetails>().unwrap().name, "UNPROCESSABLE_ENTITY");
    /// assert!(err.provider_details::<String>().is_none());
    /// ```
    pub fn provider_details<T: ProviderDetails>(&self) -> Option<&T> {
        self.api_error()?.provider_details()
    }

    /// Whether the provider said the resource does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// A shorthand for [`Error::InvalidInput`].
    pub fn invalid_input(field: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Error::InvalidInput(InvalidInput::new(field, reason))
    }
}

impl From<DecodeError> for Error {
    fn from(value: DecodeError) -> Self {
        Error::Decode(Box::new(value))
    }
}

impl From<ApiError> for Error {
    fn from(value: ApiError) -> Self {
        Error::Api(Box::new(value))
    }
}

/// Which deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// One attempt (one HTTP exchange) took too long.
    Attempt,
    /// The whole operation, retries included, took too long.
    Operation,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Attempt => "the request attempt",
            TimeoutPhase::Operation => "the operation",
        })
    }
}

/// What the client knows, when a request failed, about its effect on the server: whether it may
/// have been applied though it is not safe to repeat, and the idempotency key it carried.
///
/// Errors carry one (see [`Error::delivery`]); most code asks [`Error::may_have_been_applied`] and
/// [`Error::idempotency_key`] instead. Its `Display` is the suffix the errors end with: empty, or
/// " (may have been applied: check before sending again)".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    may_have_been_applied: bool,
    // Shared rather than copied: every attempt's response and the error hold the same key.
    idempotency_key: Option<Arc<IdempotencyKey>>,
}

impl Delivery {
    /// Says whether the request may have been applied though it is not safe to repeat, and which
    /// idempotency key it carried.
    pub fn new(may_have_been_applied: bool, idempotency_key: Option<IdempotencyKey>) -> Self {
        Self {
            may_have_been_applied,
            idempotency_key: idempotency_key.map(Arc::new),
        }
    }

    pub(crate) fn shared(
        may_have_been_applied: bool,
        idempotency_key: Option<&Arc<IdempotencyKey>>,
    ) -> Self {
        Self {
            may_have_been_applied,
            idempotency_key: idempotency_key.cloned(),
        }
    }

    /// Whether the request may have taken effect although it is not safe to send again as it is.
    pub fn may_have_been_applied(&self) -> bool {
        self.may_have_been_applied
    }

    /// The idempotency key the request carried.
    pub fn idempotency_key(&self) -> Option<&IdempotencyKey> {
        self.idempotency_key.as_deref()
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.may_have_been_applied {
            f.write_str(" (may have been applied: check before sending again)")?;
        }
        Ok(())
    }
}

/// Input refused before sending, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input for `{field}`: {reason}")]
#[non_exhaustive]
pub struct InvalidInput {
    /// The field (or parameter) at fault, e.g. `recipient.email`.
    pub field: Cow<'static, str>,
    /// Why it was refused.
    pub reason: String,
}

impl InvalidInput {
    /// Names the field and the reason.
    pub fn new(field: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made: the request was certainly **not** sent.
    Connect,
    /// The transport's own timeout fired; the request may have been sent.
    Timeout,
    /// The response body was larger than the configured cap.
    BodyTooLarge,
    /// The request could not be built (a bad URL or header): nothing was sent, and the client does
    /// not retry it, since another attempt would fail the same way.
    Request,
    /// The connection failed after the request may have been sent.
    Other,
}

/// A failure below HTTP: DNS, TCP, TLS, a dropped connection, an oversized body.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}{delivery}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<BoxError>,
    delivery: Delivery,
    /// The cap a [`TransportErrorKind::BodyTooLarge`] body went over.
    body_limit: Option<usize>,
}

impl TransportError {
    /// A transport error of `kind`, described by `message` (which must not contain credentials).
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
            delivery: Delivery::default(),
            body_limit: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The response body exceeded `limit` bytes.
    pub fn body_too_large(limit: usize) -> Self {
        let mut err = Self::new(
            TransportErrorKind::BodyTooLarge,
            format!("the response body is larger than the limit of {limit} bytes"),
        );
        err.body_limit = Some(limit);
        err
    }

    /// For a body over the cap ([`TransportErrorKind::BodyTooLarge`]): the cap in bytes, the
    /// call's own (`max_response_bytes` on the call) or else the client's.
    pub fn body_limit(&self) -> Option<usize> {
        self.body_limit
    }

    /// The same error, saying whether the request may have been applied and which key it carried.
    pub fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request certainly never reached the server, so that even a non-idempotent request
    /// may be sent again.
    pub fn is_before_send(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Request
        )
    }
}

/// A response body that did not decode.
#[derive(Debug, Clone, thiserror::Error)]
#[error("could not decode the response{} at `{path}`: {message}{}{delivery}", fmt_status(*status), fmt_snippet(snippet))]
#[non_exhaustive]
pub struct DecodeError {
    /// The JSON path of the failure, e.g. `content[3].price`.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The HTTP status of the response.
    pub status: Option<StatusCode>,
    /// The start of the body, for diagnosis; `None` when the body may hold a credential.
    pub snippet: Option<String>,
    delivery: Delivery,
}

fn fmt_status(status: Option<StatusCode>) -> String {
    status
        .map(|s| format!(" (HTTP {})", s.as_u16()))
        .unwrap_or_default()
}

fn fmt_snippet(snippet: &Option<String>) -> String {
    snippet
        .as_ref()
        .map(|s| format!("; body starts: {s}"))
        .unwrap_or_default()
}

/// How many characters of a body a [`DecodeError`] quotes.
pub const SNIPPET_CHARS: usize = 200;

impl DecodeError {
    /// Decodes `body` as JSON into `T`, reporting the JSON path of a failure.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] naming the path, with the start of the body.
    pub fn decode_json<T: serde::de::DeserializeOwned>(
        body: &[u8],
        status: Option<StatusCode>,
    ) -> Result<T, DecodeError> {
        // The path is found from the error's position rather than by a path-tracking decode, which
        // would compile every response type's deserializer twice (see `json_path`).
        serde_json::from_slice(body).map_err(|err| Self::from_json(&err, body, status))
    }

    /// Kept out of the generic `decode_json`, so that it is compiled once, not once per type.
    fn from_json(err: &serde_json::Error, body: &[u8], status: Option<StatusCode>) -> Self {
        DecodeError {
            path: crate::json_path::path_at(body, err.line(), err.column()),
            message: err.to_string(),
            status,
            snippet: Some(snippet(body)),
            delivery: Delivery::default(),
        }
    }

    /// The same error, saying whether the request may have been applied and which key it carried.
    pub fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// The same error without the body snippet (for bodies that may hold secrets, like token responses).
    pub fn without_snippet(mut self) -> Self {
        self.snippet = None;
        self
    }
}

/// The first [`SNIPPET_CHARS`] characters of a body, lossily decoded.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().nth(SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// The provider's answer to a failed call.
#[derive(Clone, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The provider's error code or name (`RESOURCE_NOT_FOUND`, `NOT_FOUND`, `403`...).
    pub code: Option<String>,
    /// The provider's human-readable message.
    pub message: Option<String>,
    /// The provider's request or debug id.
    pub request_id: Option<String>,
    /// Structured details the provider gave (field errors...), as JSON.
    pub details: Option<serde_json::Value>,
    /// The `Retry-After` the provider sent, parsed.
    pub retry_after: Option<Duration>,
    /// The raw response body, lossily decoded as UTF-8.
    pub raw_body: String,
    delivery: Delivery,
    provider_details: Option<Arc<dyn ProviderDetails>>,
}

/// A provider crate's typed reading of its error documents (`pax8::ErrorDetails`,
/// `paypal_partner::ErrorDetails`...), attached to an [`ApiError`] by the crate's [`ErrorParser`]
/// and read back with [`Error::provider_details`]. Implemented for every `Debug + Send + Sync` type.
///
/// [`ErrorParser`]: crate::ErrorParser
pub trait ProviderDetails: Any + fmt::Debug + Send + Sync {
    /// `self`, for downcasting.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ProviderDetails for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl ApiError {
    /// An error for `status` with nothing parsed yet.
    pub fn new(status: StatusCode, raw_body: impl Into<String>) -> Self {
        Self {
            status,
            code: None,
            message: None,
            request_id: None,
            details: None,
            retry_after: None,
            raw_body: raw_body.into(),
            delivery: Delivery::default(),
            provider_details: None,
        }
    }

    /// The same error carrying the provider crate's typed reading of it (see
    /// [`provider_details`](Self::provider_details)).
    pub fn with_provider_details(mut self, details: impl ProviderDetails) -> Self {
        self.provider_details = Some(Arc::new(details));
        self
    }

    /// The provider crate's typed reading of this error, when it is a `T` (each provider crate names
    /// its type `ErrorDetails`).
    pub fn provider_details<T: ProviderDetails>(&self) -> Option<&T> {
        self.provider_details.as_deref()?.as_any().downcast_ref()
    }

    /// Drops the typed details when `leaks` says their text holds something they must not (see
    /// [`Scrubber::scrub_api_error`](crate::scrub::Scrubber::scrub_api_error)).
    pub(crate) fn drop_provider_details_if(&mut self, leaks: impl FnOnce(&str) -> bool) {
        if let Some(details) = &self.provider_details
            && leaks(&format!("{details:?}"))
        {
            self.provider_details = None;
        }
    }

    /// The same error, saying whether the request may have been applied and which key it carried.
    pub fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// Whether the provider's code equals `code` (case-sensitive).
    pub fn has_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered HTTP {}", self.status.as_u16())?;
        // A code that only repeats the status (Leanpub mirrors its result code) is said once.
        if let Some(code) = &self.code
            && code.as_str() != self.status.as_str()
        {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        write!(f, "{}", self.delivery)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("details", &self.details)
            .field("retry_after", &self.retry_after)
            .field("raw_body", &snippet(self.raw_body.as_bytes()))
            .field("delivery", &self.delivery)
            .field("provider_details", &self.provider_details)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        content: Vec<Inner>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        price: u32,
    }

    #[test]
    fn decode_error_names_the_json_path() {
        let body = br#"{"content":[{"price":1},{"price":"oops"}]}"#;
        let err = DecodeError::decode_json::<Outer>(body, Some(StatusCode::OK)).unwrap_err();
        assert_eq!(err.path, "content[1].price");
        let text = Error::from(err).to_string();
        assert!(text.contains("content[1].price"), "{text}");
        assert!(text.contains("HTTP 200"), "{text}");
    }

    #[test]
    fn malformed_json_is_a_decode_error_with_snippet() {
        let err = DecodeError::decode_json::<Outer>(b"{not json", None).unwrap_err();
        assert_eq!(err.snippet.as_deref(), Some("{not json"));
        assert!(err.without_snippet().snippet.is_none());
    }

    #[test]
    fn snippet_is_bounded() {
        let long = "x".repeat(5000);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
    }

    #[test]
    fn api_error_display_has_status_code_message_and_id() {
        let mut api = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "{}");
        api.code = Some("ACCOUNT_STATUS_ERROR".into());
        api.message = Some("nope".into());
        api.request_id = Some("abc123".into());
        let err = Error::from(api);
        assert_eq!(
            err.to_string(),
            "the API answered HTTP 422 ACCOUNT_STATUS_ERROR: nope (request id abc123)"
        );
        assert_eq!(err.request_id(), Some("abc123"));
        assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
        assert!(!err.is_retryable());
    }

    #[test]
    fn retryable_classification() {
        assert!(Error::from(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "")).is_retryable());
        assert!(
            Error::Timeout {
                phase: TimeoutPhase::Attempt,
                after: Duration::from_secs(1),
                delivery: Delivery::default(),
            }
            .is_retryable()
        );
        assert!(!Error::invalid_input("x", "empty").is_retryable());
        assert!(Error::from(ApiError::new(StatusCode::NOT_FOUND, "")).is_not_found());
    }

    const APPLIED: &str = " (may have been applied: check before sending again)";

    /// One error of each kind that comes back from an exchange, all saying `delivery`.
    fn exchange_errors(delivery: &Delivery) -> Vec<Error> {
        let decode = DecodeError::decode_json::<Outer>(b"{}", Some(StatusCode::OK)).unwrap_err();
        vec![
            Error::Timeout {
                phase: TimeoutPhase::Attempt,
                after: Duration::from_millis(250),
                delivery: delivery.clone(),
            },
            Error::Transport(
                TransportError::new(TransportErrorKind::Other, "connection reset")
                    .with_delivery(delivery.clone()),
            ),
            Error::from(
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "").with_delivery(delivery.clone()),
            ),
            Error::from(decode.with_delivery(delivery.clone())),
        ]
    }

    #[test]
    fn a_write_that_may_have_been_applied_is_not_retryable_and_says_so() {
        for err in exchange_errors(&Delivery::new(true, None)) {
            assert!(err.may_have_been_applied(), "{err:?}");
            assert!(!err.is_retryable(), "{err:?}");
            assert_eq!(err.idempotency_key(), None);
            assert!(err.to_string().ends_with(APPLIED), "{err}");
        }
        // The cause stays matchable.
        let timeout = &exchange_errors(&Delivery::new(true, None))[0];
        assert!(matches!(
            timeout,
            Error::Timeout {
                phase: TimeoutPhase::Attempt,
                ..
            }
        ));
        assert_eq!(
            timeout.to_string(),
            format!("the request attempt timed out after 250ms{APPLIED}")
        );
    }

    #[test]
    fn a_keyed_request_error_exposes_its_key_and_stays_retryable() {
        let key = IdempotencyKey::new("order-0042").unwrap();
        for err in exchange_errors(&Delivery::new(false, Some(key.clone()))) {
            assert!(!err.may_have_been_applied(), "{err:?}");
            assert_eq!(err.idempotency_key(), Some(&key), "{err:?}");
            assert!(!err.to_string().contains("may have been applied"), "{err}");
        }
        let [timeout, transport, api, decode] = exchange_errors(&Delivery::new(false, Some(key)))
            .try_into()
            .unwrap();
        assert!(timeout.is_retryable());
        assert!(transport.is_retryable());
        assert!(api.is_retryable());
        assert!(!decode.is_retryable(), "the same body would fail again");
    }

    #[test]
    fn errors_of_safe_requests_say_nothing_applied() {
        for err in exchange_errors(&Delivery::default()) {
            assert!(!err.may_have_been_applied(), "{err:?}");
            assert_eq!(err.idempotency_key(), None);
            assert!(!err.to_string().contains("may have been applied"), "{err}");
        }
        assert!(!Error::invalid_input("x", "empty").may_have_been_applied());
        assert!(Error::invalid_input("x", "empty").delivery().is_none());
    }

    #[test]
    fn a_key_is_attached_once_and_never_replaced() {
        let first = Arc::new(IdempotencyKey::new("first").unwrap());
        let second = Arc::new(IdempotencyKey::new("second").unwrap());
        let err = exchange_errors(&Delivery::default())
            .remove(0)
            .with_idempotency_key(Some(&first))
            .with_idempotency_key(Some(&second));
        assert_eq!(
            err.idempotency_key().map(IdempotencyKey::as_str),
            Some("first")
        );
        let input = Error::invalid_input("x", "empty").with_idempotency_key(Some(&first));
        assert_eq!(input.idempotency_key(), None);
    }

    #[test]
    fn error_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Error>();
    }
}
