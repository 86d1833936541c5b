//! The PayPal flow's webhook receiver: an axum route on `127.0.0.1` that verifies every delivery
//! locally (PayPal's signature, with the certificate the simulator serves) before answering, and
//! hands the verified events to the tour.
//!
//! The listener is bound first, so that its URL can be given to PayPal before anything is served;
//! deliveries that arrive before [`Receiver::serve`] wait in the listen backlog.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use paypal_partner::ids::CaptureId;
use paypal_partner::orders::Capture;
use paypal_partner::webhooks::{Event, EventEnvelope, WebhookError, WebhookVerifier};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The path deliveries are posted to.
const PATH: &str = "/paypal/webhooks";

/// A bound, not yet serving, receiver.
pub(crate) struct Receiver {
    listener: TcpListener,
    url: String,
}

impl Receiver {
    /// Binds a free port on the loopback interface.
    pub(crate) async fn bind() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}{PATH}", listener.local_addr()?);
        Ok(Self { listener, url })
    }

    /// Where PayPal delivers: `http://127.0.0.1:<port>/paypal/webhooks`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Serves the route, verifying each delivery with `verifier`, until the returned handle drops.
    pub(crate) fn serve(self, verifier: WebhookVerifier) -> Deliveries {
        let (tx, rx) = mpsc::unbounded_channel();
        let app = axum::Router::new()
            .route(PATH, post(receive))
            .with_state((verifier, tx));
        let server = tokio::spawn(async move {
            // The server ends only when the tour drops it; an I/O error just ends the deliveries,
            // which the tour reports as a timeout naming what it waited for.
            let _ = axum::serve(self.listener, app).await;
        });
        Deliveries { rx, server }
    }
}

type Verified = Result<Event, WebhookError>;

/// Verifies before answering: 200 for a verified event, and the verifier's status (400, or 503
/// when it could not check) for a refused one, so that PayPal would deliver again only when that
/// can help. Either way the outcome goes to the tour, which reports a refusal rather than waiting.
async fn receive(
    State((verifier, tx)): State<(WebhookVerifier, mpsc::UnboundedSender<Verified>)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let verified = verifier.verify(&headers, &body).await;
    let status = match &verified {
        Ok(_) => StatusCode::OK,
        Err(err) => StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST),
    };
    // The tour may have stopped listening; the answer to PayPal does not depend on it.
    let _ = tx.send(verified);
    status
}

/// The verified events, as they arrive.
pub(crate) struct Deliveries {
    rx: mpsc::UnboundedReceiver<Verified>,
    server: JoinHandle<()>,
}

impl Deliveries {
    /// Waits at most `within` for the verified `PAYMENT.CAPTURE.COMPLETED` of capture `id`, skipping
    /// the other events (the onboarding, earlier captures).
    ///
    /// # Errors
    ///
    /// A message naming the capture when no such event arrives in time, or when a delivery fails
    /// verification (the tour must not wait past a refused signature).
    pub(crate) async fn capture_completed(
        &mut self,
        id: &CaptureId,
        within: Duration,
    ) -> Result<EventEnvelope<Capture>, String> {
        let wanted = async {
            while let Some(verified) = self.rx.recv().await {
                match verified {
                    Ok(Event::CaptureCompleted(event)) if &event.resource.id == id => {
                        return Ok(event);
                    }
                    Ok(_) => {}
                    Err(err) => {
                        return Err(format!("a webhook delivery failed verification: {err}"));
                    }
                }
            }
            Err("the webhook receiver stopped".to_owned())
        };
        tokio::time::timeout(within, wanted)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "no verified {} for capture {id} within {within:?}",
                    Event::CAPTURE_COMPLETED
                ))
            })
    }
}

impl Drop for Deliveries {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::time::Instant;

    use paypal_partner::{Client, Environment};

    use super::*;

    /// A client that is never called: the deliveries below fail before any certificate download.
    fn verifier() -> WebhookVerifier {
        let client = Client::builder()
            .client_id("tour-test")
            .client_secret("tour-test-secret")
            .environment(Environment::Custom(
                "http://127.0.0.1:9/".parse().expect("a valid URL"),
            ))
            .build()
            .expect("a valid client");
        WebhookVerifier::builder(&client, "WH-TOUR-TEST").build()
    }

    /// Posts `body` without PayPal's signature headers and returns the status line.
    async fn post_unsigned(url: &str, body: &'static str) -> String {
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches(PATH)
            .to_owned();
        tokio::task::spawn_blocking(move || {
            let mut stream = std::net::TcpStream::connect(&addr).expect("the receiver accepts");
            write!(
                stream,
                "POST {PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .expect("the request is written");
            let mut answer = String::new();
            stream
                .read_to_string(&mut answer)
                .expect("the answer is read");
            answer.lines().next().unwrap_or_default().to_owned()
        })
        .await
        .expect("the client thread ends")
    }

    #[tokio::test]
    async fn waiting_for_a_capture_that_never_comes_ends_with_a_message() {
        let receiver = Receiver::bind().await.expect("a loopback port");
        let mut deliveries = receiver.serve(verifier());
        let started = Instant::now();
        let err = deliveries
            .capture_completed(
                &CaptureId::from("3RD0BM4K3X5VG1BBA"),
                Duration::from_millis(200),
            )
            .await
            .expect_err("nothing was delivered");
        assert!(
            err.contains("no verified PAYMENT.CAPTURE.COMPLETED for capture 3RD0BM4K3X5VG1BBA"),
            "{err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the wait is bounded"
        );
    }

    #[tokio::test]
    async fn an_unsigned_delivery_is_refused_and_reported_at_once() {
        let receiver = Receiver::bind().await.expect("a loopback port");
        let url = receiver.url().to_owned();
        let mut deliveries = receiver.serve(verifier());
        let status = post_unsigned(
            &url,
            r#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"3RD0BM4K3X5VG1BBA"}}"#,
        )
        .await;
        assert!(status.contains(" 400 "), "{status}");
        // Refused, not waited on: the error comes long before the (generous) deadline.
        let err = deliveries
            .capture_completed(
                &CaptureId::from("3RD0BM4K3X5VG1BBA"),
                Duration::from_secs(30),
            )
            .await
            .expect_err("an unsigned delivery is no event");
        assert!(err.contains("failed verification"), "{err}");
    }
}
