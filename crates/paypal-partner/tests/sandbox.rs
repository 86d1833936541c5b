//! End to end against `partner-sandbox`'s PayPal simulator, through the real HTTP transport: seller
//! onboarding and readiness, payments on behalf of a seller, idempotency, retries and webhook
//! verification (local and postback).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use partner_core::RetryPolicy;
use partner_core::http::{HeaderMap, HeaderValue, Method, StatusCode};
use partner_core::url::Url;
use partner_sandbox::paypal::{CardVetting, SellerChoices};
use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use partner_testkit::sandbox::SandboxRecorder;
use paypal_partner::captures::{RefundRequest, RefundStatus};
use paypal_partner::headers::Prefer;
use paypal_partner::merchant_integrations::{MerchantLookup, OnboardingStatus};
use paypal_partner::orders::{
    CaptureStatus, DisbursementMode, OrderRequest, OrderStatus, PurchaseUnitRequest,
};
use paypal_partner::readiness::{Blocker, CardStatus};
use paypal_partner::referenced_payouts::{ItemStatus, ReleaseOutcome};
use paypal_partner::referrals::{Feature, Product, ReferralRequest};
use paypal_partner::webhooks::{Confirmed, Event, WebhookError, WebhookHeaders, WebhookVerifier};
use paypal_partner::{Client, Money, Readiness};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(10), Duration::from_millis(50))
}

fn client_for(sandbox: &Sandbox, transport: Arc<SandboxRecorder>) -> Client {
    let creds = sandbox.paypal().credentials();
    Client::builder()
        .client_id(&creds.client_id)
        .client_secret(creds.client_secret.as_str())
        .partner_merchant_id(&creds.partner_id)
        .bn_code(&creds.bn_code)
        .environment(paypal_partner::Environment::Custom(
            sandbox.paypal().base_url(),
        ))
        .retry_policy(fast_retries())
        .transport(transport)
        .build()
        .unwrap()
}

async fn start_with(config: SandboxConfig) -> (Sandbox, Client, Arc<SandboxRecorder>) {
    let sandbox = Sandbox::start(config).await.unwrap();
    let recorder = SandboxRecorder::new();
    let client = client_for(&sandbox, recorder.clone());
    (sandbox, client, recorder)
}

async fn start() -> (Sandbox, Client, Arc<SandboxRecorder>) {
    start_with(SandboxConfig::new().seed(11)).await
}

fn referral(tracking_id: &str) -> ReferralRequest {
    ReferralRequest::builder()
        .tracking_id(tracking_id)
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()
        .unwrap()
}

/// A seller onboarded through the real flow (referral, then the sign-up page's outcome), by merchant id.
async fn onboard(
    sandbox: &Sandbox,
    client: &Client,
    tracking_id: &str,
    choices: SellerChoices,
) -> String {
    let created = client
        .referrals()
        .create(&referral(tracking_id))
        .send()
        .await
        .unwrap();
    let action_url = created.action_url().unwrap();
    sandbox
        .paypal()
        .complete_onboarding(action_url.as_str(), choices)
        .unwrap()
}

async fn readiness_of(
    sandbox: &Sandbox,
    client: &Client,
    tracking_id: &str,
    choices: SellerChoices,
) -> Readiness {
    let merchant_id = onboard(sandbox, client, tracking_id, choices).await;
    client
        .merchant_integrations()
        .status(&merchant_id)
        .send()
        .await
        .unwrap()
        .readiness()
}

fn usd(value: &str) -> Money {
    Money::parse("USD", value).unwrap()
}

/// An order paid to `seller` with a platform fee and delayed disbursement, approved by the buyer and
/// captured; returns the order id and the capture id.
async fn captured_delayed_order(
    sandbox: &Sandbox,
    client: &Client,
    seller: &str,
) -> (String, String) {
    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(usd("100.00"))
            .payee_merchant_id(seller)
            .platform_fee(usd("5.00"))
            .disbursement_mode(DisbursementMode::Delayed)
            .reference_id("unit-1"),
    );
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .prefer(Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap();
    let order_id = created.id.clone();
    sandbox.paypal().approve_order(order_id.as_str()).unwrap();
    let captured = client
        .orders()
        .capture(&order_id)
        .on_behalf_of(seller)
        .send()
        .await
        .unwrap();
    let capture_id = captured.captures().next().unwrap().id.clone();
    (order_id.to_string(), capture_id.to_string())
}

