//! Attempt timers kept from one attempt to the next.
//!
//! Every attempt is bounded by a timer, and a fresh tokio timer costs more than its own work: when it
//! is registered while no earlier timer is pending (always the case between sequential calls), tokio
//! wakes its time driver through an eventfd, an extra syscall and context switch on every call (about
//! 5 % of a loopback GET; see docs/performance.md). A timer that is still registered from the previous
//! attempt avoids that: moving its deadline later is a single atomic update, and the driver learns of
//! the new deadline when the old one comes round. So the client keeps a few finished timers, still
//! registered, and resets one for the next attempt instead of making a new one. The client's other
//! bounded waits (the rate limiter, a token fetch) use the pool too; they take a timer only if the
//! future they bound is not ready at its first poll.
//!
//! A tokio timer belongs to the runtime that made it, so a kept timer is reused only on that runtime
//! (runtime ids are not reused while a kept timer holds its runtime's handle). A runtime that shuts
//! down fires all its timers, so a kept timer of another runtime that has fired is dropped when a
//! timer is put back, without being polled: the pool does not hold on to a dead runtime's handle.
//!
//! Two side effects, both bounded by the pool's size: a kept timer holds the waker of the last task
//! that used it until it is reused or its old deadline passes (and then wakes that task once, for
//! nothing); and under tokio's paused test clock, a runtime with nothing else to do auto-advances
//! the clock to a kept timer's deadline (at most the operation timeout ahead), as it would to any
//! pending timer.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use tokio::runtime::{Handle, Id};
use tokio::time::{Instant, Sleep};

/// How many finished timers are kept. Sequential callers need one; with more attempts in flight, the
/// timers they are running already keep the driver from being woken.
const CAPACITY: usize = 8;

/// A finished timer and the runtime it belongs to.
struct Kept {
    runtime: Id,
    sleep: Pin<Box<Sleep>>,
}

/// The timers a client keeps between attempts.
#[derive(Default)]
pub(crate) struct TimerPool {
    kept: Mutex<Vec<Kept>>,
}

impl TimerPool {
    /// Runs `future` until `deadline`, like [`tokio::time::timeout_at`], on a kept timer when one of
    /// this runtime's is free. The timer is taken only if the future is not ready at its first poll.
    pub(crate) fn timeout_at<F: Future>(
        &self,
        deadline: Instant,
        future: F,
    ) -> PooledTimeout<'_, F> {
        PooledTimeout {
            pool: self,
            deadline,
            future,
            timer: None,
        }
    }

    fn take(&self, deadline: Instant) -> Kept {
        let runtime = Handle::current().id();
        let kept = {
            let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            let index = kept.iter().rposition(|k| k.runtime == runtime);
            index.map(|i| kept.swap_remove(i))
        };
        match kept {
            Some(mut kept) => {
                kept.sleep.as_mut().reset(deadline);
                kept
            }
            None => Kept {
                runtime,
                sleep: Box::pin(tokio::time::sleep_until(deadline)),
            },
        }
    }

    fn put_back(&self, timer: Kept) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // Another runtime's timer that has fired: that runtime may have shut down, and keeping the
        // timer would keep its handle (and its driver's file descriptors) alive.
        kept.retain(|k| k.runtime == timer.runtime || !k.sleep.is_elapsed());
        if kept.len() == CAPACITY {
            // The oldest goes, so timers of a runtime no longer in use do not stay for good.
            kept.remove(0);
        }
        kept.push(timer);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.kept.lock().map(|k| k.len()).unwrap_or(0)
    }
}

pin_project_lite::pin_project! {
    /// The future of [`TimerPool::timeout_at`]: the output of the inner future, or `Err(Elapsed)`.
    pub(crate) struct PooledTimeout<'a, F> {
        pool: &'a TimerPool,
        deadline: Instant,
        // Pinned in place rather than required to be `Unpin`, so the client's default transport
        // runs unboxed.
        #[pin]
        future: F,
        timer: Option<Kept>,
    }

    impl<'a, F> PinnedDrop for PooledTimeout<'a, F> {
        fn drop(this: Pin<&mut Self>) {
            // Kept as it is, still registered with its deadline: nothing is polled here, so dropping
            // is safe even while the runtime shuts down. The waker it holds is replaced at its next
            // use.
            let this = this.project();
            if let Some(timer) = this.timer.take() {
                this.pool.put_back(timer);
            }
        }
    }
}

/// The deadline passed before the future finished.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Elapsed;

