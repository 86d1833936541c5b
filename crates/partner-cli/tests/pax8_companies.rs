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
fn the_other_filters_are_sent() {
    let dir = tempfile::tempdir().unwrap();
    let billed = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "companies",
            "list",
            "--all",
            "--bill-on-behalf-of-enabled",
            "true",
            "--sort",
            "city",
        ],
    )
    .ok()
    .json_lines();
    assert!(!billed.is_empty());
    assert!(billed.iter().all(|c| c["billOnBehalfOfEnabled"] == true));
    let state = billed[0]["address"]["stateOrProvince"].as_str().unwrap();
    let in_state = sandbox(
        dir.path(),
        &[
            "--json",
            "pax8",
            "companies",
            "list",
            "--all",
            "--state",
            state,
        ],
    )
    .ok()
    .json_lines();
    assert!(!in_state.is_empty());
    assert!(
        in_state
            .iter()
            .all(|c| c["address"]["stateOrProvince"] == state)
    );
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

/// The flags of a complete company, with a primary contact.
const COMPANY_FLAGS: &[&str] = &[
    "--name",
    "Fjord Analytics",
    "--street",
    "12 Harbour Rd",
    "--city",
    "Boulder",
    "--state",
    "CO",
    "--postal-code",
    "80302",
    "--country",
    "US",
    "--phone",
    "+1 303 555 0199",
    "--website",
    "https://fjord.example.com",
    "--external-id",
    "CRM-99",
    "--self-service-allowed",
    "true",
];

const CONTACT_FLAGS: &[&str] = &[
    "--contact-first-name",
    "Ada",
    "--contact-last-name",
    "Byron",
    "--contact-email",
    "ada@fjord.example.com",
    "--contact-phone",
    "+1 303 555 0100",
];

