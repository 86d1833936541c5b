//! `partner procuret links` (and `link`): create, list, get, against the in-process sandbox and a
//! live one.

mod common;

use common::{LiveSandbox, sandbox};

#[test]
fn create_prints_the_address_and_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &[
            "procuret",
            "link",
            "create",
            "--amount",
            "422.42",
            "--email",
            "a@example.org",
            "--invoice",
            "T055",
        ],
    )
    .ok();
    assert!(table.stdout.contains("/b?il="), "{table:#?}");
    assert!(
        table.stdout.contains("public_id") && table.stdout.contains("T055"),
        "{table:#?}"
    );
    assert!(
        table.stderr.contains("Created instalment link"),
        "{table:#?}"
    );

    let json = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "link",
            "create",
            "--amount",
            "1500",
            "--email",
            "a@example.org",
            "--invoice",
            "T056",
            "--email-customer",
            "--currency",
            "nzd",
        ],
    )
    .ok()
    .json();
    let id = json["public_id"].as_str().unwrap();
    assert!(
        json["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/b?il={id}")),
        "{json}"
    );
    assert_eq!(json["invoice_amount"], "1500");
    assert_eq!(json["invoice_identifier"], "T056");
    assert_eq!(json["denomination_id"], 2);
}

#[test]
fn list_prints_a_table_json_lines_and_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let table = sandbox(
        dir.path(),
        &["procuret", "links", "list", "--page-size", "2"],
    )
    .ok();
    assert!(table.stdout.contains("INV-1001"), "{table:#?}");
    assert!(
        table.stderr.contains("page 0") && table.stderr.contains("more with"),
        "{table:#?}"
    );

    let second = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "links",
            "list",
            "--page-size",
            "2",
            "--page",
            "1",
        ],
    )
    .ok()
    .json_lines();
    assert_eq!(second.len(), 2);
    assert_eq!(second[0]["invoice_identifier"], "INV-1003");

    let every = sandbox(
        dir.path(),
        &[
            "--json",
            "procuret",
            "links",
            "list",
            "--all",
            "--page-size",
            "2",
        ],
    )
    .ok()
    .json_lines();
    assert!(every.len() > 2, "more than one page: {}", every.len());
    assert!(every.iter().all(|l| l["public_id"].is_string()));
}

#[test]
fn get_prints_the_record_and_an_unknown_id_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let first = sandbox(
        dir.path(),
        &["--json", "procuret", "links", "list", "--page-size", "1"],
    )
    .ok()
    .json_lines()
    .remove(0);
    let id = first["public_id"].as_str().unwrap();
    let got = sandbox(dir.path(), &["--json", "procuret", "links", "get", id])
        .ok()
        .json();
    assert_eq!(got["public_id"], first["public_id"]);

    let missing = sandbox(dir.path(), &["procuret", "links", "get", "no-such-link"]).fails_with(3);
    assert!(missing.stderr.contains("404"), "{missing:#?}");
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let live = LiveSandbox::start();
    let before = live.sandbox.procuret().instalment_link_count();
    let session = [
        ("PROCURET_SESSION_ID", "1"),
        ("PROCURET_SESSION_SECRET", "unused-because-nothing-is-sent"),
    ];
    for (args, field) in [
        (
            &["--amount", "422.421", "--email", "a@example.org"][..],
            "invoice_amount",
        ),
        (
            &["--amount", "-5", "--email", "a@example.org"][..],
            "invoice_amount",
        ),
        (
            &["--amount", "10", "--email", "not-an-email"][..],
            "invitee_email",
        ),
    ] {
        let mut command = live.partner();
        command.envs(session).args([
            "procuret",
            "link",
            "create",
            "--invoice",
            "T055",
            "--entity-id",
            "589121125121",
        ]);
        let run = common::run(command.args(args)).fails_with(2);
        assert!(run.stderr.contains(field), "{field}: {run:#?}");
    }
    // No supplier: neither --entity-id nor one recorded at login.
    let run = common::run(live.partner().envs(session).args([
        "procuret",
        "link",
        "create",
        "--invoice",
        "T055",
        "--amount",
        "10",
        "--email",
        "a@example.org",
    ]))
    .fails_with(2);
    assert!(run.stderr.contains("--entity-id"), "{run:#?}");
    // Not an amount, not an entity id: clap refuses them.
    let run = live
        .run(&[
            "procuret",
            "link",
            "create",
            "--invoice",
            "T",
            "--amount",
            "12,50",
            "--email",
            "a@b.co",
        ])
        .fails_with(2);
    assert!(run.stderr.contains("--amount"), "{run:#?}");
    let run = live
        .run(&["procuret", "links", "list", "--entity-id", "acme"])
        .fails_with(2);
    assert!(run.stderr.contains("positive integer"), "{run:#?}");
    assert_eq!(live.sandbox.procuret().instalment_link_count(), before);
}
