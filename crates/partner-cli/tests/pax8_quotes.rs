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

/// The `id` of the one record in `run`'s JSON lines named `name`.
fn id_named(records: &[serde_json::Value], name: &str) -> String {
    records
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no `{name}` in {records:#?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_library_file_goes_on_quotes_and_into_the_preferences() {
    let live = LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    std::fs::write(path("terms.pdf"), b"%PDF-1.4\n% terms v1\n%%EOF\n").unwrap();

    // The library: upload, list, read, download.
    let uploaded = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "library",
            "upload",
            &path("terms.pdf"),
        ])
        .ok()
        .json_lines();
    let library_id = id_named(&uploaded, "terms.pdf");
    let listed = live
        .run(&["--json", "pax8", "quotes", "library", "list"])
        .ok()
        .json_lines();
    assert_eq!(id_named(&listed, "terms.pdf"), library_id);
    let meta = live
        .run(&["--json", "pax8", "quotes", "library", "get", &library_id])
        .ok()
        .json();
    assert_eq!(meta["type"], "application/pdf");
    live.run(&[
        "pax8",
        "quotes",
        "library",
        "download",
        &library_id,
        "-o",
        &path("back.pdf"),
    ])
    .ok();
    assert_eq!(
        std::fs::read(path("back.pdf")).unwrap(),
        b"%PDF-1.4\n% terms v1\n%%EOF\n"
    );

    // Renaming with one flag keeps the other half.
    let renamed = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "library",
            "rename",
            &library_id,
            "--name",
            "Terms.pdf",
        ])
        .ok()
        .json_lines();
    let renamed = renamed
        .iter()
        .find(|a| a["id"] == library_id.as_str())
        .unwrap();
    assert_eq!(renamed["name"], "Terms.pdf");
    assert_eq!(renamed["order"], meta["order"]);

    // Replacing keeps the id and changes the content (and the name, to the new file's).
    std::fs::write(path("terms2.pdf"), b"%PDF-1.4\n% terms v2\n%%EOF\n").unwrap();
    let replaced = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "library",
            "replace",
            &library_id,
            &path("terms2.pdf"),
        ])
        .ok()
        .json();
    assert_eq!(replaced["id"], library_id.as_str());
    assert_eq!(replaced["name"], "terms2.pdf");
    live.run(&[
        "pax8",
        "quotes",
        "library",
        "download",
        &library_id,
        "-o",
        &path("back.pdf"),
    ])
    .ok();
    assert!(
        std::fs::read(path("back.pdf"))
            .unwrap()
            .ends_with(b"% terms v2\n%%EOF\n")
    );

    // A copy on a quote: read, download, move, delete.
    let quote = new_quote(&live);
    let copied = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "attachments",
            "from-library",
            &quote,
            &library_id,
        ])
        .ok()
        .json_lines();
    assert_eq!(copied.len(), 1);
    let copy = copied[0]["id"].as_str().unwrap().to_owned();
    assert_ne!(copy, library_id, "the quote gets its own copy");
    let on_quote = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "attachments",
            "get",
            &quote,
            &copy,
        ])
        .ok()
        .json();
    assert_eq!(on_quote["name"], "terms2.pdf");
    live.run(&[
        "pax8",
        "quotes",
        "attachments",
        "download",
        &quote,
        &copy,
        "-o",
        &path("copy.pdf"),
    ])
    .ok();
    assert!(
        std::fs::read(path("copy.pdf"))
            .unwrap()
            .ends_with(b"% terms v2\n%%EOF\n")
    );
    let moved = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "attachments",
            "rename",
            &quote,
            &copy,
            "--order",
            "3",
        ])
        .ok()
        .json_lines();
    let moved = moved.iter().find(|a| a["id"] == copy.as_str()).unwrap();
    assert_eq!(
        (moved["name"].as_str(), moved["order"].as_i64()),
        (Some("terms2.pdf"), Some(3))
    );

    // A quote's attachment copied back into the library is a new library file.
    let back = live
        .run(&["--json", "pax8", "quotes", "library", "from-quotes", &copy])
        .ok()
        .json_lines();
    assert_eq!(back.len(), 1);
    assert_ne!(back[0]["id"], library_id.as_str());

    live.run(&["pax8", "quotes", "attachments", "delete", &quote, &copy])
        .ok();
    live.run(&["pax8", "quotes", "attachments", "get", &quote, &copy])
        .fails_with(3);

    // The preferences: every new quote gets the file, until it is detached.
    let attached = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "preferences",
            "attach",
            &library_id,
        ])
        .ok()
        .json_lines();
    assert!(
        attached.iter().any(|a| a["name"] == "terms2.pdf"),
        "{attached:#?}"
    );
    let fresh = new_quote(&live);
    let fresh = live
        .run(&["--json", "pax8", "quotes", "get", &fresh])
        .ok()
        .json();
    assert!(
        fresh["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "terms2.pdf"),
        "{fresh:#}"
    );
    // The preferences hold their own copy, with its own id.
    let preference_copy = id_named(&attached, "terms2.pdf");
    assert_ne!(preference_copy, library_id);
    live.run(&["pax8", "quotes", "preferences", "detach", &preference_copy])
        .ok();
    let preferences = live
        .run(&["--json", "pax8", "quotes", "preferences", "get"])
        .ok()
        .json();
    assert!(
        preferences["attachments"]
            .as_array()
            .is_none_or(|a| a.iter().all(|a| a["id"] != preference_copy.as_str())),
        "{preferences:#}"
    );

    live.run(&["pax8", "quotes", "library", "delete", &library_id])
        .ok();
    live.run(&["pax8", "quotes", "library", "get", &library_id])
        .fails_with(3);
}

