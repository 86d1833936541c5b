//! The Leanpub affiliate simulator: key check, validation codes, sandbox semantics, gateway errors.

mod common;

use partner_sandbox::leanpub::{self, StatusMode};
use partner_sandbox::{Sandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn request(partner: &str, origin: &str, product: &str) -> Value {
    json!({
        "productId": product,
        "partnerId": partner,
        "origin": origin,
        "transactionId": "order-1001",
        "recipient": { "firstName": "Zoë", "lastName": "Müller", "email": "zoe@example.com" }
    })
}

async fn send(sandbox: &Sandbox, key: &str, body: &Value) -> (StatusCode, Option<String>, Value) {
    let response = common::client()
        .post(sandbox.leanpub().endpoint_url())
        .header("x-api-key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-amzn-requestid")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, request_id, response.json().await.unwrap())
}

#[tokio::test]
async fn accepted_in_sandbox_mode_by_default() {
    let sandbox = common::sandbox().await;
    let body = request(
        leanpub::SANDBOX_PARTNER_ID,
        leanpub::SANDBOX_PARTNER_ORIGINS[0],
        leanpub::PRODUCT_IDS[0],
    );
    let (status, request_id, reply) = send(&sandbox, leanpub::API_KEY, &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["code"], 0);
    assert!(reply["message"].is_string());
    assert_eq!(reply["requestId"].as_str(), request_id.as_deref());
    let accepted = sandbox.leanpub().accepted_requests();
    assert_eq!(accepted.len(), 1);
    assert!(accepted[0].sandbox);
    assert_eq!(accepted[0].recipient.first_name, "Zoë");
    assert_eq!(accepted[0].transaction_id.as_deref(), Some("order-1001"));
    let over_http: Value = common::client()
        .get(
            sandbox
                .leanpub()
                .base_url()
                .join("__sandbox/accepted-requests")
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http[0]["requestId"], accepted[0].request_id.as_str());
    assert_eq!(over_http[0]["sandboxMode"], true);
}

#[tokio::test]
async fn every_documented_code() {
    let sandbox = common::sandbox().await;
    let good = request(
        leanpub::SANDBOX_PARTNER_ID,
        leanpub::SANDBOX_PARTNER_ORIGINS[0],
        leanpub::PRODUCT_IDS[0],
    );
    let mut cases: Vec<(&str, Value, u16)> = Vec::new();
    cases.push(("wrong-key", good.clone(), 403));
    let mut no_partner = good.clone();
    no_partner.as_object_mut().unwrap().remove("partnerId");
    cases.push((leanpub::API_KEY, no_partner, 402));
    cases.push((
        leanpub::API_KEY,
        request("nobody", "shop.example.com", leanpub::PRODUCT_IDS[0]),
        401,
    ));
    cases.push((
        leanpub::API_KEY,
        request(
            leanpub::SANDBOX_PARTNER_ID,
            "evil.example.com",
            leanpub::PRODUCT_IDS[0],
        ),
        404,
    ));
    cases.push((
        leanpub::API_KEY,
        request(
            leanpub::SANDBOX_PARTNER_ID,
            "shop.example.com",
            "no-such-book",
        ),
        405,
    ));
    let mut bad_recipient = good.clone();
    bad_recipient["recipient"]["email"] = json!("not-an-email");
    cases.push((leanpub::API_KEY, bad_recipient, 406));
    let mut emoji = good.clone();
    emoji["recipient"]["firstName"] = json!("Zoë 😀");
    cases.push((leanpub::API_KEY, emoji, 406));
    let mut production = good.clone();
    production["sandboxMode"] = json!(false);
    cases.push((leanpub::API_KEY, production, 407));
    for (key, body, code) in cases {
        let (status, request_id, reply) = send(&sandbox, key, &body).await;
        assert_eq!(reply["code"], code, "{body}");
        assert_eq!(status.as_u16(), code);
        assert!(request_id.is_some());
        assert!(reply["requestId"].is_string());
    }
    assert!(sandbox.leanpub().accepted_requests().is_empty());

    let mut production = request(
        leanpub::PRODUCTION_PARTNER_ID,
        leanpub::PRODUCTION_PARTNER_ORIGIN,
        leanpub::PRODUCT_IDS[1],
    );
    production["sandboxMode"] = json!(false);
    let (status, _, reply) = send(&sandbox, leanpub::API_KEY, &production).await;
    assert_eq!((status, reply["code"].as_i64()), (StatusCode::OK, Some(0)));
    assert!(!sandbox.leanpub().accepted_requests()[0].sandbox);
}

#[tokio::test]
async fn always_200_mode() {
    let sandbox = Sandbox::start(SandboxConfig::new().leanpub_status_mode(StatusMode::Always200))
        .await
        .unwrap();
    let (status, _, reply) = send(
        &sandbox,
        leanpub::API_KEY,
        &request("nobody", "shop.example.com", leanpub::PRODUCT_IDS[0]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["code"], 401);
}

#[tokio::test]
async fn other_methods_and_paths_get_the_gateway_answer() {
    let sandbox = common::sandbox().await;
    let client = common::client();
    for response in [
        client
            .get(sandbox.leanpub().endpoint_url())
            .send()
            .await
            .unwrap(),
        client
            .post(
                sandbox
                    .leanpub()
                    .base_url()
                    .join("api/v2/partner-discount-request")
                    .unwrap(),
            )
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "MissingAuthenticationTokenException"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, json!({ "message": "Missing Authentication Token" }));
    }
}
