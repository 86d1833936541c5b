//! `partner pax8 invoices` against the in-process sandbox.

mod common;

use common::sandbox;

#[test]
fn list_with_filters_and_get() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["pax8", "invoices", "list", "--page-size", "2"],
    )
    .ok();
    assert!(table.stdout.contains("balance"), "{table:#?}");
    assert!(table.stderr.contains("page 0 of"), "{table:#?}");

    let unpaid = sandbox(
        dir.path(),
        &[
            "--json", "pax8", "invoices", "list", "--all", "--status", "Unpaid",
        ],
    )
    .ok()
    .json_lines();
    assert!(!unpaid.is_empty());
    assert!(unpaid.iter().all(|i| i["status"] == "Unpaid"));

    let spring = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "invoices",
            "list",
            "--all",
            "--from",
            "2025-02-01",
            "--to",
            "2025-03-31",
        ],
    )
    .ok()
    .json_lines();
    assert!(!spring.is_empty());
    assert!(spring.iter().all(|i| {
        let day = i["invoiceDate"].as_str().unwrap();
        ("2025-02-01"..="2025-03-31").contains(&day)
    }));

    let id = unpaid[0]["id"].as_str().unwrap();
    let one = sandbox(dir.path(), &["--json", "pax8", "invoices", "get", id])
        .ok()
        .json();
    assert_eq!(one["id"], id);
    assert_eq!(one["status"], "Unpaid");
}

#[test]
fn items_and_draft_items() {
    let dir = tempfile::tempdir().unwrap();
    let invoice = sandbox(
        dir.path(),
        &["--json", "pax8", "invoices", "list", "--page-size", "1"],
    )
    .ok()
    .json_lines()
    .remove(0);
    let id = invoice["id"].as_str().unwrap();
    let items = sandbox(
        dir.path(),
        &["--json", "pax8", "invoices", "items", id, "--all"],
    )
    .ok()
    .json_lines();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i["companyId"] == invoice["companyId"]));

    let company = invoice["companyId"].as_str().unwrap();
    let draft = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "invoices",
            "draft-items",
            "--month",
            "current",
            "--company-id",
            company,
            "--all",
        ],
    )
    .ok()
    .json_lines();
    assert!(!draft.is_empty());
    assert!(draft.iter().all(|i| i["companyId"] == company));
    assert!(
        draft
            .iter()
            .all(|i| i["startPeriod"].as_str().unwrap().starts_with("2025-06"))
    );
    let table = sandbox(dir.path(), &["pax8", "invoices", "draft-items"]).ok();
    assert!(table.stdout.contains("2025-07-01"), "{table:#?}");
}

#[test]
fn refusals_and_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let inverted = sandbox(
        dir.path(),
        &[
            "pax8",
            "invoices",
            "list",
            "--from",
            "2025-03-01",
            "--to",
            "2025-01-01",
        ],
    )
    .fails_with(2);
    assert!(inverted.stderr.contains("--from"), "{inverted:#?}");
    let bad_date = sandbox(
        dir.path(),
        &["pax8", "invoices", "list", "--due-date", "2025-13-01"],
    )
    .fails_with(2);
    assert!(bad_date.stderr.contains("--due-date"), "{bad_date:#?}");
    let status = sandbox(
        dir.path(),
        &["pax8", "invoices", "list", "--status", "paid"],
    )
    .fails_with(2);
    assert!(status.stderr.contains("Nothing Due"), "{status:#?}");

    sandbox(dir.path(), &["pax8", "invoices", "get", "no-such-invoice"]).fails_with(3);
    sandbox(
        dir.path(),
        &["pax8", "invoices", "items", "no-such-invoice"],
    )
    .fails_with(3);
}
