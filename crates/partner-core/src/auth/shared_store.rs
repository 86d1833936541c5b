//! A token through a [`TokenStore`]: read from it, or fetched and written to it. With a store that
//! processes share, only the holder of the store's refresh lock fetches; the others wait for its
//! token to appear.

use std::future::Future;
use std::time::Duration;

use super::store::TokenStore;
use super::token::{AccessToken, TokenKey};
use crate::clock::SharedClock;
use crate::error::Error;

/// The first wait between two reads of the store while another process fetches, doubled each round.
const FIRST_POLL: Duration = Duration::from_millis(20);
const LONGEST_POLL: Duration = Duration::from_millis(200);

/// One cache's view of its store.
pub(super) struct SharedStore<'a> {
    pub(super) store: &'a dyn TokenStore,
    pub(super) key: &'a TokenKey,
    pub(super) clock: &'a SharedClock,
    /// A token with less life left than this is not served from the store.
    pub(super) refresh_buffer: Duration,
    pub(super) lock_ttl: Duration,
}

impl SharedStore<'_> {
    /// The stored token, or one from `fetch`, saved. Each round reads the store, then tries the
    /// refresh lock (so a crashed holder is replaced as soon as its lock expires). A store that
    /// fails, or a wait past twice the lock's lifetime, means fetching: a store never fails a call.
    pub(super) async fn load_or_fetch<F, Fut>(&self, fetch: F) -> Result<AccessToken, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<AccessToken, Error>>,
    {
        let deadline = tokio::time::Instant::now() + self.lock_ttl * 2;
        let mut poll = FIRST_POLL;
        loop {
            match self.read().await {
                Ok(Some(token)) => return Ok(token),
                Ok(None) => {}
                Err(()) => return self.fetch_and_save(&fetch).await,
            }
            let lock = match self.store.lock_refresh(self.key, self.lock_ttl).await {
                Ok(lock) => lock,
                Err(err) => {
                    tracing::warn!(error = %err, "token store lock unavailable; fetching a new token");
                    return self.fetch_and_save(&fetch).await;
                }
            };
            if lock.may_fetch() {
                // The previous holder may have written a token between our read and our lock.
                let written = if lock.is_shared() {
                    self.read().await.ok().flatten()
                } else {
                    None
                };
                let result = match written {
                    Some(token) => Ok(token),
                    None => self.fetch_and_save(&fetch).await,
                };
                lock.release().await;
                return result;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                tracing::debug!("gave up waiting for another process's token; fetching");
                return self.fetch_and_save(&fetch).await;
            }
            tokio::time::sleep(poll.min(deadline - now)).await;
            poll = (poll * 2).min(LONGEST_POLL);
        }
    }

    /// A token from the store with more than the refresh buffer left; `Err` when the store failed
    /// (already logged).
    async fn read(&self) -> Result<Option<AccessToken>, ()> {
        match self.store.load(self.key).await {
            Ok(Some(token)) if token.is_fresh(self.clock.now(), self.refresh_buffer) => {
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

    async fn fetch_and_save<F, Fut>(&self, fetch: &F) -> Result<AccessToken, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<AccessToken, Error>>,
    {
        let token = fetch().await?;
        if let Err(err) = self.store.save(self.key, &token).await {
            tracing::warn!(error = %err, "could not save the token to the token store");
        }
        Ok(token)
    }
}
