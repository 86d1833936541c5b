//! [`ApiClient`]: the engine inside every provider's `Client`.
//!
//! It takes a [`Request`] and does everything around the HTTP exchange: waits for the rate limiter,
//! authenticates (only towards the configured hosts), adds the `User-Agent` and the idempotency key,
//! enforces the attempt and operation timeouts and the body cap, retries by the [`retry`]
//! rules, refreshes and replays once on a 401, maps error answers through the provider's
//! [`ErrorParser`], and records a tracing span per request.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::FutureExt as _;
use futures_util::future::Either;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use crate::auth::{Authenticator, BearerAuth, TokenCache, TokenCacheConfig, TokenSource};
use crate::clock::{SharedClock, SystemClock};
use crate::error::{ApiError, DecodeError, Delivery, Error, TimeoutPhase, TransportError};
use crate::origin::AuthOrigins;
use crate::rate_limit::RateLimiter;
use crate::request::{Idempotency, Request};
use crate::retry::{self, AttemptOutcome, RetryContext, RetryDecision, RetryPolicy, StopReason};
use crate::scrub::Scrubber;
use crate::timer_pool::TimerPool;
use crate::transport::{
    DEFAULT_MAX_RESPONSE_BYTES, Direct, HttpRequest, HttpResponse, RequestUrl, Transport,
    send_direct,
};

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

/// Timeouts of a client. Connect timeouts belong to the transport.
///
/// The timer of a finished attempt is kept, still set, for the client's next attempt on the same
/// runtime: resetting it is cheaper than making a new one. (Waits bounded by the operation timeout,
/// for the rate limiter or a token, take their timers from the same pool, and only when they wait.)
/// So in tests under tokio's paused clock, a runtime with nothing else to do may auto-advance the
/// clock to a kept timer's old deadline (at most the operation timeout ahead), as it would for any
/// pending timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// One attempt: sending the request and reading the whole response. Default 30 s.
    pub attempt: Duration,
    /// The whole call, retries and waits included. Default 120 s.
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

/// The client's authenticator. The bearer tokens the client set up itself are called directly,
/// with no boxed future; any other authenticator goes through the [`Authenticator`] trait.
#[derive(Debug, Clone)]
enum Credentials {
    Bearer(BearerAuth),
    Custom(Arc<dyn Authenticator>),
}

/// One attempt's request, as the authenticator left it.
enum Outgoing {
    /// The request's own method, URL and body, with these headers.
    Headers(HeaderMap),
    /// A whole HTTP request, which a custom authenticator may have changed in any part. Boxed (one
    /// allocation per attempt, on a path that boxes its futures anyway) so that the common case
    /// does not move its size around.
    Http(Box<HttpRequest>),
}

struct Inner {
    transport: Arc<dyn Transport>,
    /// The default transport, called directly when no other was given: the common path then has no
    /// boxed future, no URI parsed on our side and no extensions map.
    direct: Option<Direct>,
    user_agent: HeaderValue,
    timeouts: Timeouts,
    max_response_bytes: usize,
    retry: RetryPolicy,
    authenticator: Option<Credentials>,
    token_cache: Option<TokenCache>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    error_parser: Arc<dyn ErrorParser>,
    idempotency_header: Option<HeaderName>,
    request_id_headers: Vec<HeaderName>,
    auth_origins: AuthOrigins,
    clock: SharedClock,
    timers: TimerPool,
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
    ///
    /// The default transport is called directly, without a boxed future or an `http::Request` per
    /// attempt; a given transport goes through [`Transport::send`].
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

