//! `partner leanpub discount`: against the sandbox, and the refusals that keep a real discount from
//! being sent by mistake.

mod common;

use common::{LiveSandbox, run, sandbox};

const RECIPIENT: [&str; 10] = [
    "--product",
    "async-rust-field-guide",
    "--email",
    "zoe@example.com",
    "--first-name",
    "Zoë",
    "--last-name",
    "Núñez",
    "--origin",
    "shop.example.com",
];

fn discount(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec!["leanpub", "discount"];
    args.extend(RECIPIENT);
    args.extend(extra);
    args
}

#[test]
fn a_discount_is_acknowledged_in_sandbox_mode() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(dir.path(), &discount(&[])).ok();
    assert!(table.stdout.contains("not yet delivered"), "{table:#?}");
    assert!(table.stderr.contains("sandbox mode"), "{table:#?}");

    let json = sandbox(dir.path(), &[&["--json"][..], &discount(&[])].concat())
        .ok()
        .json();
    assert_eq!(json["code"], 0);
    assert_eq!(json["sandbox_mode"], true);
    assert!(json["request_id"].is_string(), "{json}");
}

#[test]
fn the_service_receives_the_request_once() {
    let live = LiveSandbox::start();
    live.run(&discount(&["--transaction-id", "order-1234"]))
        .ok();
    let accepted = live.sandbox.leanpub().accepted_requests();
    assert_eq!(accepted.len(), 1);
    let request = &accepted[0];
    assert!(request.sandbox);
    assert_eq!(request.product_id, "async-rust-field-guide");
    assert_eq!(request.transaction_id.as_deref(), Some("order-1234"));
    assert_eq!(request.recipient.first_name, "Zoë");

    // Refused by the service: nothing accepted, and the code is in the message.
    let refused = live
        .run(&[
            "leanpub",
            "discount",
            "--product",
            "no-such-book",
            "--email",
            "zoe@example.com",
            "--first-name",
            "Z",
            "--last-name",
            "N",
            "--origin",
            "shop.example.com",
        ])
        .fails_with(1);
    assert!(
        refused.stderr.contains("Invalid product ID"),
        "{refused:#?}"
    );

    // Leanpub mirrors its codes in the HTTP status: code 404 is an origin the partner may not use,
    // not a missing resource (exit 1, said once), and a refused API key is authentication (exit 4).
    let discount = |origin: &str| {
        vec![
            "leanpub",
            "discount",
            "--product",
            "async-rust-field-guide",
            "--email",
            "zoe@example.com",
            "--first-name",
            "Z",
            "--last-name",
            "N",
            "--origin",
        ]
        .into_iter()
        .chain([origin])
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    let origin = common::run(live.partner().args(discount("elsewhere.example.org"))).fails_with(1);
    assert!(!origin.stderr.contains("404 404"), "{origin:#?}");
    let key = common::run(
        live.partner()
            .args(discount("shop.example.com"))
            .env("LEANPUB_API_KEY", "not-the-key"),
    )
    .fails_with(4);
    assert!(!key.stderr.contains("not-the-key"), "{key:#?}");

    // Bad input: refused before sending.
    let bad = live
        .run(&[
            "leanpub",
            "discount",
            "--product",
            "async-rust-field-guide",
            "--email",
            "zoe.example.com",
            "--first-name",
            "Z",
            "--last-name",
            "N",
            "--origin",
            "shop.example.com",
        ])
        .fails_with(2);
    assert!(bad.stderr.contains("recipient.email"), "{bad:#?}");
    assert_eq!(live.sandbox.leanpub().accepted_requests().len(), 1);
}

#[test]
fn production_is_never_reached_by_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let run_1 = sandbox(dir.path(), &discount(&["--production"])).fails_with(2);
    assert!(run_1.stderr.contains("--sandbox"), "{run_1:#?}");

    // A production setting without --production.
    let run_2 = run(common::partner(dir.path())
        .env("LEANPUB_ENVIRONMENT", "production")
        .args(discount(&[])))
    .fails_with(2);
    assert!(run_2.stderr.contains("add --production"), "{run_2:#?}");
    let run_3 = run(common::partner(dir.path())
        .args(["--environment", "production"])
        .args(discount(&[])))
    .fails_with(2);
    assert!(run_3.stderr.contains("add --production"), "{run_3:#?}");

    // --production with an environment that says otherwise.
    let live = LiveSandbox::start();
    let run_4 = live.run(&discount(&["--production"])).fails_with(2);
    assert!(run_4.stderr.contains("LEANPUB_ENVIRONMENT"), "{run_4:#?}");
    assert!(live.sandbox.leanpub().accepted_requests().is_empty());
}

#[test]
fn missing_arguments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &[
            "leanpub",
            "discount",
            "--product",
            "p",
            "--email",
            "z@example.com",
        ],
    )
    .fails_with(2);
    assert!(run.stderr.contains("--first-name"), "{run:#?}");
}
