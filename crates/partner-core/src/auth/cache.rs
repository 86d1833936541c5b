use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};
use http::{HeaderValue, Method, header};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::store::TokenStore;
use super::token::{AccessToken, TokenKey};
use crate::clock::{SharedClock, SystemClock};
use crate::error::{ApiError, Error, TimeoutPhase};
use crate::retry::{self, AttemptOutcome, RetryContext, RetryDecision, RetryPolicy};
use crate::scrub::Scrubber;
use crate::secret::Redacted;
use crate::transport::{DEFAULT_MAX_RESPONSE_BYTES, HttpRequest, HttpResponse, Transport};

/// How a provider obtains an access token: it builds the token request; the [`TokenCache`] sends it,
/// retries transient failures and parses the answer.
pub trait TokenSource: Send + Sync + fmt::Debug + 'static {
    /// Identifies the token in caches and stores (token URL + hash of the client id).
    fn key(&self) -> TokenKey;

    /// Builds the token request.
    ///
    /// # Errors
    ///
    /// Whatever prevents building it (a bad URL...).
    fn token_request(&self) -> Result<HttpRequest, Error>;

    /// Reads a 2xx token response issued at `now`. The default reads a standard OAuth2 JSON response.
    ///
    /// # Errors
    ///
    /// A decode error (without a body snippet: the body holds the token).
    fn parse_token(&self, response: &HttpResponse, now: SystemTime) -> Result<AccessToken, Error> {
        AccessToken::from_oauth_response(response.body(), now)
    }

    /// Tells `scrubber` the secrets the token request carries (a client secret, a Basic value), so
    /// that a token endpoint echoing them never puts them in an error or a log. The cache calls it
    /// once, when it is made. The default registers nothing.
    fn register_secrets(&self, scrubber: &Scrubber) {
        let _ = scrubber;
    }
}

/// How the client id and secret travel in a client-credentials request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthMethod {
    /// HTTP Basic auth and a form body `grant_type=client_credentials` (RFC 6749 §2.3.1; PayPal).
    BasicForm,
    /// A JSON body `{client_id, client_secret, grant_type, audience?}` (Pax8).
    JsonBody,
}

/// The OAuth2 client-credentials grant, in the two forms providers use.
///
/// ```
/// use partner_core::auth::ClientCredentials;
/// let source = ClientCredentials::json_body("https://api.pax8.com/v1/token".parse().unwrap(), "id", "secret".into())
///     .with_param("audience", "https://api.pax8.com");
/// assert!(!format!("{source:?}").contains("secret\""));
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    method: ClientAuthMethod,
    params: Vec<(String, String)>,
}

impl ClientCredentials {
    /// Basic auth + form body.
    pub fn basic_form(
        token_url: Url,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        Self {
            token_url,
            client_id: client_id.into(),
            client_secret,
            method: ClientAuthMethod::BasicForm,
            params: vec![],
        }
    }

    /// Credentials in a JSON body.
    pub fn json_body(
        token_url: Url,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Self {
        Self {
            token_url,
            client_id: client_id.into(),
            client_secret,
            method: ClientAuthMethod::JsonBody,
            params: vec![],
        }
    }

    /// Adds a request parameter (`audience`, `scope`...).
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The token URL.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The credentials of HTTP Basic auth: `base64(client_id:client_secret)`.
    fn basic_credentials(&self) -> String {
        use base64::Engine as _;
        let creds = format!("{}:{}", self.client_id, self.client_secret.expose_secret());
        base64::engine::general_purpose::STANDARD.encode(creds)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &Redacted)
            .field("method", &self.method)
            .field("params", &self.params)
            .finish()
    }
}

impl TokenSource for ClientCredentials {
    fn key(&self) -> TokenKey {
        TokenKey::new(self.token_url.as_str(), &self.client_id)
    }

