//! `partner paypal webhooks`: register, list, read, list event types, simulate, delete; refusals.

mod common;

use common::LiveSandbox;

/// A loopback URL nothing listens on: deliveries to it fail at once, without leaving the machine.
const HOOK_URL: &str = "http://127.0.0.1:9/paypal/webhooks";

#[test]
fn create_list_get_event_types_simulate_and_delete_a_webhook() {
    let live = LiveSandbox::start();

    let created = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "create",
            "--url",
            HOOK_URL,
            "--event",
            "PAYMENT.CAPTURE.COMPLETED,MERCHANT.ONBOARDING.COMPLETED",
            "--event",
            "PAYMENT.CAPTURE.REFUNDED",
        ])
        .ok();
    let webhook = created.json();
    let id = webhook["id"].as_str().unwrap().to_owned();
    assert_eq!(webhook["url"], HOOK_URL);
    assert_eq!(webhook["event_types"].as_array().unwrap().len(), 3);
    assert!(
        created.stderr.contains(&format!("created webhook {id}")),
        "{created:#?}"
    );

    let listed = live
        .run(&["--json", "paypal", "webhooks", "list"])
        .ok()
        .json_lines();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    let table = live.run(&["paypal", "webhooks", "list"]).ok();
    assert!(
        table.stdout.contains(&id)
            && table
                .stdout
                .contains("PAYMENT.CAPTURE.COMPLETED, MERCHANT.ONBOARDING.COMPLETED"),
        "{table:#?}"
    );
    live.run(&["paypal", "webhooks", "list", "--anchor-type", "APPLICATION"])
        .ok();

    let got = live
        .run(&["--json", "paypal", "webhooks", "get", &id])
        .ok()
        .json();
    assert_eq!(got["url"], HOOK_URL);
    let table = live.run(&["paypal", "webhooks", "get", &id]).ok();
    assert!(
        table.stdout.contains(HOOK_URL) && table.stdout.contains("event_types"),
        "{table:#?}"
    );

    let available = live
        .run(&["--json", "paypal", "webhooks", "event-types"])
        .ok()
        .json_lines();
    assert!(
        available
            .iter()
            .any(|t| t["name"] == "PAYMENT.CAPTURE.COMPLETED"),
        "{available:?}"
    );
    assert!(available.len() > 3);
    let subscribed = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "event-types",
            "--webhook-id",
            &id,
        ])
        .ok()
        .json_lines();
    let names: Vec<&str> = subscribed
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "PAYMENT.CAPTURE.COMPLETED",
            "MERCHANT.ONBOARDING.COMPLETED",
            "PAYMENT.CAPTURE.REFUNDED"
        ]
    );
    let table = live.run(&["paypal", "webhooks", "event-types"]).ok();
    assert!(
        table.stdout.contains("description") && table.stdout.contains("PAYMENT.CAPTURE.COMPLETED"),
        "{table:#?}"
    );

    let simulated = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "simulate",
            "--webhook-id",
            &id,
            "--event-type",
            "PAYMENT.CAPTURE.COMPLETED",
        ])
        .ok();
    let event = simulated.json();
    assert_eq!(event["event_type"], "PAYMENT.CAPTURE.COMPLETED");
    let event_id = event["id"].as_str().unwrap().to_owned();
    assert!(event_id.starts_with("WH-"), "{event}");
    assert!(event["resource"]["id"].is_string());
    // The sandbox delivered it (or tried: nothing listens) to the webhook, as PayPal would.
    let delivered = wait_for(|| {
        live.sandbox
            .paypal()
            .webhook_deliveries()
            .into_iter()
            .find(|d| d.event_id == event_id)
    });
    assert_eq!(delivered.webhook_id, id);
    assert_eq!(delivered.url, HOOK_URL);

    let to_url = live
        .run(&[
            "paypal",
            "webhooks",
            "simulate",
            "--url",
            "http://127.0.0.1:9/other",
            "--event-type",
            "MERCHANT.ONBOARDING.COMPLETED",
        ])
        .ok();
    assert!(
        to_url.stdout.contains("MERCHANT.ONBOARDING.COMPLETED"),
        "{to_url:#?}"
    );

    let deleted = live.run(&["paypal", "webhooks", "delete", &id]).ok();
    assert!(deleted.stdout.is_empty(), "{deleted:#?}");
    assert!(deleted.stderr.contains(&format!("deleted webhook {id}")));
    let listed = live
        .run(&["--json", "paypal", "webhooks", "list"])
        .ok()
        .json_lines();
    assert!(listed.is_empty(), "{listed:?}");
    // Deleting it again: not found.
    live.run(&["paypal", "webhooks", "delete", &id])
        .fails_with(3);
    live.run(&["paypal", "webhooks", "get", &id]).fails_with(3);

    // The URL is free again: registered in a table, deleted with --json.
    let again = live
        .run(&[
            "paypal", "webhooks", "create", "--url", HOOK_URL, "--event", "*",
        ])
        .ok();
    assert!(again.stdout.contains(HOOK_URL), "{again:#?}");
    let again_id = live
        .run(&["--json", "paypal", "webhooks", "list"])
        .ok()
        .json_lines()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deleted = live
        .run(&["--json", "paypal", "webhooks", "delete", &again_id])
        .ok()
        .json();
    assert_eq!(
        deleted,
        serde_json::json!({ "id": again_id, "deleted": true })
    );
}

