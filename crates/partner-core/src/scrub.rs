//! [`Scrubber`]: the client's own secrets, taken out of whatever a server sends back.
//!
//! Some gateways and proxies quote the request they refused in their error body: the `Authorization`
//! header, the token request's `client_secret`, a passphrase. The client knows its secrets, so it
//! replaces each of them with [`REDACTED`] wherever it turns a response into an error or a log line:
//! the body and headers of every non-2xx answer (before any error parser reads them), the fields of
//! the [`ApiError`], [`DecodeError`] and authentication errors made from a response, and the request
//! id a span records. A provider's typed error details that still hold a secret are dropped.
//!
//! Each secret is scrubbed in the forms a server may echo it in: as is, JSON-escaped (once, and twice
//! for a JSON request body quoted in a JSON error), URL-encoded
//! (form and percent encoding, either hex case) and Base64 (standard and URL-safe alphabets). A value
//! shorter than [`MIN_SECRET_CHARS`] characters is not scrubbed: it would shred ordinary text and
//! hide next to nothing.
//!
//! Scrubbing costs nothing on a successful call: it runs on error paths, and on log fields only when
//! a subscriber records them.
//!
//! ```
//! use partner_core::scrub::Scrubber;
//! let scrubber = Scrubber::new();
//! scrubber.add("s3cret/value");
//! assert_eq!(
//!     scrubber.scrub(r#"{"error":"bad client_secret s3cret/value (s3cret%2Fvalue)"}"#),
//!     r#"{"error":"bad client_secret [REDACTED] ([REDACTED])"}"#
//! );
//! ```

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{ApiError, BoxError, DecodeError, Error};
/// What replaces a scrubbed secret: the same marker as a redacted field's `Debug`, one name for one idea.
pub use crate::secret::REDACTED;

/// The shortest value (in characters) that is scrubbed. Shorter ones are ignored: replacing every
/// `abc` of a message would make it unreadable, and a three-character secret protects nothing.
pub const MIN_SECRET_CHARS: usize = 4;

/// How many rotating secrets (bearer tokens) are remembered: a refused or just-replaced token may
/// still come back in the answer to a request that carried it.
pub const ROTATING_KEPT: usize = 8;

/// The secrets a client knows, and the replacing of them in text a server sent.
///
/// Cheap to clone (an `Arc` inside): the client, its token cache and its authenticator share one.
/// Secrets come from three places: fixed ones (a client secret, the Basic value, an API key) from the
/// token source and the authenticator when the client is built; rotating ones (bearer tokens) from
/// the token cache, the last [`ROTATING_KEPT`] of them; and call-scoped ones (a passphrase, a
/// second-factor code) from a provider, for as long as the [`ScrubScope`] lives.
#[derive(Clone, Default)]
pub struct Scrubber {
    set: Arc<RwLock<SecretSet>>,
}

#[derive(Default)]
struct SecretSet {
    fixed: Vec<Forms>,
    rotating: VecDeque<Forms>,
    scoped: Vec<(u64, Forms)>,
    next_scope: u64,
}

impl SecretSet {
    fn all(&self) -> impl Iterator<Item = &Forms> {
        self.fixed
            .iter()
            .chain(&self.rotating)
            .chain(self.scoped.iter().map(|(_, forms)| forms))
    }

    fn len(&self) -> usize {
        self.fixed.len() + self.rotating.len() + self.scoped.len()
    }
}

/// One secret in every form it is scrubbed in.
struct Forms {
    raw: SecretString,
    encoded: Vec<SecretString>,
}

impl Forms {
    /// `None` for a value too short to scrub.
    fn of(secret: &str) -> Option<Self> {
        if secret.chars().count() < MIN_SECRET_CHARS {
            return None;
        }
        let json = json_escaped(secret);
        // A JSON request body quoted inside a JSON error message is escaped twice.
        let json_in_json = json_escaped(&json);
        // Python's `json.dumps` writes non-ASCII as `\uXXXX`; PHP's `json_encode` does too, and
        // also writes `/` as `\/`. Once parsed into an error's details, any of them is the secret.
        let json_ascii = ascii_escaped(&json);
        let json_php = json_ascii.replace('/', "\\/");
        // Rust's `Debug` escaping, as a typed error's details print the secret they decoded.
        let debug = format!("{secret:?}");
        let debug = debug[1..debug.len() - 1].to_owned();
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = percent_encode(secret);
        let mut encoded: Vec<String> = vec![
            json,
            json_in_json,
            json_ascii,
            json_php,
            debug,
            form,
            percent.to_ascii_lowercase(),
            percent,
            STANDARD_NO_PAD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
        ];
        encoded.retain(|form| form != secret);
        encoded.sort_unstable();
        encoded.dedup();
        Some(Self {
            raw: secret.into(),
            encoded: encoded.into_iter().map(SecretString::from).collect(),
        })
    }

