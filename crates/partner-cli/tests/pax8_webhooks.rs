//! `partner pax8 webhooks` against the sandbox.

mod common;

use common::{LiveSandbox, sandbox};

/// A receiver nobody listens on: deliveries fail at once, and are logged.
const URL: &str = "http://127.0.0.1:9/pax8-events";
const SECRET: &str = "s3cret-shared-value";

fn create(live: &LiveSandbox, dir: &std::path::Path) -> String {
    let secret = dir.join("authorization");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let run = live
        .run(&[
            "--json",
            "pax8",
            "webhooks",
            "create",
            "--name",
            "Ops events",
            "--url",
            URL,
            "--topic",
            "SUBSCRIPTION",
            "--topic",
            "INVOICE",
            "--error-threshold",
            "1",
            "--authorization-file",
            secret.to_str().unwrap(),
        ])
        .ok();
    assert!(run.stderr.contains("created webhook"), "{run:#?}");
    assert!(!run.stdout.contains(SECRET), "{run:#?}");
    let hook = run.json();
    assert_eq!(hook["authorization"], "set");
    assert_eq!(hook["topics"], "SUBSCRIPTION,INVOICE");
    assert_eq!(hook["active"], true);
    hook["id"].as_str().unwrap().to_owned()
}

#[test]
fn create_get_list_update_and_delete() {
    let live = LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let id = create(&live, dir.path());

    let got = live.run(&["pax8", "webhooks", "get", &id]).ok();
    assert!(got.stdout.contains("Ops events"), "{got:#?}");
    assert!(!got.stdout.contains(SECRET), "{got:#?}");

    let listed = live
        .run(&["--json", "pax8", "webhooks", "list", "--topic", "INVOICE"])
        .ok()
        .json_lines();
    assert!(listed.iter().any(|h| h["id"] == id.as_str()));
    let table = live.run(&["pax8", "webhooks", "list", "--all"]).ok();
    assert!(table.stdout.contains("Ops events"), "{table:#?}");
    assert!(!table.stdout.contains(SECRET), "{table:#?}");

    let updated = live
        .run(&[
            "--json",
            "pax8",
            "webhooks",
            "update",
            &id,
            "--name",
            "Ops events (paused)",
            "--active",
            "false",
        ])
        .ok()
        .json();
    assert_eq!(updated["displayName"], "Ops events (paused)");
    assert_eq!(updated["active"], false);

    let more = live
        .run(&["--json", "pax8", "webhooks", "add-topic", &id, "PRODUCT"])
        .ok()
        .json();
    assert_eq!(more["topics"], "SUBSCRIPTION,INVOICE,PRODUCT");
    let topic_id = more["webhookTopics"][2]["id"].as_str().unwrap();
    live.run(&["pax8", "webhooks", "remove-topic", &id, topic_id])
        .ok();
    let after = live
        .run(&["--json", "pax8", "webhooks", "get", &id])
        .ok()
        .json();
    assert_eq!(after["topics"], "SUBSCRIPTION,INVOICE");

    let deleted = live.run(&["pax8", "webhooks", "delete", &id]).ok();
    assert!(deleted.stderr.contains("deleted webhook"), "{deleted:#?}");
    live.run(&["pax8", "webhooks", "get", &id]).fails_with(3);
}

#[test]
fn a_test_event_is_logged_and_can_be_retried() {
    let live = LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let id = create(&live, dir.path());

    let test = live
        .run(&["--json", "pax8", "webhooks", "test", &id, "SUBSCRIPTION"])
        .ok()
        .json();
    assert_eq!(test["webhookId"], id.as_str());
    assert_eq!(
        test["samplePayload"]["webhookTopic"]["topic"],
        "SUBSCRIPTION"
    );

    // The log entry exists as soon as the test is accepted (the delivery itself runs after).
    let logs = live
        .run(&["--json", "pax8", "webhooks", "logs", &id])
        .ok()
        .json_lines();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let log_id = logs[0]["id"].as_str().unwrap();
    let log = live
        .run(&["--json", "pax8", "webhooks", "log", &id, log_id])
        .ok()
        .json();
    assert_eq!(log["id"], log_id);
    assert_eq!(log["webhookId"], id.as_str());

    let retried = live.run(&["pax8", "webhooks", "retry", &id, log_id]).ok();
    assert!(retried.stderr.contains("sent again"), "{retried:#?}");

    let none = live
        .run(&[
            "--json",
            "pax8",
            "webhooks",
            "logs",
            &id,
            "--from",
            "2001-01-01",
            "--to",
            "2001-01-31",
        ])
        .ok()
        .json_lines();
    assert!(none.is_empty(), "{none:?}");
}

