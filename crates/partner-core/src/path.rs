//! Request paths built from trusted literal segments and untrusted ids, so that an id can never move a
//! request to another path.
//!
//! An id placed in a URL path is user input. The `url` crate's segment API (`path_segments_mut`)
//! silently drops a `.` or `..` segment and strips tab, CR and LF, so `DELETE …/webhooks/..` went out
//! as `DELETE …/webhooks` and `a\nb` as `…/ab`. Every provider therefore builds its paths with
//! [`join_path`], which:
//!
//! - refuses an id that is empty, blank (only whitespace), `.` or `..`, or that holds a control
//!   character (C0 including tab, CR and LF, DEL, C1), with [`InvalidInput`] naming the id's field;
//! - percent-encodes every other id as exactly one segment: every byte except ASCII letters, digits
//!   and `-._~` is encoded, so `/`, `?`, `#`, `\` and `%` stay inside the segment (`%2F` goes out as
//!   `%252F`);
//! - refuses an id that would make the URL longer than an HTTP request line can carry
//!   ([`MAX_URL_LEN`]), naming the field, rather than leaving it to fail later without a name;
//! - checks that the URL it built has exactly the path it meant, and refuses it otherwise: a request
//!   is never sent anywhere else.
//!
//! ```
//! use partner_core::path::{Segment, join_path};
//! use partner_core::url::Url;
//!
//! let base: Url = "https://api.example.com/v1/".parse().unwrap();
//! let url = join_path(&base, &[Segment::literal("orders"), Segment::id("order_id", "a/b?c")]).unwrap();
//! assert_eq!(url.as_str(), "https://api.example.com/v1/orders/a%2Fb%3Fc");
//!
//! let err = join_path(&base, &[Segment::literal("orders"), Segment::id("order_id", "..")]).unwrap_err();
//! assert_eq!(err.field, "order_id");
//! ```

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::error::InvalidInput;

/// The longest URL an HTTP request can carry: the `http` crate refuses a longer URI.
pub const MAX_URL_LEN: usize = u16::MAX as usize - 1;

/// Everything but RFC 3986's unreserved characters (letters, digits, `-._~`) is encoded: an id is
/// data, never path syntax.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One segment of a request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A constant of the provider crate (`orders`, `capture`): trusted, written as it is.
    Literal(&'static str),
    /// An id from the caller or from a response: checked, then percent-encoded as one segment.
    Id {
        /// The field named in the error when the id is refused (`order_id`).
        field: &'static str,
        /// The id as given.
        value: &'a str,
    },
}

impl<'a> Segment<'a> {
    /// A constant segment such as `orders`.
    pub const fn literal(text: &'static str) -> Self {
        Segment::Literal(text)
    }

    /// An id, named `field` in errors.
    pub const fn id(field: &'static str, value: &'a str) -> Self {
        Segment::Id { field, value }
    }
}

/// Checks that `value` may be an id segment of a path: not empty or blank, not `.` or `..`, and
/// without control characters.
///
/// # Errors
///
/// [`InvalidInput`] naming `field`, saying what is wrong (a control character by code point only).
///
/// ```
/// use partner_core::path::check_id;
///
/// assert!(check_id("order_id", "5O190127TN364715T").is_ok());
/// assert!(check_id("order_id", "a/b").is_ok()); // encoded, not refused
/// assert_eq!(check_id("order_id", "..").unwrap_err().field, "order_id");
/// assert!(check_id("order_id", "a\nb").is_err());
/// ```
pub fn check_id(field: &'static str, value: &str) -> Result<(), InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(field, "must not be empty"));
    }
    if value.trim().is_empty() {
        return Err(InvalidInput::new(field, "must not be blank"));
    }
    if value == "." || value == ".." {
        return Err(InvalidInput::new(
            field,
            "must not be `.` or `..` (it would address another path)",
        ));
    }
    if let Some(ch) = value.chars().find(|ch| ch.is_control()) {
        return Err(InvalidInput::new(
            field,
            format!(
                "must not contain control characters (it contains U+{:04X})",
                u32::from(ch)
            ),
        ));
    }
    Ok(())
}