    fn is(&self, secret: &str) -> bool {
        self.raw.expose_secret() == secret
    }

    fn each(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.raw)
            .chain(&self.encoded)
            .map(|form| form.expose_secret())
    }
}

/// `text` as it appears inside a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or_default()
        .to_owned()
}

/// JSON-escaped text with every non-ASCII character as `\uXXXX` (lowercase hex, UTF-16 surrogate
/// pairs beyond the basic plane), as ASCII-only JSON writers do.
fn ascii_escaped(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Every byte but RFC 3986's unreserved ones as `%XX` (what `encodeURIComponent` and most clients do).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.read().len())
            .finish()
    }
}

impl Scrubber {
    /// A scrubber that knows no secret yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, SecretSet> {
        self.set.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, SecretSet> {
        self.set.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Scrubs `secret` for the life of the client (a client secret, an API key, a Basic value).
    /// Values shorter than [`MIN_SECRET_CHARS`] are ignored.
    pub fn add(&self, secret: &str) {
        let Some(forms) = Forms::of(secret) else {
            return;
        };
        let mut set = self.write();
        if !set.fixed.iter().any(|known| known.is(secret)) {
            set.fixed.push(forms);
        }
    }

    /// Scrubs `secret` until [`ROTATING_KEPT`] newer rotating secrets have been added: for values
    /// that change over time, like bearer tokens.
    pub fn add_rotating(&self, secret: &str) {
        let Some(forms) = Forms::of(secret) else {
            return;
        };
        let mut set = self.write();
        if set.rotating.iter().any(|known| known.is(secret)) {
            return;
        }
        if set.rotating.len() == ROTATING_KEPT {
            set.rotating.pop_front();
        }
        set.rotating.push_back(forms);
    }

    /// Scrubs `secret` until the returned scope is dropped: for a value sent by one call only (a
    /// passphrase, a second-factor code). Hold the scope until the call's error has been made.
    ///
    /// ```
    /// use partner_core::scrub::Scrubber;
    /// let scrubber = Scrubber::new();
    /// let scope = scrubber.scope("123456");
    /// assert_eq!(scrubber.scrub("code 123456 refused"), "code [REDACTED] refused");
    /// drop(scope);
    /// assert_eq!(scrubber.scrub("code 123456 refused"), "code 123456 refused");
    /// ```
    pub fn scope(&self, secret: &str) -> ScrubScope {
        let Some(forms) = Forms::of(secret) else {
            return ScrubScope { owner: None };
        };
        let mut set = self.write();
        set.next_scope += 1;
        let id = set.next_scope;
        set.scoped.push((id, forms));
        ScrubScope {
            owner: Some((self.clone(), id)),
        }
    }

    /// `text` with every known secret, in every form, replaced by [`REDACTED`]; borrowed when there
    /// was none.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let set = self.read();
        let mut forms: Vec<&str> = set
            .all()
            .flat_map(Forms::each)
            .filter(|form| text.contains(form))
            .collect();
        if forms.is_empty() {
            return Cow::Borrowed(text);
        }
        // Longest first, so that a form containing another is replaced whole.
        forms.sort_unstable_by_key(|form| std::cmp::Reverse(form.len()));
        let mut out = text.to_owned();
        for form in forms {
            if out.contains(form) {
                out = out.replace(form, REDACTED);
            }
        }
        Cow::Owned(out)
    }

    /// Scrubs `text` in place.
    pub fn scrub_in_place(&self, text: &mut String) {
        if let Cow::Owned(clean) = self.scrub(text) {
            *text = clean;
        }
    }

