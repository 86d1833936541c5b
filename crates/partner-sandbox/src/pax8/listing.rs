//! What the simulator's collections share: finding one item by id (or Pax8's 404), `page`/`size`
//! parsing, equality filters, Spring-style `sort=field,asc|desc`, and the page envelope.

use std::cmp::Ordering;
use std::collections::HashMap;

use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::ApiError;

/// Query parameters, as sent.
pub(crate) type Params = HashMap<String, String>;

/// Pax8's page size when none is asked for.
const DEFAULT_PAGE_SIZE: usize = 10;
/// Pax8 refuses larger pages with a 400.
const MAX_PAGE_SIZE: usize = 200;

/// Pax8's 404 for a missing resource: `"{kind} {id} not found"`.
pub(crate) fn not_found(kind: &str, id: &str) -> ApiError {
    ApiError::not_found(format!("{kind} {id} not found"))
}

/// The item whose `id` is `id`, or the 404 for a missing `kind`.
pub(crate) fn find<'a>(items: &'a [Value], kind: &str, id: &str) -> Result<&'a Value, ApiError> {
    items
        .iter()
        .find(|item| item["id"] == id)
        .ok_or_else(|| not_found(kind, id))
}

/// [`find`], for changing the item in place.
pub(crate) fn find_mut<'a>(
    items: &'a mut [Value],
    kind: &str,
    id: &str,
) -> Result<&'a mut Value, ApiError> {
    items
        .iter_mut()
        .find(|item| item["id"] == id)
        .ok_or_else(|| not_found(kind, id))
}

/// Whether `s` is a `yyyy-MM-dd` date (ISO dates also compare correctly as strings, which the
/// range filters rely on).
pub(crate) fn is_iso_date(s: &str) -> bool {
    s.len() == 10
        && time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

/// `page` (0-based, default 0) and `size` (default 10, at most 200).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageParams {
    pub(crate) page: usize,
    pub(crate) size: usize,
}

impl PageParams {
    pub(crate) fn parse(q: &Params) -> Result<Self, ApiError> {
        let page = match q.get("page") {
            None => 0,
            Some(p) => p
                .parse::<usize>()
                .map_err(|_| ApiError::bad_request("page must be a non-negative integer"))?,
        };
        let size = match q.get("size") {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => s
                .parse::<usize>()
                .map_err(|_| ApiError::bad_request("size must be a positive integer"))?,
        };
        if size == 0 || size > MAX_PAGE_SIZE {
            return Err(ApiError::bad_request(format!(
                "size must be between 1 and {MAX_PAGE_SIZE}"
            )));
        }
        Ok(PageParams { page, size })
    }
}

/// One page of `items` with the counts the envelope reports.
struct PageSlice {
    content: Vec<Value>,
    total_elements: usize,
    total_pages: usize,
}

fn slice(items: Vec<Value>, params: PageParams) -> PageSlice {
    let total_elements = items.len();
    let content = items
        .into_iter()
        .skip(params.page.saturating_mul(params.size))
        .take(params.size)
        .collect();
    PageSlice {
        content,
        total_elements,
        total_pages: total_elements.div_ceil(params.size),
    }
}

/// The page the query asks for, in the envelope
/// `{"content": [...], "page": {size, totalElements, totalPages, number}}`.
pub(crate) fn paged(items: Vec<Value>, q: &Params) -> Result<Response, ApiError> {
    let params = PageParams::parse(q)?;
    let page = slice(items, params);
    Ok(axum::Json(json!({
        "content": page.content,
        "page": {
            "size": params.size,
            "totalElements": page.total_elements,
            "totalPages": page.total_pages,
            "number": params.page,
        }
    }))
    .into_response())
}

/// [`paged`] with the page fields next to `content`, as the webhooks API's topic definitions
/// answer.
pub(crate) fn paged_flat(items: Vec<Value>, q: &Params) -> Result<Response, ApiError> {
    let params = PageParams::parse(q)?;
    let page = slice(items, params);
    Ok(axum::Json(json!({
        "content": page.content,
        "number": params.page,
        "size": params.size,
        "totalElements": page.total_elements,
        "totalPages": page.total_pages,
    }))
    .into_response())
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Keeps the items whose field (a JSON pointer) equals the query parameter, case-insensitively.
/// `fields` pairs a parameter name with its pointer.
pub(crate) fn filter_eq(items: &mut Vec<Value>, q: &Params, fields: &[(&str, &str)]) {
    for (param, pointer) in fields {
        if let Some(wanted) = q.get(*param) {
            items.retain(|item| {
                item.pointer(pointer)
                    .and_then(text)
                    .is_some_and(|have| have.eq_ignore_ascii_case(wanted))
            });
        }
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Null) | None, Some(Value::Null) | None) => Ordering::Equal,
        // Nulls after values (so before them when descending).
        (Some(Value::Null) | None, _) => Ordering::Greater,
        (_, Some(Value::Null) | None) => Ordering::Less,
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// Applies `sort=field[,asc|desc]` (Spring style); `fields` pairs the sortable names with their
/// pointers, and any other field is a 400, as Pax8 answers.
pub(crate) fn sort(
    items: &mut [Value],
    q: &Params,
    fields: &[(&str, &str)],
) -> Result<(), ApiError> {
    let Some(spec) = q.get("sort") else {
        return Ok(());
    };
    let (field, direction) = spec.split_once(',').unwrap_or((spec.as_str(), "asc"));
    let pointer = fields
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, p)| *p)
        .ok_or_else(|| ApiError::bad_request(format!("Invalid sort field '{field}'")))?;
    let descending = match direction.to_ascii_lowercase().as_str() {
        "asc" => false,
        "desc" => true,
        _ => {
            return Err(ApiError::bad_request(format!(
                "Invalid sort direction '{direction}'"
            )));
        }
    };
    items.sort_by(|a, b| {
        let o = compare(a.pointer(pointer), b.pointer(pointer));
        if descending { o.reverse() } else { o }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn page_params_default_and_limits() {
        let p = PageParams::parse(&Params::new()).unwrap();
        assert_eq!((p.page, p.size), (0, 10));
        assert!(PageParams::parse(&query(&[("size", "200")])).is_ok());
        assert!(PageParams::parse(&query(&[("size", "201")])).is_err());
        assert!(PageParams::parse(&query(&[("size", "0")])).is_err());
        assert!(PageParams::parse(&query(&[("page", "-1")])).is_err());
    }

    #[test]
    fn sort_orders_nulls_after_values_and_refuses_unknown_fields() {
        let mut items = vec![json!({"n": null}), json!({"n": 2}), json!({"n": 1})];
        sort(&mut items, &query(&[("sort", "n")]), &[("n", "/n")]).unwrap();
        assert_eq!(
            items,
            [json!({"n": 1}), json!({"n": 2}), json!({"n": null})]
        );
        sort(&mut items, &query(&[("sort", "n,DESC")]), &[("n", "/n")]).unwrap();
        assert_eq!(
            items,
            [json!({"n": null}), json!({"n": 2}), json!({"n": 1})]
        );
        assert!(sort(&mut items, &query(&[("sort", "x")]), &[("n", "/n")]).is_err());
        assert!(sort(&mut items, &query(&[("sort", "n,up")]), &[("n", "/n")]).is_err());
    }

    #[test]
    fn dates_are_checked_whole() {
        assert!(is_iso_date("2025-07-01"));
        assert!(!is_iso_date("2025-7-01"));
        assert!(!is_iso_date("2025-07-01T00:00:00Z"));
    }
}
