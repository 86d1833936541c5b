//! `partner-sandbox`: runs the four simulators until Ctrl-C and prints their base URLs and credentials.

use std::process::ExitCode;

use partner_sandbox::{Provider, Sandbox, SandboxConfig};

const USAGE: &str = "\
usage: partner-sandbox [--seed N] [--port-base P] [--paypal-port P] [--pax8-port P] [--procuret-port P] [--leanpub-port P]

Runs local simulators of the PayPal partner, Pax8, Procuret and Leanpub affiliate APIs on 127.0.0.1
until Ctrl-C. Ports default to free ones; --port-base P uses P, P+1, P+2, P+3.";

fn parse(args: &[String]) -> Result<SandboxConfig, String> {
    let mut config = SandboxConfig::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let port = || {
            value
                .parse::<u16>()
                .map_err(|_| format!("{flag}: '{value}' is not a port"))
        };
        config = match flag.as_str() {
            "--seed" => config.seed(
                value
                    .parse()
                    .map_err(|_| format!("--seed: '{value}' is not a number"))?,
            ),
            "--port-base" => config.port_base(port()?),
            "--paypal-port" => config.port(Provider::Paypal, port()?),
            "--pax8-port" => config.port(Provider::Pax8, port()?),
            "--procuret-port" => config.port(Provider::Procuret, port()?),
            "--leanpub-port" => config.port(Provider::Leanpub, port()?),
            other => return Err(format!("unknown option {other}")),
        };
    }
    Ok(config)
}

fn print_summary(sandbox: &Sandbox) {
    let paypal = sandbox.paypal().credentials();
    let (pax8_id, pax8_secret) = sandbox.pax8().credentials();
    let procuret = sandbox.procuret().credentials();
    println!("partner-sandbox is running (Ctrl-C to stop)\n");
    println!("PayPal    {}", sandbox.paypal().base_url());
    println!(
        "  client_id={} client_secret={}",
        paypal.client_id, paypal.client_secret
    );
    println!(
        "  partner_id={} bn_code={}",
        paypal.partner_id, paypal.bn_code
    );
    println!(
        "Pax8      {}  (token {}, webhooks {}, quotes {})",
        sandbox.pax8().base_url(),
        sandbox.pax8().token_url(),
        sandbox.pax8().webhooks_base_url(),
        sandbox.pax8().quoting_base_url()
    );
    println!(
        "  client_id={pax8_id} client_secret={pax8_secret} audience={}",
        sandbox.pax8().audience()
    );
    println!("Procuret  {}", sandbox.procuret().base_url());
    println!(
        "  email={} secret={} supplier_id={}",
        procuret.email, procuret.secret, procuret.supplier_id
    );
    println!(
        "  second-factor codes: {}/__sandbox/second-factor-codes?email=...",
        sandbox.procuret().base_url().origin().ascii_serialization()
    );
    println!("Leanpub   {}", sandbox.leanpub().endpoint_url());
    println!(
        "  x-api-key={} partnerId={} origin={} productId={}",
        sandbox.leanpub().api_key(),
        partner_sandbox::leanpub::SANDBOX_PARTNER_ID,
        partner_sandbox::leanpub::SANDBOX_PARTNER_ORIGINS[0],
        partner_sandbox::leanpub::PRODUCT_IDS[0]
    );
    println!("\nFor Client::from_env() in each crate:");
    let exports: Vec<String> = sandbox
        .client_env()
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    println!("  export {}", exports.join(" "));
    println!("\nThese are public sandbox values, not secrets.");
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}\n");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let sandbox = match Sandbox::start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot start the sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        print_summary(&sandbox);
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        ExitCode::SUCCESS
    })
}