#[test]
fn webhook_refusals() {
    // Against a live sandbox, to see afterwards that the refused creates registered nothing.
    let live = LiveSandbox::start();
    let http = live
        .run(&[
            "paypal",
            "webhooks",
            "create",
            "--url",
            "http://platform.example/hook",
            "--event",
            "PAYMENT.CAPTURE.COMPLETED",
        ])
        .fails_with(2);
    assert!(http.stderr.contains("url"), "{http:#?}");
    let star = live
        .run(&[
            "paypal",
            "webhooks",
            "create",
            "--url",
            "https://platform.example/hook",
            "--event",
            "*,PAYMENT.CAPTURE.COMPLETED",
        ])
        .fails_with(2);
    assert!(star.stderr.contains("event_types"), "{star:#?}");
    // No --event: refused by the command line.
    live.run(&[
        "paypal",
        "webhooks",
        "create",
        "--url",
        "https://platform.example/hook",
    ])
    .fails_with(2);
    // Simulate needs somewhere to deliver, and a well-formed event type.
    live.run(&[
        "paypal",
        "webhooks",
        "simulate",
        "--event-type",
        "PAYMENT.CAPTURE.COMPLETED",
    ])
    .fails_with(2);
    let bad_type = live
        .run(&[
            "paypal",
            "webhooks",
            "simulate",
            "--webhook-id",
            "WH1",
            "--event-type",
            "PAYMENT CAPTURE",
        ])
        .fails_with(2);
    assert!(bad_type.stderr.contains("event_type"), "{bad_type:#?}");
    // An unknown webhook is not found.
    live.run(&[
        "paypal",
        "webhooks",
        "simulate",
        "--webhook-id",
        "NOSUCHWEBHOOK",
        "--event-type",
        "PAYMENT.CAPTURE.COMPLETED",
    ])
    .fails_with(3);
    live.run(&["paypal", "webhooks", "delete", "NOSUCHWEBHOOK"])
        .fails_with(3);
}

