//! What the end-to-end tests against `partner-sandbox` share: the real transport, recording every
//! attempt, and able to lift a provider's injected faults after a given number of attempts, so that
//! a test decides exactly how many attempts fail.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use partner_core::error::TransportError;
use partner_core::http::{HeaderMap, Method};
use partner_core::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
use partner_sandbox::{Faults, Provider};

/// One attempt as it left the client.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The method.
    pub method: Method,
    /// The raw path, without the query.
    pub path: String,
    /// The headers, as sent.
    pub headers: HeaderMap,
}

#[derive(Debug)]
struct Heal {
    path: String,
    after: usize,
    faults: Faults,
    provider: Provider,
}

/// The real reqwest transport, recording every attempt.
#[derive(Debug)]
pub struct SandboxRecorder {
    inner: ReqwestTransport,
    seen: Mutex<Vec<Attempt>>,
    heal: Mutex<Option<Heal>>,
}

impl SandboxRecorder {
    /// A recorder over a new reqwest transport.
    ///
    /// # Panics
    ///
    /// When the transport cannot be built (no TLS roots): a test set-up failure.
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: ReqwestTransport::new().expect("the reqwest transport builds"),
            seen: Mutex::default(),
            heal: Mutex::default(),
        })
    }

    /// The attempts made so far with `method` on `path`, in order.
    pub fn attempts(&self, method: &Method, path: &str) -> Vec<Attempt> {
        lock(&self.seen)
            .iter()
            .filter(|attempt| attempt.method == method && attempt.path == path)
            .cloned()
            .collect()
    }

    /// Clears `provider`'s faults once more than `after` attempts have been made on `path`.
    pub fn heal_after(&self, path: &str, after: usize, faults: &Faults, provider: Provider) {
        *lock(&self.heal) = Some(Heal {
            path: path.to_owned(),
            after,
            faults: faults.clone(),
            provider,
        });
    }

    fn record(&self, request: &HttpRequest) {
        let path = request.uri().path().to_owned();
        let count = {
            let mut seen = lock(&self.seen);
            seen.push(Attempt {
                method: request.method().clone(),
                path: path.clone(),
                headers: request.headers().clone(),
            });
            seen.iter().filter(|attempt| attempt.path == path).count()
        };
        let mut heal = lock(&self.heal);
        if heal
            .as_ref()
            .is_some_and(|h| h.path == path && count > h.after)
            && let Some(h) = heal.take()
        {
            h.faults.clear_provider(h.provider);
        }
    }
}

impl Transport for SandboxRecorder {
    fn send(
        &self,
        request: HttpRequest,
        max_response_bytes: usize,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>> {
        self.record(&request);
        self.inner.send(request, max_response_bytes)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
