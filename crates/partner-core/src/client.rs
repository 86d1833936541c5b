//! [`ApiClient`]: the engine inside every provider's `Client`.
//!
//! It takes a [`Request`] and does everything around the HTTP exchange: waits for the rate limiter,
//! authenticates (only towards the configured hosts), adds the `User-Agent` and the idempotency key,
//! enforces the attempt and operation timeouts and the body cap, retries by the [`retry`]
//! rules, refreshes and replays once on a 401, maps error answers through the provider's
//! [`ErrorParser`], and records a tracing span per request.

mod attempt;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use crate::auth::{Authenticator, BearerAuth, TokenCache, TokenCacheConfig, TokenSource};
use crate::clock::{SharedClock, SystemClock};
use crate::error::{ApiError, DecodeError, Delivery, Error};
use crate::origin::AuthOrigins;
use crate::rate_limit::RateLimiter;
use crate::request::{Idempotency, Request};
use crate::retry::{self, RetryPolicy};
use crate::scrub::Scrubber;
use crate::transport::{DEFAULT_MAX_RESPONSE_BYTES, Transport};

/// Reads a provider's error body into an [`ApiError`].
pub trait ErrorParser: Send + Sync + fmt::Debug + 'static {
    /// Fills `error` (whose status, raw body, request id and retry-after are already set) from the
    /// provider's error document.
    fn parse(&self, headers: &HeaderMap, body: &[u8], error: &mut ApiError);
}

/// Reads the common JSON error shapes: `code`/`name`/`error`/`type` for the code,
/// `message`/`error_description` for the message, `details`/`errors` kept.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonErrorParser;

impl ErrorParser for JsonErrorParser {
    fn parse(&self, _headers: &HeaderMap, body: &[u8], error: &mut ApiError) {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
        else {
            return;
        };
        let text = |key: &str| {
            map.get(key).and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        error.code = ["code", "name", "error", "type"]
            .iter()
            .find_map(|k| text(k));
        error.message = ["message", "error_description"]
            .iter()
            .find_map(|k| text(k));
        error.details = map.get("details").or_else(|| map.get("errors")).cloned();
    }
}

/// A response that passed the client: status, headers and the whole body.
///
/// The body and headers of an error answer (non-2xx) have the client's secrets scrubbed out (see
/// [`Scrubber`]); a 2xx answer is as the server sent it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response {
    /// The HTTP status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The provider's request id, when it sent one in a configured header.
    pub request_id: Option<String>,
    /// What an error made from this response says about the request's effect: a 2xx of a request
    /// that is not safe to repeat was applied, whatever its body says.
    delivery: Delivery,
    /// The client's secrets, scrubbed out of a decode error.
    scrubber: Scrubber,
}

impl Response {
    /// Decodes the body as JSON, naming the JSON path of a failure.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] with the path and the start of the body, the client's secrets scrubbed out; it
    /// says [`may_have_been_applied`](Error::may_have_been_applied) when the request was not safe to
    /// repeat.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        DecodeError::decode_json(&self.body, Some(self.status)).map_err(|err| {
            self.scrubber
                .scrub_error(Error::from(err.with_delivery(self.delivery.clone())))
        })
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Timeouts of a client. The connect timeout belongs to the transport (see
/// [`ApiClientBuilder::connect_timeout`]).
///
/// ```
/// use std::time::Duration;
/// use partner_core::Timeouts;
/// // Give up on one attempt after 10 s, and on the whole call (retries and waits included) after 60 s.
/// let timeouts = Timeouts::default()
///     .attempt(Duration::from_secs(10))
///     .operation(Duration::from_secs(60));
/// # let _ = timeouts;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// One attempt: sending the request and reading the whole response. Default 30 s. A call may
    /// replace it with [`RequestOptions::timeout`](crate::RequestOptions::timeout).
    pub attempt: Duration,
    /// The whole call: waiting for the rate limiter, fetching a token, every attempt and the waits
    /// between retries. Default 120 s. `Duration::MAX` means no limit.
    pub operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            attempt: Duration::from_secs(30),
            operation: Duration::from_secs(120),
        }
    }
}

impl Timeouts {
    /// Sets the per-attempt timeout.
    pub fn attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }

    /// Sets the whole-operation timeout.
    pub fn operation(mut self, timeout: Duration) -> Self {
        self.operation = timeout;
        self
    }
}

