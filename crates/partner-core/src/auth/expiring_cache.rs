//! [`ExpiringCache`]: one value that expires, loaded single-flight.
//!
//! Generic over the value and the load's error; the token cache holds its bearer token in one.
//!
//! - a value before its refresh time is served from memory, with no future to wait on;
//! - when there is none, or it is due for refresh, exactly one load runs however many callers ask
//!   at once; the others await it, and if it fails they all get its error (hence `E: Clone`), while
//!   the next call loads again;
//! - a failed refresh while the value is still valid (before its expiry) is not an error: the value
//!   keeps being served, and the next refresh is tried a little later rather than on every call;
//! - every loaded value has a new generation, so that whoever saw a value refused can drop that one
//!   and not a newer one another caller just loaded.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use futures_util::FutureExt as _;
use futures_util::future::{BoxFuture, Shared};

use crate::clock::SharedClock;

/// After a failed refresh of a still-valid value, how long to keep serving it before trying again
/// (at most half its remaining life).
const RETRY_REFRESH_AFTER: Duration = Duration::from_secs(5);

/// A freshly loaded value and its times.
#[derive(Debug, Clone)]
pub(crate) struct Loaded<T> {
    pub(crate) value: T,
    /// From then on, callers trigger a refresh (`None`: never).
    pub(crate) refresh_at: Option<SystemTime>,
    /// From then on, the value is not served at all (`None`: never).
    pub(crate) expires_at: Option<SystemTime>,
}

/// A value as the cache serves it.
#[derive(Debug, Clone)]
pub(crate) struct Cached<T> {
    pub(crate) value: T,
    /// Counts loads: the value of generation `n` is the `n`th loaded.
    pub(crate) generation: u64,
}

/// One value, loaded single-flight, refreshed before it expires. Clones share the value.
pub(crate) struct ExpiringCache<T, E> {
    shared: Arc<State<T, E>>,
}

impl<T, E> Clone for ExpiringCache<T, E> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

impl<T, E> fmt::Debug for ExpiringCache<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpiringCache").finish_non_exhaustive()
    }
}

type Flight<T, E> = Shared<BoxFuture<'static, Result<Cached<T>, E>>>;

struct State<T, E> {
    clock: SharedClock,
    slot: Mutex<Slot<T, E>>,
}

struct Slot<T, E> {
    current: Option<Entry<T>>,
    inflight: Option<Flight<T, E>>,
    generation: u64,
}

struct Entry<T> {
    cached: Cached<T>,
    refresh_at: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl<T, E> ExpiringCache<T, E>
where
    T: Clone + Send + Sync + 'static,
    E: Clone + fmt::Display + Send + Sync + 'static,
{
    /// An empty cache, reading the time from `clock`.
    pub(crate) fn new(clock: SharedClock) -> Self {
        Self {
            shared: Arc::new(State {
                clock,
                slot: Mutex::new(Slot {
                    current: None,
                    inflight: None,
                    generation: 0,
                }),
            }),
        }
    }

    /// The value: from memory when it is not due for refresh, else from the load under way, else
    /// from `load`, started now and shared with whoever asks until it ends.
    ///
    /// # Errors
    ///
    /// The load's error, unless the current value is still valid.
    pub(crate) async fn get<F, Fut>(&self, load: F) -> Result<Cached<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Loaded<T>, E>> + Send + 'static,
    {
        let flight = {
            let mut slot = self.shared.lock();
            let now = self.shared.clock.now();
            if let Some(current) = &slot.current
                && current.refresh_at.is_none_or(|at| now < at)
            {
                return Ok(current.cached.clone());
            }
            match &slot.inflight {
                Some(flight) => flight.clone(),
                None => {
                    let shared = self.shared.clone();
                    let loading = load();
                    let flight = async move { shared.settle(loading.await) }.boxed().shared();
                    slot.inflight = Some(flight.clone());
                    flight
                }
            }
        };
        flight.await
    }

    /// Drops the value of `generation` (one that was refused), and returns it; a newer value is
    /// kept.
    pub(crate) fn invalidate_generation(&self, generation: u64) -> Option<T> {
        let mut slot = self.shared.lock();
        match &slot.current {
            Some(current) if current.cached.generation == generation => {
                slot.current.take().map(|entry| entry.cached.value)
            }
            _ => None,
        }
    }

    /// Drops the value; the next call loads a new one.
    pub(crate) fn invalidate(&self) {
        self.shared.lock().current = None;
    }
}

impl<T: Clone, E: fmt::Display> State<T, E> {
    fn lock(&self) -> MutexGuard<'_, Slot<T, E>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Ends a load: keeps its value, or on failure keeps serving a value that is still valid.
    fn settle(&self, result: Result<Loaded<T>, E>) -> Result<Cached<T>, E> {
        let mut slot = self.lock();
        slot.inflight = None;
        match result {
            Ok(loaded) => {
                slot.generation += 1;
                let cached = Cached {
                    value: loaded.value,
                    generation: slot.generation,
                };
                slot.current = Some(Entry {
                    cached: cached.clone(),
                    refresh_at: loaded.refresh_at,
                    expires_at: loaded.expires_at,
                });
                Ok(cached)
            }
            Err(err) => {
                let now = self.clock.now();
                let Some(current) = slot.current.as_mut().filter(|c| c.is_valid(now)) else {
                    return Err(err);
                };
                let remaining = current.expires_at.map_or(Duration::ZERO, |at| {
                    at.duration_since(now).unwrap_or_default()
                });
                current.refresh_at = now.checked_add(RETRY_REFRESH_AFTER.min(remaining / 2));
                tracing::warn!(error = %err, ?remaining, "refresh failed; serving the current value meanwhile");
                Ok(current.cached.clone())
            }
        }
    }
}

impl<T> Entry<T> {
    fn is_valid(&self, now: SystemTime) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::sync::Semaphore;

