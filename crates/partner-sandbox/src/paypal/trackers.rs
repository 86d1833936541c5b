//! Orders v2 shipment trackers: add tracking to a captured order (`orders.track.create`) and update or
//! cancel a tracker (`orders.trackers.patch`).
//!
//! A tracker belongs to a capture of the order, which must be `COMPLETED` (or partly refunded); its id
//! is PayPal's `{capture id}-{tracking number}`, so adding the same tracking number again to the same
//! capture answers 200 with the order (PayPal's duplicate rule), as does a repeated `PayPal-Request-Id`.
//! The order shows its trackers under `purchase_units[].shipping.trackers`. A patch may replace
//! `status` (`SHIPPED` or `CANCELLED`), `tracking_number`, `carrier`, `carrier_name_other`,
//! `notify_payer` and `items`; a cancelled tracker can be shipped again.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{patch, post};
use serde_json::{Map, Value, json};

use super::json_patch::{self, orders_error as patch_error};
use super::{
    ApiError, Authed, Inner, State, auth_assertion, json_body, remember, replay, request_id,
};
use crate::clock;

/// A stored tracker.
#[derive(Debug, Clone)]
pub(crate) struct Tracker {
    id: String,
    order_id: String,
    unit_index: usize,
    status: String,
    /// The tracked fields as given (`tracking_number`, `carrier`, `items`...).
    fields: Map<String, Value>,
    created: String,
    updated: String,
}

/// The fields a patch may replace.
const PATCHABLE: &[&str] = &[
    "status",
    "tracking_number",
    "carrier",
    "carrier_name_other",
    "notify_payer",
    "items",
];

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/v2/checkout/orders/{id}/track", post(create))
        .route(
            "/v2/checkout/orders/{id}/trackers/{tracker_id}",
            patch(update),
        )
}

impl Tracker {
    fn json(&self, state: &State) -> Value {
        let mut v = json!({
            "id": self.id,
            "status": self.status,
            "links": [{
                "href": state.url(&format!("/v2/checkout/orders/{}/trackers/{}", self.order_id, self.id)),
                "rel": "update",
                "method": "PATCH"
            }],
            "create_time": self.created,
            "update_time": self.updated,
        });
        if let Some(items) = self.fields.get("items") {
            v["items"] = items.clone();
        }
        v
    }
}

/// Writes the tracker into its order's purchase unit.
fn sync_order(state: &State, inner: &mut Inner, id: &str) {
    let Some(tracker) = inner.trackers.get(id).cloned() else {
        return;
    };
    let Some(unit) = inner
        .orders
        .get_mut(&tracker.order_id)
        .and_then(|o| o.purchase_units.get_mut(tracker.unit_index))
    else {
        return;
    };
    let shipping = &mut unit["shipping"];
    if !shipping["trackers"].is_array() {
        shipping["trackers"] = json!([]);
    }
    if let Some(list) = shipping["trackers"].as_array_mut() {
        let shown = tracker.json(state);
        match list.iter_mut().find(|t| t["id"] == id) {
            Some(slot) => *slot = shown,
            None => list.push(shown),
        }
    }
}

fn missing(field: &str) -> ApiError {
    ApiError::invalid_request(
        field,
        "MISSING_REQUIRED_PARAMETER",
        "A required field / parameter is missing.",
    )
}

/// Checks the tracked fields a create or a patch leaves: a tracking number without blanks, a carrier,
/// and `carrier_name_other` when the carrier is `OTHER`; item SKUs the order's items have.
fn check_fields(fields: &Map<String, Value>, unit: &Value) -> Result<(), ApiError> {
    let number = fields
        .get("tracking_number")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("/tracking_number"))?;
    if number.is_empty() || number.chars().any(char::is_whitespace) || number.len() > 64 {
        return Err(ApiError::unprocessable(
            "INVALID_TRACKING_NUMBER",
            "Use a valid tracking number. It must not be empty, contain spaces or tab characters",
        ));
    }
    let carrier = fields
        .get("carrier")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("/carrier"))?;
    if carrier == "OTHER" && fields.get("carrier_name_other").is_none() {
        return Err(missing("/carrier_name_other"));
    }
    let skus: Vec<&str> = unit["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["sku"].as_str()).collect())
        .unwrap_or_default();
    let unknown_sku = fields
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|i| i["sku"].as_str())
        .any(|sku| !skus.contains(&sku));
    if unknown_sku {
        return Err(ApiError::unprocessable(
            "ITEM_SKU_MISMATCH",
            "Item sku must match one of the items sku that was provided during order creation.",
        ));
    }
    Ok(())
}

