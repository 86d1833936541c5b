//! The checklist of issue 18: every operationId of the seven PayPal specs in `testdata/specs/paypal/`
//! is either called through the client by a test against the simulator, or named as deliberately out
//! (with why). [`OPERATIONS`] is the table; [`every_operation_is_simulated_or_deliberately_out`] holds
//! it to the specs, to the test files (the test exists and calls the method) and to the coverage table
//! of `docs/paypal-partner.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How an operation is covered.
enum Coverage {
    /// `test` in `tests/<file>.rs` calls `call` (whitespace aside), in its body or in a helper of that
    /// file it calls.
    Simulated {
        file: &'static str,
        test: &'static str,
        call: &'static str,
    },
    /// Not offered by the crate, and why.
    Out(&'static str),
}

use Coverage::{Out, Simulated};

const REFERRALS_V1: &str =
    "partner referrals v1: superseded by v2 (`client.referrals()`); see \"Deliberately out\"";
const PARTNER_INFO: &str =
    "v1 partner information: the merchant-integrations calls give a platform its sellers' data";
const CREDENTIALS: &str = "merchant credentials: a platform acts with PayPal-Auth-Assertion and never holds a seller's secrets";
const CALLBACK: &str = "order-update callback: PayPal calls your server; not a client call";

/// (spec file without `.json`, operationId, coverage).
const OPERATIONS: &[(&str, &str, Coverage)] = &[
    // Orders v2
    (
        "checkout_orders_v2",
        "orders.create",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().create(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.get",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().get(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.patch",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().update(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.confirm",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().confirm_payment_source(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.authorize",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().authorize(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.capture",
        Simulated {
            file: "sandbox_webhooks",
            test: "a_capture_event_is_listed_streamed_resent_and_simulated",
            call: "client.orders().capture(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.track.create",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().track(",
        },
    ),
    (
        "checkout_orders_v2",
        "orders.trackers.patch",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.orders().update_tracker(",
        },
    ),
    ("checkout_orders_v2", "server.callback", Out(CALLBACK)),
    // Payments v2
    (
        "payments_payment_v2",
        "authorizations.get",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.authorizations().get(",
        },
    ),
    (
        "payments_payment_v2",
        "authorizations.capture",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.authorizations().capture(",
        },
    ),
    (
        "payments_payment_v2",
        "authorizations.reauthorize",
        Simulated {
            file: "sandbox_payments",
            test: "void_and_reauthorize_follow_the_honour_period",
            call: "client.authorizations().reauthorize(",
        },
    ),
    (
        "payments_payment_v2",
        "authorizations.void",
        Simulated {
            file: "sandbox_payments",
            test: "void_and_reauthorize_follow_the_honour_period",
            call: "client.authorizations().void(",
        },
    ),
    (
        "payments_payment_v2",
        "captures.get",
        Simulated {
            file: "sandbox",
            test: "order_capture_refund_and_release_for_a_seller",
            call: "client.captures().get(",
        },
    ),
    (
        "payments_payment_v2",
        "captures.refund",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.captures().refund(",
        },
    ),
    (
        "payments_payment_v2",
        "refunds.get",
        Simulated {
            file: "sandbox_payments",
            test: "confirm_update_authorize_capture_in_parts_track_and_refund",
            call: "client.refunds().get(",
        },
    ),
    // Partner referrals v2
    (
        "customer_partner_referrals_v2",
        "partner-referrals.create",
        Simulated {
            file: "sandbox",
            test: "onboarding_flow_ends_ready_for_cards_and_buttons",
            call: "client.referrals().create(",
        },
    ),
    (
        "customer_partner_referrals_v2",
        "partner-referrals.read",
        Simulated {
            file: "sandbox",
            test: "onboarding_flow_ends_ready_for_cards_and_buttons",
            call: "client.referrals().get(",
        },
    ),
    // Partner referrals v1: the merchant-integrations calls are the crate's; the rest is out.
    (
        "customer_partner_referrals_v1",
        "partner-referrals.create",
        Out(REFERRALS_V1),
    ),
    (
        "customer_partner_referrals_v1",
        "partner-referrals.read",
        Out(REFERRALS_V1),
    ),
    (
        "customer_partner_referrals_v1",
        "merchant-integration.find",
        Simulated {
            file: "sandbox",
            test: "onboarding_flow_ends_ready_for_cards_and_buttons",
            call: "client.merchant_integrations().find_by_tracking_id(",
        },
    ),
    (
        "customer_partner_referrals_v1",
        "merchant-integration.status",
        Simulated {
            file: "sandbox",
            test: "onboarding_flow_ends_ready_for_cards_and_buttons",
            call: "client.merchant_integrations().status(",
        },
    ),
    (
        "customer_partner_referrals_v1",
        "merchant-integration.credentials",
        Out(CREDENTIALS),
    ),
    (
        "customer_partner_referrals_v1",
        "partner.read",
        Out(PARTNER_INFO),
    ),
    (
        "customer_partner_referrals_v1",
        "partner.create",
        Out(PARTNER_INFO),
    ),
    (
        "customer_partner_referrals_v1",
        "partner.update",
        Out(PARTNER_INFO),
    ),
    // Webhooks management and notifications
    (
        "notifications_webhooks_v1",
        "webhooks.post",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().create(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks.list",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().list(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks.get",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().get(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks.update",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().update(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks.delete",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().delete(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "event-types.list",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().subscriptions(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-event-types.list",
        Simulated {
            file: "sandbox_webhooks",
            test: "register_read_update_and_delete_a_webhook",
            call: "client.webhooks().available_event_types(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-lookup.post",
        Simulated {
            file: "sandbox_webhooks",
            test: "lookups_are_created_listed_read_and_deleted",
            call: "client.webhook_lookups().create(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-lookup.list",
        Simulated {
            file: "sandbox_webhooks",
            test: "lookups_are_created_listed_read_and_deleted",
            call: "client.webhook_lookups().list(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-lookup.get",
        Simulated {
            file: "sandbox_webhooks",
            test: "lookups_are_created_listed_read_and_deleted",
            call: "client.webhook_lookups().get(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-lookup.delete",
        Simulated {
            file: "sandbox_webhooks",
            test: "lookups_are_created_listed_read_and_deleted",
            call: "client.webhook_lookups().delete(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "verify-webhook-signature.post",
        Simulated {
            file: "sandbox",
            test: "webhooks_verify_locally_and_by_postback",
            call: ".verify_postback(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-events.list",
        Simulated {
            file: "sandbox_webhooks",
            test: "a_capture_event_is_listed_streamed_resent_and_simulated",
            call: "client.webhook_events().list(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-events.get",
        Simulated {
            file: "sandbox_webhooks",
            test: "a_capture_event_is_listed_streamed_resent_and_simulated",
            call: "client.webhook_events().get(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "webhooks-events.resend",
        Simulated {
            file: "sandbox_webhooks",
            test: "a_capture_event_is_listed_streamed_resent_and_simulated",
            call: "client.webhook_events().resend(",
        },
    ),
    (
        "notifications_webhooks_v1",
        "simulate-event.post",
        Simulated {
            file: "sandbox_webhooks",
            test: "a_capture_event_is_listed_streamed_resent_and_simulated",
            call: "client.webhook_events().simulate(",
        },
    ),
    // Payouts v1
    (
        "payments_payouts_batch_v1",
        "payouts.post",
        Simulated {
            file: "sandbox_payouts",
            test: "a_batch_progresses_and_its_unclaimed_item_is_cancelled",
            call: "client.payouts().create(",
        },
    ),
    (
        "payments_payouts_batch_v1",
        "payouts.get",
        Simulated {
            file: "sandbox_payouts",
            test: "a_batch_progresses_and_its_unclaimed_item_is_cancelled",
            call: "client.payouts().get(",
        },
    ),
    (
        "payments_payouts_batch_v1",
        "payouts-item.get",
        Simulated {
            file: "sandbox_payouts",
            test: "a_batch_progresses_and_its_unclaimed_item_is_cancelled",
            call: "client.payouts().get_item(",
        },
    ),
    (
        "payments_payouts_batch_v1",
        "payouts-item.cancel",
        Simulated {
            file: "sandbox_payouts",
            test: "a_batch_progresses_and_its_unclaimed_item_is_cancelled",
            call: "client.payouts().cancel_item(",
        },
    ),
    // Referenced payouts
    (
        "referenced_payouts_v1",
        "referenced-payouts.create_batch",
        Simulated {
            file: "sandbox_payouts",
            test: "a_referenced_batch_releases_delayed_captures_and_lists_its_items",
            call: "client.referenced_payouts().create_batch(",
        },
    ),
    (
        "referenced_payouts_v1",
        "referenced-payouts.get_batch_details",
        Simulated {
            file: "sandbox_payouts",
            test: "a_referenced_batch_releases_delayed_captures_and_lists_its_items",
            call: "client.referenced_payouts().batch_items(",
        },
    ),
    (
        "referenced_payouts_v1",
        "referenced-payouts-items.create",
        Simulated {
            file: "sandbox",
            test: "order_capture_refund_and_release_for_a_seller",
            call: "client.referenced_payouts().release(",
        },
    ),
    (
        "referenced_payouts_v1",
        "referenced-payouts-items.get",
        Simulated {
            file: "sandbox_payouts",
            test: "a_referenced_batch_releases_delayed_captures_and_lists_its_items",
            call: "client.referenced_payouts().get_item(",
        },
    ),
];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn specs_dir() -> PathBuf {
    crate_dir().join("../../testdata/specs/paypal")
}

/// Every (spec, operationId) of the specs in `testdata/specs/paypal/`.
fn spec_operations() -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for entry in std::fs::read_dir(specs_dir()).unwrap() {
        let path = entry.unwrap().path();
        let Some(spec) = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .strip_suffix(".json")
        else {
            continue;
        };
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for methods in doc["paths"].as_object().unwrap().values() {
            for operation in methods.as_object().unwrap().values() {
                if let Some(id) = operation.get("operationId").and_then(|id| id.as_str()) {
                    operations.insert((spec.to_owned(), id.to_owned()));
                }
            }
        }
    }
    operations
}

/// The functions of a test file, by name, each as its text from `fn` to the closing brace at the
/// start of a line, without whitespace (so a call split over lines by rustfmt reads as one).
fn functions(file: &str) -> BTreeMap<String, (bool, String)> {
    let source = std::fs::read_to_string(crate_dir().join("tests").join(format!("{file}.rs")))
        .unwrap_or_else(|e| panic!("tests/{file}.rs: {e}"));
    let mut found = BTreeMap::new();
    let lines: Vec<&str> = source.lines().collect();
    for (at, line) in lines.iter().enumerate() {
        let Some(rest) = line
            .strip_prefix("async fn ")
            .or_else(|| line.strip_prefix("fn "))
        else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let is_test = at > 0 && lines[at - 1].starts_with("#[tokio::test");
        let end = lines[at..]
            .iter()
            .position(|l| *l == "}")
            .map_or(lines.len(), |n| at + n);
        let body: String = lines[at..end]
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        found.insert(name, (is_test, body));
    }
    found
}

#[test]
fn every_operation_is_simulated_or_deliberately_out() {
    let in_specs = spec_operations();
    assert_eq!(in_specs.len(), 50, "seven specs, 50 operations");
    let listed: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(spec, id, _)| ((*spec).to_owned(), (*id).to_owned()))
        .collect();
    assert_eq!(listed.len(), OPERATIONS.len(), "an operation listed twice");
    assert_eq!(listed, in_specs);

    let mut files = BTreeMap::new();
    for (spec, id, coverage) in OPERATIONS {
        let Simulated { file, test, call } = coverage else {
            continue;
        };
        let fns = files.entry(*file).or_insert_with(|| functions(file));
        let (is_test, body) = fns
            .get(*test)
            .unwrap_or_else(|| panic!("{spec} {id}: no fn {test} in tests/{file}.rs"));
        assert!(is_test, "{spec} {id}: {test} is not a #[tokio::test]");
        let calls_it = body.contains(call)
            || fns.iter().any(|(helper, (_, text))| {
                body.contains(&format!("{helper}(")) && text.contains(call)
            });
        assert!(calls_it, "{spec} {id}: {file}::{test} does not call {call}");
    }
}

/// `docs/paypal-partner.md` has one coverage table, with a row per operation that says what this
/// checklist says: `yes` and the test, or `no`.
#[test]
fn the_guide_has_one_row_per_operation() {
    let guide = std::fs::read_to_string(crate_dir().join("../../docs/paypal-partner.md")).unwrap();
    let rows: Vec<Vec<String>> = guide
        .lines()
        .filter(|line| line.starts_with("| "))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .filter(|cells: &Vec<String>| cells.len() == 5)
        .collect();
    for (spec, id, coverage) in OPERATIONS {
        let operation = format!("`{id}`");
        let matching: Vec<&Vec<String>> = rows
            .iter()
            .filter(|cells| cells[0] == *spec && cells[1] == operation)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "{spec} {id}: one row in the coverage table"
        );
        let row = matching[0];
        match coverage {
            Simulated { file, test, .. } => {
                assert_eq!(row[3], "yes", "{spec} {id}");
                assert_eq!(row[4], format!("`{file}::{test}`"), "{spec} {id}");
            }
            Out(why) => {
                assert_eq!(row[2], format!("out: {why}"), "{spec} {id}");
                assert_eq!(row[3], "no", "{spec} {id}");
                assert_eq!(row[4], "—", "{spec} {id}");
            }
        }
    }
    let table_rows = rows
        .iter()
        .filter(|cells| OPERATIONS.iter().any(|(spec, _, _)| cells[0] == *spec))
        .count();
    assert_eq!(
        table_rows,
        OPERATIONS.len(),
        "rows for operations not in the specs"
    );
}
