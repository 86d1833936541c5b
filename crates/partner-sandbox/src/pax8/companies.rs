//! Companies (list with filters and sort, create, get, PATCH) and their contacts (CRUD).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::auth::Authed;
use super::listing::{self, Params, filter_eq, find, find_mut, paged, sort};
use super::seed_data::contact_json;
use super::{ApiError, State, json_body};
use crate::clock;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v1/companies", get(list).post(create))
        .route("/v1/companies/{id}", get(read).patch(update))
        .route(
            "/v1/companies/{id}/contacts",
            get(list_contacts).post(create_contact),
        )
        .route(
            "/v1/companies/{id}/contacts/{contact_id}",
            get(read_contact)
                .put(replace_contact)
                .delete(delete_contact),
        )
}

const FILTERS: [(&str, &str); 8] = [
    ("city", "/address/city"),
    ("country", "/address/country"),
    ("stateOrProvince", "/address/stateOrProvince"),
    ("postalCode", "/address/postalCode"),
    ("selfServiceAllowed", "/selfServiceAllowed"),
    ("billOnBehalfOfEnabled", "/billOnBehalfOfEnabled"),
    ("orderApprovalRequired", "/orderApprovalRequired"),
    ("status", "/status"),
];

const SORTS: [(&str, &str); 5] = [
    ("name", "/name"),
    ("city", "/address/city"),
    ("country", "/address/country"),
    ("stateOrProvince", "/address/stateOrProvince"),
    ("postalCode", "/address/postalCode"),
];

async fn list(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let mut items = state.lock().companies.clone();
    filter_eq(&mut items, &q, &FILTERS);
    sort(&mut items, &q, &SORTS)?;
    paged(items, &q)
}

fn company_not_found(id: &str) -> ApiError {
    listing::not_found("Company", id)
}

async fn read(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let company = find(&inner.companies, "Company", &id)?;
    Ok(axum::Json(company.clone()).into_response())
}

fn missing(body: &Value, pointers: &[&str]) -> Vec<String> {
    pointers
        .iter()
        .filter(|p| {
            body.pointer(p)
                .is_none_or(|v| v.is_null() || v.as_str().is_some_and(str::is_empty))
        })
        .map(|p| {
            format!(
                "{} is required",
                p.trim_start_matches('/').replace('/', ".")
            )
        })
        .collect()
}

const COMPANY_REQUIRED: [&str; 10] = [
    "/name",
    "/address/street",
    "/address/city",
    "/address/postalCode",
    "/address/country",
    "/phone",
    "/website",
    "/billOnBehalfOfEnabled",
    "/selfServiceAllowed",
    "/orderApprovalRequired",
];

/// The fields a client may set, on create and on PATCH (`id`, `status` and `updatedDate` are the
/// server's).
const COMPANY_FIELDS: [&str; 8] = [
    "name",
    "address",
    "phone",
    "website",
    "externalId",
    "billOnBehalfOfEnabled",
    "selfServiceAllowed",
    "orderApprovalRequired",
];

const CONTACT_REQUIRED: [&str; 4] = ["/firstName", "/lastName", "/email", "/phone"];

/// The contact a body describes (its required fields already checked); `types` falls back to
/// `default_types` when the body has none.
fn contact_from(body: &Value, id: &str, default_types: Value, created: &str) -> Value {
    let field = |n: &str| body[n].as_str().unwrap_or_default().to_owned();
    let types = body
        .get("types")
        .cloned()
        .filter(Value::is_array)
        .unwrap_or(default_types);
    contact_json(
        id,
        &field("firstName"),
        &field("lastName"),
        &field("email"),
        &field("phone"),
        types,
        created,
    )
}

fn new_contact(state: &State, body: &Value) -> Value {
    let id = state.lock().ids.uuid();
    contact_from(body, &id, json!([]), &clock::pax8_datetime(clock::now()))
}

fn has_primary(contacts: &[Value], kind: &str) -> bool {
    contacts.iter().any(|c| {
        c["types"]
            .as_array()
            .is_some_and(|ts| ts.iter().any(|t| t["type"] == kind && t["primary"] == true))
    })
}

