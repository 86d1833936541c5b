//! Pax8's documented limit, 1000 requests a minute: a fixed one-minute window over every request to
//! the simulator (token included); over the limit, 429 with `Retry-After` until the window ends.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::State;

const WINDOW: Duration = Duration::from_secs(60);

/// Counts requests per one-minute window.
pub(crate) struct Limiter {
    per_minute: u32,
    window: Mutex<(Instant, u32)>,
}

impl Limiter {
    pub(crate) fn new(per_minute: u32) -> Self {
        Limiter {
            per_minute,
            window: Mutex::new((Instant::now(), 0)),
        }
    }

    /// `Ok` to serve the request, else how long until the window resets.
    fn admit(&self) -> Result<(), Duration> {
        let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if w.0.elapsed() >= WINDOW {
            *w = (Instant::now(), 0);
        }
        if w.1 >= self.per_minute {
            return Err(WINDOW.saturating_sub(w.0.elapsed()));
        }
        w.1 += 1;
        Ok(())
    }
}

pub(crate) async fn enforce(
    AxState(state): AxState<Arc<State>>,
    request: Request,
    next: Next,
) -> Response {
    match state.limiter.admit() {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let body = json!({
                "type": "TOO_MANY_REQUESTS",
                "message": format!("Rate limit of {} requests per minute exceeded", state.limiter.per_minute),
                "instance": format!("/public{}", request.uri().path()),
                "status": 429,
                "details": []
            });
            let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
            if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
                response.headers_mut().insert(http::header::RETRY_AFTER, v);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit() {
        let limiter = Limiter::new(2);
        assert!(limiter.admit().is_ok());
        assert!(limiter.admit().is_ok());
        let wait = limiter.admit().unwrap_err();
        assert!(wait <= WINDOW && wait > Duration::from_secs(50));
    }
}
