//! One auto-reconnecting Redis connection with short timeouts and an outage breaker.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::auth::StoreError;
use crate::error::Error;

/// Settings of a [`RedisConnection`]. The defaults favour degrading fast over waiting for Redis: a
/// request never waits more than about [`command_timeout`](Self::command_timeout) for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedisOptions {
    /// Timeout of opening a TCP connection to Redis. Default 500 ms.
    pub connect_timeout: Duration,
    /// Timeout of one command, reconnection included. Default 500 ms.
    pub command_timeout: Duration,
    /// After a failure, Redis is left alone (the local fallbacks serve) for this long before one
    /// request probes it again. Default 1 s.
    pub retry_interval: Duration,
}

impl Default for RedisOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_millis(500),
            command_timeout: Duration::from_millis(500),
            retry_interval: Duration::from_secs(1),
        }
    }
}

impl RedisOptions {
    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the per-command timeout.
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// Sets how long to wait after a failure before probing Redis again.
    pub fn retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval;
        self
    }
}

/// A shared, auto-reconnecting connection to one Redis server (a multiplexed connection behind
/// [`redis`]'s `ConnectionManager`), cheap to clone.
///
/// Share one between a [`RedisTokenStore`](super::RedisTokenStore) and a
/// [`RedisRateLimiter`](super::RedisRateLimiter) to use a single socket. Every command is bounded by
/// [`RedisOptions::command_timeout`]; after a failure, Redis is marked unavailable (one warning per
/// outage), commands fail at once without touching the network, and one probe every
/// [`RedisOptions::retry_interval`] finds out when it is back (then one info line is logged).
///
/// `Debug` shows the URL with its password redacted.
#[derive(Clone)]
pub struct RedisConnection {
    inner: Arc<Inner>,
}

struct Inner {
    manager: ConnectionManager,
    /// The URL with any password replaced, for logs and `Debug`.
    display_url: String,
    options: RedisOptions,
    health: Mutex<Health>,
}

#[derive(Default)]
struct Health {
    /// Since when Redis is unavailable, if it is.
    down_since: Option<Instant>,
    /// When the next probe may run.
    probe_at: Option<Instant>,
}

impl fmt::Debug for RedisConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisConnection")
            .field("url", &self.inner.display_url)
            .field("options", &self.inner.options)
            .field("available", &self.is_available())
            .finish()
    }
}

