//! A webhook endpoint with axum: checks the `Authorization` header, parses the event, answers fast.
//!
//! ```sh
//! PAX8_WEBHOOK_SECRET=my_super_secret cargo run -p pax8 --example webhook_server
//! curl -X POST localhost:3000/pax8 -H 'Authorization: my_super_secret' \
//!   -d '{"webhookTopic":{"id":"t","topic":"INVOICE","filters":[]},"payloadData":{"action":"CREATED"}}'
//! ```

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use pax8::WebhookReceiver;

async fn receive(
    State(receiver): State<Arc<WebhookReceiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    match receiver.verify_and_parse(&headers, &body) {
        Ok(event) => {
            // Pax8 waits at most 10 s: hand the event to a queue and fetch the resource later.
            println!("{:?} {:?}", event.topic(), event.action());
            StatusCode::OK
        }
        Err(err) => {
            eprintln!("refused: {err}");
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST)
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("PAX8_WEBHOOK_SECRET")?;
    let app = axum::Router::new()
        .route("/pax8", post(receive))
        .with_state(Arc::new(WebhookReceiver::new(secret)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://127.0.0.1:3000/pax8");
    axum::serve(listener, app).await?;
    Ok(())
}
