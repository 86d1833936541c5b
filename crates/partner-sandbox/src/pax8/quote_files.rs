//! Quote attachments, stored in memory: the partner's library (list, upload, update, add a quote's
//! attachments, delete, read or download, replace) and each quote's (upload, update, copy from the
//! library, delete, read or download, all as one zip), and the preferences' attachments, which new
//! quotes start with copies of. Uploads are `multipart/form-data`; a file holds at most
//! [`MAX_FILE_BYTES`] and the sandbox at most [`MAX_SANDBOX_BYTES`] over every attachment.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};

use super::auth::Authed;
use super::quotes::{Quoting, error, find_mut, invalid, is_uuid};
use super::{ApiError, Inner, State, json_body};
use crate::clock;

pub(super) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route(
            "/v2/quote-attachments",
            get(list_library).post(upload_library).put(update_library),
        )
        .route("/v2/quote-attachments/shared", post(share_to_library))
        .route(
            "/v2/quote-attachments/{attachment_id}",
            get(read_library)
                .patch(replace_library)
                .delete(delete_library),
        )
        .route(
            "/v2/quotes/{quote_id}/attachments",
            get(download_zip).post(upload_quote).put(update_quote),
        )
        .route(
            "/v2/quote-preferences/attachments",
            post(add_to_preferences),
        )
        .route(
            "/v2/quote-preferences/attachments/{attachment_id}",
            delete(delete_from_preferences),
        )
        .route(
            "/v2/quotes/{quote_id}/attachments/shared",
            post(copy_from_library),
        )
        .route(
            "/v2/quotes/{quote_id}/attachments/{attachment_id}",
            get(read_quote).delete(delete_quote),
        )
}

/// The largest file the simulator stores.
pub(crate) const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The most bytes the simulator stores over every attachment of one sandbox.
pub(crate) const MAX_SANDBOX_BYTES: usize = 8 * 1024 * 1024;
/// The most attachments a quote holds.
pub(crate) const MAX_PER_QUOTE: usize = 10;
/// The most attachments the library holds.
pub(crate) const MAX_LIBRARY: usize = 50;

/// One stored file: its `AttachmentResponse` and its bytes.
#[derive(Clone)]
pub(crate) struct Stored {
    pub(crate) meta: Value,
    bytes: Bytes,
}

impl Stored {
    fn id(&self) -> &str {
        self.meta["id"].as_str().unwrap_or_default()
    }

    /// A copy with a new id, for `owner_url` (the collection the copy lives in), ordered `order`.
    pub(super) fn copy(&self, inner: &mut Inner, owner_url: &str, order: usize) -> Stored {
        let name = self.meta["name"].as_str().unwrap_or_default().to_owned();
        let kind = self.meta["type"].as_str().unwrap_or_default().to_owned();
        new_stored(inner, owner_url, &name, &kind, self.bytes.clone(), order)
    }
}

/// A zip archive (stored, not compressed) of `files`, named as they are.
fn zip(files: &[Stored]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u16::try_from(v).unwrap_or(u16::MAX).to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes());
    }
    // 1980-01-01 00:00, the earliest date a zip entry can carry.
    const DATE: usize = 0x21;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for file in files {
        let name = file.meta["name"]
            .as_str()
            .unwrap_or("attachment")
            .as_bytes();
        let crc = crc32fast::hash(&file.bytes) as usize;
        let offset = out.len();
        let header = |out: &mut Vec<u8>| {
            u16le(out, 20); // version needed
            u16le(out, 0x0800); // UTF-8 names
            u16le(out, 0); // stored
            u16le(out, 0); // time
            u16le(out, DATE);
            u32le(out, crc);
            u32le(out, file.bytes.len());
            u32le(out, file.bytes.len());
            u16le(out, name.len());
            u16le(out, 0); // extra
        };
        u32le(&mut out, 0x0403_4b50);
        header(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&file.bytes);
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // version made by
        header(&mut central);
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_at = out.len();
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, files.len());
    u16le(&mut out, files.len());
    u32le(&mut out, central.len());
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

/// One part of a `multipart/form-data` body.
struct Part {
    name: String,
    filename: String,
    content_type: String,
    data: Bytes,
}