    /// Authenticates requests with OAuth2 bearer tokens from `source`, cached per `config`.
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
        let (transport, direct) = match self.transport {
            Some(t) => (t, None),
            None => {
                let (transport, direct) = default_transport(self.connect_timeout)?;
                (transport, Some(direct))
            }
        };
        let scrubber = Scrubber::new();
        if let Some(custom) = &self.authenticator {
            custom.register_secrets(&scrubber);
        }
        let mut authenticator = self.authenticator.map(Credentials::Custom);
        let mut token_cache = None;
        if let Some((source, config)) = self.oauth2 {
            let cache = TokenCache::for_client(
                source,
                transport.clone(),
                config,
                self.clock.clone(),
                user_agent.clone(),
                self.max_response_bytes,
                scrubber.clone(),
            );
            authenticator = Some(Credentials::Bearer(BearerAuth::new(cache.clone())));
            token_cache = Some(cache);
        }
        Ok(ApiClient {
            inner: Arc::new(Inner {
                transport,
                direct,
                user_agent,
                timeouts: self.timeouts,
                max_response_bytes: self.max_response_bytes,
                retry: self.retry,
                authenticator,
                token_cache,
                rate_limiter: self.rate_limiter,
                error_parser: self.error_parser,
                idempotency_header: self.idempotency_header,
                request_id_headers: self.request_id_headers,
                auth_origins: self.auth_origins,
                clock: self.clock,
                timers: TimerPool::default(),
                scrubber,
            }),
        })
    }
}