// ---------------------------------------------------------------------------------------------
// Onboarding and readiness
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn onboarding_flow_ends_ready_for_cards_and_buttons() {
    let (sandbox, client, _) = start().await;

    let token = client.access_token().await.unwrap();
    assert!(
        token.has_scope("https://uri.paypal.com/services/customer/partner"),
        "{:?}",
        token.scope
    );

    let created = client
        .referrals()
        .create(&referral("seller-flow"))
        .send()
        .await
        .unwrap();
    let action_url = created.action_url().unwrap();
    let referral_id = created.partner_referral_id().unwrap();
    let stored = client.referrals().get(&referral_id).send().await.unwrap();
    assert_eq!(stored.partner_referral_id, referral_id);
    assert_eq!(
        stored
            .referral_data
            .unwrap()
            .tracking_id
            .as_ref()
            .map(|id| id.as_str()),
        Some("seller-flow")
    );

    let lookup = client
        .merchant_integrations()
        .find_by_tracking_id("seller-flow")
        .send()
        .await
        .unwrap();
    assert_eq!(lookup, MerchantLookup::Pending);

    let merchant_id = sandbox
        .paypal()
        .complete_onboarding(action_url.as_str(), SellerChoices::default())
        .unwrap();

    let MerchantLookup::Found(found) = client
        .merchant_integrations()
        .find_by_tracking_id("seller-flow")
        .send()
        .await
        .unwrap()
    else {
        panic!("the seller finished onboarding");
    };
    assert_eq!(found.merchant_id, merchant_id.as_str());
    assert_eq!(
        found.tracking_id.as_ref().map(|id| id.as_str()),
        Some("seller-flow")
    );

    let status = client
        .merchant_integrations()
        .status(&found.merchant_id)
        .send()
        .await
        .unwrap();
    assert_eq!(status.payments_receivable, Some(true));
    assert_eq!(status.primary_email_confirmed, Some(true));
    assert_eq!(status.readiness(), Readiness::CardsAndButtons);

    match client
        .merchant_integrations()
        .status_by_tracking_id("seller-flow")
        .send()
        .await
        .unwrap()
    {
        OnboardingStatus::Found(doc) => assert_eq!(doc.readiness(), Readiness::CardsAndButtons),
        OnboardingStatus::Pending => panic!("the seller finished onboarding"),
    }
}

