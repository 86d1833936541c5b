//! Fault injection: latency, 5xx errors, 429 bursts and dropped connections.
//!
//! Faults apply per provider (one server each) or globally; a provider's own configuration wins over the
//! global one. They never apply to the sandbox's own `/__sandbox/...` endpoints, so a test can always
//! reach the admin endpoints of a server it made unreliable.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One of the four simulated APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// The PayPal partner API.
    Paypal,
    /// The Pax8 partner API.
    Pax8,
    /// The Procuret API.
    Procuret,
    /// The Leanpub affiliate API.
    Leanpub,
}

impl Provider {
    /// All providers, in a fixed order.
    pub const ALL: [Provider; 4] = [
        Provider::Paypal,
        Provider::Pax8,
        Provider::Procuret,
        Provider::Leanpub,
    ];

    fn index(self) -> usize {
        match self {
            Provider::Paypal => 0,
            Provider::Pax8 => 1,
            Provider::Procuret => 2,
            Provider::Leanpub => 3,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Provider::Paypal => "paypal",
            Provider::Pax8 => "pax8",
            Provider::Procuret => "procuret",
            Provider::Leanpub => "leanpub",
        })
    }
}

/// What can go wrong with a request, as the sandbox simulates it.
///
/// Rates are probabilities in `0.0..=1.0`, drawn from the sandbox's seeded generator. A throttle burst
/// answers the next `n` requests with 429 and `Retry-After`, then stops by itself.
///
/// ```
/// use std::time::Duration;
/// use partner_sandbox::FaultConfig;
/// let faults = FaultConfig::new()
///     .latency(Duration::from_millis(50))
///     .error_rate(0.2)
///     .throttle(3, Duration::from_secs(1));
/// assert_eq!(faults.throttle_count(), 3);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    latency_ms: u64,
    error_rate: f64,
    error_status: u16,
    drop_rate: f64,
    throttle_count: u32,
    retry_after_secs: u64,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_ms: 0,
            error_rate: 0.0,
            error_status: 503,
            drop_rate: 0.0,
            throttle_count: 0,
            retry_after_secs: 1,
        }
    }
}

