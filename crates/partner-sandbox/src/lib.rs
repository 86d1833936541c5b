//! Local, stateful, in-memory simulators of the PayPal partner, Pax8, Procuret and Leanpub affiliate
//! APIs: run a tour, a test suite or your own tests with no credentials and no network, the way
//! stripe-mock serves Stripe.
//!
//! Each simulator listens on its own `127.0.0.1` port (a free one by default), speaks the provider's wire
//! format (paths, field names, error bodies, documented quirks), keeps state (a created company is then
//! listed; a seller who completed the sign-up page gets a merchant id) and is seeded with realistic,
//! deterministic data.
//!
//! ```no_run
//! use partner_sandbox::{Sandbox, SandboxConfig};
//!
//! # async fn run() -> std::io::Result<()> {
//! let sandbox = Sandbox::start(SandboxConfig::new().seed(42)).await?;
//!
//! // Point the clients at the simulators, with the sandbox's credentials.
//! let paypal_base = sandbox.paypal().base_url();          // http://127.0.0.1:PORT/
//! let paypal = sandbox.paypal().credentials();            // client_id, client_secret, partner_id, ...
//! let pax8_base = sandbox.pax8().base_url();              // http://127.0.0.1:PORT/v1
//! let procuret_base = sandbox.procuret().base_url();      // http://127.0.0.1:PORT/api
//! let leanpub_base = sandbox.leanpub().base_url();        // http://127.0.0.1:PORT/
//! # let _ = (paypal_base, paypal, pax8_base, procuret_base, leanpub_base);
//!
//! // ... run the code under test, then read what the simulators saw:
//! let code = sandbox.procuret().last_second_factor_code("supplier@sandbox.procuret.test");
//! let accepted = sandbox.leanpub().accepted_requests();
//! # let _ = (code, accepted);
//!
//! // Make a provider unreliable at runtime.
//! use std::time::Duration;
//! use partner_sandbox::{FaultConfig, Provider};
//! sandbox.faults().set(Provider::Pax8, FaultConfig::new().throttle(2, Duration::from_secs(1)));
//!
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The binary `partner-sandbox` runs the four simulators until Ctrl-C and prints their base URLs and
//! credentials. `docs/sandbox.md` describes each simulator, the seeded data and the deviations from the
//! real APIs.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
pub mod echo;
mod faults;
pub mod leanpub;
mod outbound;
pub mod pax8;
pub mod paypal;
pub mod procuret;
mod seed;
mod server;

use std::fmt;
use std::time::Duration;

use axum::Router;
use url::Url;

pub use crate::faults::{FaultConfig, Faults, Provider};
use crate::leanpub::LeanpubSandbox;
use crate::pax8::Pax8Sandbox;
use crate::paypal::PaypalSandbox;
use crate::procuret::ProcuretSandbox;

/// How to start a [`Sandbox`]. `SandboxConfig::default()` binds four free ports with seed 0.
#[derive(Clone, Debug, Default)]
pub struct SandboxConfig {
    seed: u64,
    ports: [u16; 4],
    faults: FaultConfig,
    provider_faults: [Option<FaultConfig>; 4],
    paypal: paypal::PaypalConfig,
    pax8_rate_limit: Option<u32>,
    leanpub_status: leanpub::StatusMode,
}

impl SandboxConfig {
    /// The default configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Seeds the generated data and ids: the same seed and the same requests give the same ids.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// A fixed port for one provider (0 = a free port).
    pub fn port(mut self, provider: Provider, port: u16) -> Self {
        self.ports[provider_index(provider)] = port;
        self
    }

    /// Fixed ports `base` (PayPal), `base + 1` (Pax8), `base + 2` (Procuret), `base + 3` (Leanpub).
    pub fn port_base(mut self, base: u16) -> Self {
        for (i, port) in self.ports.iter_mut().enumerate() {
            *port = base.saturating_add(i as u16);
        }
        self
    }

