//! The seller sign-up example (`examples/seller_signup`) over plain HTTP, against the local sandbox:
//! the whole flow without a browser, a forged return URL, a seller who is not ready, errors.
//! `signup_browser.rs` drives the same app in headless Chromium.

#[path = "../examples/seller_signup/app.rs"]
mod app;

use std::sync::Arc;

use partner_sandbox::paypal::SellerChoices;
use partner_sandbox::{FaultConfig, Provider, Sandbox, SandboxConfig};
use paypal_partner::partner_core::url::Url;
use paypal_partner::{Client, RetryPolicy};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

struct Harness {
    sandbox: Sandbox,
    app: Arc<app::App>,
    base: Url,
    http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Harness {
    async fn start() -> Self {
        Self::start_with(None).await
    }

    async fn start_with(retry: Option<RetryPolicy>) -> Self {
        let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
        let credentials = sandbox.paypal().credentials();
        let mut client = Client::builder()
            .client_id(&credentials.client_id)
            .client_secret(credentials.client_secret.as_str())
            .partner_merchant_id(&credentials.partner_id)
            .bn_code(&credentials.bn_code)
            .environment(paypal_partner::Environment::Custom(
                sandbox.paypal().base_url(),
            ));
        if let Some(retry) = retry {
            client = client.retry_policy(retry);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let app = app::App::new(client.build().unwrap(), &base, app::demo_sellers()).unwrap();
        let router = app::router(app.clone());
        let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        // Redirects are followed by hand, to check each hop. reqwest is built without a default
        // crypto provider (the SDK gives its own clients ring).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .unwrap();
        Harness {
            sandbox,
            app,
            base,
            http,
            server,
        }
    }

    async fn get(&self, url: &str) -> (StatusCode, String) {
        let url = self.base.join(url).unwrap();
        let response = self.http.get(url).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Presses "Connect with PayPal": the sign-up URL the app redirects to.
    async fn connect(&self, seller: &str) -> Url {
        let url = self
            .base
            .join(&format!("sellers/{seller}/connect"))
            .unwrap();
        let response = self.http.post(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap();
        Url::parse(location).unwrap()
    }

    async fn stop(self) {
        self.server.abort();
        self.sandbox.shutdown().await;
    }
}

/// The text of the `#verdict` element.
fn verdict(page: &str) -> &str {
    let start = page.find("id=\"verdict\"").expect("a verdict") + "id=\"verdict\"".len();
    let rest = &page[start..];
    let text = &rest[rest.find('>').unwrap() + 1..];
    &text[..text.find('<').unwrap()]
}

#[tokio::test]
async fn sellers_page_lists_every_seller_with_a_connect_button() {
    let h = Harness::start().await;
    let (status, page) = h.get("/").await;
    assert_eq!(status, StatusCode::OK);
    for seller in app::demo_sellers() {
        assert!(
            page.contains(&format!("id=\"connect-{}\"", seller.id)),
            "{page}"
        );
        assert!(
            page.contains(&format!("href=\"/sellers/{}\"", seller.id)),
            "{page}"
        );
    }
    // Names are escaped.
    assert!(page.contains("Grace&#39;s Compilers &amp; Co"), "{page}");
    assert!(page.contains("not connected"));
    h.stop().await;
}

#[tokio::test]
async fn connect_sign_up_and_return_show_the_status_from_the_api() {
    let h = Harness::start().await;
    let return_url = h.app.return_url().to_owned();
    assert_eq!(return_url, format!("{}paypal/return", h.base));

    // 1. Connect: a referral with the seller's tracking id, and a redirect to its sign-up page.
    let signup = h.connect("seller-ada").await;
    assert_eq!(signup.origin(), h.sandbox.paypal().base_url().origin());
    let token = signup
        .query_pairs()
        .find(|(k, _)| k == "referralToken")
        .map(|(_, v)| v.into_owned())
        .expect("a referral token");
    assert!(h.app.record("seller-ada").referral.is_some());
    let (_, list) = h.get("/").await;
    assert!(list.contains("sign-up link created"), "{list}");

    // 2. The seller's side: the sandbox's sign-up page, submitted with its defaults.
    let page = h.http.get(signup.clone()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("ada@sellers.example"));
    let submitted = h
        .http
        .post(signup.join("/bizsignup/partner/entry").unwrap())
        .form(&[("referralToken", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let back = Url::parse(submitted.headers()["location"].to_str().unwrap()).unwrap();
    assert!(back.as_str().starts_with(&return_url), "{back}");
    let merchant_id = h.sandbox.paypal().merchant_id_for("seller-ada").unwrap();

    // 3. Back on the app: the merchant id and the verdict come from the API.
    let response = h.http.get(back).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains("Welcome back from PayPal"), "{page}");
    assert!(
        page.contains(&format!("id=\"merchant-id\">{merchant_id}<")),
        "{page}"
    );
    assert_eq!(verdict(&page), "ready");
    assert!(page.contains("ready: PayPal buttons and cards"), "{page}");
    assert_eq!(
        h.app.record("seller-ada").merchant_id.as_deref(),
        Some(merchant_id.as_str())
    );

    // 4. The status page asks again, and the list shows the merchant id.
    let (status, page) = h.get("/sellers/seller-ada").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&merchant_id), "{page}");
    assert_eq!(verdict(&page), "ready");
    assert!(!page.contains("Welcome back"));
    // A ready seller is not offered a new sign-up link.
    assert!(!page.contains("id=\"connect-seller-ada\""), "{page}");
    let (_, list) = h.get("/").await;
    assert!(list.contains(&merchant_id), "{list}");
    h.stop().await;
}

#[tokio::test]
async fn the_return_handler_ignores_a_forged_query() {
    let h = Harness::start().await;

    // A seller who never finished: whatever the URL claims, PayPal knows no merchant.
    let (status, page) = h
        .get("/paypal/return?merchantId=seller-grace&merchantIdInPayPal=FORGED&permissionsGranted=true&isEmailConfirmed=true")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(verdict(&page), "pending");
    assert!(!page.contains("FORGED"), "{page}");
    assert!(!page.contains("id=\"merchant-id\""), "{page}");
    assert_eq!(h.app.record("seller-grace").merchant_id, None);

    // A seller who finished: the page shows the API's merchant id, not the claimed one.
    let signup = h.connect("seller-ada").await;
    let merchant_id = h
        .sandbox
        .paypal()
        .complete_onboarding(signup.as_str(), SellerChoices::default())
        .unwrap();
    let (_, page) = h
        .get("/paypal/return?merchantId=seller-ada&merchantIdInPayPal=FORGED")
        .await;
    assert!(page.contains(&merchant_id), "{page}");
    assert!(!page.contains("FORGED"), "{page}");
    assert_eq!(verdict(&page), "ready");
    h.stop().await;
}

#[tokio::test]
async fn a_seller_who_is_not_ready_sees_why() {
    let h = Harness::start().await;
    let signup = h.connect("seller-linus").await;
    let choices = SellerChoices {
        email_confirmed: false,
        permissions_granted: false,
        ..SellerChoices::default()
    };
    let merchant_id = h
        .sandbox
        .paypal()
        .complete_onboarding(signup.as_str(), choices)
        .unwrap();
    // The seller closed the tab: no return. The status page still finds them by tracking id.
    let (status, page) = h.get("/sellers/seller-linus").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&merchant_id), "{page}");
    assert_eq!(verdict(&page), "not ready");
    assert!(page.contains("confirm your email"), "{page}");
    assert!(page.contains("did not grant us permission"), "{page}");
    // ...and may connect again.
    assert!(page.contains("id=\"connect-seller-linus\""), "{page}");
    h.stop().await;
}

#[tokio::test]
async fn unknown_sellers_and_bare_returns_are_refused() {
    let h = Harness::start().await;
    assert_eq!(h.get("/paypal/return").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        h.get("/paypal/return?merchantIdInPayPal=X").await.0,
        StatusCode::BAD_REQUEST
    );
    let (status, page) = h.get("/paypal/return?merchantId=%3Cnobody%3E").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("<nobody>"));
    assert_eq!(h.get("/sellers/nobody").await.0, StatusCode::NOT_FOUND);
    let connect = h
        .http
        .post(h.base.join("sellers/nobody/connect").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), StatusCode::NOT_FOUND);
    h.stop().await;
}

