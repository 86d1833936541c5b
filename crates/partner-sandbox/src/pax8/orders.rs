//! Orders: list by company (oldest first, no sort), get, create (`isMock=true` validates without storing).
//! Creating an order creates one `Active` subscription per line item.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::auth::Authed;
use super::listing::{Params, filter_eq, find, paged};
use super::seed_data::{subscription_json, term_months};
use super::{ApiError, State, json_body};
use crate::clock;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/orders", get(list).post(create))
        .route("/v1/orders/{id}", get(read))
}

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let mut items = state.lock().orders.clone();
    filter_eq(&mut items, &q, &[("companyId", "/companyId")]);
    paged(items, &q)
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let order = find(&inner.orders, "Order", &id)?;
    Ok(axum::Json(order.clone()).into_response())
}

/// A validated line item.
struct Line {
    product: usize,
    number: u64,
    quantity: u64,
    billing_term: String,
    commitment: Option<Value>,
    provision_start: Option<Value>,
    parent: Option<String>,
    details: Value,
}

fn validate_line(
    state: &State,
    i: usize,
    item: &Value,
    problems: &mut Vec<String>,
) -> Option<Line> {
    let at = |m: &str| format!("lineItems[{i}].{m}");
    let product_id = item["productId"].as_str().unwrap_or_default();
    let Some(product) = state.products.iter().position(|p| p.id() == product_id) else {
        problems.push(at(&format!(
            "productId '{product_id}' is not a known product"
        )));
        return None;
    };
    let p = &state.products[product];
    let quantity = match item["quantity"].as_u64() {
        Some(q) if q >= 1 => q,
        _ => {
            problems.push(at("quantity must be a whole number of at least 1"));
            0
        }
    };
    let billing_term = item["billingTerm"].as_str().unwrap_or_default().to_owned();
    if !p.billing_terms().contains(&billing_term.as_str()) {
        problems.push(at(&format!(
            "billingTerm '{billing_term}' is not offered; use one of {:?}",
            p.billing_terms()
        )));
    }
    // The spec's example spells it commitmentTermID.
    let commitment_id = item
        .get("commitmentTermId")
        .or_else(|| item.get("commitmentTermID"))
        .and_then(Value::as_str);
    let commitment = match commitment_id {
        None if p.requires_commitment() => {
            problems.push(at(
                "commitmentTermId is required: the product requires a commitment",
            ));
            None
        }
        None => None,
        Some(cid) => match p.commitments().iter().find(|c| c["id"] == cid) {
            None => {
                problems.push(at(&format!(
                    "commitmentTermId '{cid}' is not a commitment term of this product"
                )));
                None
            }
            Some(c)
                if term_months(c["term"].as_str().unwrap_or_default())
                    < term_months(&billing_term) =>
            {
                problems.push(at(
                    "the commitment term must be at least as long as the billing term",
                ));
                None
            }
            Some(c) => Some(c.clone()),
        },
    };
    let parent = item["parentSubscriptionId"].as_str().map(str::to_owned);
    if let Some(parent_id) = &parent
        && !state
            .lock()
            .subscriptions
            .iter()
            .any(|s| s["id"] == parent_id.as_str())
    {
        problems.push(at(&format!("parentSubscriptionId '{parent_id}' not found")));
    }
    Some(Line {
        product,
        number: item["lineItemNumber"].as_u64().unwrap_or(i as u64 + 1),
        quantity,
        billing_term,
        commitment,
        provision_start: item.get("provisionStartDate").cloned(),
        parent,
        details: item
            .get("provisioningDetails")
            .cloned()
            .filter(Value::is_array)
            .unwrap_or_else(|| json!([])),
    })
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mock = q.get("isMock").is_some_and(|v| v == "true");
    let body = json_body(&body)?;
    let company_id = body["companyId"].as_str().unwrap_or_default().to_owned();
    let mut problems = Vec::new();
    let company = state
        .lock()
        .companies
        .iter()
        .find(|c| c["id"] == company_id.as_str())
        .cloned();
    match &company {
        None => problems.push(format!("companyId '{company_id}' is not a known company")),
        Some(c) if c["status"] != "Active" => problems.push("the company is not Active".to_owned()),
        Some(_) => {}
    }
    let items = body["lineItems"].as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        problems.push("lineItems must not be empty".to_owned());
    }
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| validate_line(&state, i, it, &mut problems))
        .collect();
    let mut numbers = HashSet::new();
    if !lines.iter().all(|l| numbers.insert(l.number)) {
        problems.push("lineItemNumber values must be unique".to_owned());
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    let now = clock::now();
    let mut new_subscriptions = Vec::new();
    let order = {
        let mut inner = state.lock();
        let mut line_items = Vec::new();
        for line in &lines {
            let product = &state.products[line.product];
            let sub_id = inner.ids.uuid();
            let vendor_sub = (product.summary["vendorName"] == "Microsoft")
                .then(|| inner.ids.uuid().to_uppercase());
            let mut sub = subscription_json(
                &sub_id,
                &company_id,
                product,
                u32::try_from(line.quantity).unwrap_or(u32::MAX),
                &line.billing_term,
                line.commitment.as_ref(),
                "Active",
                now,
                vendor_sub,
            );
            sub["provisioningDetails"] = line.details.clone();
            sub["parentSubscriptionId"] = json!(line.parent);
            line_items.push(json!({
                "id": inner.ids.uuid(),
                "productId": product.id(),
                "subscriptionId": sub_id,
                "commitmentTermId": line.commitment.as_ref().map(|c| c["id"].clone()),
                "provisionStartDate": line.provision_start.clone().unwrap_or_else(|| json!(clock::pax8_datetime(now))),
                "lineItemNumber": line.number,
                "billingTerm": line.billing_term,
                "parentSubscriptionId": line.parent,
                "parentLineItemNumber": null,
                "quantity": line.quantity,
                "provisioningDetails": line.details,
            }));
            new_subscriptions.push(sub);
        }
        let order = json!({
            "id": inner.ids.uuid(),
            "companyId": company_id,
            "createdDate": clock::date(now),
            // The spec says "Pax8 Partner"; the wire sends "Pax8Partner".
            "orderedBy": "Pax8Partner",
            "orderedByUserId": "4d8a4c53-61d7-4f0b-9e0f-5a2d3f1c8b01",
            "orderedByUserEmail": body.get("orderedByUserEmail").cloned().unwrap_or_else(|| json!("partner.admin@sandbox-msp.example.com")),
            "isScheduled": false,
            "lineItems": line_items,
        });
        if !mock {
            for sub in &new_subscriptions {
                let id = sub["id"].as_str().unwrap_or_default().to_owned();
                let sku = inner.ids.uuid().to_uppercase();
                inner.vendor_sku_ids.insert(id.clone(), sku);
                inner.history.insert(id, vec![sub.clone()]);
                inner.subscriptions.push(sub.clone());
            }
            inner.orders.push(order.clone());
        }
        order
    };
    if !mock {
        for sub in new_subscriptions {
            super::webhooks::emit(&state, "SUBSCRIPTION", "New", sub);
        }
    }
    Ok(axum::Json(order).into_response())
}