impl<F: Future> Future for PooledTimeout<'_, F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // The future first, as tokio's timeout does: an answer that is ready wins over a deadline
        // that passed at the same time.
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        let pool = *this.pool;
        let deadline = *this.deadline;
        let timer = this.timer.get_or_insert_with(|| pool.take(deadline));
        // Outside the task's budget, as tokio's timeout does, so a busy future still times out.
        let mut sleep = tokio::task::coop::unconstrained(timer.sleep.as_mut());
        match Pin::new(&mut sleep).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn pending_for(duration: Duration) -> Pin<Box<tokio::time::Sleep>> {
        Box::pin(tokio::time::sleep(duration))
    }

    #[tokio::test(start_paused = true)]
    async fn a_ready_future_takes_no_timer() {
        let pool = TimerPool::default();
        let out = pool.timeout_at(Instant::now(), std::future::ready(7)).await;
        assert_eq!(out, Ok(7));
        assert_eq!(pool.len(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_kept_timer_fires_at_each_new_deadline_earlier_or_later() {
        let pool = &TimerPool::default();
        // An attempt that finishes 1 s into its 30 s: its timer is kept, still registered.
        let finish_early = || async {
            let started = Instant::now();
            let out = pool
                .timeout_at(
                    started + Duration::from_secs(30),
                    pending_for(Duration::from_secs(1)),
                )
                .await;
            assert_eq!(out, Ok(()));
        };
        let time_out = |timeout: Duration| async move {
            let started = Instant::now();
            let out = pool
                .timeout_at(started + timeout, pending_for(Duration::from_secs(3600)))
                .await;
            assert_eq!(out, Err(Elapsed));
            assert_eq!(started.elapsed(), timeout);
        };

        // Later than the kept deadline: tokio only extends the registered timer, whose old slot
        // comes round at 29 s and must not fire.
        finish_early().await;
        assert_eq!(pool.len(), 1);
        time_out(Duration::from_secs(45)).await;
        assert_eq!(pool.len(), 1, "the same timer is reused");

        // Earlier than the kept deadline: the timer must be moved back.
        finish_early().await;
        time_out(Duration::from_secs(2)).await;
        assert_eq!(pool.len(), 1);

        // A kept timer whose old deadline has long passed still bounds the next attempt.
        finish_early().await;
        tokio::time::sleep(Duration::from_secs(120)).await;
        time_out(Duration::from_secs(5)).await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_pinned_future_dropped_while_pending_puts_its_timer_back() {
        let pool = TimerPool::default();
        // An `async` block is `!Unpin`: the future is pinned inside the timeout, not moved.
        let never = async {
            let local = [0u8; 64];
            std::future::pending::<()>().await;
            local.len()
        };
        let mut timeout =
            Box::pin(pool.timeout_at(Instant::now() + Duration::from_secs(30), never));
        assert!(futures_util::poll!(timeout.as_mut()).is_pending());
        assert_eq!(pool.len(), 0, "the timer is in use");
        drop(timeout);
        assert_eq!(pool.len(), 1, "dropping the pending attempt kept its timer");
    }

    #[tokio::test(start_paused = true)]
    async fn the_answer_wins_when_it_arrives_before_the_deadline() {
        let pool = TimerPool::default();
        for _ in 0..3 {
            let started = Instant::now();
            let out = pool
                .timeout_at(
                    started + Duration::from_secs(10),
                    pending_for(Duration::from_secs(9)),
                )
                .await;
            assert_eq!(out, Ok(()));
            assert_eq!(started.elapsed(), Duration::from_secs(9));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_attempts_each_have_their_own_timer_and_the_pool_stays_bounded() {
        let pool = TimerPool::default();
        let started = Instant::now();
        let attempts = (0..CAPACITY as u64 + 4).map(|i| {
            pool.timeout_at(
                started + Duration::from_secs(10 + i),
                pending_for(Duration::from_secs(3600)),
            )
        });
        let outs = futures_util::future::join_all(attempts).await;
        assert!(outs.iter().all(|o| *o == Err(Elapsed)));
        assert_eq!(
            started.elapsed(),
            Duration::from_secs(10 + CAPACITY as u64 + 3)
        );
        assert_eq!(pool.len(), CAPACITY);
    }

    #[test]
    fn a_timer_is_never_reused_on_another_runtime() {
        let pool = TimerPool::default();
        let paused = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap()
        };
        let first = paused();
        first.block_on(async {
            let out = pool
                .timeout_at(
                    Instant::now() + Duration::from_secs(30),
                    pending_for(Duration::from_secs(1)),
                )
                .await;
            assert_eq!(out, Ok(()));
        });
        assert_eq!(pool.len(), 1);
        // The first runtime is gone: its timer must not be polled, or tokio would panic.
        drop(first);
        paused().block_on(async {
            let started = Instant::now();
            let out = pool
                .timeout_at(
                    started + Duration::from_secs(2),
                    pending_for(Duration::from_secs(3600)),
                )
                .await;
            assert_eq!(out, Err(Elapsed));
            assert_eq!(started.elapsed(), Duration::from_secs(2));
        });
        // The first runtime's timer fired when it shut down, and went when this one was put back.
        assert_eq!(pool.len(), 1);
    }
}
