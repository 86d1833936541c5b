//! `partner pax8 usage` against the in-process sandbox.

mod common;

use common::sandbox;
use serde_json::Value;

/// A usage-based subscription's id and its first usage summary.
fn usage_summary(dir: &std::path::Path) -> (String, Value) {
    let subscriptions = sandbox(dir, &["--json", "pax8", "subscriptions", "list", "--all"])
        .ok()
        .json_lines();
    let azure = subscriptions
        .iter()
        .find(|s| s["productName"] == "Azure Plan")
        .expect("a usage-based subscription");
    let id = azure["id"].as_str().unwrap().to_owned();
    let summary = sandbox(
        dir,
        &[
            "--json",
            "pax8",
            "usage",
            "summaries",
            "--subscription-id",
            &id,
        ],
    )
    .ok()
    .json_lines()
    .remove(0);
    (id, summary)
}

#[test]
fn summaries_of_a_subscription_and_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (subscription, summary) = usage_summary(dir.path());
    let table = sandbox(
        dir.path(),
        &[
            "pax8",
            "usage",
            "summaries",
            "--subscription-id",
            &subscription,
            "--sort",
            "resource-group",
        ],
    )
    .ok();
    for group in ["Production", "Staging", "Backups"] {
        assert!(table.stdout.contains(group), "{table:#?}");
    }
    let backups = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "usage",
            "summaries",
            "--subscription-id",
            &subscription,
            "--resource-group",
            "Backups",
        ],
    )
    .ok()
    .json_lines();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0]["resourceGroup"], "Backups");

    let id = summary["id"].as_str().unwrap();
    let one = sandbox(dir.path(), &["--json", "pax8", "usage", "summary", id])
        .ok()
        .json();
    assert_eq!(one["id"], id);
    assert_eq!(one["subscriptionId"], subscription.as_str());
    assert!(one["currentCharges"].is_number());
}

#[test]
fn lines_of_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let (_, summary) = usage_summary(dir.path());
    let id = summary["id"].as_str().unwrap();
    let lines = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "usage",
            "lines",
            id,
            "--usage-date",
            "2025-05-02",
        ],
    )
    .ok()
    .json_lines();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["usageDate"] == "2025-05-02"));
    assert!(lines.iter().all(|l| l["usageSummaryId"] == id));

    let table = sandbox(
        dir.path(),
        &["pax8", "usage", "lines", id, "--usage-date", "2025-05-02"],
    )
    .ok();
    assert!(table.stdout.contains("Virtual Machines"), "{table:#?}");
}

#[test]
fn refusals_and_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let no_date = sandbox(dir.path(), &["pax8", "usage", "lines", "summary-1"]).fails_with(2);
    assert!(no_date.stderr.contains("--usage-date"), "{no_date:#?}");
    let bad_date = sandbox(
        dir.path(),
        &[
            "pax8",
            "usage",
            "lines",
            "summary-1",
            "--usage-date",
            "05/02/2025",
        ],
    )
    .fails_with(2);
    assert!(bad_date.stderr.contains("YYYY-MM-DD"), "{bad_date:#?}");
    let no_subscription = sandbox(dir.path(), &["pax8", "usage", "summaries"]).fails_with(2);
    assert!(
        no_subscription.stderr.contains("--subscription-id"),
        "{no_subscription:#?}"
    );

    sandbox(dir.path(), &["pax8", "usage", "summary", "no-such-summary"]).fails_with(3);
    sandbox(
        dir.path(),
        &[
            "pax8",
            "usage",
            "lines",
            "no-such-summary",
            "--usage-date",
            "2025-05-02",
        ],
    )
    .fails_with(3);
}
