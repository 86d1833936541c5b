//! `partner pax8 quotes` against the sandbox.

mod common;

use common::{LiveSandbox, sandbox};

/// Creates a quote for the first company of the live sandbox; its id.
fn new_quote(live: &LiveSandbox) -> String {
    let company = live.sandbox.pax8().companies()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "create",
            "--client-id",
            &company,
        ])
        .ok();
    assert!(run.stderr.contains("created quote"), "{run:#?}");
    let quote = run.json();
    assert_eq!(quote["status"], "draft");
    assert_eq!(quote["client"]["id"], company.as_str());
    quote["id"].as_str().unwrap().to_owned()
}

#[test]
fn list_shows_the_status_counts_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["pax8", "quotes", "list", "--account", "partner"],
    )
    .ok();
    assert!(table.stdout.contains("reference"), "{table:#?}");
    assert!(
        table.stderr.contains("by status: 1 draft, 1 sent"),
        "{table:#?}"
    );

    let some = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "quotes",
            "list",
            "--account",
            "partner",
            "--status",
            "draft",
            "--status",
            "sent",
        ],
    )
    .ok()
    .json_lines();
    assert_eq!(some.len(), 2);
    assert!(
        some.iter()
            .all(|q| q["status"] == "draft" || q["status"] == "sent")
    );
}

#[test]
fn create_get_update_send_and_delete() {
    let live = LiveSandbox::start();
    let id = new_quote(&live);
    let got = live
        .run(&["--json", "pax8", "quotes", "get", &id])
        .ok()
        .json();
    assert_eq!(got["id"], id.as_str());

    let updated = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "update",
            &id,
            "--intro-message",
            "Thanks for your business",
            "--expires-on",
            "2031-01-31",
        ])
        .ok()
        .json();
    assert_eq!(updated["introMessage"], "Thanks for your business");
    assert_eq!(updated["expiresOn"], "2031-01-31T00:00:00Z");
    assert_eq!(updated["status"], "draft", "unchanged fields are kept");

    let sent = live
        .run(&["--json", "pax8", "quotes", "send", &id])
        .ok()
        .json();
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["published"], true);
    assert_eq!(sent["introMessage"], "Thanks for your business");

    let shared = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "share",
            &id,
            "--email",
            "owner@client.example.com",
            "--name",
            "Pat Owner",
        ])
        .ok()
        .json_lines();
    assert!(
        shared
            .iter()
            .any(|e| e["email"] == "owner@client.example.com")
    );
    let access = live.run(&["pax8", "quotes", "access", &id]).ok();
    assert!(
        access.stdout.contains("owner@client.example.com"),
        "{access:#?}"
    );

    let deleted = live.run(&["pax8", "quotes", "delete", &id]).ok();
    assert!(deleted.stderr.contains("deleted quote"), "{deleted:#?}");
    live.run(&["pax8", "quotes", "get", &id]).fails_with(3);
}

#[test]
fn line_items_from_flags_and_from_a_file() {
    let live = LiveSandbox::start();
    let id = new_quote(&live);
    let product = live
        .sandbox
        .pax8()
        .product_id("Microsoft 365 Business Premium")
        .expect("a catalogue product");

    let added = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "items",
            "add",
            &id,
            "--product-id",
            &product,
            "--billing-term",
            "Monthly",
            "--quantity",
            "5",
            "--price",
            "22.50",
            "--effective-date",
            "2030-01-01",
        ])
        .ok()
        .json_lines();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["quantity"], 5);
    assert_eq!(added[0]["price"]["amount"], 22.5);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("items.json");
    std::fs::write(
        &file,
        r#"[{"type": "Custom", "productName": "Onboarding", "billingTerm": "One-Time",
             "quantity": 1, "price": 500, "cost": 120, "initialTotal": 500,
             "effectiveDate": "2030-01-01T00:00:00Z", "note": "one visit"}]"#,
    )
    .unwrap();
    let custom = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "items",
            "add",
            &id,
            "--file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json_lines();
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0]["product"]["name"], "Onboarding");

    let listed = live
        .run(&["--json", "pax8", "quotes", "items", "list", &id])
        .ok()
        .json_lines();
    assert_eq!(listed.len(), 2);
    let table = live.run(&["pax8", "quotes", "items", "list", &id]).ok();
    assert!(table.stdout.contains("Onboarding"), "{table:#?}");

    let first = added[0]["id"].as_str().unwrap();
    let updated = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "items",
            "update",
            &id,
            first,
            "--quantity",
            "7",
        ])
        .ok()
        .json_lines();
    let changed = updated.iter().find(|i| i["id"] == first).unwrap();
    assert_eq!(changed["quantity"], 7);
    assert_eq!(changed["price"]["amount"], 22.5, "the price is kept");
    assert_eq!(changed["billingTerm"], "Monthly");

    let onboarding = custom[0]["id"].as_str().unwrap();
    let repriced = live
        .run(&[
            "--json", "pax8", "quotes", "items", "update", &id, onboarding, "--price", "450",
        ])
        .ok()
        .json_lines();
    let changed = repriced.iter().find(|i| i["id"] == onboarding).unwrap();
    assert_eq!(changed["price"]["amount"], 450);
    assert_eq!(changed["product"]["name"], "Onboarding");
    assert_eq!(changed["note"], "one visit", "the note is kept");

    live.run(&[
        "pax8",
        "quotes",
        "items",
        "update",
        &id,
        "no-such-item",
        "--quantity",
        "2",
    ])
    .fails_with(3);
    live.run(&["pax8", "quotes", "items", "update", &id, first])
        .fails_with(2);

    live.run(&["pax8", "quotes", "items", "delete", &id, first])
        .ok();
    let left = live
        .run(&["--json", "pax8", "quotes", "items", "list", &id])
        .ok()
        .json_lines();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["product"]["name"], "Onboarding");
}

