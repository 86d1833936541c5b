//! Replay stores: remember each accepted message id (a webhook's transmission id...) for a window, so
//! that a message is accepted once, however often it is delivered.
//!
//! A [`ReplayStore`] answers one atomic question, "was this key seen within the window? if not, it is
//! now". [`MemoryReplayStore`] answers it for one process; a store shared by a fleet
//! (`RedisReplayStore` under the `redis` feature) answers it for every process at once, so that a
//! delivery replayed to another worker is refused too.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::auth::StoreError;
use crate::clock::{SharedClock, SystemClock};

/// How many keys a [`MemoryReplayStore`] holds by default.
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Remembers keys for a window; of all the callers inserting one key within its window, exactly one
/// is told it is the first.
pub trait ReplayStore: Send + Sync + fmt::Debug + 'static {
    /// Records `key` for `window`, like `HashSet::insert`: `Ok(true)` when it was not held (the first
    /// sighting: go ahead), `Ok(false)` when it was (a replay: refuse it). Atomic: of concurrent calls
    /// with one key, exactly one returns `Ok(true)`.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot tell (Redis is down, the memory store is full). The
    /// caller must then refuse the message: it may be a replay.
    fn insert<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
}

/// A [`ReplayStore`] in this process's memory, bounded: entries expire after their window, and at
/// [`capacity`](Self::with_capacity) live entries a new key is refused with an error rather than an
/// old one forgotten (forgetting would let that one be replayed).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::time::Duration;
/// use partner_core::replay::{MemoryReplayStore, ReplayStore};
/// let store = MemoryReplayStore::default();
/// assert!(store.insert("delivery-1", Duration::from_secs(600)).await.unwrap());
/// assert!(!store.insert("delivery-1", Duration::from_secs(600)).await.unwrap());
/// # });
/// ```
pub struct MemoryReplayStore {
    capacity: usize,
    clock: SharedClock,
    state: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// Key -> when it may be accepted again.
    expiry: HashMap<String, SystemTime>,
    /// No entry expires before this (when known): the full store is not scanned again until then.
    earliest_expiry: Option<SystemTime>,
}

impl fmt::Debug for MemoryReplayStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryReplayStore")
            .field("capacity", &self.capacity)
            .field("entries", &self.lock().expiry.len())
            .finish_non_exhaustive()
    }
}

impl Default for MemoryReplayStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_REPLAY_CAPACITY)
    }
}

impl MemoryReplayStore {
    /// A store holding at most `capacity` live keys (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            clock: Arc::new(SystemClock),
            state: Mutex::new(Seen::default()),
        }
    }

    /// The wall clock that windows are measured on (give it the client's, so that an injected test
    /// clock governs both).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert_now(&self, key: &str, window: Duration) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let mut seen = self.lock();
        match seen.expiry.get(key) {
            Some(expiry) if *expiry > now => return Ok(false),
            Some(_) => {}
            None if seen.expiry.len() >= self.capacity => {
                seen.forget_expired(now);
                if seen.expiry.len() >= self.capacity {
                    return Err(StoreError::new(format!(
                        "the replay store holds its capacity of {} unexpired keys; refusing new \
                         ones until some expire",
                        self.capacity
                    )));
                }
            }
            None => {}
        }
        let expiry = now.checked_add(window).unwrap_or(now);
        seen.earliest_expiry = seen.earliest_expiry.map(|t| t.min(expiry));
        seen.expiry.insert(key.to_owned(), expiry);
        Ok(true)
    }
}

impl Seen {
    fn forget_expired(&mut self, now: SystemTime) {
        if self.earliest_expiry.is_some_and(|t| now < t) {
            return;
        }
        self.expiry.retain(|_, expiry| *expiry > now);
        self.earliest_expiry = self.expiry.values().min().copied();
    }
}

impl ReplayStore for MemoryReplayStore {
    fn insert<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let result = self.insert_now(key, window);
        async move { result }.boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    const WINDOW: Duration = Duration::from_secs(600);

    fn store(capacity: usize) -> (MemoryReplayStore, ManualClock) {
        let clock = ManualClock::at_unix(1_000_000);
        let store = MemoryReplayStore::with_capacity(capacity).clock(Arc::new(clock.clone()));
        (store, clock)
    }

    #[test]
    fn a_key_is_first_once_per_window() {
        let (store, clock) = store(10);
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(true));
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(false));
        assert_eq!(store.insert_now("b", WINDOW).ok(), Some(true));
        clock.advance(WINDOW - Duration::from_secs(1));
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(false));
        clock.advance(Duration::from_secs(1));
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(true));
    }

    #[test]
    fn a_full_store_refuses_new_keys_until_old_ones_expire() {
        let (store, clock) = store(2);
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(true));
        clock.advance(Duration::from_secs(10));
        assert_eq!(store.insert_now("b", WINDOW).ok(), Some(true));
        let err = store.insert_now("c", WINDOW).unwrap_err();
        assert!(err.to_string().contains("capacity of 2"), "{err}");
        // Known keys are still answered, and still refused.
        assert_eq!(store.insert_now("a", WINDOW).ok(), Some(false));
        // Once "a" expires its slot is free; "b" is still remembered.
        clock.advance(WINDOW - Duration::from_secs(10));
        assert_eq!(store.insert_now("c", WINDOW).ok(), Some(true));
        assert_eq!(store.insert_now("b", WINDOW).ok(), Some(false));
        assert!(store.insert_now("d", WINDOW).is_err());
        assert_eq!(store.lock().expiry.len(), 2);
    }

    #[test]
    fn a_shorter_window_inserted_later_is_freed_on_time() {
        let (store, clock) = store(2);
        assert_eq!(store.insert_now("long", WINDOW).ok(), Some(true));
        assert!(store.insert_now("short", Duration::from_secs(5)).unwrap());
        clock.advance(Duration::from_secs(5));
        assert_eq!(store.insert_now("new", WINDOW).ok(), Some(true));
        assert_eq!(store.insert_now("long", WINDOW).ok(), Some(false));
    }
}
