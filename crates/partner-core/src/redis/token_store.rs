//! [`RedisTokenStore`]: one token per (token URL, client id) shared by every process of a fleet.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::ExposeSecret;

use crate::auth::{
    AccessToken, EncryptionKey, RefreshLock, StoreError, TokenCipher, TokenKey, TokenStore,
    decode_envelope, encode_envelope,
};
use crate::clock::{SharedClock, SystemClock};
use crate::error::Error;

use super::{RedisConnection, refresh_lock};

/// The namespace of keys when none is set.
pub const DEFAULT_NAMESPACE: &str = "partner";

/// A [`TokenStore`] in Redis, shared by every process that uses the same server, namespace and
/// credentials, with a cross-process refresh lock so that a fleet fetches one token, not one per
/// process.
///
/// - key: `<namespace>:token:<TokenKey::digest()>` (the digest hides the client id);
/// - value: the token's envelope, sealed with XChaCha20-Poly1305 ([`TokenCipher`]) when an
///   [`encryption_key`](Self::encryption_key) is set (recommended: anyone who can read Redis could
///   otherwise use the token), in clear JSON otherwise;
/// - TTL: the token's remaining life minus the [`refresh_buffer`](Self::refresh_buffer), so Redis
///   drops an entry when clients should stop using it;
/// - refresh lock: `<namespace>:token-lock:<digest>`, taken with `SET NX PX` and a random fencing
///   value, released by a compare-and-delete script; see [`TokenStore::lock_refresh`].
///
/// When Redis is down every operation fails fast and the [`TokenCache`](crate::auth::TokenCache)
/// carries on with its in-memory token, fetching its own when it must.
///
/// ```no_run
/// use std::sync::Arc;
/// use partner_core::auth::{EncryptionKey, TokenCacheConfig};
/// use partner_core::redis::RedisTokenStore;
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let key = EncryptionKey::from_base64(&std::env::var("TOKEN_CACHE_KEY")?)?;
/// let store = RedisTokenStore::connect("redis://:password@redis.internal:6379")
///     .await?
///     .namespace("billing-sync")
///     .encryption_key(&key);
/// let config = TokenCacheConfig::default().with_store(Arc::new(store));
/// # let _ = config; Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisTokenStore {
    connection: RedisConnection,
    namespace: String,
    cipher: Option<TokenCipher>,
    refresh_buffer: Duration,
    clock: SharedClock,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("connection", &self.connection)
            .field("namespace", &self.namespace)
            .field("encrypted", &self.cipher.is_some())
            .field("refresh_buffer", &self.refresh_buffer)
            .finish()
    }
}

impl RedisTokenStore {
    /// A store on a new connection to `url`. See [`RedisConnection::connect`]: an unreachable server
    /// is not an error.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `url` is not a Redis URL.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Ok(Self::new(RedisConnection::connect(url).await?))
    }

    /// A store on an existing connection (shared with a [`RedisRateLimiter`](super::RedisRateLimiter),
    /// say).
    pub fn new(connection: RedisConnection) -> Self {
        Self {
            connection,
            namespace: DEFAULT_NAMESPACE.to_owned(),
            cipher: None,
            refresh_buffer: Duration::from_secs(60),
            clock: Arc::new(SystemClock),
        }
    }

    /// Prefixes every key with `namespace` (default `partner`), to keep applications sharing a Redis
    /// apart.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// Encrypts entries with `key` (the same AEAD as
    /// [`EncryptedFileTokenStore`](crate::auth::EncryptedFileTokenStore)); entries written with
    /// another key, or without one, read as misses.
    pub fn encryption_key(mut self, key: &EncryptionKey) -> Self {
        self.cipher = Some(TokenCipher::new(key));
        self
    }

    /// Entries expire this long before the token does (default 60 s, the
    /// [`TokenCacheConfig`](crate::auth::TokenCacheConfig) default): keep it equal to the cache's
    /// refresh buffer.
    pub fn refresh_buffer(mut self, buffer: Duration) -> Self {
        self.refresh_buffer = buffer;
        self
    }

    /// The wall clock that entry lifetimes are computed from (give it the client's, so that an
    /// injected test clock governs both).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// The connection.
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }

    /// The Redis key of the token for `key`.
    pub fn key_for(&self, key: &TokenKey) -> String {
        format!("{}:token:{}", self.namespace, key.digest())
    }

    /// The Redis key of the refresh lock for `key`.
    pub fn lock_key_for(&self, key: &TokenKey) -> String {
        format!("{}:token-lock:{}", self.namespace, key.digest())
    }

    fn encode(&self, key: &TokenKey, token: &AccessToken) -> Vec<u8> {
        match &self.cipher {
            Some(cipher) => cipher.seal(key, token),
            None => encode_envelope(key, token),
        }
    }

    fn decode(&self, key: &TokenKey, bytes: &[u8]) -> Option<AccessToken> {
        match &self.cipher {
            Some(cipher) => cipher.open(key, bytes),
            None => decode_envelope(key, bytes),
        }
    }

    /// How long Redis keeps `token`: `None` for no expiry, `Some(ZERO)` when it is already too close
    /// to expiry to share.
    fn ttl(&self, token: &AccessToken) -> Option<Duration> {
        token
            .remaining(self.clock.now())
            .map(|left| left.saturating_sub(self.refresh_buffer))
    }
}