    /// Faults for every provider from the start.
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// Faults for one provider from the start (overrides [`SandboxConfig::faults`] for it).
    pub fn provider_faults(mut self, provider: Provider, faults: FaultConfig) -> Self {
        self.provider_faults[provider_index(provider)] = Some(faults);
        self
    }

    /// The PayPal REST app credentials the simulator accepts (defaults in [`paypal::PaypalCredentials`]).
    pub fn paypal_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.paypal.credentials.client_id = client_id.into();
        self.paypal.credentials.client_secret = client_secret.into();
        self
    }

    /// A URL that receives every PayPal webhook event, signed with webhook id
    /// [`paypal::PaypalCredentials::webhook_id`] (webhooks registered through the API get their own).
    pub fn paypal_webhook_url(mut self, url: Url) -> Self {
        self.paypal.webhook_url = Some(url);
        self
    }

    /// How long a referenced payout stays `PROCESSING`, and each of a payout batch's `PENDING` and
    /// `PROCESSING` phases on the sandbox clock (500 ms by default).
    pub fn paypal_payout_processing(mut self, duration: Duration) -> Self {
        self.paypal.payout_processing = duration;
        self
    }

    /// Pax8's request limit per minute (1000 by default, as documented).
    pub fn pax8_rate_limit(mut self, per_minute: u32) -> Self {
        self.pax8_rate_limit = Some(per_minute);
        self
    }

    /// Which HTTP status the Leanpub simulator uses for its service codes.
    pub fn leanpub_status_mode(mut self, mode: leanpub::StatusMode) -> Self {
        self.leanpub_status = mode;
        self
    }
}

fn provider_index(provider: Provider) -> usize {
    Provider::ALL
        .iter()
        .position(|p| *p == provider)
        .unwrap_or(0)
}

/// The four running simulators. Dropping it stops them; [`Sandbox::shutdown`] also waits for them.
pub struct Sandbox {
    paypal: PaypalSandbox,
    pax8: Pax8Sandbox,
    procuret: ProcuretSandbox,
    leanpub: LeanpubSandbox,
    faults: Faults,
    servers: Vec<server::Running>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("paypal", &self.paypal)
            .field("pax8", &self.pax8)
            .field("procuret", &self.procuret)
            .field("leanpub", &self.leanpub)
            .finish_non_exhaustive()
    }
}

fn origin(addr: std::net::SocketAddr, path: &str) -> Url {
    // A SocketAddr always forms a valid URL.
    Url::parse(&format!("http://{addr}{path}")).expect("loopback URL")
}

