//! `partner paypal webhook verify`: a real signed delivery from the sandbox, captured by a receiver
//! in this test, verifies from files; the same delivery tampered with is refused.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{LiveSandbox, sandbox};

/// One request as received: its head (request line and header lines, as sent) and raw body.
#[derive(Debug, Clone)]
struct Delivery {
    head: String,
    body: Vec<u8>,
}

/// A minimal HTTP/1.1 receiver on a loopback port, answering 200 to every request and keeping it.
struct Receiver {
    url: String,
    deliveries: Arc<Mutex<Vec<Delivery>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/paypal/webhooks", listener.local_addr().unwrap());
        let deliveries = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&deliveries);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if let Some(delivery) = receive(stream) {
                    kept.lock().unwrap().push(delivery);
                }
            }
        });
        Receiver { url, deliveries }
    }

    /// The first delivery, once it arrived (the sandbox delivers in the background).
    fn first(&self) -> Delivery {
        for _ in 0..200 {
            if let Some(delivery) = self.deliveries.lock().unwrap().first() {
                return delivery.clone();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no delivery after 10 s");
    }
}

fn receive(stream: TcpStream) -> Option<Delivery> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let mut stream = reader.into_inner();
    stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .ok()?;
    Some(Delivery { head, body })
}

/// A live sandbox, a webhook registered (through the binary) for the receiver, and one simulated
/// capture event delivered to it: (sandbox, webhook id, the delivery).
fn signed_delivery() -> (LiveSandbox, String, Delivery) {
    let live = LiveSandbox::start();
    let receiver = Receiver::start();
    let webhook = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "create",
            "--url",
            &receiver.url,
            "--event",
            "PAYMENT.CAPTURE.COMPLETED",
        ])
        .ok()
        .json();
    let webhook_id = webhook["id"].as_str().unwrap().to_owned();
    live.run(&[
        "paypal",
        "webhooks",
        "simulate",
        "--webhook-id",
        &webhook_id,
        "--event-type",
        "PAYMENT.CAPTURE.COMPLETED",
    ])
    .ok();
    let delivery = receiver.first();
    (live, webhook_id, delivery)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn verify(live: &LiveSandbox, headers: &Path, body: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "paypal",
        "webhook",
        "verify",
        "--headers",
        headers.to_str().unwrap(),
        "--body",
        body.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    // tests/common does not clear PAYPAL_WEBHOOK_ID, the default of --webhook-id.
    common::run(live.partner().env_remove("PAYPAL_WEBHOOK_ID").args(&args))
}

#[test]
fn a_captured_delivery_verifies_from_header_lines_or_json() {
    let (live, webhook_id, delivery) = signed_delivery();
    let files = tempfile::tempdir().unwrap();
    let headers = write(files.path(), "headers.txt", delivery.head.as_bytes());
    let body = write(files.path(), "body.json", &delivery.body);
    let sent: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();

    let table = verify(&live, &headers, &body, &["--webhook-id", &webhook_id]).ok();
    assert!(
        table.stdout.contains("verified")
            && table.stdout.contains("true")
            && table.stdout.contains("PAYMENT.CAPTURE.COMPLETED")
            && table.stdout.contains(sent["id"].as_str().unwrap()),
        "{table:#?}"
    );

    let json = verify(
        &live,
        &headers,
        &body,
        &["--json", "--webhook-id", &webhook_id],
    )
    .ok()
    .json();
    assert_eq!(json["verified"], true);
    assert_eq!(json["webhook_id"], webhook_id.as_str());
    assert_eq!(json["event_type"], "PAYMENT.CAPTURE.COMPLETED");
    assert_eq!(json["event_id"], sent["id"]);
    assert_eq!(json["event"], sent);

    // The same headers as a JSON object of names to values.
    let object: serde_json::Map<String, serde_json::Value> = delivery
        .head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().into()))
        .collect();
    let headers_json = write(
        files.path(),
        "headers.json",
        serde_json::to_string(&object).unwrap().as_bytes(),
    );
    verify(&live, &headers_json, &body, &["--webhook-id", &webhook_id]).ok();

    // The body from stdin.
    let piped = common::run(
        live.partner()
            .args([
                "paypal",
                "webhook",
                "verify",
                "--webhook-id",
                &webhook_id,
                "--body",
                "-",
            ])
            .arg("--headers")
            .arg(&headers)
            .stdin(std::fs::File::open(&body).unwrap()),
    )
    .ok();
    assert!(
        piped.stdout.contains("PAYMENT.CAPTURE.COMPLETED"),
        "{piped:#?}"
    );

    // The webhook id from PAYPAL_WEBHOOK_ID, as the crate's receiver example reads it.
    let from_env = common::run(
        live.partner()
            .env("PAYPAL_WEBHOOK_ID", &webhook_id)
            .args(["--json", "paypal", "webhook", "verify", "--headers"])
            .arg(&headers)
            .arg("--body")
            .arg(&body),
    )
    .ok()
    .json();
    assert_eq!(from_env["webhook_id"], webhook_id.as_str());
}

