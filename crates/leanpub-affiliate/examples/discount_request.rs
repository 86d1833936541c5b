//! Sends one discount request, in the sandbox unless `LEANPUB_ENVIRONMENT=production`.
//!
//! ```sh
//! LEANPUB_API_KEY=... LEANPUB_PARTNER_ID=my-shop \
//! LEANPUB_PRODUCT_ID=the-book LEANPUB_ORIGIN=shop.example.com \
//!   cargo run -p leanpub-affiliate --example discount_request
//! ```
//!
//! `LEANPUB_ENVIRONMENT` may also be a base URL (a local simulator: `http://127.0.0.1:8080/api/v2/`).
//! `LEANPUB_PRODUCT_ID`, `LEANPUB_ORIGIN` and `LEANPUB_RECIPIENT_EMAIL` default to demo values; in the
//! sandbox the service mails its own predefined address anyway and creates no coupon.

use std::env;
use std::process::ExitCode;

use leanpub_affiliate::{Client, DiscountRequest, ErrorDetails, Recipient, ServiceCode};

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
    let client = Client::from_env().map_err(|e| e.to_string())?;

    let origin = var_or("LEANPUB_ORIGIN", "shop.example.com");
    let body = DiscountRequest::builder()
        .product_id(var_or("LEANPUB_PRODUCT_ID", "the-book"))
        .origin(origin.as_str())
        .transaction_id("example-0001")
        .recipient(Recipient::new(
            "Zoë",
            "Ñúñez",
            var_or("LEANPUB_RECIPIENT_EMAIL", "zoe@example.com"),
        ))
        .build()
        .map_err(|e| e.to_string())?;

    match client.discounts().request(body).send().await {
        Ok(ack) => {
            println!(
                "acknowledged ({}): the job is scheduled, no coupon or email is confirmed",
                client.environment()
            );
            println!("  message:          {:?}", ack.message);
            println!("  requestId:        {:?}", ack.request_id);
            println!("  x-amzn-RequestId: {:?}", ack.aws_request_id);
            Ok(())
        }
        Err(err) if err.may_have_been_applied() => Err(format!(
            "the outcome is unknown, a coupon may have been scheduled; check before resending: {err}"
        )),
        Err(err) => match err
            .provider_details::<ErrorDetails>()
            .and_then(ErrorDetails::result_code)
        {
            Some(ServiceCode::InvalidOrigin) => Err(format!(
                "origin {origin:?} is not registered for this partner: {err}"
            )),
            _ => Err(format!("refused: {err}")),
        },
    }
}
