//! The readiness verdict over realistic status documents: PayPal's rule, table-tested.
use paypal_partner::Readiness;
use paypal_partner::merchant_integrations::{MerchantIntegration, VettingStatus};
use paypal_partner::readiness::{Blocker, CardStatus};
use serde_json::{Value, json};

const STATUS: &str = include_str!("fixtures/merchant_status.json");
/// The `partner_client_id` of the fixture's integration: ours.
const OUR_CLIENT_ID: &str = "partner-client-id";

/// The fixture, edited, as fetched by our client.
fn doc(edit: impl FnOnce(&mut Value)) -> MerchantIntegration {
    raw_doc(edit).with_partner_client_id(OUR_CLIENT_ID)
}

/// The fixture, edited, without knowing whose it is.
fn raw_doc(edit: impl FnOnce(&mut Value)) -> MerchantIntegration {
    let mut value: Value = serde_json::from_str(STATUS).unwrap();
    edit(&mut value);
    serde_json::from_value(value).unwrap()
}

fn another_partners_integration(status: &str) -> Value {
    json!({
        "integration_type": "OAUTH_THIRD_PARTY",
        "integration_method": "PAYPAL",
        "status": status,
        "oauth_third_party": [{
            "partner_client_id": "another-partner-client-id",
            "merchant_client_id": "AbCdSellerClientId",
            "scopes": ["https://uri.paypal.com/services/payments/realtimepayment"]
        }]
    })
}

fn set_custom_vetting(v: &mut Value, vetting: &str) {
    v["products"][0]["vetting_status"] = json!(vetting);
}

#[test]
fn verdict_table() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, Readiness)> = vec![
        (
            "all good, PPCP_CUSTOM subscribed",
            |_| {},
            Readiness::CardsAndButtons,
        ),
        (
            "card vetting denied",
            |v| set_custom_vetting(v, "DENIED"),
            Readiness::ButtonsOnly(CardStatus::Denied),
        ),
        (
            "card vetting declined",
            |v| set_custom_vetting(v, "DECLINED"),
            Readiness::ButtonsOnly(CardStatus::Denied),
        ),
        (
            "card vetting in review",
            |v| set_custom_vetting(v, "IN_REVIEW"),
            Readiness::ButtonsOnly(CardStatus::InProgress(VettingStatus::InReview)),
        ),
        (
            "card vetting needs data",
            |v| set_custom_vetting(v, "NEED_MORE_DATA"),
            Readiness::ButtonsOnly(CardStatus::InProgress(VettingStatus::NeedMoreData)),
        ),
        (
            "no PPCP_CUSTOM at all",
            |v| {
                v["products"].as_array_mut().unwrap().remove(0);
            },
            Readiness::ButtonsOnly(CardStatus::NotRequested),
        ),
        (
            "email not confirmed",
            |v| v["primary_email_confirmed"] = json!(false),
            Readiness::NotReady(vec![Blocker::EmailNotConfirmed]),
        ),
        (
            "payments not receivable",
            |v| v["payments_receivable"] = json!(false),
            Readiness::NotReady(vec![Blocker::PaymentsNotReceivable]),
        ),
        (
            "flags missing count as not satisfied",
            |v| {
                let o = v.as_object_mut().unwrap();
                o.remove("payments_receivable");
                o.remove("primary_email_confirmed");
            },
            Readiness::NotReady(vec![
                Blocker::PaymentsNotReceivable,
                Blocker::EmailNotConfirmed,
            ]),
        ),
        (
            "scopes empty: permissions not granted",
            |v| v["oauth_integrations"][0]["oauth_third_party"][0]["scopes"] = json!([]),
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "no oauth integration",
            |v| {
                v.as_object_mut().unwrap().remove("oauth_integrations");
            },
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "inactive integration: permissions not granted (revoked)",
            |v| v["oauth_integrations"][0]["status"] = json!("I"),
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "integration without a status: permissions not granted",
            |v| {
                v["oauth_integrations"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("status");
            },
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "another partner's integration: permissions not granted",
            |v| v["oauth_integrations"] = json!([another_partners_integration("A")]),
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "another partner's active integration, ours inactive: not granted",
            |v| {
                v["oauth_integrations"][0]["status"] = json!("I");
                v["oauth_integrations"]
                    .as_array_mut()
                    .unwrap()
                    .push(another_partners_integration("A"));
            },
            Readiness::NotReady(vec![Blocker::PermissionsNotGranted]),
        ),
        (
            "ours active next to another partner's inactive one: ready",
            |v| {
                v["oauth_integrations"]
                    .as_array_mut()
                    .unwrap()
                    .insert(0, another_partners_integration("I"));
            },
            Readiness::CardsAndButtons,
        ),
        (
            "limited account",
            |v| v["limitations"] = json!([{"name": "MISSING_INFO", "restrictions": ["WITHDRAW_MONEY", "RECEIVE_MONEY"]}]),
            Readiness::NotReady(vec![Blocker::Limited {
                name: Some("MISSING_INFO".into()),
                restrictions: vec!["WITHDRAW_MONEY".into(), "RECEIVE_MONEY".into()],
            }]),
        ),
        (
            "everything wrong at once",
            |v| {
                v["payments_receivable"] = json!(false);
                v["primary_email_confirmed"] = json!(false);
                v["oauth_integrations"] = json!([]);
            },
            Readiness::NotReady(vec![
                Blocker::PaymentsNotReceivable,
                Blocker::EmailNotConfirmed,
                Blocker::PermissionsNotGranted,
            ]),
        ),
        (
            "blockers win over card vetting",
            |v| {
                set_custom_vetting(v, "SUBSCRIBED");
                v["primary_email_confirmed"] = json!(false);
            },
            Readiness::NotReady(vec![Blocker::EmailNotConfirmed]),
        ),
    ];
    for (name, edit, expected) in cases {
        let verdict = doc(edit).readiness();
        assert_eq!(verdict, expected, "{name}");
    }
}