async fn create(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let mut problems = missing(&body, &COMPANY_REQUIRED);
    let contacts_in = body
        .get("contacts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, c) in contacts_in.iter().enumerate() {
        problems.extend(
            missing(c, &CONTACT_REQUIRED)
                .into_iter()
                .map(|m| format!("contacts[{i}].{m}")),
        );
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    let contacts: Vec<Value> = contacts_in.iter().map(|c| new_contact(&state, c)).collect();
    // Primary Admin, Billing and Technical contacts make a company Active at once.
    let active = ["Admin", "Billing", "Technical"]
        .iter()
        .all(|k| has_primary(&contacts, k));
    let mut inner = state.lock();
    let id = inner.ids.uuid();
    let mut company = Map::new();
    company.insert("id".into(), json!(id));
    for key in COMPANY_FIELDS {
        if let Some(v) = body.get(key) {
            company.insert(key.into(), v.clone());
        }
    }
    company.insert(
        "status".into(),
        json!(if active { "Active" } else { "Inactive" }),
    );
    company.insert(
        "updatedDate".into(),
        json!(clock::pax8_datetime(clock::now())),
    );
    let company = Value::Object(company);
    inner.companies.push(company.clone());
    let mut newest_first = contacts;
    newest_first.reverse();
    inner.contacts.insert(id, newest_first);
    Ok(axum::Json(company).into_response())
}

async fn update(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let mut inner = state.lock();
    let company = find_mut(&mut inner.companies, "Company", &id)?;
    let mut changed = false;
    for key in COMPANY_FIELDS {
        if let Some(v) = body.get(key).filter(|v| !v.is_null())
            && company.get(key) != Some(v)
        {
            company[key] = v.clone();
            changed = true;
        }
    }
    if !changed {
        return Err(ApiError::unprocessable(vec![
            "At least one field must change".to_owned(),
        ]));
    }
    company["updatedDate"] = json!(clock::pax8_datetime(clock::now()));
    Ok(axum::Json(company.clone()).into_response())
}

async fn list_contacts(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> Result<Response, ApiError> {
    let items = state
        .lock()
        .contacts
        .get(&id)
        .cloned()
        .ok_or_else(|| company_not_found(&id))?;
    paged(items, &q)
}

async fn create_contact(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    if !state.lock().contacts.contains_key(&id) {
        return Err(company_not_found(&id));
    }
    let problems = missing(&body, &CONTACT_REQUIRED);
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    let contact = new_contact(&state, &body);
    state
        .lock()
        .contacts
        .entry(id)
        .or_default()
        .insert(0, contact.clone());
    Ok(axum::Json(contact).into_response())
}

async fn read_contact(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, contact_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let contacts = inner
        .contacts
        .get(&id)
        .ok_or_else(|| company_not_found(&id))?;
    let contact = find(contacts, "Contact", &contact_id)?;
    Ok(axum::Json(contact.clone()).into_response())
}

/// PUT needs the full contact (Pax8 rejects partial bodies).
async fn replace_contact(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, contact_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let problems = missing(&body, &CONTACT_REQUIRED);
    if !problems.is_empty() {
        return Err(ApiError::unprocessable(problems));
    }
    let mut inner = state.lock();
    let contacts = inner
        .contacts
        .get_mut(&id)
        .ok_or_else(|| company_not_found(&id))?;
    let contact = find_mut(contacts, "Contact", &contact_id)?;
    let created = contact["createdDate"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let types = contact["types"].clone();
    *contact = contact_from(&body, &contact_id, types, &created);
    Ok(axum::Json(contact.clone()).into_response())
}

async fn delete_contact(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((id, contact_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let contacts = inner
        .contacts
        .get_mut(&id)
        .ok_or_else(|| company_not_found(&id))?;
    let before = contacts.len();
    contacts.retain(|c| c["id"] != contact_id.as_str());
    if contacts.len() == before {
        return Err(listing::not_found("Contact", &contact_id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
