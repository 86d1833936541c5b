//! The tour: starts the four simulators of `partner-sandbox` in this process and runs every provider's
//! main flow against them, end to end, with the real SDK crates. No credentials, no network.
//!
//! Run it with `cargo xtask tour` (or `cargo run -p partner-tour`).

mod leanpub;
mod output;
mod pax8;
mod paypal;
mod procuret;

use std::process::ExitCode;
use std::time::Instant;

use partner_sandbox::{Sandbox, SandboxConfig};

#[tokio::main]
async fn main() -> ExitCode {
    let started = Instant::now();
    let sandbox = match Sandbox::start(SandboxConfig::new().seed(7)).await {
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
        paypal::run(&sandbox).await?;
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
