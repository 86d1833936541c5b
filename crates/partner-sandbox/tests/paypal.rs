//! The PayPal simulator: OAuth, onboarding through the sign-up page, merchant status, orders, refunds,
//! referenced payouts and signed webhooks.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use partner_sandbox::paypal::{CardVetting, HelperError, SellerChoices};
use partner_sandbox::{Sandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn token(sandbox: &Sandbox) -> String {
    let creds = sandbox.paypal().credentials();
    let response = common::client()
        .post(sandbox.paypal().base_url().join("v1/oauth2/token").unwrap())
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    for field in [
        "scope",
        "access_token",
        "token_type",
        "app_id",
        "expires_in",
        "nonce",
    ] {
        assert!(
            body.get(field).is_some(),
            "token response lacks {field}: {body}"
        );
    }
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

fn url(sandbox: &Sandbox, path: &str) -> String {
    sandbox
        .paypal()
        .base_url()
        .join(path.trim_start_matches('/'))
        .unwrap()
        .to_string()
}

async fn create_referral(sandbox: &Sandbox, token: &str, tracking_id: &str) -> Value {
    let body = json!({
        "tracking_id": tracking_id,
        "email": "seller@example.com",
        "operations": [{
            "operation": "API_INTEGRATION",
            "api_integration_preference": { "rest_api_integration": {
                "integration_method": "PAYPAL",
                "integration_type": "THIRD_PARTY",
                "third_party_details": { "features": ["PAYMENT", "REFUND", "PARTNER_FEE", "DELAY_FUNDS_DISBURSEMENT"] }
            } }
        }],
        "products": ["PPCP"],
        "legal_consents": [{ "type": "SHARE_DATA_CONSENT", "granted": true }],
        "partner_config_override": { "return_url": "https://partner.example.com/paypal/return?shop=42" }
    });
    let response = common::client()
        .post(url(sandbox, "/v2/customer/partner-referrals"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn link<'a>(links: &'a Value, rel: &str) -> &'a str {
    links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == rel)
        .unwrap()["href"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn token_requires_the_sandbox_credentials() {
    let sandbox = common::sandbox().await;
    let response = common::client()
        .post(url(&sandbox, "/v1/oauth2/token"))
        .basic_auth("sandbox-paypal-client-id", Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");

    let response = common::client()
        .get(url(&sandbox, "/v2/customer/partner-referrals/nope"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "AUTHENTICATION_FAILURE");
}

#[tokio::test]
async fn onboarding_round_trip_through_the_signup_page() {
    let sandbox = common::sandbox().await;
    let token = token(&sandbox).await;
    let client = common::client();
    let partner_id = &sandbox.paypal().credentials().partner_id;
    let by_tracking = url(
        &sandbox,
        &format!("/v1/customer/partners/{partner_id}/merchant-integrations"),
    );

    let created = create_referral(&sandbox, &token, "seller-1001").await;
    let self_url = link(&created["links"], "self");
    let action_url = link(&created["links"], "action_url");
    assert!(
        action_url.starts_with(sandbox.paypal().base_url().as_str()),
        "{action_url}"
    );

    let referral: Value = client
        .get(self_url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(referral["referral_data"]["tracking_id"], "seller-1001");
    assert_eq!(referral["submitter_payer_id"], partner_id.as_str());

    // Before the seller finishes: 404 RESOURCE_NOT_FOUND.
    let pending = client
        .get(&by_tracking)
        .query(&[("tracking_id", "seller-1001")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(pending.status(), StatusCode::NOT_FOUND);
    assert!(pending.headers().contains_key("paypal-debug-id"));
    let body: Value = pending.json().await.unwrap();
    assert_eq!(body["name"], "RESOURCE_NOT_FOUND");

    // The seller's browser: the page, then the form.
    let page = client.get(action_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form") && html.contains("card_vetting") && html.contains("IN_REVIEW"));
    let token_field = url::Url::parse(action_url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "referralToken")
        .unwrap()
        .1
        .into_owned();
    assert!(html.contains(&token_field));
    let submit = client
        .post(url(&sandbox, "/bizsignup/partner/entry"))
        .form(&[
            ("referralToken", token_field.as_str()),
            ("email_confirmed", "yes"),
            ("permissions_granted", "yes"),
            ("card_vetting", "SUBSCRIBED"),
            ("payments_receivable", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(submit.status(), StatusCode::SEE_OTHER);
    let location = url::Url::parse(submit.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.host_str(), Some("partner.example.com"));
    let query: HashMap<String, String> = location.query_pairs().into_owned().collect();
    assert_eq!(query["shop"], "42");
    assert_eq!(query["merchantId"], "seller-1001");
    assert_eq!(query["permissionsGranted"], "true");
    assert_eq!(query["consentStatus"], "true");
    assert_eq!(query["isEmailConfirmed"], "true");
    assert_eq!(query["accountStatus"], "BUSINESS_ACCOUNT");
    assert!(query.contains_key("productIntentID"));
    let merchant_id = query["merchantIdInPayPal"].clone();
    assert_eq!(merchant_id.len(), 13);

    // The link is single-use.
    let again = client.get(action_url).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let found: Value = client
        .get(&by_tracking)
        .query(&[("tracking_id", "seller-1001")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["merchant_id"], merchant_id.as_str());
    assert_eq!(found["tracking_id"], "seller-1001");
    let status_url = found["links"][0]["href"].as_str().unwrap();

    let status: Value = client
        .get(status_url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["merchant_id"], merchant_id.as_str());
    assert_eq!(status["payments_receivable"], true);
    assert_eq!(status["primary_email_confirmed"], true);
    let products = status["products"].as_array().unwrap();
    let custom = products
        .iter()
        .find(|p| p["name"] == "PPCP_CUSTOM")
        .unwrap();
    assert_eq!(custom["vetting_status"], "SUBSCRIBED");
    assert!(products.iter().any(|p| p["name"] == "PPCP_STANDARD"));
    let caps = status["capabilities"].as_array().unwrap();
    assert!(
        caps.iter()
            .any(|c| c["name"] == "CUSTOM_CARD_PROCESSING" && c["status"] == "ACTIVE")
    );
    assert!(
        !status["oauth_integrations"][0]["oauth_third_party"][0]["scopes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(status["limitations"].as_array().unwrap().is_empty());

    // partner_id must be the partner's merchant id, not its client id.
    let wrong = client
        .get(url(
            &sandbox,
            &format!(
                "/v1/customer/partners/{}/merchant-integrations/{merchant_id}",
                sandbox.paypal().credentials().client_id
            ),
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn status_follows_what_the_seller_chose() {
    let sandbox = common::sandbox().await;
    let token = token(&sandbox).await;
    let created = create_referral(&sandbox, &token, "seller-limited").await;
    let referral_id = link(&created["links"], "self")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let merchant_id = sandbox
        .paypal()
        .complete_onboarding(
            &referral_id,
            SellerChoices {
                email_confirmed: false,
                permissions_granted: false,
                card_vetting: CardVetting::Denied,
                payments_receivable: false,
            },
        )
        .unwrap();
    assert_eq!(
        sandbox
            .paypal()
            .merchant_id_for("seller-limited")
            .as_deref(),
        Some(merchant_id.as_str())
    );
    let partner_id = &sandbox.paypal().credentials().partner_id;
    let status: Value = common::client()
        .get(url(
            &sandbox,
            &format!("/v1/customer/partners/{partner_id}/merchant-integrations/{merchant_id}"),
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["primary_email_confirmed"], false);
    assert_eq!(status["payments_receivable"], false);
    assert!(
        status["oauth_integrations"][0]["oauth_third_party"][0]["scopes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let custom = status["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "PPCP_CUSTOM")
        .unwrap()
        .clone();
    assert_eq!(custom["vetting_status"], "DENIED");
    assert!(
        !status["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "CUSTOM_CARD_PROCESSING")
    );
    assert!(!status["limitations"].as_array().unwrap().is_empty());
    let action_url = link(&created["links"], "action_url");
    assert_eq!(
        sandbox
            .paypal()
            .complete_onboarding(action_url, SellerChoices::default()),
        Err(HelperError::AlreadyCompleted)
    );
    assert_eq!(
        sandbox
            .paypal()
            .complete_onboarding("nope", SellerChoices::default()),
        Err(HelperError::UnknownReferral)
    );
}

#[tokio::test]
async fn referral_validation_uses_paypal_errors() {
    let sandbox = common::sandbox().await;
    let token = token(&sandbox).await;
    let response = common::client()
        .post(url(&sandbox, "/v2/customer/partner-referrals"))
        .bearer_auth(&token)
        .json(&json!({ "tracking_id": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "INVALID_REQUEST");
    assert_eq!(body["details"][0]["field"], "/operations");
    assert_eq!(body["details"][0]["issue"], "MISSING_REQUIRED_PARAMETER");
    assert!(body["debug_id"].is_string());
}

async fn onboard(sandbox: &Sandbox, token: &str, tracking_id: &str) -> String {
    let created = create_referral(sandbox, token, tracking_id).await;
    let referral_id = link(&created["links"], "self")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    sandbox
        .paypal()
        .complete_onboarding(&referral_id, SellerChoices::default())
        .unwrap()
}

#[tokio::test]
async fn orders_capture_refund_and_release_delayed_funds() {
    let sandbox =
        Sandbox::start(SandboxConfig::new().paypal_payout_processing(Duration::from_millis(1000)))
            .await
            .unwrap();
    let token = token(&sandbox).await;
    let merchant = onboard(&sandbox, &token, "seller-orders").await;
    let client = common::client();
    let order_body = json!({
        "intent": "CAPTURE",
        "purchase_units": [{
            "amount": { "currency_code": "USD", "value": "100.00" },
            "payee": { "merchant_id": merchant },
            "payment_instruction": {
                "disbursement_mode": "DELAYED",
                "platform_fees": [{ "amount": { "currency_code": "USD", "value": "5.00" } }]
            }
        }]
    });
    let create = |key: &'static str| {
        client
            .post(url(&sandbox, "/v2/checkout/orders"))
            .bearer_auth(&token)
            .header("PayPal-Request-Id", key)
            .header("Prefer", "return=representation")
            .json(&order_body)
            .send()
    };
    let first = create("order-key-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let order: Value = first.json().await.unwrap();
    assert_eq!(order["status"], "CREATED");
    assert_eq!(order["purchase_units"][0]["reference_id"], "default");
    let replay: Value = create("order-key-1").await.unwrap().json().await.unwrap();
    assert_eq!(
        replay["id"], order["id"],
        "same PayPal-Request-Id, same order"
    );
    let other: Value = create("order-key-2").await.unwrap().json().await.unwrap();
    assert_ne!(other["id"], order["id"]);

    let order_id = order["id"].as_str().unwrap();
    let capture_url = url(&sandbox, &format!("/v2/checkout/orders/{order_id}/capture"));
    let early = client
        .post(&capture_url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let early: Value = early.json().await.unwrap();
    assert_eq!(early["details"][0]["issue"], "ORDER_NOT_APPROVED");

    // The buyer approves on the approve link's page.
    let approve = link(&order["links"], "approve").to_owned();
    assert_eq!(
        client.get(&approve).send().await.unwrap().status(),
        StatusCode::OK
    );
    let approved = client
        .post(url(&sandbox, "/checkoutnow"))
        .form(&[("token", order_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::OK);

    let captured = client
        .post(&capture_url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(captured.status(), StatusCode::CREATED);
    let captured: Value = captured.json().await.unwrap();
    assert_eq!(captured["status"], "COMPLETED");
    let capture = &captured["purchase_units"][0]["payments"]["captures"][0];
    assert_eq!(capture["status"], "COMPLETED");
    assert_eq!(capture["disbursement_mode"], "DELAYED");
    assert_eq!(
        capture["seller_receivable_breakdown"]["platform_fees"][0]["amount"]["value"],
        "5.00"
    );
    let capture_id = capture["id"].as_str().unwrap().to_owned();

    // Referenced payout: PROCESSING, then 409 while it runs, then 422.
    let payout = || {
        client
            .post(url(&sandbox, "/v1/payments/referenced-payouts-items"))
            .bearer_auth(&token)
            .json(&json!({ "reference_id": capture_id, "reference_type": "TRANSACTION_ID" }))
            .send()
    };
    let first = payout().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let item: Value = first.json().await.unwrap();
    assert_eq!(item["processing_state"]["status"], "PROCESSING");
    let busy = payout().await.unwrap();
    assert_eq!(busy.status(), StatusCode::CONFLICT);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let item_url = link(&item["links"], "self").to_owned();
    let done: Value = client
        .get(&item_url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done["processing_state"]["status"], "SUCCESS");
    assert_eq!(
        payout().await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Refunds: partial, then too much, then the rest.
    let refund_url = url(
        &sandbox,
        &format!("/v2/payments/captures/{capture_id}/refund"),
    );
    let partial = client
        .post(&refund_url)
        .bearer_auth(&token)
        .json(&json!({ "amount": { "currency_code": "USD", "value": "40.00" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), StatusCode::CREATED);
    let too_much = client
        .post(&refund_url)
        .bearer_auth(&token)
        .json(&json!({ "amount": { "currency_code": "USD", "value": "60.01" } }))
        .send()
        .await
        .unwrap();
    assert_eq!(too_much.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let rest: Value = client
        .post(&refund_url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest["amount"]["value"], "60.00");
    let capture_now: Value = client
        .get(url(
            &sandbox,
            &format!("/v2/payments/captures/{capture_id}"),
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(capture_now["status"], "REFUNDED");
}

#[tokio::test]
async fn instant_captures_cannot_be_released() {
    let sandbox = common::sandbox().await;
    let token = token(&sandbox).await;
    let client = common::client();
    let order: Value = client
        .post(url(&sandbox, "/v2/checkout/orders"))
        .bearer_auth(&token)
        .json(&json!({ "intent": "CAPTURE", "purchase_units": [{ "amount": { "currency_code": "USD", "value": "10.00" } }] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Prefer return=minimal (the default) gives id, status and links only.
    assert!(order.get("purchase_units").is_none());
    let id = order["id"].as_str().unwrap();
    sandbox.paypal().approve_order(id).unwrap();
    let captured: Value = client
        .post(url(&sandbox, &format!("/v2/checkout/orders/{id}/capture")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let capture_id = captured["purchase_units"][0]["payments"]["captures"][0]["id"]
        .as_str()
        .unwrap();
    let release = client
        .post(url(&sandbox, "/v1/payments/referenced-payouts-items"))
        .bearer_auth(&token)
        .header("Prefer", "respond-async")
        .json(&json!({ "reference_id": capture_id, "reference_type": "TRANSACTION_ID" }))
        .send()
        .await
        .unwrap();
    assert_eq!(release.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

fn assertion(iss: &str, payer_id: &str) -> String {
    let header = STANDARD.encode(br#"{"alg":"none"}"#);
    let payload = STANDARD.encode(json!({ "iss": iss, "payer_id": payer_id }).to_string());
    format!("{header}.{payload}.")
}

#[tokio::test]
async fn auth_assertion_names_the_seller() {
    let sandbox = common::sandbox().await;
    let token = token(&sandbox).await;
    let merchant = onboard(&sandbox, &token, "seller-assertion").await;
    let client_id = sandbox.paypal().credentials().client_id.clone();
    let create = |assertion: String| {
        common::client()
            .post(url(&sandbox, "/v2/checkout/orders"))
            .bearer_auth(&token)
            .header("PayPal-Auth-Assertion", assertion)
            .header("Prefer", "return=representation")
            .json(&json!({ "intent": "CAPTURE", "purchase_units": [{ "amount": { "currency_code": "USD", "value": "1.00" } }] }))
            .send()
    };
    let ok = create(assertion(&client_id, &merchant)).await.unwrap();
    assert_eq!(ok.status(), StatusCode::CREATED);
    let order: Value = ok.json().await.unwrap();
    assert_eq!(
        order["purchase_units"][0]["payee"]["merchant_id"],
        merchant.as_str()
    );
    for bad in [
        assertion("someone-else", &merchant),
        assertion(&client_id, "UNKNOWNSELLER"),
        assertion(&client_id, &merchant)
            .trim_end_matches('.')
            .to_owned()
            + ".c2lnbmVk",
    ] {
        let refused = create(bad).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["name"], "PERMISSION_DENIED");
    }
}

fn public_key_from_cert(pem: &str) -> Vec<u8> {
    use x509_cert::der::DecodePem;
    let cert = x509_cert::Certificate::from_pem(pem.as_bytes()).unwrap();
    cert.tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
        .to_vec()
}

#[tokio::test]
async fn webhooks_are_signed_like_paypal_and_verify_with_the_served_certificate() {
    let receiver = common::Receiver::start().await;
    let configured = common::Receiver::start().await;
    let sandbox =
        Sandbox::start(SandboxConfig::new().paypal_webhook_url(configured.url.parse().unwrap()))
            .await
            .unwrap();
    let token = token(&sandbox).await;
    let client = common::client();
    let registered = client
        .post(url(&sandbox, "/v1/notifications/webhooks"))
        .bearer_auth(&token)
        .json(&json!({ "url": receiver.url, "event_types": [{ "name": "MERCHANT.ONBOARDING.COMPLETED" }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    let registered: Value = registered.json().await.unwrap();
    let webhook_id = registered["id"].as_str().unwrap().to_owned();

    let merchant = onboard(&sandbox, &token, "seller-hooks").await;
    let got = receiver.wait_for(1).await;
    let delivery = &got[0];
    let header = |n: &str| {
        delivery
            .headers
            .get(n)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(header("paypal-auth-algo"), "SHA256withRSA");
    let time = header("paypal-transmission-time");
    assert!(time.ends_with('Z') && time.contains('T'), "{time}");
    let cert_url = header("paypal-cert-url");
    assert_eq!(cert_url, sandbox.paypal().cert_url().as_str());
    let event: Value = serde_json::from_slice(&delivery.body).unwrap();
    assert_eq!(event["event_type"], "MERCHANT.ONBOARDING.COMPLETED");
    assert_eq!(event["resource"]["merchant_id"], merchant.as_str());
    assert_eq!(event["resource"]["tracking_id"], "seller-hooks");

    // Self-verification with the served certificate.
    let pem = client
        .get(&cert_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(pem, sandbox.paypal().cert_pem());
    let public_key = public_key_from_cert(&pem);
    let message = format!(
        "{}|{}|{}|{}",
        header("paypal-transmission-id"),
        time,
        webhook_id,
        crc32fast::hash(&delivery.body)
    );
    let signature = STANDARD.decode(header("paypal-transmission-sig")).unwrap();
    let key = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        &public_key,
    );
    key.verify(message.as_bytes(), &signature)
        .expect("signature verifies with the served certificate");
    let wrong_id = message.replace(&webhook_id, "WH-OTHER");
    assert!(key.verify(wrong_id.as_bytes(), &signature).is_err());

    // The configured URL got it too, signed with the configured webhook id.
    let configured_got = configured.wait_for(1).await;
    let c = &configured_got[0];
    let h = |n: &str| c.headers.get(n).unwrap().to_str().unwrap().to_owned();
    let message = format!(
        "{}|{}|{}|{}",
        h("paypal-transmission-id"),
        h("paypal-transmission-time"),
        sandbox.paypal().credentials().webhook_id,
        crc32fast::hash(&c.body)
    );
    key.verify(
        message.as_bytes(),
        &STANDARD.decode(h("paypal-transmission-sig")).unwrap(),
    )
    .unwrap();

    // Postback verification: the raw event spliced in unmodified succeeds; a changed one fails.
    let raw = String::from_utf8(delivery.body.to_vec()).unwrap();
    let postback = |event_text: String, sig: String| {
        let body = format!(
            r#"{{"auth_algo":"SHA256withRSA","cert_url":{},"transmission_id":{},"transmission_sig":{},"transmission_time":{},"webhook_id":{},"webhook_event":{}}}"#,
            json!(cert_url),
            json!(header("paypal-transmission-id")),
            json!(sig),
            json!(time),
            json!(webhook_id),
            event_text
        );
        client
            .post(url(&sandbox, "/v1/notifications/verify-webhook-signature"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let ok: Value = postback(raw.clone(), header("paypal-transmission-sig"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["verification_status"], "SUCCESS");
    let reserialised = serde_json::to_string_pretty(&event).unwrap();
    let bad: Value = postback(reserialised, header("paypal-transmission-sig"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bad["verification_status"], "FAILURE");
    let bad_sig: Value = postback(raw, STANDARD.encode([1u8; 256]))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bad_sig["verification_status"], "FAILURE");
    assert!(
        sandbox
            .paypal()
            .webhook_deliveries()
            .iter()
            .any(|d| d.event_type == "MERCHANT.ONBOARDING.COMPLETED")
    );
}

#[tokio::test]
async fn capture_sends_payment_capture_completed() {
    let receiver = common::Receiver::start().await;
    let sandbox =
        Sandbox::start(SandboxConfig::new().paypal_webhook_url(receiver.url.parse().unwrap()))
            .await
            .unwrap();
    let token = token(&sandbox).await;
    let client = common::client();
    let order: Value = client
        .post(url(&sandbox, "/v2/checkout/orders"))
        .bearer_auth(&token)
        .json(&json!({ "intent": "CAPTURE", "purchase_units": [{ "amount": { "currency_code": "EUR", "value": "12.34" } }] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = order["id"].as_str().unwrap();
    sandbox.paypal().approve_order(id).unwrap();
    let response = client
        .post(url(&sandbox, &format!("/v2/checkout/orders/{id}/capture")))
        .bearer_auth(&token)
        .header("PayPal-Request-Id", "cap-1")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let got = receiver.wait_for(1).await;
    let event: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(event["event_type"], "PAYMENT.CAPTURE.COMPLETED");
    assert_eq!(event["resource"]["amount"]["value"], "12.34");
    // Replaying the capture with the same key answers the same result, not ORDER_ALREADY_CAPTURED.
    let replay = client
        .post(url(&sandbox, &format!("/v2/checkout/orders/{id}/capture")))
        .bearer_auth(&token)
        .header("PayPal-Request-Id", "cap-1")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::OK);
}

#[test]
fn credentials_debug_redacts_the_secret() {
    let creds = partner_sandbox::paypal::PaypalCredentials::default();
    let debug = format!("{creds:?}");
    assert!(!debug.contains(&creds.client_secret));
    assert!(debug.contains("REDACTED"));
}
