//! Test doubles shared by the core's integration tests.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use partner_core::error::{TransportError, TransportErrorKind};
use partner_core::http::{self, HeaderMap, StatusCode};
use partner_core::transport::{HttpRequest, HttpResponse, Transport};

/// What a scripted exchange does.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answer with a status, headers and body.
    Reply(u16, Vec<(&'static str, String)>, String),
    /// Fail with a transport error of this kind.
    Fail(TransportErrorKind),
    /// Wait (on tokio's clock), then answer.
    Slow(Duration, u16, String),
}

pub fn reply(status: u16, body: &str) -> Step {
    Step::Reply(status, vec![], body.to_owned())
}

/// A request as the transport saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: http::Method,
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: tokio::time::Instant,
}

/// An in-memory transport that plays a script and records what it was sent; exact under paused time.
#[derive(Debug, Clone, Default)]
pub struct ScriptedTransport {
    script: Arc<Mutex<VecDeque<Step>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Answer used once the script is exhausted.
    fallback: Arc<Mutex<Option<Step>>>,
}

impl ScriptedTransport {
    pub fn new(steps: Vec<Step>) -> Self {
        Self {
            script: Arc::new(Mutex::new(steps.into())),
            ..Self::default()
        }
    }

    pub fn with_fallback(self, step: Step) -> Self {
        *self.fallback.lock().unwrap() = Some(step);
        self
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn arc(&self) -> Arc<dyn Transport> {
        Arc::new(self.clone())
    }
}

fn response(status: u16, headers: &[(&'static str, String)], body: String) -> HttpResponse {
    let mut r = http::Response::new(Bytes::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    for (k, v) in headers {
        r.headers_mut().insert(*k, v.parse().unwrap());
    }
    r
}

impl Transport for ScriptedTransport {
    fn send(
        &self,
        request: HttpRequest,
        max: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let (parts, body) = request.into_parts();
        self.seen.lock().unwrap().push(Seen {
            method: parts.method,
            uri: parts.uri.to_string(),
            headers: parts.headers,
            body,
            at: tokio::time::Instant::now(),
        });
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .or_else(|| self.fallback.lock().unwrap().clone());
        async move {
            let step = step.expect("the script ran out of steps");
            let out = match step {
                Step::Reply(status, headers, body) => response(status, &headers, body),
                Step::Fail(kind) => return Err(TransportError::new(kind, "scripted failure")),
                Step::Slow(delay, status, body) => {
                    tokio::time::sleep(delay).await;
                    response(status, &[], body)
                }
            };
            if out.body().len() > max {
                return Err(TransportError::body_too_large(max));
            }
            Ok(out)
        }
        .boxed()
    }
}

/// A real HTTP server on loopback that answers from a script and records requests.
pub struct ScriptServer {
    pub addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Step>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ScriptServer {
    pub async fn start(steps: Vec<Step>) -> Self {
        use axum::extract::Request;
        use axum::response::IntoResponse;
        let script: Arc<Mutex<VecDeque<Step>>> = Arc::new(Mutex::new(steps.into()));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (s, r) = (script.clone(), seen.clone());
        let app = axum::Router::new().fallback(move |req: Request| {
            let (s, r) = (s.clone(), r.clone());
            async move {
                let (parts, body) = req.into_parts();
                let body = axum::body::to_bytes(body, usize::MAX)
                    .await
                    .unwrap_or_default();
                r.lock().unwrap().push(Seen {
                    method: parts.method,
                    uri: parts.uri.to_string(),
                    headers: parts.headers,
                    body,
                    at: tokio::time::Instant::now(),
                });
                let step = s.lock().unwrap().pop_front().unwrap_or(Step::Reply(
                    500,
                    vec![],
                    "script exhausted".into(),
                ));
                match step {
                    Step::Reply(status, headers, body) => {
                        let mut resp =
                            (StatusCode::from_u16(status).unwrap(), body).into_response();
                        for (k, v) in headers {
                            resp.headers_mut().insert(k, v.parse().unwrap());
                        }
                        resp
                    }
                    Step::Slow(d, status, body) => {
                        tokio::time::sleep(d).await;
                        (StatusCode::from_u16(status).unwrap(), body).into_response()
                    }
                    Step::Fail(_) => (StatusCode::INTERNAL_SERVER_ERROR, "").into_response(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            script,
            seen,
            task,
        }
    }

    pub fn url(&self, path: &str) -> partner_core::url::Url {
        format!("http://{}{}", self.addr, path).parse().unwrap()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for ScriptServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
