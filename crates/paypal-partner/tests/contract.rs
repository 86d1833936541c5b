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

// ---- Orders v2 (update, authorize, confirm, track, trackers) and Payments v2 authorizations ----

use paypal_partner::authorizations::{Authorization, CaptureRequest, ReauthorizeRequest};
use paypal_partner::orders::{ConfirmPaymentSourceRequest, OrderPatch, Patch};
use paypal_partner::trackers::{Carrier, TrackerItem, TrackerRequest, TrackerUpdate};

fn full_order_patch() -> OrderPatch {
    OrderPatch::new()
        .replace_amount("cart-1", Money::parse("USD", "120.00").unwrap())
        .set_platform_fees("cart-1", [Money::parse("USD", "6.00").unwrap()])
        .remove_platform_fees("cart-2")
        .set_description("cart-1", "Three books")
        .remove_description("cart-2")
        .set_custom_id("cart-1", "order-78")
        .remove_custom_id("cart-2")
        .set_invoice_id("cart-1", "INV-78")
        .remove_invoice_id("cart-2")
        .replace_disbursement_mode("cart-1", DisbursementMode::Delayed)
        .replace_platform_fees("cart-3", [Money::parse("USD", "7.00").unwrap()])
        .replace_description("cart-3", "Four books")
        .replace_custom_id("cart-3", "order-79")
        .replace_invoice_id("cart-3", "INV-79")
        .build()
        .unwrap()
}

#[test]
fn order_patches_validate_against_patch_request() {
    let patch = full_order_patch();
    let body = serde_json::to_value(&patch).unwrap();
    assert_valid("checkout_orders_v2.json", "patch_request", &body);
    // The values validate against the schemas of the attributes they replace.
    assert_valid(
        "checkout_orders_v2.json",
        "amount_with_breakdown",
        &body[0]["value"],
    );
    assert_valid(
        "checkout_orders_v2.json",
        "platform_fee_list",
        &body[1]["value"],
    );
    assert_valid(
        "checkout_orders_v2.json",
        "disbursement_mode",
        &body[9]["value"],
    );
    // The `replace_*` setters: `replace` of fees the unit has.
    assert_eq!(body[10]["op"], "replace");
    assert_valid(
        "checkout_orders_v2.json",
        "platform_fee_list",
        &body[10]["value"],
    );
    let mut broken = body.clone();
    broken[0]["op"] = json!("upsert");
    assert_invalid("checkout_orders_v2.json", "patch_request", &broken);
    let mut broken = body;
    broken[1]["value"][0]["amount"]["value"] = json!(6);
    assert_invalid(
        "checkout_orders_v2.json",
        "platform_fee_list",
        &broken[1]["value"],
    );
}

#[test]
fn authorize_and_confirm_bodies_validate() {
    // `authorize` sends `{}` or a payment source (the builder's `payment_source` is sent as given).
    assert_valid(
        "checkout_orders_v2.json",
        "order_authorize_request",
        &json!({}),
    );
    assert_valid(
        "checkout_orders_v2.json",
        "order_authorize_request",
        &json!({"payment_source": {"token": {"id": "VAULT1", "type": "BILLING_AGREEMENT"}}}),
    );
    let request = ConfirmPaymentSourceRequest::new(json!({"paypal": {"experience_context": {
        "return_url": "https://example.com/return", "cancel_url": "https://example.com/cancel"}}}))
    .processing_instruction(
        paypal_partner::orders::ProcessingInstruction::OrderCompleteOnPaymentApproval,
    )
    .build()
    .unwrap();
    assert_valid(
        "checkout_orders_v2.json",
        "confirm_order_request",
        &serde_json::to_value(&request).unwrap(),
    );
    assert_invalid(
        "checkout_orders_v2.json",
        "confirm_order_request",
        &json!({"processing_instruction": "NO_INSTRUCTION"}),
    );
    for value in examples(
        "checkout_orders_v2.json",
        "/paths/~1v2~1checkout~1orders~1{id}~1confirm-payment-source/post/requestBody/content/application~1json/examples",
    ) {
        let request: ConfirmPaymentSourceRequest = serde_json::from_value(value.clone()).unwrap();
        request.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            value,
            "round-trips"
        );
    }
}

