//! [`ClientConfig`]: the settings every provider client has, held once.
//!
//! Each provider's `ClientBuilder` embeds one `ClientConfig` and invokes [`client_settings!`] (and,
//! for OAuth providers, [`token_store_settings!`]) inside its `impl`, so the same settings exist in
//! every crate with the same names, types and documentation, and none is forwarded by hand:
//!
//! ```
//! use partner_core::config::ClientConfig;
//! use partner_core::rate_limit::Quota;
//!
//! /// A provider's builder.
//! #[derive(Debug, Default)]
//! pub struct ClientBuilder {
//!     config: ClientConfig,
//!     api_key: Option<String>,
//! }
//!
//! impl ClientBuilder {
//!     partner_core::client_settings!(config);
//! }
//!
//! let builder = ClientBuilder::default()
//!     .rate_limit(Quota::per_minute(100))
//!     .user_agent("billing-sync/2.1");
//! let api = builder.config.api_client_builder("my-provider/0.1.0").build().unwrap();
//! # let _ = (api, builder.api_key);
//! ```
//!
//! [`client_settings!`]: crate::client_settings
//! [`token_store_settings!`]: crate::token_store_settings

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{TokenCacheConfig, TokenStore};
use crate::client::{ApiClient, ApiClientBuilder, Timeouts};
use crate::clock::SharedClock;
use crate::rate_limit::{GcraRateLimiter, Quota, RateLimiter};
use crate::retry::RetryPolicy;
use crate::transport::Transport;

/// The client-side rate limit a client applies before sending.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// No client-side limit (the provider's 429s are still honoured).
    #[default]
    Off,
    /// At most this many requests, in this process.
    Quota(Quota),
    /// A limiter of the caller's (shared between clients, or across a fleet with Redis).
    Limiter(Arc<dyn RateLimiter>),
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Off => f.write_str("Off"),
            RateLimit::Quota(quota) => f.debug_tuple("Quota").field(quota).finish(),
            RateLimit::Limiter(limiter) => f.debug_tuple("Limiter").field(limiter).finish(),
        }
    }
}

/// The settings every provider client shares: transport, timeouts, retries, rate limit, clock,
/// response cap, user agent and, for OAuth providers, where tokens are kept.
///
/// A provider sets its own defaults with the same setters (Pax8's 1000 requests a minute, say); the
/// caller's settings replace them.
#[derive(Clone, Default)]
pub struct ClientConfig {
    transport: Option<Arc<dyn Transport>>,
    timeouts: Option<Timeouts>,
    retry: Option<RetryPolicy>,
    rate_limit: RateLimit,
    clock: Option<SharedClock>,
    max_response_bytes: Option<usize>,
    user_agent: Option<String>,
    token_store: Option<Arc<dyn TokenStore>>,
    token_refresh_buffer: Option<Duration>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("transport", &self.transport)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("token_store", &self.token_store)
            .field("token_refresh_buffer", &self.token_refresh_buffer)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// Sets the per-attempt and per-call timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Limits this client to `quota`, in this process.
    pub fn rate_limit(mut self, quota: Quota) -> Self {
        self.rate_limit = RateLimit::Quota(quota);
        self
    }

