//! JSON Patch (RFC 6902) as PayPal applies it to orders, trackers and webhooks: `add`, `replace` and
//! `remove` at a JSON pointer. PayPal is stricter than the RFC, and so is this: an `add` of a member
//! that is present, or a `replace` or `remove` of one that is absent, is refused (PayPal's
//! `INVALID_PATCH_OPERATION`: "Cannot add a property that's already present, use replace"), where
//! RFC 6902's `add` would overwrite. Each API maps [`PatchError`] to its own error answer.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::ApiError;

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Add,
    Replace,
    Remove,
}

/// One operation of a patch request.
#[derive(Debug, Clone)]
pub(crate) struct PatchOp {
    pub(crate) op: Op,
    /// The pointer's segments, `~1` and `~0` decoded.
    pub(crate) path: Vec<String>,
    pub(crate) value: Option<Value>,
}

/// Why a patch request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatchError {
    /// The body is not an array of operation objects.
    Malformed,
    /// `op` is not `add`, `replace` or `remove` (`move`, `copy` and `test` are not offered).
    UnknownOp,
    /// No `path`.
    MissingPath,
    /// `path` is not a JSON pointer (`/a/b`).
    BadPointer,
    /// `add` or `replace` without a `value`.
    MissingValue,
    /// `add` of a present member, `replace`/`remove` of an absent one, or a path through a scalar.
    Conflict,
}

/// Reads the operations of a patch body.
pub(crate) fn parse(body: &Value) -> Result<Vec<PatchOp>, PatchError> {
    let ops = body.as_array().ok_or(PatchError::Malformed)?;
    ops.iter()
        .map(|raw| {
            let raw = raw.as_object().ok_or(PatchError::Malformed)?;
            let op = match raw.get("op").and_then(Value::as_str) {
                Some("add") => Op::Add,
                Some("replace") => Op::Replace,
                Some("remove") => Op::Remove,
                _ => return Err(PatchError::UnknownOp),
            };
            let path = raw
                .get("path")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
                .ok_or(PatchError::MissingPath)?;
            let value = raw.get("value").cloned();
            if op != Op::Remove && value.is_none() {
                return Err(PatchError::MissingValue);
            }
            Ok(PatchOp {
                op,
                path: segments(path)?,
                value,
            })
        })
        .collect()
}

