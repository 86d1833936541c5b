//! `partner pax8 orders`: placing, reading and dry-running orders against one live sandbox.

mod common;

use common::{LiveSandbox, sandbox};

/// An `Active` company of the sandbox (only those can order).
fn active_company(live: &LiveSandbox) -> String {
    live.sandbox
        .pax8()
        .companies()
        .into_iter()
        .find(|c| c["status"] == "Active")
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("an active company")
}

fn product(live: &LiveSandbox, name: &str) -> String {
    live.sandbox
        .pax8()
        .product_id(name)
        .expect("a seeded product")
}

fn order_count(live: &LiveSandbox) -> usize {
    live.run(&["--json", "pax8", "orders", "list", "--all"])
        .ok()
        .json_lines()
        .len()
}

#[test]
fn create_then_get_and_list() {
    let live = LiveSandbox::start();
    let company = active_company(&live);
    let basic = product(&live, "Microsoft 365 Business Basic");
    let e3 = product(&live, "Microsoft Office 365 E3");
    let before = order_count(&live);

    let line1 = format!("product={basic},quantity=5,billing-term=Annual");
    let line2 =
        format!("product={e3},quantity=2,billing-term=Annual,commitment=auto,parent-line=1");
    let placed = live
        .run(&[
            "--json",
            "pax8",
            "orders",
            "create",
            "--company-id",
            &company,
            "--line",
            &line1,
            "--line",
            &line2,
        ])
        .ok();
    let order = placed.json();
    let id = order["id"].as_str().unwrap().to_owned();
    assert!(placed.stderr.contains(&format!("placed order {id}")));
    assert_eq!(order["companyId"], company.as_str());
    let items = order["lineItems"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["quantity"], 5);
    assert_eq!(items[0]["lineItemNumber"], 1);
    assert_eq!(items[1]["billingTerm"], "Annual");
    // `commitment=auto` picked E3's Annual commitment from its dependencies.
    let dependencies = live
        .run(&["--json", "pax8", "products", "dependencies", &e3])
        .ok()
        .json();
    let annual = dependencies["commitmentDependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["term"] == "Annual")
        .unwrap();
    assert_eq!(items[1]["commitmentTermId"], annual["id"]);

    assert_eq!(order_count(&live), before + 1);
    assert!(
        live.sandbox
            .pax8()
            .orders()
            .iter()
            .any(|o| o["id"] == id.as_str())
    );

    // The table: the order's fields, then its line items as rows.
    let got = live.run(&["pax8", "orders", "get", &id]).ok();
    assert!(
        got.stdout.contains(&id) && got.stdout.contains("billing term"),
        "{got:#?}"
    );
    assert!(
        got.stdout.contains(&basic) && got.stdout.contains(&e3),
        "{got:#?}"
    );
    assert!(!got.stdout.contains("lineItems"), "{got:#?}");

    let listed = live
        .run(&["pax8", "orders", "list", "--company-id", &company, "--all"])
        .ok();
    assert!(listed.stdout.contains(&id), "{listed:#?}");
    let listed = live
        .run(&[
            "--json",
            "pax8",
            "orders",
            "list",
            "--company-id",
            &company,
            "--all",
        ])
        .ok()
        .json_lines();
    assert!(listed.iter().all(|o| o["companyId"] == company.as_str()));
}

#[test]
fn dry_run_validates_and_orders_nothing() {
    let live = LiveSandbox::start();
    let company = active_company(&live);
    let basic = product(&live, "Microsoft 365 Business Basic");
    let before = order_count(&live);
    let subscriptions = live.sandbox.pax8().subscriptions().len();

    let line = format!("product={basic},quantity=3");
    let run = live
        .run(&[
            "--json",
            "pax8",
            "orders",
            "create",
            "--dry-run",
            "--company-id",
            &company,
            "--line",
            &line,
        ])
        .ok();
    let order = run.json();
    assert_eq!(order["lineItems"][0]["quantity"], 3);
    assert_eq!(order["lineItems"][0]["billingTerm"], "Monthly");
    assert!(run.stderr.contains("nothing was ordered"), "{run:#?}");
    assert_eq!(order_count(&live), before);
    assert_eq!(live.sandbox.pax8().subscriptions().len(), subscriptions);

    // Pax8's own refusal of a dry run (an Inactive company) is reported like any other.
    let inactive = live
        .sandbox
        .pax8()
        .companies()
        .into_iter()
        .find(|c| c["status"] == "Inactive")
        .unwrap();
    let run = live
        .run(&[
            "pax8",
            "orders",
            "create",
            "--dry-run",
            "--company-id",
            inactive["id"].as_str().unwrap(),
            "--line",
            &line,
        ])
        .fails_with(1);
    assert!(run.stderr.contains("not Active"), "{run:#?}");
    assert_eq!(order_count(&live), before);
}

#[test]
fn create_reads_a_json_document() {
    let live = LiveSandbox::start();
    let company = active_company(&live);
    let keeper = product(&live, "Keeper Business");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("order.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "companyId": company,
            "lineItems": [{
                "productId": keeper,
                "quantity": 4,
                "billingTerm": "Monthly",
                "provisioningDetails": [{"key": "adminEmail", "values": ["it@example.com"]}]
            }]
        })
        .to_string(),
    )
    .unwrap();
    let order = live
        .run(&[
            "--json",
            "pax8",
            "orders",
            "create",
            "--file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json();
    assert_eq!(order["companyId"], company.as_str());
    assert_eq!(order["lineItems"][0]["quantity"], 4);
    assert_eq!(
        order["lineItems"][0]["provisioningDetails"][0]["values"][0],
        "it@example.com"
    );
}

#[test]
fn bad_orders_are_refused_before_anything_is_ordered() {
    let live = LiveSandbox::start();
    let company = active_company(&live);
    let e3 = product(&live, "Microsoft Office 365 E3");
    let before = order_count(&live);
    let create = |line: &str| {
        live.run(&[
            "pax8",
            "orders",
            "create",
            "--company-id",
            &company,
            "--line",
            line,
        ])
    };

    // E3 requires a commitment: found from the catalogue before ordering.
    let run = create(&format!("product={e3},quantity=1")).fails_with(2);
    assert!(run.stderr.contains("commitment_term_id"), "{run:#?}");
    let run = create(&format!("product={e3},quantity=0,commitment=x")).fails_with(2);
    assert!(run.stderr.contains("line_items[1].quantity"), "{run:#?}");
    let run = create(&format!("product={e3},qty=1")).fails_with(2);
    assert!(
        run.stderr.contains("--line") && run.stderr.contains("qty"),
        "{run:#?}"
    );
    let run = create(&format!("product={e3},quantity=1,billing-term=Weekly")).fails_with(2);
    assert!(run.stderr.contains("Monthly, Annual"), "{run:#?}");
    let run = create(&format!(
        "product={e3},quantity=1,commitment=x,parent-line=2"
    ))
    .fails_with(2);
    assert!(run.stderr.contains("parent_line_item_number"), "{run:#?}");
    // An unknown product is not found when it is looked up.
    let run = create("product=no-such-product,quantity=1").fails_with(3);
    assert!(run.stderr.contains("404"), "{run:#?}");

    let line = format!("product={e3},quantity=1,commitment=x");
    let run = live
        .run(&["pax8", "orders", "create", "--line", &line])
        .fails_with(2);
    assert!(run.stderr.contains("--company-id"), "{run:#?}");
    live.run(&["pax8", "orders", "create", "--company-id", &company])
        .fails_with(2);

    assert_eq!(order_count(&live), before);
}

#[test]
fn an_unknown_order_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(dir.path(), &["pax8", "orders", "get", "no-such-order"]).fails_with(3);
    assert!(run.stderr.contains("404"), "{run:#?}");
}