#[tokio::test]
async fn readiness_follows_the_sellers_choices() {
    let (sandbox, client, _) = start().await;

    let unconfirmed = readiness_of(
        &sandbox,
        &client,
        "seller-unconfirmed",
        SellerChoices {
            email_confirmed: false,
            ..SellerChoices::default()
        },
    )
    .await;
    assert_eq!(
        unconfirmed,
        Readiness::NotReady(vec![Blocker::EmailNotConfirmed])
    );

    let no_permissions = readiness_of(
        &sandbox,
        &client,
        "seller-no-permissions",
        SellerChoices {
            permissions_granted: false,
            ..SellerChoices::default()
        },
    )
    .await;
    assert_eq!(
        no_permissions,
        Readiness::NotReady(vec![Blocker::PermissionsNotGranted])
    );

    let denied = readiness_of(
        &sandbox,
        &client,
        "seller-denied",
        SellerChoices {
            card_vetting: CardVetting::Denied,
            ..SellerChoices::default()
        },
    )
    .await;
    assert_eq!(denied, Readiness::ButtonsOnly(CardStatus::Denied));
    assert!(denied.can_take_payments() && !denied.can_take_cards());

    let in_review = readiness_of(
        &sandbox,
        &client,
        "seller-in-review",
        SellerChoices {
            card_vetting: CardVetting::InReview,
            ..SellerChoices::default()
        },
    )
    .await;
    assert!(
        matches!(in_review, Readiness::ButtonsOnly(CardStatus::InProgress(_))),
        "{in_review:?}"
    );

    let not_receivable = readiness_of(
        &sandbox,
        &client,
        "seller-not-receivable",
        SellerChoices {
            payments_receivable: false,
            ..SellerChoices::default()
        },
    )
    .await;
    assert!(
        not_receivable
            .blockers()
            .contains(&Blocker::PaymentsNotReceivable),
        "{not_receivable:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Payments on behalf of a seller
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn order_capture_refund_and_release_for_a_seller() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .seed(12)
            .paypal_payout_processing(Duration::from_millis(800)),
    )
    .await
    .unwrap();
    let recorder = SandboxRecorder::new();
    let client = client_for(&sandbox, recorder.clone());
    let seller = onboard(&sandbox, &client, "seller-pay", SellerChoices::default()).await;

    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(usd("100.00"))
            .payee_merchant_id(&seller)
            .platform_fee(usd("5.00"))
            .disbursement_mode(DisbursementMode::Delayed)
            .reference_id("unit-1"),
    );
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(&seller)
        .prefer(Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap();
    let order_id = created.id.clone();
    assert_eq!(created.status, Some(OrderStatus::Created));
    assert!(created.approve_url().is_some(), "{:?}", created.links);
    let unit = &created.purchase_units[0];
    assert_eq!(
        unit.payee
            .as_ref()
            .unwrap()
            .merchant_id
            .as_ref()
            .map(|id| id.as_str()),
        Some(&*seller)
    );
    let instruction = unit.payment_instruction.as_ref().unwrap();
    assert_eq!(
        instruction.disbursement_mode,
        Some(DisbursementMode::Delayed)
    );
    assert_eq!(instruction.platform_fees[0].amount, usd("5.00"));

    // The headers a partner call carries.
    let sent = recorder.attempts(&Method::POST, "/v2/checkout/orders");
    let headers = &sent[0].headers;
    assert!(headers.contains_key("paypal-request-id"));
    assert!(headers.contains_key("paypal-auth-assertion"));
    assert_eq!(
        headers["paypal-partner-attribution-id"],
        sandbox.paypal().credentials().bn_code.as_str()
    );

    // Not approved yet.
    let err = client
        .orders()
        .capture(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(|e| e.first_issue().map(str::to_owned)),
        Some("ORDER_NOT_APPROVED".to_owned())
    );

    sandbox.paypal().approve_order(order_id.as_str()).unwrap();
    let approved = client.orders().get(&order_id).send().await.unwrap();
    assert_eq!(approved.status, Some(OrderStatus::Approved));

    let captured = client
        .orders()
        .capture(&order_id)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(captured.status, Some(OrderStatus::Completed));
    let capture = captured.captures().next().unwrap().clone();
    let capture_id = capture.id.clone();
    assert_eq!(capture.status, Some(CaptureStatus::Completed));
    assert_eq!(capture.disbursement_mode, Some(DisbursementMode::Delayed));
    let breakdown = capture.seller_receivable_breakdown.as_ref().unwrap();
    assert_eq!(breakdown.gross_amount, Some(usd("100.00")));
    assert_eq!(breakdown.platform_fees[0].amount, usd("5.00"));
    let paypal_fee = breakdown.paypal_fee.as_ref().unwrap().value;
    assert_eq!(
        breakdown.net_amount.as_ref().unwrap().value,
        usd("95.00").value - paypal_fee
    );

    let fetched = client.captures().get(&capture_id).send().await.unwrap();
    assert_eq!(fetched.id, capture_id);

    // A partial refund, giving back part of the platform fee.
    let refund_request = RefundRequest::amount(usd("40.00")).platform_fee(usd("2.00"));
    let refund = client
        .captures()
        .refund(&capture_id, &refund_request)
        .on_behalf_of(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(refund.status, Some(RefundStatus::Completed));
    assert_eq!(refund.amount, Some(usd("40.00")));
    assert_eq!(
        refund.seller_payable_breakdown.as_ref().unwrap()["platform_fees"][0]["amount"]["value"],
        "2.00"
    );
    let refund_body = &recorder.attempts(
        &Method::POST,
        &format!("/v2/payments/captures/{capture_id}/refund"),
    )[0];
    assert!(refund_body.headers.contains_key("paypal-auth-assertion"));
    let after = client.captures().get(&capture_id).send().await.unwrap();
    assert_eq!(after.status, Some(CaptureStatus::PartiallyRefunded));

    // Releasing the held funds: processed (or queued) first, then 409 while it runs.
    let first = client
        .referenced_payouts()
        .release(&capture_id)
        .send()
        .await
        .unwrap();
    let item = match first {
        ReleaseOutcome::Processed(item) | ReleaseOutcome::Queued(item) => item,
        other => panic!("first release: {other:?}"),
    };
    assert_eq!(item.reference_id.as_deref(), Some(capture_id.as_str()));
    assert_eq!(
        item.processing_state
            .as_ref()
            .and_then(|s| s.status.clone()),
        Some(ItemStatus::Processing)
    );
    let second = client
        .referenced_payouts()
        .release(&capture_id)
        .send()
        .await
        .unwrap();
    match second {
        ReleaseOutcome::InProgress(api) => assert_eq!(api.status.as_u16(), 409),
        other => panic!("second release while the first runs: {other:?}"),
    }

    // Once processing ended the item reads SUCCESS.
    tokio::time::sleep(Duration::from_millis(850)).await;
    let item = client
        .referenced_payouts()
        .get_item(&item.item_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        item.processing_state.and_then(|s| s.status),
        Some(ItemStatus::Success)
    );
    let err = client
        .referenced_payouts()
        .release(&capture_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn release_with_respond_async_is_queued() {
    let (sandbox, client, _) = start().await;
    let seller = onboard(&sandbox, &client, "seller-async", SellerChoices::default()).await;
    let (_, capture_id) = captured_delayed_order(&sandbox, &client, &seller).await;
    let outcome = client
        .referenced_payouts()
        .release(&capture_id)
        .respond_async()
        .send()
        .await
        .unwrap();
    assert!(matches!(outcome, ReleaseOutcome::Queued(_)), "{outcome:?}");
}

#[tokio::test]
async fn an_unknown_payee_is_refused_by_paypal() {
    let (_sandbox, client, _) = start().await;
    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(usd("10.00")).payee_merchant_id("NOSUCHSELLER1"),
    );
    let err = client.orders().create(&order).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(|e| e.first_issue().map(str::to_owned)),
        Some("PAYEE_ACCOUNT_INVALID".to_owned())
    );
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn acting_for_a_seller_by_email_and_the_refusals_along_the_way() {
    let (sandbox, client, _) = start().await;
    let request = ReferralRequest::builder()
        .tracking_id("seller-email")
        .email("shop-owner@example.org")
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()
        .unwrap();
    let created = client.referrals().create(&request).send().await.unwrap();
    let seller = sandbox
        .paypal()
        .complete_onboarding(
            created.partner_referral_id().unwrap().as_str(),
            SellerChoices::default(),
        )
        .unwrap();
    let status = client
        .merchant_integrations()
        .status(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.primary_email.as_deref(),
        Some("shop-owner@example.org")
    );

    // The assertion by email makes the seller the payee of a unit that names none.
    let order = OrderRequest::capture(PurchaseUnitRequest::new(usd("30.00")));
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of_email("shop-owner@example.org")
        .prefer(Prefer::ReturnRepresentation)
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.purchase_units[0]
            .payee
            .as_ref()
            .and_then(|p| p.merchant_id.as_ref().map(|id| id.as_str())),
        Some(&*seller)
    );
    let order_id = created.id;

    // An assertion for someone who is not our seller is refused.
    let err = client
        .orders()
        .create(&order)
        .on_behalf_of("NOTOURSELLER1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(paypal_partner::ErrorDetails::code),
        Some("PERMISSION_DENIED")
    );

    // Capture: the same request id answers the same capture; a new one is refused.
    sandbox.paypal().approve_order(order_id.as_str()).unwrap();
    let first = client
        .orders()
        .capture(&order_id)
        .idempotency_key(paypal_partner::IdempotencyKey::new("capture-email-1").unwrap())
        .send()
        .await
        .unwrap();
    let repeated = client
        .orders()
        .capture(&order_id)
        .idempotency_key(paypal_partner::IdempotencyKey::new("capture-email-1").unwrap())
        .send()
        .await
        .unwrap();
    let capture_id = first.captures().next().unwrap().id.clone();
    assert_eq!(repeated.captures().next().unwrap().id, capture_id);
    let err = client.orders().capture(&order_id).send().await.unwrap_err();
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(|e| e.first_issue().map(str::to_owned)),
        Some("ORDER_ALREADY_CAPTURED".to_owned())
    );

    // INSTANT disbursement: nothing to release.
    let err = client
        .referenced_payouts()
        .release(&capture_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));

    // Refunds: more than was captured is refused; the rest refunds it all.
    let too_much = RefundRequest::amount(usd("31.00"));
    let err = client
        .captures()
        .refund(&capture_id, &too_much)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.provider_details::<paypal_partner::ErrorDetails>()
            .and_then(|e| e.first_issue().map(str::to_owned)),
        Some("REFUND_AMOUNT_EXCEEDED".to_owned())
    );
    let full = RefundRequest::full();
    let refund = client
        .captures()
        .refund(&capture_id, &full)
        .send()
        .await
        .unwrap();
    assert_eq!(refund.amount, Some(usd("30.00")));
    let capture = client.captures().get(&capture_id).send().await.unwrap();
    assert_eq!(capture.status, Some(CaptureStatus::Refunded));
}

