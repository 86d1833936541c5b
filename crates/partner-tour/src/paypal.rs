//! PayPal: token → sign-up link → the simulated seller completes → merchant id → readiness → an
//! order on the seller's behalf with a platform fee, captured once with an idempotency key → a
//! not-found order read through `ErrorDetails` → an `AUTHORIZE` order, authorized, then captured in
//! full with the platform fee → that capture's `PAYMENT.CAPTURE.COMPLETED` webhook, delivered to a
//! listener registered through the API and verified locally.

use std::time::Duration;

use partner_sandbox::Sandbox;
use partner_sandbox::paypal::SellerChoices;
use paypal_partner::authorizations::CaptureRequest;
use paypal_partner::orders::{OrderRequest, PurchaseUnitRequest};
use paypal_partner::referrals::{Feature, Product, ReferralRequest};
use paypal_partner::webhooks::{Event, NewWebhook, WebhookVerifier};
use paypal_partner::{
    Client, Environment, ErrorDetails, IdempotencyKey, MerchantId, MerchantLookup, Money,
};

use crate::output::{detail, section, step};
use crate::webhook_receiver::Receiver;

/// How long the tour waits for a webhook delivery: the simulator posts it as the capture completes,
/// so a few seconds only cover a slow, shared machine; past them the tour stops with a message.
const DELIVERY_WAIT: Duration = Duration::from_secs(10);

pub(crate) async fn run(
    sandbox: &Sandbox,
    receiver: Receiver,
) -> Result<(), Box<dyn std::error::Error>> {
    section("PayPal partner onboarding");
    let creds = sandbox.paypal().credentials();
    let client = Client::builder()
        .client_id(creds.client_id.clone())
        .client_secret(creds.client_secret.clone())
        .partner_merchant_id(creds.partner_id.clone())
        .bn_code(creds.bn_code.clone())
        .environment(Environment::Custom(sandbox.paypal().base_url()))
        .build()?;

    // The platform registers its listener through the API (a deploy step), for captures only. The
    // receiver verifies deliveries for that webhook id, trusting the certificate URL of the
    // simulator's host only (never do this outside tests: whoever serves the certificate decides
    // which signatures are valid).
    let receiver_url = receiver.url().to_owned();
    let listener = NewWebhook::builder()
        .url(receiver_url.clone())
        .event_type(Event::CAPTURE_COMPLETED)
        .build()?;
    let webhook = client.webhooks().create(&listener).send().await?;
    let webhook_id = webhook
        .id
        .ok_or("PayPal answered the registration without a webhook id")?;
    let cert_url = sandbox.paypal().cert_url();
    let verifier = WebhookVerifier::builder(&client, webhook_id.clone())
        .allow_cert_host_for_testing(cert_url.host_str().ok_or("the cert URL has no host")?)
        .build();
    let mut deliveries = receiver.serve(verifier);
    step(format!(
        "webhook {webhook_id} registered through the API for {} at {receiver_url}",
        Event::CAPTURE_COMPLETED
    ));

    let token = client.access_token().await?;
    step(format!(
        "access token for app {} (valid {} more minutes)",
        token.app_id.as_deref().unwrap_or("?"),
        token.expires_in.map(|d| d.as_secs() / 60).unwrap_or(0)
    ));

    let tracking_id = "seller-0042";
    let referral = ReferralRequest::builder()
        .tracking_id(tracking_id)
        .features([Feature::Payment, Feature::Refund, Feature::PartnerFee])
        .product(Product::Ppcp)
        .share_data_consent(true)
        .return_url("https://platform.example/paypal/return")
        .build()?;
    let created = client.referrals().create(&referral).send().await?;
    step(format!(
        "sign-up link for {tracking_id}: {}",
        created.action_url()?
    ));

    // Before the seller finishes, PayPal has no merchant id for the tracking id: Pending, not an error.
    let before = client
        .merchant_integrations()
        .find_by_tracking_id(tracking_id)
        .send()
        .await?;
    step(format!("lookup before sign-up: {}", lookup_text(&before)));

    let referral_id = created
        .partner_referral_id()
        .ok_or("the referral has no self link")?;
    sandbox
        .paypal()
        .complete_onboarding(referral_id.as_str(), SellerChoices::default())?;
    step("the simulated seller completed the sign-up page");

    let MerchantLookup::Found(found) = client
        .merchant_integrations()
        .find_by_tracking_id(tracking_id)
        .send()
        .await?
    else {
        return Err("the seller's merchant id did not appear".into());
    };
    step(format!(
        "merchant id of {tracking_id}: {}",
        found.merchant_id
    ));

    let status = client
        .merchant_integrations()
        .status(&found.merchant_id)
        .send()
        .await?;
    let readiness = status.readiness();
    step(format!("onboarding status: {readiness}"));
    for scope in status.granted_scopes().take(2) {
        detail(format!("granted scope {scope}"));
    }
    if !readiness.can_take_payments() {
        return Err(format!("expected a ready seller, got: {readiness}").into());
    }

    // Payments for the seller: `build()` checks amounts and fees before anything is sent.
    let seller = &found.merchant_id;
    let order = OrderRequest::capture(
        PurchaseUnitRequest::new(Money::parse("USD", "100.00")?)
            .payee_merchant_id(seller)
            .platform_fee(Money::parse("USD", "5.00")?),
    )
    .build()?;
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .send()
        .await?;
    step(format!(
        "order {} for USD 100.00 with a USD 5.00 platform fee",
        created.id
    ));
    sandbox.paypal().approve_order(created.id.as_str())?;
    // The same PayPal-Request-Id twice: PayPal captures once and answers the second with the first.
    let key = IdempotencyKey::new(format!("capture-{}", created.id))?;
    let capture = |key: IdempotencyKey| {
        client
            .orders()
            .capture(&created.id)
            .on_behalf_of(seller)
            .idempotency_key(key)
            .send()
    };
    let first = capture(key.clone()).await?;
    let again = capture(key).await?;
    let captured = first.captures().next().ok_or("the order has no capture")?;
    let repeated = again.captures().next().ok_or("the order has no capture")?;
    if captured.id != repeated.id {
        return Err("the same idempotency key captured twice".into());
    }
    step(format!(
        "captured once as {} (the repeat with the same key answered the same capture)",
        captured.id
    ));

    match client.orders().get("NO-SUCH-ORDER").send().await {
        Err(err) if err.is_not_found() => {
            let details = err.provider_details::<ErrorDetails>();
            step(format!(
                "an unknown order is a not-found: {} (debug id {})",
                details.and_then(|d| d.name.as_deref()).unwrap_or("?"),
                err.request_id().unwrap_or("?")
            ));
        }
        other => return Err(format!("expected a not-found, got {other:?}").into()),
    }

    let capture_id = authorize_then_capture(sandbox, &client, seller).await?;
    let event = deliveries
        .capture_completed(&capture_id, DELIVERY_WAIT)
        .await?;
    step(format!(
        "webhook {} for {} received at {receiver_url} and verified locally (PayPal's signature, event {})",
        event.event_type,
        event.resource.id,
        event.id.as_ref().map_or("?", |id| id.as_str())
    ));
    Ok(())
}