#[test]
fn a_document_on_stdin_is_validated_and_bad_documents_are_refused() {
    use std::io::Write;
    use std::process::Stdio;

    let live = LiveSandbox::start();
    let company = active_company(&live);
    let basic = product(&live, "Microsoft 365 Business Basic");
    let before = order_count(&live);
    let with_stdin = |body: String, extra: &[&str]| {
        let mut child = live
            .partner()
            .args(["--json", "pax8", "orders", "create", "--file", "-"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        common::Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let line = serde_json::json!({"productId": basic, "quantity": 1, "billingTerm": "Monthly"});

    // --company-id supplies what the document leaves out.
    let body = serde_json::json!({"lineItems": [line]}).to_string();
    let run = with_stdin(body.clone(), &["--dry-run", "--company-id", &company]).ok();
    assert_eq!(run.json()["companyId"], company.as_str());
    assert!(run.stderr.contains("nothing was ordered"), "{run:#?}");

    let run = with_stdin(body, &[]).fails_with(2);
    assert!(run.stderr.contains("companyId"), "{run:#?}");
    let body = serde_json::json!({"companyId": company, "lineItems": [line], "note": "x"});
    let run = with_stdin(body.to_string(), &[]).fails_with(2);
    assert!(run.stderr.contains("unknown field `note`"), "{run:#?}");
    let mut numbered = line.clone();
    numbered["lineItemNumber"] = serde_json::json!(3);
    let body = serde_json::json!({"companyId": company, "lineItems": [numbered]});
    let run = with_stdin(body.to_string(), &[]).fails_with(2);
    assert!(
        run.stderr.contains("lineItems[1].lineItemNumber"),
        "{run:#?}"
    );

    // A file that cannot be read is a local failure, not bad input.
    let run = live
        .run(&["pax8", "orders", "create", "--file", "/no/such/order.json"])
        .fails_with(1);
    assert!(
        run.stderr.contains("cannot read /no/such/order.json"),
        "{run:#?}"
    );
    assert_eq!(order_count(&live), before);
}