/// What an [`ApiClient`] holds; its clones share it.
#[derive(Clone)]
struct Inner {
    transport: Arc<dyn Transport>,
    user_agent: HeaderValue,
    timeouts: Timeouts,
    max_response_bytes: usize,
    retry: RetryPolicy,
    authenticator: Option<Arc<dyn Authenticator>>,
    token_cache: Option<TokenCache>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    error_parser: Arc<dyn ErrorParser>,
    idempotency_header: Option<HeaderName>,
    request_id_headers: Vec<HeaderName>,
    auth_origins: AuthOrigins,
    clock: SharedClock,
    scrubber: Scrubber,
}

/// The engine of a provider client: cheap to clone (an `Arc` inside); clones share the connection
/// pool, the token cache and the rate limiter.
///
/// ```no_run
/// use partner_core::{ApiClient, Request};
/// # async fn run() -> Result<(), partner_core::Error> {
/// let client = ApiClient::builder("my-sdk/1.0").auth_origin("https://api.example.com".parse().unwrap()).build()?;
/// let response = client.execute(Request::get("https://api.example.com/v1/things".parse().unwrap())).await?;
/// let things: serde_json::Value = response.json()?;
/// # let _ = things; Ok(()) }
/// ```
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("user_agent", &self.inner.user_agent)
            .field("timeouts", &self.inner.timeouts)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("retry", &self.inner.retry)
            .field("authenticator", &self.inner.authenticator)
            .field("rate_limiter", &self.inner.rate_limiter)
            .field("auth_origins", &self.inner.auth_origins)
            .field("transport", &self.inner.transport)
            .finish_non_exhaustive()
    }
}

/// Builds an [`ApiClient`].
pub struct ApiClientBuilder {
    user_agent: String,
    transport: Option<Arc<dyn Transport>>,
    connect_timeout: Duration,
    timeouts: Timeouts,
    max_response_bytes: usize,
    retry: RetryPolicy,
    authenticator: Option<Arc<dyn Authenticator>>,
    oauth2: Option<(Arc<dyn TokenSource>, TokenCacheConfig)>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    error_parser: Arc<dyn ErrorParser>,
    idempotency_header: Option<HeaderName>,
    request_id_headers: Vec<HeaderName>,
    auth_origins: AuthOrigins,
    clock: SharedClock,
}

impl fmt::Debug for ApiClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClientBuilder")
            .field("user_agent", &self.user_agent)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("authenticator", &self.authenticator)
            .field("oauth2", &self.oauth2.as_ref().map(|(s, _)| s))
            .finish_non_exhaustive()
    }
}

impl ApiClientBuilder {
    /// Uses `transport` instead of the default reqwest transport.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The connect timeout of the default transport (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Caps response bodies (default 16 MiB); a larger body is an error.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Authenticates requests with `authenticator`.
    pub fn authenticator(mut self, authenticator: Arc<dyn Authenticator>) -> Self {
        self.authenticator = Some(authenticator);
        self
    }

    /// Authenticates requests with OAuth2 bearer tokens from `source`, cached per `config`. The token
    /// requests go through this client's transport, timeouts and retry policy (retried like a GET),
    /// without its credentials or rate limit.
    pub fn oauth2(mut self, source: Arc<dyn TokenSource>, config: TokenCacheConfig) -> Self {
        self.oauth2 = Some((source, config));
        self
    }

    /// Makes every request wait for `limiter`.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Reads error bodies with `parser` (default [`JsonErrorParser`]).
    pub fn error_parser(mut self, parser: Arc<dyn ErrorParser>) -> Self {
        self.error_parser = parser;
        self
    }

    /// The header that carries idempotency keys (`PayPal-Request-Id`...).
    pub fn idempotency_header(mut self, name: HeaderName) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    /// A response header that carries the provider's request id (may be called several times).
    pub fn request_id_header(mut self, name: HeaderName) -> Self {
        self.request_id_headers.push(name);
        self
    }

    /// Allows credentials to be sent to the origin (scheme, host, port) of `url`. Authenticated requests
    /// to any other origin are refused before sending.
    pub fn auth_origin(mut self, url: Url) -> Self {
        self.auth_origins.insert(&url);
        self
    }

