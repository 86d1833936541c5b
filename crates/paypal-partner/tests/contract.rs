//! Contract tests against PayPal's official OpenAPI specs (`testdata/specs/paypal/`): every request body
//! this crate builds validates against the spec's schema, and every example that maps to a model
//! decodes into it.
use std::path::PathBuf;

use paypal_partner::captures::{Refund, RefundRequest};
use paypal_partner::orders::{DisbursementMode, Order, OrderRequest, PurchaseUnitRequest};
use paypal_partner::referenced_payouts::ReferencedPayoutItem;
use paypal_partner::referrals::{
    BusinessEntity, BusinessType, Capability, Feature, FirstPartyDetails, IntegrationType,
    Operation, OperationType, Product, ReferralDetails, ReferralRequest, RestApiIntegration,
};
use paypal_partner::webhooks::Event;
use paypal_partner::{ErrorDetails, Money};
use serde_json::{Value, json};

fn spec(name: &str) -> Value {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "testdata",
        "specs",
        "paypal",
        name,
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Validates `instance` against `#/components/schemas/<schema>` of `spec_file`, `$ref`s resolved
/// inside the spec document.
fn assert_valid(spec_file: &str, schema: &str, instance: &Value) {
    let spec = spec(spec_file);
    let root = json!({
        "$ref": format!("#/components/schemas/{schema}"),
        "components": spec["components"],
    });
    // OpenAPI 3.0 schemas are a JSON Schema draft 4/5 dialect: siblings of `$ref` are ignored.
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&root)
        .unwrap_or_else(|e| panic!("{spec_file} {schema}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{spec_file} {schema}:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

fn assert_invalid(spec_file: &str, schema: &str, instance: &Value) {
    let spec = spec(spec_file);
    let root =
        json!({"$ref": format!("#/components/schemas/{schema}"), "components": spec["components"]});
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&root)
        .unwrap();
    assert!(
        !validator.is_valid(instance),
        "expected invalid: {instance}"
    );
}

fn common_referral() -> ReferralRequest {
    ReferralRequest::builder()
        .tracking_id("seller-42")
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()
        .unwrap()
}

#[test]
fn referral_bodies_validate_against_referral_data() {
    assert_valid(
        "customer_partner_referrals_v2.json",
        "referral_data",
        &serde_json::to_value(common_referral()).unwrap(),
    );

    let full = ReferralRequest::builder()
        .tracking_id("seller-43")
        .email("seller@example.com")
        .preferred_language_code("en-US")
        .legal_country_code("US")
        .features([
            Feature::Payment,
            Feature::Refund,
            Feature::PartnerFee,
            Feature::DelayFundsDisbursement,
            Feature::AccessMerchantInformation,
            Feature::Vault,
        ])
        .operation(Operation::new(OperationType::BankAddition))
        .products([
            Product::Ppcp,
            Product::PaymentMethods,
            Product::AdvancedVaulting,
        ])
        .capability(Capability::ApplePay)
        .capability(Capability::GooglePay)
        .capability(Capability::PaypalWalletVaultingAdvanced)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return?seller=43")
        .return_url_description("Back to the platform")
        .show_add_credit_card(true)
        .business_entity(
            BusinessEntity::new(BusinessType::Corporation)
                .legal_name("Seller Inc.")
                .website("https://seller.example")
                .industry("1004", "8931", "2025")
                .customer_service_email("help@seller.example"),
        )
        .build()
        .unwrap();
    assert_valid(
        "customer_partner_referrals_v2.json",
        "referral_data",
        &serde_json::to_value(&full).unwrap(),
    );

    let first_party = ReferralRequest::builder()
        .operation(Operation::api_integration({
            let mut integration = RestApiIntegration::third_party([]);
            integration.integration_type = IntegrationType::FirstParty;
            integration.third_party_details = None;
            let mut details = FirstPartyDetails::default();
            details.features = vec![Feature::Payment, Feature::Refund];
            details.seller_nonce = "a".repeat(44);
            integration.first_party_details = Some(details);
            integration
        }))
        .share_data_consent(true)
        .build()
        .unwrap();
    assert_valid(
        "customer_partner_referrals_v2.json",
        "referral_data",
        &serde_json::to_value(&first_party).unwrap(),
    );

    // The validator does catch mistakes (so the passes above mean something).
    let mut broken = serde_json::to_value(common_referral()).unwrap();
    broken["legal_consents"][0]["type"] = json!("share_data");
    assert_invalid(
        "customer_partner_referrals_v2.json",
        "referral_data",
        &broken,
    );
    let mut broken = serde_json::to_value(common_referral()).unwrap();
    broken["partner_config_override"]["unknown"] = json!(1);
    assert_invalid(
        "customer_partner_referrals_v2.json",
        "referral_data",
        &broken,
    );
}

#[test]
fn order_bodies_validate_against_order_request() {
    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(Money::parse("USD", "100.00").unwrap())
            .reference_id("cart-1")
            .payee_merchant_id("8LQLM2ML4ZTYU")
            .platform_fee(Money::parse("USD", "5.00").unwrap())
            .disbursement_mode(DisbursementMode::Delayed)
            .description("Two books")
            .custom_id("order-77")
            .invoice_id("INV-77"),
    )
    .purchase_unit(
        PurchaseUnitRequest::new(Money::parse("USD", "20.00").unwrap())
            .reference_id("cart-2")
            .payee_merchant_id("QMNTH5KL7VJCA")
            .disbursement_mode(DisbursementMode::Instant),
    );
    assert_valid(
        "checkout_orders_v2.json",
        "order_request",
        &serde_json::to_value(&order).unwrap(),
    );
    let authorize = OrderRequest::authorize(PurchaseUnitRequest::new(
        Money::parse("JPY", "1000").unwrap(),
    ));
    assert_valid(
        "checkout_orders_v2.json",
        "order_request",
        &serde_json::to_value(&authorize).unwrap(),
    );
    let mut broken = serde_json::to_value(&order).unwrap();
    broken["purchase_units"][0]["payment_instruction"]["disbursement_mode"] = json!("LATER");
    assert_invalid("checkout_orders_v2.json", "order_request", &broken);
}

#[test]
fn refund_bodies_validate_against_refund_request() {
    let refund = RefundRequest::amount(Money::parse("USD", "10.00").unwrap())
        .invoice_id("INVOICE-123")
        .custom_id("c-1")
        .note_to_payer("DefectiveProduct")
        .platform_fee(Money::parse("USD", "1.00").unwrap());
    assert_valid(
        "payments_payment_v2.json",
        "refund_request",
        &serde_json::to_value(&refund).unwrap(),
    );
    assert_valid(
        "payments_payment_v2.json",
        "refund_request",
        &serde_json::to_value(RefundRequest::full()).unwrap(),
    );
}

#[test]
fn referenced_payout_body_validates() {
    let body = json!({"reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID"});
    // The same shape the client sends (checked on the wire in tests/referenced_payouts.rs).
    let sent: paypal_partner::referenced_payouts::ReferencedPayoutItemRequest =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&sent).unwrap(), body);
    assert_valid(
        "referenced_payouts_v1.json",
        "referenced_payouts_item",
        &body,
    );
}