    /// Makes every request wait for `limiter`.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limit = RateLimit::Limiter(limiter);
        self
    }

    /// Applies no client-side rate limit.
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimit::Off;
        self
    }

    /// Sends through `transport` instead of the default.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sets the wall clock.
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Caps response bodies.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Appends `suffix` to the `User-Agent`.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    /// Persists tokens in `store`.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Refreshes tokens this long (plus jitter) before they expire.
    pub fn token_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.token_refresh_buffer = Some(buffer);
        self
    }

    /// The rate limit that will apply.
    pub fn rate_limit_setting(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The clock set, if any.
    pub fn clock_setting(&self) -> Option<&SharedClock> {
        self.clock.as_ref()
    }

    /// The transport set, if any.
    pub fn transport_setting(&self) -> Option<&Arc<dyn Transport>> {
        self.transport.as_ref()
    }

    /// The retry policy set, if any.
    pub fn retry_setting(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The user-agent suffix set, if any.
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    /// The `User-Agent` for a crate whose own agent is `base` (`pax8/0.1.0`): `base`, then the
    /// caller's suffix after a space.
    pub fn user_agent_for(&self, base: &str) -> String {
        match &self.user_agent {
            Some(suffix) => format!("{base} {suffix}"),
            None => base.to_owned(),
        }
    }

    /// A core builder with every setting applied, for a crate whose own agent is `user_agent`. The
    /// provider adds its authentication, error parser and origins.
    pub fn api_client_builder(&self, user_agent: &str) -> ApiClientBuilder {
        let mut builder = ApiClient::builder(self.user_agent_for(user_agent));
        if let Some(transport) = &self.transport {
            builder = builder.transport(transport.clone());
        }
        if let Some(timeouts) = self.timeouts {
            builder = builder.timeouts(timeouts);
        }
        if let Some(retry) = &self.retry {
            builder = builder.retry_policy(retry.clone());
        }
        if let Some(limiter) = self.make_rate_limiter() {
            builder = builder.rate_limiter(limiter);
        }
        if let Some(clock) = &self.clock {
            builder = builder.clock(clock.clone());
        }
        if let Some(max) = self.max_response_bytes {
            builder = builder.max_response_bytes(max);
        }
        builder
    }

    /// The limiter the rate-limit setting makes, if any.
    pub fn make_rate_limiter(&self) -> Option<Arc<dyn RateLimiter>> {
        match &self.rate_limit {
            RateLimit::Off => None,
            RateLimit::Quota(quota) => Some(Arc::new(GcraRateLimiter::new(*quota))),
            RateLimit::Limiter(limiter) => Some(limiter.clone()),
        }
    }

    /// The token cache settings: the store and refresh buffer set here over the core's defaults.
    pub fn token_cache_config(&self) -> TokenCacheConfig {
        let mut config = TokenCacheConfig::default();
        if let Some(store) = &self.token_store {
            config = config.with_store(store.clone());
        }
        if let Some(buffer) = self.token_refresh_buffer {
            config = config.with_refresh_buffer(buffer);
        }
        config
    }
}

/// The common client settings as one-line setters of a provider's `ClientBuilder`, which holds a
/// [`ClientConfig`] in the field named here. See the [module docs](crate::config).
#[macro_export]
macro_rules! client_settings {
    ($config:ident) => {
        /// The timeouts per attempt and per call (see `partner_core::Timeouts`).
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.$config = self.$config.timeouts(timeouts);
            self
        }

        /// The retry policy. Whatever is given, a request that may have been applied is repeated
        /// only when it is idempotent (by method, or by its idempotency key).
        pub fn retry_policy(mut self, retry: $crate::RetryPolicy) -> Self {
            self.$config = self.$config.retry_policy(retry);
            self
        }

        /// Limits this client to `quota`, in this process (see [`rate_limiter`](Self::rate_limiter)
        /// to share one budget).
        pub fn rate_limit(mut self, quota: $crate::rate_limit::Quota) -> Self {
            self.$config = self.$config.rate_limit(quota);
            self
        }

        /// Makes every request wait for `limiter`: one shared between clients, or across a fleet
        /// (`partner_core::redis::RedisRateLimiter`).
        pub fn rate_limiter(
            mut self,
            limiter: ::std::sync::Arc<dyn $crate::rate_limit::RateLimiter>,
        ) -> Self {
            self.$config = self.$config.rate_limiter(limiter);
            self
        }

        /// Applies no client-side rate limit (the provider's 429s are still honoured).
        pub fn without_rate_limit(mut self) -> Self {
            self.$config = self.$config.without_rate_limit();
            self
        }

        /// Sends through `transport` instead of the default (reqwest with rustls).
        pub fn transport(
            mut self,
            transport: ::std::sync::Arc<dyn $crate::transport::Transport>,
        ) -> Self {
            self.$config = self.$config.transport(transport);
            self
        }

        /// The wall clock (token expiry, signatures, `Retry-After` dates); tests use
        /// `partner_core::clock::ManualClock`.
        pub fn clock(mut self, clock: $crate::clock::SharedClock) -> Self {
            self.$config = self.$config.clock(clock);
            self
        }

        /// Caps response bodies (default 16 MiB); a larger body is an error.
        pub fn max_response_bytes(mut self, max: usize) -> Self {
            self.$config = self.$config.max_response_bytes(max);
            self
        }

        /// Appends `suffix` (your application's `name/version`) to the `User-Agent`.
        pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
            self.$config = self.$config.user_agent(suffix);
            self
        }
    };
}

/// The token-store settings of an OAuth provider's `ClientBuilder`, which holds a [`ClientConfig`]
/// in the field named here. The file stores exist under the calling crate's `file-store` feature.
#[macro_export]
macro_rules! token_store_settings {
    ($config:ident) => {
        /// Persists tokens in `store`, so that short-lived processes share one token (a file, an
        /// encrypted file, or Redis for a fleet).
        pub fn token_store(
            mut self,
            store: ::std::sync::Arc<dyn $crate::auth::TokenStore>,
        ) -> Self {
            self.$config = self.$config.token_store(store);
            self
        }

        /// Refreshes tokens this long (plus jitter) before they expire (default 60 s).
        pub fn token_refresh_buffer(mut self, buffer: ::std::time::Duration) -> Self {
            self.$config = self.$config.token_refresh_buffer(buffer);
            self
        }

        /// Persists tokens as plain files (mode 0600 on Unix) under `dir`, named by a hash of the
        /// token URL and client id.
        #[cfg(feature = "file-store")]
        #[cfg_attr(docsrs, doc(cfg(feature = "file-store")))]
        pub fn token_cache_file(self, dir: impl Into<::std::path::PathBuf>) -> Self {
            self.token_store(::std::sync::Arc::new($crate::auth::FileTokenStore::new(
                dir,
            )))
        }

        /// Persists tokens encrypted (XChaCha20-Poly1305, keyed by `key`) under `dir`.
        #[cfg(feature = "file-store")]
        #[cfg_attr(docsrs, doc(cfg(feature = "file-store")))]
        pub fn encrypted_token_cache_file(
            self,
            dir: impl Into<::std::path::PathBuf>,
            key: &$crate::auth::EncryptionKey,
        ) -> Self {
            self.token_store(::std::sync::Arc::new(
                $crate::auth::EncryptedFileTokenStore::new(dir, key),
            ))
        }
    };
}