    /// Sets the wall clock (token expiry, `Retry-After` dates).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a bad user agent, [`Error::Transport`] when the default transport
    /// cannot start.
    pub fn build(self) -> Result<ApiClient, Error> {
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| Error::invalid_input("user_agent", "is not a valid header value"))?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(self.connect_timeout)?,
        };
        let scrubber = Scrubber::new();
        if let Some(custom) = &self.authenticator {
            custom.register_secrets(&scrubber);
        }
        let mut inner = Inner {
            transport,
            user_agent,
            timeouts: self.timeouts,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
            authenticator: self.authenticator,
            token_cache: None,
            rate_limiter: self.rate_limiter,
            error_parser: self.error_parser,
            idempotency_header: self.idempotency_header,
            request_id_headers: self.request_id_headers,
            auth_origins: self.auth_origins,
            clock: self.clock,
            scrubber,
        };
        if let Some((source, config)) = self.oauth2 {
            let cache = TokenCache::new(source, inner.token_client(), config);
            inner.authenticator = Some(Arc::new(BearerAuth::new(cache.clone())));
            inner.token_cache = Some(cache);
        }
        Ok(ApiClient {
            inner: Arc::new(inner),
        })
    }
}

impl Inner {
    /// The client that fetches this client's tokens: the same transport, timeouts, retry policy,
    /// clock, body cap, secrets and error parser (a provider's typed details describe its token
    /// endpoint's refusals too), so a token request goes through the same attempt steps as any
    /// other; but no credentials of its own, no rate limit and no idempotency header.
    fn token_client(&self) -> ApiClient {
        ApiClient {
            inner: Arc::new(Inner {
                authenticator: None,
                token_cache: None,
                rate_limiter: None,
                idempotency_header: None,
                auth_origins: AuthOrigins::default(),
                ..self.clone()
            }),
        }
    }
}

/// The default transport.
#[cfg(feature = "reqwest")]
fn default_transport(connect_timeout: Duration) -> Result<Arc<dyn Transport>, Error> {
    let transport = crate::transport::ReqwestTransport::builder()
        .connect_timeout(connect_timeout)
        .build()?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_connect_timeout: Duration) -> Result<Arc<dyn Transport>, Error> {
    Err(Error::invalid_input(
        "transport",
        "no transport given and the `reqwest` feature is off",
    ))
}

impl ApiClient {
    /// A builder; `user_agent` is normally `"<crate>/<version>"`.
    pub fn builder(user_agent: impl Into<String>) -> ApiClientBuilder {
        ApiClientBuilder {
            user_agent: user_agent.into(),
            transport: None,
            connect_timeout: Duration::from_secs(10),
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            authenticator: None,
            oauth2: None,
            rate_limiter: None,
            error_parser: Arc::new(JsonErrorParser),
            idempotency_header: None,
            request_id_headers: Vec::new(),
            auth_origins: AuthOrigins::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// The OAuth2 token cache, when the client uses one.
    pub fn token_cache(&self) -> Option<&TokenCache> {
        self.inner.token_cache.as_ref()
    }

    /// The transport (to send requests that bypass the client, like fetching a certificate).
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.inner.transport
    }

    /// The wall clock.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The header that carries idempotency keys, when the provider has them.
    pub fn idempotency_header(&self) -> Option<&HeaderName> {
        self.inner.idempotency_header.as_ref()
    }

    /// The configured response body cap.
    pub fn max_response_bytes(&self) -> usize {
        self.inner.max_response_bytes
    }

    /// The client's secrets: those of its authenticator and token source, the tokens it fetched,
    /// and whatever a provider adds (see [`Scrubber::scope`] for a secret sent by one call). Error
    /// answers are scrubbed with it before any error is made from them.
    pub fn scrubber(&self) -> &Scrubber {
        &self.inner.scrubber
    }

    /// Sends `request` and decodes a 2xx JSON body into `T`.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute), plus [`Error::Decode`].
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        self.execute(request).await?.json()
    }