    fn token_request(&self) -> Result<HttpRequest, Error> {
        let (content_type, body, auth) = match self.method {
            ClientAuthMethod::BasicForm => {
                let mut pairs: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
                pairs.extend(self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let body = serde_urlencoded::to_string(&pairs)
                    .map_err(|e| Error::invalid_input("token_request", e.to_string()))?;
                let auth = format!("Basic {}", self.basic_credentials());
                (
                    "application/x-www-form-urlencoded",
                    body.into_bytes(),
                    Some(auth),
                )
            }
            ClientAuthMethod::JsonBody => {
                let mut map = serde_json::Map::new();
                map.insert("client_id".into(), self.client_id.clone().into());
                map.insert(
                    "client_secret".into(),
                    self.client_secret.expose_secret().into(),
                );
                map.insert("grant_type".into(), "client_credentials".into());
                for (k, v) in &self.params {
                    map.insert(k.clone(), v.clone().into());
                }
                let body = serde_json::to_vec(&map)
                    .map_err(|e| Error::invalid_input("token_request", e.to_string()))?;
                ("application/json", body, None)
            }
        };
        let mut builder = http::Request::builder()
            .method(Method::POST)
            .uri(self.token_url.as_str())
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json");
        if let Some(auth) = auth {
            let mut value = HeaderValue::from_str(&auth)
                .map_err(|_| Error::invalid_input("client_id", "is not a valid header value"))?;
            value.set_sensitive(true);
            builder = builder.header(header::AUTHORIZATION, value);
        }
        builder
            .body(Bytes::from(body))
            .map_err(|_| Error::invalid_input("token_url", "is not a valid request URL"))
    }

    fn register_secrets(&self, scrubber: &Scrubber) {
        scrubber.add(self.client_secret.expose_secret());
        if self.method == ClientAuthMethod::BasicForm {
            scrubber.add(&self.basic_credentials());
        }
    }
}

/// Settings of a [`TokenCache`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenCacheConfig {
    /// Refresh this long before expiry, plus a random 0–50 % of it so that clients started together do
    /// not refresh together. Default 60 s.
    pub refresh_buffer: Duration,
    /// A persistent store behind the in-memory token (none by default).
    pub store: Option<Arc<dyn TokenStore>>,
    /// Timeout of one token request attempt. Default 30 s.
    pub attempt_timeout: Duration,
    /// Retries of the token request on transient failures.
    pub retry: RetryPolicy,
    /// How long a process may hold a shared store's refresh lock (see [`TokenStore::lock_refresh`])
    /// before another may take over: the longest a crashed holder delays the others. Default 10 s.
    pub refresh_lock_ttl: Duration,
}

impl Default for TokenCacheConfig {
    fn default() -> Self {
        Self {
            refresh_buffer: Duration::from_secs(60),
            store: None,
            attempt_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default().with_max_attempts(3),
            refresh_lock_ttl: Duration::from_secs(10),
        }
    }
}

impl TokenCacheConfig {
    /// Sets the refresh buffer.
    pub fn with_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.refresh_buffer = buffer;
        self
    }

    /// Sets a persistent store.
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Sets the per-attempt timeout of the token request.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the retry policy of the token request.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets how long a process may hold a shared store's refresh lock.
    pub fn with_refresh_lock_ttl(mut self, ttl: Duration) -> Self {
        self.refresh_lock_ttl = ttl.max(Duration::from_millis(1));
        self
    }
}