#[test]
fn events_are_listed_page_by_page_read_and_resent() {
    let live = LiveSandbox::start();
    let webhook = live
        .run(&[
            "--json", "paypal", "webhooks", "create", "--url", HOOK_URL, "--event", "*",
        ])
        .ok()
        .json();
    let webhook_id = webhook["id"].as_str().unwrap().to_owned();
    let simulate = |event_type: &str| {
        live.run(&[
            "--json",
            "paypal",
            "webhooks",
            "simulate",
            "--webhook-id",
            &webhook_id,
            "--event-type",
            event_type,
        ])
        .ok()
        .json()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let sent = [
        simulate("PAYMENT.CAPTURE.COMPLETED"),
        simulate("MERCHANT.ONBOARDING.COMPLETED"),
        simulate("PAYMENT.CAPTURE.COMPLETED"),
    ];
    let ids = |events: Vec<serde_json::Value>| -> Vec<String> {
        events
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };

    // Every page, newest first.
    let all = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "events",
            "list",
            "--all",
            "--page-size",
            "2",
        ])
        .ok()
        .json_lines();
    assert_eq!(
        ids(all),
        [sent[2].clone(), sent[1].clone(), sent[0].clone()]
    );
    // The first page only.
    let first = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "events",
            "list",
            "--page-size",
            "2",
        ])
        .ok()
        .json_lines();
    assert_eq!(ids(first), [sent[2].clone(), sent[1].clone()]);
    let table = live
        .run(&["paypal", "webhooks", "events", "list", "--page-size", "2"])
        .ok();
    assert!(
        table.stdout.contains(&sent[2]) && table.stdout.contains("PAYMENT.CAPTURE.COMPLETED"),
        "{table:#?}"
    );
    assert!(table.stderr.contains("more with --all"), "{table:#?}");
    // Filtered by type.
    let onboarding = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "events",
            "list",
            "--event-type",
            "MERCHANT.ONBOARDING.COMPLETED",
        ])
        .ok()
        .json_lines();
    assert_eq!(ids(onboarding), [sent[1].clone()]);

    let got = live
        .run(&["--json", "paypal", "webhooks", "events", "get", &sent[0]])
        .ok()
        .json();
    assert_eq!(got["id"], sent[0].as_str());
    assert_eq!(got["event_type"], "PAYMENT.CAPTURE.COMPLETED");
    let table = live
        .run(&["paypal", "webhooks", "events", "get", &sent[0]])
        .ok();
    assert!(table.stdout.contains("resource.id"), "{table:#?}");

    let resent = live
        .run(&[
            "--json",
            "paypal",
            "webhooks",
            "events",
            "resend",
            &sent[0],
            "--webhook-id",
            &webhook_id,
        ])
        .ok();
    assert_eq!(resent.json()["id"], sent[0].as_str());
    assert!(resent.stderr.contains("again"), "{resent:#?}");
    wait_for(|| {
        let deliveries = live.sandbox.paypal().webhook_deliveries();
        (deliveries.iter().filter(|d| d.event_id == sent[0]).count() >= 2).then_some(())
    });
}

#[test]
fn event_refusals() {
    let live = LiveSandbox::start();
    live.run(&["paypal", "webhooks", "events", "get", "WH-NOSUCHEVENT"])
        .fails_with(3);
    live.run(&["paypal", "webhooks", "events", "resend", "WH-NOSUCHEVENT"])
        .fails_with(3);
    let time = live
        .run(&[
            "paypal",
            "webhooks",
            "events",
            "list",
            "--start-time",
            "yesterday",
        ])
        .fails_with(2);
    assert!(time.stderr.contains("start_time"), "{time:#?}");
    let size = live
        .run(&["paypal", "webhooks", "events", "list", "--page-size", "301"])
        .fails_with(2);
    assert!(size.stderr.contains("page_size"), "{size:#?}");
    let page = live
        .run(&["paypal", "webhooks", "events", "list", "--page", "2"])
        .fails_with(2);
    assert!(page.stderr.contains("--page"), "{page:#?}");
}

/// Polls `found` until it gives a value (the sandbox delivers in the background); fails after a
/// generous bound rather than hanging.
fn wait_for<T>(mut found: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(value) = found() {
            return value;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("not delivered after 10 s");
}
