//! `partner paypal orders`: an order for an onboarded seller, approved by the sandbox's buyer, then
//! captured (or authorized); idempotent creates; refusals.

mod common;

use common::{LiveSandbox, sandbox};
use partner_sandbox::paypal::SellerChoices;

/// A seller onboarded through `referral create` and the sandbox's sign-up: their merchant id.
fn onboarded_seller(live: &LiveSandbox, tracking_id: &str) -> String {
    let link = live
        .run(&[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            tracking_id,
            "--return-url",
            "https://platform.example/paypal/return",
        ])
        .ok()
        .stdout
        .trim()
        .to_owned();
    live.block_on(async {
        live.sandbox
            .paypal()
            .complete_onboarding(&link, SellerChoices::default())
            .unwrap()
    })
}

fn create_order(live: &LiveSandbox, seller: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "--json",
        "paypal",
        "orders",
        "create",
        "--seller",
        seller,
        "--amount",
        "10.00",
        "--currency",
        "USD",
        "--platform-fee",
        "1.00",
    ];
    args.extend_from_slice(extra);
    live.run(&args).ok().json()
}

#[test]
fn create_approve_capture_and_get_an_order_for_a_seller() {
    let live = LiveSandbox::start();
    let seller = onboarded_seller(&live, "seller-orders");

    let table = live
        .run(&[
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
            "--description",
            "Ticket",
        ])
        .ok();
    assert!(
        table.stdout.contains("status") && table.stdout.contains("id"),
        "{table:#?}"
    );
    assert!(
        table.stderr.contains("the buyer approves it at http"),
        "{table:#?}"
    );

    let order = create_order(&live, &seller, &[]);
    let id = order["id"].as_str().unwrap().to_owned();
    assert_eq!(order["status"], "CREATED", "{order}");

    // Not approved yet: PayPal refuses the capture (a refused request, exit 1).
    let refused = live
        .run(&["paypal", "orders", "capture", &id, "--seller", &seller])
        .fails_with(1);
    assert!(
        refused.stderr.contains("ORDER_NOT_APPROVED"),
        "{refused:#?}"
    );

    live.sandbox.paypal().approve_order(&id).unwrap();
    let captured = live
        .run(&["paypal", "orders", "capture", &id, "--seller", &seller])
        .ok();
    assert!(
        captured.stdout.contains("status") && captured.stdout.contains("COMPLETED"),
        "{captured:#?}"
    );

    let got = live
        .run(&[
            "--json", "paypal", "orders", "get", &id, "--seller", &seller,
        ])
        .ok()
        .json();
    assert_eq!(got["id"], id.as_str());
    assert_eq!(got["status"], "COMPLETED");
    let capture = &got["purchase_units"][0]["payments"]["captures"][0];
    assert_eq!(capture["status"], "COMPLETED");
    assert_eq!(capture["amount"]["value"], "10.00");
    // Captured once: capturing again is refused by PayPal.
    let again = live
        .run(&["paypal", "orders", "capture", &id, "--seller", &seller])
        .fails_with(1);
    assert!(
        again.stderr.contains("ORDER_ALREADY_CAPTURED"),
        "{again:#?}"
    );
    assert_eq!(
        got["purchase_units"][0]["payee"]["merchant_id"],
        seller.as_str()
    );
    assert_eq!(
        got["purchase_units"][0]["payment_instruction"]["platform_fees"][0]["amount"]["value"],
        "1.00"
    );

    let table = live.run(&["paypal", "orders", "get", &id]).ok();
    assert!(
        table.stdout.contains(&id) && table.stdout.contains("COMPLETED"),
        "{table:#?}"
    );
}

#[test]
fn an_authorize_order_is_authorized() {
    let live = LiveSandbox::start();
    let seller = onboarded_seller(&live, "seller-authorize");
    let order = create_order(&live, &seller, &["--intent", "authorize"]);
    let id = order["id"].as_str().unwrap().to_owned();
    live.sandbox.paypal().approve_order(&id).unwrap();
    let authorized = live
        .run(&[
            "--json",
            "paypal",
            "orders",
            "authorize",
            &id,
            "--seller",
            &seller,
        ])
        .ok()
        .json();
    assert_eq!(authorized["intent"], "AUTHORIZE");
    let authorization = &authorized["purchase_units"][0]["payments"]["authorizations"][0];
    assert_eq!(authorization["status"], "CREATED", "{authorized}");
    assert!(authorization["id"].is_string());
}

#[test]
fn a_create_repeated_with_the_same_request_id_is_applied_once() {
    let live = LiveSandbox::start();
    let seller = onboarded_seller(&live, "seller-idempotent");
    let before = live.sandbox.paypal().order_count();
    let first = create_order(&live, &seller, &["--request-id", "cli-order-0001"]);
    let again = create_order(&live, &seller, &["--request-id", "cli-order-0001"]);
    assert_eq!(first["id"], again["id"]);
    assert_eq!(live.sandbox.paypal().order_count(), before + 1);
    let other = create_order(&live, &seller, &["--idempotency-key", "cli-order-0002"]);
    assert_ne!(first["id"], other["id"]);
    assert_eq!(live.sandbox.paypal().order_count(), before + 2);
}

#[test]
fn bad_orders_are_refused_before_anything_is_sent() {
    let live = LiveSandbox::start();
    let before = live.sandbox.paypal().order_count();
    let base = [
        "paypal",
        "orders",
        "create",
        "--seller",
        "SELLER0000001",
        "--currency",
    ];
    let run = |currency: &str, rest: &[&str]| {
        let mut args = base.to_vec();
        args.push(currency);
        args.extend_from_slice(rest);
        live.run(&args)
    };

    let decimals = run("USD", &["--amount", "10.001"]).fails_with(2);
    assert!(decimals.stderr.contains("amount"), "{decimals:#?}");
    let yen = run("JPY", &["--amount", "10.5"]).fails_with(2);
    assert!(yen.stderr.contains("amount"), "{yen:#?}");
    let fee = run("USD", &["--amount", "10.00", "--platform-fee", "11.00"]).fails_with(2);
    assert!(fee.stderr.contains("platform_fees"), "{fee:#?}");
    let currency = run("usd", &["--amount", "10.00"]).fails_with(2);
    assert!(currency.stderr.contains("amount"), "{currency:#?}");
    let not_a_number = run("USD", &["--amount", "ten"]).fails_with(2);
    assert!(
        not_a_number.stderr.contains("--amount"),
        "{not_a_number:#?}"
    );
    let intent = run("USD", &["--amount", "10.00", "--intent", "sale"]).fails_with(2);
    assert!(intent.stderr.contains("authorize"), "{intent:#?}");
    let key = run("USD", &["--amount", "10.00", "--request-id", "has space"]).fails_with(2);
    assert!(key.stderr.contains("--request-id"), "{key:#?}");
    assert_eq!(live.sandbox.paypal().order_count(), before, "nothing sent");
}

#[test]
fn an_unknown_order_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &["paypal", "orders", "get", "5O190127TN364715T"],
    )
    .fails_with(3);
    assert!(
        run.stderr.starts_with("error: ") && run.stderr.contains("404"),
        "{run:#?}"
    );
    sandbox(
        dir.path(),
        &["paypal", "orders", "capture", "5O190127TN364715T"],
    )
    .fails_with(3);
}
