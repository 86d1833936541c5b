//! Local webhook verification with a test key pair and certificate (see fixtures/README.md).
mod common;
mod signed_delivery;

use std::time::Duration;

use base64::Engine as _;
use paypal_partner::webhooks::{Event, WebhookError, WebhookHeaders, WebhookVerifier};
use signed_delivery::*;

// Odd spacing on purpose: the CRC32 is of the bytes as received.
const BODY: &str = r#"{"id":"WH-2WR32451HC0233532-67976317FL4543714","event_version":"1.0","create_time":"2030-01-01T00:00:00.000Z","resource_type":"merchant-onboarding",  "event_type":"MERCHANT.ONBOARDING.COMPLETED","summary":"The merchant account setup is completed","resource":{"partner_client_id":"partner-client-id","merchant_id":"8LQLM2ML4ZTYU","tracking_id":"seller-42","links":[]},"links":[]}"#;

#[tokio::test]
async fn a_valid_signature_passes_and_the_certificate_is_cached() {
    let f = fixture().await;
    let cert = serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let v = verifier(&f.client);
    v.verify_delivery(&h, BODY.as_bytes()).await.unwrap();
    // Another delivery (PayPal's retry of the event is a new transmission) reuses the certificate.
    let retry = signed_headers(
        "retry-1",
        SENT_AT,
        &f.server.url(CERT_PATH),
        BODY.as_bytes(),
    );
    let event = v
        .clone()
        .verify_event(&retry, BODY.as_bytes())
        .await
        .unwrap();
    let Event::OnboardingCompleted(done) = event else {
        panic!("{event:?}")
    };
    assert_eq!(
        done.resource.merchant_id.as_ref().map(|id| id.as_str()),
        Some("8LQLM2ML4ZTYU")
    );
    assert_eq!(
        done.resource.tracking_id.as_ref().map(|id| id.as_str()),
        Some("seller-42")
    );
    cert.assert_calls_async(1).await;
}

#[tokio::test]
async fn any_change_breaks_the_signature() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let good = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let v = verifier(&f.client);
    let mismatch = |r: Result<(), WebhookError>| matches!(r, Err(WebhookError::SignatureMismatch));

    // One flipped byte of the body (same length, whitespace included).
    let mut body = BODY.as_bytes().to_vec();
    body[BODY.find("  ").unwrap()] = b'\t';
    assert!(mismatch(v.verify_delivery(&good, &body).await));
    let mut body = BODY.as_bytes().to_vec();
    *body.last_mut().unwrap() ^= 0x01;
    assert!(mismatch(v.verify_delivery(&good, &body).await));

    // One flipped byte of the signature.
    let mut sig = base64::engine::general_purpose::STANDARD
        .decode(&good.transmission_sig)
        .unwrap();
    sig[10] ^= 0x01;
    let mut h = good.clone();
    h.transmission_sig = base64::engine::general_purpose::STANDARD.encode(sig);
    assert!(mismatch(v.verify_delivery(&h, BODY.as_bytes()).await));

    // The transmission id.
    let mut h = good.clone();
    h.transmission_id.replace_range(0..1, "c");
    assert!(mismatch(v.verify_delivery(&h, BODY.as_bytes()).await));

    // The transmission time (one second, well inside the tolerance).
    let mut h = good.clone();
    h.transmission_time = "2030-01-01T00:00:01Z".into();
    assert!(mismatch(v.verify_delivery(&h, BODY.as_bytes()).await));

    // Another webhook's id.
    let other = WebhookVerifier::builder(&f.client, "OTHERWEBHOOKID")
        .allow_cert_host_for_testing("127.0.0.1")
        .build();
    assert!(mismatch(
        other.verify_delivery(&good, BODY.as_bytes()).await
    ));

    // A signature that is not Base64.
    let mut h = good.clone();
    h.transmission_sig = "not base64!".into();
    assert!(matches!(
        v.verify_delivery(&h, BODY.as_bytes()).await,
        Err(WebhookError::MalformedSignature)
    ));

    // And the original still passes.
    v.verify_delivery(&good, BODY.as_bytes()).await.unwrap();
}