/// `base`'s path followed by `segments`, ids checked by [`check_id`] and every segment
/// percent-encoded. A base path with or without a final `/` is treated as a directory:
/// `https://h/v1` and `https://h/v1/` both give `https://h/v1/orders`. The base's query, if any,
/// is kept.
///
/// # Errors
///
/// [`InvalidInput`] naming the id's field when an id is refused by [`check_id`] or would make the
/// URL longer than [`MAX_URL_LEN`]; naming `base_url` when `base` cannot have a path; and, should
/// the built URL's path ever differ from the one meant, naming the first id's field (or `path`).
pub fn join_path(base: &Url, segments: &[Segment<'_>]) -> Result<Url, InvalidInput> {
    if base.cannot_be_a_base() {
        return Err(InvalidInput::new("base_url", "cannot be a base URL"));
    }
    let base_path = base.path();
    let mut path = String::from(base_path.strip_suffix('/').unwrap_or(base_path));
    for segment in segments {
        let text = match *segment {
            Segment::Literal(text) => {
                debug_assert!(check_id("literal", text).is_ok(), "bad literal {text:?}");
                text
            }
            Segment::Id { field, value } => {
                check_id(field, value)?;
                value
            }
        };
        // Writing to a `String` cannot fail.
        let _ = write!(path, "/{}", utf8_percent_encode(text, SEGMENT));
        if base.as_str().len() + path.len() > MAX_URL_LEN {
            return Err(InvalidInput::new(
                field_of(Some(segment)),
                format!("is too long: the URL would exceed {MAX_URL_LEN} bytes"),
            ));
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    let mut url = base.clone();
    url.set_path(&path);
    if url.path() != path {
        // The encoding above leaves the parser nothing to rewrite; if it ever did, the request
        // would go to a path other than the one meant, so it is refused instead.
        let first_id = segments
            .iter()
            .find(|segment| matches!(segment, Segment::Id { .. }));
        return Err(InvalidInput::new(
            field_of(first_id),
            "cannot be placed in the request path unchanged",
        ));
    }
    Ok(url)
}

fn field_of(segment: Option<&Segment<'_>>) -> &'static str {
    match segment {
        Some(Segment::Id { field, .. }) => field,
        _ => "path",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        "https://api.example.com/v1/".parse().unwrap()
    }

    fn order(id: &str) -> Result<Url, InvalidInput> {
        join_path(
            &base(),
            &[
                Segment::literal("orders"),
                Segment::id("order_id", id),
                Segment::literal("capture"),
            ],
        )
    }

    #[test]
    fn ids_that_would_change_the_path_are_refused_naming_the_field() {
        for bad in [
            "", " ", "\t", ".", "..", "a\tb", "a\rb", "a\nb", "\n", "a\u{0}b", "a\u{7f}b",
            "a\u{85}b", "a\u{9f}",
        ] {
            let err = order(bad).unwrap_err();
            assert_eq!(err.field, "order_id", "{bad:?}");
        }
        assert!(order("a\nb").unwrap_err().reason.contains("U+000A"));
    }

    #[test]
    fn everything_else_is_one_encoded_segment() {
        for (id, encoded) in [
            ("5O190127TN364715T", "5O190127TN364715T"),
            ("a-b.c_d~e", "a-b.c_d~e"),
            ("...", "..."),
            (".a", ".a"),
            ("/", "%2F"),
            ("a/../b", "a%2F..%2Fb"),
            ("?", "%3F"),
            ("#", "%23"),
            ("\\", "%5C"),
            ("%2F", "%252F"),
            ("%2e%2e", "%252e%252e"),
            ("%2e", "%252e"),
            ("a b", "a%20b"),
            (" a", "%20a"),
            ("zoë", "zo%C3%AB"),
            ("a;b=c", "a%3Bb%3Dc"),
            ("a\u{2028}b", "a%E2%80%A8b"),
        ] {
            assert_eq!(
                order(id).unwrap().as_str(),
                format!("https://api.example.com/v1/orders/{encoded}/capture"),
                "{id:?}"
            );
        }
    }

    #[test]
    fn a_base_with_or_without_a_final_slash_is_a_directory() {
        for base in [
            "https://h.example/v1",
            "https://h.example/v1/",
            "http://127.0.0.1:9/v1/",
        ] {
            let base: Url = base.parse().unwrap();
            let url = join_path(&base, &[Segment::literal("companies")]).unwrap();
            assert!(url.as_str().ends_with("/v1/companies"), "{url}");
        }
        let root: Url = "https://h.example".parse().unwrap();
        let url = join_path(&root, &[Segment::literal("companies")]).unwrap();
        assert_eq!(url.as_str(), "https://h.example/companies");
        assert_eq!(
            join_path(&root, &[]).unwrap().as_str(),
            "https://h.example/"
        );
    }

    #[test]
    fn an_id_too_long_for_a_request_line_is_refused_naming_the_field() {
        let long = "a".repeat(70_000);
        assert_eq!(order(&long).unwrap_err().field, "order_id");
        // Percent-encoding triples a byte: the limit applies to the encoded form.
        let slashes = "/".repeat(MAX_URL_LEN / 3);
        assert_eq!(order(&slashes).unwrap_err().field, "order_id");
        let fits = "a".repeat(60_000);
        assert!(order(&fits).unwrap().as_str().len() <= MAX_URL_LEN);
    }

    #[test]
    fn a_base_that_cannot_have_a_path_is_refused() {
        let base: Url = "mailto:someone@example.com".parse().unwrap();
        let err = join_path(&base, &[Segment::id("order_id", "1")]).unwrap_err();
        assert_eq!(err.field, "base_url");
    }
}
