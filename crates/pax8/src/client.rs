//! [`Client`] and [`ClientBuilder`]: credentials, hosts, token cache, rate limit, retries.

use std::fmt;
#[cfg(feature = "file-store")]
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use partner_core::auth::{ClientCredentials, TokenCacheConfig, TokenStore};
#[cfg(feature = "file-store")]
use partner_core::auth::{EncryptedFileTokenStore, EncryptionKey, FileTokenStore};
use partner_core::base_url::{parse_base_url, parse_url};
use partner_core::clock::SharedClock;
use partner_core::path::{Segment, join_path};
use partner_core::rate_limit::{GcraRateLimiter, Quota, RateLimiter};
use partner_core::transport::Transport;
use partner_core::url::Url;
use partner_core::{ApiClient, Error, RetryPolicy, SecretString, Timeouts};

use crate::error::Pax8ErrorParser;

/// The partner REST API.
pub const DEFAULT_BASE_URL: &str = "https://api.pax8.com/v1/";
/// The webhooks API (note the `/api` prefix).
pub const DEFAULT_WEBHOOKS_BASE_URL: &str = "https://api.pax8.com/api/v2/";
/// The current token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://api.pax8.com/v1/token";
/// The audience of the current token endpoint (partner, quoting and webhooks APIs).
pub const DEFAULT_AUDIENCE: &str = "https://api.pax8.com";
/// The legacy token endpoint, still used by older integrations.
pub const LEGACY_TOKEN_URL: &str = "https://login.pax8.com/oauth/token";
/// The audience that goes with [`LEGACY_TOKEN_URL`].
pub const LEGACY_AUDIENCE: &str = "api://p8p.client";
/// The undocumented portal API (feature `experimental-portal`).
pub const DEFAULT_PORTAL_BASE_URL: &str = "https://app.pax8.com/p8p/api/v3/";
/// Pax8's documented budget: 1000 requests per minute.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 1000;

const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

struct Inner {
    api: ApiClient,
    base: Url,
    webhooks_base: Url,
    #[cfg_attr(not(feature = "experimental-portal"), allow(dead_code))]
    portal_base: Url,
}

/// A Pax8 Partner API client.
///
/// Cheap to clone: clones share the connection pool, the token cache and the rate limiter.
///
/// ```no_run
/// # async fn run() -> Result<(), pax8::Error> {
/// let client = pax8::Client::builder()
///     .client_id("my-client-id")
///     .client_secret("my-client-secret")
///     .build()?;
/// let page = client.companies().list().size(50).send().await?;
/// # let _ = page; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("webhooks_base_url", &self.inner.webhooks_base.as_str())
            .field("api", &self.inner.api)
            .finish()
    }
}

impl Client {
    /// A builder with the production endpoints.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The partner REST base URL (ends in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The webhooks API base URL (ends in `/`).
    pub fn webhooks_base_url(&self) -> &Url {
        &self.inner.webhooks_base
    }

    /// The engine underneath, for calls this crate does not cover yet (it authenticates, rate-limits
    /// and retries like every other call).
    pub fn api_client(&self) -> &ApiClient {
        &self.inner.api
    }

    pub(crate) fn api(&self) -> &ApiClient {
        &self.inner.api
    }

    /// The partner REST base + `segments` (ids checked and percent-encoded by [`join_path`]).
    pub(crate) fn rest_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.base, segments)?)
    }

    /// The webhooks API base + `segments`, as [`rest_url`](Self::rest_url).
    pub(crate) fn webhooks_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.webhooks_base, segments)?)
    }

    /// The portal base + `segments`, as [`rest_url`](Self::rest_url).
    #[cfg(feature = "experimental-portal")]
    pub(crate) fn portal_url(&self, segments: &[Segment<'_>]) -> Result<Url, Error> {
        Ok(join_path(&self.inner.portal_base, segments)?)
    }
}

/// Pax8's budget, 1000 requests per minute, as a quota: at most 1000 in any 60-second window.
pub fn default_quota() -> Quota {
    Quota::per_minute(DEFAULT_REQUESTS_PER_MINUTE)
}

enum RateLimit {
    Quota(Quota),
    Custom(Arc<dyn RateLimiter>),
    Off,
}

