//! The JSON path at a position in a document: where a decode error happened (`content[1].price`),
//! named without decoding the document a second time.
//!
//! serde_json says where an error is as a line and column. Walking the document up to there, keeping
//! a stack of the objects and arrays that are open, names the path in `serde_path_to_error`'s
//! notation. A second, path-tracking decode would name it too, but every response type's
//! deserializer would be compiled twice: for pax8 that was a third of the crate's LLVM IR and nearly
//! nine seconds of its cold release build (docs/performance.md). The walk is one function, compiled
//! once.

/// The path at serde_json's error position: `line` (1-based; 0 when serde_json gave none) and
/// `column` (bytes into the line). `"."` for the root, or when there is no position.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    match offset_of(body, line, column) {
        Some(offset) => render(&open_frames(&body[..offset])),
        None => ".".to_owned(),
    }
}

/// The byte offset of a line and column, as serde_json counts them.
fn offset_of(body: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += body.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    Some(start.saturating_add(column).min(body.len()))
}

/// An object or array that is open at the position.
enum Frame {
    /// `key` is the member whose value is being read; `None` before the first key and after a comma.
    Object { key: Option<String> },
    /// `index` is the element being read; `started` once its value has begun (an error at `[`
    /// itself is about the array, not its first element).
    Array { index: usize, started: bool },
}

/// The frames open after reading `json` (a prefix of the document).
fn open_frames(json: &[u8]) -> Vec<Frame> {
    let mut stack = Vec::new();
    let mut at = 0;
    while at < json.len() {
        match json[at] {
            b'{' => {
                begin_value(&mut stack);
                stack.push(Frame::Object { key: None });
            }
            b'[' => {
                begin_value(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    started: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key }) => *key = None,
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b'"' => {
                let end = string_end(json, at);
                match stack.last_mut() {
                    // A string where a key is expected is the key.
                    Some(Frame::Object { key }) if key.is_none() => {
                        *key = Some(unquoted(&json[at..end]));
                    }
                    _ => begin_value(&mut stack),
                }
                at = end;
                continue;
            }
            b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
            // A number, `true`, `false` or `null`.
            _ => begin_value(&mut stack),
        }
        at += 1;
    }
    stack
}

fn begin_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// The index just past the string that opens at `start` (its closing quote included), or the end.
fn string_end(json: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < json.len() {
        match json[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    json.len()
}

/// A key as text: its escapes decoded, or its raw bytes when it is cut off or malformed.
fn unquoted(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
        let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
        String::from_utf8_lossy(inner).into_owned()
    })
}

/// `serde_path_to_error`'s notation: keys joined by `.`, indices as `[i]`, `.` for the root.
fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                started: true,
            } => path.push_str(&format!("[{index}]")),
            Frame::Object { key: None } | Frame::Array { started: false, .. } => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        content: Vec<Item>,
        #[serde(default)]
        page: Option<Meta>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        price: Option<u32>,
        #[serde(default)]
        tags: Vec<u8>,
        #[serde(default)]
        extra: BTreeMap<String, Vec<u16>>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Meta {
        size: u32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        Plain,
        Tagged { level: u8 },
    }

    /// Where our walk and a path-tracking decode both find the failure.
    fn both(json: &str) -> (String, String) {
        let err = serde_json::from_str::<Page>(json).expect_err(json);
        let ours = path_at(json.as_bytes(), err.line(), err.column());
        let mut de = serde_json::Deserializer::from_str(json);
        let tracked = serde_path_to_error::deserialize::<_, Page>(&mut de).expect_err(json);
        (ours, tracked.path().to_string())
    }

    #[test]
    fn names_the_same_path_as_a_tracking_decode() {
        let cases = [
            r#"{"content":[{"id":"a","price":1},{"id":"b","price":"oops"}]}"#,
            r#"{"content":[{"id":"a"},{"price":2}]}"#,
            r#"{"content":[{"id":"a","tags":[1,2,300]}]}"#,
            r#"{"content":[{"id":"a","tags":{"x":1}}]}"#,
            r#"{"content":[{"id":"a","extra":{"k.1":[1,-2]}}]}"#,
            r#"{"content":[{"id":"a","extra":{"q\"uote":[1,"x"]}}]}"#,
            r#"{"content":[{"id":"a","kind":"Other"}]}"#,
            r#"{"content":[{"id":"a","kind":{"Tagged":{"level":"high"}}}]}"#,
            r#"{"content":[],"page":{"size":-1}}"#,
            r#"{"content":[],"page":{}}"#,
            r#"{"content":"none"}"#,
            r#"{"content":[{"id":7}]}"#,
            r#"[1,2]"#,
            "{\n  \"content\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"price\": true}\n  ]\n}",
        ];
        for json in cases {
            let (ours, tracked) = both(json);
            assert_eq!(ours, tracked, "{json}");
        }
    }

    #[test]
    fn a_syntax_error_is_placed_where_a_tracking_decode_says_only_unknown() {
        for (json, path, tracked) in [
            (r#"{"content":[{"id":"a"}],"page":{"size":1}"#, "page", "?"),
            (
                r#"{"content":[{"id":"a" "price":1}]}"#,
                "content[0].id",
                "content[0].?",
            ),
        ] {
            assert_eq!(both(json), (path.to_owned(), tracked.to_owned()), "{json}");
        }
    }

    #[test]
    fn the_root_and_positionless_errors_are_a_dot() {
        assert_eq!(path_at(b"[1]", 0, 0), ".");
        assert_eq!(path_at(b"", 1, 0), ".");
        assert_eq!(path_at(br#"{"a":1}"#, 9, 40), ".");
    }

    #[test]
    fn an_error_inside_a_string_or_past_the_end_is_placed_where_it_is() {
        let json = br#"{"content":[{"id":"a\qb"}]}"#;
        let err = serde_json::from_slice::<Page>(json).unwrap_err();
        assert_eq!(path_at(json, err.line(), err.column()), "content[0].id");
        // After a comma, the next element has not begun.
        assert_eq!(path_at(br#"{"a":[1,"#, 1, 99), "a");
    }
}