#[test]
fn helpers_and_messages() {
    let ready = doc(|_| {}).readiness();
    assert!(ready.can_take_payments() && ready.can_take_cards());
    assert!(ready.reasons().is_empty());
    assert_eq!(ready.to_string(), "ready: PayPal buttons and cards");
    let buttons = doc(|v| set_custom_vetting(v, "DENIED")).readiness();
    assert!(buttons.can_take_payments() && !buttons.can_take_cards());
    let blocked = doc(|v| v["primary_email_confirmed"] = json!(false)).readiness();
    assert!(!blocked.can_take_payments());
    assert_eq!(blocked.reasons().len(), 1);
    assert!(blocked.reasons()[0].contains("confirm your email"));
    assert_eq!(blocked.to_string(), "not ready: email not confirmed");
}

#[test]
fn unknown_values_do_not_break_the_verdict() {
    let verdict = doc(|v| {
        v["products"][0]["vetting_status"] = json!("SOMETHING_NEW");
        v["capabilities"][0]["status"] = json!("BRAND_NEW_STATUS");
        v["products"][1]["name"] = json!("FUTURE_PRODUCT");
    })
    .readiness();
    assert_eq!(
        verdict,
        Readiness::ButtonsOnly(CardStatus::InProgress(VettingStatus::Unknown(
            "SOMETHING_NEW".into()
        )))
    );
}

#[test]
fn permissions_count_only_for_a_known_partner() {
    // Read from elsewhere (a database, a webhook): whose permissions these are is not known.
    let unattributed = raw_doc(|_| {});
    assert_eq!(unattributed.partner_client_id(), None);
    assert_eq!(unattributed.granted_scopes().count(), 0);
    assert_eq!(
        unattributed.readiness(),
        Readiness::NotReady(vec![Blocker::PermissionsNotGranted])
    );
    assert_eq!(
        unattributed.readiness_for(OUR_CLIENT_ID),
        Readiness::CardsAndButtons
    );
    assert_eq!(unattributed.granted_scopes_for(OUR_CLIENT_ID).count(), 5);
    assert_eq!(
        unattributed.readiness_for("another-partner-client-id"),
        Readiness::NotReady(vec![Blocker::PermissionsNotGranted])
    );
    let ours = unattributed.with_partner_client_id(OUR_CLIENT_ID);
    assert_eq!(ours.partner_client_id(), Some(OUR_CLIENT_ID));
    assert_eq!(ours.readiness(), Readiness::CardsAndButtons);
}