fn position(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

fn param(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn bad_upload(message: impl Into<String>) -> ApiError {
    error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "INVALID_REQUEST_BODY",
        message,
    )
}

/// The parts of a `multipart/form-data` body.
fn multipart(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Part>, ApiError> {
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(bad_upload("the body must be multipart/form-data"));
    }
    let boundary = param(content_type, "boundary")
        .filter(|b| !b.is_empty())
        .ok_or_else(|| bad_upload("multipart/form-data without a boundary"))?;
    let delimiter = format!("--{boundary}").into_bytes();
    let next = format!("\r\n--{boundary}").into_bytes();
    let malformed = || bad_upload("malformed multipart/form-data body");
    let mut at = position(body, &delimiter, 0).ok_or_else(malformed)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        if body.get(at..at + 2) != Some(b"\r\n") {
            return Err(malformed());
        }
        let head_end = position(body, b"\r\n\r\n", at + 2).ok_or_else(malformed)?;
        let head = std::str::from_utf8(&body[at + 2..head_end]).map_err(|_| malformed())?;
        let data_end = position(body, &next, head_end + 4).ok_or_else(malformed)?;
        let mut part = Part {
            name: String::new(),
            filename: String::new(),
            content_type: "application/octet-stream".to_owned(),
            data: body.slice(head_end + 4..data_end),
        };
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = param(value, "name").unwrap_or_default();
                part.filename = param(value, "filename").unwrap_or_default();
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                value.trim().clone_into(&mut part.content_type);
            }
        }
        parts.push(part);
        at = data_end + next.len();
    }
}

fn stored_bytes(quoting: &Quoting) -> usize {
    quoting
        .library
        .iter()
        .chain(quoting.quotes.iter().flat_map(|q| q.files.iter()))
        .map(|f| f.bytes.len())
        .sum()
}

/// The files of the parts named `field`, checked against the limits with `already` bytes stored.
fn files(parts: Vec<Part>, field: &str, already: usize) -> Result<Vec<Part>, ApiError> {
    let files: Vec<Part> = parts.into_iter().filter(|p| p.name == field).collect();
    if files.is_empty() {
        return Err(bad_upload(format!("no `{field}` file in the body")));
    }
    let mut total = already;
    for file in &files {
        if file.filename.trim().is_empty() {
            return Err(bad_upload(format!("a `{field}` part without a file name")));
        }
        if file.data.len() > MAX_FILE_BYTES {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "PAYLOAD_VALIDATION",
                format!(
                    "{} is larger than the sandbox's {MAX_FILE_BYTES} bytes per file",
                    file.filename
                ),
            ));
        }
        total += file.data.len();
    }
    if total > MAX_SANDBOX_BYTES {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "PAYLOAD_VALIDATION",
            format!("the sandbox stores at most {MAX_SANDBOX_BYTES} bytes of attachments"),
        ));
    }
    Ok(files)
}

fn creator(inner: &Inner) -> Value {
    let user = &inner.quoting.user;
    json!({ "id": user["id"], "fullName": user["fullName"], "role": user["userRole"] })
}

pub(super) fn new_stored(
    inner: &mut Inner,
    base: &str,
    name: &str,
    content_type: &str,
    bytes: Bytes,
    order: usize,
) -> Stored {
    let id = inner.ids.uuid();
    Stored {
        meta: json!({
            "id": id,
            "name": name,
            "type": content_type,
            "order": order,
            "url": format!("{base}/{id}?download=true"),
            "createdBy": creator(inner),
            "createdOn": clock::rfc3339(clock::now()),
        }),
        bytes,
    }
}

fn library_base(state: &State) -> String {
    format!("{}v2/quote-attachments", state.base)
}

pub(super) fn quote_base(state: &State, quote_id: &str) -> String {
    format!("{}v2/quotes/{quote_id}/attachments", state.base)
}

fn metas(files: &[Stored]) -> Value {
    json!(files.iter().map(|f| f.meta.clone()).collect::<Vec<_>>())
}

fn library_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "LIBRARY_ATTACHMENT_NOT_FOUND",
        format!("Library attachment {id} not found"),
    )
}