    use super::*;
    use crate::clock::ManualClock;

    type Cache = ExpiringCache<&'static str, String>;

    fn cache() -> (Cache, ManualClock) {
        let clock = ManualClock::at_unix(1_000_000);
        (ExpiringCache::new(Arc::new(clock.clone())), clock)
    }

    /// A load that counts its runs and yields `value`, valid for 100 s and refreshed after 60 s.
    fn load(
        loads: &Arc<AtomicUsize>,
        clock: &ManualClock,
        value: Result<&'static str, &'static str>,
    ) -> impl FnOnce() -> BoxFuture<'static, Result<Loaded<&'static str>, String>> + use<> {
        let open = Arc::new(Semaphore::new(1));
        gated_load(loads, clock, value, &open)
    }

    /// [`load`], which ends only once `gate` has a permit: callers made meanwhile all join it.
    fn gated_load(
        loads: &Arc<AtomicUsize>,
        clock: &ManualClock,
        value: Result<&'static str, &'static str>,
        gate: &Arc<Semaphore>,
    ) -> impl FnOnce() -> BoxFuture<'static, Result<Loaded<&'static str>, String>> + use<> {
        let loads = loads.clone();
        let gate = gate.clone();
        let now = crate::clock::Clock::now(clock);
        move || {
            async move {
                loads.fetch_add(1, Ordering::SeqCst);
                drop(gate.acquire().await);
                let value = value.map_err(str::to_owned)?;
                Ok(Loaded {
                    value,
                    refresh_at: Some(now + Duration::from_secs(60)),
                    expires_at: Some(now + Duration::from_secs(100)),
                })
            }
            .boxed()
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_load() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Semaphore::new(0));
        let callers = (0..50).map(|_| cache.get(gated_load(&loads, &clock, Ok("v"), &gate)));
        // Every caller asks before the load ends.
        let (results, ()) = tokio::join!(futures_util::future::join_all(callers), async {
            tokio::task::yield_now().await;
            gate.add_permits(1);
        });
        for result in results {
            let cached = result.unwrap();
            assert_eq!((cached.value, cached.generation), ("v", 1));
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        // Served from memory now: no load.
        cache.get(load(&loads, &clock, Ok("other"))).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_load_fails_every_waiter_and_the_next_call_loads_again() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Semaphore::new(0));
        let callers = (0..10).map(|_| cache.get(gated_load(&loads, &clock, Err("down"), &gate)));
        // Every caller asks before the load fails.
        let (results, ()) = tokio::join!(futures_util::future::join_all(callers), async {
            tokio::task::yield_now().await;
            gate.add_permits(1);
        });
        for result in results {
            assert_eq!(result.unwrap_err(), "down");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        let cached = cache.get(load(&loads, &clock, Ok("up"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("up", 1));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_value_is_refreshed_at_its_refresh_time_with_a_new_generation() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        cache.get(load(&loads, &clock, Ok("first"))).await.unwrap();
        clock.advance(Duration::from_secs(59));
        let cached = cache.get(load(&loads, &clock, Ok("second"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("first", 1));
        clock.advance(Duration::from_secs(1));
        let cached = cache.get(load(&loads, &clock, Ok("second"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("second", 2));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_serving_a_valid_value_and_waits_before_trying_again() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        cache.get(load(&loads, &clock, Ok("old"))).await.unwrap();
        clock.advance(Duration::from_secs(70)); // due for refresh, 30 s of validity left
        let cached = cache.get(load(&loads, &clock, Err("down"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("old", 1));
        // Within the 5 s back-off: no new attempt.
        clock.advance(Duration::from_secs(4));
        cache.get(load(&loads, &clock, Err("down"))).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        clock.advance(Duration::from_secs(1));
        let cached = cache.get(load(&loads, &clock, Ok("new"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("new", 2));
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failed_refresh_of_an_expired_value_is_the_error() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        cache.get(load(&loads, &clock, Ok("old"))).await.unwrap();
        clock.advance(Duration::from_secs(100));
        let err = cache.get(load(&loads, &clock, Err("down"))).await;
        assert_eq!(err.unwrap_err(), "down");
    }

    #[tokio::test]
    async fn only_the_refused_generation_is_dropped() {
        let (cache, clock) = cache();
        let loads = Arc::new(AtomicUsize::new(0));
        cache.get(load(&loads, &clock, Ok("first"))).await.unwrap();
        cache.invalidate();
        cache.get(load(&loads, &clock, Ok("second"))).await.unwrap();
        // A caller refused generation 1, already replaced: generation 2 stays.
        assert_eq!(cache.invalidate_generation(1), None);
        assert_eq!(cache.invalidate_generation(2), Some("second"));
        let cached = cache.get(load(&loads, &clock, Ok("third"))).await.unwrap();
        assert_eq!((cached.value, cached.generation), ("third", 3));
    }
}