    fn scrub_option(&self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.scrub_in_place(text);
        }
    }

    /// Scrubs every string, and every object key, of a JSON value.
    pub fn scrub_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => self.scrub_in_place(text),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            serde_json::Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.scrub_json(&mut item);
                    map.insert(self.scrub(&key).into_owned(), item);
                }
            }
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }

    /// Scrubs the provider's answer: code, message, request id, details and raw body.
    pub fn scrub_api_error(&self, api: &mut ApiError) {
        self.scrub_option(&mut api.code);
        self.scrub_option(&mut api.message);
        self.scrub_option(&mut api.request_id);
        if let Some(details) = &mut api.details {
            self.scrub_json(details);
        }
        self.scrub_in_place(&mut api.raw_body);
        // A provider's typed details are the crate's own type, which cannot be rewritten from here:
        // when they decoded a secret from a form the body did not show as such, they are dropped
        // (the fields above keep the answer, scrubbed).
        api.drop_provider_details_if(|text| self.finds_secret(text));
    }

    /// Whether `text` holds a known secret in any form.
    fn finds_secret(&self, text: &str) -> bool {
        let set = self.read();
        set.all()
            .flat_map(Forms::each)
            .any(|form| text.contains(form))
    }

    /// Scrubs a decode error: serde quotes values it did not expect, and keys appear in the path.
    pub fn scrub_decode_error(&self, decode: &mut DecodeError) {
        self.scrub_in_place(&mut decode.path);
        self.scrub_in_place(&mut decode.message);
        self.scrub_option(&mut decode.snippet);
    }

    /// `error` with every text that came from a response scrubbed: API, rate-limit, decode and
    /// authentication errors (their message, their answer, and a source that is itself an
    /// [`Error`]). Errors that hold no server text are returned as they are.
    pub fn scrub_error(&self, mut error: Error) -> Error {
        // In place, so that the fields a variant may gain are kept as they are.
        match &mut error {
            Error::Api(api) | Error::RateLimited { api, .. } => self.scrub_api_error(api),
            Error::Decode(decode) => self.scrub_decode_error(decode),
            Error::Authentication {
                message,
                api,
                source,
                ..
            } => {
                self.scrub_in_place(message);
                if let Some(api) = api {
                    self.scrub_api_error(api);
                }
                if let Some(source) = source {
                    *source = self.scrub_source(source.clone());
                }
            }
            _ => {}
        }
        error
    }

    fn scrub_source(&self, source: BoxError) -> BoxError {
        match source.downcast_ref::<Error>() {
            Some(inner) => Arc::new(self.scrub_error(inner.clone())),
            None => source,
        }
    }

    /// Scrubs the headers and body of an error answer, before anything reads them. A body that is
    /// not UTF-8 is scrubbed byte for byte.
    pub(crate) fn scrub_response(&self, headers: &mut HeaderMap, body: &mut Bytes) {
        if self.read().len() == 0 {
            return;
        }
        for value in headers.values_mut() {
            let Ok(text) = value.to_str() else { continue };
            if let Cow::Owned(clean) = self.scrub(text)
                && let Ok(mut clean) = HeaderValue::from_str(&clean)
            {
                clean.set_sensitive(value.is_sensitive());
                *value = clean;
            }
        }
        match std::str::from_utf8(body) {
            Ok(text) => {
                if let Cow::Owned(clean) = self.scrub(text) {
                    *body = Bytes::from(clean);
                }
            }
            Err(_) => {
                if let Some(clean) = self.scrub_bytes(body) {
                    *body = Bytes::from(clean);
                }
            }
        }
    }

    fn scrub_bytes(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let set = self.read();
        let mut forms: Vec<&[u8]> = set.all().flat_map(Forms::each).map(str::as_bytes).collect();
        forms.sort_unstable_by_key(|form| std::cmp::Reverse(form.len()));
        let mut out: Option<Vec<u8>> = None;
        for form in forms {
            let current = out.as_deref().unwrap_or(bytes);
            if let Some(replaced) = replace_bytes(current, form) {
                out = Some(replaced);
            }
        }
        out
    }
}

/// `haystack` with each `needle` replaced by [`REDACTED`]; `None` when there is none.
fn replace_bytes(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = haystack;
    let mut found = false;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        found = true;
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED.as_bytes());
        rest = &rest[at + needle.len()..];
    }
    found.then(|| {
        out.extend_from_slice(rest);
        out
    })
}

/// Keeps a call-scoped secret scrubbed until dropped; see [`Scrubber::scope`].
#[must_use = "the secret is scrubbed only while the scope is alive"]
pub struct ScrubScope {
    owner: Option<(Scrubber, u64)>,
}

impl fmt::Debug for ScrubScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScrubScope").finish_non_exhaustive()
    }
}