/// `orders.track.create`: answers the order, 201 (200 for a duplicate).
async fn create(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path(order_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let key = request_id(&headers);
    let mut inner = state.lock();
    if let Some(previous) = replay(&inner, "orders.track.create", key.as_deref()) {
        return Ok(previous);
    }
    let order = inner
        .orders
        .get(&order_id)
        .cloned()
        .ok_or_else(ApiError::invalid_resource_id)?;
    let capture_id = data
        .get("capture_id")
        .and_then(Value::as_str)
        .ok_or_else(|| missing("/capture_id"))?;
    let found = order.purchase_units.iter().enumerate().find_map(|(i, u)| {
        u.pointer("/payments/captures")
            .and_then(Value::as_array)
            .filter(|c| c.iter().any(|c| c["id"] == capture_id))
            .map(|_| i)
    });
    let Some(unit_index) = found else {
        return Err(ApiError::unprocessable(
            "CAPTURE_ID_NOT_FOUND",
            "Specified capture ID does not exist. Check the capture ID and try again.",
        ));
    };
    let capture_status = inner
        .captures
        .get(capture_id)
        .and_then(|c| c.value["status"].as_str())
        .unwrap_or_default();
    if !matches!(capture_status, "COMPLETED" | "PARTIALLY_REFUNDED") {
        return Err(ApiError::unprocessable(
            "CAPTURE_STATUS_NOT_VALID",
            "Invalid capture status. Tracker information can only be added to captures in `COMPLETED` state.",
        ));
    }
    let mut fields = data.as_object().cloned().unwrap_or_default();
    fields.remove("capture_id");
    // The spec gives `notify_payer` `default: false`, and lets a patch `replace` it: a tracker created
    // without it has it, as `false`.
    fields.entry("notify_payer").or_insert(Value::Bool(false));
    check_fields(&fields, &order.purchase_units[unit_index])?;
    let number = fields["tracking_number"].as_str().unwrap_or_default();
    let id = format!("{capture_id}-{number}");
    let duplicate = inner.trackers.contains_key(&id);
    if !duplicate {
        let now = clock::rfc3339(state.now());
        inner.trackers.insert(
            id.clone(),
            Tracker {
                id: id.clone(),
                order_id: order_id.clone(),
                unit_index,
                status: "SHIPPED".to_owned(),
                fields,
                created: now.clone(),
                updated: now,
            },
        );
        sync_order(&state, &mut inner, &id);
    }
    let body = inner
        .orders
        .get(&order_id)
        .map(|o| o.full(&state))
        .unwrap_or_default();
    remember(&mut inner, "orders.track.create", key, Some(body.clone()));
    let status = if duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, axum::Json(body)).into_response())
}

/// `orders.trackers.patch`: 204.
async fn update(
    AxState(state): AxState<Arc<State>>,
    _auth: Authed,
    headers: HeaderMap,
    Path((order_id, tracker_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth_assertion(&state, &headers)?;
    let data = json_body(&body)?;
    let ops = json_patch::parse(&data).map_err(patch_error)?;
    let mut inner = state.lock();
    let tracker = inner
        .trackers
        .get(&tracker_id)
        .filter(|t| t.order_id == order_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "RESOURCE_NOT_FOUND",
                "The specified resource does not exist.",
            )
            .detail(
                None,
                "path",
                "TRACKER_ID_NOT_FOUND",
                "Specified tracker ID does not exist. Check the tracker ID and try again.",
            )
        })?;
    let mut doc = Value::Object(tracker.fields.clone());
    doc["status"] = json!(tracker.status);
    for op in &ops {
        let [field] = op.path.as_slice() else {
            return Err(ApiError::unprocessable(
                "NOT_PATCHABLE",
                "Cannot be patched.",
            ));
        };
        if !PATCHABLE.contains(&field.as_str()) {
            return Err(ApiError::unprocessable(
                "NOT_PATCHABLE",
                "Cannot be patched.",
            ));
        }
        json_patch::apply(&mut doc, &op.path, op).map_err(patch_error)?;
    }
    let mut fields = doc.as_object().cloned().unwrap_or_default();
    let status = fields
        .remove("status")
        .and_then(|s| s.as_str().map(str::to_owned))
        .filter(|s| s == "SHIPPED" || s == "CANCELLED")
        .ok_or_else(|| {
            ApiError::invalid_request(
                "/status",
                "INVALID_PARAMETER_VALUE",
                "The value of a field is invalid.",
            )
        })?;
    let unit = inner
        .orders
        .get(&order_id)
        .and_then(|o| o.purchase_units.get(tracker.unit_index))
        .cloned()
        .unwrap_or_default();
    check_fields(&fields, &unit)?;
    if let Some(stored) = inner.trackers.get_mut(&tracker_id) {
        stored.status = status;
        stored.fields = fields;
        stored.updated = clock::rfc3339(state.now());
    }
    sync_order(&state, &mut inner, &tracker_id);
    Ok(StatusCode::NO_CONTENT.into_response())
}
