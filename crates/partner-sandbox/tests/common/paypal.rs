//! The PayPal simulator driven with plain reqwest: a token, JSON calls, a seller, approved orders.

use partner_sandbox::paypal::SellerChoices;
use partner_sandbox::{Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A sandbox, a token and a plain client.
pub struct Api {
    pub sandbox: Sandbox,
    pub token: String,
    pub client: reqwest::Client,
}

impl Api {
    /// A sandbox with the tests' seed.
    pub async fn start() -> Api {
        Api::with(SandboxConfig::new().seed(7)).await
    }

    /// A sandbox started with `config`.
    pub async fn with(config: SandboxConfig) -> Api {
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        let client = super::client();
        let creds = sandbox.paypal().credentials().clone();
        let token: Value = client
            .post(sandbox.paypal().base_url().join("v1/oauth2/token").unwrap())
            .basic_auth(&creds.client_id, Some(&creds.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Api {
            token: token["access_token"].as_str().unwrap().to_owned(),
            sandbox,
            client,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = self
            .sandbox
            .paypal()
            .base_url()
            .join(path.trim_start_matches('/'))
            .unwrap();
        let mut request = self.client.request(method, url).bearer_auth(&self.token);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, body)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, &[], Some(body)).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, &[], Some(body)).await
    }

    /// A seller onboarded through a referral; their merchant id.
    pub async fn seller(&self) -> String {
        let referral = json!({
            "tracking_id": "payments-seller",
            "operations": [{ "operation": "API_INTEGRATION", "api_integration_preference": { "rest_api_integration": {
                "integration_method": "PAYPAL", "integration_type": "THIRD_PARTY",
                "third_party_details": { "features": ["PAYMENT", "REFUND", "PARTNER_FEE"] } } } }],
            "products": ["PPCP"],
            "legal_consents": [{ "type": "SHARE_DATA_CONSENT", "granted": true }]
        });
        let (status, created) = self.post("/v2/customer/partner-referrals", referral).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let self_link = created["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "self")
            .unwrap()["href"]
            .as_str()
            .unwrap()
            .to_owned();
        let referral_id = self_link.rsplit('/').next().unwrap();
        self.sandbox
            .paypal()
            .complete_onboarding(referral_id, SellerChoices::default())
            .unwrap()
    }

    /// An order of `value` USD with `intent`, a 5.00 platform fee and the seller as payee, approved.
    pub async fn approved_order(&self, intent: &str, value: &str, seller: &str) -> String {
        let order = json!({
            "intent": intent,
            "purchase_units": [{
                "amount": { "currency_code": "USD", "value": value },
                "payee": { "merchant_id": seller },
                "invoice_id": format!("INV-{intent}-{value}"),
                "payment_instruction": { "platform_fees": [{ "amount": { "currency_code": "USD", "value": "5.00" } }] }
            }]
        });
        let (status, created) = self.post("/v2/checkout/orders", order).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_owned();
        self.sandbox.paypal().approve_order(&id).unwrap();
        id
    }

    /// Authorizes an approved order; the authorization id.
    pub async fn authorize(&self, order_id: &str) -> String {
        let (status, order) = self
            .post(
                &format!("/v2/checkout/orders/{order_id}/authorize"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        assert_eq!(order["status"], "COMPLETED");
        order["purchase_units"][0]["payments"]["authorizations"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The first issue of a PayPal error.
pub fn issue(body: &Value) -> &str {
    body["details"][0]["issue"].as_str().unwrap_or_default()
}