impl FaultConfig {
    /// No faults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Delays every request by `latency` before it is answered.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Answers this share of requests with a 5xx error (503 unless [`FaultConfig::error_status`]).
    pub fn error_rate(mut self, rate: f64) -> Self {
        self.error_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// The status used for injected errors; values outside 500..=599 are replaced by 503.
    pub fn error_status(mut self, status: u16) -> Self {
        self.error_status = if (500..=599).contains(&status) {
            status
        } else {
            503
        };
        self
    }

    /// Closes this share of connections without answering the request.
    pub fn drop_rate(mut self, rate: f64) -> Self {
        self.drop_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// Answers the next `count` requests with 429 and `Retry-After: retry_after` (whole seconds, at least 1).
    pub fn throttle(mut self, count: u32, retry_after: Duration) -> Self {
        self.throttle_count = count;
        self.retry_after_secs = retry_after.as_secs().max(1);
        self
    }

    /// The injected latency.
    pub fn latency_value(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// The share of requests answered with a 5xx error.
    pub fn error_rate_value(&self) -> f64 {
        self.error_rate
    }

    /// The share of connections dropped.
    pub fn drop_rate_value(&self) -> f64 {
        self.drop_rate
    }

    /// How many 429 answers remain in the configured burst.
    pub fn throttle_count(&self) -> u32 {
        self.throttle_count
    }

    /// Whether this configuration injects nothing.
    pub fn is_none(&self) -> bool {
        self.latency_ms == 0
            && self.error_rate == 0.0
            && self.drop_rate == 0.0
            && self.throttle_count == 0
    }

    fn sanitized(mut self) -> Self {
        self.error_rate = if self.error_rate.is_finite() {
            self.error_rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.drop_rate = if self.drop_rate.is_finite() {
            self.drop_rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if !(500..=599).contains(&self.error_status) {
            self.error_status = 503;
        }
        self.retry_after_secs = self.retry_after_secs.max(1);
        self
    }
}

/// What the server does with one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Action {
    Pass,
    Error(u16),
    Throttle(Duration),
    Drop,
}

/// The fault decision for one request: wait `latency`, then do `action`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision {
    pub(crate) latency: Duration,
    pub(crate) action: Action,
}

struct Inner {
    global: FaultConfig,
    per_provider: [Option<FaultConfig>; 4],
    rng: fastrand::Rng,
}

/// The runtime fault switchboard of a running sandbox; cheap to clone.
#[derive(Clone)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.lock();
        f.debug_struct("Faults")
            .field("global", &inner.global)
            .field("per_provider", &inner.per_provider)
            .finish()
    }
}

impl Faults {
    pub(crate) fn new(
        global: FaultConfig,
        per_provider: [Option<FaultConfig>; 4],
        seed: u64,
    ) -> Self {
        Faults {
            inner: Arc::new(Mutex::new(Inner {
                global: global.sanitized(),
                per_provider: per_provider.map(|c| c.map(FaultConfig::sanitized)),
                rng: fastrand::Rng::with_seed(seed ^ 0xFA17_FA17),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the faults of every provider that has no configuration of its own.
    pub fn set_global(&self, config: FaultConfig) {
        self.lock().global = config.sanitized();
    }

    /// Sets the faults of one provider (overrides the global configuration for it).
    pub fn set(&self, provider: Provider, config: FaultConfig) {
        self.lock().per_provider[provider.index()] = Some(config.sanitized());
    }

    /// Removes the faults of one provider (it falls back to the global configuration).
    pub fn clear_provider(&self, provider: Provider) {
        self.lock().per_provider[provider.index()] = None;
    }

    /// Removes every fault, global and per provider.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.global = FaultConfig::default();
        inner.per_provider = [None, None, None, None];
    }

    /// The configuration in force for `provider` (its own, else the global one), with the remaining
    /// throttle burst.
    pub fn effective(&self, provider: Provider) -> FaultConfig {
        let inner = self.lock();
        inner.per_provider[provider.index()]
            .clone()
            .unwrap_or_else(|| inner.global.clone())
    }

    pub(crate) fn decide(&self, provider: Provider) -> Decision {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let config = match &mut inner.per_provider[provider.index()] {
            Some(own) => own,
            None => &mut inner.global,
        };
        let latency = Duration::from_millis(config.latency_ms);
        let action = if config.throttle_count > 0 {
            config.throttle_count -= 1;
            Action::Throttle(Duration::from_secs(config.retry_after_secs))
        } else if config.drop_rate > 0.0 && inner.rng.f64() < config.drop_rate {
            Action::Drop
        } else if config.error_rate > 0.0 && inner.rng.f64() < config.error_rate {
            Action::Error(config.error_status)
        } else {
            Action::Pass
        };
        Decision { latency, action }
    }
}

/// `GET|PUT|POST|DELETE /__sandbox/faults`: read, set or clear this provider's faults over HTTP. The body
/// is a [`FaultConfig`] in JSON (`latency_ms`, `error_rate`, `error_status`, `drop_rate`, `throttle_count`,
/// `retry_after_secs`; missing fields take their defaults).
pub(crate) fn admin_routes(faults: Faults, provider: Provider) -> axum::Router {
    use axum::extract::State;
    use axum::routing::get;
    use axum::{Json, http::StatusCode};

    type S = State<(Faults, Provider)>;
    async fn read(State((faults, provider)): S) -> Json<FaultConfig> {
        Json(faults.effective(provider))
    }
    async fn write(
        State((faults, provider)): S,
        Json(config): Json<FaultConfig>,
    ) -> Json<FaultConfig> {
        faults.set(provider, config);
        Json(faults.effective(provider))
    }
    async fn clear(State((faults, provider)): S) -> StatusCode {
        faults.clear_provider(provider);
        StatusCode::NO_CONTENT
    }
    axum::Router::new()
        .route(
            "/__sandbox/faults",
            get(read).put(write).post(write).delete(clear),
        )
        .with_state((faults, provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_burst_ends_by_itself() {
        let faults = Faults::new(FaultConfig::default(), [None, None, None, None], 1);
        faults.set(
            Provider::Pax8,
            FaultConfig::new().throttle(2, Duration::from_secs(3)),
        );
        assert_eq!(
            faults.decide(Provider::Pax8).action,
            Action::Throttle(Duration::from_secs(3))
        );
        assert_eq!(
            faults.decide(Provider::Pax8).action,
            Action::Throttle(Duration::from_secs(3))
        );
        assert_eq!(faults.decide(Provider::Pax8).action, Action::Pass);
        assert_eq!(faults.decide(Provider::Paypal).action, Action::Pass);
    }

    #[test]
    fn provider_config_overrides_global() {
        let faults = Faults::new(
            FaultConfig::new().error_rate(1.0),
            [None, None, None, None],
            1,
        );
        assert_eq!(faults.decide(Provider::Leanpub).action, Action::Error(503));
        faults.set(Provider::Leanpub, FaultConfig::new());
        assert_eq!(faults.decide(Provider::Leanpub).action, Action::Pass);
        faults.clear();
        assert_eq!(faults.decide(Provider::Paypal).action, Action::Pass);
    }

    #[test]
    fn rates_are_clamped_and_statuses_sane() {
        let c = FaultConfig::new()
            .error_rate(7.0)
            .drop_rate(-1.0)
            .error_status(404);
        assert_eq!(c.error_rate_value(), 1.0);
        assert_eq!(c.drop_rate_value(), 0.0);
        assert_eq!(c.error_status, 503);
    }
}