#[test]
fn postback_body_validates() {
    let event =
        r#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP1"}}"#;
    let body = json!({
        "auth_algo": "SHA256withRSA",
        "cert_url": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
        "transmission_id": "69cd13f0-d67a-11e5-baa3-778b53f4ae55",
        "transmission_sig": "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy/UFzUlnGJn0wDugt7FlSvdKeIJenLRemUxYCPVoEZzg9VFNqOa48gMkvF+XTpxBeUx/kWy6B5cp7GkT2+pOowfRK7OaynuxUoKW3JcMWw272VKjLTtTAShncla7tGF+55rxyt2KNZIIqxNMJ48RDZheGU5w1npu9dZHnPgTXB9iomeVRoD8O/jhRpnKsGrDschyNdkeh81BJJMH4Ctc6lnCCquoP/GzCzz33MMsNdid7vL/NIWaCsekQpW26FpWPi/tfj8nLA==",
        "transmission_time": "2016-02-18T20:01:35Z",
        "webhook_id": "1JE4291016473214C",
        "webhook_event": serde_json::from_str::<Value>(event).unwrap(),
    });
    assert_valid(
        "notifications_webhooks_v1.json",
        "verify_webhook_signature",
        &body,
    );
}

fn example(spec_file: &str, pointer: &str) -> Value {
    spec(spec_file)
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{spec_file}: no {pointer}"))
        .clone()
}

