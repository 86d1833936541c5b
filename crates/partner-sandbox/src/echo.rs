//! [`EchoServer`]: a hostile server that quotes every request it receives in its error answers, as
//! some gateways and proxies do, for tests that check a client keeps its own secrets out of its
//! errors and logs.
//!
//! Every request is reflected, method, path, query, headers and body, into a text `T`. The answer is
//! an error status with `T` in the body (in every field the providers' error parsers read, plus its
//! URL-encoded forms) and in the request-id headers the clients record. Requests to the token path
//! are answered with a fresh access token instead, so that a client gets as far as the API call
//! (and its tokens can be echoed too); [`EchoServer::refuse_tokens`] echoes them as well.
//!
//! ```no_run
//! use partner_sandbox::echo::{EchoFormat, EchoServer};
//! # async fn run() -> std::io::Result<()> {
//! let echo = EchoServer::start().await?;
//! echo.reply(401, EchoFormat::Json);
//! let base = echo.base_url(); // http://127.0.0.1:PORT/
//! # let _ = base; Ok(()) }
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

/// How the echoed request is laid out in the answer's body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EchoFormat {
    /// A JSON error document quoting the request in `message`, `error_description`, `details`...
    Json,
    /// The request as plain text.
    Text,
    /// The JSON document written as PHP's `json_encode` writes it: ASCII only (`\u00fc`) and `/` as
    /// `\/` (Python's `json.dumps` does the first), so a secret comes back in a form other than the
    /// JSON escaping a Rust client would produce.
    AsciiJson,
}

impl EchoFormat {
    /// Every format, for tests that try each.
    pub const ALL: [EchoFormat; 3] = [EchoFormat::Json, EchoFormat::Text, EchoFormat::AsciiJson];
}

/// The response headers that carry the echoed request (those the clients read as request ids).
pub const ECHO_HEADERS: [&str; 4] = [
    "x-request-id",
    "paypal-debug-id",
    "x-amzn-requestid",
    "x-amzn-errortype",
];

#[derive(Debug)]
struct Config {
    status: StatusCode,
    format: EchoFormat,
    code: Option<serde_json::Value>,
    token_path: Option<String>,
    refuse_tokens: bool,
    issued: Vec<String>,
}

/// A loopback server echoing every request into its answer; see the module documentation.
pub struct EchoServer {
    addr: SocketAddr,
    config: Arc<Mutex<Config>>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for EchoServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EchoServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl EchoServer {
    /// Starts on a free `127.0.0.1` port, answering HTTP 400 in JSON.
    ///
    /// # Errors
    ///
    /// When no port can be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let config = Arc::new(Mutex::new(Config {
            status: StatusCode::BAD_REQUEST,
            format: EchoFormat::Json,
            code: None,
            token_path: None,
            refuse_tokens: false,
            issued: Vec::new(),
        }));
        let app = axum::Router::new()
            .fallback(echo)
            .with_state(config.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, config, task })
    }

    fn config(&self) -> std::sync::MutexGuard<'_, Config> {
        self.config.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> Url {
        format!("http://{}/", self.addr)
            .parse()
            .expect("a socket address makes a URL")
    }

    /// Answers every request (but granted token requests) with `status`, in `format`.
    pub fn reply(&self, status: u16, format: EchoFormat) {
        let mut config = self.config();
        config.status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        config.format = format;
    }

    /// Adds `"code": code` to JSON answers (some services put their own code in the body).
    pub fn code(&self, code: serde_json::Value) {
        self.config().code = Some(code);
    }

    /// Answers requests whose path is `path` with a fresh access token.
    pub fn grant_tokens_at(&self, path: &str) {
        self.config().token_path = Some(path.to_owned());
    }

    /// Echoes token requests too, with the configured status.
    pub fn refuse_tokens(&self) {
        self.config().refuse_tokens = true;
    }

    /// The access tokens granted so far, oldest first.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.config().issued.clone()
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn echo(State(config): State<Arc<Mutex<Config>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let (status, format, code, token) = {
        let mut config = config.lock().unwrap_or_else(PoisonError::into_inner);
        let is_token_path = config.token_path.as_deref() == Some(parts.uri.path());
        let token = (is_token_path && !config.refuse_tokens).then(|| {
            // Characters that change under URL and JSON encoding, so that every form is exercised.
            let token = format!("tok/{}+{:08x}=", config.issued.len(), fastrand::u32(..));
            config.issued.push(token.clone());
            token
        });
        (config.status, config.format, config.code.clone(), token)
    };
    if let Some(token) = token {
        let grant = serde_json::json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
        });
        return axum::Json(grant).into_response();
    }
    let text = reflect(&parts, &body);
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&text.replace('\n', " | ")) {
        for name in ECHO_HEADERS {
            headers.insert(HeaderName::from_static(name), value.clone());
        }
    }
    match format {
        EchoFormat::Text => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            (status, headers, text).into_response()
        }
        EchoFormat::Json => (status, headers, axum::Json(json_body(&text, code))).into_response(),
        EchoFormat::AsciiJson => {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            let json = json_body(&text, code).to_string();
            (status, headers, php_escaped(&json)).into_response()
        }
    }
}

/// The request as text: `METHOD path?query`, one `name: value` line per header, a blank line, the
/// body.
fn reflect(parts: &axum::http::request::Parts, body: &Bytes) -> String {
    let mut text = format!("{} {}\n", parts.method, parts.uri);
    for (name, value) in &parts.headers {
        text.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(body));
    text
}

fn json_body(text: &str, code: Option<serde_json::Value>) -> serde_json::Value {
    let form: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let mut body = serde_json::json!({
        "error": "invalid_request",
        "error_description": text,
        "name": "ECHO",
        "message": text,
        "information": text,
        "debug_id": text,
        "details": [{"issue": "ECHO", "description": text, "field": text, "value": text}],
        "errors": [text],
        "echo": {"text": text, "form_encoded": form, "percent_encoded": percent_encode(text)},
    });
    if let Some(code) = code {
        body["code"] = code;
    }
    body
}

/// JSON text rewritten with every non-ASCII character as `\uXXXX` and every `/` as `\/` (both occur
/// only inside strings, so the document stays the same JSON).
fn php_escaped(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// Every byte but RFC 3986's unreserved ones as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// `secret` in the forms a server may echo it in: as is, Base64 (standard, padded and not, and
/// URL-safe), percent- and form-encoded, and JSON-escaped (once, and twice: a JSON request body quoted
/// in a JSON answer).
pub fn echoed_forms(secret: &str) -> Vec<String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let json_escaped = |text: &str| {
        let quoted = serde_json::to_string(text).unwrap_or_default();
        quoted[1..quoted.len() - 1].to_owned()
    };
    let json = json_escaped(secret);
    let json_in_json = json_escaped(&json);
    let mut forms = vec![
        secret.to_owned(),
        STANDARD.encode(secret),
        STANDARD_NO_PAD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
        percent_encode(secret),
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
        json,
        json_in_json,
    ];
    forms.sort();
    forms.dedup();
    forms
}

/// Each form of each secret found in `text`, as `"form (of secret #i)"`: empty when nothing leaked.
pub fn leaks(text: &str, secrets: &[&str]) -> Vec<String> {
    secrets
        .iter()
        .enumerate()
        .flat_map(|(i, secret)| {
            echoed_forms(secret)
                .into_iter()
                .filter(|form| text.contains(form.as_str()))
                .map(move |form| format!("{form} (of secret #{i})"))
        })
        .collect()
}