// ---------------------------------------------------------------------------------------------
// Idempotency and retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_same_request_id_answers_the_same_order() {
    let (sandbox, client, recorder) = start().await;
    let seller = onboard(&sandbox, &client, "seller-idem", SellerChoices::default()).await;
    let order =
        OrderRequest::capture(PurchaseUnitRequest::new(usd("25.00")).payee_merchant_id(&seller));

    let first = client
        .orders()
        .create(&order)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-idem-0001").unwrap())
        .send()
        .await
        .unwrap();
    let again = client
        .orders()
        .create(&order)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-idem-0001").unwrap())
        .send()
        .await
        .unwrap();
    let other = client
        .orders()
        .create(&order)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-idem-0002").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(first.id, again.id);
    assert_ne!(first.id, other.id);

    let ids: Vec<_> = recorder
        .attempts(&Method::POST, "/v2/checkout/orders")
        .iter()
        .map(|s| s.headers["paypal-request-id"].clone())
        .collect();
    assert_eq!(
        ids,
        [
            HeaderValue::from_static("order-idem-0001"),
            HeaderValue::from_static("order-idem-0001"),
            HeaderValue::from_static("order-idem-0002"),
        ]
    );

    // Without a caller-supplied id every POST gets a fresh generated one.
    client.orders().create(&order).send().await.unwrap();
    client.orders().create(&order).send().await.unwrap();
    let attempts = recorder.attempts(&Method::POST, "/v2/checkout/orders");
    let generated: Vec<_> = attempts[3..]
        .iter()
        .map(|s| s.headers["paypal-request-id"].clone())
        .collect();
    assert_ne!(generated[0], generated[1]);
}

