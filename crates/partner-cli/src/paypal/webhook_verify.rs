//! `partner paypal webhook verify`: checks one captured delivery the way a receiver would, to debug
//! a receiver that refuses (or accepts) what it should not.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use partner_core::base_url::is_loopback;
use partner_core::url::Url;
use paypal_partner::WebhookId;
use paypal_partner::webhooks::{WebhookError, WebhookHeaders, WebhookVerifier};
use serde_json::{Value, json};

use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ExitKind};
use crate::input::{is_stdin, read_bytes, read_text};

/// The largest --tolerance: a year. Older captures are not worth checking, and a bound keeps the
/// value a person types sensible.
const MAX_TOLERANCE_SECS: u64 = 366 * 24 * 60 * 60;

/// `partner paypal webhook`.
#[derive(Debug, Args)]
pub(crate) struct WebhookArgs {
    #[command(subcommand)]
    command: WebhookCommand,
}

#[derive(Debug, Subcommand)]
enum WebhookCommand {
    /// Verify a captured webhook delivery locally, as a receiver does with the crate's
    /// WebhookVerifier: the signature (RSA-SHA256 over the transmission id, time, webhook id and
    /// the CRC32 of the body, with the certificate at PAYPAL-CERT-URL, fetched only from
    /// paypal.com), and the transmission time against --tolerance. Prints the verdict and the
    /// event's type and id; `--json` adds the whole event.
    ///
    /// A delivery that does not verify (wrong signature, body changed, another webhook id, a
    /// missing header, too old) exits 2: the delivery is bad input. A check that could not be made
    /// (the certificate could not be fetched) exits 1: try again.
    ///
    /// A signature proves less than it seems: it covers the body only through its CRC32. Before
    /// acting on an event that moves money, read what it names from the API (`captures get`).
    ///
    /// When the PayPal environment is a local simulator (a loopback URL, as `partner sandbox`
    /// exports), the certificate is also trusted from that simulator's address, and only from it;
    /// under --sandbox, from any loopback address (a delivery from a `partner sandbox` still
    /// running verifies: every local sandbox signs with the same test key).
    Verify(Verify),
}

#[derive(Debug, Args)]
struct Verify {
    /// The delivery's HTTP headers, in either form: `Name: value` lines (as `curl -D` or a
    /// proxy's log writes them; names in any case, blank lines and a first request or status
    /// line skipped), or a JSON object of names to string values. `-` reads stdin. Needs
    /// PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO; others are
    /// ignored.
    #[arg(long, value_name = "FILE")]
    headers: PathBuf,
    /// The delivery's body: the raw bytes exactly as received (JSON re-serialised by anything
    /// does not verify). `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    body: PathBuf,
    /// The id of the webhook the delivery was sent to (its `id` in `webhooks list`): part of
    /// what PayPal signs. Default: the PAYPAL_WEBHOOK_ID environment variable (as the crate's
    /// receiver example reads it); with --sandbox, the sandbox's configured webhook
    /// (WH-SANDBOX-CONFIGURED).
    #[arg(long, value_name = "ID")]
    webhook_id: Option<WebhookId>,
    /// How far the transmission time may be from now, in seconds, either way: PayPal's
    /// recommended 300 by default; raise it (up to a year, 31622400) to check a delivery captured
    /// earlier.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(1..=MAX_TOLERANCE_SECS)
    )]
    tolerance: u64,
}

pub(crate) async fn run(
    ctx: &Ctx,
    client: &paypal_partner::Client,
    args: WebhookArgs,
) -> CliResult {
    match args.command {
        WebhookCommand::Verify(args) => verify(ctx, client, args).await,
    }
}

async fn verify(ctx: &Ctx, client: &paypal_partner::Client, args: Verify) -> CliResult {
    if is_stdin(&args.headers) && is_stdin(&args.body) {
        return Err(CliError::invalid(
            "--headers and --body cannot both be read from stdin (`-`)",
        ));
    }
    let webhook_id = webhook_id(ctx, args.webhook_id)?;
    let header_text = read_text(&args.headers, "--headers")?;
    let header_map =
        parse_headers(&header_text).map_err(|e| CliError::invalid(format!("--headers: {e}")))?;
    let body = read_bytes(&args.body, "--body")?;
    let headers = WebhookHeaders::from_fn(|name| header_map.get(name).cloned())
        .map_err(|e| CliError::invalid(format!("--headers: {e}")))?;

    let mut verifier = WebhookVerifier::builder(client, webhook_id.clone())
        .tolerance(Duration::from_secs(args.tolerance));
    if let Some(host) = simulator_cert_host(ctx, &headers.cert_url) {
        ctx.out.note(&format!(
            "trusting the certificate of the local simulator at {host} (the PayPal environment)"
        ));
        verifier = verifier.allow_cert_host_for_testing(host);
    }
    let event = verifier
        .build()
        .verify_event(&headers, &body)
        .await
        .map_err(refusal)?;

    let mut record = json!({
        "verified": true,
        "webhook_id": webhook_id,
        "transmission_id": headers.transmission_id,
        "transmission_time": headers.transmission_time,
        "event_type": event.event_type(),
        "event_id": event.id(),
    });
    if ctx.out.is_json() {
        // The body verified and parsed as an event: print it as received.
        record["event"] = serde_json::from_slice(&body).unwrap_or(Value::Null);
    }
    ctx.out.record(&record)
}