#[test]
fn tracker_bodies_validate() {
    let tracker = TrackerRequest::new("8MC585209K746392H")
        .tracking_number("443844607820")
        .carrier(Carrier::Fedex)
        .notify_payer(true)
        .item(TrackerItem::new("T-Shirt", 2).sku("sku02"))
        .build()
        .unwrap();
    assert_valid(
        "checkout_orders_v2.json",
        "order_tracker_request",
        &serde_json::to_value(&tracker).unwrap(),
    );
    let other = TrackerRequest::new("8MC585209K746392H")
        .tracking_number("1")
        .carrier_name_other("Bike courier")
        .build()
        .unwrap();
    // Spec quirk: `carrier_name_other` is "only if the carrier parameter is OTHER", but `OTHER` is
    // not in the spec's carrier enum (PayPal's tracking guide documents it). That enum is the only
    // complaint about the body.
    let errors = schema_errors(
        "checkout_orders_v2.json",
        "order_tracker_request",
        &serde_json::to_value(&other).unwrap(),
    );
    assert!(
        !errors.is_empty() && errors.iter().all(|path| path == "/carrier"),
        "{errors:?}"
    );
    // Every other carrier the crate names is in the spec's list.
    let spec = spec_orders();
    let listed = spec["components"]["schemas"]["shipment_carrier"]["enum"]
        .as_array()
        .unwrap();
    for carrier in [
        Carrier::Ups,
        Carrier::Usps,
        Carrier::Fedex,
        Carrier::Dhl,
        Carrier::DhlApi,
        Carrier::RoyalMail,
        Carrier::CanadaPost,
        Carrier::DeDhl,
        Carrier::Dpd,
    ] {
        assert!(listed.contains(&json!(carrier.as_str())), "{carrier}");
    }
    let mut broken = serde_json::to_value(&tracker).unwrap();
    broken["items"][0]["quantity"] = json!("0");
    assert_invalid("checkout_orders_v2.json", "order_tracker_request", &broken);

    for update in [
        TrackerUpdate::cancel(),
        TrackerUpdate::new()
            .notify_payer(true)
            .replace_items([TrackerItem::new("Mug", 1)]),
    ] {
        let body = serde_json::to_value(update.build().unwrap()).unwrap();
        assert_valid("checkout_orders_v2.json", "patch_request", &body);
        for op in body.as_array().unwrap() {
            match op["path"].as_str().unwrap() {
                "/status" => {
                    assert_valid("checkout_orders_v2.json", "tracker_status", &op["value"])
                }
                "/items" => {
                    assert_valid("checkout_orders_v2.json", "tracker_item_list", &op["value"])
                }
                _ => {}
            }
        }
    }
    // Spec quirk: the only example of `orders.trackers.patch` is an order patch (a purchase unit's
    // shipping address), not a tracker's. A tracker update refuses it; an order update takes it.
    for value in examples(
        "checkout_orders_v2.json",
        "/paths/~1v2~1checkout~1orders~1{id}~1trackers~1{tracker_id}/patch/requestBody/content/application~1json/examples",
    ) {
        let as_tracker: TrackerUpdate = serde_json::from_value(value.clone()).unwrap();
        assert!(as_tracker.validate().is_err());
        let as_order: OrderPatch = serde_json::from_value(value.clone()).unwrap();
        as_order.validate().unwrap();
        assert_eq!(
            serde_json::to_value(&as_order).unwrap(),
            value,
            "round-trips"
        );
        assert_eq!(
            as_order.operations[0],
            Patch::replace(
                "/purchase_units/@reference_id=='PUHF'/shipping/address",
                value[0]["value"].clone()
            )
        );
    }
}