    /// Sends `request`; a non-2xx answer becomes an error.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for error answers, [`Error::RateLimited`] for a 429 that retries did not cure,
    /// [`Error::Authentication`] for a 401 that a fresh credential did not cure, and the transport,
    /// timeout and input errors of [`execute_raw`](Self::execute_raw).
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let response = self.execute_raw(request).await?;
        self.successful(response)
    }

    /// `response` if it is a success, else its error.
    fn successful(&self, response: Response) -> Result<Response, Error> {
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(self.error_for(&response))
        }
    }

    /// Turns an error answer into the matching [`Error`], which says whether the request may have been
    /// applied and carries its idempotency key.
    pub fn error_for(&self, response: &Response) -> Error {
        let api = self.api_error_for(response);
        match response.status {
            StatusCode::UNAUTHORIZED => Error::Authentication {
                message: "the API refused the credentials (HTTP 401)".into(),
                api: Some(Box::new(api)),
                source: None,
            },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                retry_after: api.retry_after,
                api: Box::new(api),
            },
            _ => Error::Api(Box::new(api)),
        }
    }

    /// The provider's answer in an error response, read by the client's [`ErrorParser`] and scrubbed.
    pub(crate) fn api_error_for(&self, response: &Response) -> ApiError {
        let mut api = ApiError::new(
            response.status,
            String::from_utf8_lossy(&response.body).into_owned(),
        )
        .with_delivery(response.delivery.clone());
        api.request_id = response.request_id.clone();
        api.retry_after =
            retry::retry_after_from_headers(&response.headers, self.inner.clock.now());
        self.inner
            .error_parser
            .parse(&response.headers, &response.body, &mut api);
        // The body was scrubbed already; a parser may still have decoded an escaped form of a secret.
        self.inner.scrubber.scrub_api_error(&mut api);
        api
    }

    /// Sends `request` with retries, and returns whatever the server finally answered, error statuses
    /// included (for providers whose error bodies must be read whatever the status).
    ///
    /// Like an `async fn`, the returned future sends nothing until it is polled, and the operation
    /// timeout counts from that first poll. The tracing span is opened here, when the call is made,
    /// so it takes the caller's current span as its parent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending (bad header, credentials towards a foreign host),
    /// [`Error::Transport`], [`Error::Timeout`], and authentication failures. A transport error or
    /// timeout of a request that is not safe to repeat says
    /// [`may_have_been_applied`](Error::may_have_been_applied) once the request may have been sent;
    /// the errors of a keyed request carry its [`idempotency_key`](Error::idempotency_key).
    pub fn execute_raw(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, Error>> + Send + '_ {
        let span = tracing::info_span!(
            "partner_request",
            method = %request.method,
            host = request.url.host_str().unwrap_or(""),
            path = request.url.path(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.call(request, span.clone()).instrument(span)
    }

    /// Runs the attempts of one call (see [`attempt`]), then records the outcome in the span.
    async fn call(&self, request: Request, span: tracing::Span) -> Result<Response, Error> {
        // The operation's clock starts at the first poll, not when the future was made.
        let started = tokio::time::Instant::now();
        // One key for every attempt: that is what makes the retries safe. Every error of the call
        // carries it, so that the caller can resend with it.
        let key = self.idempotency_key(&request);
        let result = match attempt::Call::prepare(&self.inner, &request, key.as_ref(), started) {
            Ok(call) => call.run(&span).await,
            Err(err) => Err(err),
        };
        let result = result
            .map(|sent| self.response(sent, &span))
            .map_err(|err| err.with_idempotency_key(key.as_ref()));
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(response) => tracing::debug!(status = response.status.as_u16(), "request finished"),
            Err(err) => tracing::debug!(error = %err, "request failed"),
        }
        result
    }

    /// The idempotency key of a keyed request (the given one, or a fresh one), when the client has a
    /// header to send it in.
    fn idempotency_key(&self, request: &Request) -> Option<Arc<retry::IdempotencyKey>> {
        if request.idempotency != Idempotency::Keyed || self.inner.idempotency_header.is_none() {
            return None;
        }
        let key = request
            .options
            .idempotency_key
            .clone()
            .unwrap_or_else(retry::IdempotencyKey::generate);
        Some(Arc::new(key))
    }

    /// The final answer as a [`Response`]: an error answer scrubbed of the client's secrets, the
    /// provider's request id read, the span's status recorded.
    fn response(&self, answer: attempt::Answer, span: &tracing::Span) -> Response {
        let (mut parts, mut body) = answer.response.into_parts();
        if !parts.status.is_success() {
            self.inner
                .scrubber
                .scrub_response(&mut parts.headers, &mut body);
        }
        let request_id = self.inner.request_id_headers.iter().find_map(|name| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        span.record("status", parts.status.as_u16());
        if let Some(id) = &request_id {
            span.record("request_id", self.inner.scrubber.scrub(id).as_ref());
        }
        Response {
            status: parts.status,
            headers: parts.headers,
            body,
            request_id,
            delivery: answer.delivery,
            scrubber: self.inner.scrubber.clone(),
        }
    }
}