fn bearer_header(token: &AccessToken) -> Option<HeaderValue> {
    let mut value =
        HeaderValue::try_from(format!("Bearer {}", token.secret.expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// After a failed early refresh, how long to keep using the still-valid token before trying again.
const RETRY_REFRESH_AFTER: Duration = Duration::from_secs(5);

type SharedFetch = Shared<BoxFuture<'static, Result<CachedToken, Error>>>;

/// A token and the generation it belongs to.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) token: Arc<AccessToken>,
    pub(crate) generation: u64,
    /// `Bearer <token>`, formatted and validated once per token rather than once per request
    /// (`None` when the token is not a valid header value).
    pub(crate) bearer: Option<HeaderValue>,
    refresh_at: Option<SystemTime>,
}

#[derive(Default)]
struct State {
    current: Option<CachedToken>,
    inflight: Option<SharedFetch>,
    generation: u64,
}

struct Inner {
    source: Arc<dyn TokenSource>,
    key: TokenKey,
    transport: Arc<dyn Transport>,
    clock: SharedClock,
    config: TokenCacheConfig,
    max_response_bytes: usize,
    user_agent: Option<HeaderValue>,
    /// Knows the source's secrets and every token fetched; shared with the client.
    scrubber: Scrubber,
    state: Mutex<State>,
}

/// A single-flight, early-refreshing OAuth2 token cache, shared by all clones of a client.
///
/// - a fresh token is served from memory without any I/O;
/// - when there is none (or it is within the refresh buffer of expiry), exactly one fetch runs however
///   many callers ask at once; the others await it, and if it fails they all get its error, while the
///   next call tries again;
/// - a persistent [`TokenStore`] is consulted before fetching, and written after;
/// - [`invalidate`](TokenCache::invalidate) drops a token the API refused.
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Inner>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("source", &self.inner.source)
            .field("key", &self.inner.key)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache fetching from `source` through `transport`.
    pub fn new(
        source: Arc<dyn TokenSource>,
        transport: Arc<dyn Transport>,
        config: TokenCacheConfig,
    ) -> Self {
        Self::with_clock(source, transport, config, Arc::new(SystemClock))
    }

    /// The same with an explicit clock.
    pub fn with_clock(
        source: Arc<dyn TokenSource>,
        transport: Arc<dyn Transport>,
        config: TokenCacheConfig,
        clock: SharedClock,
    ) -> Self {
        Self::build(
            source,
            transport,
            config,
            clock,
            None,
            DEFAULT_MAX_RESPONSE_BYTES,
            Scrubber::new(),
        )
    }

    /// A cache whose token requests carry the client's `User-Agent` and body cap, like every other
    /// request of the client, and whose secrets and tokens the client's scrubber knows.
    pub(crate) fn for_client(
        source: Arc<dyn TokenSource>,
        transport: Arc<dyn Transport>,
        config: TokenCacheConfig,
        clock: SharedClock,
        user_agent: HeaderValue,
        max_response_bytes: usize,
        scrubber: Scrubber,
    ) -> Self {
        Self::build(
            source,
            transport,
            config,
            clock,
            Some(user_agent),
            max_response_bytes,
            scrubber,
        )
    }

    fn build(
        source: Arc<dyn TokenSource>,
        transport: Arc<dyn Transport>,
        config: TokenCacheConfig,
        clock: SharedClock,
        user_agent: Option<HeaderValue>,
        max_response_bytes: usize,
        scrubber: Scrubber,
    ) -> Self {
        let key = source.key();
        source.register_secrets(&scrubber);
        Self {
            inner: Arc::new(Inner {
                source,
                key,
                transport,
                clock,
                config,
                max_response_bytes,
                user_agent,
                scrubber,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// The key this cache's token is stored under.
    pub fn key(&self) -> &TokenKey {
        &self.inner.key
    }

    /// A usable token: from memory, from the store, or freshly fetched.
    ///
    /// # Errors
    ///
    /// [`Error::Authentication`] when the token endpoint refused, or the transport error, timeout or
    /// decode error of the fetch.
    pub async fn token(&self) -> Result<Arc<AccessToken>, Error> {
        self.cached_token().await.map(|c| c.token)
    }

    /// The `Authorization` value and the generation of a usable token. A fresh one is read under the
    /// lock without cloning the token itself: this runs before every authenticated request.
    pub(crate) async fn bearer(&self) -> Result<(Option<HeaderValue>, u64), Error> {
        if let Some(fresh) = self.fresh_bearer() {
            return Ok(fresh);
        }
        self.cached_token()
            .await
            .map(|cached| (cached.bearer, cached.generation))
    }

    /// What [`bearer`](Self::bearer) returns when a fresh token is in memory, without a future:
    /// the client's common case, checked before it makes one.
    pub(crate) fn fresh_bearer(&self) -> Option<(Option<HeaderValue>, u64)> {
        let state = self.inner.lock();
        let current = state.current.as_ref()?;
        self.inner
            .is_fresh(current)
            .then(|| (current.bearer.clone(), current.generation))
    }

    pub(crate) async fn cached_token(&self) -> Result<CachedToken, Error> {
        let fetch = {
            let mut state = self.inner.lock();
            if let Some(current) = &state.current
                && self.inner.is_fresh(current)
            {
                return Ok(current.clone());
            }
            match &state.inflight {
                Some(fetch) => fetch.clone(),
                None => {
                    let inner = self.inner.clone();
                    let fetch = async move { inner.load().await }.boxed().shared();
                    state.inflight = Some(fetch.clone());
                    fetch
                }
            }
        };
        fetch.await
    }

    /// Forgets the token of `generation` (the one the API just refused), in memory and in the store.
    /// A newer token, fetched meanwhile by another caller, is kept.
    pub(crate) async fn invalidate_generation(&self, generation: u64) {
        let dropped = {
            let mut state = self.inner.lock();
            match &state.current {
                Some(current) if current.generation == generation => {
                    state.current.take().map(|c| c.token)
                }
                _ => None,
            }
        };
        if let Some(refused) = dropped
            && let Some(store) = &self.inner.config.store
            && let Err(err) = store.remove_refused(&self.inner.key, &refused).await
        {
            tracing::warn!(error = %err, "could not remove a refused token from the token store");
        }
    }

    /// Forgets the current token, in memory and in the store; the next call fetches a new one.
    pub async fn invalidate(&self) {
        self.inner.lock().current = None;
        self.remove_from_store().await;
    }

    async fn remove_from_store(&self) {
        if let Some(store) = &self.inner.config.store
            && let Err(err) = store.remove(&self.inner.key).await
        {
            tracing::warn!(error = %err, "could not remove a refused token from the token store");
        }
    }
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `cached` may be served without a refresh.
    fn is_fresh(&self, cached: &CachedToken) -> bool {
        match cached.refresh_at {
            Some(at) => self.clock.now() < at,
            None => true,
        }
    }

    /// When to refresh a token expiring at `expires_at`: the buffer plus 0–50 % jitter before it, but
    /// never more than half the token's remaining life before it (short-lived tokens stay useful).
    fn refresh_at(&self, token: &AccessToken, now: SystemTime) -> Option<SystemTime> {
        let expires_at = token.expires_at?;
        let life = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
        let jittered = self.config.refresh_buffer.as_secs_f64() * (1.0 + fastrand::f64() * 0.5);
        let buffer = Duration::try_from_secs_f64(jittered).unwrap_or(self.config.refresh_buffer);
        expires_at.checked_sub(buffer.min(life / 2))
    }

    async fn load(self: Arc<Self>) -> Result<CachedToken, Error> {
        let result = self.load_token().await;
        let mut state = self.lock();
        state.inflight = None;
        match result {
            Ok(token) => {
                self.scrubber.add_rotating(token.secret.expose_secret());
                state.generation += 1;
                let now = self.clock.now();
                let cached = CachedToken {
                    refresh_at: self.refresh_at(&token, now),
                    bearer: bearer_header(&token),
                    token: Arc::new(token),
                    generation: state.generation,
                };
                state.current = Some(cached.clone());
                Ok(cached)
            }
            Err(err) => {
                // An early refresh that failed must not fail calls while the old token still works:
                // keep serving it, and try again a little later rather than on every call.
                let now = self.clock.now();
                if let Some(current) = state.current.as_mut()
                    && current.token.is_fresh(now, Duration::ZERO)
                {
                    let remaining = current.token.remaining(now).unwrap_or(Duration::ZERO);
                    current.refresh_at = now.checked_add(RETRY_REFRESH_AFTER.min(remaining / 2));
                    tracing::warn!(error = %err, ?remaining, "token refresh failed; using the current token meanwhile");
                    return Ok(current.clone());
                }
                Err(err)
            }
        }
    }

    /// The token from the store, or fetched. With a store shared between processes, only the holder
    /// of the store's refresh lock fetches; the others poll the store until its token appears, trying
    /// the lock again on each round (so a crashed holder is replaced as soon as its lock expires).
    async fn load_token(&self) -> Result<AccessToken, Error> {
        let Some(store) = &self.config.store else {
            return self.fetch().await;
        };
        let ttl = self.config.refresh_lock_ttl;
        // Past this, stop waiting for others and fetch: a wedged store must not wedge the client.
        let deadline = tokio::time::Instant::now() + ttl * 2;
        let mut backoff = Duration::from_millis(20);
        loop {
            match self.load_from_store(store.as_ref()).await {
                Ok(Some(token)) => return Ok(token),
                Ok(None) => {}
                Err(()) => return self.fetch_and_save(store.as_ref()).await,
            }
            let lock = match store.lock_refresh(&self.key, ttl).await {
                Ok(lock) => lock,
                Err(err) => {
                    tracing::warn!(error = %err, "token store lock unavailable; fetching a new token");
                    return self.fetch_and_save(store.as_ref()).await;
                }
            };
            if lock.may_fetch() {
                // The previous holder may have written a token between our read and our lock.
                if lock.is_shared()
                    && let Ok(Some(token)) = self.load_from_store(store.as_ref()).await
                {
                    lock.release().await;
                    return Ok(token);
                }
                let result = self.fetch_and_save(store.as_ref()).await;
                lock.release().await;
                return result;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                tracing::debug!("gave up waiting for another process's token; fetching");
                return self.fetch_and_save(store.as_ref()).await;
            }
            tokio::time::sleep(backoff.min(deadline - now)).await;
            backoff = (backoff * 2).min(Duration::from_millis(200));
        }
    }

    /// A fresh token from the store; `Err` when the store failed (already logged).
    async fn load_from_store(&self, store: &dyn TokenStore) -> Result<Option<AccessToken>, ()> {
        match store.load(&self.key).await {
            // A token close to expiry is never served from a store.
            Ok(Some(token)) if token.is_fresh(self.clock.now(), self.config.refresh_buffer) => {
                tracing::debug!("token loaded from the token store");
                Ok(Some(token))
            }
            Ok(_) => Ok(None),
            Err(err) => {
                tracing::warn!(error = %err, "token store unavailable; fetching a new token");
                Err(())
            }
        }
    }

    async fn fetch_and_save(&self, store: &dyn TokenStore) -> Result<AccessToken, Error> {
        let token = self.fetch().await?;
        if let Err(err) = store.save(&self.key, &token).await {
            tracing::warn!(error = %err, "could not save the token to the token store");
        }
        Ok(token)
    }

    async fn fetch(&self) -> Result<AccessToken, Error> {
        use tracing::Instrument as _;
        let span = tracing::debug_span!("token_fetch", token_url = %self.key.token_url(), attempt = tracing::field::Empty);
        self.fetch_attempts(span.clone())
            .instrument(span)
            .await
            .map_err(|err| self.scrubber.scrub_error(err))
    }

    async fn fetch_attempts(&self, span: tracing::Span) -> Result<AccessToken, Error> {
        let started = tokio::time::Instant::now();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            span.record("attempt", attempts);
            let mut request = self.source.token_request()?;
            if let Some(user_agent) = &self.user_agent {
                request
                    .headers_mut()
                    .entry(header::USER_AGENT)
                    .or_insert_with(|| user_agent.clone());
            }
            let sent = tokio::time::timeout(
                self.config.attempt_timeout,
                self.transport.send(request, self.max_response_bytes),
            )
            .await;
            let outcome = match &sent {
                Err(_) => AttemptOutcome::TimedOut,
                Ok(Err(err)) => retry::outcome_of_transport_error(err),
                Ok(Ok(response)) => AttemptOutcome::Status {
                    status: response.status(),
                    retry_after: retry::retry_after_from_headers(
                        response.headers(),
                        self.clock.now(),
                    ),
                },
            };
            let ctx = RetryContext {
                idempotent: true, // asking for a token twice is harmless
                has_idempotency_key: false,
                attempts,
                elapsed: started.elapsed(),
                jitter: fastrand::f64(),
            };
            match retry::decide(&self.config.retry, &ctx, &outcome) {
                RetryDecision::RetryAfter(wait) => {
                    tracing::debug!(?wait, "retrying the token request");
                    tokio::time::sleep(wait).await;
                    continue;
                }
                RetryDecision::Stop(_) => {}
            }
            let response = match sent {
                Err(_) => {
                    return Err(auth_error(
                        "the token request timed out",
                        None,
                        Some(Error::Timeout {
                            phase: TimeoutPhase::Attempt,
                            after: self.config.attempt_timeout,
                            delivery: Default::default(),
                        }),
                    ));
                }
                Ok(Err(err)) => {
                    return Err(auth_error(
                        "the token request failed",
                        None,
                        Some(Error::Transport(err)),
                    ));
                }
                Ok(Ok(response)) => response,
            };
            if !response.status().is_success() {
                let api = oauth_api_error(&response);
                let message = format!(
                    "the token endpoint answered HTTP {}{}",
                    response.status().as_u16(),
                    api.code
                        .as_ref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                );
                return Err(auth_error(&message, Some(api), None));
            }
            return self
                .source
                .parse_token(&response, self.clock.now())
                .map_err(|e| auth_error("the token response could not be read", None, Some(e)));
        }
    }
}

fn auth_error(message: &str, api: Option<ApiError>, source: Option<Error>) -> Error {
    Error::Authentication {
        message: message.to_owned(),
        api: api.map(Box::new),
        source: source.map(|e| Arc::new(e) as crate::error::BoxError),
    }
}

/// Parses an OAuth2 error body `{error, error_description}` (RFC 6749 §5.2), or any JSON with
/// `message`/`name`, into an [`ApiError`].
pub fn oauth_api_error(response: &HttpResponse) -> ApiError {
    let body = response.body();
    let mut api = ApiError::new(
        response.status(),
        String::from_utf8_lossy(body).into_owned(),
    );
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        api.code = text("error").or_else(|| text("name"));
        api.message = text("error_description").or_else(|| text("message"));
        api.request_id = text("debug_id");
    }
    api
}
