//! Sends one discount request, in the sandbox.
//!
//! ```sh
//! LEANPUB_API_KEY=... LEANPUB_PARTNER_ID=my-shop \
//! LEANPUB_PRODUCT_ID=the-book LEANPUB_ORIGIN=shop.example.com \
//!   cargo run -p leanpub-affiliate --example discount_request
//! ```
//!
//! `LEANPUB_BASE_URL` points it elsewhere (a local simulator: `http://127.0.0.1:8080/api/v2/`).
//! `LEANPUB_PRODUCT_ID`, `LEANPUB_ORIGIN` and `LEANPUB_RECIPIENT_EMAIL` default to demo values; in the
//! sandbox the service mails its own predefined address anyway and creates no coupon.
//!
//! This example never asks for production. Real code does it with `.production()` on the request.

use std::env;
use std::process::ExitCode;

use leanpub_affiliate::{Client, DiscountRequest, Error, Recipient};

fn var_or(name: &str, default: &str) -> String {
    env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let api_key = env::var("LEANPUB_API_KEY").map_err(|_| "set LEANPUB_API_KEY")?;
    let partner_id = env::var("LEANPUB_PARTNER_ID").map_err(|_| "set LEANPUB_PARTNER_ID")?;

    let mut builder = Client::builder().api_key(api_key).partner_id(partner_id);
    if let Ok(base_url) = env::var("LEANPUB_BASE_URL") {
        let base_url = base_url
            .parse()
            .map_err(|e| format!("LEANPUB_BASE_URL is not a URL: {e}"))?;
        builder = builder.base_url(base_url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;

    let request = DiscountRequest::builder()
        .product_id(var_or("LEANPUB_PRODUCT_ID", "the-book"))
        .origin(var_or("LEANPUB_ORIGIN", "shop.example.com"))
        .transaction_id("example-0001")
        .recipient(Recipient::new(
            "Zoë",
            "Ñúñez",
            var_or("LEANPUB_RECIPIENT_EMAIL", "zoe@example.com"),
        ))
        .build()
        .map_err(|e| e.to_string())?;

    match client.request_discount(&request).await {
        Ok(ack) => {
            println!(
                "acknowledged in {} mode: the job is scheduled, no coupon or email is confirmed",
                ack.mode
            );
            println!("  message:          {:?}", ack.message);
            println!("  requestId:        {:?}", ack.request_id);
            println!("  x-amzn-RequestId: {:?}", ack.aws_request_id);
            Ok(())
        }
        Err(Error::InvalidOrigin(reply)) => Err(format!(
            "origin {:?} is not registered for this partner: {reply}",
            request.origin()
        )),
        Err(err) if err.may_have_been_applied() => Err(format!(
            "the outcome is unknown, a coupon may have been scheduled; check before resending: {err}"
        )),
        Err(err) => Err(format!("refused: {err}")),
    }
}