/// Builds a [`Client`].
///
/// Only the credentials are required. Defaults: the current token endpoint
/// ([`DEFAULT_TOKEN_URL`], audience [`DEFAULT_AUDIENCE`]), tokens cached in memory only, a client-side
/// rate limit of 1000 requests per minute, the core's retry policy (429 and 5xx retried, GETs and
/// DELETEs only after the request may have been applied), 60 s per attempt (large tenants' `/orders`
/// can take more than 30 s) and 180 s per call.
pub struct ClientBuilder {
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    token_url: String,
    audience: String,
    base_url: String,
    webhooks_base_url: Option<String>,
    portal_base_url: String,
    token_store: Option<Arc<dyn TokenStore>>,
    refresh_buffer: Option<Duration>,
    rate_limit: RateLimit,
    retry: Option<RetryPolicy>,
    timeouts: Timeouts,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<SharedClock>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            client_id: None,
            client_secret: None,
            token_url: DEFAULT_TOKEN_URL.into(),
            audience: DEFAULT_AUDIENCE.into(),
            base_url: DEFAULT_BASE_URL.into(),
            webhooks_base_url: None,
            portal_base_url: DEFAULT_PORTAL_BASE_URL.into(),
            token_store: None,
            refresh_buffer: None,
            rate_limit: RateLimit::Quota(default_quota()),
            retry: None,
            timeouts: Timeouts::default()
                .attempt(Duration::from_secs(60))
                .operation(Duration::from_secs(180)),
            transport: None,
            clock: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self
                    .client_secret
                    .as_ref()
                    .map(|_| partner_core::secret::Redacted),
            )
            .field("token_url", &self.token_url)
            .field("audience", &self.audience)
            .field("base_url", &self.base_url)
            .field("webhooks_base_url", &self.webhooks_base_url)
            .field("token_store", &self.token_store)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Reads `PAX8_CLIENT_ID`, `PAX8_CLIENT_SECRET` and, when set, `PAX8_BASE_URL`, `PAX8_TOKEN_URL`,
    /// `PAX8_WEBHOOKS_BASE_URL` and `PAX8_AUDIENCE`. Missing credentials are reported by
    /// [`build`](Self::build).
    ///
    /// A `PAX8_BASE_URL` without a path (`http://127.0.0.1:8080`) is taken as one server serving
    /// everything, as [`local_server`](Self::local_server) does; with a path (`…/v1/`) it is the REST
    /// base only.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut builder = Self::default();
        if let Some(id) = var("PAX8_CLIENT_ID") {
            builder = builder.client_id(id);
        }
        if let Some(secret) = var("PAX8_CLIENT_SECRET") {
            builder = builder.client_secret(secret);
        }
        if let Some(url) = var("PAX8_BASE_URL") {
            let root_only = Url::parse(url.trim()).is_ok_and(|u| u.path() == "/");
            builder = if root_only {
                builder.local_server(url)
            } else {
                builder.base_url(url)
            };
        }
        if let Some(url) = var("PAX8_TOKEN_URL") {
            builder = builder.token_url(url);
        }
        if let Some(url) = var("PAX8_WEBHOOKS_BASE_URL") {
            builder = builder.webhooks_base_url(url);
        }
        if let Some(audience) = var("PAX8_AUDIENCE") {
            builder = builder.audience(audience);
        }
        builder
    }

    /// The OAuth client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The OAuth client secret.
    pub fn client_secret(mut self, client_secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// The token endpoint (default [`DEFAULT_TOKEN_URL`]).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// The `audience` sent to the token endpoint (default [`DEFAULT_AUDIENCE`]).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = audience.into();
        self
    }

    /// Uses the legacy token endpoint [`LEGACY_TOKEN_URL`] with audience [`LEGACY_AUDIENCE`].
    pub fn legacy_auth(self) -> Self {
        self.token_url(LEGACY_TOKEN_URL).audience(LEGACY_AUDIENCE)
    }

    /// The partner REST base URL (default [`DEFAULT_BASE_URL`]): `https`, or plain `http` only to a
    /// loopback host (checked by [`build`](Self::build)).
    ///
    /// When the webhooks base URL is not set, a custom REST base keeps the webhooks API on the same
    /// server, never production: `…/v1/` gives `…/api/v2/` next to it, any other path gives
    /// `{origin}/api/v2/`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The webhooks API base URL (default [`DEFAULT_WEBHOOKS_BASE_URL`], or derived from a custom
    /// [`base_url`](Self::base_url)).
    pub fn webhooks_base_url(mut self, url: impl Into<String>) -> Self {
        self.webhooks_base_url = Some(url.into());
        self
    }

    /// The undocumented portal API base URL (default [`DEFAULT_PORTAL_BASE_URL`]).
    #[cfg(feature = "experimental-portal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "experimental-portal")))]
    pub fn portal_base_url(mut self, url: impl Into<String>) -> Self {
        self.portal_base_url = url.into();
        self
    }

    /// Points everything at one server (a local sandbox or a recording proxy): the token endpoint
    /// `{root}/v1/token`, the REST API `{root}/v1/`, the webhooks API `{root}/api/v2/` and the portal
    /// `{root}/p8p/api/v3/`.
    pub fn local_server(self, root: impl AsRef<str>) -> Self {
        let root = root.as_ref().trim_end_matches('/');
        let mut builder = self
            .token_url(format!("{root}/v1/token"))
            .base_url(format!("{root}/v1/"))
            .webhooks_base_url(format!("{root}/api/v2/"));
        builder.portal_base_url = format!("{root}/p8p/api/v3/");
        builder
    }

    /// Persists tokens in `store` (tokens live 24 h: a store lets short-lived processes share one).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Persists tokens as plain files (mode 0600 on Unix) under `dir`, named by a hash of the token URL
    /// and client id.
    #[cfg(feature = "file-store")]
    #[cfg_attr(docsrs, doc(cfg(feature = "file-store")))]
    pub fn token_cache_file(self, dir: impl Into<PathBuf>) -> Self {
        self.token_store(Arc::new(FileTokenStore::new(dir)))
    }

    /// Persists tokens encrypted (XChaCha20-Poly1305, keyed by `key`) under `dir`.
    #[cfg(feature = "file-store")]
    #[cfg_attr(docsrs, doc(cfg(feature = "file-store")))]
    pub fn encrypted_token_cache_file(self, dir: impl Into<PathBuf>, key: &EncryptionKey) -> Self {
        self.token_store(Arc::new(EncryptedFileTokenStore::new(dir, key)))
    }

    /// Refreshes tokens this long (plus jitter) before they expire (default 60 s).
    pub fn token_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.refresh_buffer = Some(buffer);
        self
    }

    /// Sets the client-side rate limit (default 1000 per minute, shared by all clones).
    pub fn rate_limit(mut self, quota: Quota) -> Self {
        self.rate_limit = RateLimit::Quota(quota);
        self
    }

    /// Uses `limiter` (for example one shared with other clients of the same Pax8 account).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limit = RateLimit::Custom(limiter);
        self
    }

    /// Turns the client-side rate limit off (Pax8 still answers 429 beyond its budget).
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimit::Off;
        self
    }

    /// Sets the retry policy (also used for the token request).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Uses `transport` instead of the default one.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sets the wall clock used for token expiry (tests use `partner_core::clock::ManualClock`).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the field when the credentials are missing or a URL is invalid:
    /// not `https` (plain `http` is allowed only to a loopback host), or with a user name, password,
    /// query or fragment.
    pub fn build(self) -> Result<Client, Error> {
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::invalid_input("client_id", "is required"))?;
        let client_secret = self
            .client_secret
            .filter(|s| {
                !partner_core::ExposeSecret::expose_secret(s)
                    .trim()
                    .is_empty()
            })
            .ok_or_else(|| Error::invalid_input("client_secret", "is required"))?;
        // The secret goes to the token URL and the bearer token to every base: each must be https
        // (or http to loopback), without user:pass@, a query or a fragment.
        let token_url = parse_url("token_url", &self.token_url)?;
        let base = parse_base_url("base_url", &self.base_url)?;
        let webhooks_base = match &self.webhooks_base_url {
            Some(url) => parse_base_url("webhooks_base_url", url)?,
            None => default_webhooks_base(&base),
        };
        let portal_base = parse_base_url("portal_base_url", &self.portal_base_url)?;
        if self.audience.trim().is_empty() {
            return Err(Error::invalid_input("audience", "must not be empty"));
        }

        let source = ClientCredentials::json_body(token_url, client_id, client_secret)
            .with_param("audience", self.audience);
        let mut config = TokenCacheConfig::default();
        if let Some(store) = self.token_store {
            config = config.with_store(store);
        }
        if let Some(buffer) = self.refresh_buffer {
            config = config.with_refresh_buffer(buffer);
        }

        let mut api = ApiClient::builder(USER_AGENT)
            .auth_origin(base.clone())
            .auth_origin(webhooks_base.clone())
            .oauth2(Arc::new(source), config)
            .error_parser(Arc::new(Pax8ErrorParser))
            .timeouts(self.timeouts);
        if cfg!(feature = "experimental-portal") {
            api = api.auth_origin(portal_base.clone());
        }
        api = match self.rate_limit {
            RateLimit::Quota(quota) => api.rate_limiter(Arc::new(GcraRateLimiter::new(quota))),
            RateLimit::Custom(limiter) => api.rate_limiter(limiter),
            RateLimit::Off => api,
        };
        if let Some(retry) = self.retry {
            api = api.retry_policy(retry);
        }
        if let Some(transport) = self.transport {
            api = api.transport(transport);
        }
        if let Some(clock) = self.clock {
            api = api.clock(clock);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                api: api.build()?,
                base,
                webhooks_base,
                portal_base,
            }),
        })
    }
}