/// Every `examples` entry's `value` under `pointer`.
fn examples(spec_file: &str, pointer: &str) -> Vec<Value> {
    let all = example(spec_file, pointer);
    let values: Vec<Value> = all
        .as_object()
        .unwrap()
        .values()
        .map(|e| e.get("value").cloned().unwrap_or_else(|| e.clone()))
        .collect();
    assert!(!values.is_empty());
    values
}

#[test]
fn spec_examples_decode_into_the_models() {
    for value in examples(
        "customer_partner_referrals_v2.json",
        "/paths/~1v2~1customer~1partner-referrals~1{partner_referral_id}/get/responses/200/content/application~1json/examples",
    ) {
        // Spec quirk: the example of `referral_data_response` is a bare `referral_data` (with the
        // `partner_logo_url` and `action_renewal_url` that v2.5 removed). `ReferralRequest` takes it
        // as it is; `ReferralDetails` requires the `partner_referral_id` the API always sends (a body
        // without it is not a referral), so it takes the example as the API wraps it.
        let bare = serde_json::from_value::<ReferralDetails>(value.clone()).unwrap_err();
        assert!(bare.to_string().contains("partner_referral_id"), "{bare}");
        let details: ReferralDetails = serde_json::from_value(serde_json::json!({
            "partner_referral_id": "R1",
            "referral_data": value.clone(),
        }))
        .unwrap();
        assert!(details.referral_data.is_some());
        let data: ReferralRequest = serde_json::from_value(value).unwrap();
        assert_eq!(data.operations[0].operation, OperationType::BankAddition);
        assert_eq!(data.products, vec![Product::ExpressCheckout]);
        assert!(data.business_entity.is_some());
        let config = data.partner_config_override.as_ref().unwrap();
        // `partner_logo_url` (removed in v2.5) is ignored, not an error, and never sent back.
        assert!(
            serde_json::to_value(config)
                .unwrap()
                .get("partner_logo_url")
                .is_none()
        );
        data.validate().unwrap();
    }
    for value in examples(
        "checkout_orders_v2.json",
        "/paths/~1v2~1checkout~1orders/post/responses/201/content/application~1json/examples",
    ) {
        // Spec quirk: the 201 example is the request body again (`intent`, `purchase_units`), with
        // no `id`. An order always has one, so the example is refused as an `Order` (a body without
        // an id is not an order) and taken as the request it is.
        let err = serde_json::from_value::<Order>(value.clone()).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
        let _: OrderRequest = serde_json::from_value(value).unwrap();
    }
    for value in examples(
        "checkout_orders_v2.json",
        "/paths/~1v2~1checkout~1orders/post/requestBody/content/application~1json/examples",
    ) {
        let order: OrderRequest = serde_json::from_value(value.clone()).unwrap();
        order.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&order).unwrap(),
            value,
            "order request round-trips"
        );
    }
    for value in examples(
        "payments_payment_v2.json",
        "/paths/~1v2~1payments~1captures~1{capture_id}~1refund/post/requestBody/content/application~1json/examples",
    ) {
        let refund: RefundRequest = serde_json::from_value(value.clone()).unwrap();
        refund.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&refund).unwrap(),
            value,
            "refund request round-trips"
        );
    }
    for value in examples(
        "notifications_webhooks_v1.json",
        "/paths/~1v1~1notifications~1verify-webhook-signature/post/requestBody/content/application~1json/examples",
    ) {
        let event = Event::from_slice(value["webhook_event"].to_string().as_bytes()).unwrap();
        assert_eq!(event.event_type(), "PAYMENT.AUTHORIZATION.CREATED");
        assert!(matches!(event, Event::Unknown { .. }));
    }
}