fn args<'a>(head: &[&'a str], parts: &[&[&'a str]]) -> Vec<&'a str> {
    let mut all = head.to_vec();
    for part in parts {
        all.extend_from_slice(part);
    }
    all
}

#[test]
fn create_then_get_then_update_only_the_given_fields() {
    let live = common::LiveSandbox::start();
    let created = live
        .run(&args(
            &["--json", "pax8", "companies", "create"],
            &[COMPANY_FLAGS, CONTACT_FLAGS],
        ))
        .ok();
    let company = created.json();
    let id = company["id"].as_str().unwrap().to_owned();
    assert_eq!(company["name"], "Fjord Analytics");
    assert_eq!(
        company["status"], "Active",
        "a primary contact makes it Active"
    );
    assert_eq!(company["selfServiceAllowed"], true);
    assert_eq!(company["billOnBehalfOfEnabled"], false);
    assert!(created.stderr.contains(&format!("created company {id}")));

    let got = live.run(&["pax8", "companies", "get", &id]).ok();
    assert!(got.stdout.contains("Fjord Analytics") && got.stdout.contains("12 Harbour Rd"));

    let updated = live
        .run(&[
            "--json",
            "pax8",
            "companies",
            "update",
            &id,
            "--city",
            "Denver",
            "--order-approval-required",
            "true",
        ])
        .ok()
        .json();
    assert_eq!(updated["address"]["city"], "Denver");
    // The other address lines are kept although Pax8 replaces the address as a whole.
    assert_eq!(updated["address"]["street"], "12 Harbour Rd");
    assert_eq!(updated["address"]["postalCode"], "80302");
    assert_eq!(updated["orderApprovalRequired"], true);
    assert_eq!(updated["name"], "Fjord Analytics");
    let stored = live
        .sandbox
        .pax8()
        .companies()
        .into_iter()
        .find(|c| c["id"] == id.as_str())
        .unwrap();
    assert_eq!(stored["address"]["city"], "Denver");
    assert_eq!(stored["address"]["stateOrProvince"], "CO");
}

#[test]
fn a_company_without_contacts_is_inactive_and_the_note_says_why() {
    let live = common::LiveSandbox::start();
    let run = live
        .run(&args(&["pax8", "companies", "create"], &[COMPANY_FLAGS]))
        .ok();
    assert!(run.stdout.contains("Inactive"), "{run:#?}");
    assert!(
        run.stderr.contains("primary Admin, Billing and Technical"),
        "{run:#?}"
    );
}

#[test]
fn create_reads_a_json_document() {
    let live = common::LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("company.json");
    std::fs::write(
        &file,
        r#"{
          "name": "Quill & Ink",
          "address": {"street": "1 Paper Ln", "city": "Austin", "postalCode": "73301", "country": "US"},
          "phone": "512-555-0101",
          "website": "https://quill.example.com",
          "billOnBehalfOfEnabled": true,
          "contacts": [
            {"firstName": "Lin", "lastName": "Mei", "email": "lin@quill.example.com", "phone": "512-555-0102",
             "types": [{"type": "Admin", "primary": true}, {"type": "Billing", "primary": true},
                       {"type": "Technical", "primary": true}]}
          ]
        }"#,
    )
    .unwrap();
    let company = live
        .run(&[
            "--json",
            "pax8",
            "companies",
            "create",
            "--file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json();
    assert_eq!(company["name"], "Quill & Ink");
    assert_eq!(company["billOnBehalfOfEnabled"], true);
    assert_eq!(company["status"], "Active");

    // A field the document shape does not have is refused by name, before anything is sent.
    std::fs::write(&file, r#"{"nmae": "typo"}"#).unwrap();
    let before = live.sandbox.pax8().companies().len();
    let run = live
        .run(&[
            "pax8",
            "companies",
            "create",
            "--file",
            file.to_str().unwrap(),
        ])
        .fails_with(2);
    assert!(run.stderr.contains("nmae"), "{run:#?}");
    assert_eq!(live.sandbox.pax8().companies().len(), before);
}

#[test]
fn bad_company_input_is_refused_before_anything_is_sent() {
    let live = common::LiveSandbox::start();
    let before = live.sandbox.pax8().companies();

    // A required flag missing.
    let run = live
        .run(&["pax8", "companies", "create", "--name", "Half a company"])
        .fails_with(2);
    assert!(run.stderr.contains("--street is required"), "{run:#?}");

    // The crate's builder checks the country.
    let mut flags = args(&["pax8", "companies", "create"], &[COMPANY_FLAGS]);
    let country = flags.iter().position(|a| *a == "US").unwrap();
    flags[country] = "usa";
    let run = live.run(&flags).fails_with(2);
    assert!(run.stderr.contains("address.country"), "{run:#?}");

    // Three of the four contact flags.
    let run = live
        .run(&args(
            &["pax8", "companies", "create"],
            &[COMPANY_FLAGS, &CONTACT_FLAGS[..6]],
        ))
        .fails_with(2);
    assert!(run.stderr.contains("--contact-phone"), "{run:#?}");

    // An update that changes nothing, and one with a bad country (refused before the GET).
    let id = before[0]["id"].as_str().unwrap();
    let run = live.run(&["pax8", "companies", "update", id]).fails_with(2);
    assert!(run.stderr.contains("at least one field"), "{run:#?}");
    let run = live
        .run(&["pax8", "companies", "update", id, "--country", "Spain"])
        .fails_with(2);
    assert!(run.stderr.contains("address.country"), "{run:#?}");

    // --file and flags together.
    let run = live
        .run(&[
            "pax8",
            "companies",
            "create",
            "--file",
            "x.json",
            "--name",
            "N",
        ])
        .fails_with(2);
    assert!(run.stderr.contains("--file"), "{run:#?}");

    assert_eq!(live.sandbox.pax8().companies(), before, "nothing changed");
}

#[test]
fn updating_an_unknown_company_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let run = sandbox(
        dir.path(),
        &[
            "pax8",
            "companies",
            "update",
            "no-such-company",
            "--name",
            "X",
        ],
    )
    .fails_with(3);
    assert!(run.stderr.contains("404"), "{run:#?}");
}
