//! The simulator held to the official specs (issue 17 §3): every Pax8 partner, webhooks-API,
//! quoting-API and PayPal operation the sandbox serves is driven with plain HTTP, and every response body is
//! validated against the spec's response schema for that operation and status (`$ref`s resolved in
//! the spec's components, formats checked), after the overlay of the specs' known defects
//! (`conformance/overlay.rs`); so are the webhook deliveries the simulators send. Each test also
//! lists the routes the simulator's source declares and fails when one has no case here, so a new
//! route cannot go unchecked. docs/sandbox.md, "Held to the specs", describes it.

mod common;
mod conformance {
    pub(crate) mod overlay;
    pub(crate) mod spec;
}

use std::collections::BTreeSet;

use conformance::spec::{Route, Spec, best_match, declared_routes};
use partner_sandbox::Sandbox;
use reqwest::Method;
use serde_json::{Value, json};

/// A uuid no seeded or created object has.
const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

/// Drives one simulator and holds each answer to the spec it belongs to.
struct Conformance {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
    specs: Vec<Spec>,
    /// The routes this test must cover, from the simulator's source.
    routes: BTreeSet<Route>,
    covered: BTreeSet<Route>,
    failures: Vec<String>,
}

impl Conformance {
    fn new(base: &str, specs: Vec<Spec>, routes: BTreeSet<Route>) -> Conformance {
        Conformance {
            client: common::client(),
            base: base.trim_end_matches('/').to_owned(),
            token: None,
            specs,
            routes,
            covered: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// Sends `method path` (with the bearer token once there is one), expects `expected`, validates
    /// the body against the spec, and returns it (`Value::Null` when empty).
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Value>,
        expected: u16,
    ) -> Value {
        self.call_with(method, path, &[], body, expected).await
    }

    /// [`Conformance::call`] with extra request headers.
    async fn call_with(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
        expected: u16,
    ) -> Value {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        self.answer(method, path, expected, response).await
    }

    /// The checks of [`Conformance::call`] for a response obtained otherwise (a form post, Basic auth).
    async fn answer(
        &mut self,
        method: Method,
        path: &str,
        expected: u16,
        response: reqwest::Response,
    ) -> Value {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.unwrap();
        if !text.is_empty() && !content_type.starts_with("application/json") {
            self.failures.push(format!(
                "{method} {path}: a JSON body sent as `{content_type}`"
            ));
        }
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
        };
        let bare = path.split('?').next().unwrap_or(path);
        if status != expected {
            self.failures.push(format!(
                "{method} {path}: expected {expected}, got {status}: {body}"
            ));
            return body;
        }
        let Some((at, template)) = self.cover(&method, bare) else {
            return body;
        };
        let spec = &mut self.specs[at];
        if let Err(errors) = spec.check(&method, &template, status, &body) {
            self.failures.push(format!(
                "{method} {path} -> {status}, against {} `{template}`:\n{errors}\n  body: {}",
                spec.file,
                excerpt(&body)
            ));
        }
        body
    }

    /// Marks the route of `method bare` covered, and finds the spec operation it is.
    fn cover(&mut self, method: &Method, bare: &str) -> Option<(usize, String)> {
        let templates: Vec<&str> = self
            .routes
            .iter()
            .filter(|(m, _)| m == method.as_str())
            .map(|(_, t)| t.as_str())
            .collect();
        match best_match(&templates, bare) {
            Some(route) => {
                self.covered
                    .insert((method.as_str().to_owned(), route.to_owned()));
            }
            // The routes read from the source missed one: the scan is broken.
            None => self.failures.push(format!(
                "{method} {bare}: no route of the simulator's source matches"
            )),
        }
        let found = self
            .specs
            .iter()
            .position(|s| s.template(method, bare).is_some());
        let Some(at) = found else {
            self.failures
                .push(format!("{method} {bare}: no spec has this operation"));
            return None;
        };
        let template = self.specs[at].template(method, bare)?;
        Some((at, template))
    }

    /// Sends a `multipart/form-data` body of `files` (name, content type, bytes) under `field`, with
    /// the checks of [`Conformance::call`].
    async fn upload(
        &mut self,
        method: Method,
        path: &str,
        field: &str,
        files: &[(&str, &str, &[u8])],
        expected: u16,
    ) -> Value {
        let (content_type, body) = multipart(field, files);
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        self.answer(method, path, expected, response).await
    }

    /// GETs a file (a binary answer): 200, a content type the spec documents for it, the bytes.
    async fn download(&mut self, path: &str) -> Vec<u8> {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.unwrap().to_vec();
        if status != 200 {
            self.failures
                .push(format!("GET {path}: expected 200, got {status}"));
            return bytes;
        }
        let bare = path.split('?').next().unwrap_or(path);
        if let Some((at, template)) = self.cover(&Method::GET, bare) {
            let documented = self.specs[at].media_types(&Method::GET, &template, 200);
            if !documented.contains(&content_type) {
                self.failures.push(format!(
                    "GET {path}: a file sent as `{content_type}`, the spec documents {documented:?}"
                ));
            }
        }
        bytes
    }

    /// Validates webhook deliveries the receiver got against `schema` of the spec `file`.
    fn deliveries(&mut self, file: &str, schema: &str, received: &[common::Received]) {
        let spec = self
            .specs
            .iter_mut()
            .find(|s| s.file == file)
            .unwrap_or_else(|| panic!("{file} is not loaded"));
        for delivery in received {
            let body: Value = serde_json::from_slice(&delivery.body).unwrap();
            if let Err(errors) = spec.check_schema(schema, &body) {
                self.failures.push(format!(
                    "a webhook delivery, against {file} `{schema}`:\n{errors}\n  body: {}",
                    excerpt(&body)
                ));
            }
        }
    }

