//! `partner sandbox`: the four simulators in the foreground, until Ctrl-C, with what a client needs
//! to reach them. `eval "$(partner sandbox --exports)"` is not possible for a process that keeps
//! running, so the variables are printed as one `export` line to paste into another shell; every
//! `partner` command (and every crate's `from_env`) then talks to this sandbox, whose state lasts
//! as long as it runs.

use clap::Args;
use partner_sandbox::{Provider, Sandbox, SandboxConfig};
use serde_json::json;

use crate::exit::{CliError, CliResult};
use crate::output::Output;

/// `partner sandbox`.
#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Seeds the generated data and ids: the same seed and the same requests give the same ids.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Fixed ports P (PayPal), P+1 (Pax8), P+2 (Procuret), P+3 (Leanpub); free ports by default.
    #[arg(long, value_name = "P")]
    port_base: Option<u16>,
    /// A fixed port for the PayPal simulator.
    #[arg(long, value_name = "P")]
    paypal_port: Option<u16>,
    /// A fixed port for the Pax8 simulator.
    #[arg(long, value_name = "P")]
    pax8_port: Option<u16>,
    /// A fixed port for the Procuret simulator.
    #[arg(long, value_name = "P")]
    procuret_port: Option<u16>,
    /// A fixed port for the Leanpub simulator.
    #[arg(long, value_name = "P")]
    leanpub_port: Option<u16>,
}

impl SandboxArgs {
    fn config(&self) -> SandboxConfig {
        let mut config = SandboxConfig::new().seed(self.seed);
        if let Some(base) = self.port_base {
            config = config.port_base(base);
        }
        let ports = [
            (Provider::Paypal, self.paypal_port),
            (Provider::Pax8, self.pax8_port),
            (Provider::Procuret, self.procuret_port),
            (Provider::Leanpub, self.leanpub_port),
        ];
        for (provider, port) in ports {
            if let Some(port) = port {
                config = config.port(provider, port);
            }
        }
        config
    }
}

pub(crate) async fn run(out: Output, args: SandboxArgs) -> CliResult {
    let sandbox = Sandbox::start(args.config())
        .await
        .map_err(|e| CliError::other(format!("cannot start the sandbox: {e}")))?;
    if out.is_json() {
        print_json(&sandbox);
    } else {
        print_summary(&sandbox);
    }
    let stopped = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    stopped.map_err(|e| CliError::other(format!("cannot wait for Ctrl-C: {e}")))
}

fn print_summary(sandbox: &Sandbox) {
    let procuret = sandbox.procuret().credentials();
    println!("The sandbox is running (Ctrl-C to stop).\n");
    println!("PayPal    {}", sandbox.paypal().base_url());
    println!("Pax8      {}", sandbox.pax8().origin());
    println!("Procuret  {}", sandbox.procuret().base_url());
    println!("Leanpub   {}", sandbox.leanpub().endpoint_url());
    println!(
        "\nProcuret sign-in: email {} and passphrase {} (`partner procuret login`; the code it \
         sends is shown by {}/__sandbox/second-factor-codes?email=...)",
        procuret.email,
        procuret.secret,
        sandbox.procuret().base_url().origin().ascii_serialization()
    );
    println!(
        "\nIn another shell, to point `partner` (and every crate's from_env) at this sandbox:"
    );
    let exports: Vec<String> = sandbox
        .client_env()
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    println!("export {}", exports.join(" "));
    println!("\nThese are public sandbox values, not secrets.");
}

fn print_json(sandbox: &Sandbox) {
    let procuret = sandbox.procuret().credentials();
    let env: serde_json::Map<String, serde_json::Value> = sandbox
        .client_env()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.into()))
        .collect();
    let summary = json!({
        "paypal": sandbox.paypal().base_url().to_string(),
        "pax8": sandbox.pax8().origin().to_string(),
        "procuret": sandbox.procuret().base_url().to_string(),
        "leanpub": sandbox.leanpub().endpoint_url().to_string(),
        "procuret_login": {"email": procuret.email, "passphrase": procuret.secret},
        "env": env,
    });
    println!("{summary}");
}
