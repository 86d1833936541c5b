//! Fleet scale: state shared through Redis by every process of a partner integration.
//!
//! One process needs none of this: its [`TokenCache`](crate::auth::TokenCache) fetches one token
//! and its [`GcraRateLimiter`](crate::rate_limit::GcraRateLimiter) keeps it inside the provider's
//! budget. A fleet of workers does: each would otherwise fetch its own token (a token storm at every
//! deploy and every expiry) and spend the whole budget on its own (429s, since providers count per
//! partner, not per process).
//!
//! - [`RedisTokenStore`]: a [`TokenStore`](crate::auth::TokenStore) whose refresh lock makes exactly
//!   one process fetch a new token while the others wait for it and read it;
//! - [`RedisRateLimiter`]: a [`RateLimiter`](crate::rate_limit::RateLimiter) running GCRA inside
//!   Redis, so the processes sharing a key stay within the budget together;
//! - [`RedisReplayStore`]: a [`ReplayStore`](crate::replay::ReplayStore) with which a fleet accepts
//!   each webhook delivery once (an outage refuses deliveries rather than risk a replay);
//! - [`RedisConnection`]: the auto-reconnecting connection they use, which may be shared.
//!
//! Redis is never a reason for a request to fail: when it is down, commands fail fast, the token
//! cache keeps its in-memory token (fetching its own when it must), the limiter paces with a local
//! GCRA, one warning is logged per outage, and sharing resumes when Redis answers again.
//!
//! ```no_run
//! use std::sync::Arc;
//! use partner_core::auth::{ClientCredentials, EncryptionKey, TokenCacheConfig};
//! use partner_core::rate_limit::Quota;
//! use partner_core::redis::{RedisConnection, RedisRateLimiter, RedisTokenStore};
//! use partner_core::ApiClient;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let redis = RedisConnection::connect(&std::env::var("REDIS_URL")?).await?;
//! let key = EncryptionKey::from_base64(&std::env::var("TOKEN_CACHE_KEY")?)?;
//! let store = RedisTokenStore::new(redis.clone()).namespace("billing-sync").encryption_key(&key);
//! let limiter = RedisRateLimiter::new(redis, "pax8:partner-123", Quota::per_minute(1000));
//!
//! let token_url = "https://api.pax8.com/v1/token".parse()?;
//! let source = ClientCredentials::json_body(token_url, "client-id", "secret".into());
//! let client = ApiClient::builder("billing-sync/1.0")
//!     .auth_origin("https://api.pax8.com".parse()?)
//!     .oauth2(Arc::new(source), TokenCacheConfig::default().with_store(Arc::new(store)))
//!     .rate_limiter(Arc::new(limiter))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```

mod connection;
mod rate_limiter;
mod refresh_lock;
mod replay_store;
mod token_store;

pub use connection::{RedisConnection, RedisOptions};
pub use rate_limiter::RedisRateLimiter;
pub use replay_store::RedisReplayStore;
pub use token_store::{DEFAULT_NAMESPACE, RedisTokenStore};