#[test]
fn authorization_capture_and_reauthorize_bodies_validate() {
    let partial = CaptureRequest::amount(Money::parse("USD", "60.00").unwrap())
        .final_capture(false)
        .platform_fee(Money::parse("USD", "3.00").unwrap())
        .disbursement_mode(DisbursementMode::Delayed)
        .invoice_id("INV-77-1")
        .note_to_payer("First parcel")
        .soft_descriptor("PLATFORM*SELLER")
        .build()
        .unwrap();
    for body in [&partial, &CaptureRequest::full()] {
        assert_valid(
            "payments_payment_v2.json",
            "capture_request",
            &serde_json::to_value(body).unwrap(),
        );
    }
    let mut broken = serde_json::to_value(&partial).unwrap();
    broken["payment_instruction"]["platform_fees"]
        .as_array_mut()
        .unwrap()
        .push(json!({"amount": {"currency_code": "USD", "value": "1.00"}}));
    // Two fees: the spec's `maxItems: 1`, which `build()` checks too.
    assert_invalid("payments_payment_v2.json", "capture_request", &broken);
    let two_fees: CaptureRequest = serde_json::from_value(broken).unwrap();
    assert!(two_fees.validate().is_err());

    for reauthorize in [
        ReauthorizeRequest::full(),
        ReauthorizeRequest::amount(Money::parse("USD", "10.99").unwrap()),
    ] {
        assert_valid(
            "payments_payment_v2.json",
            "reauthorize_request",
            &serde_json::to_value(reauthorize.build().unwrap()).unwrap(),
        );
    }
    for (path, schema) in [
        (
            "/paths/~1v2~1payments~1authorizations~1{authorization_id}~1capture/post/requestBody/content/application~1json/examples",
            "capture",
        ),
        (
            "/paths/~1v2~1payments~1authorizations~1{authorization_id}~1reauthorize/post/requestBody/content/application~1json/examples",
            "reauthorize",
        ),
    ] {
        for value in examples("payments_payment_v2.json", path) {
            let sent = if schema == "capture" {
                let request: CaptureRequest = serde_json::from_value(value.clone()).unwrap();
                request.validate().unwrap();
                serde_json::to_value(&request).unwrap()
            } else {
                let request: ReauthorizeRequest = serde_json::from_value(value.clone()).unwrap();
                request.validate().unwrap();
                serde_json::to_value(&request).unwrap()
            };
            assert_eq!(sent, value, "{schema} request round-trips");
        }
    }
}

#[test]
fn authorization_documents_shaped_by_the_schema_decode() {
    // The payments spec gives no response examples; a document with every field of `authorization-2`.
    let document = json!({
        "id": "0VF52814937998046", "status": "PARTIALLY_CAPTURED",
        "status_details": {"reason": "PENDING_REVIEW"},
        "amount": {"currency_code": "USD", "value": "10.99"},
        "invoice_id": "INVOICE-123", "custom_id": "c-1",
        "network_transaction_reference": {"id": "123456789012345", "network": "VISA"},
        "seller_protection": {"status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED"]},
        "expiration_time": "2026-12-31T00:00:00Z",
        "links": [{"href": "https://api-m.paypal.com/v2/payments/authorizations/0VF52814937998046", "rel": "self", "method": "GET"}],
        "create_time": "2026-12-02T00:00:00Z", "update_time": "2026-12-02T00:00:00Z",
        "supplementary_data": {"related_ids": {"order_id": "5O190127TN364715T", "authorization_id": "0VF52814937998046", "capture_id": "2GG279541U471931P"}},
        "payee": {"merchant_id": "8LQLM2ML4ZTYU", "email_address": "seller@example.com"}
    });
    // The document itself is what the spec describes (so the decode below means something).
    assert_valid("payments_payment_v2.json", "authorization-2", &document);
    let authorization: Authorization = serde_json::from_value(document).unwrap();
    assert_eq!(
        authorization.status,
        Some(paypal_partner::authorizations::AuthorizationStatus::PartiallyCaptured)
    );
    assert_eq!(
        authorization
            .supplementary_data
            .unwrap()
            .related_ids
            .unwrap()
            .capture_id
            .unwrap(),
        "2GG279541U471931P"
    );
    // Every status of the spec's enum is known to the crate.
    let spec = spec("payments_payment_v2.json");
    for status in
        spec["components"]["schemas"]["authorization_status"]["properties"]["status"]["enum"]
            .as_array()
            .unwrap()
    {
        let parsed = paypal_partner::authorizations::AuthorizationStatus::from_wire(
            status.as_str().unwrap(),
        );
        assert!(!parsed.is_unknown(), "{status}");
    }
    let spec = spec_orders();
    for status in spec["components"]["schemas"]["tracker_status"]["enum"]
        .as_array()
        .unwrap()
    {
        let parsed = paypal_partner::trackers::TrackerStatus::from_wire(status.as_str().unwrap());
        assert!(!parsed.is_unknown(), "{status}");
    }
}

