//! `partner pax8 subscriptions` against the sandbox.

mod common;

use common::{LiveSandbox, sandbox};
use serde_json::Value;

/// An active, monthly subscription of the live sandbox (free to change and to cancel at once).
fn monthly_active(live: &LiveSandbox) -> Value {
    live.run(&[
        "--json",
        "pax8",
        "subscriptions",
        "list",
        "--all",
        "--status",
        "Active",
        "--billing-term",
        "Monthly",
    ])
    .ok()
    .json_lines()
    .into_iter()
    .find(|s| s["commitment"].is_null())
    .expect("an active monthly subscription without a commitment")
}

#[test]
fn list_prints_a_table_and_json_lines_with_filters() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["pax8", "subscriptions", "list", "--page-size", "3"],
    )
    .ok();
    assert!(table.stdout.contains("quantity"), "{table:#?}");
    assert!(table.stderr.contains("page 0 of"), "{table:#?}");

    let active = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "subscriptions",
            "list",
            "--all",
            "--status",
            "Active",
            "--sort",
            "quantity",
            "--desc",
        ],
    )
    .ok()
    .json_lines();
    assert!(active.len() > 3, "{}", active.len());
    assert!(active.iter().all(|s| s["status"] == "Active"));
    let quantities: Vec<f64> = active
        .iter()
        .map(|s| s["quantity"].as_f64().unwrap())
        .collect();
    assert!(
        quantities.windows(2).all(|w| w[0] >= w[1]),
        "{quantities:?}"
    );

    let company = active[0]["companyId"].as_str().unwrap();
    let of_company = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "subscriptions",
            "list",
            "--all",
            "--company-id",
            company,
        ],
    )
    .ok()
    .json_lines();
    assert!(!of_company.is_empty());
    assert!(of_company.iter().all(|s| s["companyId"] == company));
}

#[test]
fn get_and_history_and_an_unknown_id() {
    let dir = tempfile::tempdir().unwrap();
    let first = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "subscriptions",
            "list",
            "--page-size",
            "1",
        ],
    )
    .ok()
    .json_lines()
    .remove(0);
    let id = first["id"].as_str().unwrap();
    let record = sandbox(dir.path(), &["pax8", "subscriptions", "get", id]).ok();
    assert!(record.stdout.contains(id) && record.stdout.contains("vendorSkuId"));

    let history = sandbox(
        dir.path(),
        &["--json", "pax8", "subscriptions", "history", id],
    )
    .ok()
    .json_lines();
    assert!(!history.is_empty());
    assert!(history.iter().all(|v| v["id"] == id));

    let missing = sandbox(
        dir.path(),
        &["pax8", "subscriptions", "get", "no-such-subscription"],
    )
    .fails_with(3);
    assert!(missing.stderr.contains("404"), "{missing:#?}");
}

#[test]
fn update_changes_the_quantity_and_records_a_version() {
    let live = LiveSandbox::start();
    let sub = monthly_active(&live);
    let id = sub["id"].as_str().unwrap();
    let quantity = sub["quantity"].as_u64().unwrap() + 2;
    let versions_before = live
        .run(&["--json", "pax8", "subscriptions", "history", id])
        .ok()
        .json_lines()
        .len();

    let updated = live
        .run(&[
            "--json",
            "pax8",
            "subscriptions",
            "update",
            id,
            "--quantity",
            &quantity.to_string(),
        ])
        .ok()
        .json();
    assert_eq!(updated["quantity"].as_u64(), Some(quantity));
    let got = live
        .run(&["--json", "pax8", "subscriptions", "get", id])
        .ok()
        .json();
    assert_eq!(got["quantity"].as_u64(), Some(quantity));
    let versions_after = live
        .run(&["--json", "pax8", "subscriptions", "history", id])
        .ok()
        .json_lines()
        .len();
    assert_eq!(versions_after, versions_before + 1);
}

#[test]
fn cancel_on_a_date_prints_the_cancelled_subscription() {
    let live = LiveSandbox::start();
    let sub = monthly_active(&live);
    let id = sub["id"].as_str().unwrap();
    let run = live
        .run(&[
            "--json",
            "pax8",
            "subscriptions",
            "cancel",
            id,
            "--date",
            "2026-01-31",
        ])
        .ok();
    assert!(run.stderr.contains("cancellation"), "{run:#?}");
    let after = run.json();
    assert_eq!(after["status"], "Cancelled");
    assert_eq!(after["endDate"], "2026-01-31T00:00:00Z");

    let again = live
        .run(&["pax8", "subscriptions", "cancel", id])
        .fails_with(1);
    assert!(again.stderr.contains("already cancelled"), "{again:#?}");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let bad_date = sandbox(
        dir.path(),
        &[
            "pax8",
            "subscriptions",
            "cancel",
            "sub-1",
            "--date",
            "2026-02-30",
        ],
    )
    .fails_with(2);
    assert!(bad_date.stderr.contains("--date"), "{bad_date:#?}");

    let nothing = sandbox(dir.path(), &["pax8", "subscriptions", "update", "sub-1"]).fails_with(2);
    assert!(nothing.stderr.contains("quantity"), "{nothing:#?}");

    let zero = sandbox(
        dir.path(),
        &[
            "pax8",
            "subscriptions",
            "update",
            "sub-1",
            "--quantity",
            "0",
        ],
    )
    .fails_with(2);
    assert!(zero.stderr.contains("quantity"), "{zero:#?}");

    let status = sandbox(
        dir.path(),
        &["pax8", "subscriptions", "list", "--status", "Actve"],
    )
    .fails_with(2);
    assert!(status.stderr.contains("PendingCancel"), "{status:#?}");

    let price = sandbox(
        dir.path(),
        &[
            "pax8",
            "subscriptions",
            "update",
            "sub-1",
            "--price",
            "12,50",
        ],
    )
    .fails_with(2);
    assert!(price.stderr.contains("--price"), "{price:#?}");
}
