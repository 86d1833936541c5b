//! A webhook endpoint with axum: the `VerifiedEvent` extractor checks PayPal's signature (and refuses
//! replays) and parses the event before the handler runs; the handler answers fast.
//!
//! ```sh
//! PAYPAL_CLIENT_ID=... PAYPAL_CLIENT_SECRET=... PAYPAL_WEBHOOK_ID=<the id of your webhook> \
//! cargo run -p paypal-partner --features axum --example webhook_receiver
//! ```
//!
//! Register `https://<your public host>/paypal` as the webhook URL of your REST app; PayPal signs
//! every delivery for that webhook's id.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::post;
use paypal_partner::Client;
use paypal_partner::axum_extract::VerifiedEvent;
use paypal_partner::webhooks::{Event, WebhookVerifier};

async fn receive(VerifiedEvent(event): VerifiedEvent<Event>) -> StatusCode {
    // PayPal retries any answer but 2xx: hand the event to a queue, and before acting on money,
    // confirm it with the API (`client.webhooks().confirm(&event)`).
    match &event {
        Event::OnboardingCompleted(done) => {
            println!("seller {:?} finished onboarding", done.resource.merchant_id)
        }
        Event::CaptureCompleted(capture) => println!("capture {} completed", capture.resource.id),
        Event::Unknown { event_type, .. } => println!("{event_type} (not typed by this crate)"),
        other => println!("{} event", other.event_type()),
    }
    StatusCode::OK
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let webhook_id = std::env::var("PAYPAL_WEBHOOK_ID")?;
    let verifier = WebhookVerifier::builder(&client, webhook_id).build();
    let app = axum::Router::new()
        .route("/paypal", post(receive))
        .with_state(Arc::new(verifier));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://127.0.0.1:3000/paypal");
    axum::serve(listener, app).await?;
    Ok(())
}
