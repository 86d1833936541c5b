//! `partner pax8 products` against the in-process sandbox (the catalogue is read-only).

mod common;

use std::path::Path;

use common::sandbox;

/// The id of the product named `name`, found with the CLI's own search.
fn product_id(dir: &Path, name: &str) -> String {
    let found = sandbox(
        dir,
        &["--json", "pax8", "products", "list", "--search", name],
    )
    .ok()
    .json_lines();
    let product = found
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {found:#?}"));
    product["id"].as_str().unwrap().to_owned()
}

#[test]
fn list_filters_sorts_and_prints_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(dir.path(), &["pax8", "products", "list"]).ok();
    assert!(table.stdout.contains("Azure Plan"), "{table:#?}");
    assert!(table.stdout.contains("vendor") && table.stderr.contains("page 0"));

    let microsoft = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "products",
            "list",
            "--all",
            "--vendor-name",
            "Microsoft",
            "--sort",
            "name",
            "--desc",
        ],
    )
    .ok()
    .json_lines();
    let every = sandbox(dir.path(), &["--json", "pax8", "products", "list", "--all"])
        .ok()
        .json_lines();
    assert!(microsoft.len() > 1 && microsoft.len() < every.len());
    assert!(microsoft.iter().all(|p| p["vendorName"] == "Microsoft"));
    let names: Vec<&str> = microsoft
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut descending = names.clone();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(names, descending);
}

#[test]
fn get_provisioning_details_dependencies_and_pricing() {
    let dir = tempfile::tempdir().unwrap();
    let e3 = product_id(dir.path(), "Microsoft Office 365 E3");

    let record = sandbox(dir.path(), &["pax8", "products", "get", &e3]).ok();
    assert!(record.stdout.contains("description") && record.stdout.contains("Microsoft"));

    let details = sandbox(
        dir.path(),
        &["pax8", "products", "provisioning-details", &e3],
    )
    .ok();
    assert!(details.stdout.contains("key"), "{details:#?}");
    let details = sandbox(
        dir.path(),
        &["--json", "pax8", "products", "provisioning-details", &e3],
    )
    .ok()
    .json_lines();
    assert!(!details.is_empty() && details.iter().all(|d| d["key"].is_string()));

    let dependencies = sandbox(
        dir.path(),
        &["--json", "pax8", "products", "dependencies", &e3],
    )
    .ok()
    .json();
    let terms: Vec<&str> = dependencies["commitmentDependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["term"].as_str().unwrap())
        .collect();
    assert_eq!(terms, ["Annual", "3-Year"]);

    let prices = sandbox(dir.path(), &["pax8", "products", "pricing", &e3]).ok();
    assert!(prices.stdout.contains("Monthly"), "{prices:#?}");
    let company = sandbox(
        dir.path(),
        &["--json", "pax8", "companies", "list", "--page-size", "1"],
    )
    .ok()
    .json_lines()
    .remove(0);
    let prices = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "products",
            "pricing",
            &e3,
            "--company-id",
            company["id"].as_str().unwrap(),
        ],
    )
    .ok()
    .json_lines();
    assert!(!prices.is_empty());
    assert!(prices.iter().all(|p| p["productId"] == e3.as_str()));
    assert!(
        prices
            .iter()
            .all(|p| p["rates"][0]["partnerBuyRate"].is_number())
    );
}

#[test]
fn unknown_products_and_bad_flags_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["get", "provisioning-details", "dependencies", "pricing"] {
        let run = sandbox(
            dir.path(),
            &["pax8", "products", command, "no-such-product"],
        )
        .fails_with(3);
        assert!(run.stderr.contains("404"), "{command}: {run:#?}");
    }
    let run = sandbox(dir.path(), &["pax8", "products", "list", "--sort", "price"]).fails_with(2);
    assert!(run.stderr.contains("name, vendor"), "{run:#?}");
    let run = sandbox(
        dir.path(),
        &["pax8", "products", "list", "--page-size", "500"],
    )
    .fails_with(2);
    assert!(run.stderr.contains("200"), "{run:#?}");
}