#[test]
fn topics_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let topics = sandbox(
        dir.path(),
        &["--json", "pax8", "webhooks", "topics", "--all"],
    )
    .ok()
    .json_lines();
    let names: Vec<&str> = topics
        .iter()
        .map(|t| t["topic"].as_str().unwrap())
        .collect();
    for topic in ["SUBSCRIPTION", "INVOICE"] {
        assert!(names.contains(&topic), "{names:?}");
    }
    let table = sandbox(dir.path(), &["pax8", "webhooks", "topics"]).ok();
    assert!(table.stdout.contains("description"), "{table:#?}");
}

#[test]
fn refusals_and_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let threshold = sandbox(
        dir.path(),
        &[
            "pax8",
            "webhooks",
            "create",
            "--name",
            "x",
            "--url",
            URL,
            "--error-threshold",
            "21",
        ],
    )
    .fails_with(2);
    assert!(
        threshold.stderr.contains("error_threshold"),
        "{threshold:#?}"
    );
    let twice = sandbox(
        dir.path(),
        &[
            "pax8", "webhooks", "create", "--name", "x", "--url", URL, "--topic", "INVOICE",
            "--topic", "INVOICE",
        ],
    )
    .fails_with(2);
    assert!(twice.stderr.contains("INVOICE"), "{twice:#?}");
    let no_url = sandbox(dir.path(), &["pax8", "webhooks", "create", "--name", "x"]).fails_with(2);
    assert!(no_url.stderr.contains("--url"), "{no_url:#?}");

    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let secret = sandbox(
        dir.path(),
        &[
            "pax8",
            "webhooks",
            "update",
            "hook-1",
            "--authorization-file",
            empty.to_str().unwrap(),
        ],
    )
    .fails_with(2);
    assert!(secret.stderr.contains("authorization"), "{secret:#?}");
    let nothing = sandbox(dir.path(), &["pax8", "webhooks", "update", "hook-1"]).fails_with(2);
    assert!(nothing.stderr.contains("--active"), "{nothing:#?}");
    let bad_date = sandbox(
        dir.path(),
        &["pax8", "webhooks", "logs", "hook-1", "--from", "2025-1-1"],
    )
    .fails_with(2);
    assert!(bad_date.stderr.contains("--from"), "{bad_date:#?}");

    let file = dir.path().join("hook.json");
    std::fs::write(
        &file,
        r#"{"displayName": "x", "url": "https://a.example", "topics": []}"#,
    )
    .unwrap();
    let unknown = sandbox(
        dir.path(),
        &[
            "pax8",
            "webhooks",
            "create",
            "--file",
            file.to_str().unwrap(),
        ],
    )
    .fails_with(2);
    assert!(unknown.stderr.contains("topics"), "{unknown:#?}");

    sandbox(dir.path(), &["pax8", "webhooks", "get", "no-such-hook"]).fails_with(3);
    sandbox(dir.path(), &["pax8", "webhooks", "logs", "no-such-hook"]).fails_with(3);
    sandbox(
        dir.path(),
        &["pax8", "webhooks", "test", "no-such-hook", "INVOICE"],
    )
    .fails_with(3);
}

#[test]
fn create_from_a_file_with_filters() {
    let live = LiveSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hook.json");
    std::fs::write(
        &file,
        r#"{"displayName": "Filtered", "url": "http://127.0.0.1:9/f", "active": false,
            "webhookTopics": [{"topic": "SUBSCRIPTION", "filters": [
                {"action": "Cancel", "conditions": [
                    {"field": "companyId", "operator": "EQUALS", "value": ["c-1"]}]}]}]}"#,
    )
    .unwrap();
    let hook = live
        .run(&[
            "--json",
            "pax8",
            "webhooks",
            "create",
            "--file",
            file.to_str().unwrap(),
        ])
        .ok()
        .json();
    assert_eq!(hook["displayName"], "Filtered");
    assert_eq!(hook["active"], false);
    assert_eq!(hook["authorization"], serde_json::Value::Null);
    assert_eq!(
        hook["webhookTopics"][0]["filters"][0]["conditions"][0]["operator"],
        "EQUALS"
    );
}
