//! [`RedisReplayStore`]: a replay store shared by every process of a fleet.

use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::auth::StoreError;
use crate::error::Error;
use crate::replay::ReplayStore;

use super::{DEFAULT_NAMESPACE, RedisConnection};

/// A [`ReplayStore`] in Redis: processes sharing a server and namespace accept each key once between
/// them.
///
/// - key: `<namespace>:replay:<key>`, value `1`;
/// - insert: `SET <key> 1 NX PX <window>`, atomic in Redis: the one process whose `SET` lands is told
///   it is first, and Redis drops the key when the window ends (on its own clock).
///
/// Unlike the token store, a Redis outage is not papered over: [`insert`](ReplayStore::insert) fails,
/// and the caller refuses the message it cannot check (a webhook sender delivers it again later).
///
/// ```no_run
/// use partner_core::redis::{RedisConnection, RedisReplayStore};
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let redis = RedisConnection::connect(&std::env::var("REDIS_URL")?).await?;
/// let replays = RedisReplayStore::new(redis).namespace("billing-sync");
/// # let _ = replays; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RedisReplayStore {
    connection: RedisConnection,
    namespace: String,
}

impl RedisReplayStore {
    /// A store on a new connection to `url`. See [`RedisConnection::connect`]: an unreachable server
    /// is not an error (inserts fail until it answers).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not a Redis URL.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Ok(Self::new(RedisConnection::connect(url).await?))
    }

    /// A store on an existing connection (shared with a token store, say).
    pub fn new(connection: RedisConnection) -> Self {
        Self {
            connection,
            namespace: DEFAULT_NAMESPACE.to_owned(),
        }
    }

    /// Prefixes every key with `namespace` (default `partner`), to keep applications sharing a Redis
    /// apart.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// The connection.
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }

    /// The Redis key under which `key` is remembered.
    pub fn key_for(&self, key: &str) -> String {
        format!("{}:replay:{key}", self.namespace)
    }
}

impl ReplayStore for RedisReplayStore {
    fn insert<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let redis_key = self.key_for(key);
        // PX 0 is an error in Redis; a window under a millisecond is one millisecond.
        let millis = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        async move {
            self.connection
                .run(|mut conn| async move {
                    let set: Option<String> = redis::cmd("SET")
                        .arg(&redis_key)
                        .arg(1)
                        .arg("NX")
                        .arg("PX")
                        .arg(millis)
                        .query_async(&mut conn)
                        .await?;
                    Ok(set.is_some())
                })
                .await
        }
        .boxed()
    }
}
