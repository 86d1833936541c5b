//! The Procuret simulator: second factor, sessions, signed requests, instalment links, prospective payments.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use partner_sandbox::Sandbox;
use partner_sandbox::procuret::{OTHER_SUPPLIER, SUPPLIER};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

fn sign(api_key: &str, path: &str, unix: i64) -> String {
    let window = unix - unix.rem_euclid(900);
    let mut mac = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()).unwrap();
    mac.update(format!("{window}{path}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

struct Session {
    id: u64,
    api_key: String,
}

async fn login(sandbox: &Sandbox, email: &str, secret: &str, lifecycle: i64) -> Session {
    let client = common::client();
    let base = sandbox.procuret().base_url();
    let response = client
        .post(format!("{base}/second-factor-code"))
        .json(&json!({ "email": email, "plaintext_secret": secret, "agent_id": null, "perspective": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let code = sandbox
        .procuret()
        .last_second_factor_code(email)
        .expect("a code was sent");
    assert_eq!(code.len(), 6);
    // The same code over HTTP, for tests in other languages.
    let origin = base.origin().ascii_serialization();
    let over_http: Value = client
        .get(format!("{origin}/__sandbox/second-factor-codes"))
        .query(&[("email", email)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http["code"], code.as_str());
    let response = client
        .post(format!("{base}/session"))
        .json(&json!({ "email": email, "secret": secret, "perspective": 1, "lifecycle": lifecycle, "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    for field in [
        "session_id",
        "session_key",
        "api_key",
        "lifecycle",
        "perspective",
    ] {
        assert!(body.get(field).is_some(), "{field}");
    }
    let id = body["session_id"].as_u64().unwrap();
    assert!(id < 1 << 63, "63-bit session ids");
    // Codes are single-use.
    let replay = client
        .post(format!("{base}/session"))
        .json(&json!({ "email": email, "secret": secret, "perspective": 1, "lifecycle": lifecycle, "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    Session {
        id,
        api_key: body["api_key"].as_str().unwrap().to_owned(),
    }
}

fn signed(
    client: &reqwest::Client,
    method: reqwest::Method,
    sandbox: &Sandbox,
    session: &Session,
    path: &str,
) -> reqwest::RequestBuilder {
    let signature = sign(&session.api_key, path.split('?').next().unwrap(), now());
    client
        .request(method, format!("{}{path}", sandbox.procuret().base_url()))
        .header("x-procuret-session-id", session.id.to_string())
        .header("x-procuret-signature", signature)
}

#[tokio::test]
async fn signed_instalment_link_flow() {
    let sandbox = common::sandbox().await;
    let session = login(&sandbox, SUPPLIER.email, SUPPLIER.secret, 2).await;
    let client = common::client();
    let created = signed(&client, reqwest::Method::POST, &sandbox, &session, "/instalment-link")
        .json(&json!({ "supplier_id": SUPPLIER.supplier_id, "invoice_amount": "422.42", "invitee_email": "noone@example.org", "invoice_identifier": "INV-42", "communicate": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let link: Value = created.json().await.unwrap();
    assert_eq!(link["invoice_amount"], "422.42");
    assert_eq!(link["supplier"]["entity_id"], SUPPLIER.supplier_id);
    let public_id = link["public_id"].as_str().unwrap().to_owned();
    assert!(
        link["created"].as_str().unwrap().contains(' '),
        "Procuret time format"
    );

    let list: Value = signed(
        &client,
        reqwest::Method::GET,
        &sandbox,
        &session,
        "/instalment-link/list?limit=3&offset=0&order=descending&order_by=created",
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["public_id"], public_id.as_str(), "newest first");
    assert_eq!(list[0]["disposition"]["count"], 6);

    let unopened: Value = signed(
        &client,
        reqwest::Method::GET,
        &sandbox,
        &session,
        "/instalment-link/list?opened=false&limit=50",
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(
        unopened
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["opens"].as_array().unwrap().is_empty())
    );

    let open = client
        .post(format!(
            "{}/instalment-link/open",
            sandbox.procuret().base_url()
        ))
        .json(&json!({ "link_id": public_id }))
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), StatusCode::OK);
    let one: Value = signed(
        &client,
        reqwest::Method::GET,
        &sandbox,
        &session,
        &format!("/instalment-link?public_id={public_id}"),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(one["opens"].as_array().unwrap().len(), 1);

    // Another supplier's link is not visible.
    let other = login(&sandbox, OTHER_SUPPLIER.email, OTHER_SUPPLIER.secret, 2).await;
    let hidden = signed(
        &client,
        reqwest::Method::GET,
        &sandbox,
        &other,
        &format!("/instalment-link?public_id={public_id}"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_signatures_and_amounts_are_refused() {
    let sandbox = common::sandbox().await;
    let session = login(&sandbox, SUPPLIER.email, SUPPLIER.secret, 2).await;
    let client = common::client();
    let base = sandbox.procuret().base_url();
    // Signed over the wrong path (with the /api prefix).
    let wrong = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header(
            "x-procuret-signature",
            sign(&session.api_key, "/api/instalment-link/list", now()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["response-code"], 401);
    assert!(body["error-information"].is_string());
    // Two windows old.
    let stale = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header(
            "x-procuret-signature",
            sign(&session.api_key, "/instalment-link/list", now() - 1800),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
    // The previous window is still accepted.
    let previous = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header(
            "x-procuret-signature",
            sign(&session.api_key, "/instalment-link/list", now() - 900),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(previous.status(), StatusCode::OK);
    // A long-lived session may not send its raw key.
    let raw = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header("x-procuret-api-key", &session.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::UNAUTHORIZED);

    for amount in [
        json!("0"),
        json!("-5.00"),
        json!("1E+3"),
        json!("12.345"),
        json!(12.5),
    ] {
        let response = signed(&client, reqwest::Method::POST, &sandbox, &session, "/instalment-link")
            .json(&json!({ "supplier_id": SUPPLIER.supplier_id, "invoice_amount": amount, "invitee_email": "a@b.example", "invoice_identifier": "X", "communicate": false }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{amount}");
    }
    let not_mine = signed(&client, reqwest::Method::POST, &sandbox, &session, "/instalment-link")
        .json(&json!({ "supplier_id": OTHER_SUPPLIER.supplier_id, "invoice_amount": "10.00", "invitee_email": "a@b.example", "invoice_identifier": "X", "communicate": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(not_mine.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn short_lived_sessions_send_the_raw_key() {
    let sandbox = common::sandbox().await;
    let session = login(&sandbox, SUPPLIER.email, SUPPLIER.secret, 1).await;
    let client = common::client();
    let base = sandbox.procuret().base_url();
    let ok = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header("x-procuret-api-key", &session.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let bad = client
        .get(format!("{base}/instalment-link/list"))
        .header("x-procuret-session-id", session.id.to_string())
        .header("x-procuret-api-key", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_secret_and_missing_auth() {
    let sandbox = common::sandbox().await;
    let client = common::client();
    let base = sandbox.procuret().base_url();
    let response = client
        .post(format!("{base}/second-factor-code"))
        .json(&json!({ "email": SUPPLIER.email, "plaintext_secret": "guess", "agent_id": null, "perspective": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        sandbox
            .procuret()
            .last_second_factor_code(SUPPLIER.email)
            .is_none()
    );
    let anonymous = client
        .get(format!("{base}/instalment-link/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn prospective_payments() {
    let sandbox = common::sandbox().await;
    let client = common::client();
    let base = sandbox.procuret().base_url();
    let one: Value = client
        .get(format!("{base}/credit/prospective-payment"))
        .query(&[
            ("cycle", "2"),
            ("supplier_id", &SUPPLIER.supplier_id.to_string()),
            ("principle", "10000"),
            ("periods", "12"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["payment"], "902.11");
    assert_eq!(one["periods"], 12);
    assert_eq!(one["currency"]["iso_4217"], "AUD");
    let list: Value = client
        .get(format!("{base}/credit/prospective-payment/list"))
        .query(&[
            ("cycle", "1"),
            ("supplier_id", &SUPPLIER.supplier_id.to_string()),
            ("principal_magnitude", "5000"),
            ("denomination", "2"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 3);
    assert!(list.iter().all(|q| q["currency"]["iso_4217"] == "NZD"));
    let too_small = client
        .get(format!("{base}/credit/prospective-payment"))
        .query(&[
            ("cycle", "1"),
            ("supplier_id", &SUPPLIER.supplier_id.to_string()),
            ("principle", "100"),
            ("periods", "12"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(too_small.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn account_debug_redacts_the_secret() {
    let debug = format!("{SUPPLIER:?}");
    assert!(!debug.contains(SUPPLIER.secret));
}
