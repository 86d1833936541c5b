//! `partner paypal referral` and `partner paypal seller`: the sign-up link, then the seller's
//! merchant id and readiness once the sandbox's seller finished sign-up.

mod common;

use common::{LiveSandbox, sandbox};
use partner_sandbox::paypal::{CardVetting, SellerChoices};

const RETURN_URL: &str = "https://platform.example/paypal/return";

/// `referral create` through the binary: the sign-up link it printed.
fn referral(live: &LiveSandbox, tracking_id: &str) -> String {
    let run = live
        .run(&[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            tracking_id,
            "--return-url",
            RETURN_URL,
        ])
        .ok();
    run.stdout.trim().to_owned()
}

#[test]
fn referral_create_prints_the_sign_up_link_and_json_prints_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-42",
            "--return-url",
            RETURN_URL,
            "--email",
            "ada@example.com",
        ],
    )
    .ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the link on stdout: {run:#?}");
    let link = url::Url::parse(lines[0]).expect("the link is a URL");
    assert!(
        link.as_str().contains("referralToken="),
        "a sign-up link: {link}"
    );
    assert!(
        run.stderr
            .contains("partner paypal seller status --tracking-id seller-42"),
        "{run:#?}"
    );

    let json = sandbox(
        dir.path(),
        &[
            "--json",
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-42",
            "--return-url",
            RETURN_URL,
        ],
    )
    .ok()
    .json();
    let rels: Vec<&str> = json["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    assert!(
        rels.contains(&"action_url") && rels.contains(&"self"),
        "{json}"
    );
}

#[test]
fn referral_get_shows_the_default_ppcp_third_party_referral() {
    let live = LiveSandbox::start();
    let link = referral(&live, "seller-defaults");
    // The referral as the sandbox stored it, read back.
    let id = link.split("referralToken=").nth(1).unwrap().to_owned();
    let details = live
        .run(&["--json", "paypal", "referral", "get", &id])
        .ok()
        .json();
    assert_eq!(details["partner_referral_id"], id.as_str());
    let table = live.run(&["paypal", "referral", "get", &id]).ok();
    assert!(
        table.stdout.contains("referral_data.tracking_id")
            && table.stdout.contains("seller-defaults"),
        "{table:#?}"
    );
    live.run(&["paypal", "referral", "get", "NOSUCHREFERRAL"])
        .fails_with(3);
    let data = &details["referral_data"];
    assert_eq!(data["products"], serde_json::json!(["PPCP"]));
    assert_eq!(data["tracking_id"], "seller-defaults");
    let integration = &data["operations"][0]["api_integration_preference"]["rest_api_integration"];
    assert_eq!(integration["integration_type"], "THIRD_PARTY");
    assert_eq!(
        integration["third_party_details"]["features"],
        serde_json::json!(["PAYMENT", "REFUND", "PARTNER_FEE"])
    );
    assert_eq!(data["legal_consents"][0]["granted"], true);
}

#[test]
fn referral_refusals_name_the_field_and_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad_url = sandbox(
        dir.path(),
        &[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-42",
            "--return-url",
            "not a url",
        ],
    )
    .fails_with(2);
    assert!(bad_url.stderr.contains("return_url"), "{bad_url:#?}");
    assert!(bad_url.stdout.is_empty());

    let bad_product = sandbox(
        dir.path(),
        &[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-42",
            "--return-url",
            RETURN_URL,
            "--products",
            "PPCP,PCCP",
        ],
    )
    .fails_with(2);
    assert!(
        bad_product.stderr.contains("EXPRESS_CHECKOUT"),
        "{bad_product:#?}"
    );

    let long_id = "t".repeat(128);
    let too_long = sandbox(
        dir.path(),
        &[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            &long_id,
            "--return-url",
            RETURN_URL,
        ],
    )
    .fails_with(2);
    assert!(too_long.stderr.contains("tracking_id"), "{too_long:#?}");

    let bad_email = sandbox(
        dir.path(),
        &[
            "paypal",
            "referral",
            "create",
            "--tracking-id",
            "seller-42",
            "--return-url",
            RETURN_URL,
            "--email",
            "not-an-email",
        ],
    )
    .fails_with(2);
    assert!(bad_email.stderr.contains("email"), "{bad_email:#?}");
}