#[test]
fn every_error_example_decodes() {
    let mut seen = 0;
    for file in [
        "customer_partner_referrals_v2.json",
        "customer_partner_referrals_v1.json",
        "checkout_orders_v2.json",
        "payments_payment_v2.json",
        "notifications_webhooks_v1.json",
        "referenced_payouts_v1.json",
    ] {
        let spec = spec(file);
        for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
            if let Some(example) = schema.get("example").filter(|_| name.starts_with("error")) {
                let body: ErrorDetails = serde_json::from_value(example.clone()).unwrap();
                assert!(
                    body.name.is_some() && body.debug_id.is_some(),
                    "{file} {name}"
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 12, "{seen}");
}

#[test]
fn response_models_accept_schema_shaped_documents() {
    // The referenced payouts spec gives no response example; a document built from its schema fields.
    let item: ReferencedPayoutItem = serde_json::from_value(json!({
        "item_id": "JH5ZW6N6XFA3Q", "processing_state": {"status": "PAYOUT_FAILED", "reason": "NOT_ENOUGH_BALANCE"},
        "reference_id": "3C679366HH908993F", "reference_type": "TRANSACTION_ID", "payout_transaction_id": "X",
        "disbursement_transaction_id": "Y", "external_merchant_id": "M", "external_reference_id": "R",
        "payee_email": "seller@example.com", "payout_amount": {"currency_code": "USD", "value": "1.00"},
        "payout_destination": "Z", "invoice_id": "I", "custom": "C", "links": []
    }))
    .unwrap();
    assert_eq!(
        item.processing_state.unwrap().reason.as_deref(),
        Some("NOT_ENOUGH_BALANCE")
    );
    let refund: Refund = serde_json::from_value(
        json!({"id": "R", "status": "CANCELLED", "acquirer_reference_number": "A"}),
    )
    .unwrap();
    // `acquirer_reference_number` is not modelled: ignored, not an error.
    assert_eq!(refund.id, "R");
}

// Webhooks management v1, payouts v1 and referenced payout batches: request bodies against the spec
// schemas, and schema-valid answers (the specs give no response examples for these) decoded.

const WEBHOOKS_SPEC: &str = "notifications_webhooks_v1.json";
const PAYOUTS_SPEC: &str = "payments_payouts_batch_v1.json";
const REFERENCED_SPEC: &str = "referenced_payouts_v1.json";

#[test]
fn webhook_management_bodies_validate() {
    use paypal_partner::webhooks::{NewWebhook, SimulateEvent, WebhookPatch};

    let new = NewWebhook::builder()
        .url("https://platform.example/paypal/webhooks")
        .event_types([Event::CAPTURE_COMPLETED, Event::ONBOARDING_COMPLETED])
        .build()
        .unwrap();
    assert_valid(
        WEBHOOKS_SPEC,
        "webhook",
        &serde_json::to_value(&new).unwrap(),
    );
    let all = NewWebhook::builder()
        .url("https://platform.example/paypal/webhooks")
        .all_events()
        .build()
        .unwrap();
    assert_valid(
        WEBHOOKS_SPEC,
        "webhook",
        &serde_json::to_value(&all).unwrap(),
    );

    let patch = WebhookPatch::builder()
        .url("https://platform.example/v2/hooks")
        .event_types([Event::CAPTURE_REFUNDED])
        .build()
        .unwrap();
    assert_valid(
        WEBHOOKS_SPEC,
        "patch_request",
        &serde_json::to_value(&patch).unwrap(),
    );

    let client = paypal_partner::Client::builder()
        .client_id("id")
        .client_secret("secret")
        .build()
        .unwrap();
    for resend in [
        client.webhook_events().resend("WH-1"),
        client
            .webhook_events()
            .resend("WH-1")
            .webhook_ids(["0EH40505U7160970P", "1JE4291016473214C"]),
    ] {
        assert_valid(
            WEBHOOKS_SPEC,
            "event_resend",
            &serde_json::to_value(resend.body()).unwrap(),
        );
    }

    for simulate in [
        SimulateEvent::to_webhook("0EH40505U7160970P", Event::CAPTURE_COMPLETED).unwrap(),
        SimulateEvent::to_url("https://platform.example/h", "CHECKOUT.ORDER.APPROVED")
            .unwrap()
            .resource_version("2.0"),
    ] {
        assert_valid(
            WEBHOOKS_SPEC,
            "simulate_event",
            &serde_json::to_value(&simulate).unwrap(),
        );
    }
    // The builder refuses what the spec's patterns refuse.
    assert_invalid(
        WEBHOOKS_SPEC,
        "simulate_event",
        &json!({"event_type": "PAYMENT CAPTURE"}),
    );
    assert!(SimulateEvent::to_webhook("0EH4", "PAYMENT CAPTURE").is_err());
}

#[test]
fn webhook_management_answers_decode() {
    use paypal_partner::webhooks::{EventType, Webhook, WebhookLookup};

    let webhook = json!({
        "id": "0EH40505U7160970P", "url": "https://platform.example/paypal/webhooks",
        "event_types": [{"name": "PAYMENT.CAPTURE.COMPLETED", "description": "A capture completes.",
                         "status": "ENABLED", "resource_versions": ["1.0", "2.0"]}],
        "links": [{"href": "https://api-m.paypal.com/v1/notifications/webhooks/0EH40505U7160970P", "rel": "self", "method": "GET"}]
    });
    assert_valid(WEBHOOKS_SPEC, "webhook", &webhook);
    let decoded: Webhook = serde_json::from_value(webhook).unwrap();
    assert_eq!(decoded.event_types[0].resource_versions, ["1.0", "2.0"]);

    let types = json!({"event_types": [{"name": "*", "description": "All events"}]});
    assert_valid(WEBHOOKS_SPEC, "EventTypeList", &types);
    let decoded: Vec<EventType> = serde_json::from_value(types["event_types"].clone()).unwrap();
    assert!(decoded[0].is_all());

    let lookup = json!({"id": "WL-1", "client_id": "AeXtRZ7dJx", "links": [
        {"href": "https://api-m.paypal.com/v1/notifications/webhooks-lookup/WL-1", "rel": "self", "method": "GET"}]});
    assert_valid(WEBHOOKS_SPEC, "webhooks_lookup", &lookup);
    let decoded: WebhookLookup = serde_json::from_value(lookup).unwrap();
    assert_eq!(decoded.id.unwrap().as_str(), "WL-1");

    let event = json!({
        "id": "WH-1", "create_time": "2026-12-01T10:00:00Z", "resource_type": "capture",
        "event_version": "1.0", "event_type": "PAYMENT.CAPTURE.COMPLETED", "summary": "done",
        "resource_version": "2.0", "resource": {"id": "2GG279541U471931P", "status": "COMPLETED"},
        "links": [{"href": "https://api-m.paypal.com/v1/notifications/webhooks-events/WH-1", "rel": "self", "method": "GET"}]
    });
    assert_valid(WEBHOOKS_SPEC, "event", &event);
    let list = json!({"events": [event.clone()], "count": 1, "links": []});
    assert_valid(WEBHOOKS_SPEC, "EventList", &list);
    let decoded = Event::from_slice(&serde_json::to_vec(&event).unwrap()).unwrap();
    assert!(matches!(decoded, Event::CaptureCompleted(_)));
}

#[test]
fn payout_bodies_validate() {
    use paypal_partner::payouts::{
        PayoutItemRequest, PayoutRequest, Purpose, RecipientType, RecipientWallet,
    };
    let batch = PayoutRequest::builder("Payouts_2018_100007")
        .email_subject("You have a payout!")
        .email_message("You have received a payout! Thanks for using our service!")
        .note("December")
        .recipient_type(RecipientType::Email)
        .item(
            PayoutItemRequest::new(
                RecipientType::Email,
                "receiver@example.com",
                Money::parse("USD", "9.87").unwrap(),
            )
            .note("Thanks for your patronage!")
            .sender_item_id("201403140001")
            .recipient_wallet(RecipientWallet::Paypal)
            .purpose(Purpose::Goods),
        )
        .item(PayoutItemRequest::new(
            RecipientType::PaypalId,
            "G83JXTJ5EHCQ2",
            Money::parse("JPY", "500").unwrap(),
        ))
        .build()
        .unwrap();
    let body = serde_json::to_value(&batch).unwrap();
    assert_valid(PAYOUTS_SPEC, "create_payout_request", &body);
    // PayPal's string form, in this API's `{currency, value}` object.
    assert_eq!(
        body["items"][0]["amount"],
        json!({"currency": "USD", "value": "9.87"})
    );
}

#[test]
fn payout_answers_decode() {
    use paypal_partner::payouts::{
        BatchStatus, PayoutBatch, PayoutBatchCreated, PayoutItem, TransactionStatus,
    };
    let header = json!({
        "payout_batch_id": "FYXMPQTX4JC9N", "batch_status": "PROCESSING",
        "time_created": "2026-12-01T10:00:00Z",
        "sender_batch_header": {"sender_batch_id": "Payouts_2018_100007", "email_subject": "You have a payout!"},
        "funding_source": "BALANCE",
        "amount": {"currency": "USD", "value": "9.87"}, "fees": {"currency": "USD", "value": "0.25"}
    });
    let created = json!({"batch_header": {"payout_batch_id": "FYXMPQTX4JC9N", "batch_status": "PENDING",
        "sender_batch_header": {"sender_batch_id": "Payouts_2018_100007"}},
        "links": [{"href": "https://api-m.paypal.com/v1/payments/payouts/FYXMPQTX4JC9N", "rel": "self", "method": "GET"}]});
    assert_valid(PAYOUTS_SPEC, "payout", &created);
    let decoded: PayoutBatchCreated = serde_json::from_value(created).unwrap();
    assert_eq!(
        decoded.batch_header.batch_status,
        Some(BatchStatus::Pending)
    );

    let item = json!({
        "payout_item_id": "8AELMXH8UB2P8", "transaction_id": "1DG93452WK758815H",
        "transaction_status": "UNCLAIMED", "payout_item_fee": {"currency": "USD", "value": "0.25"},
        "payout_batch_id": "FYXMPQTX4JC9N",
        "payout_item": {"recipient_type": "EMAIL", "amount": {"currency": "USD", "value": "9.87"},
                        "receiver": "receiver@example.com", "sender_item_id": "201403140001",
                        "recipient_wallet": "PAYPAL", "purpose": "GOODS"},
        "time_processed": "2026-12-01T10:00:00Z",
        "errors": {"name": "RECEIVER_UNREGISTERED", "message": "Receiver is unregistered", "debug_id": "a1b2c3", "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors"},
        "links": [{"href": "https://api-m.paypal.com/v1/payments/payouts-item/8AELMXH8UB2P8", "rel": "item", "method": "GET"}]
    });
    let batch = json!({"total_items": 1, "total_pages": 1, "batch_header": header, "items": [item.clone()], "links": []});
    assert_valid(PAYOUTS_SPEC, "payout_batch", &batch);
    let decoded: PayoutBatch = serde_json::from_value(batch).unwrap();
    assert_eq!(
        decoded.batch_header.fees,
        Some(Money::parse("USD", "0.25").unwrap())
    );
    assert_eq!(
        decoded.items[0].transaction_status,
        Some(TransactionStatus::Unclaimed)
    );

    let mut single = item;
    single["sender_batch_id"] = json!("Payouts_2018_100007");
    assert_valid(PAYOUTS_SPEC, "payout_item", &single);
    let decoded: PayoutItem = serde_json::from_value(single).unwrap();
    assert_eq!(
        decoded.sender_batch_id.as_deref(),
        Some("Payouts_2018_100007")
    );
}

#[test]
fn referenced_batch_bodies_validate_and_answers_decode() {
    use paypal_partner::referenced_payouts::{
        PayoutDirective, PayoutDirectiveType, ReferencedPayoutBatch, ReferencedPayoutBatchRequest,
    };
    let batch = ReferencedPayoutBatchRequest::builder()
        .captures(["2KP03934U4415543C", "8TA4226978212399L"])
        .build()
        .unwrap();
    let body = serde_json::to_value(&batch).unwrap();
    assert_valid(REFERENCED_SPEC, "referenced_payouts", &body);
    // The spec's own request example is what the builder writes.
    let spec = spec(REFERENCED_SPEC);
    let example = &spec["paths"]["/v1/payments/referenced-payouts"]["post"]["requestBody"]["content"]
        ["application/json"]["examples"]["create_batch"]["value"];
    assert_eq!(&body, example);
    let directed = ReferencedPayoutBatchRequest::builder()
        .capture("2KP03934U4415543C")
        .payout_directive(PayoutDirective::new(
            PayoutDirectiveType::AccountId,
            "G83JXTJ5EHCQ2",
        ))
        .build()
        .unwrap();
    assert_valid(
        REFERENCED_SPEC,
        "referenced_payouts",
        &serde_json::to_value(&directed).unwrap(),
    );

    let answer = json!({
        "referenced_payouts": [{"item_id": "JH5ZW6N6XFA3Q", "processing_state": {"status": "SUCCESS"},
            "reference_id": "2KP03934U4415543C", "reference_type": "TRANSACTION_ID",
            "payout_amount": {"currency_code": "USD", "value": "91.02"}}],
        "links": [{"href": "https://api-m.paypal.com/v1/payments/referenced-payouts/BATCH-1", "rel": "self", "method": "GET"}]
    });
    assert_valid(REFERENCED_SPEC, "referenced_payouts", &answer);
    let decoded: ReferencedPayoutBatch = serde_json::from_value(answer).unwrap();
    assert_eq!(decoded.batch_id().unwrap().as_str(), "BATCH-1");
}
