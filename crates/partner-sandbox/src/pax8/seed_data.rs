//! Seeded Pax8 data. The product catalog is the same for every seed (fixed ids, so tours can name
//! products); companies, contacts, subscriptions, orders, invoices and usage follow the seed.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::clock;
use crate::seed::{Ids, money};

/// A catalog product with everything its sub-resources return.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    pub(crate) summary: Value,
    pub(crate) description: String,
    pub(crate) provision: Vec<Value>,
    pub(crate) dependencies: Value,
    pub(crate) pricing: Vec<Value>,
    pub(crate) usage_based: bool,
}

impl Product {
    pub(crate) fn id(&self) -> &str {
        self.summary["id"].as_str().unwrap_or_default()
    }

    pub(crate) fn name(&self) -> &str {
        self.summary["name"].as_str().unwrap_or_default()
    }

    pub(crate) fn requires_commitment(&self) -> bool {
        self.summary["requiresCommitment"]
            .as_bool()
            .unwrap_or(false)
    }

    pub(crate) fn commitments(&self) -> &[Value] {
        self.dependencies["commitmentDependencies"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn billing_terms(&self) -> Vec<&str> {
        self.pricing
            .iter()
            .filter_map(|p| p["billingTerm"].as_str())
            .collect()
    }

    /// (partner buy rate, suggested retail price) per unit for `billing_term`.
    pub(crate) fn rates(&self, billing_term: &str) -> (Decimal, Decimal) {
        let rate = self
            .pricing
            .iter()
            .find(|p| p["billingTerm"] == billing_term)
            .and_then(|p| p["rates"].get(0))
            .cloned()
            .unwrap_or(Value::Null);
        let dec = |v: &Value| {
            v.as_f64()
                .and_then(|f| Decimal::try_from(f).ok())
                .unwrap_or_default()
                .round_dp(2)
        };
        (
            dec(&rate["partnerBuyRate"]),
            dec(&rate["suggestedRetailPrice"]),
        )
    }
}

/// Months in a term, for the "commitment term ≥ billing term" rule.
pub(crate) fn term_months(term: &str) -> u32 {
    match term {
        "Monthly" => 1,
        "Annual" => 12,
        "2-Year" => 24,
        "3-Year" => 36,
        _ => 0,
    }
}

struct Def {
    name: &'static str,
    vendor: &'static str,
    sku: &'static str,
    vendor_sku: Option<&'static str>,
    unit: &'static str,
    buy: i64,
    srp: i64,
    annual: bool,
    commitments: &'static [&'static str],
    usage: bool,
    short: &'static str,
}

const DEFS: [Def; 12] = [
    Def {
        name: "Microsoft 365 Business Basic",
        vendor: "Microsoft",
        sku: "MST-NCE-BB-C100",
        vendor_sku: Some(r#"{"productId":"CFQ7TTC0LH18","skuId":"0001","segment":"Commercial"}"#),
        unit: "User",
        buy: 540,
        srp: 600,
        annual: true,
        commitments: &[],
        usage: false,
        short: "Web and mobile Office apps, email, file storage and Teams.",
    },
    Def {
        name: "Microsoft 365 Business Standard",
        vendor: "Microsoft",
        sku: "MST-NCE-BS-C100",
        vendor_sku: Some("CFQ7TTC0LDPB:0001"),
        unit: "User",
        buy: 1125,
        srp: 1250,
        annual: true,
        commitments: &[],
        usage: false,
        short: "Desktop Office apps with business email and Teams.",
    },
    Def {
        name: "Microsoft 365 Business Premium",
        vendor: "Microsoft",
        sku: "MST-NCE-BP-C100",
        vendor_sku: Some(r#"{"productId":"CFQ7TTC0LCHC","skuId":"0002","segment":"Commercial"}"#),
        unit: "User",
        buy: 1980,
        srp: 2200,
        annual: true,
        commitments: &["Monthly", "Annual"],
        usage: false,
        short: "Business Standard plus advanced security and device management.",
    },
    Def {
        name: "Microsoft Office 365 E3",
        vendor: "Microsoft",
        sku: "MST-OFC-EE3-C100",
        vendor_sku: Some("796B6B5F-613C-4E24-A17C-EBA730D49C02"),
        unit: "User",
        buy: 2070,
        srp: 2300,
        annual: true,
        commitments: &["Annual", "3-Year"],
        usage: false,
        short: "Office apps across devices, email hosting, conferencing and compliance.",
    },
    Def {
        name: "Exchange Online (Plan 1)",
        vendor: "Microsoft",
        sku: "MST-EXO-P1-C100",
        vendor_sku: None,
        unit: "User",
        buy: 360,
        srp: 400,
        annual: false,
        commitments: &[],
        usage: false,
        short: "Business email with a 50 GB mailbox.",
    },
    Def {
        name: "Azure Plan",
        vendor: "Microsoft",
        sku: "MST-AZR-PLN",
        vendor_sku: None,
        unit: "Usage",
        buy: 0,
        srp: 0,
        annual: false,
        commitments: &[],
        usage: true,
        short: "Pay-as-you-go Azure consumption.",
    },
    Def {
        name: "Proofpoint Essentials - Professional",
        vendor: "Proofpoint",
        sku: "PFP-ESS-PRO",
        vendor_sku: None,
        unit: "User",
        buy: 320,
        srp: 450,
        annual: true,
        commitments: &[],
        usage: false,
        short: "Email security, continuity and archiving.",
    },
    Def {
        name: "Webroot SecureAnywhere Business Endpoint Protection",
        vendor: "Webroot",
        sku: "WBR-SAB-EPP",
        vendor_sku: None,
        unit: "Device",
        buy: 180,
        srp: 300,
        annual: false,
        commitments: &[],
        usage: false,
        short: "Cloud-based endpoint protection.",
    },
    Def {
        name: "Acronis Cyber Protect Cloud",
        vendor: "Acronis",
        sku: "ACR-CPC-USG",
        vendor_sku: None,
        unit: "Usage",
        buy: 0,
        srp: 0,
        annual: false,
        commitments: &[],
        usage: true,
        short: "Backup, disaster recovery and endpoint protection, billed by usage.",
    },
    Def {
        name: "Adobe Creative Cloud All Apps",
        vendor: "Adobe",
        sku: "ADB-CCE-ALL",
        vendor_sku: None,
        unit: "User",
        buy: 7199,
        srp: 7999,
        annual: true,
        commitments: &["Annual"],
        usage: false,
        short: "20+ Creative Cloud apps including Photoshop and Illustrator.",
    },
    Def {
        name: "Dropbox Business Standard",
        vendor: "Dropbox",
        sku: "DBX-BUS-STD",
        vendor_sku: None,
        unit: "User",
        buy: 1350,
        srp: 1500,
        annual: true,
        commitments: &[],
        usage: false,
        short: "Team file storage and sharing.",
    },
    Def {
        name: "Keeper Business",
        vendor: "Keeper Security",
        sku: "KPR-BUS-STD",
        vendor_sku: None,
        unit: "User",
        buy: 300,
        srp: 375,
        annual: true,
        commitments: &[],
        usage: false,
        short: "Password management for teams.",
    },
];

fn microsoft_provisioning() -> Vec<Value> {
    json!([
        { "label": "Does the customer have an existing Microsoft account and can they log into https://login.microsoftonline.com?", "key": "msCustExists", "valueType": "Single-Value", "possibleValues": ["No, the customer does not have a Microsoft account", "Yes, the customer has and can log into their Microsoft account"] },
        { "label": "Desired .onmicrosoft.com Customer Domain Prefix", "key": "msDomain", "valueType": "Input", "description": "Do not include the TLD when entering your domain (e.g. mydomain.onmicrosoft.com should be entered as mydomain", "possibleValues": null },
        { "label": "Microsoft Customer Tenant ID", "key": "msTenantId", "valueType": "Input", "possibleValues": null },
        { "label": "First Name", "key": "mca2020FirstName", "valueType": "Input", "possibleValues": null },
        { "label": "Last Name", "key": "mca2020LastName", "valueType": "Input", "possibleValues": null },
        { "label": "Email Address", "key": "mca2020Email", "valueType": "Input", "possibleValues": null },
        { "label": "Date of Acceptance", "key": "mca2020EffectiveDate", "valueType": "Input", "description": "(YYYY-MM-DD)", "possibleValues": null }
    ])
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// The fixed catalog: ids come from a constant seed so they never change.
pub(crate) fn catalog() -> Vec<Product> {
    let mut ids = Ids::new(0xCA7A_1060, 0x5058);
    let products = DEFS
        .iter()
        .map(|d| {
            let id = ids.uuid();
            let requires = !d.commitments.is_empty();
            // `vendorSku` is always sent, `null` for a product without one, as the real API does.
            let summary = json!({
                "id": id,
                "name": d.name,
                "vendorName": d.vendor,
                "shortDescription": d.short,
                "sku": d.sku,
                "vendorSku": d.vendor_sku,
                "requiresCommitment": requires,
            });
            let commitments: Vec<Value> = d
                .commitments
                .iter()
                .map(|term| {
                    json!({
                        "id": ids.uuid(),
                        "term": term,
                        "autoRenew": true,
                        "renewalWindowDaysBeforeTermEnd": 7,
                        "renewalWindowDaysAfterTermEnd": 7,
                        "allowForQuantityIncrease": true,
                        "allowForQuantityDecrease": *term == "Monthly",
                        "allowForEarlyCancellation": *term == "Monthly",
                        "cancellationFeeApplied": *term != "Monthly",
                        "isTransferable": false
                    })
                })
                .collect();
            let mut terms = vec!["Monthly"];
            if d.annual {
                terms.push("Annual");
            }
            let pricing = terms
                .iter()
                .map(|term| pricing_entry(d, &id, term))
                .collect();
            let provision = if d.vendor == "Microsoft" {
                microsoft_provisioning()
            } else {
                vec![json!({ "label": "Administrator email", "key": "adminEmail", "valueType": "Input", "description": "Where the vendor sends the activation email", "possibleValues": null })]
            };
            let product_dependencies = if d.name == "Microsoft Office 365 E3" {
                json!([{ "name": "Requires", "products": [ { "id": "", "name": "Microsoft 365 Business Basic" } ] }])
            } else {
                json!([])
            };
            Product {
                summary,
                description: format!("{} {}", d.short, "Provisioned and billed through Pax8."),
                provision,
                dependencies: json!({ "commitmentDependencies": commitments, "productDependencies": product_dependencies }),
                pricing,
                usage_based: d.usage,
            }
        })
        .collect();
    link_dependencies(products)
}

/// Fills the product dependency ids once every id is known.
fn link_dependencies(mut products: Vec<Product>) -> Vec<Product> {
    let basic = products
        .iter()
        .find(|p| p.name() == "Microsoft 365 Business Basic")
        .map(|p| p.summary.clone());
    for p in &mut products {
        if let (Some(deps), Some(basic)) =
            (p.dependencies["productDependencies"].as_array_mut(), &basic)
        {
            for dep in deps {
                dep["products"] = json!([basic]);
            }
        }
    }
    products
}

fn pricing_entry(d: &Def, id: &str, term: &str) -> Value {
    let months = Decimal::from(term_months(term).max(1));
    let buy = Decimal::new(d.buy, 2) * months;
    let srp = Decimal::new(d.srp, 2) * months;
    let (commitment, commitment_months) = match d
        .commitments
        .iter()
        .find(|c| term_months(c) >= term_months(term))
    {
        Some(c) => (json!(c), json!(term_months(c))),
        None => (Value::Null, Value::Null),
    };
    let rates = if d.usage {
        json!([{ "partnerBuyRate": 0, "suggestedRetailPrice": 0, "startQuantityRange": 0, "endQuantityRange": null, "chargeType": "Per Unit" }])
    } else if d.vendor == "Proofpoint" {
        json!([
            { "partnerBuyRate": money(buy), "suggestedRetailPrice": money(srp), "startQuantityRange": 1, "endQuantityRange": 99, "chargeType": "Per Unit" },
            { "partnerBuyRate": money(buy * Decimal::new(9, 1)), "suggestedRetailPrice": money(srp * Decimal::new(9, 1)), "startQuantityRange": 100, "endQuantityRange": null, "chargeType": "Per Unit" }
        ])
    } else {
        json!([{ "partnerBuyRate": money(buy), "suggestedRetailPrice": money(srp), "startQuantityRange": 1, "endQuantityRange": null, "chargeType": "Per Unit" }])
    };
    json!({
        "productId": id,
        "productName": d.name,
        "billingTerm": term,
        "commitmentTerm": commitment,
        "commitmentTermInMonths": commitment_months,
        "type": if d.usage { "Mark-Up" } else if d.vendor == "Proofpoint" { "Volume" } else { "Flat" },
        "unitOfMeasurement": d.unit,
        "rates": rates
    })
}

/// Everything seeded apart from the catalog.
pub(crate) struct Seeded {
    pub(crate) companies: Vec<Value>,
    pub(crate) contacts: HashMap<String, Vec<Value>>,
    pub(crate) subscriptions: Vec<Value>,
    pub(crate) history: HashMap<String, Vec<Value>>,
    pub(crate) orders: Vec<Value>,
    pub(crate) invoices: Vec<Value>,
    pub(crate) invoice_items: HashMap<String, Vec<Value>>,
    pub(crate) draft_items: Vec<(u8, Value)>,
    pub(crate) usage_summaries: Vec<Value>,
    pub(crate) usage_lines: HashMap<String, Vec<Value>>,
}

const COMPANY_NAMES: [&str; 24] = [
    "Acme Dental Group",
    "VFC Network, Inc",
    "Blue Ridge Accounting",
    "Cascade Law Partners",
    "Summit Logistics",
    "Northwind Traders",
    "Pinecrest Veterinary Clinic",
    "Harbor Freight Brokers",
    "Lakeside Realty",
    "Copperleaf Architects",
    "Redwood Family Medicine",
    "Granite State Insurance",
    "Mesa Verde Construction",
    "Brick and Mortar Tech",
    "Silverline Consulting",
    "Oakwood Academy",
    "Prairie Wind Energy",
    "Coastal Marine Supply",
    "Evergreen Nonprofit Alliance",
    "Ironclad Security",
    "Maple Leaf Bakery",
    "Quantum Analytics",
    "Riverbend Hospitality",
    "Timberline Outfitters",
];

const PLACES: [(&str, &str, &str, &str); 8] = [
    ("Denver", "CO", "US", "80210"),
    ("Greenwood Village", "CO", "US", "80111"),
    ("Austin", "TX", "US", "73301"),
    ("Seattle", "WA", "US", "98101"),
    ("New York", "NY", "US", "10001"),
    ("Toronto", "ON", "CA", "M5H 2N2"),
    ("Salt Lake City", "UT", "US", "84101"),
    ("Vancouver", "BC", "CA", "V6B 1A1"),
];

const FIRST: [&str; 8] = [
    "Oliver", "Amelia", "Noah", "Sofia", "Liam", "Maya", "Ethan", "Chloe",
];
const LAST: [&str; 8] = [
    "Harrison", "Nguyen", "Garcia", "Patel", "Okafor", "Kowalski", "Rossi", "Fischer",
];

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect::<String>()
        .replace(' ', "-")
}

/// A contact as the wire returns it, with the observed phone extras.
pub(crate) fn contact_json(
    id: &str,
    first: &str,
    last: &str,
    email: &str,
    phone: &str,
    types: Value,
    created: &str,
) -> Value {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    json!({
        "id": id,
        "firstName": first,
        "lastName": last,
        "email": email,
        "phone": phone,
        "phoneNumber": digits,
        "phoneCountryCode": "US",
        "phoneCountryCallingCode": "1",
        "createdDate": created,
        "types": types
    })
}

/// Builds a subscription as the list endpoints return it (no `vendorSkuId`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn subscription_json(
    id: &str,
    company_id: &str,
    product: &Product,
    quantity: u32,
    billing_term: &str,
    commitment: Option<&Value>,
    status: &str,
    created: time::OffsetDateTime,
    vendor_subscription_id: Option<String>,
) -> Value {
    let (buy, srp) = product.rates(billing_term);
    let commitment = commitment.map(|c| {
        let months = i64::from(term_months(c["term"].as_str().unwrap_or_default()).max(1));
        json!({ "id": c["id"], "term": c["term"], "endDate": clock::date(created + time::Duration::days(30 * months)) })
    });
    json!({
        "id": id,
        "parentSubscriptionId": null,
        "companyId": company_id,
        "productId": product.id(),
        "productName": product.name(),
        "vendorSubscriptionId": vendor_subscription_id,
        "quantity": quantity,
        "startDate": clock::pax8_datetime(created),
        "createdDate": clock::pax8_datetime(created),
        "updatedDate": clock::pax8_datetime(created),
        "billingStart": clock::date(created),
        "status": status,
        "price": money(srp),
        "partnerCost": money(buy),
        "currencyCode": "USD",
        "billingTerm": billing_term,
        "provisioningDetails": [],
        "commitment": commitment
    })
}

pub(crate) fn seed(ids: &mut Ids, catalog: &[Product]) -> Seeded {
    let mut s = Seeded {
        companies: Vec::new(),
        contacts: HashMap::new(),
        subscriptions: Vec::new(),
        history: HashMap::new(),
        orders: Vec::new(),
        invoices: Vec::new(),
        invoice_items: HashMap::new(),
        draft_items: Vec::new(),
        usage_summaries: Vec::new(),
        usage_lines: HashMap::new(),
    };
    for (i, name) in COMPANY_NAMES.iter().enumerate() {
        let id = ids.uuid();
        let (city, state, country, postal) = PLACES[i % PLACES.len()];
        let updated = clock::at(clock::SEED_EPOCH - (i as i64) * 86_400 * 9 + 40_392)
            + time::Duration::milliseconds(314);
        let website = format!("{}.example.com", slug(name));
        s.companies.push(json!({
            "id": id,
            "name": name,
            "address": { "street": format!("{} {} St", 100 + ids.below(9800), ids.pick(&["Market", "Liberty", "Main", "Pine", "Cedar"])), "city": city, "stateOrProvince": state, "postalCode": postal, "country": country },
            "phone": format!("303-555-{:04}", 1000 + ids.below(8999)),
            "website": website,
            "externalId": format!("CRM-{:05}", 10_000 + i),
            "billOnBehalfOfEnabled": i % 3 == 0,
            "selfServiceAllowed": i % 4 == 1,
            "orderApprovalRequired": i % 5 == 2,
            "status": if i % 7 == 6 { "Inactive" } else { "Active" },
            "updatedDate": clock::pax8_datetime(updated),
        }));
        let mut contacts = Vec::new();
        for c in 0..(1 + ids.below(3)) {
            let first = *ids.pick(&FIRST);
            let last = *ids.pick(&LAST);
            let types = if c == 0 {
                json!([{ "type": "Admin", "primary": true }, { "type": "Billing", "primary": true }, { "type": "Technical", "primary": true }])
            } else {
                json!([{ "type": *ids.pick(&["Admin", "Billing", "Technical"]), "primary": false }])
            };
            let created = clock::pax8_datetime(updated - time::Duration::days(30 * (c as i64 + 1)));
            contacts.push(contact_json(
                &ids.uuid(),
                first,
                last,
                &format!("{}.{}@{website}", first.to_lowercase(), last.to_lowercase()),
                &format!("303-555-{:04}", 1000 + ids.below(8999)),
                types,
                &created,
            ));
        }
        contacts.reverse();
        s.contacts.insert(id, contacts);
    }
    // The first company has enough subscriptions to span pages at the default size of 10.
    let azure = catalog
        .iter()
        .position(|p| p.name() == "Azure Plan")
        .unwrap_or(0);
    for (ci, company) in s.companies.clone().iter().enumerate() {
        let company_id = company["id"].as_str().unwrap_or_default().to_owned();
        let count = if ci == 0 { 14 } else { 1 + ids.below(3) };
        for n in 0..count {
            let product = if ci == 0 && n == 0 {
                &catalog[azure]
            } else {
                &catalog[(ci * 3 + n) % catalog.len()]
            };
            let terms = product.billing_terms();
            let term = if terms.len() > 1 && ids.chance(0.4) {
                terms[1]
            } else {
                terms[0]
            };
            let commitment = product
                .commitments()
                .iter()
                .find(|c| term_months(c["term"].as_str().unwrap_or_default()) >= term_months(term));
            let created =
                clock::at(clock::SEED_EPOCH - 86_400 * (20 + ids.below(400)) as i64 + 30_600);
            let status = match ids.below(20) {
                0 => "Cancelled",
                1 => "PendingCancel",
                2 => "Trial",
                _ => "Active",
            };
            let quantity = if product.usage_based {
                1
            } else {
                1 + ids.below(40) as u32
            };
            let vendor_sub =
                (product.summary["vendorName"] == "Microsoft").then(|| ids.uuid().to_uppercase());
            let sub_id = ids.uuid();
            let mut sub = subscription_json(
                &sub_id,
                &company_id,
                product,
                quantity,
                term,
                commitment,
                status,
                created,
                vendor_sub,
            );
            if status == "Cancelled" || status == "PendingCancel" {
                sub["endDate"] = json!(clock::pax8_datetime(created + time::Duration::days(90)));
            }
            let mut first_version = sub.clone();
            first_version["quantity"] = json!(quantity.max(2) - 1);
            first_version["status"] = json!("PendingAutomated");
            s.history
                .insert(sub_id.clone(), vec![sub.clone(), first_version]);
            s.orders.push(json!({
                "id": ids.uuid(),
                "companyId": company_id,
                "createdDate": clock::date(created),
                "orderedBy": "Pax8Partner",
                "orderedByUserId": "4d8a4c53-61d7-4f0b-9e0f-5a2d3f1c8b01",
                "orderedByUserEmail": "partner.admin@sandbox-msp.example.com",
                "isScheduled": false,
                "lineItems": [{
                    "id": ids.uuid(),
                    "productId": product.id(),
                    "subscriptionId": sub_id,
                    "commitmentTermId": commitment.map(|c| c["id"].clone()),
                    "provisionStartDate": clock::pax8_datetime(created),
                    "lineItemNumber": 1,
                    "billingTerm": term,
                    "parentSubscriptionId": null,
                    "parentLineItemNumber": null,
                    "quantity": quantity,
                    "provisioningDetails": []
                }]
            }));
            if product.usage_based {
                seed_usage(ids, &mut s, &sub, company, product);
            }
            s.subscriptions.push(sub);
        }
    }
    seed_invoices(ids, &mut s);
    s
}

fn seed_usage(ids: &mut Ids, s: &mut Seeded, sub: &Value, company: &Value, product: &Product) {
    for group in ["Production", "Staging", "Backups"] {
        let summary_id = ids.uuid();
        let mut lines = Vec::new();
        let mut charges = Decimal::ZERO;
        for day in 1..=5 {
            for (name, unit) in [
                ("Virtual Machines D2s v5", "Hours"),
                ("Blob Storage Hot LRS", "GB/Month"),
            ] {
                let quantity = Decimal::from(10 + ids.below(200));
                let unit_price = Decimal::new(5 + ids.below(90) as i64, 3);
                let line_charges = (quantity * unit_price).round_dp(2);
                charges += line_charges;
                lines.push(json!({
                    "usageSummaryId": summary_id,
                    "usageDate": format!("2025-05-{day:02}"),
                    "productName": name,
                    "productId": product.id(),
                    "unitOfMeasure": unit,
                    "quantity": money(quantity),
                    "currentCharges": money(line_charges),
                    "currentProfit": money((line_charges * Decimal::new(15, 2)).round_dp(2)),
                    "partnerTotal": money((line_charges * Decimal::new(85, 2)).round_dp(2)),
                    "unitPrice": money(unit_price),
                    "currencyCode": "USD",
                    "isTrial": false
                }));
            }
        }
        s.usage_summaries.push(json!({
            "id": summary_id,
            "companyId": company["id"],
            "subscriptionId": sub["id"],
            "productId": product.id(),
            "resourceGroup": group,
            "vendorName": product.summary["vendorName"],
            "currentCharges": money(charges),
            "currencyCode": "USD",
            "partnerTotal": money((charges * Decimal::new(85, 2)).round_dp(2)),
            "isTrial": false
        }));
        s.usage_lines.insert(summary_id, lines);
    }
}

fn invoice_item(
    ids: &mut Ids,
    sub: &Value,
    company: &Value,
    start: &str,
    end: &str,
) -> (Value, Decimal) {
    let qty = Decimal::from(sub["quantity"].as_u64().unwrap_or(1));
    let dec = |v: &Value| {
        v.as_f64()
            .and_then(|f| Decimal::try_from(f).ok())
            .unwrap_or_default()
            .round_dp(2)
    };
    let price = dec(&sub["price"]);
    let cost = dec(&sub["partnerCost"]);
    let total = (price * qty).round_dp(2);
    let tax = (total * Decimal::new(8, 2)).round_dp(2);
    let item = json!({
        "id": ids.uuid(),
        "purchaseOrderNumber": "N/A",
        "type": "subscription",
        "companyId": company["id"],
        "externalId": company["externalId"],
        "companyName": company["name"],
        "startPeriod": start,
        "endPeriod": end,
        "quantity": money(qty),
        "unitOfMeasure": "User",
        "term": sub["billingTerm"],
        "sku": "PAX-SKU",
        "description": sub["productName"],
        "rateType": "single",
        "chargeType": "per",
        "price": money(price),
        "subTotal": money(total),
        "cost": money(cost),
        "costTotal": money((cost * qty).round_dp(2)),
        "offeredBy": "Pax8",
        "billedByPax8": false,
        "total": money(total),
        "productId": sub["productId"],
        "productName": sub["productName"],
        "billingFee": 0,
        "billingFeeRate": 0,
        "amountDue": money(total + tax),
        "currencyCode": "USD",
        "salesTax": money(tax),
        "subscriptionId": sub["id"],
        "vendorName": "Pax8"
    });
    (item, total + tax)
}

fn seed_invoices(ids: &mut Ids, s: &mut Seeded) {
    let months = [
        "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05",
    ];
    for company in s.companies.iter().take(4) {
        let subs: Vec<&Value> = s
            .subscriptions
            .iter()
            .filter(|x| x["companyId"] == company["id"])
            .collect();
        for (mi, month) in months.iter().enumerate() {
            let invoice_id = ids.uuid();
            let start = format!("{month}-01");
            let end = format!("{month}-28");
            let mut items = Vec::new();
            let mut total = Decimal::ZERO;
            for sub in &subs {
                let (item, amount) = invoice_item(ids, sub, company, &start, &end);
                total += amount;
                items.push(item);
            }
            let last = mi == months.len() - 1;
            let status = if last {
                "Unpaid"
            } else if mi == months.len() - 2 {
                "Carried"
            } else {
                "Paid"
            };
            let balance = if last || status == "Carried" {
                total
            } else {
                Decimal::ZERO
            };
            s.invoices.push(json!({
                "id": invoice_id,
                "invoiceDate": start,
                "dueDate": format!("{month}-15"),
                "balance": money(balance),
                "carriedBalance": money(if status == "Carried" { total } else { Decimal::ZERO }),
                "total": money(total),
                "currencyCode": "USD",
                "partnerName": "Sandbox MSP, LLC",
                "companyId": company["id"],
                "externalId": company["externalId"],
                "status": status
            }));
            s.invoice_items.insert(invoice_id, items);
        }
        for offset in [0u8, 1] {
            let month = if offset == 0 { "2025-06" } else { "2025-07" };
            for sub in subs.iter().filter(|x| x["status"] == "Active") {
                let (mut item, _) = invoice_item(
                    ids,
                    sub,
                    company,
                    &format!("{month}-01"),
                    &format!("{month}-30"),
                );
                if let Some(o) = item.as_object_mut() {
                    o.remove("id");
                }
                s.draft_items.push((offset, item));
            }
        }
    }
}
