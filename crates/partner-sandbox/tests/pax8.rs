//! The Pax8 simulator: token, companies, contacts, products, orders, subscriptions, usage, invoices,
//! webhooks, the page envelope, errors and the rate limit.

mod common;

use partner_sandbox::{Sandbox, SandboxConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn new(sandbox: &Sandbox) -> Api {
        let client = common::client();
        let (id, secret) = sandbox.pax8().credentials();
        let response = client
            .post(sandbox.pax8().token_url())
            .json(&json!({ "client_id": id, "client_secret": secret, "audience": "https://api.pax8.com", "grant_type": "client_credentials" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 86400);
        Api {
            client,
            base: sandbox
                .pax8()
                .origin()
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            token: body["access_token"].as_str().unwrap().to_owned(),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap()
            },
        )
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }
}

#[tokio::test]
async fn token_errors_and_bearer_check() {
    let sandbox = common::sandbox().await;
    let client = common::client();
    let bad = client
        .post(sandbox.pax8().token_url())
        .json(&json!({ "client_id": "sandbox-pax8-client-id", "client_secret": "nope", "audience": "https://api.pax8.com", "grant_type": "client_credentials" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "error": "access_denied", "error_description": "Unauthorized" })
    );

    let anonymous = client
        .get(format!("{}/companies", sandbox.pax8().base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["type"], "UNAUTHORIZED");
    assert_eq!(body["status"], 401);
    assert_eq!(body["instance"], "/public/v1/companies");
}

#[tokio::test]
async fn companies_filter_sort_page_and_create() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let (status, page) = api
        .get("/v1/companies?city=Denver&sort=name,desc&size=2")
        .await;
    assert_eq!(status, StatusCode::OK);
    let content = page["content"].as_array().unwrap();
    assert!(!content.is_empty());
    assert!(content.iter().all(|c| c["address"]["city"] == "Denver"));
    let names: Vec<&str> = content
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(names, sorted);
    assert_eq!(page["page"]["size"], 2);
    assert_eq!(page["page"]["number"], 0);
    assert!(page["page"]["totalElements"].as_u64().unwrap() >= content.len() as u64);
    // The date quirk: milliseconds and an offset without a colon.
    let updated = content[0]["updatedDate"].as_str().unwrap();
    assert_eq!(
        updated.len(),
        "2023-08-11T11:33:12.314-0600".len(),
        "{updated}"
    );
    assert!(updated.ends_with("-0600"));

    let (status, error) = api.get("/v1/companies?size=201").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["type"], "BAD_REQUEST");
    assert_eq!(error["instance"], "/public/v1/companies");
    let (status, _) = api.get("/v1/companies?sort=website,asc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let new_company = json!({
        "name": "Zephyr Test Co", "address": { "street": "1 Main St", "city": "Boulder", "postalCode": "80301", "country": "US", "stateOrProvince": "CO" },
        "phone": "303-555-0100", "website": "zephyr.example.com", "billOnBehalfOfEnabled": false, "selfServiceAllowed": false, "orderApprovalRequired": false,
        "contacts": [{ "firstName": "Ada", "lastName": "Lovelace", "email": "ada@zephyr.example.com", "phone": "303-555-0101",
                       "types": [{ "type": "Admin", "primary": true }, { "type": "Billing", "primary": true }, { "type": "Technical", "primary": true }] }]
    });
    let (status, created) = api
        .call(reqwest::Method::POST, "/v1/companies", Some(new_company))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["status"], "Active");
    let id = created["id"].as_str().unwrap();
    let (_, listed) = api.get("/v1/companies?city=Boulder").await;
    assert_eq!(listed["content"][0]["id"], id);
    let (status, fetched) = api.get(&format!("/v1/companies/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["name"], "Zephyr Test Co");

    let (status, error) = api
        .call(
            reqwest::Method::POST,
            "/v1/companies",
            Some(json!({ "name": "x" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["details"].as_array().unwrap().len() > 3);

    let (status, patched) = api
        .call(
            reqwest::Method::PATCH,
            &format!("/v1/companies/{id}"),
            Some(json!({ "website": "zephyr.example.org" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["website"], "zephyr.example.org");

    let (status, missing) = api
        .get("/v1/companies/00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["type"], "NOT_FOUND");
}

#[tokio::test]
async fn contacts_crud() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let company = sandbox.pax8().companies()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/v1/companies/{company}/contacts");
    let (status, created) = api
        .call(
            reqwest::Method::POST,
            &base,
            Some(json!({ "firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "phone": "303-555-0199", "types": [{ "type": "Technical", "primary": false }] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["phoneNumber"], "3035550199");
    assert_eq!(created["phoneCountryCode"], "US");
    assert_eq!(created["phoneCountryCallingCode"], "1");
    let contact = created["id"].as_str().unwrap();
    let (_, list) = api.get(&base).await;
    assert_eq!(list["content"][0]["id"], contact, "newest first");
    let (status, _) = api
        .call(
            reqwest::Method::PUT,
            &format!("{base}/{contact}"),
            Some(json!({ "firstName": "Grace" })),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "PUT needs the full contact"
    );
    let (status, replaced) = api
        .call(
            reqwest::Method::PUT,
            &format!("{base}/{contact}"),
            Some(json!({ "firstName": "Grace", "lastName": "Hopper", "email": "rear.admiral@example.com", "phone": "303-555-0199" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replaced["email"], "rear.admiral@example.com");
    let (status, _) = api
        .call(reqwest::Method::DELETE, &format!("{base}/{contact}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.get(&format!("{base}/{contact}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn products_and_their_sub_resources() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let (_, page) = api
        .get("/v1/products?vendorName=Microsoft&sort=name,asc&size=200")
        .await;
    let products = page["content"].as_array().unwrap();
    assert!(products.iter().all(|p| p["vendorName"] == "Microsoft"));
    let committed = products
        .iter()
        .find(|p| p["requiresCommitment"] == true)
        .unwrap();
    let id = committed["id"].as_str().unwrap();
    let (_, search) = api.get("/v1/products?search=proofpoint").await;
    assert_eq!(search["content"].as_array().unwrap().len(), 1);
    let (_, detail) = api.get(&format!("/v1/products/{id}")).await;
    assert!(detail["description"].is_string());
    let (_, provision) = api
        .get(&format!("/v1/products/{id}/provision-details"))
        .await;
    assert!(
        provision["content"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["key"] == "msTenantId")
    );
    assert!(provision.get("page").is_none());
    let (_, deps) = api.get(&format!("/v1/products/{id}/dependencies")).await;
    assert!(
        !deps["commitmentDependencies"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, pricing) = api.get(&format!("/v1/products/{id}/pricing")).await;
    assert!(pricing["content"][0]["rates"][0]["partnerBuyRate"].is_number());
}

#[tokio::test]
async fn subscriptions_span_pages_and_orders_create_them() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let company = sandbox.pax8().companies()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, first) = api
        .get(&format!(
            "/v1/subscriptions?companyId={company}&sort=quantity,asc"
        ))
        .await;
    let total = first["page"]["totalElements"].as_u64().unwrap();
    assert!(
        first["page"]["totalPages"].as_u64().unwrap() >= 2,
        "{}",
        first["page"]
    );
    let mut seen = 0;
    let mut previous = 0;
    for page in 0..first["page"]["totalPages"].as_u64().unwrap() {
        let (_, p) = api
            .get(&format!(
                "/v1/subscriptions?companyId={company}&sort=quantity,asc&page={page}"
            ))
            .await;
        for sub in p["content"].as_array().unwrap() {
            assert!(
                sub.get("commitment").is_some(),
                "the wire field is commitment"
            );
            assert!(sub.get("commitmentTerm").is_none());
            assert!(sub.get("vendorSkuId").is_none());
            let q = sub["quantity"].as_u64().unwrap();
            assert!(q >= previous);
            previous = q;
            seen += 1;
        }
    }
    assert_eq!(seen, total);

    // Order a product that requires a commitment: without a term it is refused.
    let products = sandbox.pax8().products();
    let committed = products
        .iter()
        .find(|p| p["name"] == "Microsoft 365 Business Premium")
        .unwrap();
    let product_id = committed["id"].as_str().unwrap();
    assert_eq!(
        sandbox
            .pax8()
            .product_id("Microsoft 365 Business Premium")
            .as_deref(),
        Some(product_id)
    );
    assert_eq!(
        sandbox.pax8().company_id("Acme Dental Group").as_deref(),
        Some(company.as_str())
    );
    let (_, deps) = api
        .get(&format!("/v1/products/{product_id}/dependencies"))
        .await;
    let monthly = deps["commitmentDependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["term"] == "Monthly")
        .unwrap()["id"]
        .clone();
    let order = |commitment: Value| json!({ "companyId": company, "lineItems": [{ "productId": product_id, "lineItemNumber": 1, "quantity": 5, "billingTerm": "Monthly", "commitmentTermId": commitment }] });
    let (status, error) = api
        .call(
            reqwest::Method::POST,
            "/v1/orders",
            Some(order(Value::Null)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("commitmentTermId")
    );

    let (status, mock) = api
        .call(
            reqwest::Method::POST,
            "/v1/orders?isMock=true",
            Some(order(monthly.clone())),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after_mock) = api
        .get(&format!("/v1/subscriptions?companyId={company}"))
        .await;
    assert_eq!(
        after_mock["page"]["totalElements"].as_u64().unwrap(),
        total,
        "isMock stores nothing"
    );
    let mock_sub = mock["lineItems"][0]["subscriptionId"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/v1/subscriptions/{mock_sub}")).await.0,
        StatusCode::NOT_FOUND
    );

    let (status, placed) = api
        .call(reqwest::Method::POST, "/v1/orders", Some(order(monthly)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(placed["orderedBy"], "Pax8Partner");
    let order_id = placed["id"].as_str().unwrap();
    let sub_id = placed["lineItems"][0]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, fetched_order) = api.get(&format!("/v1/orders/{order_id}")).await;
    assert_eq!(fetched_order["id"], order_id);
    let (_, orders) = api
        .get(&format!("/v1/orders?companyId={company}&size=200"))
        .await;
    assert!(
        orders["content"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == order_id)
    );
    let (status, sub) = api.get(&format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sub["status"], "Active");
    assert_eq!(sub["quantity"], 5);
    assert!(
        sub["vendorSkuId"].is_string(),
        "only GET by id has vendorSkuId"
    );
    assert_eq!(sub["commitment"]["term"], "Monthly");

    let (status, updated) = api
        .call(
            reqwest::Method::PUT,
            &format!("/v1/subscriptions/{sub_id}"),
            Some(json!({ "quantity": 7 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["quantity"], 7);
    let (status, _) = api
        .call(
            reqwest::Method::PUT,
            &format!("/v1/subscriptions/{sub_id}"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, history) = api
        .get(&format!("/v1/subscriptions/{sub_id}/history"))
        .await;
    assert_eq!(history["content"].as_array().unwrap().len(), 2);

    let (status, _) = api
        .call(
            reqwest::Method::DELETE,
            &format!("/v1/subscriptions/{sub_id}?cancelDate=2025-07-01T00:00:00Z"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, cancelled) = api.get(&format!("/v1/subscriptions/{sub_id}")).await;
    assert_eq!(cancelled["status"], "Cancelled");
    let (status, rejected) = api
        .call(
            reqwest::Method::DELETE,
            &format!("/v1/subscriptions/{sub_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rejected["errors"].is_array(),
        "the other observed error shape"
    );
}

#[tokio::test]
async fn usage_and_invoices() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let azure = sandbox
        .pax8()
        .subscriptions()
        .into_iter()
        .find(|s| s["productName"] == "Azure Plan")
        .unwrap();
    let sub_id = azure["id"].as_str().unwrap();
    let (_, summaries) = api
        .get(&format!(
            "/v1/subscriptions/{sub_id}/usage-summaries?sort=currentCharges,desc"
        ))
        .await;
    let list = summaries["content"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list[0].get("companyId").is_none(),
        "observed: no companyId through a subscription"
    );
    let summary_id = list[0]["id"].as_str().unwrap();
    let (_, one) = api.get(&format!("/v1/usage-summaries/{summary_id}")).await;
    assert!(one["companyId"].is_string());
    let (status, error) = api
        .get(&format!("/v1/usage-summaries/{summary_id}/usage-lines"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["message"].as_str().unwrap().contains("usageDate"));
    let (_, lines) = api
        .get(&format!(
            "/v1/usage-summaries/{summary_id}/usage-lines?usageDate=2025-05-02"
        ))
        .await;
    let lines = lines["content"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["usageDate"] == "2025-05-02"));

    let (_, invoices) = api
        .get("/v1/invoices?status=Paid&sort=invoiceDate,desc&size=50")
        .await;
    let invoices = invoices["content"].as_array().unwrap();
    assert!(!invoices.is_empty());
    assert!(invoices.iter().all(|i| i["status"] == "Paid"));
    assert!(
        invoices
            .windows(2)
            .all(|w| w[0]["invoiceDate"].as_str() >= w[1]["invoiceDate"].as_str())
    );
    let invoice_id = invoices[0]["id"].as_str().unwrap();
    let (_, items) = api.get(&format!("/v1/invoices/{invoice_id}/items")).await;
    assert!(!items["content"].as_array().unwrap().is_empty());
    let (_, ranged) = api
        .get(
            "/v1/invoices?invoiceDateRangeStart=2025-02-01&invoiceDateRangeEnd=2025-03-31&size=200",
        )
        .await;
    assert!(ranged["content"].as_array().unwrap().iter().all(|i| {
        let d = i["invoiceDate"].as_str().unwrap();
        ("2025-02-01"..="2025-03-31").contains(&d)
    }));
    let (_, drafts) = api.get("/v1/invoices/draftItems?monthOffset=0").await;
    assert!(!drafts["content"].as_array().unwrap().is_empty());
    assert_eq!(
        api.get("/v1/invoices/draftItems?monthOffset=2").await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn webhooks_api_and_deliveries() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let receiver = common::Receiver::start().await;
    let (status, hook) = api
        .call(
            reqwest::Method::POST,
            "/api/v2/webhooks",
            Some(json!({
                "displayName": "Subscription feed", "url": receiver.url, "authorization": "Basic c2FuZGJveDpob29r",
                "active": true, "errorThreshold": 3,
                "webhookTopics": [{ "topic": "SUBSCRIPTION", "filters": [{ "action": "Cancel", "conditions": [] }] }]
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let hook_id = hook["id"].as_str().unwrap().to_owned();
    let (_, listed) = api.get("/api/v2/webhooks?topic=SUBSCRIPTION").await;
    assert_eq!(listed["content"][0]["id"], hook_id.as_str());
    let (_, defs) = api.get("/api/v2/webhooks/topic-definitions").await;
    assert!(
        defs["totalElements"].as_u64().unwrap() >= 1 && defs["content"].is_array(),
        "flat page"
    );

    // Cancel an active monthly subscription: the filter lets "Cancel" through.
    let sub = sandbox
        .pax8()
        .subscriptions()
        .into_iter()
        .find(|s| s["status"] == "Active" && s["commitment"].is_null())
        .unwrap();
    let sub_id = sub["id"].as_str().unwrap();
    let (status, _) = api
        .call(
            reqwest::Method::DELETE,
            &format!("/v1/subscriptions/{sub_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].headers["authorization"], "Basic c2FuZGJveDpob29r");
    let payload: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(payload["webhookId"], hook_id.as_str());
    assert_eq!(payload["webhookTopic"]["topic"], "SUBSCRIPTION");
    assert_eq!(payload["payloadData"]["subscriptionId"], sub_id);
    for field in ["accountId", "url", "sentAt"] {
        assert!(payload[field].is_string(), "{field}");
    }

    // Topic management, test delivery, logs and retry.
    let topic_id = hook["webhookTopics"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v2/webhooks/{hook_id}/topics"),
            Some(json!({ "topic": "SUBSCRIPTION", "filters": [] })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a topic appears once");
    let (status, _) = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v2/webhooks/{hook_id}/topics/{topic_id}/configuration"),
            Some(json!({ "filters": [] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, test) = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v2/webhooks/{hook_id}/topics/SUBSCRIPTION/test"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(test["samplePayload"]["payloadData"].is_object());
    receiver.wait_for(2).await;
    let (_, logs) = api.get(&format!("/api/v2/webhooks/{hook_id}/logs")).await;
    let log_id = logs["content"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v2/webhooks/{hook_id}/logs/{log_id}/retry"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    receiver.wait_for(3).await;
    let (status, _) = api
        .call(
            reqwest::Method::POST,
            &format!("/api/v2/webhooks/{hook_id}/status"),
            Some(json!({ "active": false })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v2/webhooks/{hook_id}/topics/{topic_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v2/webhooks/{hook_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        sandbox
            .pax8()
            .webhook_deliveries()
            .iter()
            .any(|d| d.action == "Cancel" && d.status == Some(200))
    );
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sandbox = Sandbox::start(SandboxConfig::new().pax8_rate_limit(5))
        .await
        .unwrap();
    let api = Api::new(&sandbox).await; // 1 request
    for _ in 0..4 {
        assert_eq!(api.get("/v1/products").await.0, StatusCode::OK);
    }
    let response = api
        .client
        .get(format!("{}/v1/products", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 429);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let a = Sandbox::start(SandboxConfig::new().seed(99)).await.unwrap();
    let b = Sandbox::start(SandboxConfig::new().seed(99)).await.unwrap();
    let c = Sandbox::start(SandboxConfig::new().seed(100))
        .await
        .unwrap();
    assert_eq!(a.pax8().companies(), b.pax8().companies());
    assert_eq!(a.pax8().subscriptions(), b.pax8().subscriptions());
    assert_ne!(a.pax8().companies()[0]["id"], c.pax8().companies()[0]["id"]);
    assert_eq!(
        a.pax8().products(),
        c.pax8().products(),
        "the catalog is fixed"
    );
}
