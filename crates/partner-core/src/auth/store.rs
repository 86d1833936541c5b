//! Persistent token caches: the [`TokenStore`] trait and the in-memory store (the file stores need the
//! `file-store` feature, the Redis store the `redis` feature).
//!
//! A store is a second level behind the client's own in-memory token: it is read when the client has
//! no usable token (a new process, an expired token) and written after each fetch, so that processes and
//! restarts can share one token instead of each minting its own.
//!
//! A store never breaks a call: a missing, corrupt, foreign, expired, undecryptable or tampered entry
//! is a cache miss, and the token is fetched again.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::token::{AccessToken, TokenKey};
use crate::error::BoxError;

/// A store failed (I/O, a Redis outage...). The token cache logs it and carries on without the store;
/// a replay guard refuses the message it could not check.
#[derive(Debug, Clone, thiserror::Error)]
#[error("store error: {message}")]
pub struct StoreError {
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl StoreError {
    /// A store error with a message (which must not hold the token).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }
}

/// A persistent token cache.
pub trait TokenStore: Send + Sync + fmt::Debug + 'static {
    /// The token stored under `key`, if there is a readable one.
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>>;
    /// Stores `token` under `key`, replacing what was there.
    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Forgets the token under `key` (after the API refused it).
    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Forgets `refused` under `key` because the API refused it, but keeps a different token that
    /// another process stored meanwhile, so that a revoked token makes a fleet fetch one new token,
    /// not one per process. The default forgets whatever is stored under `key`.
    fn remove_refused<'a>(
        &'a self,
        key: &'a TokenKey,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let _ = refused;
        self.remove(key)
    }

    /// Asks for the right to refresh the token under `key`, for at most `ttl`, so that across every
    /// process sharing this store only one fetches a new token while the others wait for it.
    ///
    /// The default, for stores that are not shared between processes, always answers
    /// [`RefreshLock::not_shared`]: the in-process single-flight of the
    /// [`TokenCache`](super::TokenCache) is enough. A shared store (Redis) answers
    /// [`RefreshLock::acquired`] to one caller and [`RefreshLock::held_elsewhere`] to the others until
    /// the holder releases the lock or `ttl` passes (a crashed holder blocks nobody for longer).
    fn lock_refresh<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<RefreshLock, StoreError>> {
        let _ = (key, ttl);
        futures_util::future::ready(Ok(RefreshLock::not_shared())).boxed()
    }
}

/// The answer of [`TokenStore::lock_refresh`]: whether this process should fetch the token itself.
///
/// An acquired lock is released by [`release`](RefreshLock::release); one that is dropped unreleased
/// (a cancelled call) is released in the background when a tokio runtime is running, or else expires.
pub struct RefreshLock {
    state: LockState,
}

enum LockState {
    NotShared,
    Acquired(Option<BoxFuture<'static, ()>>),
    HeldElsewhere,
}

impl RefreshLock {
    /// The store is not shared between processes: fetch without coordination.
    pub fn not_shared() -> Self {
        Self {
            state: LockState::NotShared,
        }
    }

    /// This caller holds the lock; `release` gives it back (a compare-and-delete, so that a lock
    /// that expired and was taken by another process is left alone).
    pub fn acquired(release: impl std::future::Future<Output = ()> + Send + 'static) -> Self {
        Self {
            state: LockState::Acquired(Some(release.boxed())),
        }
    }

    /// Another process holds the lock and is fetching: wait for its token to appear in the store.
    pub fn held_elsewhere() -> Self {
        Self {
            state: LockState::HeldElsewhere,
        }
    }

    /// Whether this caller should fetch the token (it holds the lock, or no lock is needed).
    pub fn may_fetch(&self) -> bool {
        !matches!(self.state, LockState::HeldElsewhere)
    }

    /// Whether the lock coordinates several processes (it was [`acquired`](Self::acquired)), in which
    /// case the store is worth reading again before fetching: the previous holder may just have
    /// written a token.
    pub fn is_shared(&self) -> bool {
        matches!(self.state, LockState::Acquired(_))
    }

    /// Gives the lock back.
    pub async fn release(mut self) {
        if let LockState::Acquired(release) = &mut self.state
            && let Some(release) = release.take()
        {
            release.await;
        }
    }
}

impl Drop for RefreshLock {
    fn drop(&mut self) {
        if let LockState::Acquired(release) = &mut self.state
            && let Some(release) = release.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(release);
        }
    }
}

impl fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            LockState::NotShared => "not_shared",
            LockState::Acquired(_) => "acquired",
            LockState::HeldElsewhere => "held_elsewhere",
        };
        f.debug_tuple("RefreshLock").field(&state).finish()
    }
}

/// Keeps tokens in this process's memory; clone it to share tokens between several clients.
#[derive(Debug, Clone, Default)]
pub struct MemoryTokenStore {
    tokens: Arc<Mutex<HashMap<TokenKey, AccessToken>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, StoreError>> {
        let token = self
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned();
        futures_util::future::ready(Ok(token)).boxed()
    }

    fn save<'a>(
        &'a self,
        key: &'a TokenKey,
        token: &'a AccessToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone(), token.clone());
        futures_util::future::ready(Ok(())).boxed()
    }

    fn remove<'a>(&'a self, key: &'a TokenKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        futures_util::future::ready(Ok(())).boxed()
    }
}