/// An `AUTHORIZE` order for `seller`, approved by the buyer and authorized; the authorization is then
/// captured in full as the final capture, with the platform fee. Returns the capture's id.
async fn authorize_then_capture(
    sandbox: &Sandbox,
    client: &Client,
    seller: &MerchantId,
) -> Result<paypal_partner::ids::CaptureId, Box<dyn std::error::Error>> {
    let amount = Money::parse("USD", "80.00")?;
    let fee = Money::parse("USD", "4.00")?;
    let order =
        OrderRequest::authorize(PurchaseUnitRequest::new(amount.clone()).payee_merchant_id(seller))
            .build()?;
    let created = client
        .orders()
        .create(&order)
        .on_behalf_of(seller)
        .send()
        .await?;
    sandbox.paypal().approve_order(created.id.as_str())?;
    let authorized = client
        .orders()
        .authorize(&created.id)
        .on_behalf_of(seller)
        .send()
        .await?;
    let authorization = authorized
        .authorizations()
        .next()
        .ok_or("the authorized order has no authorization")?;
    step(format!(
        "AUTHORIZE order {} approved by the buyer, authorized as {} for {}",
        created.id,
        authorization.id,
        authorization.amount.as_ref().map_or("?".into(), money)
    ));

    // The fee is taken at capture time: with no amount, the capture takes what is left.
    let request = CaptureRequest::full().platform_fee(fee.clone()).build()?;
    let captured = client
        .authorizations()
        .capture(&authorization.id, &request)
        .on_behalf_of(seller)
        .send()
        .await?;
    let taken = captured
        .seller_receivable_breakdown
        .as_ref()
        .and_then(|b| b.platform_fees.first())
        .map(|f| &f.amount);
    if taken != Some(&fee) {
        return Err(format!("expected a {} platform fee, got {taken:?}", money(&fee)).into());
    }
    step(format!(
        "authorization {} captured in full (final) as {}: {}, platform fee {}",
        authorization.id,
        captured.id,
        captured.amount.as_ref().map_or("?".into(), money),
        money(&fee)
    ));
    Ok(captured.id)
}

/// `USD 80.00`, as the tour prints amounts.
fn money(money: &Money) -> String {
    format!("{} {}", money.currency_code, money.value)
}

fn lookup_text(lookup: &MerchantLookup) -> String {
    match lookup {
        MerchantLookup::Found(found) => format!("found {}", found.merchant_id),
        _ => "pending (the seller has not finished yet)".into(),
    }
}
