//! `partner pax8 contacts`: create, read, update and delete against one live sandbox, and refusals.

mod common;

use common::{LiveSandbox, sandbox};

/// The id of the first company of the sandbox.
fn first_company(live: &LiveSandbox) -> String {
    live.sandbox.pax8().companies()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn contacts_crud() {
    let live = LiveSandbox::start();
    let company = first_company(&live);
    let listed_before = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "list",
            "--company-id",
            &company,
            "--all",
        ])
        .ok()
        .json_lines()
        .len();

    let created = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "create",
            "--company-id",
            &company,
            "--first-name",
            "Grace",
            "--last-name",
            "Hopper",
            "--email",
            "grace@example.com",
            "--phone",
            "+1 303 555 0142",
            "--primary",
            "Technical",
            "--role",
            "Billing",
        ])
        .ok();
    let contact = created.json();
    let id = contact["id"].as_str().unwrap().to_owned();
    assert_eq!(contact["firstName"], "Grace");
    let types = contact["types"].as_array().unwrap();
    assert!(types.contains(&serde_json::json!({"type": "Technical", "primary": true})));
    assert!(types.contains(&serde_json::json!({"type": "Billing", "primary": false})));
    assert!(created.stderr.contains(&format!("created contact {id}")));

    let table = live
        .run(&["pax8", "contacts", "list", "--company-id", &company])
        .ok();
    assert!(table.stdout.contains("Hopper") && table.stdout.contains("grace@example.com"));
    let listed = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "list",
            "--company-id",
            &company,
            "--all",
        ])
        .ok()
        .json_lines();
    assert_eq!(listed.len(), listed_before + 1);

    let got = live
        .run(&["pax8", "contacts", "get", "--company-id", &company, &id])
        .ok();
    assert!(got.stdout.contains("Hopper"), "{got:#?}");

    // Only the email changes; the names and roles are sent back as they were.
    let updated = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "update",
            "--company-id",
            &company,
            &id,
            "--email",
            "g.hopper@example.com",
        ])
        .ok()
        .json();
    assert_eq!(updated["email"], "g.hopper@example.com");
    assert_eq!(updated["lastName"], "Hopper");
    assert_eq!(updated["types"], contact["types"]);

    // Roles given replace the roles.
    let updated = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "update",
            "--company-id",
            &company,
            &id,
            "--primary",
            "Admin",
        ])
        .ok()
        .json();
    assert_eq!(
        updated["types"],
        serde_json::json!([{"type": "Admin", "primary": true}])
    );

    let deleted = live
        .run(&["pax8", "contacts", "delete", "--company-id", &company, &id])
        .ok();
    assert!(deleted.stderr.contains(&format!("deleted contact {id}")));
    assert!(deleted.stdout.is_empty());
    live.run(&["pax8", "contacts", "get", "--company-id", &company, &id])
        .fails_with(3);
}

#[test]
fn bad_contact_input_is_refused_before_anything_is_sent() {
    let live = LiveSandbox::start();
    let company = first_company(&live);
    let count = || {
        live.run(&[
            "--json",
            "pax8",
            "contacts",
            "list",
            "--company-id",
            &company,
            "--all",
        ])
        .ok()
        .json_lines()
        .len()
    };
    let before = count();
    let create = |email: &str, extra: &[&str]| {
        let mut args = vec![
            "pax8",
            "contacts",
            "create",
            "--company-id",
            &company,
            "--first-name",
            "A",
            "--last-name",
            "B",
            "--email",
            email,
            "--phone",
            "1",
        ];
        args.extend_from_slice(extra);
        live.run(&args)
    };

    let run = create("not-an-email", &[]).fails_with(2);
    assert!(run.stderr.contains("contact.email"), "{run:#?}");
    let run = create("a@example.com", &["--role", "Admin", "--primary", "Admin"]).fails_with(2);
    assert!(run.stderr.contains("give a role once"), "{run:#?}");
    let run = create("a@example.com", &["--role", "Owner"]).fails_with(2);
    assert!(run.stderr.contains("Admin, Billing, Technical"), "{run:#?}");
    assert_eq!(count(), before);

    let contact = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "list",
            "--company-id",
            &company,
            "--page-size",
            "1",
        ])
        .ok()
        .json_lines()
        .remove(0);
    let id = contact["id"].as_str().unwrap();
    let run = live
        .run(&["pax8", "contacts", "update", "--company-id", &company, id])
        .fails_with(2);
    assert!(run.stderr.contains("at least one of"), "{run:#?}");
    let run = live
        .run(&[
            "pax8",
            "contacts",
            "update",
            "--company-id",
            &company,
            id,
            "--first-name",
            " ",
        ])
        .fails_with(2);
    assert!(run.stderr.contains("contact.first_name"), "{run:#?}");
    let unchanged = live
        .run(&[
            "--json",
            "pax8",
            "contacts",
            "get",
            "--company-id",
            &company,
            id,
        ])
        .ok()
        .json();
    assert_eq!(unchanged, contact);
}

#[test]
fn contacts_of_an_unknown_company_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &[
            "pax8",
            "contacts",
            "list",
            "--company-id",
            "no-such-company",
        ],
    )
    .fails_with(3);
    assert!(run.stderr.contains("404"), "{run:#?}");
    // --company-id is required.
    sandbox(dir.path(), &["pax8", "contacts", "list"]).fails_with(2);
}