/// The default transport, as a trait object (for [`ApiClient::transport`] and the token cache) and
/// as itself (for the client's direct path); both share one connection pool.
#[cfg(feature = "reqwest")]
fn default_transport(connect_timeout: Duration) -> Result<(Arc<dyn Transport>, Direct), Error> {
    let transport = crate::transport::ReqwestTransport::builder()
        .connect_timeout(connect_timeout)
        .build()?;
    Ok((Arc::new(transport.clone()), transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_connect_timeout: Duration) -> Result<(Arc<dyn Transport>, Direct), Error> {
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
    pub fn send_json<T: DeserializeOwned>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<T, Error>> + Send + '_ {
        // One combinator over the operation rather than `async` layers (each would keep its own
        // copy of the request and of the inner future) or a stack of combinators (each adds code to
        // every poll).
        self.execute_raw(request)
            .map(move |response| self.successful(response?)?.json())
    }

    /// Sends `request`; a non-2xx answer becomes an error.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for error answers, [`Error::RateLimited`] for a 429 that retries did not cure,
    /// [`Error::Authentication`] for a 401 that a fresh credential did not cure, and the transport,
    /// timeout and input errors of [`execute_raw`](Self::execute_raw).
    pub fn execute(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, Error>> + Send + '_ {
        self.execute_raw(request)
            .map(move |response| self.successful(response?))
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
        // With no subscriber interested, the span is disabled: the attempts then run without
        // entering it, and skip the field records (entering even a disabled span reads tracing's
        // globals on every poll).
        if span.is_disabled() {
            Either::Left(self.attempts(request, span))
        } else {
            let entered = span.clone();
            Either::Right(self.attempts(request, span).instrument(entered))
        }
    }

    /// Runs the attempts, then records the outcome in the span.
    // An `async` block rather than an `async fn`: an `async fn` copies its arguments into its body,
    // and the request would be held twice.
    #[allow(clippy::manual_async_fn)]
    fn attempts(
        &self,
        request: Request,
        span: tracing::Span,
    ) -> impl Future<Output = Result<Response, Error>> + Send + '_ {
        async move {
            // The operation's clock starts at the first poll, not when the future was made.
            let started = tokio::time::Instant::now();
            let operation_timeout = request
                .options
                .operation_timeout
                .unwrap_or(self.inner.timeouts.operation);
            let budget = Budget {
                started,
                deadline: deadline_after(started, operation_timeout),
                timeout: operation_timeout,
            };
            // One key for every attempt: that is what makes the retries safe. Every error of the
            // call carries it, so that the caller can resend with it.
            let key = self.idempotency_key(&request);
            // The loop borrows the request: one copy of it lives in this future, none in the loop's.
            let result = self
                .attempt_loop(&request, &span, budget, key.as_ref())
                .await
                .map_err(|err| err.with_idempotency_key(key.as_ref()));
            if !span.is_disabled() {
                span.record("latency_ms", started.elapsed().as_millis() as u64);
            }
            match &result {
                Ok(response) => {
                    tracing::debug!(parent: &span, status = response.status.as_u16(), "request finished")
                }
                Err(err) => tracing::debug!(parent: &span, error = %err, "request failed"),
            }
            result
        }
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

    async fn attempt_loop(
        &self,
        request: &Request,
        span: &tracing::Span,
        budget: Budget,
        key: Option<&Arc<retry::IdempotencyKey>>,
    ) -> Result<Response, Error> {
        let inner = &self.inner;
        let policy = request.options.retry.as_ref().unwrap_or(&inner.retry);
        let attempt_timeout = request.options.timeout.unwrap_or(inner.timeouts.attempt);
        let authenticator = if request.authenticate {
            inner.authenticator.as_ref()
        } else {
            None
        };
        if authenticator.is_some() && !inner.auth_origins.allows(&request.url) {
            return Err(Error::invalid_input(
                "url",
                format!(
                    "refusing to send credentials to {}: it is not one of the client's configured hosts",
                    request.url.origin().ascii_serialization()
                ),
            ));
        }
        let idempotency_header = match (&inner.idempotency_header, key) {
            (Some(name), Some(key)) => {
                let value = HeaderValue::from_str(key.as_str()).map_err(|_| {
                    Error::invalid_input("idempotency_key", "is not a valid header value")
                })?;
                Some((name, value))
            }
            _ => None,
        };
        // Built afresh for every attempt rather than built once and cloned: the first attempt, which
        // is nearly always the only one, then makes no copy.
        let attempt_headers = || {
            let mut headers = request.headers.clone();
            headers.insert(header::USER_AGENT, inner.user_agent.clone());
            headers
                .entry(header::ACCEPT)
                .or_insert(HeaderValue::from_static("application/json"));
            if let Some((name, value)) = &idempotency_header {
                headers.insert((*name).clone(), value.clone());
            }
            headers
        };
        // Checked before anything is spent on the request (a rate-limit permit, a token fetch). Parsed
        // only when a custom transport or authenticator needs an `http::Request`, once per call:
        // every attempt then clones it (a reference count), not the text. The direct path hands the
        // URL to reqwest, which refuses no URL `url` accepts but one over `http`'s length limit.
        let direct =
            inner.direct.is_some() && !matches!(authenticator, Some(Credentials::Custom(_)));
        let mut uri: Option<http::Uri> = None;
        if !direct {
            parsed_uri(request, &mut uri)?;
        } else if request.url.as_str().len() > crate::path::MAX_URL_LEN {
            return Err(invalid_uri());
        }
        let idempotent = retry::is_idempotent(&request.method);
        // What an error of an attempt that reached the server says: a request that is not safe to
        // repeat may have been applied.
        let unsafe_to_repeat = !idempotent && key.is_none();
        let mut attempts = 0u32;
        let mut replayed_unauthorized = false;

        loop {
            attempts += 1;
            if !span.is_disabled() {
                span.record("attempt", attempts);
            }
            if let Some(limiter) = &inner.rate_limiter {
                budget.bound(&inner.timers, limiter.acquire()).await?;
            }
            let mut headers = attempt_headers();
            let (outgoing, ticket) = match &authenticator {
                None => (Outgoing::Headers(headers), None),
                Some(Credentials::Bearer(bearer)) => {
                    // A fresh token in memory, the common case, needs no future at all.
                    let ticket = match bearer.authorize_now(&mut headers) {
                        Some(ticket) => ticket?,
                        None => {
                            budget
                                .bound(&inner.timers, bearer.authorize(&mut headers))
                                .await??
                        }
                    };
                    (Outgoing::Headers(headers), Some(ticket))
                }
                Some(Credentials::Custom(custom)) => {
                    let mut http_request =
                        http_request(request, parsed_uri(request, &mut uri)?, headers);
                    let ticket = budget
                        .bound(&inner.timers, custom.authenticate(&mut http_request))
                        .await??;
                    (Outgoing::Http(Box::new(http_request)), Some(ticket))
                }
            };

            let exchange = self.exchange(request, outgoing, &mut uri)?;

            // One timer per attempt: the attempt's own deadline or the operation's, whichever is first.
            // It is a kept one when the client has one free, which spares tokio a driver wake-up.
            let attempt_deadline = deadline_after(tokio::time::Instant::now(), attempt_timeout);
            let sent = inner
                .timers
                .timeout_at(attempt_deadline.min(budget.deadline), exchange)
                .await;
            let sent = match sent {
                // A success is final whatever the policy: no retry bookkeeping.
                Ok(Ok(response)) if response.status().is_success() => {
                    let delivery = Delivery::shared(unsafe_to_repeat, key);
                    return Ok(self.finish(response, span, delivery));
                }
                Err(_) if budget.deadline <= attempt_deadline => {
                    return Err(budget.exceeded_during_exchange(unsafe_to_repeat));
                }
                sent => sent,
            };
            let outcome = match &sent {
                Err(_) => AttemptOutcome::TimedOut,
                Ok(Err(err)) => retry::outcome_of_transport_error(err),
                Ok(Ok(response)) => AttemptOutcome::Status {
                    status: response.status(),
                    retry_after: retry::retry_after_from_headers(
                        response.headers(),
                        inner.clock.now(),
                    ),
                },
            };

            if let (Ok(Ok(response)), Some(auth), Some(ticket)) = (&sent, authenticator, ticket)
                && response.status() == StatusCode::UNAUTHORIZED
                && !replayed_unauthorized
            {
                replayed_unauthorized = true;
                let replay = match auth {
                    Credentials::Bearer(bearer) => {
                        budget.bound(&inner.timers, bearer.refused(ticket)).await?
                    }
                    Credentials::Custom(custom) => {
                        budget
                            .bound(&inner.timers, custom.on_unauthorized(ticket))
                            .await?
                    }
                };
                if replay {
                    tracing::debug!("401: credentials refreshed, replaying once");
                    attempts -= 1;
                    continue;
                }
            }

            let ctx = RetryContext {
                idempotent,
                has_idempotency_key: key.is_some(),
                attempts,
                elapsed: budget.started.elapsed(),
                jitter: fastrand::f64(),
            };
            let decision = retry::decide(policy, &ctx, &outcome);
            if let RetryDecision::RetryAfter(wait) = decision {
                if deadline_after(tokio::time::Instant::now(), wait) >= budget.deadline {
                    // The retry could not finish in time: say so now rather than at the deadline.
                    return Err(budget.exceeded());
                }
                tracing::debug!(?outcome, ?wait, "retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            let maybe_applied = decision == RetryDecision::Stop(StopReason::MaybeApplied);
            if maybe_applied {
                tracing::debug!(
                    ?outcome,
                    "not retrying: the request may have been applied and has no idempotency key"
                );
            }
            let delivery = Delivery::shared(maybe_applied, key);
            return match sent {
                Err(_) => Err(Error::Timeout {
                    phase: TimeoutPhase::Attempt,
                    after: attempt_timeout,
                    delivery,
                }),
                Ok(Err(err)) => Err(Error::Transport(err.with_delivery(delivery))),
                Ok(Ok(response)) => Ok(self.finish(response, span, delivery)),
            };
        }
    }

    /// The attempt's exchange: through the default transport directly when the client has it and
    /// nothing rewrote the request, else as an `http::Request` through the configured transport.
    fn exchange(
        &self,
        request: &Request,
        outgoing: Outgoing,
        uri: &mut Option<http::Uri>,
    ) -> Result<impl Future<Output = Result<HttpResponse, TransportError>> + Send + '_, Error> {
        let inner = &self.inner;
        let http_request = match (&inner.direct, outgoing) {
            (Some(direct), Outgoing::Headers(headers)) => {
                return Ok(Either::Left(send_direct(
                    direct,
                    request.method.clone(),
                    request.url.clone(),
                    headers,
                    request.body.clone(),
                    inner.max_response_bytes,
                )));
            }
            (_, Outgoing::Headers(headers)) => {
                http_request(request, parsed_uri(request, uri)?, headers)
            }
            (_, Outgoing::Http(http_request)) => *http_request,
        };
        Ok(Either::Right(
            inner.transport.send(http_request, inner.max_response_bytes),
        ))
    }

    fn finish(&self, response: HttpResponse, span: &tracing::Span, delivery: Delivery) -> Response {
        let (mut parts, mut body) = response.into_parts();
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
        if !span.is_disabled() {
            span.record("status", parts.status.as_u16());
            if let Some(id) = &request_id {
                span.record("request_id", self.inner.scrubber.scrub(id).as_ref());
            }
        }
        Response {
            status: parts.status,
            headers: parts.headers,
            body,
            request_id,
            delivery,
            scrubber: self.inner.scrubber.clone(),
        }
    }
}

/// The request's URI, parsed on first use and cloned (a reference count) after.
fn parsed_uri(request: &Request, uri: &mut Option<http::Uri>) -> Result<http::Uri, Error> {
    if let Some(uri) = uri {
        return Ok(uri.clone());
    }
    let parsed: http::Uri = request.url.as_str().parse().map_err(|_| invalid_uri())?;
    *uri = Some(parsed.clone());
    Ok(parsed)
}

fn invalid_uri() -> Error {
    Error::invalid_input("url", "is not a valid request URI")
}

/// The request as an `http::Request`, for a custom transport or authenticator. It carries the URL
/// the client already parsed, which a reqwest transport given as a custom one uses as long as the
/// URI is unchanged.
fn http_request(request: &Request, uri: http::Uri, headers: HeaderMap) -> HttpRequest {
    let mut http_request = http::Request::new(request.body.clone());
    *http_request.method_mut() = request.method.clone();
    *http_request.uri_mut() = uri.clone();
    *http_request.headers_mut() = headers;
    http_request
        .extensions_mut()
        .insert(RequestUrl::new(request.url.clone(), uri));
    http_request
}

/// `start + timeout`, where a timeout too large to add (`Duration::MAX` for "no timeout") means a
/// deadline a century away rather than a panic.
fn deadline_after(start: tokio::time::Instant, timeout: Duration) -> tokio::time::Instant {
    start
        .checked_add(timeout)
        .unwrap_or_else(|| start + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// The whole operation's time budget.
#[derive(Debug, Clone, Copy)]
struct Budget {
    started: tokio::time::Instant,
    deadline: tokio::time::Instant,
    timeout: Duration,
}

impl Budget {
    fn exceeded(&self) -> Error {
        self.exceeded_during_exchange(false)
    }

    /// The operation timed out with an attempt under way: a request that is not safe to repeat may
    /// have been applied.
    fn exceeded_during_exchange(&self, unsafe_to_repeat: bool) -> Error {
        Error::Timeout {
            phase: TimeoutPhase::Operation,
            after: self.timeout,
            delivery: Delivery::shared(unsafe_to_repeat, None),
        }
    }

    /// Runs `future` within the budget. A future that is ready at its first poll takes no timer at
    /// all (not even an unregistered one, which would still look up the runtime), so the common
    /// cases (a cached token, a limiter with room) cost nothing; one that waits uses a kept timer.
    async fn bound<T>(
        &self,
        timers: &TimerPool,
        future: impl std::future::Future<Output = T>,
    ) -> Result<T, Error> {
        timers
            .timeout_at(self.deadline, future)
            .await
            .map_err(|_| self.exceeded())
    }
}
