//! [`RedisRateLimiter`]: one request budget shared by every process of a fleet.

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::error::Error;
use crate::rate_limit::{GcraRateLimiter, Quota, RateLimiter};

use super::RedisConnection;
use super::token_store::DEFAULT_NAMESPACE;

static GCRA: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(include_str!("gcra.lua")));

/// A [`RateLimiter`] whose budget lives in Redis, so every process using the same key stays, all
/// together, within the provider's quota ("1000 requests per minute per partner", not per process).
///
/// It runs the same GCRA as [`GcraRateLimiter`] (same [`Quota`] semantics: at most `max` in any
/// window of `per`, `burst` back to back, then one every `per / (max - burst + 1)`) in a Lua script
/// executed atomically by Redis (`EVALSHA`), on the Redis server's clock, so hosts with skewed clocks
/// agree. Each call reserves the next free slot and sleeps until it: callers wait, they never fail.
///
/// When Redis is unavailable, calls are paced by a local [`GcraRateLimiter`] (by default with the
/// same quota; give it a share of the budget with [`fallback_quota`](Self::fallback_quota)), and the
/// shared budget is used again as soon as Redis answers.
///
/// ```no_run
/// use std::sync::Arc;
/// use partner_core::rate_limit::Quota;
/// use partner_core::redis::RedisRateLimiter;
/// # async fn run() -> Result<(), partner_core::Error> {
/// let limiter = RedisRateLimiter::connect("redis://redis.internal:6379", "pax8:partner-123", Quota::per_minute(1000))
///     .await?
///     .fallback_quota(Quota::per_minute(1000 / 8)); // 8 workers share the budget during an outage
/// let builder = partner_core::ApiClient::builder("my-app/1.0").rate_limiter(Arc::new(limiter));
/// # let _ = builder; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisRateLimiter {
    connection: RedisConnection,
    /// `<namespace>:rate:<name>`.
    key: String,
    name: String,
    quota: Quota,
    local: GcraRateLimiter,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("connection", &self.connection)
            .field("key", &self.key)
            .field("quota", &self.quota)
            .field("fallback_quota", &self.local.quota())
            .finish()
    }
}

impl RedisRateLimiter {
    /// A limiter for the budget named `key` (`"pax8:partner-123"`: the provider and the account the
    /// provider counts against) on a new connection to `url`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not a Redis URL.
    pub async fn connect(url: &str, key: impl AsRef<str>, quota: Quota) -> Result<Self, Error> {
        Ok(Self::new(RedisConnection::connect(url).await?, key, quota))
    }

    /// The same on an existing connection.
    pub fn new(connection: RedisConnection, key: impl AsRef<str>, quota: Quota) -> Self {
        Self {
            connection,
            key: format!("{DEFAULT_NAMESPACE}:rate:{}", key.as_ref()),
            name: key.as_ref().to_owned(),
            quota,
            local: GcraRateLimiter::new(quota),
        }
    }

    /// Prefixes the Redis key with `namespace` instead of `partner`. Every process sharing a budget
    /// must use the same namespace and key.
    pub fn namespace(mut self, namespace: impl AsRef<str>) -> Self {
        self.key = format!("{}:rate:{}", namespace.as_ref(), self.name);
        self
    }

    /// The quota of the local limiter that paces this process while Redis is down: the fleet's quota
    /// divided by the number of processes keeps the fleet within budget during an outage.
    pub fn fallback_quota(mut self, quota: Quota) -> Self {
        self.local = GcraRateLimiter::new(quota);
        self
    }

    /// The shared quota.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// The Redis key holding the budget's state.
    pub fn redis_key(&self) -> &str {
        &self.key
    }

    /// The connection.
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }

    /// Reserves the next slot of the shared budget: how long to wait for it.
    async fn reserve(&self) -> Result<Duration, crate::auth::StoreError> {
        let interval = self.quota.emission_interval();
        let interval_us = micros(interval).max(1);
        let tolerance_us = micros(interval * (self.quota.burst() - 1));
        let key = self.key.as_str();
        let wait_us = self
            .connection
            .run(|mut conn| async move {
                GCRA.key(key)
                    .arg(interval_us)
                    .arg(tolerance_us)
                    .invoke_async::<i64>(&mut conn)
                    .await
            })
            .await?;
        Ok(Duration::from_micros(u64::try_from(wait_us).unwrap_or(0)))
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl RateLimiter for RedisRateLimiter {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        async move {
            match self.reserve().await {
                Ok(wait) if wait.is_zero() => {}
                Ok(wait) => tokio::time::sleep(wait).await,
                Err(_) => self.local.acquire().await,
            }
        }
        .boxed()
    }
}