impl TokenStore for RedisTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        async move {
            let redis_key = self.key_for(key);
            let bytes = self
                .connection
                .run(|mut conn| async move {
                    redis::cmd("GET")
                        .arg(&redis_key)
                        .query_async::<Option<Vec<u8>>>(&mut conn)
                        .await
                })
                .await?;
            Ok(bytes.and_then(|bytes| {
                let token = self.decode(key, &bytes);
                if token.is_none() {
                    tracing::debug!("ignoring an unreadable token in Redis (another key?)");
                }
                token
            }))
        }
        .boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        async move {
            let ttl = self.ttl(token);
            if ttl == Some(Duration::ZERO) {
                return Ok(());
            }
            let redis_key = self.key_for(key);
            let bytes = self.encode(key, token);
            self.connection
                .run(|mut conn| async move {
                    let mut cmd = redis::cmd("SET");
                    cmd.arg(&redis_key).arg(bytes);
                    if let Some(ttl) = ttl {
                        cmd.arg("PX")
                            .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1));
                    }
                    cmd.query_async::<()>(&mut conn).await
                })
                .await
        }
        .boxed()
    }

    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>> {
        async move {
            let redis_key = self.key_for(key);
            self.connection
                .run(|mut conn| async move {
                    redis::cmd("DEL")
                        .arg(&redis_key)
                        .query_async::<()>(&mut conn)
                        .await
                })
                .await
        }
        .boxed()
    }

    fn remove_refused<'a>(
        &'a self,
        key: &'a TokenKey,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        async move {
            let redis_key = self.key_for(key);
            let stored = {
                let redis_key = redis_key.clone();
                self.connection
                    .run(|mut conn| async move {
                        redis::cmd("GET")
                            .arg(&redis_key)
                            .query_async::<Option<Vec<u8>>>(&mut conn)
                            .await
                    })
                    .await?
            };
            let Some(bytes) = stored else { return Ok(()) };
            // A readable entry holding another token was written by a process that already
            // replaced the refused one: keep it. Unreadable entries go too.
            if let Some(token) = self.decode(key, &bytes)
                && !crate::secret::constant_time_eq(
                    token.secret.expose_secret().as_bytes(),
                    refused.secret.expose_secret().as_bytes(),
                )
            {
                return Ok(());
            }
            // Delete exactly the bytes we judged, in case a new token landed since.
            self.connection
                .run(|mut conn| async move {
                    refresh_lock::COMPARE_AND_DELETE
                        .key(&redis_key)
                        .arg(bytes)
                        .invoke_async::<i64>(&mut conn)
                        .await
                })
                .await
                .map(drop)
        }
        .boxed()
    }

    fn lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<RefreshLock, StoreError>> {
        refresh_lock::acquire(&self.connection, self.lock_key_for(key), ttl).boxed()
    }
}