#[tokio::test]
async fn a_transmission_time_outside_the_tolerance_is_refused_before_fetching() {
    let f = fixture().await;
    let cert = serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let v = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .tolerance(Duration::from_secs(300))
        .build();
    f.clock.advance(Duration::from_secs(301));
    let err = v.verify_delivery(&h, BODY.as_bytes()).await.unwrap_err();
    assert!(
        matches!(err, WebhookError::OutsideTolerance { .. }),
        "{err:?}"
    );
    // Early deliveries too (clock behind the sender).
    f.clock
        .set(std::time::UNIX_EPOCH + Duration::from_secs(NOW - 301));
    assert!(matches!(
        v.verify_delivery(&h, BODY.as_bytes()).await,
        Err(WebhookError::OutsideTolerance { .. })
    ));
    cert.assert_calls_async(0).await;
    // Within the window it passes.
    f.clock
        .set(std::time::UNIX_EPOCH + Duration::from_secs(NOW + 299));
    v.verify_delivery(&h, BODY.as_bytes()).await.unwrap();
    let mut bad = h.clone();
    bad.transmission_time = "yesterday".into();
    assert!(matches!(
        v.verify_delivery(&bad, BODY.as_bytes()).await,
        Err(WebhookError::InvalidTransmissionTime(_))
    ));
}

#[tokio::test]
async fn foreign_certificate_hosts_are_refused_without_fetching() {
    let f = fixture().await;
    let cert = serve(&f.server, CERT).await;
    let v = verifier(&f.client);
    for url in [
        "http://evil.example/cert".to_owned(),
        "https://paypal.com.evil.example/cert".to_owned(),
        "http://api.paypal.com/cert".to_owned(),
        "https://api.paypal.com@evil.example/cert".to_owned(),
    ] {
        let h = headers(url.clone(), BODY.as_bytes());
        let err = v.verify_delivery(&h, BODY.as_bytes()).await.unwrap_err();
        assert!(
            matches!(err, WebhookError::UntrustedCertUrl(_)),
            "{url}: {err:?}"
        );
    }
    // Without the test-only allowance, the local server is not trusted either.
    let strict = WebhookVerifier::builder(&f.client, WEBHOOK_ID).build();
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    assert!(matches!(
        strict.verify_delivery(&h, BODY.as_bytes()).await,
        Err(WebhookError::UntrustedCertUrl(_))
    ));
    cert.assert_calls_async(0).await;
}

