//! [`TokenCache`]: an OAuth2 access token, kept in an [`ExpiringCache`], read from a
//! [`TokenStore`] or fetched through the client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use secrecy::ExposeSecret;

use super::expiring_cache::{Cached, ExpiringCache, Loaded};
use super::shared_store::SharedStore;
use super::source::{TokenSource, oauth_api_error};
use super::store::TokenStore;
use super::token::{AccessToken, TokenKey};
use crate::client::{ApiClient, Response};
use crate::error::{ApiError, Error};

/// Settings of a [`TokenCache`]. Token requests take their timeouts and retry policy from the
/// client, like every other request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenCacheConfig {
    /// Refresh this long before expiry, plus a random 0–50 % of it so that clients started together do
    /// not refresh together. Default 60 s.
    pub refresh_buffer: Duration,
    /// A persistent store behind the in-memory token (none by default).
    pub store: Option<Arc<dyn TokenStore>>,
    /// How long a process may hold a shared store's refresh lock (see [`TokenStore::lock_refresh`])
    /// before another may take over: the longest a crashed holder delays the others. Default 10 s.
    pub refresh_lock_ttl: Duration,
}

impl Default for TokenCacheConfig {
    fn default() -> Self {
        Self {
            refresh_buffer: Duration::from_secs(60),
            store: None,
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

    /// Sets how long a process may hold a shared store's refresh lock.
    pub fn with_refresh_lock_ttl(mut self, ttl: Duration) -> Self {
        self.refresh_lock_ttl = ttl.max(Duration::from_millis(1));
        self
    }
}

/// A token as requests use it.
#[derive(Clone)]
struct Bearer {
    token: Arc<AccessToken>,
    /// `Bearer <token>`, made once per token (`None` when the token is not a valid header value).
    header: Option<HeaderValue>,
}

impl Bearer {
    fn new(token: AccessToken) -> Self {
        let header = HeaderValue::try_from(format!("Bearer {}", token.secret.expose_secret()))
            .ok()
            .map(|mut value| {
                value.set_sensitive(true);
                value
            });
        Self {
            token: Arc::new(token),
            header,
        }
    }
}

struct Inner {
    source: Arc<dyn TokenSource>,
    key: TokenKey,
    /// Sends the token requests: the owning client's settings, without credentials.
    api: ApiClient,
    config: TokenCacheConfig,
    tokens: ExpiringCache<Bearer, Error>,
}

/// A single-flight, early-refreshing OAuth2 token cache, shared by all clones of a client.
///
/// - a fresh token is served from memory without any I/O;
/// - when there is none (or it is within the refresh buffer of expiry), exactly one fetch runs however
///   many callers ask at once; the others await it, and if it fails they all get its error, while
///   the next call tries again; a failed early refresh keeps serving the token that still works;
/// - a persistent [`TokenStore`] is consulted before fetching, and written after;
/// - the token request goes through the client's attempt steps: its transport, timeouts and retry
///   policy (asking for a token twice is harmless, so it is retried like a GET);
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
    /// A cache fetching from `source` through `api`, which sends the token requests without its
    /// own credentials (its transport, timeouts, retry policy, clock and body cap apply), and whose
    /// scrubber learns the source's secrets and every token fetched. [`ApiClientBuilder::oauth2`]
    /// makes one for its client.
    ///
    /// [`ApiClientBuilder::oauth2`]: crate::ApiClientBuilder::oauth2
    pub fn new(source: Arc<dyn TokenSource>, api: ApiClient, config: TokenCacheConfig) -> Self {
        let key = source.key();
        source.register_secrets(api.scrubber());
        let tokens = ExpiringCache::new(api.clock().clone());
        Self {
            inner: Arc::new(Inner {
                source,
                key,
                api,
                config,
                tokens,
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
        self.current().await.map(|cached| cached.value.token)
    }

    /// The `Authorization` value of a usable token, and its generation (for
    /// [`invalidate_generation`](Self::invalidate_generation)).
    pub(crate) async fn bearer(&self) -> Result<(Option<HeaderValue>, u64), Error> {
        let cached = self.current().await?;
        Ok((cached.value.header, cached.generation))
    }

    async fn current(&self) -> Result<Cached<Bearer>, Error> {
        let inner = self.inner.clone();
        self.inner.tokens.get(|| inner.load()).await
    }

    /// Forgets the token of `generation` (the one the API just refused), in memory and in the store.
    /// A newer token, fetched meanwhile by another caller, is kept.
    pub(crate) async fn invalidate_generation(&self, generation: u64) {
        let Some(refused) = self.inner.tokens.invalidate_generation(generation) else {
            return;
        };
        if let Some(store) = &self.inner.config.store
            && let Err(err) = store.remove_refused(&self.inner.key, &refused.token).await
        {
            tracing::warn!(error = %err, "could not remove a refused token from the token store");
        }
    }

    /// Forgets the current token, in memory and in the store; the next call fetches a new one.
    pub async fn invalidate(&self) {
        self.inner.tokens.invalidate();
        if let Some(store) = &self.inner.config.store
            && let Err(err) = store.remove(&self.inner.key).await
        {
            tracing::warn!(error = %err, "could not remove a refused token from the token store");
        }
    }
}

impl Inner {
    /// A token from the store or the token endpoint, with its refresh time.
    async fn load(self: Arc<Self>) -> Result<Loaded<Bearer>, Error> {
        let token = match &self.config.store {
            None => self.fetch().await?,
            Some(store) => {
                let shared = SharedStore {
                    store: store.as_ref(),
                    key: &self.key,
                    clock: self.api.clock(),
                    refresh_buffer: self.config.refresh_buffer,
                    lock_ttl: self.config.refresh_lock_ttl,
                };
                shared.load_or_fetch(|| self.fetch()).await?
            }
        };
        self.api
            .scrubber()
            .add_rotating(token.secret.expose_secret());
        Ok(Loaded {
            refresh_at: self.refresh_at(&token, self.api.clock().now()),
            expires_at: token.expires_at,
            value: Bearer::new(token),
        })
    }

    /// When to refresh a token: the buffer plus 0–50 % jitter before it expires, but never more
    /// than half the token's remaining life before (short-lived tokens stay useful).
    fn refresh_at(&self, token: &AccessToken, now: SystemTime) -> Option<SystemTime> {
        let expires_at = token.expires_at?;
        let life = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
        let jittered = self.config.refresh_buffer.as_secs_f64() * (1.0 + fastrand::f64() * 0.5);
        let buffer = Duration::try_from_secs_f64(jittered).unwrap_or(self.config.refresh_buffer);
        expires_at.checked_sub(buffer.min(life / 2))
    }

    /// Asks the token endpoint, through the client (retried as an idempotent request).
    async fn fetch(&self) -> Result<AccessToken, Error> {
        use tracing::Instrument as _;
        let span = tracing::debug_span!("token_fetch", token_url = %self.key.token_url());
        let request = self.source.token_request()?.without_auth().idempotent();
        let result = async {
            let response = self.api.execute_raw(request).await.map_err(failed_fetch)?;
            self.read_token(&response)
        }
        .instrument(span)
        .await;
        result.map_err(|err| self.api.scrubber().scrub_error(err))
    }

    /// The token of a 2xx answer; any other answer is the endpoint's refusal.
    fn read_token(&self, response: &Response) -> Result<AccessToken, Error> {
        if !response.status.is_success() {
            // The provider's parser gives its typed details; the OAuth reading fills what it left.
            let mut api = self.api.api_error_for(response);
            let oauth = oauth_api_error(response);
            api.code = api.code.or(oauth.code);
            api.message = api.message.or(oauth.message);
            api.request_id = api.request_id.or(oauth.request_id);
            let message = format!(
                "the token endpoint answered HTTP {}{}",
                response.status.as_u16(),
                api.code
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            );
            return Err(auth_error(&message, Some(api), None));
        }
        self.source
            .parse_token(response, self.api.clock().now())
            .map_err(|e| auth_error("the token response could not be read", None, Some(e)))
    }
}

/// A token request that got no answer is an authentication failure caused by it; a request that
/// could not be sent at all stays the input error it is.
fn failed_fetch(err: Error) -> Error {
    match err {
        Error::InvalidInput(_) => err,
        Error::Timeout { .. } => auth_error("the token request timed out", None, Some(err)),
        _ => auth_error("the token request failed", None, Some(err)),
    }
}

fn auth_error(message: &str, api: Option<ApiError>, source: Option<Error>) -> Error {
    Error::Authentication {
        message: message.to_owned(),
        api: api.map(Box::new),
        source: source.map(|e| Arc::new(e) as crate::error::BoxError),
    }
}