fn quote_file_not_found(id: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "QUOTE_ATTACHMENT_NOT_FOUND",
        format!("Quote attachment {id} not found"),
    )
}

fn too_many(code: &'static str, max: usize) -> ApiError {
    error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        code,
        format!("at most {max} attachments"),
    )
}

/// The stored bytes, with their content type.
fn download(file: &Stored) -> Response {
    let mut response = file.bytes.clone().into_response();
    let content_type = file.meta["type"].as_str().unwrap_or("application/pdf");
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(http::header::CONTENT_TYPE, v);
    }
    response
}

/// `download=true` answers the bytes; anything else, the metadata.
fn wants_download(q: &HashMap<String, String>) -> bool {
    q.get("download").is_some_and(|d| d == "true")
}

/// Applies `UpdateAttachmentPayload`s (`id`, `name`, `order`) to `files`, all or none.
fn apply_updates(
    files: &mut [Stored],
    body: &[u8],
    not_found: fn(&str) -> ApiError,
) -> Result<Vec<Value>, ApiError> {
    let Value::Array(updates) = json_body(body)? else {
        return Err(invalid(vec!["the body must be an array".to_owned()]));
    };
    let mut problems = Vec::new();
    for (i, u) in updates.iter().enumerate() {
        let id = u["id"].as_str().unwrap_or_default();
        if u["name"].as_str().is_none_or(|n| n.trim().is_empty()) {
            problems.push(format!("[{i}].name is required"));
        }
        if u["order"]
            .as_u64()
            .is_none_or(|o| o > u64::from(i32::MAX.unsigned_abs()))
        {
            problems.push(format!(
                "[{i}].order is required, as a non-negative integer"
            ));
        }
        if !files.iter().any(|f| f.id() == id) {
            return Err(not_found(id));
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let mut changed = Vec::new();
    for u in &updates {
        if let Some(file) = files
            .iter_mut()
            .find(|f| f.id() == u["id"].as_str().unwrap_or_default())
        {
            file.meta["name"] = u["name"].clone();
            file.meta["order"] = u["order"].clone();
            changed.push(file.meta.clone());
        }
    }
    files.sort_by_key(|f| f.meta["order"].as_u64().unwrap_or_default());
    Ok(changed)
}

/// The ids of `CopyAttachmentPayload`s.
fn copy_ids(body: &[u8]) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = json_body(body)? else {
        return Err(invalid(vec!["the body must be an array".to_owned()]));
    };
    let ids: Vec<String> = items
        .iter()
        .filter_map(|i| {
            i["attachmentId"]
                .as_str()
                .filter(|id| is_uuid(id))
                .map(str::to_owned)
        })
        .collect();
    if ids.len() != items.len() || ids.is_empty() {
        return Err(invalid(vec![
            "each entry needs an attachmentId (a uuid)".to_owned(),
        ]));
    }
    Ok(ids)
}

async fn list_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
) -> Result<Response, ApiError> {
    Ok(axum::Json(metas(&state.lock().quoting.library)).into_response())
}

async fn upload_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let parts = multipart(&headers, &body)?;
    let base = library_base(&state);
    let mut inner = state.lock();
    let files = files(parts, "attachments", stored_bytes(&inner.quoting))?;
    if inner.quoting.library.len() + files.len() > MAX_LIBRARY {
        return Err(too_many("LIBRARY_MAX_ATTACHMENTS_EXCEEDED", MAX_LIBRARY));
    }
    let mut added = Vec::new();
    for file in files {
        let order = inner.quoting.library.len();
        let stored = new_stored(
            &mut inner,
            &base,
            &file.filename,
            &file.content_type,
            file.data,
            order,
        );
        added.push(stored.meta.clone());
        inner.quoting.library.push(stored);
    }
    Ok((StatusCode::CREATED, axum::Json(added)).into_response())
}

async fn update_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let changed = apply_updates(&mut inner.quoting.library, &body, library_not_found)?;
    Ok(axum::Json(changed).into_response())
}