impl Sandbox {
    /// Binds the four ports and starts serving. Must be called inside a Tokio runtime.
    ///
    /// # Errors
    /// A port could not be bound.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let faults = Faults::new(
            config.faults.clone(),
            config.provider_faults.clone(),
            config.seed,
        );
        let mut listeners = Vec::with_capacity(4);
        for port in config.ports {
            listeners.push(server::bind(port).await?);
        }
        let addrs: Vec<_> = listeners
            .iter()
            .map(|l| l.local_addr())
            .collect::<Result<_, _>>()?;
        let mut listeners = listeners.into_iter();
        let mut next_listener = || {
            listeners
                .next()
                .ok_or_else(|| std::io::Error::other("listener missing"))
        };

        let http = outbound::http_client()?;
        let paypal_state = paypal::state(
            origin(addrs[0], "/"),
            config.paypal.clone(),
            config.seed,
            http.clone(),
        );
        let pax8_state = pax8::state(
            origin(addrs[1], "/"),
            http,
            config.seed,
            config.pax8_rate_limit.unwrap_or(1000),
        );
        let procuret_state = procuret::state(origin(addrs[2], "/api"), config.seed);
        let leanpub_state =
            leanpub::state(origin(addrs[3], "/"), config.seed, config.leanpub_status);

        let mut servers = Vec::with_capacity(4);
        let apps: [(Provider, Router, server::FaultResponder); 4] = [
            (
                Provider::Paypal,
                paypal::router(paypal_state.clone()),
                paypal::fault_response,
            ),
            (
                Provider::Pax8,
                pax8::router(pax8_state.clone()),
                pax8::fault_response,
            ),
            (
                Provider::Procuret,
                procuret::router(procuret_state.clone()),
                procuret::fault_response,
            ),
            (
                Provider::Leanpub,
                leanpub::router(leanpub_state.clone()),
                leanpub::fault_response,
            ),
        ];
        for (provider, router, responder) in apps {
            let router = faults::admin_routes(faults.clone(), provider).merge(router);
            servers.push(server::spawn(
                next_listener()?,
                router,
                provider,
                faults.clone(),
                responder,
            )?);
        }
        Ok(Sandbox {
            paypal: PaypalSandbox {
                state: paypal_state,
            },
            pax8: Pax8Sandbox { state: pax8_state },
            procuret: ProcuretSandbox {
                state: procuret_state,
            },
            leanpub: LeanpubSandbox {
                state: leanpub_state,
            },
            faults,
            servers,
        })
    }

    /// The PayPal partner simulator.
    pub fn paypal(&self) -> &PaypalSandbox {
        &self.paypal
    }

    /// The Pax8 simulator.
    pub fn pax8(&self) -> &Pax8Sandbox {
        &self.pax8
    }

    /// The Procuret simulator.
    pub fn procuret(&self) -> &ProcuretSandbox {
        &self.procuret
    }

    /// The Leanpub affiliate simulator.
    pub fn leanpub(&self) -> &LeanpubSandbox {
        &self.leanpub
    }

    /// Runtime fault injection for all four simulators.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The variables each crate's `Client::from_env()` reads, pointing at these simulators with
    /// their credentials (public sandbox values, not secrets): export them, or hand them to a
    /// crate's `ClientBuilder::from_vars`, and every client talks to this sandbox.
    ///
    /// Procuret has no credential variables (a session is created with the two-factor flow, using
    /// [`ProcuretSandbox::credentials`]).
    pub fn client_env(&self) -> Vec<(&'static str, String)> {
        let paypal = self.paypal.credentials();
        let (pax8_id, pax8_secret) = self.pax8.credentials();
        // The Leanpub client's base is the endpoint's folder (`…/api/v2/`).
        let leanpub_endpoint = self.leanpub.endpoint_url();
        let leanpub_base = leanpub_endpoint.join(".").unwrap_or(leanpub_endpoint);
        vec![
            ("PAYPAL_ENVIRONMENT", self.paypal.base_url().to_string()),
            ("PAYPAL_CLIENT_ID", paypal.client_id.clone()),
            ("PAYPAL_CLIENT_SECRET", paypal.client_secret.clone()),
            ("PAYPAL_PARTNER_MERCHANT_ID", paypal.partner_id.clone()),
            ("PAYPAL_BN_CODE", paypal.bn_code.clone()),
            ("PAX8_ENVIRONMENT", self.pax8.origin().to_string()),
            ("PAX8_CLIENT_ID", pax8_id.to_owned()),
            ("PAX8_CLIENT_SECRET", pax8_secret.to_owned()),
            ("PROCURET_ENVIRONMENT", self.procuret.base_url().to_string()),
            ("LEANPUB_ENVIRONMENT", leanpub_base.to_string()),
            ("LEANPUB_PARTNER_ID", leanpub::SANDBOX_PARTNER_ID.to_owned()),
            ("LEANPUB_API_KEY", self.leanpub.api_key().to_owned()),
        ]
    }

    /// Stops the four servers and waits until they have stopped (open connections are closed).
    pub async fn shutdown(mut self) {
        for server in &mut self.servers {
            server.shutdown().await;
        }
    }
}