#[test]
fn a_tampered_or_misattributed_delivery_is_refused() {
    let (live, webhook_id, delivery) = signed_delivery();
    let files = tempfile::tempdir().unwrap();
    let headers = write(files.path(), "headers.txt", delivery.head.as_bytes());

    // Another amount in the body: the signature no longer matches.
    let mut event: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
    event["resource"]["amount"]["value"] = "999.00".into();
    let tampered = write(
        files.path(),
        "tampered.json",
        &serde_json::to_vec(&event).unwrap(),
    );
    let refused = verify(&live, &headers, &tampered, &["--webhook-id", &webhook_id]).fails_with(2);
    assert!(
        refused.stderr.contains("does not verify") && refused.stderr.contains("signature"),
        "{refused:#?}"
    );
    assert!(refused.stdout.is_empty());

    // The genuine body, claimed for another webhook: refused too (the webhook id is signed).
    let body = write(files.path(), "body.json", &delivery.body);
    verify(&live, &headers, &body, &["--webhook-id", "WHOTHERWEBHOOK"]).fails_with(2);

    // A header missing: refused, naming it.
    let without_cert: String = delivery
        .head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("paypal-cert-url"))
        .map(|line| format!("{line}\n"))
        .collect();
    let partial = write(files.path(), "partial.txt", without_cert.as_bytes());
    let missing = verify(&live, &partial, &body, &["--webhook-id", &webhook_id]).fails_with(2);
    assert!(missing.stderr.contains("paypal-cert-url"), "{missing:#?}");

    // Not a header file at all.
    let garbage = write(files.path(), "garbage.txt", b"PAYPAL-TRANSMISSION-ID abc\n");
    let bad = verify(&live, &garbage, &body, &["--webhook-id", &webhook_id]).fails_with(2);
    assert!(bad.stderr.contains("line 1"), "{bad:#?}");

    // Without a webhook id from anywhere: refused before anything is fetched.
    let no_id = verify(&live, &headers, &body, &[]).fails_with(2);
    assert!(no_id.stderr.contains("--webhook-id"), "{no_id:#?}");

    // A tolerance beyond a year is refused by the command line.
    let tolerance = verify(
        &live,
        &headers,
        &body,
        &[
            "--webhook-id",
            &webhook_id,
            "--tolerance",
            "18446744073709551615",
        ],
    )
    .fails_with(2);
    assert!(tolerance.stderr.contains("--tolerance"), "{tolerance:#?}");

    // The genuine delivery still verifies: nothing above was the verifier's fault.
    verify(&live, &headers, &body, &["--webhook-id", &webhook_id]).ok();
}

#[test]
fn a_certificate_outside_paypal_and_the_simulator_is_refused() {
    let (live, webhook_id, delivery) = signed_delivery();
    let files = tempfile::tempdir().unwrap();
    // The simulator's signature, with the certificate URL pointing elsewhere on loopback.
    let moved: String = delivery
        .head
        .lines()
        .map(|line| {
            if line.to_ascii_lowercase().starts_with("paypal-cert-url") {
                "PAYPAL-CERT-URL: http://127.0.0.1:9/cert\n".to_owned()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let headers = write(files.path(), "headers.txt", moved.as_bytes());
    let body = write(files.path(), "body.json", &delivery.body);
    let refused = verify(&live, &headers, &body, &["--webhook-id", &webhook_id]).fails_with(2);
    assert!(refused.stderr.contains("certificate URL"), "{refused:#?}");
}

#[test]
fn under_sandbox_a_delivery_from_a_running_sandbox_verifies() {
    let (_live, webhook_id, delivery) = signed_delivery();
    let files = tempfile::tempdir().unwrap();
    let headers = write(files.path(), "headers.txt", delivery.head.as_bytes());
    let body = write(files.path(), "body.json", &delivery.body);
    let (headers, body) = (headers.to_str().unwrap(), body.to_str().unwrap());
    let default = [
        "--json",
        "paypal",
        "webhook",
        "verify",
        "--headers",
        headers,
        "--body",
        body,
    ];
    let mut with_id = default.to_vec();
    with_id.extend(["--webhook-id", &webhook_id]);
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(dir.path(), &with_id).ok();
    assert_eq!(run.json()["verified"], true);
    assert!(run.stderr.contains("trusting the certificate"), "{run:#?}");
    // The sandbox's configured webhook id is the default there: not the one this was sent to.
    let refused = sandbox(dir.path(), &default).fails_with(2);
    assert!(refused.stderr.contains("signature"), "{refused:#?}");

    // A certificate nobody serves: the check could not be made, which is not the delivery's
    // fault (exit 1, try again).
    let unserved: String = delivery
        .head
        .lines()
        .map(|line| {
            if line.to_ascii_lowercase().starts_with("paypal-cert-url") {
                "PAYPAL-CERT-URL: http://127.0.0.1:9/v1/notifications/certs/CERT-SANDBOX\n"
                    .to_owned()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let unserved = write(files.path(), "unserved.txt", unserved.as_bytes());
    let mut args = with_id.clone();
    args[5] = unserved.to_str().unwrap();
    let unchecked = sandbox(dir.path(), &args).fails_with(1);
    assert!(
        unchecked.stderr.contains("could not be checked"),
        "{unchecked:#?}"
    );
}

#[test]
fn both_inputs_from_stdin_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &[
            "paypal",
            "webhook",
            "verify",
            "--headers",
            "-",
            "--body",
            "-",
        ],
    )
    .fails_with(2);
    assert!(run.stderr.contains("stdin"), "{run:#?}");
}
