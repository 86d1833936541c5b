//! `partner procuret payment-series` against the in-process sandbox.

mod common;

use common::sandbox;

#[test]
fn list_prints_a_table_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["procuret", "payment-series", "list", "--page-size", "2"],
    )
    .ok();
    assert!(table.stdout.contains("INV-2001"), "{table:#?}");
    assert!(table.stderr.contains("items in all"), "{table:#?}");

    let every = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "payment-series",
            "list",
            "--all",
            "--page-size",
            "2",
        ],
    )
    .ok()
    .json_lines();
    assert!(every.len() > 2, "more than one page: {}", every.len());
    let completed = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "payment-series",
            "list",
            "--all",
            "--completed",
            "true",
        ],
    )
    .ok()
    .json_lines();
    assert!(completed.len() < every.len(), "the filter is sent");
}

#[test]
fn get_finds_one_series_and_an_unknown_id_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let listed = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "payment-series",
            "list",
            "--page-size",
            "2",
        ],
    )
    .ok()
    .json_lines();
    let id = listed[1]["public_id"].as_str().unwrap();
    let got = sandbox(
        dir.path(),
        &["--json", "procuret", "payment-series", "get", id],
    )
    .ok()
    .json();
    assert_eq!(got["public_id"], listed[1]["public_id"]);
    assert_eq!(got["identifier"], listed[1]["identifier"]);

    let missing = sandbox(
        dir.path(),
        &["procuret", "payment-series", "get", "no-such-series"],
    )
    .fails_with(3);
    assert!(missing.stderr.contains("no-such-series"), "{missing:#?}");
}

#[test]
fn a_bad_filter_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &["procuret", "payment-series", "list", "--business-id", "0"],
    )
    .fails_with(2);
    assert!(run.stderr.contains("--business-id"), "{run:#?}");
    let run = sandbox(
        dir.path(),
        &["procuret", "payment-series", "list", "--page-size", "0"],
    )
    .fails_with(2);
    assert!(run.stderr.contains("--page-size"), "{run:#?}");
}