#[tokio::test]
async fn unusable_certificates_are_refused() {
    // Not RSA.
    let f = fixture().await;
    serve(&f.server, EC_CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let err = verifier(&f.client)
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::InvalidCertificate(_)),
        "{err:?}"
    );

    // Larger than the cap.
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let small = WebhookVerifier::builder(&f.client, WEBHOOK_ID)
        .allow_cert_host_for_testing("127.0.0.1")
        .max_cert_bytes(256)
        .build();
    let err = small
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::CertificateFetch(_)), "{err:?}");

    // Not found.
    let f = fixture().await;
    let h = headers(f.server.url("/missing"), BODY.as_bytes());
    let err = verifier(&f.client)
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::CertificateFetch(_)), "{err:?}");

    // Not a certificate.
    let f = fixture().await;
    serve(
        &f.server,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let err = verifier(&f.client)
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::InvalidCertificate(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_expired_certificate_is_refused() {
    let f = fixture().await;
    serve(&f.server, CERT).await;
    // 2127: past the fixture's notAfter (2126). Transmission time moved along with the clock.
    let later = 5_000_000_000u64;
    f.clock
        .set(std::time::UNIX_EPOCH + Duration::from_secs(later));
    let sent_at = "2128-06-11T08:53:20Z";
    let transmission_id = "id-1";
    let message = format!(
        "{transmission_id}|{sent_at}|{WEBHOOK_ID}|{}",
        crc32fast::hash(BODY.as_bytes())
    );
    let sig = sign(&message);
    let cert_url = f.server.url(CERT_PATH);
    let h = WebhookHeaders::from_fn(|name| {
        Some(match name {
            "paypal-transmission-id" => transmission_id.to_owned(),
            "paypal-transmission-time" => sent_at.to_owned(),
            "paypal-transmission-sig" => sig.clone(),
            "paypal-cert-url" => cert_url.clone(),
            "paypal-auth-algo" => "SHA256withRSA".to_owned(),
            _ => return None,
        })
    })
    .unwrap();
    let err = verifier(&f.client)
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::InvalidCertificate(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn only_sha256_with_rsa() {
    let f = fixture().await;
    let mut h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    h.auth_algo = "SHA1withRSA".into();
    let err = verifier(&f.client)
        .verify_delivery(&h, BODY.as_bytes())
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::UnsupportedAlgorithm(_)));
}

#[tokio::test]
async fn verify_reads_the_header_map_and_returns_the_typed_event() {
    use paypal_partner::http::{HeaderMap, HeaderValue};
    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let mut map = HeaderMap::new();
    for (name, value) in [
        ("PAYPAL-TRANSMISSION-ID", &h.transmission_id),
        ("PAYPAL-TRANSMISSION-TIME", &h.transmission_time),
        ("PAYPAL-TRANSMISSION-SIG", &h.transmission_sig),
        ("PAYPAL-CERT-URL", &h.cert_url),
        ("PAYPAL-AUTH-ALGO", &h.auth_algo),
    ] {
        map.insert(
            paypal_partner::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    let v = verifier(&f.client);
    let event = v.verify(&map, BODY.as_bytes()).await.unwrap();
    assert!(matches!(event, Event::OnboardingCompleted(_)), "{event:?}");
    // The same delivery again is a replay; a map without the headers is refused before any check.
    assert!(matches!(
        v.verify(&map, BODY.as_bytes()).await,
        Err(WebhookError::Replayed { .. })
    ));
    assert!(v.verify(&HeaderMap::new(), BODY.as_bytes()).await.is_err());
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_axum_extractor_verifies_parses_and_refuses() {
    use axum::extract::FromRequest;
    use paypal_partner::axum_extract::VerifiedEvent;
    use std::sync::Arc;

    let f = fixture().await;
    serve(&f.server, CERT).await;
    let h = headers(f.server.url(CERT_PATH), BODY.as_bytes());
    let state = Arc::new(verifier(&f.client));
    let request = |body: &str| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/paypal")
            .header("paypal-transmission-id", &h.transmission_id)
            .header("paypal-transmission-time", &h.transmission_time)
            .header("paypal-transmission-sig", &h.transmission_sig)
            .header("paypal-cert-url", &h.cert_url)
            .header("paypal-auth-algo", &h.auth_algo)
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap()
    };
    let VerifiedEvent(event) =
        VerifiedEvent::<paypal_partner::webhooks::Event>::from_request(request(BODY), &state)
            .await
            .unwrap();
    assert!(matches!(event, Event::OnboardingCompleted(_)), "{event:?}");
    // A replay and a changed body are refused with 400, before any handler runs.
    let replay =
        VerifiedEvent::<paypal_partner::webhooks::Event>::from_request(request(BODY), &state)
            .await
            .unwrap_err();
    assert_eq!(replay.status(), axum::http::StatusCode::BAD_REQUEST);
    assert!(matches!(
        replay.error(),
        Some(WebhookError::Replayed { .. })
    ));
    let forged = VerifiedEvent::<paypal_partner::webhooks::Event>::from_request(
        request(&BODY.replace("seller-42", "seller-43")),
        &state,
    )
    .await
    .unwrap_err();
    assert_eq!(forged.status(), axum::http::StatusCode::BAD_REQUEST);
}