fn spec_orders() -> Value {
    spec("checkout_orders_v2.json")
}

/// The instance paths of every schema error of `instance`.
fn schema_errors(spec_file: &str, schema: &str, instance: &Value) -> Vec<String> {
    let spec = spec(spec_file);
    let root =
        json!({"$ref": format!("#/components/schemas/{schema}"), "components": spec["components"]});
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&root)
        .unwrap();
    validator
        .iter_errors(instance)
        .map(|e| e.instance_path().to_string())
        .collect()
}

/// The header parameters the spec lists for `method` on `path` (resolving `$ref`s).
fn spec_headers(spec_file: &str, path: &str, method: &str) -> Vec<String> {
    let spec = spec(spec_file);
    let operation = &spec["paths"][path][method];
    assert!(operation.is_object(), "{spec_file}: no {method} {path}");
    operation["parameters"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| match p["$ref"].as_str() {
            Some(reference) => spec
                .pointer(reference.trim_start_matches('#'))
                .unwrap()
                .clone(),
            None => p.clone(),
        })
        .filter(|p| p["in"] == "header")
        .map(|p| p["name"].as_str().unwrap().to_ascii_lowercase())
        .collect()
}

#[test]
fn request_ids_are_sent_exactly_where_the_spec_defines_them() {
    // (spec, path, method, whether the crate sends PayPal-Request-Id), as the wire tests of
    // tests/order_actions.rs, tests/trackers.rs and tests/authorizations.rs check it.
    let orders = "checkout_orders_v2.json";
    let payments = "payments_payment_v2.json";
    for (file, path, method, keyed) in [
        (orders, "/v2/checkout/orders/{id}", "patch", false),
        (orders, "/v2/checkout/orders/{id}/authorize", "post", true),
        (
            orders,
            "/v2/checkout/orders/{id}/confirm-payment-source",
            "post",
            false,
        ),
        (orders, "/v2/checkout/orders/{id}/track", "post", false),
        (
            orders,
            "/v2/checkout/orders/{id}/trackers/{tracker_id}",
            "patch",
            false,
        ),
        (
            payments,
            "/v2/payments/authorizations/{authorization_id}",
            "get",
            false,
        ),
        (
            payments,
            "/v2/payments/authorizations/{authorization_id}/capture",
            "post",
            true,
        ),
        (
            payments,
            "/v2/payments/authorizations/{authorization_id}/reauthorize",
            "post",
            true,
        ),
        (
            payments,
            "/v2/payments/authorizations/{authorization_id}/void",
            "post",
            true,
        ),
        (payments, "/v2/payments/refunds/{refund_id}", "get", false),
    ] {
        let headers = spec_headers(file, path, method);
        assert_eq!(
            headers.contains(&"paypal-request-id".to_owned()),
            keyed,
            "{method} {path}: {headers:?}"
        );
        // Every one of them takes the seller's assertion (`.on_behalf_of(..)`).
        assert!(
            headers.contains(&"paypal-auth-assertion".to_owned()),
            "{method} {path}: {headers:?}"
        );
    }
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