impl RedisConnection {
    /// Connects to `url` (`redis://[[user]:password@]host[:port][/db]`, or
    /// `redis+unix:///path?db=N&pass=...`) with the default [`RedisOptions`].
    ///
    /// An unreachable server is not an error: the connection starts out unavailable (a warning is
    /// logged), callers use their local fallbacks, and it is used as soon as Redis answers.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not a Redis URL, or asks for TLS (`rediss://`, not
    /// supported yet).
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, RedisOptions::default()).await
    }

    /// The same with explicit options.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not a Redis URL, or asks for TLS.
    pub async fn connect_with(url: &str, options: RedisOptions) -> Result<Self, Error> {
        if url.trim_start().to_ascii_lowercase().starts_with("rediss") {
            // Saying so beats the generic parse error: this build has no TLS for Redis.
            return Err(Error::invalid_input(
                "redis_url",
                "uses TLS (rediss://), which this build does not support: use redis:// on a \
                 trusted network or a TLS-terminating proxy",
            ));
        }
        let client = redis::Client::open(url)
            .map_err(|_| Error::invalid_input("redis_url", "is not a valid Redis URL"))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(options.connect_timeout))
            .set_response_timeout(Some(options.command_timeout))
            // Reconnection is retried by our own probes; the manager's backoff would only make
            // commands wait.
            .set_number_of_retries(0)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(100));
        let manager = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|_| Error::invalid_input("redis_url", "is not a usable Redis URL"))?;
        let connection = Self {
            inner: Arc::new(Inner {
                manager,
                display_url: redact_url(url),
                options,
                health: Mutex::new(Health::default()),
            }),
        };
        // Connect now, so that the first request does not pay for it; an outage is only logged.
        let _ = connection.ping().await;
        Ok(connection)
    }

    /// Sends a `PING` (for health checks). Like every command, during an outage it reaches Redis at
    /// most once per [`RedisOptions::retry_interval`], and fails at once otherwise.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when Redis is unavailable or did not answer in time.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.run(|mut conn| async move {
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .map(drop)
        })
        .await
    }

    /// Whether Redis is in use: `false` from the first failure of an outage until a probe succeeds.
    pub fn is_available(&self) -> bool {
        self.health().down_since.is_none()
    }

    /// The URL, with its password redacted.
    pub fn url(&self) -> &str {
        &self.inner.display_url
    }

    /// The options.
    pub fn options(&self) -> RedisOptions {
        self.inner.options
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.inner.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `op` on the connection, within the command timeout, unless Redis is known to be down and
    /// it is not yet time to probe it.
    pub(crate) async fn run<T, F, Fut>(&self, op: F) -> Result<T, StoreError>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.may_try() {
            return Err(StoreError::new(
                "Redis is down; not retried until the next probe",
            ));
        }
        let result = tokio::time::timeout(
            self.inner.options.command_timeout,
            op(self.inner.manager.clone()),
        )
        .await;
        match result {
            Ok(Ok(value)) => {
                self.succeeded();
                Ok(value)
            }
            Ok(Err(err)) => {
                let outage = err.is_io_error()
                    || err.is_connection_refusal()
                    || err.is_connection_dropped()
                    || err.is_timeout()
                    || err.is_unrecoverable_error();
                let message = err.to_string();
                if outage {
                    self.failed(&message);
                } else {
                    // A refused command (a wrong type, a script error) says nothing of the server's
                    // health; the caller falls back for this one call.
                    self.succeeded();
                    tracing::warn!(redis = %self.inner.display_url, error = %message, "Redis refused a command");
                }
                Err(StoreError::new("Redis command failed").with_source(err))
            }
            Err(_) => {
                self.failed("no answer within the command timeout");
                Err(StoreError::new("Redis did not answer in time"))
            }
        }
    }

    /// Whether a command may go to Redis now: always while it is up; during an outage only the
    /// first caller after each retry interval (the probe), so an outage costs one timeout per
    /// interval, not one per request.
    fn may_try(&self) -> bool {
        let mut health = self.health();
        if health.down_since.is_none() {
            return true;
        }
        let now = Instant::now();
        match health.probe_at {
            Some(at) if now < at => false,
            _ => {
                health.probe_at = Some(now + self.inner.options.retry_interval);
                true
            }
        }
    }

    fn succeeded(&self) {
        let mut health = self.health();
        if let Some(since) = health.down_since.take() {
            health.probe_at = None;
            drop(health);
            tracing::info!(
                redis = %self.inner.display_url,
                outage = ?since.elapsed(),
                "Redis is reachable again; shared token store and rate limiter resumed"
            );
        }
    }

    fn failed(&self, error: &str) {
        let mut health = self.health();
        let now = Instant::now();
        health.probe_at = Some(now + self.inner.options.retry_interval);
        if health.down_since.is_none() {
            health.down_since = Some(now);
            drop(health);
            tracing::warn!(
                redis = %self.inner.display_url,
                error = %error,
                "Redis is unavailable; falling back to the local token cache and rate limiter until it returns"
            );
        } else {
            tracing::debug!(redis = %self.inner.display_url, error = %error, "Redis still unavailable");
        }
    }
}

/// `url` with the password of its user info, and any `password`/`pass` query parameter, replaced
/// by `[REDACTED]`: `redis://:secret@host` becomes `redis://:[REDACTED]@host`.
pub(crate) fn redact_url(url: &str) -> String {
    const REDACTED: &str = crate::secret::REDACTED;
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:{REDACTED}@{host}"),
            // `redis://secret@host`: a lone user info is the password for some clients.
            None if !userinfo.is_empty() => format!("{REDACTED}@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let (query, fragment) = match query.split_once('#') {
                Some((q, f)) => (q, Some(f)),
                None => (query, None),
            };
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _))
                        if name.eq_ignore_ascii_case("password")
                            || name.eq_ignore_ascii_case("pass") =>
                    {
                        format!("{name}={REDACTED}")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            let mut out = format!("{path}?{}", query.join("&"));
            if let Some(fragment) = fragment {
                out.push('#');
                out.push_str(fragment);
            }
            out
        }
        None => tail.to_owned(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{authority}{tail}"),
        None => format!("{authority}{tail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_passwords_in_urls() {
        assert_eq!(
            redact_url("redis://:s3cret@cache:6379/0"),
            "redis://:[REDACTED]@cache:6379/0"
        );
        assert_eq!(
            redact_url("rediss://app:p@ss:w0rd@cache.example.com"),
            "rediss://app:[REDACTED]@cache.example.com"
        );
        assert_eq!(
            redact_url("redis://s3cret@cache"),
            "redis://[REDACTED]@cache"
        );
        assert_eq!(
            redact_url("redis+unix:///run/redis.sock?db=1&pass=s3cret"),
            "redis+unix:///run/redis.sock?db=1&pass=[REDACTED]"
        );
        assert_eq!(
            redact_url("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
        assert_eq!(
            redact_url("redis://user@host/2"),
            "redis://[REDACTED]@host/2"
        );
    }
}
