//! `partner pax8 companies` against the in-process sandbox.

mod common;

use common::sandbox;

#[test]
fn list_prints_a_table_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["pax8", "companies", "list", "--page-size", "3"],
    )
    .ok();
    assert!(table.stdout.contains("Acme Dental Group"), "{table:#?}");
    assert!(table.stderr.contains("page 0 of"), "{table:#?}");

    let json = sandbox(
        dir.path(),
        &["--json", "pax8", "companies", "list", "--page-size", "3"],
    )
    .ok();
    let companies = json.json_lines();
    assert_eq!(companies.len(), 3);
    assert!(companies.iter().all(|c| c["id"].is_string()));
}

#[test]
fn all_streams_every_page_and_filters_are_sent() {
    let dir = tempfile::tempdir().unwrap();
    let every = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "companies",
            "list",
            "--all",
            "--page-size",
            "5",
        ],
    )
    .ok()
    .json_lines();
    let denver = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "companies",
            "list",
            "--all",
            "--city",
            "Denver",
        ],
    )
    .ok()
    .json_lines();
    assert!(every.len() > 5, "more than one page: {}", every.len());
    assert!(!denver.is_empty() && denver.len() < every.len());
    assert!(denver.iter().all(|c| c["address"]["city"] == "Denver"));
}

#[test]
fn get_prints_the_record_and_an_unknown_id_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let first = sandbox(
        dir.path(),
        &["--json", "pax8", "companies", "list", "--page-size", "1"],
    )
    .ok()
    .json_lines()
    .remove(0);
    let id = first["id"].as_str().unwrap();
    let record = sandbox(dir.path(), &["pax8", "companies", "get", id]).ok();
    assert!(record.stdout.contains(id) && record.stdout.contains("address.city"));

    let missing =
        sandbox(dir.path(), &["pax8", "companies", "get", "no-such-company"]).fails_with(3);
    assert!(
        missing.stderr.starts_with("error: ") && missing.stderr.contains("404"),
        "{missing:#?}"
    );
}

#[test]
fn a_mistyped_enum_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &["pax8", "companies", "list", "--status", "Actve"],
    )
    .fails_with(2);
    assert!(run.stderr.contains("Active, Inactive, Deleted"), "{run:#?}");
}

#[test]
fn a_sandbox_is_reached_through_the_exported_variables() {
    let live = common::LiveSandbox::start();
    let before = live
        .run(&["--json", "pax8", "companies", "list", "--all"])
        .ok()
        .json_lines()
        .len();
    assert!(before > 0);
    let first = live
        .run(&["--json", "pax8", "companies", "list", "--page-size", "1"])
        .ok()
        .json_lines()
        .remove(0);
    let id = first["id"].as_str().unwrap();
    let got = live
        .run(&["--json", "pax8", "companies", "get", id])
        .ok()
        .json();
    assert_eq!(got["id"], first["id"]);
}
