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