/// A failed verification as an exit: the delivery is bad input (2), unless the check itself could
/// not be made (the certificate could not be fetched: 1, try again).
fn refusal(err: WebhookError) -> CliError {
    if err.status() >= 500 {
        CliError::new(
            ExitKind::Other,
            format!("the delivery could not be checked: {err}"),
        )
    } else {
        CliError::invalid(format!("the delivery does not verify: {err}"))
    }
}

/// The webhook id: the flag; else under --sandbox the sandbox's configured webhook; else
/// PAYPAL_WEBHOOK_ID (read like every setting: the environment, then the profile).
fn webhook_id(ctx: &Ctx, flag: Option<WebhookId>) -> CliResult<WebhookId> {
    if let Some(id) = flag {
        return Ok(id);
    }
    if let Some(sandbox) = ctx.sandbox() {
        return Ok(WebhookId::new(
            sandbox.paypal().credentials().webhook_id.clone(),
        ));
    }
    ctx.setting("PAYPAL_WEBHOOK_ID")
        .map(|(id, _)| WebhookId::new(id))
        .ok_or_else(|| {
            CliError::invalid(
                "no webhook id: give --webhook-id (the `id` of `partner paypal webhooks list`) \
                 or set PAYPAL_WEBHOOK_ID",
            )
        })
}

/// The host to trust certificates from besides paypal.com: when the PayPal environment is a
/// loopback URL (a local simulator), only if the delivery's certificate URL is on that same host
/// and port; under --sandbox (no real PayPal at all), any loopback address, since every local
/// sandbox signs with the same bundled test key and the in-process one cannot have sent the
/// delivery. Anything else is left to the verifier, which trusts only paypal.com.
fn simulator_cert_host(ctx: &Ctx, cert_url: &str) -> Option<String> {
    let cert = Url::parse(cert_url).ok()?;
    if ctx.sandbox().is_some() {
        return is_loopback(&cert)
            .then(|| cert.host_str().map(str::to_owned))
            .flatten();
    }
    let (environment, _) = ctx.setting("PAYPAL_ENVIRONMENT")?;
    let environment = Url::parse(&environment).ok()?;
    let same_origin = environment.host_str() == cert.host_str()
        && environment.port_or_known_default() == cert.port_or_known_default();
    (is_loopback(&environment) && same_origin)
        .then(|| environment.host_str().map(str::to_owned))
        .flatten()
}

/// The headers of a delivery, names in lower case: a JSON object of strings, or `Name: value`
/// lines. A name given twice keeps its first value, as the verifier reads one.
fn parse_headers(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut headers = BTreeMap::new();
    if text.trim_start().starts_with('{') {
        let object: serde_json::Map<String, Value> =
            serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))?;
        for (name, value) in object {
            let Value::String(value) = value else {
                return Err(format!("the value of `{name}` is not a string"));
            };
            headers
                .entry(name.trim().to_ascii_lowercase())
                .or_insert(value);
        }
        return Ok(headers);
    }
    let mut first = true;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let was_first = std::mem::replace(&mut first, false);
        if was_first && is_start_line(line) {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "line {}: expected `Name: value`, found `{}`",
                number + 1,
                line.chars().take(60).collect::<String>()
            ));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!(
                "line {}: `{name}` is not a header name",
                number + 1
            ));
        }
        headers
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| value.trim().to_owned());
    }
    Ok(headers)
}

/// An HTTP request line (`POST /hook HTTP/1.1`) or status line (`HTTP/1.1 200 OK`).
fn is_start_line(line: &str) -> bool {
    line.starts_with("HTTP/")
        || line
            .rsplit_once(' ')
            .is_some_and(|(_, version)| version.starts_with("HTTP/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_are_read_case_insensitively_skipping_the_request_line() {
        let text = "POST /hook HTTP/1.1\r\nPAYPAL-TRANSMISSION-ID: abc\r\n\r\ncontent-type: application/json\r\nPaypal-Cert-Url: https://api.paypal.com/v1/certs/X\n";
        let headers = parse_headers(text).unwrap();
        assert_eq!(headers["paypal-transmission-id"], "abc");
        assert_eq!(
            headers["paypal-cert-url"],
            "https://api.paypal.com/v1/certs/X"
        );
        assert_eq!(headers.len(), 3);
    }

    #[test]
    fn a_json_object_is_read_too() {
        let headers =
            parse_headers(r#" {"PAYPAL-TRANSMISSION-ID": "abc", "Content-Type": "x"}"#).unwrap();
        assert_eq!(headers["paypal-transmission-id"], "abc");
        let err = parse_headers(r#"{"PAYPAL-TRANSMISSION-ID": 3}"#).unwrap_err();
        assert!(err.contains("PAYPAL-TRANSMISSION-ID"), "{err}");
    }

    #[test]
    fn a_line_without_a_colon_is_refused_with_its_number() {
        let err = parse_headers("a: b\nnot a header\n").unwrap_err();
        assert!(err.starts_with("line 2"), "{err}");
    }
}