/// The webhooks base that goes with a REST base: production's for production's; for any other base,
/// the same server, never production (whose origin would then also be trusted with the token):
/// `…/v1/` gives `…/api/v2/` next to it (a proxy or mock mounted under a prefix), any other path
/// gives `{origin}/api/v2/`.
fn default_webhooks_base(base: &Url) -> Url {
    if base.as_str() == DEFAULT_BASE_URL {
        return Url::parse(DEFAULT_WEBHOOKS_BASE_URL).expect("constant URL");
    }
    let prefix = base.path().strip_suffix("/v1/").unwrap_or("");
    let mut url = base.clone();
    url.set_path(&format!("{prefix}/api/v2/"));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_get_a_trailing_slash_and_ids_are_encoded() {
        let base = parse_base_url("base_url", "http://127.0.0.1:9/v1").unwrap();
        assert_eq!(base.as_str(), "http://127.0.0.1:9/v1/");
        let url = join_path(
            &base,
            &[
                Segment::literal("companies"),
                Segment::id("company_id", "a/b c"),
                Segment::literal("contacts"),
            ],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/v1/companies/a%2Fb%20c/contacts"
        );
    }

    #[test]
    fn webhooks_base_follows_a_custom_base_never_production() {
        let cases = [
            (DEFAULT_BASE_URL, DEFAULT_WEBHOOKS_BASE_URL),
            (
                "http://127.0.0.1:9/pax8/v1/",
                "http://127.0.0.1:9/pax8/api/v2/",
            ),
            ("http://127.0.0.1:9/v1/", "http://127.0.0.1:9/api/v2/"),
            (
                "https://pax8.proxy.example/rest/",
                "https://pax8.proxy.example/api/v2/",
            ),
            (
                "https://pax8.proxy.example/",
                "https://pax8.proxy.example/api/v2/",
            ),
            (
                "https://pax8.proxy.example/xv1/",
                "https://pax8.proxy.example/api/v2/",
            ),
            ("https://api.pax8.com/v2/", "https://api.pax8.com/api/v2/"),
        ];
        for (base, expected) in cases {
            let base = parse_base_url("base_url", base).unwrap();
            assert_eq!(default_webhooks_base(&base).as_str(), expected, "{base}");
        }
    }

    #[test]
    fn urls_that_would_leak_credentials_are_refused() {
        let builder = || Client::builder().client_id("id").client_secret("s");
        // Pushed to when the portal is compiled in.
        #[cfg_attr(not(feature = "experimental-portal"), allow(unused_mut))]
        let mut cases = vec![
            (builder().base_url("http://api.example.com/v1/"), "base_url"),
            (
                builder().token_url("http://api.example.com/v1/token"),
                "token_url",
            ),
            (
                builder().webhooks_base_url("http://api.example.com/api/v2/"),
                "webhooks_base_url",
            ),
            (
                builder().base_url("https://u:p@api.example.com/v1/"),
                "base_url",
            ),
            (
                builder().token_url("https://api.example.com/v1/token?x=1"),
                "token_url",
            ),
        ];
        #[cfg(feature = "experimental-portal")]
        cases.push((
            builder().portal_base_url("http://app.example.com/p8p/api/v3/"),
            "portal_base_url",
        ));
        for (builder, field) in cases {
            match builder.build() {
                Err(Error::InvalidInput(input)) => assert_eq!(input.field, field, "{input}"),
                other => panic!("expected an invalid {field}, got {other:?}"),
            }
        }
    }

    #[test]
    fn missing_credentials_are_named() {
        let err = Client::builder().client_secret("s").build().unwrap_err();
        assert!(err.to_string().contains("client_id"), "{err}");
        let err = Client::builder().client_id("id").build().unwrap_err();
        assert!(err.to_string().contains("client_secret"), "{err}");
        let err = Client::builder()
            .client_id("id")
            .client_secret("s")
            .base_url("not a url")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("base_url"), "{err}");
    }
}