/// Copies attachments of quotes into the library.
async fn share_to_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ids = copy_ids(&body)?;
    let base = library_base(&state);
    let mut inner = state.lock();
    let mut sources = Vec::new();
    for id in &ids {
        let found = inner
            .quoting
            .quotes
            .iter()
            .flat_map(|q| q.files.iter())
            .find(|f| f.id() == id)
            .cloned()
            .ok_or_else(|| quote_file_not_found(id))?;
        sources.push(found);
    }
    let adding: usize = sources.iter().map(|s| s.bytes.len()).sum();
    if stored_bytes(&inner.quoting) + adding > MAX_SANDBOX_BYTES {
        return Err(invalid(vec![format!(
            "the sandbox stores at most {MAX_SANDBOX_BYTES} bytes of attachments"
        )]));
    }
    if inner.quoting.library.len() + sources.len() > MAX_LIBRARY {
        return Err(too_many("LIBRARY_MAX_ATTACHMENTS_EXCEEDED", MAX_LIBRARY));
    }
    let mut added = Vec::new();
    for source in sources {
        let order = inner.quoting.library.len();
        let name = source.meta["name"].as_str().unwrap_or_default().to_owned();
        let kind = source.meta["type"].as_str().unwrap_or_default().to_owned();
        let stored = new_stored(&mut inner, &base, &name, &kind, source.bytes, order);
        added.push(stored.meta.clone());
        inner.quoting.library.push(stored);
    }
    Ok((StatusCode::CREATED, axum::Json(added)).into_response())
}

async fn read_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let inner = state.lock();
    let file = inner
        .quoting
        .library
        .iter()
        .find(|f| f.id() == id)
        .ok_or_else(|| library_not_found(&id))?;
    Ok(if wants_download(&q) {
        download(file)
    } else {
        axum::Json(file.meta.clone()).into_response()
    })
}

/// Replaces a library file's bytes (multipart `attachment`), keeping its id and order.
async fn replace_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let parts = multipart(&headers, &body)?;
    let mut inner = state.lock();
    let old = inner
        .quoting
        .library
        .iter()
        .find(|f| f.id() == id)
        .map(|f| f.bytes.len())
        .ok_or_else(|| library_not_found(&id))?;
    let mut files = files(parts, "attachment", stored_bytes(&inner.quoting) - old)?;
    if files.len() != 1 {
        return Err(bad_upload("exactly one `attachment` file"));
    }
    let new = files.remove(0);
    let file = inner
        .quoting
        .library
        .iter_mut()
        .find(|f| f.id() == id)
        .ok_or_else(|| library_not_found(&id))?;
    file.bytes = new.data;
    file.meta["name"] = json!(new.filename);
    file.meta["type"] = json!(new.content_type);
    file.meta["replacedOn"] = json!(clock::rfc3339(clock::now()));
    Ok(axum::Json(file.meta.clone()).into_response())
}

