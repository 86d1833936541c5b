//! The Pax8 simulator's quoting API (`/v2/quotes`): state follows the calls, the list's paging,
//! filters, sort and status counts follow the stored quotes, and bad requests change nothing.

mod common;

use partner_sandbox::Sandbox;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn new(sandbox: &Sandbox) -> Api {
        let client = common::client();
        let (id, secret) = sandbox.pax8().credentials();
        let body: Value = client
            .post(sandbox.pax8().token_url())
            .json(&json!({ "client_id": id, "client_secret": secret, "audience": sandbox.pax8().audience(), "grant_type": "client_credentials" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Api {
            client,
            base: sandbox
                .pax8()
                .quoting_base_url()
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            token: body["access_token"].as_str().unwrap().to_owned(),
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
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
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        };
        (status, body)
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.send(method.clone(), path, body).await;
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        body
    }

    async fn create(&self, company: &str) -> Value {
        let (status, body) = self
            .send(
                Method::POST,
                "/quotes",
                Some(json!({ "clientId": company })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }
}

fn company(sandbox: &Sandbox, n: usize) -> String {
    sandbox.pax8().companies()[n]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_created_quote_is_listed_and_counted() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let before = api.ok(Method::GET, "/quotes", None).await;
    let drafts = before["statusCounts"]["draft"].as_u64().unwrap();
    let total = before["page"]["totalElements"].as_u64().unwrap();

    let quote = api.create(&company(&sandbox, 6)).await;
    assert_eq!(quote["status"], "draft");
    assert_eq!(quote["client"]["id"], company(&sandbox, 6));
    assert_eq!(quote["lineItems"], json!([]));
    assert_eq!(quote["totals"]["recurringTotal"]["amount"], 0);
    let id = quote["id"].as_str().unwrap();

    let after = api.ok(Method::GET, "/quotes", None).await;
    assert_eq!(after["statusCounts"]["draft"], drafts + 1);
    assert_eq!(after["page"]["totalElements"], total + 1);
    assert_eq!(ids(&after)[0], id, "newest first");
    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read, quote);
    assert!(sandbox.pax8().quotes().iter().any(|q| q["id"] == id));

    // Sending it moves it from the draft count to the sent count.
    let sent = api.ok(Method::GET, "/quotes", None).await["statusCounts"]["sent"]
        .as_u64()
        .unwrap();
    let update = json!({ "expiresOn": "2030-01-31T00:00:00Z", "introMessage": "Hello", "termsAndDisclaimers": "", "published": true, "status": "sent" });
    let updated = api
        .ok(Method::PUT, &format!("/quotes/{id}"), Some(update))
        .await;
    assert_eq!(updated["status"], "sent");
    assert_eq!(updated["introMessage"], "Hello");
    assert!(updated["publishedOn"].is_string());
    let counts = &api.ok(Method::GET, "/quotes", None).await["statusCounts"];
    assert_eq!(counts["draft"], drafts);
    assert_eq!(counts["sent"], sent + 1);
}

#[tokio::test]
async fn the_list_pages_filters_and_sorts() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    for n in 6..9 {
        api.create(&company(&sandbox, n)).await;
    }
    let all = api
        .ok(Method::GET, "/quotes?account=partner&limit=200", None)
        .await;
    let every = ids(&all);
    assert_eq!(every.len(), 7, "four seeded, three created");
    // Only the API user's quotes by default.
    let mine = api.ok(Method::GET, "/quotes?limit=200", None).await;
    assert_eq!(ids(&mine).len(), 5);

    let page = api
        .ok(Method::GET, "/quotes?account=partner&limit=3&page=2", None)
        .await;
    assert_eq!(ids(&page), every[6..].to_vec());
    assert_eq!(
        page["page"],
        json!({ "number": 2, "size": 3, "totalElements": 7, "totalPages": 3 })
    );

    let filtered = api
        .ok(
            Method::GET,
            "/quotes?account=partner&status=sent,expired",
            None,
        )
        .await;
    let statuses: Vec<&Value> = filtered["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["status"])
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.iter().all(|s| *s == "sent" || *s == "expired"));
    // The counts ignore the status filter.
    assert_eq!(filtered["statusCounts"], all["statusCounts"]);
    assert_eq!(all["statusCounts"]["draft"], 4);

    let name = all["content"][0]["client"]["name"].as_str().unwrap();
    let found = api
        .ok(
            Method::GET,
            &format!("/quotes?account=partner&search={}", name.to_uppercase()),
            None,
        )
        .await;
    assert!(ids(&found).contains(&every[0]));
    assert!(ids(&found).len() < every.len());

    let sorted = api
        .ok(
            Method::GET,
            "/quotes?account=partner&limit=200&sort=client.name,asc",
            None,
        )
        .await;
    let names: Vec<String> = sorted["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["client"]["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(names, expected);
    let reversed = api
        .ok(
            Method::GET,
            "/quotes?account=partner&limit=200&sort=createdOn,asc",
            None,
        )
        .await;
    // The seeded quotes are days apart; the three created ones may share a second.
    let mut seeded_oldest_first = every[3..].to_vec();
    seeded_oldest_first.reverse();
    assert_eq!(ids(&reversed)[..4], seeded_oldest_first[..]);

    for bad in [
        "limit=0",
        "limit=201",
        "page=-1",
        "status=lost",
        "sort=price",
        "sort=status,sideways",
        "account=everyone",
    ] {
        let (status, body) = api.send(Method::GET, &format!("/quotes?{bad}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

#[tokio::test]
async fn taking_ownership_changes_the_owner() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let mine = ids(&api.ok(Method::GET, "/quotes?limit=200", None).await);
    let all = api
        .ok(Method::GET, "/quotes?account=partner&limit=200", None)
        .await;
    let theirs = all["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| !mine.contains(&q["id"].as_str().unwrap().to_owned()))
        .unwrap();
    let id = theirs["id"].as_str().unwrap();
    let me = api.create(&company(&sandbox, 6)).await["ownedBy"].clone();
    assert_ne!(theirs["ownedBy"]["id"], me["id"]);

    let taken = api
        .ok(Method::POST, &format!("/quotes/{id}/take-ownership"), None)
        .await;
    assert_eq!(taken["ownedBy"], me);
    assert_eq!(
        api.ok(Method::GET, &format!("/quotes/{id}"), None).await["ownedBy"],
        me
    );
    assert!(ids(&api.ok(Method::GET, "/quotes?limit=200", None).await).contains(&id.to_owned()));

    let (status, body) = api
        .send(Method::POST, &format!("/quotes/{id}/take-ownership"), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["details"][0]["type"], "QUOTE_ALREADY_OWNED");
}

#[tokio::test]
async fn a_deleted_quote_is_gone() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let quote = api.create(&company(&sandbox, 6)).await;
    let one = format!("/quotes/{}", quote["id"].as_str().unwrap());
    let (status, body) = api.send(Method::DELETE, &one, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_null());
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = api.send(method, &one, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["type"], "NOT_FOUND");
        assert_eq!(body["status"], 404);
        assert_eq!(body["details"][0]["type"], "QUOTE_NOT_FOUND");
        assert_eq!(body["instance"], format!("/public/v2{one}"));
    }
    assert!(
        !sandbox
            .pax8()
            .quotes()
            .iter()
            .any(|q| q["id"] == quote["id"])
    );
}

#[tokio::test]
async fn bad_bodies_are_refused_before_anything_changes() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let before = sandbox.pax8().quotes();
    for body in [
        json!({}),
        json!({ "clientId": "not-a-uuid" }),
        json!({ "clientId": UNKNOWN }),
        json!({ "clientId": company(&sandbox, 6), "quoteRequestId": 7 }),
    ] {
        let (status, answer) = api.send(Method::POST, "/quotes", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(!answer["details"].as_array().unwrap().is_empty());
    }
    let (status, _) = api
        .client
        .post(format!("{}/quotes", api.base))
        .bearer_auth(&api.token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let one = format!("/quotes/{}", before[0]["id"].as_str().unwrap());
    for body in [
        json!({ "status": "sent" }),
        json!({ "expiresOn": "soon", "introMessage": "", "termsAndDisclaimers": "", "published": true, "status": "sent" }),
        json!({ "expiresOn": "2030-01-31T00:00:00Z", "introMessage": "", "termsAndDisclaimers": "", "published": true, "status": "won" }),
    ] {
        let (status, answer) = api.send(Method::PUT, &one, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["details"][0]["type"], "PAYLOAD_VALIDATION");
    }
    assert_eq!(sandbox.pax8().quotes(), before);
}

#[tokio::test]
async fn quotes_need_a_token() {
    let sandbox = common::sandbox().await;
    let response = common::client()
        .get(format!("{}/quotes", sandbox.pax8().quoting_base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn quotes_are_per_sandbox_and_follow_the_seed() {
    let one = common::sandbox().await;
    let two = common::sandbox().await;
    assert_eq!(one.pax8().quotes(), two.pax8().quotes());
    let api = Api::new(&one).await;
    api.create(&company(&one, 6)).await;
    assert_eq!(one.pax8().quotes().len(), two.pax8().quotes().len() + 1);
}

fn standard(product: &str, term: &str, quantity: u32, price: f64) -> Value {
    json!({ "type": "Standard", "productId": product, "billingTerm": term, "quantity": quantity, "price": price, "effectiveDate": "2030-01-01T00:00:00Z" })
}

#[tokio::test]
async fn totals_follow_the_line_items() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let quote = api.create(&company(&sandbox, 6)).await;
    let id = quote["id"].as_str().unwrap();
    let items = format!("/quotes/{id}/line-items");
    let product = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Basic")
        .unwrap();
    let custom = json!({ "type": "Custom", "productName": "Onboarding", "billingTerm": "One-Time", "quantity": 2, "price": 250, "cost": 100, "initialTotal": 500, "effectiveDate": "2030-01-01T00:00:00Z" });
    let (status, added) = api
        .send(
            Method::POST,
            &items,
            Some(json!([standard(&product, "Monthly", 5, 7.5), custom])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let first = added[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(added[0]["totals"]["recurringTotal"]["amount"], 37.5);
    assert_eq!(added[0]["product"]["name"], "Microsoft 365 Business Basic");
    assert_eq!(added[1]["product"]["type"], "Custom");
    assert_eq!(added[1]["totals"]["initialProfit"]["amount"], 300);

    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read["lineItems"].as_array().unwrap().len(), 2);
    assert_eq!(read["totals"]["recurringTotal"]["amount"], 37.5);
    assert_eq!(read["totals"]["initialTotal"]["amount"], 500);
    let listed = api.ok(Method::GET, "/quotes", None).await;
    assert_eq!(listed["content"][0]["id"], id);
    assert_eq!(
        listed["content"][0]["lineItemCounts"],
        json!({ "custom": 1, "msp": 0, "total": 2 })
    );
    assert_eq!(
        listed["content"][0]["totals"]["initialTotal"]["amount"],
        500
    );

    // An update changes the totals; a Trial counts nothing.
    let mut change = standard(&product, "Monthly", 10, 7.5);
    change["id"] = json!(first);
    let updated = api.ok(Method::PUT, &items, Some(json!([change]))).await;
    assert_eq!(updated[0]["quantity"], 10);
    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read["totals"]["recurringTotal"]["amount"], 75);
    let mut trial = standard(&product, "Trial", 10, 7.5);
    trial["id"] = json!(first);
    api.ok(Method::PUT, &items, Some(json!([trial]))).await;
    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read["totals"]["recurringTotal"]["amount"], 0);

    // Deleting brings the totals down.
    api.ok(
        Method::DELETE,
        &format!("{items}/{}", added[1]["id"].as_str().unwrap()),
        None,
    )
    .await;
    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read["totals"]["initialTotal"]["amount"], 0);
    api.ok(
        Method::POST,
        &format!("{items}/bulk-delete"),
        Some(json!({ "lineItemIds": [first] })),
    )
    .await;
    let read = api.ok(Method::GET, &format!("/quotes/{id}"), None).await;
    assert_eq!(read["lineItems"], json!([]));
}

#[tokio::test]
async fn bad_line_items_change_nothing() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let quote = api.create(&company(&sandbox, 6)).await;
    let id = quote["id"].as_str().unwrap();
    let items = format!("/quotes/{id}/line-items");
    let product = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Basic")
        .unwrap();
    let added = api
        .ok(
            Method::POST,
            &items,
            Some(json!([standard(&product, "Monthly", 1, 5.0)])),
        )
        .await;
    let before = sandbox.pax8().quotes();
    // One good and one bad item: neither is added.
    for body in [
        json!([
            standard(&product, "Monthly", 1, 5.0),
            standard(UNKNOWN, "Monthly", 1, 5.0)
        ]),
        json!([standard(&product, "Weekly", 1, 5.0)]),
        json!([standard(&product, "Monthly", 0, 5.0)]),
        json!([{ "type": "Custom", "productName": "X", "billingTerm": "3 Year", "quantity": 1, "price": 1, "cost": 1, "effectiveDate": "2030-01-01T00:00:00Z" }]),
        json!([{ "type": "UsageBased", "productId": product, "billingTerm": "Monthly", "quantity": 1, "price": 1, "cost": 1, "effectiveDate": "2030-01-01T00:00:00Z" }]),
        json!([]),
        json!({}),
    ] {
        let (status, answer) = api.send(Method::POST, &items, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    let (status, _) = api
        .send(
            Method::POST,
            &format!("{items}/bulk-delete"),
            Some(json!({ "lineItemIds": [added[0]["id"], UNKNOWN] })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut custom_now = standard(&product, "Monthly", 1, 5.0);
    custom_now["type"] = json!("Custom");
    custom_now["id"] = added[0]["id"].clone();
    let (status, _) = api
        .send(Method::PUT, &items, Some(json!([custom_now])))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the type cannot change");
    assert_eq!(sandbox.pax8().quotes(), before);
}

#[tokio::test]
async fn sections_hold_line_items() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let quote = api.create(&company(&sandbox, 6)).await;
    let id = quote["id"].as_str().unwrap();
    let product = sandbox
        .pax8()
        .product_id("Microsoft 365 Business Basic")
        .unwrap();
    let added = api
        .ok(
            Method::POST,
            &format!("/quotes/{id}/line-items"),
            Some(json!([
                standard(&product, "Monthly", 1, 5.0),
                standard(&product, "Annual", 1, 50.0)
            ])),
        )
        .await;
    let (a, b) = (added[0]["id"].clone(), added[1]["id"].clone());
    let sections = format!("/quotes/{id}/sections");
    assert_eq!(
        api.ok(Method::GET, &sections, None).await,
        json!({ "sections": [] })
    );
    api.ok(Method::POST, &sections, Some(json!({ "name": "Monthly" })))
        .await;
    let both = api
        .ok(Method::POST, &sections, Some(json!({ "name": "Annual" })))
        .await;
    let s: Vec<Value> = both["sections"].as_array().unwrap().clone();
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0]["order"].clone(), s[1]["order"].clone()),
        (json!(0), json!(1))
    );

    let twice = json!({ "sections": [
        { "id": s[0]["id"], "name": "Monthly", "order": 0, "lineItems": [{ "lineItemId": a, "order": 0 }] },
        { "id": s[1]["id"], "name": "Annual", "order": 1, "lineItems": [{ "lineItemId": a, "order": 0 }] }
    ] });
    let (status, _) = api.send(Method::PUT, &sections, Some(twice)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "one item in two sections");
    assert_eq!(api.ok(Method::GET, &sections, None).await, both);

    let placed = json!({ "sections": [
        { "id": s[1]["id"], "name": "Yearly", "order": 0, "lineItems": [{ "lineItemId": b, "order": 0 }] },
        { "id": s[0]["id"], "name": "Monthly", "order": 1, "lineItems": [{ "lineItemId": a, "order": 0 }] }
    ] });
    let answer = api.ok(Method::PUT, &sections, Some(placed.clone())).await;
    assert_eq!(answer, placed);
    assert_eq!(api.ok(Method::GET, &sections, None).await, placed);

    // A deleted line item leaves its section.
    api.ok(
        Method::DELETE,
        &format!("/quotes/{id}/line-items/{}", b.as_str().unwrap()),
        None,
    )
    .await;
    let after = api.ok(Method::GET, &sections, None).await;
    assert_eq!(after["sections"][0]["lineItems"], json!([]));
    assert_eq!(after["sections"][1]["lineItems"][0]["lineItemId"], a);
}

#[tokio::test]
async fn the_access_list_follows_its_entries() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let quote = api.create(&company(&sandbox, 6)).await;
    let access = format!("/quotes/{}/access-list", quote["id"].as_str().unwrap());
    assert_eq!(
        api.ok(Method::GET, &access, None).await,
        json!({ "accessList": [] })
    );
    let (status, added) = api
        .send(
            Method::POST,
            &access,
            Some(json!([{ "email": "cfo@client.example.com", "accountType": "contact", "accountName": "CFO" }, { "email": "it@client.example.com" }])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(added[1]["accountType"], "guest");
    assert!(
        added[0]["link"]
            .as_str()
            .unwrap()
            .contains(added[0]["id"].as_str().unwrap())
    );
    let listed = api.ok(Method::GET, &access, None).await;
    assert_eq!(listed["accessList"], added);

    for body in [
        json!([{ "email": "CFO@client.example.com" }]),
        json!([{ "email": "new@client.example.com" }, { "email": "new@client.example.com" }]),
        json!([{ "email": "not an email" }]),
        json!([{ "email": "x@client.example.com", "accountType": "admin" }]),
    ] {
        let (status, answer) = api.send(Method::POST, &access, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
    assert_eq!(api.ok(Method::GET, &access, None).await, listed);

    let entry = format!("{access}/{}", added[0]["id"].as_str().unwrap());
    let (status, _) = api.send(Method::DELETE, &entry, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let left = api.ok(Method::GET, &access, None).await;
    assert_eq!(left["accessList"], json!([added[1]]));
    let (status, body) = api.send(Method::DELETE, &entry, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["details"][0]["type"], "QUOTE_ACCESS_ENTRY_NOT_FOUND");
}

#[tokio::test]
async fn new_quotes_start_from_the_preferences() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let defaults = api.ok(Method::GET, "/quote-preferences", None).await;
    assert_eq!(
        defaults,
        json!({ "daysToExpire": 30, "introMessage": "", "termsAndDisclaimers": "", "salesMarginPercentage": 0, "attachments": [] })
    );
    for bad in [
        json!({ "introMessage": "", "termsAndDisclaimers": "" }),
        json!({ "daysToExpire": 0, "introMessage": "", "termsAndDisclaimers": "" }),
        json!({ "daysToExpire": 7, "introMessage": 1, "termsAndDisclaimers": "" }),
        json!({ "daysToExpire": 7, "introMessage": "", "termsAndDisclaimers": "", "salesMarginPercentage": "ten" }),
    ] {
        let (status, body) = api
            .send(Method::PUT, "/quote-preferences", Some(bad.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    assert_eq!(
        api.ok(Method::GET, "/quote-preferences", None).await,
        defaults
    );

    let set = json!({ "daysToExpire": 7, "introMessage": "Thanks for choosing us", "termsAndDisclaimers": "Net 30", "salesMarginPercentage": 15 });
    assert_eq!(
        api.ok(Method::PUT, "/quote-preferences", Some(set.clone()))
            .await,
        set
    );
    let quote = api.create(&company(&sandbox, 6)).await;
    assert_eq!(quote["introMessage"], "Thanks for choosing us");
    assert_eq!(quote["termsAndDisclaimers"], "Net 30");
    assert_eq!(quote["salesMarginPercentage"], 15);
    let parse = |v: &Value| {
        time::OffsetDateTime::parse(
            v.as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    let days = (parse(&quote["expiresOn"]) - parse(&quote["createdOn"])).whole_days();
    assert_eq!(days, 7);
}

fn multipart(field: &str, files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "quotes-test-boundary";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Api {
    async fn upload(
        &self,
        method: Method,
        path: &str,
        field: &str,
        files: &[(&str, &[u8])],
    ) -> (StatusCode, Value) {
        let (content_type, body) = multipart(field, files);
        let response = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn bytes(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        (
            status,
            content_type,
            response.bytes().await.unwrap().to_vec(),
        )
    }
}

#[tokio::test]
async fn attachments_are_stored_and_downloaded() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let (status, uploaded) = api
        .upload(
            Method::POST,
            "/quote-attachments",
            "attachments",
            &[("a.pdf", b"%PDF a"), ("b.pdf", b"%PDF bb")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    assert_eq!(uploaded[1]["name"], "b.pdf");
    assert_eq!(uploaded[1]["type"], "application/pdf");
    let a = uploaded[0]["id"].as_str().unwrap().to_owned();
    let listed = api.ok(Method::GET, "/quote-attachments", None).await;
    assert_eq!(listed, uploaded);
    let (status, content_type, bytes) = api
        .bytes(&format!("/quote-attachments/{a}?download=true"))
        .await;
    assert_eq!(
        (status, content_type.as_str(), bytes.as_slice()),
        (StatusCode::OK, "application/pdf", &b"%PDF a"[..])
    );

    // Replaced bytes are what a download returns next.
    let (status, replaced) = api
        .upload(
            Method::PATCH,
            &format!("/quote-attachments/{a}"),
            "attachment",
            &[("a2.pdf", b"%PDF a2")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replaced["id"], a.as_str());
    assert!(replaced["replacedOn"].is_string());
    assert_eq!(
        api.bytes(&format!("/quote-attachments/{a}?download=true"))
            .await
            .2,
        b"%PDF a2"
    );

    // Copied onto a quote: the quote lists it and serves the same bytes.
    let quote = api.create(&company(&sandbox, 6)).await;
    let q = quote["id"].as_str().unwrap();
    let (status, copied) = api
        .send(
            Method::POST,
            &format!("/quotes/{q}/attachments/shared"),
            Some(json!([{ "attachmentId": a }])),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{copied}");
    let copy = copied[0]["id"].as_str().unwrap();
    assert_ne!(copy, a);
    let read = api.ok(Method::GET, &format!("/quotes/{q}"), None).await;
    assert_eq!(read["attachments"], copied);
    assert_eq!(
        api.bytes(&format!("/quotes/{q}/attachments/{copy}?download=true"))
            .await
            .2,
        b"%PDF a2"
    );

    // Deleting the library file leaves the quote's copy.
    let (status, _) = api
        .send(Method::DELETE, &format!("/quote-attachments/{a}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .send(Method::GET, &format!("/quote-attachments/{a}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        api.bytes(&format!("/quotes/{q}/attachments/{copy}?download=true"))
            .await
            .2,
        b"%PDF a2"
    );
    let (status, _) = api
        .send(
            Method::DELETE,
            &format!("/quotes/{q}/attachments/{copy}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.ok(Method::GET, &format!("/quotes/{q}"), None).await["attachments"],
        json!([])
    );
}

#[tokio::test]
async fn attachments_keep_to_the_size_limits() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let mib = 1024 * 1024;
    let too_big = vec![b'x'; mib + 1];
    let (status, body) = api
        .upload(
            Method::POST,
            "/quote-attachments",
            "attachments",
            &[("big.pdf", &too_big)],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        api.ok(Method::GET, "/quote-attachments", None).await,
        json!([])
    );
    // Eight files of 1 MiB fill the sandbox; the ninth is refused.
    let full = vec![b'x'; mib];
    for n in 0..8 {
        let (status, body) = api
            .upload(
                Method::POST,
                "/quote-attachments",
                "attachments",
                &[(&format!("{n}.pdf"), &full)],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{n}: {body}");
    }
    let (status, _) = api
        .upload(
            Method::POST,
            "/quote-attachments",
            "attachments",
            &[("9.pdf", b"x")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        api.ok(Method::GET, "/quote-attachments", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        8
    );
    // Bodies that are no upload.
    let (status, _) = api
        .upload(
            Method::POST,
            "/quote-attachments",
            "files",
            &[("x.pdf", b"x")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api
        .send(Method::POST, "/quote-attachments", Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_quote_zips_its_attachments_and_new_quotes_take_the_preferred_ones() {
    let sandbox = common::sandbox().await;
    let api = Api::new(&sandbox).await;
    let (_, uploaded) = api
        .upload(
            Method::POST,
            "/quote-attachments",
            "attachments",
            &[("terms.pdf", b"%PDF terms")],
        )
        .await;
    let terms = uploaded[0]["id"].clone();
    let (status, added) = api
        .send(
            Method::POST,
            "/quote-preferences/attachments",
            Some(json!({ "attachments": [terms] })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(
        api.ok(Method::GET, "/quote-preferences", None).await["attachments"],
        added
    );

    let quote = api.create(&company(&sandbox, 6)).await;
    assert_eq!(quote["attachments"][0]["name"], "terms.pdf");
    assert_ne!(quote["attachments"][0]["id"], added[0]["id"]);
    let q = quote["id"].as_str().unwrap();
    let (status, _) = api
        .upload(
            Method::POST,
            &format!("/quotes/{q}/attachments"),
            "attachments",
            &[("offer.pdf", b"%PDF offer")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, content_type, zip) = api
        .bytes(&format!("/quotes/{q}/attachments?downloadZip=true"))
        .await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/zip")
    );
    assert!(zip.starts_with(b"PK\x03\x04"));
    let end = &zip[zip.len() - 22..];
    assert_eq!(&end[..4], b"PK\x05\x06");
    assert_eq!(u16::from_le_bytes([end[10], end[11]]), 2, "two entries");
    for needle in [
        &b"%PDF terms"[..],
        b"%PDF offer",
        b"terms.pdf",
        b"offer.pdf",
    ] {
        assert!(zip.windows(needle.len()).any(|w| w == needle));
    }

    // Removed from the preferences: the next quote starts without it.
    let entry = format!(
        "/quote-preferences/attachments/{}",
        added[0]["id"].as_str().unwrap()
    );
    let (status, _) = api.send(Method::DELETE, &entry, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.create(&company(&sandbox, 7)).await["attachments"],
        json!([])
    );
    let (status, _) = api.send(Method::DELETE, &entry, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