impl Drop for ScrubScope {
    fn drop(&mut self) {
        if let Some((scrubber, id)) = self.owner.take() {
            scrubber.write().scoped.retain(|(scope, _)| *scope != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[test]
    fn scrubs_every_encoding() {
        let scrubber = Scrubber::new();
        let secret = "p@ss wörd\"/+";
        scrubber.add(secret);
        let forms = Forms::of(secret).unwrap();
        let echoed: Vec<String> = forms.each().map(|form| format!("<{form}>")).collect();
        // As is, JSON (once, twice, ASCII-only as Python writes it, and with `\/` as PHP does),
        // form, percent (two cases) and Base64 (the URL-safe one is the same here).
        assert_eq!(echoed.len(), 9, "{echoed:?}");
        assert!(
            echoed.contains(&r#"<p@ss w\u00f6rd\"\/+>"#.to_owned()),
            "{echoed:?}"
        );
        for text in echoed {
            assert_eq!(scrubber.scrub(&text), "<[REDACTED]>", "{text}");
        }
    }

    #[test]
    fn short_values_are_ignored_and_clean_text_is_borrowed() {
        let scrubber = Scrubber::new();
        scrubber.add("abc");
        let _scope = scrubber.scope("");
        assert_eq!(format!("{scrubber:?}"), "Scrubber { secrets: 0 }");
        assert!(matches!(scrubber.scrub("abc abc"), Cow::Borrowed(_)));
        scrubber.add("abcd");
        assert_eq!(scrubber.scrub("xabcdx"), "x[REDACTED]x");
        assert!(matches!(scrubber.scrub("no secret"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_longest_form_wins() {
        let scrubber = Scrubber::new();
        scrubber.add("secret");
        scrubber.add("id:secret");
        assert_eq!(scrubber.scrub("creds id:secret"), "creds [REDACTED]");
    }

    #[test]
    fn rotating_secrets_are_bounded() {
        let scrubber = Scrubber::new();
        for n in 0..=ROTATING_KEPT {
            scrubber.add_rotating(&format!("token-{n}"));
        }
        assert_eq!(scrubber.scrub("token-0"), "token-0");
        assert_eq!(scrubber.scrub("token-1"), "[REDACTED]");
        assert_eq!(
            scrubber.scrub(&format!("token-{ROTATING_KEPT}")),
            "[REDACTED]"
        );
    }

    #[test]
    fn errors_are_scrubbed_in_every_field() {
        let scrubber = Scrubber::new();
        scrubber.add("hunter22");
        let mut api = ApiError::new(StatusCode::BAD_REQUEST, "body hunter22");
        api.code = Some("hunter22".into());
        api.message = Some("bad hunter22".into());
        api.request_id = Some("id-hunter22".into());
        api.details = Some(serde_json::json!({"hunter22": ["x hunter22"]}));
        let decode = DecodeError::decode_json::<u32>(br#""hunter22""#, None).unwrap_err();
        let errors = [
            Error::from(api.clone()),
            Error::RateLimited {
                retry_after: None,
                api: Box::new(api.clone()),
            },
            Error::from(decode.clone()),
            Error::Authentication {
                message: "refused hunter22".into(),
                api: Some(Box::new(api)),
                source: Some(Arc::new(Error::from(decode))),
            },
        ];
        for error in errors {
            let clean = scrubber.scrub_error(error);
            let mut text = format!("{clean} {clean:?}");
            if let Some(api) = clean.api_error() {
                text.push_str(&format!("{} {:?}", api.raw_body, api.details));
            }
            if let Some(source) = std::error::Error::source(&clean) {
                text.push_str(&format!("{source} {source:?}"));
            }
            assert!(!text.contains("hunter22"), "{text}");
            assert!(text.contains(REDACTED), "{text}");
        }
    }

    #[test]
    fn typed_details_holding_a_secret_are_dropped() {
        #[derive(Debug)]
        struct Details {
            #[allow(dead_code)]
            message: String,
        }
        let scrubber = Scrubber::new();
        scrubber.add("pa\"ss\u{1}word");
        let with = |message: &str| {
            ApiError::new(StatusCode::BAD_REQUEST, "").with_provider_details(Details {
                message: message.into(),
            })
        };
        // As a parser decodes it from a form the body did not show, so only `Debug` finds it.
        let mut leaky = with("refused pa\"ss\u{1}word");
        let mut clean = with("refused");
        scrubber.scrub_api_error(&mut leaky);
        scrubber.scrub_api_error(&mut clean);
        assert!(leaky.provider_details::<Details>().is_none());
        assert!(!format!("{leaky:?}").contains("word"));
        assert_eq!(
            clean.provider_details::<Details>().unwrap().message,
            "refused"
        );
    }

    #[test]
    fn response_headers_and_binary_bodies_are_scrubbed() {
        let scrubber = Scrubber::new();
        scrubber.add("hunter22");
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", HeaderValue::from_static("Bearer hunter22"));
        let mut body = Bytes::from_static(b"\xff\xfe hunter22 \xff");
        scrubber.scrub_response(&mut headers, &mut body);
        assert_eq!(headers["x-echo"], "Bearer [REDACTED]");
        assert_eq!(&body[..], b"\xff\xfe [REDACTED] \xff");
    }
}
