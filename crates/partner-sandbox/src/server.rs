//! The accept loop shared by the four simulators.
//!
//! It is hand-written on hyper rather than `axum::serve` because fault injection needs to drop a
//! connection without answering: when the service future fails, hyper's HTTP/1 connection ends with no
//! response, which a client sees as a connection error (what a crashed load balancer looks like).

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::faults::{Action, Faults, Provider};

/// Builds a provider-shaped error response for an injected fault: a 5xx status, or 429 with the
/// `Retry-After` delay.
pub(crate) type FaultResponder = fn(u16, Option<Duration>) -> Response;

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct DroppedConnection;

impl fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DroppedConnection {}

/// A running server: the means to stop it.
pub(crate) struct Running {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, aborts open connections and waits for the loop to end.
    pub(crate) async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Binds `127.0.0.1:port` (0 = any free port).
pub(crate) async fn bind(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await
}

/// Serves `router` on `listener` until shut down, applying the faults of `provider`.
pub(crate) fn spawn(
    listener: TcpListener,
    router: Router,
    provider: Provider,
    faults: Faults,
    responder: FaultResponder,
) -> std::io::Result<Running> {
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = &mut stop_rx => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        // Out of file descriptors and the like: back off instead of spinning.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    let router = router.clone();
                    let faults = faults.clone();
                    connections.spawn(async move {
                        let service = hyper::service::service_fn(move |request| {
                            handle(router.clone(), faults.clone(), provider, responder, request)
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .timer(TokioTimer::new())
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    });
    Ok(Running {
        stop: Some(stop_tx),
        task: Some(task),
    })
}

async fn handle(
    mut router: Router,
    faults: Faults,
    provider: Provider,
    responder: FaultResponder,
    request: http::Request<Incoming>,
) -> Result<Response, DroppedConnection> {
    let mut latency = Duration::ZERO;
    if !request.uri().path().starts_with("/__sandbox/") {
        let decision = faults.decide(provider);
        latency = decision.latency;
        match decision.action {
            Action::Pass => {}
            Action::Drop => return Err(DroppedConnection),
            Action::Error(status) => return delayed(latency, responder(status, None)).await,
            Action::Throttle(retry_after) => {
                return delayed(latency, responder(429, Some(retry_after))).await;
            }
        }
    }
    // The request is applied in a task of its own, and the latency comes after it, as with a slow
    // gateway in front of a fast backend: a client that gives up waiting leaves the request applied,
    // which is the case "never retry a POST after it may have reached the server" exists for.
    let applied = tokio::spawn(async move {
        let response: Result<Response, Infallible> =
            tower_service::Service::call(&mut router, request).await;
        response.unwrap_or_else(|never| match never {})
    });
    let response = applied.await.map_err(|_| DroppedConnection)?;
    delayed(latency, response).await
}

async fn delayed(latency: Duration, response: Response) -> Result<Response, DroppedConnection> {
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    Ok(response)
}
