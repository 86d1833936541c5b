//! What the hostile-id tests share: a transport that records where each request went, the table of
//! hostile ids, and a decoder of recorded paths.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use partner_core::bytes::Bytes;
use partner_core::error::TransportError;
use partner_core::http::{Method, Response};
use partner_core::transport::{HttpRequest, HttpResponse, Transport};

/// Records every API request (method and raw path) and answers 404, which is neither retried nor
/// paged. Requests to the token path get a token, and are not recorded.
#[derive(Debug)]
pub struct RecordingTransport {
    token_path: &'static str,
    token_body: &'static str,
    sent: Mutex<Vec<(Method, String)>>,
}

impl RecordingTransport {
    /// A recorder that answers `token_body` on `token_path`.
    pub fn new(token_path: &'static str, token_body: &'static str) -> Self {
        Self {
            token_path,
            token_body,
            sent: Mutex::default(),
        }
    }

    /// Every API request sent so far, in order: method and raw path.
    pub fn sent(&self) -> Vec<(Method, String)> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Transport for RecordingTransport {
    fn send(
        &self,
        request: HttpRequest,
        _max: usize,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + '_>> {
        Box::pin(async move {
            let path = request.uri().path().to_owned();
            if path == self.token_path {
                return Ok(response(200, self.token_body));
            }
            self.sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((request.method().clone(), path));
            Ok(response(404, "{}"))
        })
    }
}

fn response(status: u16, body: &'static str) -> HttpResponse {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from_static(body.as_bytes()))
        .expect("a valid response")
}

/// Ids that have moved requests elsewhere, or could: empty and blank, dot segments (plain and
/// percent-encoded), separators, control characters (tab, CR, LF, NUL, DEL, C1), backslashes, and one
/// of 70 000 characters.
pub fn hostile_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "",
        " ",
        ".",
        "..",
        "/",
        "?",
        "#",
        "%2F",
        "%2f",
        "%2e%2e",
        "%2E%2E",
        "%2e",
        ".%2e",
        "a\tb",
        "a\rb",
        "a\nb",
        "\n",
        "a\u{0}b",
        "a\u{7f}b",
        "a\u{85}b",
        "../x",
        "./x",
        "x/..",
        "a/b",
        "a?b=c",
        "a#b",
        "\\..",
        "..\\",
        "...",
        "a b",
        "zoë",
        ";x",
        "..;",
        "%00",
        "a%2Fb",
        "\u{202e}x",
    ]
    .map(String::from)
    .to_vec();
    ids.push("a".repeat(70_000));
    ids
}

/// The segments of a recorded path, percent-decoded: what the server would see.
///
/// ```
/// assert_eq!(
///     partner_testkit::paths::decoded_segments("/v1/a%2Fb/%252e"),
///     ["v1", "a/b", "%2e"]
/// );
/// ```
pub fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|segment| {
            let bytes = segment.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 2 < bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).expect("valid escape"));
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).expect("UTF-8 segment")
        })
        .collect()
}
