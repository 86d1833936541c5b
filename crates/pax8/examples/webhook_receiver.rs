//! A webhook endpoint with axum: the `VerifiedEvent` extractor checks the `Authorization` header and
//! parses the event before the handler runs; the handler answers fast.
//!
//! ```sh
//! PAX8_WEBHOOK_SECRET=my_super_secret cargo run -p pax8 --features axum --example webhook_receiver
//! curl -X POST localhost:3000/pax8 -H 'Authorization: my_super_secret' \
//!   -d '{"webhookTopic":{"id":"t","topic":"INVOICE","filters":[]},"payloadData":{"action":"CREATED"}}'
//! ```

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::post;
use pax8::axum_extract::VerifiedEvent;
use pax8::{Event, WebhookVerifier};

async fn receive(VerifiedEvent(event): VerifiedEvent<Event>) -> StatusCode {
    // Pax8 waits at most 10 s: hand the event to a queue and fetch the resource later.
    match &event {
        Event::Invoice(delivery) => println!("invoice event: {:?}", delivery.action()),
        Event::Subscription(delivery) => {
            println!("subscription event: {:?}", delivery.line_item_type())
        }
        other => println!("{} event", other.topic()),
    }
    StatusCode::OK
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("PAX8_WEBHOOK_SECRET")?;
    let app = axum::Router::new()
        .route("/pax8", post(receive))
        .with_state(Arc::new(WebhookVerifier::new(secret)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://127.0.0.1:3000/pax8");
    axum::serve(listener, app).await?;
    Ok(())
}
