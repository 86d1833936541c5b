//! Query parameters and limit/offset paging shared by every Procuret list.
//!
//! Procuret pages with `limit`, `offset`, `order` (`ascending`/`descending`) and `order_by`
//! (`created`, the only documented field) and answers a bare JSON array whose objects each carry a
//! `disposition`: `{sequence, count, limit, offset}`.

use std::collections::HashMap;
use std::str::FromStr;

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::ApiError;

/// A list's query string.
pub(crate) type Params = HashMap<String, String>;

/// The page size when the request gives none, as in Procuret's libraries.
const DEFAULT_LIMIT: usize = 20;

/// `true`/`false`, or absent.
pub(crate) fn parse_bool(q: &Params, name: &str) -> Result<Option<bool>, ApiError> {
    match q.get(name).map(String::as_str) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::bad_request(format!(
            "{name} must be true or false"
        ))),
    }
}

/// An integer, or absent.
pub(crate) fn parse_opt<T: FromStr>(q: &Params, name: &str) -> Result<Option<T>, ApiError> {
    q.get(name)
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::bad_request(format!("{name} must be an integer")))
        })
        .transpose()
}

/// An integer, or `default` when absent.
pub(crate) fn parse_num<T: FromStr>(q: &Params, name: &str, default: T) -> Result<T, ApiError> {
    Ok(parse_opt(q, name)?.unwrap_or(default))
}

/// Which part of a sorted list a request asks for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    limit: usize,
    offset: usize,
    descending: bool,
}

impl Window {
    /// `limit`, `offset`, `order` and `order_by` from the query; anything else there is ignored.
    pub(crate) fn from_query(q: &Params) -> Result<Self, ApiError> {
        let descending = match q.get("order").map(String::as_str) {
            None | Some("ascending") => false,
            Some("descending") => true,
            Some(_) => {
                return Err(ApiError::bad_request(
                    "order must be ascending or descending",
                ));
            }
        };
        if q.get("order_by").is_some_and(|o| o != "created") {
            return Err(ApiError::bad_request("order_by must be created"));
        }
        Ok(Window {
            limit: parse_num(q, "limit", DEFAULT_LIMIT)?,
            offset: parse_num(q, "offset", 0)?,
            descending,
        })
    }

    /// The page of `items` (each with its creation time and JSON), sorted by creation, each object
    /// given its `disposition`.
    pub(crate) fn page(&self, mut items: Vec<(OffsetDateTime, Value)>) -> Value {
        items.sort_by_key(|(created, _)| *created);
        if self.descending {
            items.reverse();
        }
        let count = items.len();
        let page = items
            .into_iter()
            .enumerate()
            .skip(self.offset)
            .take(self.limit)
            .map(|(sequence, (_, mut v))| {
                v["disposition"] = json!({
                    "sequence": sequence,
                    "count": count,
                    "limit": self.limit,
                    "offset": self.offset,
                });
                v
            })
            .collect();
        Value::Array(page)
    }
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

    fn items() -> Vec<(OffsetDateTime, Value)> {
        (0..5)
            .map(|i| (crate::clock::at(1_000 + i), json!({ "n": i })))
            .rev()
            .collect()
    }

    #[test]
    fn sorts_skips_and_states_the_count() {
        let window = Window::from_query(&query(&[("limit", "2"), ("offset", "1")])).unwrap();
        let page = window.page(items());
        assert_eq!(page[0]["n"], 1);
        assert_eq!(page[1]["n"], 2);
        assert_eq!(page.as_array().unwrap().len(), 2);
        assert_eq!(
            page[1]["disposition"],
            json!({ "sequence": 2, "count": 5, "limit": 2, "offset": 1 })
        );
        let newest = Window::from_query(&query(&[("order", "descending")])).unwrap();
        assert_eq!(newest.page(items())[0]["n"], 4);
    }

    #[test]
    fn refuses_unknown_orders_and_non_numbers() {
        for bad in [
            ("order", "sideways"),
            ("order_by", "amount"),
            ("limit", "-1"),
            ("offset", "x"),
        ] {
            assert!(Window::from_query(&query(&[bad])).is_err(), "{bad:?}");
        }
    }
}