#[test]
fn seller_status_is_not_found_until_sign_up_then_ready_with_the_merchant_id() {
    let live = LiveSandbox::start();
    let link = referral(&live, "seller-ada");

    let pending = live
        .run(&["paypal", "seller", "status", "--tracking-id", "seller-ada"])
        .fails_with(3);
    assert!(
        pending.stderr.contains("seller-ada") && pending.stdout.is_empty(),
        "{pending:#?}"
    );

    let merchant_id = live.block_on(async {
        live.sandbox
            .paypal()
            .complete_onboarding(&link, SellerChoices::default())
            .unwrap()
    });

    let json = live
        .run(&[
            "--json",
            "paypal",
            "seller",
            "status",
            "--tracking-id",
            "seller-ada",
        ])
        .ok()
        .json();
    assert_eq!(json["merchant_id"], merchant_id.as_str());
    assert_eq!(json["tracking_id"], "seller-ada");
    assert_eq!(json["can_take_payments"], true);
    assert_eq!(json["can_take_cards"], true);
    assert_eq!(json["verdict"], "ready: PayPal buttons and cards");
    assert_eq!(json["reasons"], serde_json::json!([]));
    // The status document's credentials and tokens are never printed.
    assert!(json.get("oauth_integrations").is_none() && json.get("api_credentials").is_none());

    let table = live
        .run(&["paypal", "seller", "status", "--merchant-id", &merchant_id])
        .ok();
    assert!(
        table.stdout.contains(&merchant_id)
            && table.stdout.contains("verdict")
            && table.stdout.contains("ready: PayPal buttons and cards"),
        "{table:#?}"
    );
}

#[test]
fn a_seller_who_is_not_ready_gets_the_verdict_and_its_reasons() {
    let live = LiveSandbox::start();
    let link = referral(&live, "seller-grace");
    live.block_on(async {
        live.sandbox
            .paypal()
            .complete_onboarding(
                &link,
                SellerChoices {
                    email_confirmed: false,
                    permissions_granted: false,
                    ..SellerChoices::default()
                },
            )
            .unwrap()
    });
    let json = live
        .run(&[
            "--json",
            "paypal",
            "seller",
            "status",
            "--tracking-id",
            "seller-grace",
        ])
        .ok()
        .json();
    assert_eq!(json["can_take_payments"], false);
    assert_eq!(
        json["verdict"],
        "not ready: email not confirmed, permissions not granted"
    );
    let reasons: Vec<&str> = json["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{json}");
    assert!(reasons[0].contains("confirm your email"), "{reasons:?}");

    let table = live
        .run(&[
            "paypal",
            "seller",
            "status",
            "--tracking-id",
            "seller-grace",
        ])
        .ok();
    assert!(
        table.stderr.contains("cannot take payments yet"),
        "{table:#?}"
    );
    // Each reason on its own line of the table, not a JSON array.
    assert!(
        table.stdout.contains(reasons[0]) && !table.stdout.contains("[\""),
        "{table:#?}"
    );

    // Buttons only when card vetting was denied.
    let link = referral(&live, "seller-linus");
    live.block_on(async {
        live.sandbox
            .paypal()
            .complete_onboarding(
                &link,
                SellerChoices {
                    card_vetting: CardVetting::Denied,
                    ..SellerChoices::default()
                },
            )
            .unwrap()
    });
    let json = live
        .run(&[
            "--json",
            "paypal",
            "seller",
            "status",
            "--tracking-id",
            "seller-linus",
        ])
        .ok()
        .json();
    assert_eq!(json["can_take_payments"], true);
    assert_eq!(json["can_take_cards"], false);
    assert_eq!(
        json["verdict"],
        "ready: PayPal buttons only (card processing denied)"
    );
}

#[test]
fn seller_status_refusals() {
    let live = LiveSandbox::start();
    // Neither flag, or both: refused by the command line.
    live.run(&["paypal", "seller", "status"]).fails_with(2);
    live.run(&[
        "paypal",
        "seller",
        "status",
        "--tracking-id",
        "a",
        "--merchant-id",
        "B",
    ])
    .fails_with(2);
    // An unknown merchant id is not found.
    let unknown = live
        .run(&[
            "paypal",
            "seller",
            "status",
            "--merchant-id",
            "NOSUCHSELLER1",
        ])
        .fails_with(3);
    assert!(unknown.stderr.starts_with("error: "), "{unknown:#?}");
    // A tracking id PayPal would refuse is refused before sending.
    let long_id = "t".repeat(128);
    let too_long = live
        .run(&["paypal", "seller", "status", "--tracking-id", &long_id])
        .fails_with(2);
    assert!(too_long.stderr.contains("tracking_id"), "{too_long:#?}");
}
