//! Client-side rate limiting, so a client stays inside the provider's budget instead of collecting 429s.
//!
//! [`Quota`] states the budget as the provider documents it ("1000 requests per minute"); the
//! [`GcraRateLimiter`] enforces it with the generic cell rate algorithm: every request reserves the next
//! free slot and waits for it, so callers are served in order and none fails. It runs on tokio's clock,
//! so tests drive it with `tokio::time::pause`.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use tokio::time::Instant;

/// A request budget: at most `max` requests in any window of `per`, of which up to `burst` may be sent
/// back to back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    max: u32,
    per: Duration,
    burst: u32,
}

impl Quota {
    /// `max` requests in any window of `per`, with a burst of one twentieth of `max` (at least 1).
    ///
    /// # Panics
    ///
    /// Never: a zero `max` is raised to 1 and a zero `per` to one millisecond.
    pub fn new(max: u32, per: Duration) -> Self {
        let max = max.max(1);
        Self {
            max,
            per: per.max(Duration::from_millis(1)),
            burst: (max / 20).max(1),
        }
    }

    /// `max` requests per minute.
    pub fn per_minute(max: u32) -> Self {
        Self::new(max, Duration::from_secs(60))
    }

    /// `max` requests per second.
    pub fn per_second(max: u32) -> Self {
        Self::new(max, Duration::from_secs(1))
    }

    /// Sets how many requests may go back to back (1 to `max`).
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst.clamp(1, self.max);
        self
    }

    /// The most requests in any window.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The window.
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The burst.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The spacing of requests once the burst is spent. Chosen so that a burst followed by evenly spaced
    /// requests never puts more than `max` into any window of `per`:
    /// `burst + (per / interval) - 1 <= max`.
    ///
    /// Rounded up to the nanosecond: truncating would let the last request of a full window land a
    /// few nanoseconds inside it.
    pub fn emission_interval(&self) -> Duration {
        let slots = u128::from(self.max - self.burst + 1);
        let nanos = self.per.as_nanos().div_ceil(slots);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// Something that makes callers wait their turn.
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Resolves when one more request may be sent. Never fails: when the budget is spent, it waits.
    fn acquire(&self) -> BoxFuture<'_, ()>;
}

/// A GCRA limiter for one process, shared by every clone of the client holding it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use partner_core::rate_limit::{GcraRateLimiter, Quota, RateLimiter};
/// let limiter = GcraRateLimiter::new(Quota::per_minute(1000));
/// limiter.acquire().await; // immediate while the burst lasts
/// # }
/// ```
#[derive(Clone)]
pub struct GcraRateLimiter {
    quota: Quota,
    /// The theoretical arrival time of the next request.
    tat: Arc<Mutex<Option<Instant>>>,
}

impl fmt::Debug for GcraRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GcraRateLimiter")
            .field("quota", &self.quota)
            .finish()
    }
}

impl GcraRateLimiter {
    /// A limiter enforcing `quota`.
    pub fn new(quota: Quota) -> Self {
        Self {
            quota,
            tat: Arc::new(Mutex::new(None)),
        }
    }

    /// The quota.
    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// Reserves the next slot and returns when it starts (now, or later).
    fn reserve(&self, now: Instant) -> Instant {
        let interval = self.quota.emission_interval();
        let tolerance = interval * (self.quota.burst - 1);
        let mut tat = self.tat.lock().unwrap_or_else(|e| e.into_inner());
        let current = tat.map_or(now, |t| t.max(now));
        let allowed_at = current.checked_sub(tolerance).map_or(now, |t| t.max(now));
        *tat = Some(current + interval);
        allowed_at
    }
}

impl RateLimiter for GcraRateLimiter {
    fn acquire(&self) -> BoxFuture<'_, ()> {
        let at = self.reserve(Instant::now());
        async move {
            if at > Instant::now() {
                tokio::time::sleep_until(at).await;
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emission_interval_rounds_up() {
        // 60 s / 951 is not a whole number of nanoseconds.
        let q = Quota::per_minute(1000).with_burst(50);
        assert!(q.emission_interval() * 951 >= Duration::from_secs(60));
        assert_eq!(
            Quota::per_second(3).with_burst(1).emission_interval(),
            Duration::from_nanos(333_333_334)
        );
    }

    #[test]
    fn emission_interval_keeps_any_window_within_max() {
        let q = Quota::per_minute(1000).with_burst(1);
        assert_eq!(q.emission_interval(), Duration::from_millis(60));
        let q = Quota::per_minute(1000);
        assert_eq!(q.burst(), 50);
        assert!(
            q.burst() as u128 + (q.per().as_nanos() / q.emission_interval().as_nanos()) - 1 <= 1000
        );
        assert_eq!(Quota::new(0, Duration::ZERO).max(), 1);
        assert_eq!(Quota::per_second(5).with_burst(99).burst(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn burst_then_spacing() {
        let limiter = GcraRateLimiter::new(Quota::per_second(10).with_burst(3));
        let start = Instant::now();
        let mut times = vec![];
        for _ in 0..6 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        let interval = Quota::per_second(10).with_burst(3).emission_interval(); // 1 s / 8
        assert_eq!(&times[..3], &[Duration::ZERO; 3]);
        assert_eq!(times[3], interval);
        assert_eq!(times[4], interval * 2);
        assert_eq!(times[5], interval * 3);
    }
}