#[test]
fn refusals_send_nothing() {
    let live = LiveSandbox::start();
    let id = new_quote(&live);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("item.json");
    std::fs::write(
        &file,
        r#"{"type": "Custom", "billingTerm": "Monthly", "quantity": 1, "price": 5}"#,
    )
    .unwrap();
    let missing = live
        .run(&[
            "pax8",
            "quotes",
            "items",
            "add",
            &id,
            "--file",
            file.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(missing.stderr.contains("productName"), "{missing:#?}");

    std::fs::write(
        &file,
        r#"{"productId": "p", "billingTerm": "Weekly", "quantity": 1, "price": 5}"#,
    )
    .unwrap();
    let term = live
        .run(&[
            "pax8",
            "quotes",
            "items",
            "add",
            &id,
            "--file",
            file.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(
        term.stderr.contains("billingTerm") && term.stderr.contains("1 Year"),
        "{term:#?}"
    );

    std::fs::write(&file, r#"{"productId": "p", "colour": "red"}"#).unwrap();
    let unknown = live
        .run(&[
            "pax8",
            "quotes",
            "items",
            "add",
            &id,
            "--file",
            file.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(unknown.stderr.contains("colour"), "{unknown:#?}");

    let flags = live
        .run(&["pax8", "quotes", "items", "add", &id, "--product-id", "p"])
        .fails_with(2);
    assert!(flags.stderr.contains("--billing-term"), "{flags:#?}");

    let nothing = live.run(&["pax8", "quotes", "update", &id]).fails_with(2);
    assert!(nothing.stderr.contains("--status"), "{nothing:#?}");
    let bad_date = live
        .run(&["pax8", "quotes", "update", &id, "--expires-on", "tomorrow"])
        .fails_with(2);
    assert!(bad_date.stderr.contains("--expires-on"), "{bad_date:#?}");
    let email = live
        .run(&["pax8", "quotes", "share", &id, "--email", "not-an-address"])
        .fails_with(2);
    assert!(email.stderr.contains("email"), "{email:#?}");

    let quote = live
        .run(&["--json", "pax8", "quotes", "get", &id])
        .ok()
        .json();
    assert!(
        quote["lineItems"].as_array().is_none_or(Vec::is_empty),
        "{quote}"
    );
    live.run(&["pax8", "quotes", "get", "no-such-quote"])
        .fails_with(3);
    live.run(&["pax8", "quotes", "delete", "no-such-quote"])
        .fails_with(3);
}

#[test]
fn attachments_go_up_and_come_back_as_a_zip_and_sharing_is_undone() {
    let live = LiveSandbox::start();
    let id = new_quote(&live);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("terms.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% terms of service\n%%EOF\n").unwrap();
    let added = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "attach",
            &id,
            pdf.to_str().unwrap(),
        ])
        .ok()
        .json_lines();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0]["name"], "terms.pdf");

    let zip = dir.path().join("quote.zip");
    let run = live
        .run(&[
            "pax8",
            "quotes",
            "download",
            &id,
            "--output",
            zip.to_str().unwrap(),
        ])
        .ok();
    assert!(run.stderr.contains("wrote"), "{run:#?}");
    let bytes = std::fs::read(&zip).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip archive");

    let shared = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "share",
            &id,
            "--email",
            "cfo@client.example.com",
        ])
        .ok()
        .json_lines();
    let entry = shared
        .iter()
        .find(|e| e["email"] == "cfo@client.example.com")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    live.run(&["pax8", "quotes", "unshare", &id, &entry]).ok();
    let access = live
        .run(&["--json", "pax8", "quotes", "access", &id])
        .ok()
        .json_lines();
    assert!(
        access
            .iter()
            .all(|e| e["email"] != "cfo@client.example.com")
    );

    let missing = dir.path().join("missing.pdf");
    live.run(&["pax8", "quotes", "attach", &id, missing.to_str().unwrap()])
        .fails_with(1);
    live.run(&["pax8", "quotes", "unshare", &id, "no-such-entry"])
        .fails_with(3);
}

#[test]
fn take_ownership_moves_a_colleagues_quote_to_you_once() {
    let live = LiveSandbox::start();
    let quotes = live.sandbox.pax8().quotes();
    let me = &new_quote_owner(&live);
    let theirs = quotes
        .iter()
        .find(|q| q["ownedBy"]["id"] != *me)
        .expect("the seed has a colleague's quote");
    let id = theirs["id"].as_str().unwrap();

    let taken = live
        .run(&["--json", "pax8", "quotes", "take-ownership", id])
        .ok()
        .json();
    assert_eq!(taken["id"], id);
    assert_eq!(taken["ownedBy"]["id"], *me);

    // Taking it again is refused by Pax8, with its reason on the error line.
    let again = live
        .run(&["pax8", "quotes", "take-ownership", id])
        .fails_with(1);
    assert!(again.stderr.contains("already owned"), "{again:#?}");
    let missing = live
        .run(&["pax8", "quotes", "take-ownership", "no-such-quote"])
        .fails_with(3);
    assert!(missing.stderr.contains("404"), "{missing:#?}");
}

/// The API user's id: the owner of a quote it creates.
fn new_quote_owner(live: &LiveSandbox) -> serde_json::Value {
    let id = new_quote(live);
    live.sandbox
        .pax8()
        .quotes()
        .into_iter()
        .find(|q| q["id"] == id.as_str())
        .expect("the new quote")["ownedBy"]["id"]
        .clone()
}