async fn delete_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let library = &mut inner.quoting.library;
    let before = library.len();
    library.retain(|f| f.id() != id);
    if library.len() == before {
        return Err(library_not_found(&id));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn upload_quote(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let base = quote_base(&state, &quote_id);
    let mut inner = state.lock();
    let held = find_mut(&mut inner.quoting.quotes, &quote_id)?.files.len();
    let parts = multipart(&headers, &body)?;
    let files = files(parts, "attachments", stored_bytes(&inner.quoting))?;
    if held + files.len() > MAX_PER_QUOTE {
        return Err(too_many("MAX_ATTACHMENTS_EXCEEDED", MAX_PER_QUOTE));
    }
    let mut added = Vec::new();
    for (i, file) in files.into_iter().enumerate() {
        let stored = new_stored(
            &mut inner,
            &base,
            &file.filename,
            &file.content_type,
            file.data,
            held + i,
        );
        added.push(stored);
    }
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    quote.files.extend(added.iter().cloned());
    quote.touch();
    Ok((StatusCode::CREATED, axum::Json(metas(&added))).into_response())
}

async fn update_quote(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let changed = apply_updates(&mut quote.files, &body, quote_file_not_found)?;
    quote.touch();
    Ok(axum::Json(changed).into_response())
}

async fn copy_from_library(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ids = copy_ids(&body)?;
    let base = quote_base(&state, &quote_id);
    let mut inner = state.lock();
    let held = find_mut(&mut inner.quoting.quotes, &quote_id)?.files.len();
    let mut sources = Vec::new();
    for id in &ids {
        let found = inner
            .quoting
            .library
            .iter()
            .find(|f| f.id() == id)
            .cloned()
            .ok_or_else(|| library_not_found(id))?;
        sources.push(found);
    }
    if held + sources.len() > MAX_PER_QUOTE {
        return Err(too_many("MAX_ATTACHMENTS_EXCEEDED", MAX_PER_QUOTE));
    }
    let adding: usize = sources.iter().map(|s| s.bytes.len()).sum();
    if stored_bytes(&inner.quoting) + adding > MAX_SANDBOX_BYTES {
        return Err(invalid(vec![format!(
            "the sandbox stores at most {MAX_SANDBOX_BYTES} bytes of attachments"
        )]));
    }
    let mut added = Vec::new();
    for (i, source) in sources.into_iter().enumerate() {
        let name = source.meta["name"].as_str().unwrap_or_default().to_owned();
        let kind = source.meta["type"].as_str().unwrap_or_default().to_owned();
        added.push(new_stored(
            &mut inner,
            &base,
            &name,
            &kind,
            source.bytes,
            held + i,
        ));
    }
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    quote.files.extend(added.iter().cloned());
    quote.touch();
    Ok((StatusCode::CREATED, axum::Json(metas(&added))).into_response())
}

async fn read_quote(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((quote_id, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let file = quote
        .files
        .iter()
        .find(|f| f.id() == id)
        .ok_or_else(|| quote_file_not_found(&id))?;
    Ok(if wants_download(&q) {
        download(file)
    } else {
        axum::Json(file.meta.clone()).into_response()
    })
}

async fn delete_quote(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path((quote_id, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    let before = quote.files.len();
    quote.files.retain(|f| f.id() != id);
    if quote.files.len() == before {
        return Err(quote_file_not_found(&id));
    }
    quote.touch();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `downloadZip=true`: every attachment of the quote in one zip.
async fn download_zip(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(quote_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let quote = find_mut(&mut inner.quoting.quotes, &quote_id)?;
    if q.get("downloadZip").is_none_or(|d| d != "true") {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "INVALID_REQUEST_PARAMETER",
            "downloadZip must be true",
        ));
    }
    let mut response = zip(&quote.files).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    Ok(response)
}

/// Copies library attachments into the preferences (`{attachments: [ids]}`); new quotes start with
/// copies of them.
async fn add_to_preferences(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = json_body(&body)?;
    let ids: Option<Vec<String>> = body["attachments"].as_array().and_then(|ids| {
        ids.iter()
            .map(|id| id.as_str().filter(|id| is_uuid(id)).map(str::to_owned))
            .collect()
    });
    let ids = ids.filter(|ids| !ids.is_empty()).ok_or_else(|| {
        invalid(vec![
            "attachments is required, as an array of ids".to_owned(),
        ])
    })?;
    let base = format!("{}v2/quote-preferences/attachments", state.base);
    let mut inner = state.lock();
    let mut sources = Vec::new();
    for id in &ids {
        let found = inner
            .quoting
            .library
            .iter()
            .find(|f| f.id() == id)
            .cloned()
            .ok_or_else(|| library_not_found(id))?;
        sources.push(found);
    }
    let held = inner.quoting.preference_files.len();
    if held + sources.len() > MAX_PER_QUOTE {
        return Err(too_many(
            "PREFERENCE_MAX_ATTACHMENTS_EXCEEDED",
            MAX_PER_QUOTE,
        ));
    }
    let mut added = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        added.push(source.copy(&mut inner, &base, held + i));
    }
    inner.quoting.preference_files.extend(added.iter().cloned());
    Ok((StatusCode::CREATED, axum::Json(metas(&added))).into_response())
}

async fn delete_from_preferences(
    AxState(state): AxState<Arc<State>>,
    _a: Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let mut inner = state.lock();
    let files = &mut inner.quoting.preference_files;
    let before = files.len();
    files.retain(|f| f.id() != id);
    if files.len() == before {
        return Err(error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "PREFERENCE_ATTACHMENT_NOT_FOUND",
            format!("Preference attachment {id} not found"),
        ));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
