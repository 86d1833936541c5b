//! The tour: starts the four simulators of `partner-sandbox` in this process and runs every provider's
//! main flow against them, end to end, with the real SDK crates. No credentials, no network.
//!
//! Run it with `cargo xtask tour` (or `cargo run -p partner-tour`).

mod leanpub;
mod output;
mod pax8;
mod paypal;
mod procuret;
mod webhook_receiver;

use std::process::ExitCode;
use std::time::Instant;

use partner_sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> ExitCode {
    let started = Instant::now();
    // PayPal's webhook receiver: the PayPal flow registers its URL through the API.
    let receiver = match webhook_receiver::Receiver::bind().await {
        Ok(receiver) => receiver,
        Err(err) => {
            eprintln!("could not bind the webhook receiver: {err}");
            return ExitCode::FAILURE;
        }
    };
    let config = SandboxConfig::new().seed(7);
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(err) => {
            eprintln!("could not start the sandbox: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Sandbox running on loopback (PayPal {}, Pax8 {}, Procuret {}, Leanpub {}).",
        sandbox.paypal().base_url(),
        sandbox.pax8().base_url(),
        sandbox.procuret().base_url(),
        sandbox.leanpub().base_url()
    );

    let result = async {
        paypal::run(&sandbox, receiver).await?;
        pax8::run(&sandbox).await?;
        procuret::run(&sandbox).await?;
        leanpub::run(&sandbox).await
    }
    .await;
    sandbox.shutdown().await;
    match result {
        Ok(()) => {
            output::done(started);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("\nthe tour stopped: {err}");
            ExitCode::FAILURE
        }
    }
}
