//! The seller sign-up web page: a list of sellers, each with a "Connect with PayPal" button; PayPal's
//! sign-up; the return page and a status page per seller showing the onboarding status and
//! readiness from the API.
//!
//! Against the local sandbox (no credentials, no network), then open the printed URL:
//!
//! ```sh
//! cargo run -p paypal-partner --example seller_signup
//! ```
//!
//! Against PayPal's sandbox:
//!
//! ```sh
//! PAYPAL_CLIENT_ID=... PAYPAL_CLIENT_SECRET=... PAYPAL_PARTNER_MERCHANT_ID=<your PayPal merchant id> \
//! PUBLIC_URL=https://<a public https URL forwarded to this server> \
//! cargo run -p paypal-partner --example seller_signup
//! ```
//!
//! Optional: `PAYPAL_ENVIRONMENT` (`sandbox` by default, `production`, or a URL), `PAYPAL_BN_CODE`,
//! `PORT` (default 3000; the server listens on 127.0.0.1). `PUBLIC_URL` is where browsers reach
//! this server; the return URL given to PayPal is `{PUBLIC_URL}/paypal/return`. PayPal does not
//! redirect to non-public or non-https URLs: without `PUBLIC_URL` the seller is not sent back, and
//! the status page (which asks the API) is how you see the result.

mod app;

use std::error::Error as StdError;

use partner_sandbox::{Sandbox, SandboxConfig};
use paypal_partner::partner_core::url::Url;
use paypal_partner::{Client, Environment};
use tokio::net::TcpListener;

type BoxError = Box<dyn StdError + Send + Sync>;

/// `Some(value)` when set and not empty.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A client from the `PAYPAL_*` variables (`Client::from_env`) when credentials are set.
fn paypal_from_env() -> Result<Option<Client>, BoxError> {
    let set = [
        "PAYPAL_CLIENT_ID",
        "PAYPAL_CLIENT_SECRET",
        "PAYPAL_PARTNER_MERCHANT_ID",
    ]
    .map(|name| var(name).is_some());
    match set {
        [false, false, false] => Ok(None),
        [true, true, true] => Ok(Some(Client::from_env()?)),
        _ => Err(
            "set all of PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_PARTNER_MERCHANT_ID, or \
             none to run against the local sandbox"
                .into(),
        ),
    }
}

/// A client for the in-process sandbox.
fn sandbox_client(sandbox: &Sandbox) -> Result<Client, BoxError> {
    let credentials = sandbox.paypal().credentials();
    Ok(Client::builder()
        .client_id(&credentials.client_id)
        .client_secret(credentials.client_secret.as_str())
        .partner_merchant_id(&credentials.partner_id)
        .bn_code(&credentials.bn_code)
        .environment(Environment::Custom(sandbox.paypal().base_url()))
        .build()?)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    let port: u16 = match var("PORT") {
        Some(port) => port.parse().map_err(|e| format!("PORT: {e}"))?,
        None => 3000,
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let local_url = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
    let public_url = match var("PUBLIC_URL") {
        Some(url) => Url::parse(&url).map_err(|e| format!("PUBLIC_URL: {e}"))?,
        None => local_url.clone(),
    };

    let (client, sandbox) = match paypal_from_env()? {
        Some(client) => {
            println!("Using PayPal at {}", client.base_url());
            (client, None)
        }
        None => {
            let sandbox = Sandbox::start(SandboxConfig::new()).await?;
            println!(
                "Using the local PayPal sandbox at {} (set PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET \
                 and PAYPAL_PARTNER_MERCHANT_ID for PayPal's sandbox)",
                sandbox.paypal().base_url()
            );
            (sandbox_client(&sandbox)?, Some(sandbox))
        }
    };

    let app = app::App::new(client, &public_url, app::demo_sellers())?;
    println!("PayPal return URL: {}", app.return_url());
    println!("Seller sign-up example: open {local_url}");
    println!("Press Ctrl-C to stop.");
    axum::serve(listener, app::router(app))
        .with_graceful_shutdown(async {
            // An error here means no signal handler could be installed: serve until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await?;
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    Ok(())
}