#[tokio::test]
async fn a_post_with_a_request_id_survives_server_errors() {
    let (sandbox, client, recorder) = start().await;
    let seller = onboard(&sandbox, &client, "seller-retry", SellerChoices::default()).await;
    let order =
        OrderRequest::capture(PurchaseUnitRequest::new(usd("12.34")).payee_merchant_id(&seller));

    // Every PayPal request fails with 503 until two order attempts have failed.
    sandbox
        .faults()
        .set(Provider::Paypal, FaultConfig::new().error_rate(1.0));
    recorder.heal_after("/v2/checkout/orders", 2, sandbox.faults(), Provider::Paypal);

    let created = client
        .orders()
        .create(&order)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-retry-0001").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status, Some(OrderStatus::Created));

    let attempts = recorder.attempts(&Method::POST, "/v2/checkout/orders");
    assert_eq!(attempts.len(), 3, "two 503s, then the success");
    for attempt in &attempts {
        assert_eq!(attempt.headers["paypal-request-id"], "order-retry-0001");
    }

    // The key is what made the retries safe: the same id still names the one order.
    let again = client
        .orders()
        .create(&order)
        .idempotency_key(paypal_partner::IdempotencyKey::new("order-retry-0001").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(again.id, created.id);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_with_the_same_request_id() {
    let (sandbox, client, recorder) = start().await;
    let seller = onboard(&sandbox, &client, "seller-drop", SellerChoices::default()).await;
    let order =
        OrderRequest::capture(PurchaseUnitRequest::new(usd("9.99")).payee_merchant_id(&seller));
    sandbox
        .faults()
        .set(Provider::Paypal, FaultConfig::new().drop_rate(1.0));
    recorder.heal_after("/v2/checkout/orders", 1, sandbox.faults(), Provider::Paypal);
    let created = client.orders().create(&order).send().await.unwrap();
    assert!(!created.id.as_str().is_empty());
    let attempts = recorder.attempts(&Method::POST, "/v2/checkout/orders");
    assert_eq!(attempts.len(), 2);
    assert_eq!(
        attempts[0].headers["paypal-request-id"], attempts[1].headers["paypal-request-id"],
        "a generated request id is reused on the retry"
    );
}

#[tokio::test]
async fn throttled_calls_are_retried_after_retry_after() {
    let (sandbox, client, recorder) = start().await;
    client.access_token().await.unwrap();
    sandbox.faults().set(
        Provider::Paypal,
        FaultConfig::new().throttle(1, Duration::from_secs(1)),
    );
    let created = client
        .referrals()
        .create(&referral("seller-throttled"))
        .idempotency_key(paypal_partner::IdempotencyKey::new("referral-throttled-1").unwrap())
        .send()
        .await
        .unwrap();
    assert!(created.action_url().is_ok());
    let attempts = recorder.attempts(&Method::POST, "/v2/customer/partner-referrals");
    assert_eq!(attempts.len(), 2);
    assert_eq!(
        attempts[0].headers["paypal-request-id"],
        attempts[1].headers["paypal-request-id"]
    );
    assert_eq!(
        sandbox
            .faults()
            .effective(Provider::Paypal)
            .throttle_count(),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------------

/// A delivery as the receiver got it: headers and the raw body bytes.
struct Delivery {
    headers: HeaderMap,
    body: Vec<u8>,
}

/// A tiny axum webhook receiver on `127.0.0.1:0` that answers 200 and hands every delivery over
/// unchanged (raw bytes, as a verifier needs them).
async fn webhook_receiver() -> (Url, mpsc::UnboundedReceiver<Delivery>) {
    async fn receive(
        State(tx): State<mpsc::UnboundedSender<Delivery>>,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let _ = tx.send(Delivery {
            headers,
            body: body.to_vec(),
        });
        StatusCode::OK
    }
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .route("/paypal/webhooks", post(receive))
        .with_state(tx);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!(
        "http://{}/paypal/webhooks",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, rx)
}

async fn next_delivery(rx: &mut mpsc::UnboundedReceiver<Delivery>, event_type: &str) -> Delivery {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let delivery = rx.recv().await.expect("the receiver is running");
            let value: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
            if value["event_type"] == event_type {
                return delivery;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {event_type} delivery within 5 s"))
}

/// The same bytes with `"event_version":"1.0"` changed to `"1.1"`: still JSON, one byte different.
fn tampered(body: &[u8]) -> Vec<u8> {
    let needle = br#""event_version":"1.0""#;
    let pos = body
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the event has an event_version");
    let mut out = body.to_vec();
    out[pos + needle.len() - 2] = b'1';
    out
}

#[tokio::test]
async fn webhooks_verify_locally_and_by_postback() {
    let (url, mut rx) = webhook_receiver().await;
    let (sandbox, client, _) = start_with(
        SandboxConfig::new()
            .seed(13)
            .paypal_webhook_url(url.clone()),
    )
    .await;
    let webhook_id = sandbox.paypal().credentials().webhook_id.clone();
    let verifier = WebhookVerifier::builder(&client, &webhook_id)
        .allow_cert_host_for_testing("127.0.0.1")
        .build();

    // MERCHANT.ONBOARDING.COMPLETED
    let seller = onboard(&sandbox, &client, "seller-hooks", SellerChoices::default()).await;
    let delivery = next_delivery(&mut rx, Event::ONBOARDING_COMPLETED).await;
    let headers = WebhookHeaders::from_header_map(&delivery.headers).unwrap();
    assert_eq!(headers.cert_url, sandbox.paypal().cert_url().as_str());
    match verifier
        .verify_event(&headers, &delivery.body)
        .await
        .unwrap()
    {
        Event::OnboardingCompleted(event) => {
            assert_eq!(
                event.resource.merchant_id.as_ref().map(|id| id.as_str()),
                Some(&*seller)
            );
            assert_eq!(
                event.resource.tracking_id.as_ref().map(|id| id.as_str()),
                Some("seller-hooks")
            );
        }
        other => panic!("{other:?}"),
    }

    // One byte off, or another webhook's id: refused.
    let forged = tampered(&delivery.body);
    assert!(matches!(
        verifier.verify_delivery(&headers, &forged).await,
        Err(WebhookError::SignatureMismatch)
    ));
    let other_hook = WebhookVerifier::builder(&client, "WH-SOMEONE-ELSE")
        .allow_cert_host_for_testing("127.0.0.1")
        .build();
    assert!(matches!(
        other_hook.verify_delivery(&headers, &delivery.body).await,
        Err(WebhookError::SignatureMismatch)
    ));
    // Without the test allowance the sandbox's certificate host is not trusted.
    let strict = WebhookVerifier::builder(&client, &webhook_id).build();
    assert!(matches!(
        strict.verify_delivery(&headers, &delivery.body).await,
        Err(WebhookError::UntrustedCertUrl(_))
    ));

    // Postback verification against the simulator.
    let status = client
        .webhooks()
        .verify_postback(&webhook_id, &headers, &delivery.body)
        .send()
        .await
        .unwrap();
    assert!(status.is_success(), "{status:?}");
    let status = client
        .webhooks()
        .verify_postback(&webhook_id, &headers, &forged)
        .send()
        .await
        .unwrap();
    assert!(!status.is_success(), "{status:?}");

    // PAYMENT.CAPTURE.COMPLETED
    let (_, capture_id) = captured_delayed_order(&sandbox, &client, &seller).await;
    let delivery = next_delivery(&mut rx, Event::CAPTURE_COMPLETED).await;
    let headers = WebhookHeaders::from_header_map(&delivery.headers).unwrap();
    let event = verifier
        .verify_event(&headers, &delivery.body)
        .await
        .unwrap();
    match &event {
        Event::CaptureCompleted(event) => {
            assert_eq!(event.resource.id, capture_id.as_str());
            assert_eq!(event.resource.status, Some(CaptureStatus::Completed));
        }
        other => panic!("{other:?}"),
    }
    // The same delivery again: refused. The capture it names, confirmed with the API.
    assert!(matches!(
        verifier.verify_delivery(&headers, &delivery.body).await,
        Err(WebhookError::Replayed { .. })
    ));
    match client.webhooks().confirm(&event).send().await.unwrap() {
        Confirmed::Capture(capture) => {
            assert_eq!(capture.id, capture_id.as_str());
            assert_eq!(capture.status, Some(CaptureStatus::Completed));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        verifier
            .verify_delivery(&headers, &tampered(&delivery.body))
            .await,
        Err(WebhookError::SignatureMismatch)
    ));
    let status = client
        .webhooks()
        .verify_postback(&webhook_id, &headers, &delivery.body)
        .send()
        .await
        .unwrap();
    assert!(status.is_success());

    let deliveries = sandbox.paypal().webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .all(|d| d.url == url.as_str() && d.status == Some(200)),
        "{deliveries:?}"
    );
}
