//! Every vector of `testdata/vectors/procuret_signature_vectors.json` (made with Procuret's own
//! Python library, frozen clock), reproduced byte for byte.

mod common;

use std::sync::Arc;

use base64::Engine as _;
use httpmock::prelude::*;
use partner_core::auth::Authenticator;
use partner_core::bytes::Bytes;
use partner_core::clock::ManualClock;
use procuret::signing::{self, SessionAuthenticator};
use procuret::{
    Client, CommunicationOption, Decimal, Environment, Lifecycle, Perspective, Session,
};
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/vectors/procuret_signature_vectors.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn lifecycle(name: &str) -> Lifecycle {
    match name {
        "LONG_LIVED" => Lifecycle::LongLived,
        "SHORT_LIVED" => Lifecycle::ShortLived,
        other => panic!("unknown lifecycle {other}"),
    }
}

fn session_of(case: &Value) -> Session {
    Session::new(
        case["session_id"].as_i64().unwrap(),
        case["api_key"].as_str().unwrap().into(),
        lifecycle(case["lifecycle"].as_str().unwrap()),
    )
    .unwrap()
}

/// Runs the authenticator on a request to production's `path` and returns the headers it set.
async fn authenticate(case: &Value) -> partner_core::http::HeaderMap {
    let auth = SessionAuthenticator::new(
        session_of(case),
        Arc::new(ManualClock::at_unix(case["unix_time"].as_u64().unwrap())),
        "/api",
    );
    let url = format!("https://procuret.com/api{}", case["path"].as_str().unwrap());
    let mut request = partner_core::http::Request::builder()
        .method("POST")
        .uri(url.as_str())
        .body(Bytes::new())
        .unwrap();
    auth.authenticate(&mut request).await.unwrap();
    request.headers().clone()
}

fn assert_headers_exactly(headers: &partner_core::http::HeaderMap, expected: &Value) {
    let expected = expected.as_object().unwrap();
    for (name, value) in expected {
        assert_eq!(
            headers.get(name.as_str()).map(|v| v.to_str().unwrap()),
            value.as_str(),
            "header {name}"
        );
    }
    assert_eq!(headers.len(), expected.len(), "extra headers: {headers:?}");
}

#[tokio::test]
async fn signature_vectors() {
    let vectors = vectors();
    let cases = vectors["signature_vectors"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let unix = case["unix_time"].as_u64().unwrap();
        let path = case["path"].as_str().unwrap();
        let key = case["api_key"].as_str().unwrap();
        assert_eq!(
            signing::time_window(unix),
            case["time_window"].as_u64().unwrap()
        );
        assert_eq!(
            signing::string_to_sign(unix, path),
            case["string_to_sign"].as_str().unwrap()
        );
        let sig = signing::signature(key, unix, path);
        let mac = base64::engine::general_purpose::STANDARD
            .decode(&sig)
            .unwrap();
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, case["hmac_sha256_hex"].as_str().unwrap());
        assert_headers_exactly(&authenticate(case).await, &case["headers"]);
    }
}

#[tokio::test]
async fn raw_key_vectors() {
    let vectors = vectors();
    let cases = vectors["short_lived_vectors"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        assert_headers_exactly(&authenticate(case).await, &case["headers"]);
    }
}

/// The signature and raw-key vectors again, through the real client and a server.
#[tokio::test]
async fn auth_vectors_through_the_client() {
    let vectors = vectors();
    let server = MockServer::start_async().await;
    let all = vectors["signature_vectors"]
        .as_array()
        .unwrap()
        .iter()
        .chain(vectors["short_lived_vectors"].as_array().unwrap());
    for case in all {
        let path = case["path"].as_str().unwrap();
        let unix = case["unix_time"].as_u64().unwrap();
        let headers = case["headers"].as_object().unwrap().clone();
        let mut mock = server
            .mock_async(|when, then| {
                let mut when = when.method(GET).path(format!("/api{path}"));
                for (name, value) in &headers {
                    when = when.header(name.as_str(), value.as_str().unwrap());
                }
                for name in [
                    "x-procuret-signature",
                    "x-procuret-api-key",
                    "x-procuret-forwarded-agent",
                ] {
                    if !headers.contains_key(name) {
                        when = when.header_missing(name);
                    }
                }
                then.status(200).json_body(serde_json::json!({
                    "public_id": "abc", "invoice_amount": "1", "extra": true
                }));
            })
            .await;
        let client = common::with_session(&server, session_of(case), ManualClock::at_unix(unix));
        // `instalment-link` and `instalment-link/list` are the vectors' paths; a GET of the single
        // link reaches the first, a list page the second.
        match path {
            "/instalment-link" => {
                client.instalment_links().get("abc").send().await.unwrap();
            }
            "/instalment-link/list" => {
                mock.delete_async().await;
                mock = server
                    .mock_async(|when, then| {
                        let mut when = when.method(GET).path("/api/instalment-link/list");
                        for (name, value) in &headers {
                            when = when.header(name.as_str(), value.as_str().unwrap());
                        }
                        then.status(200).json_body(serde_json::json!([]));
                    })
                    .await;
                client.instalment_links().list().send().await.unwrap();
            }
            other => panic!("no call reaches vector path {other}"),
        }
        mock.assert_async().await;
        mock.delete_async().await;
    }
}

