//! `partner paypal captures` and `refunds`: read a capture taken for a seller, refund it in part
//! and in full, read a refund.

mod common;

use common::{LiveSandbox, sandbox};
use partner_sandbox::paypal::SellerChoices;

/// An onboarded seller and a captured 10.00 USD order with a 1.00 fee: (seller, capture id).
fn captured_payment(live: &LiveSandbox) -> (String, String) {
    let link = live
        .run(&[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-captures",
            "--return-url",
            "https://platform.example/paypal/return",
        ])
        .ok()
        .stdout
        .trim()
        .to_owned();
    let seller = live.block_on(async {
        live.sandbox
            .paypal()
            .complete_onboarding(&link, SellerChoices::default())
            .unwrap()
    });
    let order = live
        .run(&[
            "--json",
            "paypal",
            "orders",
            "create",
            "--seller",
            &seller,
            "--amount",
            "10.00",
            "--currency",
            "USD",
            "--platform-fee",
            "1.00",
        ])
        .ok()
        .json();
    let order_id = order["id"].as_str().unwrap().to_owned();
    live.sandbox.paypal().approve_order(&order_id).unwrap();
    let captured = live
        .run(&[
            "--json", "paypal", "orders", "capture", &order_id, "--seller", &seller,
        ])
        .ok()
        .json();
    let capture_id = captured["purchase_units"][0]["payments"]["captures"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (seller, capture_id)
}

#[test]
fn get_a_capture_then_refund_part_and_the_rest() {
    let live = LiveSandbox::start();
    let (seller, capture_id) = captured_payment(&live);

    let capture = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "get",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(capture["id"], capture_id.as_str());
    assert_eq!(capture["status"], "COMPLETED");
    assert_eq!(capture["amount"]["value"], "10.00");
    assert_eq!(
        capture["seller_receivable_breakdown"]["platform_fees"][0]["amount"]["value"],
        "1.00"
    );

    let table = live
        .run(&[
            "paypal",
            "captures",
            "get",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok();
    assert!(
        table.stdout.contains("amount.value") && table.stdout.contains("10.00"),
        "{table:#?}"
    );

    let part = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "refund",
            &capture_id,
            "--seller",
            &seller,
            "--amount",
            "2.50",
            "--currency",
            "USD",
            "--platform-fee",
            "0.25",
            "--note",
            "one ticket returned",
        ])
        .ok();
    let refund = part.json();
    assert_eq!(refund["amount"]["value"], "2.50", "{refund}");
    assert_eq!(refund["status"], "COMPLETED");
    assert!(
        part.stderr
            .contains(&format!("refunded capture {capture_id}")),
        "{part:#?}"
    );
    // The refund read back.
    let refund_id = refund["id"].as_str().unwrap();
    let read = live
        .run(&[
            "--json", "paypal", "refunds", "get", refund_id, "--seller", &seller,
        ])
        .ok()
        .json();
    assert_eq!(read["id"], refund_id);
    assert_eq!(read["amount"]["value"], "2.50");
    assert_eq!(read["note_to_payer"], "one ticket returned");
    let table = live
        .run(&["paypal", "refunds", "get", refund_id, "--seller", &seller])
        .ok();
    assert!(
        table.stdout.contains(refund_id) && table.stdout.contains("COMPLETED"),
        "{table:#?}"
    );

    let after = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "get",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(after["status"], "PARTIALLY_REFUNDED");

    // The rest, with no amount: a full refund of what remains.
    let rest = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "refund",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(rest["amount"]["value"], "7.50", "{rest}");
    let refunded = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "get",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(refunded["status"], "REFUNDED");
}

#[test]
fn a_refund_repeated_with_the_same_request_id_is_applied_once() {
    let live = LiveSandbox::start();
    let (seller, capture_id) = captured_payment(&live);
    let refund = |key: &str| {
        live.run(&[
            "--json",
            "paypal",
            "captures",
            "refund",
            &capture_id,
            "--seller",
            &seller,
            "--amount",
            "1.00",
            "--currency",
            "USD",
            "--request-id",
            key,
        ])
        .ok()
        .json()
    };
    let first = refund("cli-refund-0001");
    let again = refund("cli-refund-0001");
    assert_eq!(first["id"], again["id"]);
    let capture = live
        .run(&[
            "--json",
            "paypal",
            "captures",
            "get",
            &capture_id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(capture["status"], "PARTIALLY_REFUNDED");
    let other = refund("cli-refund-0002");
    assert_ne!(first["id"], other["id"]);
    // The same again in a table: the first refund, not a third one.
    let table = live
        .run(&[
            "paypal",
            "captures",
            "refund",
            &capture_id,
            "--seller",
            &seller,
            "--amount",
            "1.00",
            "--currency",
            "USD",
            "--request-id",
            "cli-refund-0001",
        ])
        .ok();
    assert!(
        table.stdout.contains(first["id"].as_str().unwrap())
            && table.stdout.contains("amount.value"),
        "{table:#?}"
    );
}

#[test]
fn refund_refusals() {
    let dir = tempfile::tempdir().unwrap();
    // An amount needs its currency, and a fee needs an amount: refused by the command line.
    let no_currency = sandbox(
        dir.path(),
        &[
            "paypal", "captures", "refund", "CAPTURE1", "--amount", "1.00",
        ],
    )
    .fails_with(2);
    assert!(
        no_currency.stderr.contains("--currency"),
        "{no_currency:#?}"
    );
    sandbox(
        dir.path(),
        &[
            "paypal",
            "captures",
            "refund",
            "CAPTURE1",
            "--platform-fee",
            "1.00",
        ],
    )
    .fails_with(2);
    // Amounts are checked before sending.
    let decimals = sandbox(
        dir.path(),
        &[
            "paypal",
            "captures",
            "refund",
            "CAPTURE1",
            "--amount",
            "1.005",
            "--currency",
            "USD",
        ],
    )
    .fails_with(2);
    assert!(decimals.stderr.contains("amount"), "{decimals:#?}");
    let fee = sandbox(
        dir.path(),
        &[
            "paypal",
            "captures",
            "refund",
            "CAPTURE1",
            "--amount",
            "1.00",
            "--currency",
            "USD",
            "--platform-fee",
            "2.00",
        ],
    )
    .fails_with(2);
    assert!(fee.stderr.contains("platform_fees"), "{fee:#?}");
    // Unknown captures are not found.
    sandbox(dir.path(), &["paypal", "captures", "get", "NOSUCHCAPTURE"]).fails_with(3);
    sandbox(
        dir.path(),
        &["paypal", "captures", "refund", "NOSUCHCAPTURE"],
    )
    .fails_with(3);
    sandbox(dir.path(), &["paypal", "refunds", "get", "NOSUCHREFUND"]).fails_with(3);
}