/// The segments of a JSON pointer.
pub(crate) fn segments(pointer: &str) -> Result<Vec<String>, PatchError> {
    let rest = pointer.strip_prefix('/').ok_or(PatchError::BadPointer)?;
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// Applies `op` at `path` (relative to `target`). An `add` creates missing intermediate objects.
pub(crate) fn apply(target: &mut Value, path: &[String], op: &PatchOp) -> Result<(), PatchError> {
    let Some((last, parents)) = path.split_last() else {
        return Err(PatchError::BadPointer);
    };
    let mut node = target;
    for segment in parents {
        node = match node {
            Value::Object(map) => {
                if op.op == Op::Add && !map.contains_key(segment) {
                    map.insert(segment.clone(), Value::Object(Map::new()));
                }
                map.get_mut(segment).ok_or(PatchError::Conflict)?
            }
            Value::Array(items) => {
                let at: usize = segment.parse().map_err(|_| PatchError::BadPointer)?;
                items.get_mut(at).ok_or(PatchError::Conflict)?
            }
            _ => return Err(PatchError::Conflict),
        };
    }
    match node {
        Value::Object(map) => match (op.op, map.contains_key(last)) {
            (Op::Add, false) | (Op::Replace, true) => {
                map.insert(last.clone(), op.value.clone().unwrap_or(Value::Null));
                Ok(())
            }
            (Op::Remove, true) => {
                map.remove(last);
                Ok(())
            }
            _ => Err(PatchError::Conflict),
        },
        Value::Array(items) => {
            let value = op.value.clone().unwrap_or(Value::Null);
            if op.op == Op::Add && last == "-" {
                items.push(value);
                return Ok(());
            }
            let at: usize = last.parse().map_err(|_| PatchError::BadPointer)?;
            match op.op {
                Op::Add if at <= items.len() => items.insert(at, value),
                Op::Replace if at < items.len() => items[at] = value,
                Op::Remove if at < items.len() => {
                    items.remove(at);
                }
                _ => return Err(PatchError::Conflict),
            }
            Ok(())
        }
        _ => Err(PatchError::Conflict),
    }
}

/// The Orders v2 answer to a refused patch (orders and trackers alike).
pub(crate) fn orders_error(error: PatchError) -> ApiError {
    match error {
        PatchError::Malformed => ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "Request is not well-formed, syntactically incorrect, or violates schema.",
        )
        .detail(
            None,
            "body",
            "MALFORMED_REQUEST_JSON",
            "A patch request is an array of operation objects.",
        ),
        PatchError::UnknownOp | PatchError::Conflict => {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_REQUEST",
                "Request is not well-formed, syntactically incorrect, or violates schema.",
            )
            .detail(
                None,
                "body",
                "INVALID_PATCH_OPERATION",
                "The operation cannot be honored. Cannot add a property that's already present, use replace. Cannot remove a property thats not present, use add. Cannot replace a property thats not present, use add.",
            )
        }
        PatchError::MissingPath => ApiError::unprocessable(
            "PATCH_PATH_REQUIRED",
            "Specify a `path` for the field in which the operation needs to be performed.",
        ),
        PatchError::BadPointer => ApiError::unprocessable(
            "INVALID_JSON_POINTER_FORMAT",
            "Path should be a valid JSON Pointer that references a location within the request where the operation is performed.",
        ),
        PatchError::MissingValue => ApiError::unprocessable(
            "PATCH_VALUE_REQUIRED",
            "Specify a `value` for the field being patched.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn one(body: Value) -> PatchOp {
        parse(&json!([body])).unwrap().remove(0)
    }

    #[test]
    fn applies_paypal_strict_semantics() {
        let mut doc = json!({ "a": { "b": 1 }, "list": [1, 2] });
        let add = one(json!({ "op": "add", "path": "/a/c", "value": 2 }));
        apply(&mut doc, &add.path, &add).unwrap();
        assert_eq!(doc["a"]["c"], 2);
        assert_eq!(apply(&mut doc, &add.path, &add), Err(PatchError::Conflict));
        let replace = one(json!({ "op": "replace", "path": "/a/zz", "value": 2 }));
        assert_eq!(
            apply(&mut doc, &replace.path, &replace),
            Err(PatchError::Conflict)
        );
        let deep = one(json!({ "op": "add", "path": "/x/y~1z", "value": true }));
        apply(&mut doc, &deep.path, &deep).unwrap();
        assert_eq!(doc["x"]["y/z"], true);
        let push = one(json!({ "op": "add", "path": "/list/-", "value": 3 }));
        apply(&mut doc, &push.path, &push).unwrap();
        let remove = one(json!({ "op": "remove", "path": "/list/0" }));
        apply(&mut doc, &remove.path, &remove).unwrap();
        assert_eq!(doc["list"], json!([2, 3]));
    }

    #[test]
    fn refuses_malformed_operations() {
        assert_eq!(parse(&json!({})).unwrap_err(), PatchError::Malformed);
        assert_eq!(
            parse(&json!([{ "op": "move", "path": "/a" }])).unwrap_err(),
            PatchError::UnknownOp
        );
        assert_eq!(
            parse(&json!([{ "op": "add", "path": "/a" }])).unwrap_err(),
            PatchError::MissingValue
        );
        assert_eq!(
            parse(&json!([{ "op": "remove" }])).unwrap_err(),
            PatchError::MissingPath
        );
        assert_eq!(
            parse(&json!([{ "op": "remove", "path": "a" }])).unwrap_err(),
            PatchError::BadPointer
        );
    }
}