/// Removes the whitespace Python's `json.dumps` puts between tokens, keeping key order.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn full_request_vectors() {
    let vectors = vectors();
    let cases = vectors["request_vectors"].as_array().unwrap();
    assert!(!cases.is_empty());
    let server = MockServer::start_async().await;
    for case in cases {
        let label = case["label"].as_str().unwrap();
        let url = url::Url::parse(case["url"].as_str().unwrap()).unwrap();
        assert_eq!(url.origin().ascii_serialization(), "https://procuret.com");
        let body_text = case["body"].as_str().unwrap();
        let body: Value = serde_json::from_str(body_text).unwrap();
        let headers = case["headers"].as_object().unwrap().clone();
        let signed = headers.contains_key("x-procuret-session-id");
        let mock = server
            .mock_async(|when, then| {
                let mut when = when
                    .method(case["method"].as_str().unwrap())
                    .path(url.path())
                    // Same keys, same order, same values: only Python's spaces differ.
                    .body(compact(body_text))
                    .json_body(body.clone())
                    .header_prefix("user-agent", "procuret/");
                for (name, value) in &headers {
                    if name != "user-agent" {
                        when = when.header(name.as_str(), value.as_str().unwrap());
                    }
                }
                if !signed {
                    when.header_missing("x-procuret-session-id")
                        .header_missing("x-procuret-signature")
                        .header_missing("x-procuret-api-key");
                }
                let answer = match label {
                    l if l.starts_with("Session.") => serde_json::json!({
                        "session_id": 7212399413384927723i64, "session_key": "sk",
                        "api_key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "lifecycle": 2, "perspective": 1
                    }),
                    l if l.starts_with("InstalmentLink.") => common::fixture("instalment_link.json"),
                    _ => serde_json::json!({}),
                };
                then.status(200).json_body(answer);
            })
            .await;
        let clock = ManualClock::at_unix(case["unix_time"].as_u64().unwrap());
        let environment = Environment::custom(&server.url("/api")).unwrap();
        let client = Client::builder()
            .environment(environment)
            .clock(Arc::new(clock.clone()))
            .build()
            .unwrap();
        match label {
            "SecondFactorCode.create_with_email" => {
                client
                    .second_factor_code()
                    .email(body["email"].as_str().unwrap())
                    .passphrase(body["plaintext_secret"].as_str().unwrap())
                    .perspective(Perspective::from_i64(body["perspective"].as_i64().unwrap()))
                    .send()
                    .await
                    .unwrap();
            }
            "Session.create_with_email" => {
                let session = client
                    .sessions()
                    .create(
                        &procuret::NewSession::builder()
                            .email(body["email"].as_str().unwrap())
                            .passphrase(body["secret"].as_str().unwrap())
                            .perspective(Perspective::from_i64(
                                body["perspective"].as_i64().unwrap(),
                            ))
                            .lifecycle(Lifecycle::from_i64(body["lifecycle"].as_i64().unwrap()))
                            .code(body["code"].as_str().unwrap())
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(session.session_id(), 7212399413384927723);
            }
            "InstalmentLink.create (long-lived)" => {
                let session = Session::new(
                    headers["x-procuret-session-id"]
                        .as_str()
                        .unwrap()
                        .parse()
                        .unwrap(),
                    common::API_KEY.into(),
                    Lifecycle::LongLived,
                )
                .unwrap();
                let client = client.with_session(session).unwrap();
                let communication = if body["communicate"].as_bool().unwrap() {
                    CommunicationOption::EmailCustomer
                } else {
                    CommunicationOption::DoNotContact
                };
                client
                    .instalment_links()
                    .create(
                        &procuret::NewInstalmentLink::builder()
                            .supplier_id(body["supplier_id"].as_i64().unwrap())
                            .invoice_amount(
                                body["invoice_amount"]
                                    .as_str()
                                    .unwrap()
                                    .parse::<Decimal>()
                                    .unwrap(),
                            )
                            .invitee_email(body["invitee_email"].as_str().unwrap())
                            .invoice_identifier(body["invoice_identifier"].as_str().unwrap())
                            .communication(communication)
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .unwrap();
            }
            other => panic!("request vector `{other}` has no reproduction in this test"),
        }
        mock.assert_async().await;
        mock.delete_async().await;
    }
}

#[test]
fn decode_check() {
    let vectors = vectors();
    let check = &vectors["decode_check"];
    let url = check["instalment_link_url"].as_str().unwrap();
    let public_id = url.rsplit("il=").next().unwrap();
    assert_eq!(
        Environment::Production
            .instalment_link_url(public_id)
            .unwrap()
            .as_str(),
        url
    );
    let amount: Decimal = check["invoice_amount"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        procuret::amount::to_wire(amount),
        check["invoice_amount"].as_str().unwrap()
    );
    assert_eq!(
        procuret::Denomination::Aud.iso_4217(),
        check["currency"].as_str()
    );
}