#[tokio::test]
async fn paypal_errors_show_an_error_page() {
    let h = Harness::start_with(Some(RetryPolicy::disabled())).await;
    h.sandbox.faults().set(
        Provider::Paypal,
        FaultConfig::new().error_rate(1.0).error_status(500),
    );
    let (status, page) = h.get("/sellers/seller-ada").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(verdict(&page), "unknown");
    assert!(page.contains("PayPal could not be asked"), "{page}");
    assert!(!page.contains(&h.sandbox.paypal().credentials().client_secret));
    let connect = h
        .http
        .post(h.base.join("sellers/seller-ada/connect").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(connect.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(h.app.record("seller-ada"), app::Record::default());
    h.stop().await;
}

#[test]
fn escape_covers_markup_and_quotes() {
    assert_eq!(
        app::escape(r#"<a href="x">'&'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
}

#[test]
fn pages_escape_every_value() {
    let seller = app::Seller {
        id: "s<1>".into(),
        name: "<script>alert(1)</script>".into(),
        email: "e@x.example".into(),
        tracking_id: "t\"2".into(),
    };
    let record = app::Record {
        referral: None,
        merchant_id: Some("<m>".into()),
    };
    let list = app::render_sellers(&[(seller.clone(), record.clone())]);
    let status = app::render_status(
        &seller,
        &record,
        &app::Onboarding::Failed("<b>boom</b>".into()),
        app::Arrival::Direct,
    );
    let message = app::render_message("<t>", "<m>");
    for page in [list, status, message] {
        for raw in ["<script>", "s<1>", "t\"2", "<m>", "<b>boom", "<t>"] {
            assert!(!page.contains(raw), "{raw} in {page}");
        }
    }
}

#[test]
fn demo_referrals_are_valid_and_long_return_urls_are_refused() {
    for seller in app::demo_sellers() {
        let referral = app::referral_for(&seller, "http://127.0.0.1:3000/paypal/return").unwrap();
        assert_eq!(
            referral.tracking_id.as_ref().map(|id| id.as_str()),
            Some(seller.tracking_id.as_str())
        );
        assert_eq!(referral.email.as_deref(), Some(seller.email.as_str()));
    }
    let too_long = format!("https://platform.example/{}", "x".repeat(120));
    assert!(app::referral_for(&app::demo_sellers()[0], &too_long).is_err());
}
