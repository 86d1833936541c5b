//! `partner procuret term-rates` against the in-process sandbox. The group ids come from a sandbox
//! with the same seed, which has the same ids.

mod common;

use common::{LiveSandbox, sandbox};

#[test]
fn get_prints_the_rates_and_an_unknown_id_is_not_found() {
    let live = LiveSandbox::start();
    let account = live.sandbox.procuret().credentials();
    let ids = live
        .sandbox
        .procuret()
        .term_rate_group_ids(account.supplier_id);
    let active = ids.first().expect("a seeded group");
    let dir = tempfile::tempdir().unwrap();

    let table = sandbox(dir.path(), &["procuret", "term-rates", "get", active]).ok();
    assert!(table.stdout.contains("periods a year"), "{table:#?}");
    assert!(
        table
            .stderr
            .contains(&format!("term-rate group {active} (active")),
        "{table:#?}"
    );

    let json = sandbox(
        dir.path(),
        &["--json", "procuret", "term-rates", "get", active],
    )
    .ok()
    .json();
    assert_eq!(json["public_id"], active.as_str());
    assert_eq!(json["active"], true);
    let rates = json["rates"].as_array().unwrap();
    assert!(!rates.is_empty());
    assert!(
        rates
            .iter()
            .all(|r| r["supplier_entity_id"] == account.supplier_id)
    );

    let missing = sandbox(
        dir.path(),
        &["procuret", "term-rates", "get", "no-such-group"],
    )
    .fails_with(3);
    assert!(missing.stderr.contains("404"), "{missing:#?}");
}