#[test]
fn preferences_keep_what_is_not_given_and_bad_input_sends_nothing() {
    let live = LiveSandbox::start();
    let before = live
        .run(&["--json", "pax8", "quotes", "preferences", "get"])
        .ok()
        .json();
    let after = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "preferences",
            "set",
            "--days-to-expire",
            "45",
            "--sales-margin",
            "12.5",
        ])
        .ok()
        .json();
    assert_eq!(after["daysToExpire"], 45);
    assert_eq!(after["introMessage"], before["introMessage"]);
    assert_eq!(after["termsAndDisclaimers"], before["termsAndDisclaimers"]);
    let read = live
        .run(&["--json", "pax8", "quotes", "preferences", "get"])
        .ok()
        .json();
    assert_eq!(read["daysToExpire"], 45);
    assert_eq!(
        read["salesMarginPercentage"].to_string().trim_matches('"'),
        "12.5"
    );

    let nothing = live
        .run(&["pax8", "quotes", "preferences", "set"])
        .fails_with(2);
    assert!(nothing.stderr.contains("--days-to-expire"), "{nothing:#?}");
    let negative = live
        .run(&[
            "pax8",
            "quotes",
            "preferences",
            "set",
            "--days-to-expire=-1",
        ])
        .fails_with(2);
    assert!(
        negative.stderr.contains("--days-to-expire"),
        "{negative:#?}"
    );
    let neither = live
        .run(&["pax8", "quotes", "library", "rename", "some-id"])
        .fails_with(2);
    assert!(neither.stderr.contains("--name"), "{neither:#?}");
    let unchanged = live
        .run(&["--json", "pax8", "quotes", "preferences", "get"])
        .ok()
        .json();
    assert_eq!(unchanged, read, "a refused command sent nothing");
}

#[test]
fn sections_are_added_and_set_from_what_list_printed() {
    let live = LiveSandbox::start();
    let quote = new_quote(&live);
    let product = live.sandbox.pax8().products()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let items = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "items",
            "add",
            &quote,
            "--product-id",
            &product,
            "--billing-term",
            "Monthly",
            "--quantity",
            "2",
            "--price",
            "10",
        ])
        .ok()
        .json_lines();
    let item = items[0]["id"].as_str().unwrap().to_owned();

    let added = live
        .run(&[
            "--json", "pax8", "quotes", "sections", "add", &quote, "--name", "Licences",
        ])
        .ok()
        .json_lines();
    let section = id_named(&added, "Licences");

    // What `--json sections list` printed, edited, is what `sections set` takes.
    let listed = live
        .run(&["--json", "pax8", "quotes", "sections", "list", &quote])
        .ok()
        .stdout;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sections.json");
    let edited: String = listed
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["id"] == section.as_str() {
                value["name"] = "Microsoft licences".into();
                value["lineItems"] = serde_json::json!([{"lineItemId": item, "order": 0}]);
            }
            format!("{value}\n")
        })
        .collect();
    std::fs::write(&file, edited).unwrap();
    let set = live
        .run(&[
            "--json",
            "pax8",
            "quotes",
            "sections",
            "set",
            &quote,
            "--file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json_lines();
    let saved = set.iter().find(|s| s["id"] == section.as_str()).unwrap();
    assert_eq!(saved["name"], "Microsoft licences");
    assert_eq!(saved["lineItems"][0]["lineItemId"], item.as_str());

    // A typo in the file is refused by name, an empty file too; nothing is sent.
    let refused = |content: String| {
        std::fs::write(&file, content).unwrap();
        let path = file.to_str().unwrap();
        live.run(&["pax8", "quotes", "sections", "set", &quote, "--file", path])
            .fails_with(2)
    };
    let typo = refused(format!(
        r#"[{{"id": "{section}", "name": "X", "order": 0, "colour": "red"}}]"#
    ));
    assert!(typo.stderr.contains("colour"), "{typo:#?}");
    let empty = refused("[]".to_owned());
    assert!(empty.stderr.contains("no section"), "{empty:#?}");
    let after = live
        .run(&["--json", "pax8", "quotes", "sections", "list", &quote])
        .ok()
        .json_lines();
    assert_eq!(
        after.iter().find(|s| s["id"] == section.as_str()).unwrap()["name"],
        "Microsoft licences"
    );
    live.run(&["pax8", "quotes", "sections", "list", "no-such-quote"])
        .fails_with(3);
}