    /// Fails on any invalid answer, and on any route of the simulator no case reached.
    fn finish(self) {
        assert!(
            !self.routes.is_empty(),
            "no routes found in the simulator's source"
        );
        eprintln!(
            "{} routes covered: {}",
            self.covered.len(),
            self.covered
                .iter()
                .map(|(m, t)| format!("{m} {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let missing: Vec<String> = self
            .routes
            .difference(&self.covered)
            .map(|(m, t)| format!("{m} {t}"))
            .collect();
        let mut report = self.failures;
        if !missing.is_empty() {
            report.push(format!(
                "routes of the simulator with no conformance case:\n  {}",
                missing.join("\n  ")
            ));
        }
        assert!(report.is_empty(), "\n{}", report.join("\n\n"));
    }
}

/// A `multipart/form-data` body of `files` (name, content type, bytes) under `field`.
fn multipart(field: &str, files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "conformance-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, content_type, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The start of a body, for a failure message.
fn excerpt(body: &Value) -> String {
    let text = body.to_string();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}

/// The simulator's Pax8 routes under `prefix`, and the token endpoint every test calls first.
fn pax8_routes(prefix: &str) -> BTreeSet<Route> {
    declared_routes("pax8")
        .into_iter()
        .filter(|(method, path)| {
            path.starts_with(prefix) || (method == "POST" && path == "/v1/token")
        })
        .collect()
}

async fn pax8(sandbox: &Sandbox, specs: Vec<Spec>, prefix: &str) -> Conformance {
    let origin = sandbox.pax8().origin();
    let mut c = Conformance::new(origin.as_str(), specs, pax8_routes(prefix));
    let (client_id, secret) = sandbox.pax8().credentials();
    let token = json!({
        "client_id": client_id, "client_secret": secret,
        "audience": sandbox.pax8().audience(), "grant_type": "client_credentials",
    });
    let body = c.call(Method::POST, "/v1/token", Some(token), 200).await;
    c.token = Some(body["access_token"].as_str().unwrap().to_owned());
    c
}

#[tokio::test]
async fn pax8_partner_api_answers_as_its_spec_says() {
    let sandbox = common::sandbox().await;
    let specs = vec![
        Spec::load("pax8/pax8-authentication-openapi.json", "/v1"),
        Spec::load("pax8/pax8-partner-endpoints-openapi.json", "/v1"),
    ];
    let mut c = pax8(&sandbox, specs, "/v1/").await;
    let (client_id, _) = sandbox.pax8().credentials();
    let wrong = json!({
        "client_id": client_id, "client_secret": "wrong",
        "audience": sandbox.pax8().audience(), "grant_type": "client_credentials",
    });
    let token = c.token.take();
    c.call(Method::POST, "/v1/token", Some(wrong), 401).await;
    c.token = token;

    // Companies and contacts.
    c.call(Method::GET, "/v1/companies", None, 200).await;
    c.call(
        Method::GET,
        "/v1/companies?size=200&page=0&sort=name,desc",
        None,
        200,
    )
    .await;
    let new_company = json!({
        "name": "Conformance Co", "address": { "street": "1 Main St", "city": "Boulder", "postalCode": "80301", "country": "US", "stateOrProvince": "CO" },
        "phone": "303-555-0100", "website": "conformance.example.com", "billOnBehalfOfEnabled": false, "selfServiceAllowed": false, "orderApprovalRequired": false,
        "contacts": [{ "firstName": "Ada", "lastName": "Lovelace", "email": "ada@conformance.example.com", "phone": "303-555-0101",
                       "types": [{ "type": "Admin", "primary": true }, { "type": "Billing", "primary": true }, { "type": "Technical", "primary": true }] }]
    });
    let company = id(&c
        .call(Method::POST, "/v1/companies", Some(new_company), 200)
        .await);
    c.call(
        Method::POST,
        "/v1/companies",
        Some(json!({ "name": "x" })),
        422,
    )
    .await;
    c.call(Method::GET, &format!("/v1/companies/{company}"), None, 200)
        .await;
    c.call(Method::GET, &format!("/v1/companies/{UNKNOWN}"), None, 404)
        .await;
    let patch = json!({ "website": "conformance.example.org" });
    c.call(
        Method::PATCH,
        &format!("/v1/companies/{company}"),
        Some(patch.clone()),
        200,
    )
    .await;
    c.call(
        Method::PATCH,
        &format!("/v1/companies/{company}"),
        Some(patch),
        422,
    )
    .await;
    let contacts = format!("/v1/companies/{company}/contacts");
    c.call(Method::GET, &contacts, None, 200).await;
    c.call(
        Method::GET,
        &format!("/v1/companies/{UNKNOWN}/contacts"),
        None,
        404,
    )
    .await;
    let grace = json!({ "firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "phone": "303-555-0199", "types": [{ "type": "Technical", "primary": false }] });
    let contact = id(&c
        .call(Method::POST, &contacts, Some(grace.clone()), 200)
        .await);
    c.call(
        Method::POST,
        &contacts,
        Some(json!({ "firstName": "Grace" })),
        422,
    )
    .await;
    c.call(
        Method::POST,
        &format!("/v1/companies/{UNKNOWN}/contacts"),
        Some(grace.clone()),
        404,
    )
    .await;
    let one = format!("{contacts}/{contact}");
    c.call(Method::GET, &one, None, 200).await;
    c.call(Method::GET, &format!("{contacts}/{UNKNOWN}"), None, 404)
        .await;
    c.call(Method::PUT, &one, Some(grace.clone()), 200).await;
    c.call(
        Method::PUT,
        &one,
        Some(json!({ "firstName": "Grace" })),
        422,
    )
    .await;
    c.call(
        Method::PUT,
        &format!("{contacts}/{UNKNOWN}"),
        Some(grace),
        404,
    )
    .await;
    c.call(Method::DELETE, &one, None, 204).await;
    c.call(Method::DELETE, &one, None, 404).await;

    // Products: every one of the catalog, so each shape is seen (with and without a vendor SKU).
    let all = c
        .call(Method::GET, "/v1/products?size=200", None, 200)
        .await;
    let products: Vec<String> = all["content"].as_array().unwrap().iter().map(id).collect();
    assert!(!products.is_empty());
    for product in &products {
        c.call(Method::GET, &format!("/v1/products/{product}"), None, 200)
            .await;
        for tail in ["provision-details", "dependencies", "pricing"] {
            c.call(
                Method::GET,
                &format!("/v1/products/{product}/{tail}"),
                None,
                200,
            )
            .await;
        }
    }
    for tail in ["", "/provision-details", "/dependencies", "/pricing"] {
        c.call(
            Method::GET,
            &format!("/v1/products/{UNKNOWN}{tail}"),
            None,
            404,
        )
        .await;
    }

    // Orders: a product with a monthly commitment term, ordered for the new company.
    let microsoft = sandbox.pax8().product_id("Microsoft 365 Business Basic");
    let product = microsoft.unwrap_or_else(|| products[0].clone());
    let deps = c
        .call(
            Method::GET,
            &format!("/v1/products/{product}/dependencies"),
            None,
            200,
        )
        .await;
    let commitment = deps["commitmentDependencies"]
        .as_array()
        .and_then(|terms| terms.iter().find(|t| t["term"] == "Monthly"))
        .map(|t| t["id"].clone())
        .unwrap_or(Value::Null);
    let order = |commitment: Value| json!({ "companyId": company, "lineItems": [{ "productId": product, "lineItemNumber": 1, "quantity": 5, "billingTerm": "Monthly", "commitmentTermId": commitment }] });
    c.call(
        Method::POST,
        "/v1/orders",
        Some(json!({ "lineItems": [] })),
        422,
    )
    .await;
    c.call(
        Method::POST,
        "/v1/orders?isMock=true",
        Some(order(commitment.clone())),
        200,
    )
    .await;
    let placed = c
        .call(Method::POST, "/v1/orders", Some(order(commitment)), 200)
        .await;
    let order_id = id(&placed);
    c.call(Method::GET, "/v1/orders", None, 200).await;
    c.call(
        Method::GET,
        &format!("/v1/orders?companyId={company}&size=200"),
        None,
        200,
    )
    .await;
    c.call(Method::GET, &format!("/v1/orders/{order_id}"), None, 200)
        .await;
    c.call(Method::GET, &format!("/v1/orders/{UNKNOWN}"), None, 404)
        .await;

    // Subscriptions: every seeded one read, the new one updated, its history, cancelled.
    let listed = c
        .call(Method::GET, "/v1/subscriptions?size=200", None, 200)
        .await;
    for sub in listed["content"].as_array().unwrap() {
        c.call(
            Method::GET,
            &format!("/v1/subscriptions/{}", id(sub)),
            None,
            200,
        )
        .await;
    }
    let sub = placed["lineItems"][0]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = format!("/v1/subscriptions/{sub}");
    c.call(
        Method::GET,
        &format!("/v1/subscriptions/{UNKNOWN}"),
        None,
        404,
    )
    .await;
    c.call(Method::PUT, &one, Some(json!({ "quantity": 7 })), 200)
        .await;
    c.call(
        Method::PUT,
        &format!("/v1/subscriptions/{UNKNOWN}"),
        Some(json!({ "quantity": 7 })),
        404,
    )
    .await;
    c.call(Method::GET, &format!("{one}/history"), None, 200)
        .await;
    c.call(
        Method::GET,
        &format!("/v1/subscriptions/{UNKNOWN}/history"),
        None,
        404,
    )
    .await;
    c.call(Method::DELETE, &one, None, 204).await;
    c.call(Method::PUT, &one, Some(json!({ "quantity": 8 })), 422)
        .await;
    c.call(
        Method::DELETE,
        &format!("/v1/subscriptions/{UNKNOWN}"),
        None,
        404,
    )
    .await;

    // Usage.
    let azure = sandbox
        .pax8()
        .subscriptions()
        .into_iter()
        .find(|s| s["productName"] == "Azure Plan")
        .expect("a seeded Azure Plan subscription");
    let summaries = c
        .call(
            Method::GET,
            &format!("/v1/subscriptions/{}/usage-summaries", id(&azure)),
            None,
            200,
        )
        .await;
    c.call(
        Method::GET,
        &format!("/v1/subscriptions/{UNKNOWN}/usage-summaries"),
        None,
        404,
    )
    .await;
    let summary = id(&summaries["content"][0]);
    c.call(
        Method::GET,
        &format!("/v1/usage-summaries/{summary}"),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        &format!("/v1/usage-summaries/{summary}/usage-lines?usageDate=2025-05-02"),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        &format!("/v1/usage-summaries/{UNKNOWN}/usage-lines?usageDate=2025-05-02"),
        None,
        404,
    )
    .await;

    // Invoices.
    let invoices = c
        .call(Method::GET, "/v1/invoices?size=200", None, 200)
        .await;
    for invoice in invoices["content"].as_array().unwrap() {
        let invoice = id(invoice);
        c.call(Method::GET, &format!("/v1/invoices/{invoice}"), None, 200)
            .await;
        c.call(
            Method::GET,
            &format!("/v1/invoices/{invoice}/items"),
            None,
            200,
        )
        .await;
    }
    c.call(
        Method::GET,
        &format!("/v1/invoices/{UNKNOWN}/items"),
        None,
        404,
    )
    .await;
    c.call(Method::GET, "/v1/invoices/draftItems", None, 200)
        .await;
    c.call(
        Method::GET,
        "/v1/invoices/draftItems?monthOffset=1",
        None,
        200,
    )
    .await;

    c.finish();
}

#[tokio::test]
async fn pax8_webhooks_api_answers_as_its_spec_says() {
    let sandbox = common::sandbox().await;
    let receiver = common::Receiver::start().await;
    let specs = vec![
        Spec::load("pax8/pax8-webhooks-api-openapi.json", "/api/v2"),
        Spec::load("pax8/pax8-authentication-openapi.json", "/v1"),
    ];
    let mut c = pax8(&sandbox, specs, "/api/v2/").await;
    let token = c.token.take();
    c.call(Method::GET, "/api/v2/webhooks", None, 401).await;
    c.token = token;

    let new_hook = json!({
        "displayName": "Conformance feed", "url": receiver.url, "authorization": "Basic c2FuZGJveDpob29r",
        "contactEmail": "ops@conformance.example.com", "active": true, "errorThreshold": 3,
        "webhookTopics": [{ "topic": "SUBSCRIPTION", "filters": [{ "action": "Cancel", "conditions": [] }] }]
    });
    let hook = c
        .call(Method::POST, "/api/v2/webhooks", Some(new_hook), 200)
        .await;
    let hook_id = id(&hook);
    c.call(
        Method::POST,
        "/api/v2/webhooks",
        Some(json!({ "displayName": "" })),
        400,
    )
    .await;
    c.call(Method::GET, "/api/v2/webhooks", None, 200).await;
    c.call(
        Method::GET,
        "/api/v2/webhooks?topic=SUBSCRIPTION&active=true&page=0&size=5",
        None,
        200,
    )
    .await;
    c.call(Method::GET, "/api/v2/webhooks/topic-definitions", None, 200)
        .await;
    c.call(
        Method::GET,
        "/api/v2/webhooks/topic-definitions?topic=SUBSCRIPTION",
        None,
        200,
    )
    .await;
    let one = format!("/api/v2/webhooks/{hook_id}");
    c.call(Method::GET, &one, None, 200).await;
    c.call(
        Method::GET,
        &format!("/api/v2/webhooks/{UNKNOWN}"),
        None,
        404,
    )
    .await;

    let configuration = json!({
        "displayName": "Conformance feed, renamed", "url": receiver.url,
        "authorization": "Basic c2FuZGJveDpob29r", "contactEmail": "ops@conformance.example.com", "errorThreshold": 5
    });
    c.call(
        Method::POST,
        &format!("{one}/configuration"),
        Some(configuration),
        200,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{one}/configuration"),
        Some(json!({ "displayName": "" })),
        400,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{one}/status"),
        Some(json!({ "active": true })),
        200,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{one}/status"),
        Some(json!({ "active": "yes" })),
        400,
    )
    .await;

    // Topics.
    let topics = format!("{one}/topics");
    let added = c
        .call(
            Method::POST,
            &topics,
            Some(json!({ "topic": "INVOICE", "filters": [] })),
            200,
        )
        .await;
    c.call(
        Method::POST,
        &topics,
        Some(json!({ "topic": "INVOICE", "filters": [] })),
        400,
    )
    .await;
    let invoice_topic = added["webhookTopics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == "INVOICE")
        .map(id)
        .unwrap();
    c.call(
        Method::DELETE,
        &format!("{topics}/{invoice_topic}"),
        None,
        204,
    )
    .await;
    let replaced = c
        .call(
            Method::PUT,
            &topics,
            Some(json!({ "webhookTopics": [
                { "topic": "SUBSCRIPTION", "filters": [{ "action": "Cancel", "conditions": [] }] },
                { "topic": "PRODUCT", "filters": [] }
            ] })),
            200,
        )
        .await;
    c.call(
        Method::PUT,
        &topics,
        Some(json!({ "webhookTopics": [{ "topic": "NO_SUCH_TOPIC" }] })),
        400,
    )
    .await;
    let subscription_topic = replaced["webhookTopics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == "SUBSCRIPTION")
        .map(id)
        .unwrap();
    c.call(
        Method::POST,
        &format!("{topics}/{subscription_topic}/configuration"),
        Some(json!({ "filters": [{ "action": "Cancel", "conditions": [] }] })),
        200,
    )
    .await;

    // A test delivery, its log, and a retry.
    c.call(
        Method::POST,
        &format!("{topics}/SUBSCRIPTION/test"),
        None,
        200,
    )
    .await;
    receiver.wait_for(1).await;
    let logs = c.call(Method::GET, &format!("{one}/logs"), None, 200).await;
    let log_id = id(&logs["content"][0]);
    c.call(Method::GET, &format!("{one}/logs/{log_id}"), None, 200)
        .await;
    c.call(Method::GET, &format!("{one}/logs/{UNKNOWN}"), None, 404)
        .await;
    c.call(
        Method::POST,
        &format!("{one}/logs/{log_id}/retry"),
        None,
        202,
    )
    .await;
    let delivered = receiver.wait_for(2).await;
    c.deliveries(
        "pax8/pax8-webhooks-api-openapi.json",
        "WebhookPayload",
        &delivered,
    );

    c.call(Method::DELETE, &one, None, 204).await;
    c.call(Method::DELETE, &one, None, 404).await;

    c.finish();
}

#[tokio::test]
async fn pax8_quoting_api_answers_as_its_spec_says() {
    let sandbox = common::sandbox().await;
    let specs = vec![
        Spec::load("pax8/pax8-quoting-endpoints-openapi.json", ""),
        Spec::load("pax8/pax8-authentication-openapi.json", "/v1"),
    ];
    let mut c = pax8(&sandbox, specs, "/v2/").await;
    let company = sandbox.pax8().companies()[5]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Quotes: the list with its paging, filters and sort; create, read, update.
    c.call(Method::GET, "/v2/quotes", None, 200).await;
    c.call(
        Method::GET,
        "/v2/quotes?account=partner&limit=2&page=1&sort=createdOn,desc",
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        "/v2/quotes?account=partner&status=sent,expired&intentType=PARTNER_TO_CLIENT&search=a",
        None,
        200,
    )
    .await;
    c.call(Method::GET, "/v2/quotes?limit=0", None, 400).await;
    c.call(Method::GET, "/v2/quotes?status=lost", None, 400)
        .await;
    c.call(Method::GET, "/v2/quotes?sort=price,asc", None, 400)
        .await;
    let quote = id(&c
        .call(
            Method::POST,
            "/v2/quotes",
            Some(json!({ "clientId": company })),
            201,
        )
        .await);
    c.call(Method::POST, "/v2/quotes", Some(json!({})), 400)
        .await;
    c.call(
        Method::POST,
        "/v2/quotes",
        Some(json!({ "clientId": UNKNOWN })),
        400,
    )
    .await;
    let one = format!("/v2/quotes/{quote}");
    c.call(Method::GET, &one, None, 200).await;
    c.call(Method::GET, &format!("/v2/quotes/{UNKNOWN}"), None, 404)
        .await;
    let update = json!({
        "expiresOn": "2030-01-31T00:00:00Z", "introMessage": "Your licences for next year",
        "termsAndDisclaimers": "Prices in USD.", "published": true, "status": "sent"
    });
    c.call(Method::PUT, &one, Some(update.clone()), 200).await;
    c.call(Method::PUT, &one, Some(json!({ "status": "sent" })), 400)
        .await;
    c.call(
        Method::PUT,
        &format!("/v2/quotes/{UNKNOWN}"),
        Some(update),
        404,
    )
    .await;

    // Line items of every kind, their update and deletion.
    let items = format!("/v2/quotes/{quote}/line-items");
    let product = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Basic")
        .unwrap();
    let added = c
        .call(
            Method::POST,
            &items,
            Some(json!([
                { "type": "Standard", "productId": product, "billingTerm": "Monthly", "quantity": 5, "price": 7.2, "effectiveDate": "2030-01-01T00:00:00Z" },
                { "type": "Custom", "productName": "Onboarding", "productSku": "ONB-1", "billingTerm": "One-Time", "quantity": 1, "price": 500, "cost": 200, "initialTotal": 500, "effectiveDate": "2030-01-01T00:00:00Z", "note": "Setup" },
                { "type": "UsageBased", "productId": product, "billingTerm": "Monthly", "quantity": 1, "price": 10, "cost": 8, "usageBased": { "displayNote": true, "type": "QTY_VARIES" }, "effectiveDate": "2030-01-01T00:00:00Z" }
            ])),
            201,
        )
        .await;
    let item_ids: Vec<String> = added.as_array().unwrap().iter().map(id).collect();
    c.call(
        Method::POST,
        &items,
        Some(json!([{ "type": "Standard", "productId": UNKNOWN, "billingTerm": "Monthly", "quantity": 1, "price": 1, "effectiveDate": "2030-01-01T00:00:00Z" }])),
        400,
    )
    .await;
    c.call(
        Method::POST,
        &format!("/v2/quotes/{UNKNOWN}/line-items"),
        Some(json!([{ "type": "Custom" }])),
        404,
    )
    .await;
    let change = json!([{ "type": "Standard", "id": item_ids[0], "billingTerm": "Annual", "quantity": 6, "price": 7.0, "effectiveDate": "2030-02-01T00:00:00Z" }]);
    c.call(Method::PUT, &items, Some(change), 200).await;
    c.call(
        Method::PUT,
        &items,
        Some(json!([{ "type": "Standard", "id": item_ids[0], "billingTerm": "Weekly", "quantity": 6, "price": 7.0, "effectiveDate": "2030-02-01T00:00:00Z" }])),
        400,
    )
    .await;
    c.call(
        Method::PUT,
        &items,
        Some(json!([{ "type": "Standard", "id": UNKNOWN, "billingTerm": "Annual", "quantity": 6, "price": 7.0, "effectiveDate": "2030-02-01T00:00:00Z" }])),
        404,
    )
    .await;
    c.call(Method::GET, &one, None, 200).await;
    c.call(
        Method::GET,
        "/v2/quotes?limit=200&sort=totals.recurringTotal,desc",
        None,
        200,
    )
    .await;

    // Sections.
    let sections = format!("/v2/quotes/{quote}/sections");
    c.call(Method::GET, &sections, None, 200).await;
    let created = c
        .call(
            Method::POST,
            &sections,
            Some(json!({ "name": "Licences" })),
            201,
        )
        .await;
    c.call(Method::POST, &sections, Some(json!({})), 400).await;
    c.call(
        Method::GET,
        &format!("/v2/quotes/{UNKNOWN}/sections"),
        None,
        404,
    )
    .await;
    let section = id(&created["sections"][0]);
    c.call(
        Method::PUT,
        &sections,
        Some(json!({ "sections": [{ "id": section, "name": "Licences and services", "order": 0,
                     "lineItems": [{ "lineItemId": item_ids[0], "order": 0 }, { "lineItemId": item_ids[1], "order": 1 }] }] })),
        200,
    )
    .await;
    c.call(
        Method::PUT,
        &sections,
        Some(json!({ "sections": [{ "id": UNKNOWN, "name": "x", "order": 0, "lineItems": [] }] })),
        400,
    )
    .await;

    c.call(
        Method::DELETE,
        &format!("{items}/{}", item_ids[2]),
        None,
        204,
    )
    .await;
    c.call(Method::DELETE, &format!("{items}/{UNKNOWN}"), None, 404)
        .await;
    c.call(
        Method::POST,
        &format!("{items}/bulk-delete"),
        Some(json!({ "lineItemIds": [item_ids[0]] })),
        204,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{items}/bulk-delete"),
        Some(json!({ "lineItemIds": [UNKNOWN] })),
        404,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{items}/bulk-delete"),
        Some(json!({})),
        400,
    )
    .await;
    c.call(Method::GET, &sections, None, 200).await;

    // The access list.
    let access = format!("/v2/quotes/{quote}/access-list");
    c.call(Method::GET, &access, None, 200).await;
    let entries = c
        .call(
            Method::POST,
            &access,
            Some(json!([
                { "email": "owner@client.example.com", "accountType": "contact", "accountName": "Client Owner" },
                { "email": "cfo@client.example.com" }
            ])),
            201,
        )
        .await;
    c.call(
        Method::POST,
        &access,
        Some(json!([{ "email": "cfo@client.example.com" }])),
        400,
    )
    .await;
    c.call(Method::GET, &access, None, 200).await;
    let entry = id(&entries[0]);
    c.call(Method::DELETE, &format!("{access}/{entry}"), None, 204)
        .await;
    c.call(Method::DELETE, &format!("{access}/{entry}"), None, 404)
        .await;

    // Preferences.
    c.call(Method::GET, "/v2/quote-preferences", None, 200)
        .await;
    c.call(
        Method::PUT,
        "/v2/quote-preferences",
        Some(json!({ "daysToExpire": 14, "introMessage": "Hello", "termsAndDisclaimers": "Net 30", "salesMarginPercentage": 12.5 })),
        200,
    )
    .await;
    c.call(
        Method::PUT,
        "/v2/quote-preferences",
        Some(json!({ "daysToExpire": 0 })),
        400,
    )
    .await;
    c.call(
        Method::POST,
        "/v2/quotes",
        Some(json!({ "clientId": company })),
        201,
    )
    .await;

    // Attachments: the library, the quote's, copies both ways, downloads of the stored bytes.
    let pdf: &[u8] = b"%PDF-1.4 conformance";
    let uploaded = c
        .upload(
            Method::POST,
            "/v2/quote-attachments",
            "attachments",
            &[("terms.pdf", "application/pdf", pdf)],
            201,
        )
        .await;
    let library_file = id(&uploaded[0]);
    c.upload(
        Method::POST,
        "/v2/quote-attachments",
        "other",
        &[("x.pdf", "application/pdf", pdf)],
        400,
    )
    .await;
    c.call(Method::GET, "/v2/quote-attachments", None, 200)
        .await;
    let in_library = format!("/v2/quote-attachments/{library_file}");
    c.call(Method::GET, &in_library, None, 200).await;
    c.call(
        Method::GET,
        &format!("/v2/quote-attachments/{UNKNOWN}"),
        None,
        404,
    )
    .await;
    assert_eq!(
        c.download(&format!("{in_library}?download=true")).await,
        pdf
    );
    c.call(
        Method::PUT,
        "/v2/quote-attachments",
        Some(json!([{ "id": library_file, "name": "Terms.pdf", "order": 0 }])),
        200,
    )
    .await;
    c.call(
        Method::PUT,
        "/v2/quote-attachments",
        Some(json!([{ "id": library_file, "order": 0 }])),
        400,
    )
    .await;
    c.upload(
        Method::PATCH,
        &in_library,
        "attachment",
        &[("terms-2.pdf", "application/pdf", b"%PDF-1.4 replaced")],
        200,
    )
    .await;
    c.upload(
        Method::PATCH,
        &format!("/v2/quote-attachments/{UNKNOWN}"),
        "attachment",
        &[("x.pdf", "application/pdf", pdf)],
        404,
    )
    .await;
    let files = format!("/v2/quotes/{quote}/attachments");
    let on_quote = c
        .upload(
            Method::POST,
            &files,
            "attachments",
            &[("proposal.pdf", "application/pdf", pdf)],
            201,
        )
        .await;
    let quote_file = id(&on_quote[0]);
    c.upload(
        Method::POST,
        &format!("/v2/quotes/{UNKNOWN}/attachments"),
        "attachments",
        &[("proposal.pdf", "application/pdf", pdf)],
        404,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{files}/shared"),
        Some(json!([{ "attachmentId": library_file }])),
        201,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{files}/shared"),
        Some(json!([{ "attachmentId": UNKNOWN }])),
        404,
    )
    .await;
    c.call(
        Method::PUT,
        &files,
        Some(json!([{ "id": quote_file, "name": "Proposal.pdf", "order": 1 }])),
        200,
    )
    .await;
    c.call(
        Method::PUT,
        &files,
        Some(json!([{ "id": UNKNOWN, "name": "x", "order": 1 }])),
        404,
    )
    .await;
    let one_file = format!("{files}/{quote_file}");
    c.call(Method::GET, &one_file, None, 200).await;
    c.call(Method::GET, &format!("{files}/{UNKNOWN}"), None, 404)
        .await;
    assert_eq!(c.download(&format!("{one_file}?download=true")).await, pdf);
    c.call(Method::GET, &one, None, 200).await;
    c.call(
        Method::POST,
        "/v2/quote-attachments/shared",
        Some(json!([{ "attachmentId": quote_file }])),
        201,
    )
    .await;
    c.call(
        Method::POST,
        "/v2/quote-attachments/shared",
        Some(json!([{ "attachmentId": UNKNOWN }])),
        404,
    )
    .await;
    let zip = c.download(&format!("{files}?downloadZip=true")).await;
    assert!(zip.starts_with(b"PK\x03\x04"), "a zip");
    c.call(Method::GET, &files, None, 400).await;
    let defaults = c
        .call(
            Method::POST,
            "/v2/quote-preferences/attachments",
            Some(json!({ "attachments": [library_file] })),
            201,
        )
        .await;
    c.call(
        Method::POST,
        "/v2/quote-preferences/attachments",
        Some(json!({ "attachments": [UNKNOWN] })),
        404,
    )
    .await;
    c.call(Method::GET, "/v2/quote-preferences", None, 200)
        .await;
    c.call(
        Method::POST,
        "/v2/quotes",
        Some(json!({ "clientId": company })),
        201,
    )
    .await;
    let default = format!("/v2/quote-preferences/attachments/{}", id(&defaults[0]));
    c.call(Method::DELETE, &default, None, 204).await;
    c.call(Method::DELETE, &default, None, 404).await;
    c.call(Method::DELETE, &one_file, None, 204).await;
    c.call(Method::DELETE, &one_file, None, 404).await;
    c.call(Method::DELETE, &in_library, None, 204).await;
    c.call(Method::DELETE, &in_library, None, 404).await;

    // Take ownership of a colleague's quote.
    let listed = c
        .call(
            Method::GET,
            "/v2/quotes?account=partner&limit=200",
            None,
            200,
        )
        .await;
    let me = listed["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == quote.as_str())
        .map(|q| q["ownedBy"]["id"].clone())
        .unwrap();
    let theirs = listed["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["ownedBy"]["id"] != me)
        .map(id)
        .expect("a seeded quote another user owns");
    let take = format!("/v2/quotes/{theirs}/take-ownership");
    c.call(Method::POST, &take, None, 200).await;
    c.call(Method::POST, &take, None, 400).await;
    c.call(
        Method::POST,
        &format!("/v2/quotes/{UNKNOWN}/take-ownership"),
        None,
        404,
    )
    .await;

    // Delete.
    c.call(Method::DELETE, &one, None, 204).await;
    c.call(Method::DELETE, &one, None, 404).await;

    c.finish();
}

/// Routes of the PayPal simulator that are no API operation of a spec, and why.
const PAYPAL_NOT_IN_A_SPEC: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/v1/oauth2/token",
        "the OAuth token endpoint: no spec of it is published with the REST specs",
    ),
    ("GET", "/checkoutnow", "the buyer's approval page (HTML)"),
    (
        "POST",
        "/checkoutnow",
        "the buyer's approval page (HTML form)",
    ),
    (
        "GET",
        "/bizsignup/partner/entry",
        "the seller's sign-up page (HTML)",
    ),
    (
        "POST",
        "/bizsignup/partner/entry",
        "the seller's sign-up page (HTML form)",
    ),
    (
        "GET",
        "CERT_PATH",
        "the webhook signing certificate (PEM), fetched from paypal-cert-url",
    ),
];

/// The self link of a PayPal HATEOAS `links` array, as a path.
fn self_path(links: &Value, base: &str) -> String {
    links
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "self"))
        .and_then(|l| l["href"].as_str())
        .unwrap_or_else(|| panic!("no self link in {links}"))
        .trim_start_matches(base.trim_end_matches('/'))
        .to_owned()
}

#[tokio::test]
async fn paypal_answers_as_its_specs_say() {
    let receiver = common::Receiver::start().await;
    let configured = common::Receiver::start().await;
    let sandbox = Sandbox::start(
        partner_sandbox::SandboxConfig::new()
            .seed(7)
            .paypal_webhook_url(configured.url.parse().unwrap())
            .paypal_payout_processing(std::time::Duration::from_millis(50)),
    )
    .await
    .expect("sandbox starts");
    let base = sandbox.paypal().base_url().to_string();
    let specs = [
        "paypal/customer_partner_referrals_v2.json",
        "paypal/customer_partner_referrals_v1.json",
        "paypal/checkout_orders_v2.json",
        "paypal/payments_payment_v2.json",
        "paypal/referenced_payouts_v1.json",
        "paypal/notifications_webhooks_v1.json",
        "paypal/payments_payouts_batch_v1.json",
    ]
    .into_iter()
    .map(|file| Spec::load(file, ""))
    .collect();
    let routes = declared_routes("paypal")
        .into_iter()
        .filter(|(m, p)| {
            !PAYPAL_NOT_IN_A_SPEC
                .iter()
                .any(|(em, ep, _)| em == m && ep == p)
        })
        .collect();
    let mut c = Conformance::new(&base, specs, routes);
    let creds = sandbox.paypal().credentials().clone();
    let token: Value = c
        .client
        .post(format!("{}/v1/oauth2/token", c.base))
        .basic_auth(&creds.client_id, Some(&creds.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    c.token = Some(token["access_token"].as_str().unwrap().to_owned());

    // Partner referrals and the seller's status.
    let referral = json!({
        "tracking_id": "conformance-seller",
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
        "partner_config_override": { "return_url": "https://partner.example.com/paypal/return" }
    });
    let created = c
        .call(
            Method::POST,
            "/v2/customer/partner-referrals",
            Some(referral.clone()),
            201,
        )
        .await;
    // 400s with issues the spec lists for this operation (it lists no MISSING_REQUIRED_PARAMETER).
    let mut too_long = referral.clone();
    too_long["tracking_id"] = json!("t".repeat(128));
    c.call(
        Method::POST,
        "/v2/customer/partner-referrals",
        Some(too_long),
        400,
    )
    .await;
    let mut bad_url = referral;
    bad_url["partner_config_override"]["return_url"] = json!("not a url");
    c.call(
        Method::POST,
        "/v2/customer/partner-referrals",
        Some(bad_url),
        400,
    )
    .await;
    let referral_path = self_path(&created["links"], &base);
    c.call(Method::GET, &referral_path, None, 200).await;
    c.call(
        Method::GET,
        "/v2/customer/partner-referrals/NO-SUCH-REFERRAL",
        None,
        404,
    )
    .await;
    let partner = &creds.partner_id;
    let find = format!(
        "/v1/customer/partners/{partner}/merchant-integrations?tracking_id=conformance-seller"
    );
    c.call(Method::GET, &find, None, 404).await;
    let referral_id = referral_path.rsplit('/').next().unwrap().to_owned();
    let merchant = sandbox
        .paypal()
        .complete_onboarding(
            &referral_id,
            partner_sandbox::paypal::SellerChoices::default(),
        )
        .unwrap();
    c.call(Method::GET, &find, None, 200).await;
    c.call(
        Method::GET,
        &format!("/v1/customer/partners/{partner}/merchant-integrations/{merchant}"),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        &format!(
            "/v1/customer/partners/{}/merchant-integrations/{merchant}",
            creds.client_id
        ),
        None,
        403,
    )
    .await;

    // Orders, captures, refunds.
    let order = json!({
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
    let full = [
        ("Prefer", "return=representation"),
        ("PayPal-Request-Id", "conformance-order-1"),
    ];
    let created = c
        .call_with(
            Method::POST,
            "/v2/checkout/orders",
            &full,
            Some(order.clone()),
            201,
        )
        .await;
    let order_id = id(&created);
    c.call(Method::POST, "/v2/checkout/orders", Some(order), 201)
        .await;
    c.call(
        Method::POST,
        "/v2/checkout/orders",
        Some(json!({ "intent": "CAPTURE" })),
        400,
    )
    .await;
    c.call(
        Method::GET,
        &format!("/v2/checkout/orders/{order_id}"),
        None,
        200,
    )
    .await;
    c.call(Method::GET, "/v2/checkout/orders/NO-SUCH-ORDER", None, 404)
        .await;
    let capture = format!("/v2/checkout/orders/{order_id}/capture");
    c.call(Method::POST, &capture, Some(json!({})), 422).await;
    c.call(
        Method::POST,
        "/v2/checkout/orders/NO-SUCH-ORDER/capture",
        Some(json!({})),
        404,
    )
    .await;
    sandbox.paypal().approve_order(&order_id).unwrap();
    let captured = c
        .call_with(
            Method::POST,
            &capture,
            &[("Prefer", "return=representation")],
            Some(json!({})),
            201,
        )
        .await;
    c.call(
        Method::GET,
        &format!("/v2/checkout/orders/{order_id}"),
        None,
        200,
    )
    .await;
    let capture_id = id(&captured["purchase_units"][0]["payments"]["captures"][0]);
    c.call(
        Method::GET,
        &format!("/v2/payments/captures/{capture_id}"),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        "/v2/payments/captures/NO-SUCH-CAPTURE",
        None,
        404,
    )
    .await;

    // The referenced payout that releases the delayed funds.
    let payout = json!({ "reference_id": capture_id, "reference_type": "TRANSACTION_ID" });
    let item = c
        .call(
            Method::POST,
            "/v1/payments/referenced-payouts-items",
            Some(payout.clone()),
            200,
        )
        .await;
    c.call(
        Method::POST,
        "/v1/payments/referenced-payouts-items",
        Some(payout),
        409,
    )
    .await;
    let item_path = self_path(&item["links"], &base);
    c.call(Method::GET, &item_path, None, 200).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    c.call(Method::GET, &item_path, None, 200).await;

    let refund = format!("/v2/payments/captures/{capture_id}/refund");
    let partial = c
        .call_with(
            Method::POST,
            &refund,
            &[("Prefer", "return=representation")],
            Some(json!({ "amount": { "currency_code": "USD", "value": "40.00" } })),
            201,
        )
        .await;
    c.call(
        Method::POST,
        &refund,
        Some(json!({ "amount": { "currency_code": "USD", "value": "60.01" } })),
        422,
    )
    .await;
    c.call(Method::POST, &refund, Some(json!({})), 201).await;
    c.call(
        Method::GET,
        &format!("/v2/payments/refunds/{}", id(&partial)),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        "/v2/payments/refunds/NO-SUCH-REFUND",
        None,
        404,
    )
    .await;
    c.call(
        Method::GET,
        &format!("/v2/payments/captures/{capture_id}"),
        None,
        200,
    )
    .await;

    // Order updates, confirming a payment source, trackers.
    let small = json!({
        "intent": "CAPTURE",
        "purchase_units": [{ "amount": { "currency_code": "USD", "value": "20.00" }, "payee": { "merchant_id": merchant } }]
    });
    let patched = id(&c
        .call(
            Method::POST,
            "/v2/checkout/orders",
            Some(small.clone()),
            201,
        )
        .await);
    let patch_path = format!("/v2/checkout/orders/{patched}");
    let unit = "/purchase_units/@reference_id=='default'";
    c.call(
        Method::PATCH,
        &patch_path,
        Some(json!([
            { "op": "replace", "path": format!("{unit}/amount"), "value": { "currency_code": "USD", "value": "25.00" } },
            { "op": "add", "path": format!("{unit}/description"), "value": "Patched" }
        ])),
        204,
    )
    .await;
    c.call(
        Method::PATCH,
        &patch_path,
        Some(json!([{ "op": "replace", "path": format!("{unit}/reference_id"), "value": "x" }])),
        422,
    )
    .await;
    c.call(
        Method::PATCH,
        &patch_path,
        Some(json!([{ "op": "add", "path": format!("{unit}/description"), "value": "twice" }])),
        400,
    )
    .await;
    c.call(
        Method::PATCH,
        "/v2/checkout/orders/NO-SUCH-ORDER",
        Some(json!([{ "op": "add", "path": format!("{unit}/description"), "value": "x" }])),
        404,
    )
    .await;
    let confirm = format!("/v2/checkout/orders/{patched}/confirm-payment-source");
    c.call(
        Method::POST,
        &confirm,
        Some(json!({ "payment_source": {} })),
        422,
    )
    .await;
    c.call(
        Method::POST,
        &confirm,
        Some(json!({ "payment_source": { "paypal": { "email_address": "buyer@example.com" } } })),
        200,
    )
    .await;
    sandbox.paypal().approve_order(&patched).unwrap();
    let done = c
        .call(
            Method::POST,
            &format!("/v2/checkout/orders/{patched}/capture"),
            Some(json!({})),
            201,
        )
        .await;
    c.call(
        Method::PATCH,
        &patch_path,
        Some(json!([{ "op": "replace", "path": format!("{unit}/description"), "value": "late" }])),
        422,
    )
    .await;
    let done_capture = id(&done["purchase_units"][0]["payments"]["captures"][0]);
    let track = format!("/v2/checkout/orders/{patched}/track");
    let tracked = c
        .call(
            Method::POST,
            &track,
            Some(json!({ "capture_id": done_capture, "tracking_number": "1Z999AA10123456784", "carrier": "UPS" })),
            201,
        )
        .await;
    c.call(
        Method::POST,
        &track,
        Some(json!({ "capture_id": "NOSUCHCAPTURE", "tracking_number": "1Z9", "carrier": "UPS" })),
        422,
    )
    .await;
    c.call(
        Method::POST,
        &track,
        Some(json!({ "tracking_number": "1Z9", "carrier": "UPS" })),
        400,
    )
    .await;
    let tracker_id = tracked["purchase_units"][0]["shipping"]["trackers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let tracker = format!("/v2/checkout/orders/{patched}/trackers/{tracker_id}");
    c.call(
        Method::PATCH,
        &tracker,
        Some(json!([{ "op": "replace", "path": "/status", "value": "CANCELLED" }])),
        204,
    )
    .await;
    c.call(
        Method::PATCH,
        &tracker,
        Some(json!([{ "op": "replace", "path": "/capture_id", "value": "X" }])),
        422,
    )
    .await;
    c.call(
        Method::PATCH,
        &format!("/v2/checkout/orders/{patched}/trackers/NO-SUCH-TRACKER"),
        Some(json!([{ "op": "replace", "path": "/status", "value": "SHIPPED" }])),
        404,
    )
    .await;
    c.call(Method::GET, &patch_path, None, 200).await;

    // Authorize, then capture, void and reauthorize.
    let mut authorize_order = small;
    authorize_order["intent"] = json!("AUTHORIZE");
    authorize_order["purchase_units"][0]["payment_instruction"] =
        json!({ "platform_fees": [{ "amount": { "currency_code": "USD", "value": "1.00" } }] });
    let auth_order = id(&c
        .call(
            Method::POST,
            "/v2/checkout/orders",
            Some(authorize_order.clone()),
            201,
        )
        .await);
    let authorize = format!("/v2/checkout/orders/{auth_order}/authorize");
    c.call(Method::POST, &authorize, Some(json!({})), 422).await;
    c.call(
        Method::POST,
        "/v2/checkout/orders/NO-SUCH-ORDER/authorize",
        Some(json!({})),
        404,
    )
    .await;
    sandbox.paypal().approve_order(&auth_order).unwrap();
    let authorized = c
        .call_with(
            Method::POST,
            &authorize,
            &[("PayPal-Request-Id", "conformance-authorize-1")],
            Some(json!({})),
            201,
        )
        .await;
    c.call_with(
        Method::POST,
        &authorize,
        &[("PayPal-Request-Id", "conformance-authorize-1")],
        Some(json!({})),
        200,
    )
    .await;
    let auth_id = id(&authorized["purchase_units"][0]["payments"]["authorizations"][0]);
    let auth_path = format!("/v2/payments/authorizations/{auth_id}");
    c.call(Method::GET, &auth_path, None, 200).await;
    c.call(
        Method::GET,
        "/v2/payments/authorizations/NO-SUCH-AUTH",
        None,
        404,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{auth_path}/reauthorize"),
        Some(json!({})),
        422,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{auth_path}/capture"),
        Some(json!({ "amount": { "currency_code": "USD", "value": "5.00" } })),
        201,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{auth_path}/capture"),
        Some(json!({ "amount": { "currency_code": "USD", "value": "99.00" } })),
        422,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{auth_path}/capture"),
        Some(json!({ "final_capture": true })),
        201,
    )
    .await;
    c.call(Method::POST, &format!("{auth_path}/void"), None, 422)
        .await;
    c.call(
        Method::POST,
        "/v2/payments/authorizations/NO-SUCH-AUTH/capture",
        Some(json!({})),
        404,
    )
    .await;
    c.call(
        Method::GET,
        &format!("/v2/checkout/orders/{auth_order}"),
        None,
        200,
    )
    .await;
    let second = id(&c
        .call(
            Method::POST,
            "/v2/checkout/orders",
            Some(authorize_order),
            201,
        )
        .await);
    sandbox.paypal().approve_order(&second).unwrap();
    let authorized = c
        .call(
            Method::POST,
            &format!("/v2/checkout/orders/{second}/authorize"),
            Some(json!({})),
            201,
        )
        .await;
    let second_auth = id(&authorized["purchase_units"][0]["payments"]["authorizations"][0]);
    sandbox
        .paypal()
        .advance_clock(std::time::Duration::from_secs(4 * 86_400));
    let reauthorized = c
        .call(
            Method::POST,
            &format!("/v2/payments/authorizations/{second_auth}/reauthorize"),
            Some(json!({ "amount": { "currency_code": "USD", "value": "22.00" } })),
            201,
        )
        .await;
    c.call_with(
        Method::POST,
        &format!("/v2/payments/authorizations/{}/void", id(&reauthorized)),
        &[("Prefer", "return=representation")],
        None,
        200,
    )
    .await;
    c.call(
        Method::POST,
        &format!("/v2/payments/authorizations/{second_auth}/void"),
        None,
        422,
    )
    .await;

    // Payout batches: create, show (paged), items, cancel an unclaimed one.
    let payouts = json!({
        "sender_batch_header": { "sender_batch_id": "conformance-batch-1", "email_subject": "A payout" },
        "items": [
            { "recipient_type": "PAYPAL_ID", "receiver": merchant, "amount": { "currency": "USD", "value": "10.00" }, "sender_item_id": "paid" },
            { "recipient_type": "EMAIL", "receiver": "nobody@example.com", "amount": { "currency": "USD", "value": "5.00" }, "sender_item_id": "unclaimed" }
        ]
    });
    let payout = c
        .call(
            Method::POST,
            "/v1/payments/payouts",
            Some(payouts.clone()),
            201,
        )
        .await;
    c.call(Method::POST, "/v1/payments/payouts", Some(payouts), 400)
        .await;
    let payout_path = self_path(&payout["links"], &base);
    c.call(Method::GET, &payout_path, None, 200).await;
    sandbox
        .paypal()
        .advance_clock(std::time::Duration::from_secs(1));
    let shown = c
        .call(
            Method::GET,
            &format!("{payout_path}?page=1&page_size=1&total_required=true"),
            None,
            200,
        )
        .await;
    c.call(Method::GET, "/v1/payments/payouts/NOSUCHBATCH", None, 404)
        .await;
    let full = c.call(Method::GET, &payout_path, None, 200).await;
    let paid = full["items"][0]["payout_item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let unclaimed = full["items"][1]["payout_item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(shown["batch_header"]["batch_status"], "SUCCESS");
    c.call(
        Method::GET,
        &format!("/v1/payments/payouts-item/{unclaimed}"),
        None,
        200,
    )
    .await;
    c.call(
        Method::GET,
        "/v1/payments/payouts-item/NOSUCHITEM",
        None,
        404,
    )
    .await;
    c.call(
        Method::POST,
        &format!("/v1/payments/payouts-item/{unclaimed}/cancel"),
        None,
        200,
    )
    .await;
    c.call(
        Method::POST,
        &format!("/v1/payments/payouts-item/{paid}/cancel"),
        None,
        400,
    )
    .await;
    c.call(
        Method::POST,
        "/v1/payments/payouts-item/NOSUCHITEM/cancel",
        None,
        404,
    )
    .await;

    // A referenced batch: the capture released above fails, an unknown one too.
    let referenced = c
        .call(
            Method::POST,
            "/v1/payments/referenced-payouts",
            Some(json!({ "referenced_payouts": [
                { "reference_id": capture_id, "reference_type": "TRANSACTION_ID" },
                { "reference_id": "NOSUCHCAPTURE", "reference_type": "TRANSACTION_ID" }
            ] })),
            200,
        )
        .await;
    c.call(
        Method::GET,
        &self_path(&referenced["links"], &base),
        None,
        200,
    )
    .await;

    // Webhooks: register, list, read, verify a delivery, delete.
    let registered = c
        .call(
            Method::POST,
            "/v1/notifications/webhooks",
            Some(json!({ "url": receiver.url, "event_types": [{ "name": "PAYMENT.CAPTURE.REFUNDED" }] })),
            201,
        )
        .await;
    c.call(
        Method::POST,
        "/v1/notifications/webhooks",
        Some(json!({ "url": "not a url", "event_types": [] })),
        400,
    )
    .await;
    let webhook_id = id(&registered);
    c.call(Method::GET, "/v1/notifications/webhooks", None, 200)
        .await;
    let one = format!("/v1/notifications/webhooks/{webhook_id}");
    c.call(Method::GET, &one, None, 200).await;
    c.call(
        Method::GET,
        "/v1/notifications/webhooks/WH-NO-SUCH",
        None,
        404,
    )
    .await;
    let verify = json!({
        "auth_algo": "SHA256withRSA", "cert_url": sandbox.paypal().cert_url().as_str(),
        "transmission_id": "b2384410-f8d2-11ec-b939-0242ac120002", "transmission_sig": "bm90IGEgc2lnbmF0dXJl",
        "transmission_time": "2026-01-01T00:00:00Z", "webhook_id": webhook_id,
        "webhook_event": { "id": "WH-EVENT", "event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {} }
    });
    c.call(
        Method::POST,
        "/v1/notifications/verify-webhook-signature",
        Some(verify),
        200,
    )
    .await;
    c.call(
        Method::PATCH,
        &one,
        Some(json!([{ "op": "replace", "path": "/event_types", "value": [
            { "name": "PAYMENT.CAPTURE.REFUNDED" }, { "name": "PAYMENT.CAPTURE.COMPLETED" }
        ] }])),
        200,
    )
    .await;
    c.call(
        Method::PATCH,
        &one,
        Some(json!([{ "op": "replace", "path": "/id", "value": "X" }])),
        400,
    )
    .await;
    c.call(Method::GET, &format!("{one}/event-types"), None, 200)
        .await;
    c.call(
        Method::GET,
        "/v1/notifications/webhooks/WHNOSUCH/event-types",
        None,
        404,
    )
    .await;
    c.call(
        Method::GET,
        "/v1/notifications/webhooks-event-types",
        None,
        200,
    )
    .await;

    // Webhook lookups.
    let lookup = c
        .call(Method::POST, "/v1/notifications/webhooks-lookup", None, 201)
        .await;
    c.call(Method::GET, "/v1/notifications/webhooks-lookup", None, 200)
        .await;
    let lookup_path = self_path(&lookup["links"], &base);
    c.call(Method::GET, &lookup_path, None, 200).await;
    c.call(Method::DELETE, &lookup_path, None, 204).await;
    c.call(Method::DELETE, &lookup_path, None, 404).await;

    // Event notifications: the flows' events, simulated ones, paging, resend.
    let simulated = c
        .call(
            Method::POST,
            "/v1/notifications/simulate-event",
            Some(json!({ "webhook_id": webhook_id, "event_type": "PAYMENT.CAPTURE.COMPLETED" })),
            202,
        )
        .await;
    c.call(
        Method::POST,
        "/v1/notifications/simulate-event",
        Some(json!({ "event_type": "NO.SUCH.TYPE", "url": receiver.url })),
        400,
    )
    .await;
    let page = c
        .call(
            Method::GET,
            "/v1/notifications/webhooks-events?page_size=2",
            None,
            200,
        )
        .await;
    let next = page["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "next"))
        .and_then(|l| l["href"].as_str())
        .expect("a next link")
        .trim_start_matches(base.trim_end_matches('/'))
        .to_owned();
    c.call(Method::GET, &next, None, 200).await;
    c.call(
        Method::GET,
        "/v1/notifications/webhooks-events?page_size=0",
        None,
        400,
    )
    .await;
    let event_path = self_path(&simulated["links"], &base);
    c.call(Method::GET, &event_path, None, 200).await;
    c.call(
        Method::GET,
        "/v1/notifications/webhooks-events/WH-NOSUCH",
        None,
        404,
    )
    .await;
    c.call(
        Method::POST,
        &format!("{event_path}/resend"),
        Some(json!({ "webhook_ids": [webhook_id] })),
        202,
    )
    .await;
    c.call(
        Method::POST,
        "/v1/notifications/webhooks-events/WH-NOSUCH/resend",
        Some(json!({})),
        404,
    )
    .await;
    c.call(Method::DELETE, &one, None, 204).await;
    c.call(Method::DELETE, &one, None, 404).await;

    // The events sent to the configured URL: onboarding completed, capture completed, two refunds,
    // the patched order's capture, two authorizations created, two captures of one, and a void.
    let delivered = configured.wait_for(10).await;
    c.deliveries("paypal/notifications_webhooks_v1.json", "event", &delivered);
    // The registered webhook's: a simulated event and its resend.
    let hooked = receiver.wait_for(2).await;
    c.deliveries("paypal/notifications_webhooks_v1.json", "event", &hooked);

    // A token that is no token.
    c.token = Some("not-a-token".to_owned());
    c.call(
        Method::GET,
        &format!("/v2/checkout/orders/{order_id}"),
        None,
        401,
    )
    .await;

    c.finish();
}

/// The validators reject what they must: without this, a broken `$ref` resolution or an overlay that
/// loosened too much would let every body through.
#[test]
fn the_validators_reject_drift() {
    let get = Method::GET;
    let mut partner = Spec::load("pax8/pax8-partner-endpoints-openapi.json", "/v1");
    let product = json!({ "id": UNKNOWN, "name": "X", "vendorSku": null });
    assert_eq!(
        partner.check(&get, "/products/{productId}", 200, &product),
        Ok(())
    );
    let mut no_vendor_sku = product.clone();
    no_vendor_sku.as_object_mut().unwrap().remove("vendorSku");
    assert!(
        partner
            .check(&get, "/products/{productId}", 200, &no_vendor_sku)
            .is_err(),
        "vendorSku left out"
    );
    let float_size = json!({ "content": [], "page": { "size": 10.5, "number": 0, "totalElements": 0, "totalPages": 0 } });
    assert!(partner.check(&get, "/products", 200, &float_size).is_err());
    let in_a_list = json!({ "content": [{ "id": UNKNOWN, "name": 7, "vendorSku": null }] });
    assert!(
        partner.check(&get, "/products", 200, &in_a_list).is_err(),
        "a $ref inside an inline schema"
    );
    let subscription = "/subscriptions/{subscriptionId}";
    for (date, valid) in [
        ("2023-08-11T11:33:12.314-0600", true),
        ("2021-01-01T08:30:00Z", true),
        ("2020-12-03", true),
        ("yesterday", false),
    ] {
        let body = json!({ "createdDate": date });
        assert_eq!(
            partner.check(&get, subscription, 200, &body).is_ok(),
            valid,
            "{date}"
        );
    }
    assert!(
        partner
            .check(&get, subscription, 200, &json!({ "quantity": "5" }))
            .is_err()
    );
    assert!(
        partner
            .check(&get, "/products/{productId}", 500, &json!({}))
            .is_err(),
        "an undocumented status"
    );
    assert!(
        partner
            .check(
                &Method::DELETE,
                subscription,
                204,
                &json!({ "id": UNKNOWN })
            )
            .is_err(),
        "a body where none is documented"
    );

    let mut hooks = Spec::load("pax8/pax8-webhooks-api-openapi.json", "/api/v2");
    let invalid_param = json!({ "type": "INVALID_PARAM", "message": "x", "status": 400 });
    assert!(
        hooks
            .check(&Method::POST, "/webhooks", 400, &invalid_param)
            .is_err()
    );

    let mut quoting = Spec::load("pax8/pax8-quoting-endpoints-openapi.json", "");
    let quote = "/v2/quotes/{quoteId}";
    let not_found = json!({ "type": "NOT_FOUND", "message": "x", "instance": "/public/v2/quotes", "status": 404,
                            "details": [{ "type": "QUOTE_NOT_FOUND", "message": "x" }] });
    assert_eq!(quoting.check(&get, quote, 404, &not_found), Ok(()));
    let mut unknown_code = not_found.clone();
    unknown_code["details"][0]["type"] = json!("NO_SUCH_CODE");
    assert!(
        quoting.check(&get, quote, 404, &unknown_code).is_err(),
        "an error code the spec does not list"
    );
    assert!(
        quoting
            .check(&Method::DELETE, quote, 204, &json!("done"))
            .is_err(),
        "a body on a 204"
    );
    assert!(
        quoting
            .check(&get, quote, 200, &json!({ "lineItems": {} }))
            .is_err(),
        "a quote missing its required fields, line items as an object"
    );
    let counts =
        json!({ "accepted": 0, "closed": 0, "declined": 0, "draft": 1, "expired": 0, "sent": 0 });
    let list = json!({ "content": [], "page": { "number": 0, "size": 10, "totalElements": 0, "totalPages": 0 }, "statusCounts": counts });
    assert_eq!(quoting.check(&get, "/v2/quotes", 200, &list), Ok(()));
    let mut no_counts = list.clone();
    no_counts.as_object_mut().unwrap().remove("statusCounts");
    assert!(quoting.check(&get, "/v2/quotes", 200, &no_counts).is_err());

    let mut orders = Spec::load("paypal/checkout_orders_v2.json", "");
    let order = "/v2/checkout/orders/{id}";
    assert_eq!(
        orders.check(
            &get,
            order,
            200,
            &json!({ "id": "5O190127TN364715T", "status": "COMPLETED" })
        ),
        Ok(())
    );
    assert!(
        orders
            .check(
                &get,
                order,
                200,
                &json!({ "id": "5O190127TN364715T", "status": "BOGUS" })
            )
            .is_err()
    );
    let not_found = json!({ "name": "NOT_THE_NAME", "message": "any wording", "debug_id": "x" });
    assert!(
        orders.check(&get, order, 404, &not_found).is_err(),
        "the code stays checked"
    );
}
