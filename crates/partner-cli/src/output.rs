//! What a command prints: readable tables by default, JSON for scripts.
//!
//! Every result is a serde-serialisable model of the client crates, so one renderer serves every
//! command: a single record is a two-column table of its fields (nested ones dotted), a list is a
//! table whose columns the command names as JSON pointers. With `--json`, a record is one JSON
//! object and a list is JSON lines (one item per line), streamed as it arrives.

use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use futures_util::{Stream, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use partner_core::Page;
use serde::Serialize;
use serde_json::Value;

use crate::exit::{CliError, CliResult};

/// One column of a list: its header and where its value is in an item's JSON (`/id`,
/// `/amount/value`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    header: &'static str,
    pointer: &'static str,
}

/// A column: `col("ID", "/id")`.
pub(crate) const fn col(header: &'static str, pointer: &'static str) -> Column {
    Column { header, pointer }
}

/// Where results go, and in which form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Self { json }
    }

    /// Whether `--json` was given.
    pub(crate) fn is_json(&self) -> bool {
        self.json
    }

    /// One record: a JSON object, or a field/value table.
    pub(crate) fn record<T: Serialize>(&self, value: &T) -> CliResult {
        let value = to_value(value)?;
        if self.json {
            return write_line(&value.to_string());
        }
        let mut rows = Vec::new();
        flatten("", &value, &mut rows);
        let mut table = table(&["field", "value"]);
        for (field, value) in rows {
            table.add_row(vec![field, value]);
        }
        write_line(&table.to_string())
    }

    /// One page of a list: JSON lines, or a table and a line saying where the page is.
    pub(crate) fn page<T: Serialize>(&self, page: &Page<T>, columns: &[Column]) -> CliResult {
        self.list(page.items(), columns)?;
        if !self.json {
            self.note(&page_footer(page));
        }
        Ok(())
    }

    /// Items already fetched: JSON lines, or a table.
    pub(crate) fn list<T: Serialize>(&self, items: &[T], columns: &[Column]) -> CliResult {
        if self.json {
            for item in items {
                write_line(&to_value(item)?.to_string())?;
            }
            return Ok(());
        }
        let mut table = table(&columns.iter().map(|c| c.header).collect::<Vec<_>>());
        for item in items {
            let value = to_value(item)?;
            table.add_row(columns.iter().map(|c| cell(value.pointer(c.pointer))));
        }
        write_line(&table.to_string())
    }

    /// Every item of a stream (`--all`): JSON lines as they arrive, or one table at the end with a
    /// progress counter on stderr while fetching (only when stderr is a terminal).
    ///
    /// An error mid-way keeps what was printed (JSON lines) or prints what was fetched (table)
    /// before failing: nothing fetched is lost.
    pub(crate) async fn stream<T, S>(&self, stream: S, columns: &[Column]) -> CliResult
    where
        T: Serialize,
        S: Stream<Item = Result<T, partner_core::Error>>,
    {
        let mut stream = std::pin::pin!(stream);
        if self.json {
            while let Some(item) = stream.next().await {
                write_line(&to_value(&item?)?.to_string())?;
            }
            return Ok(());
        }
        let progress = progress_bar();
        let mut items = Vec::new();
        let mut failure = None;
        while let Some(item) = stream.next().await {
            match item {
                Ok(item) => {
                    items.push(item);
                    progress.inc(1);
                }
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        progress.finish_and_clear();
        self.list(&items, columns)?;
        match failure {
            Some(err) => {
                self.note(&format!("stopped after {} items", items.len()));
                Err(err.into())
            }
            None => {
                self.note(&format!("{} items", items.len()));
                Ok(())
            }
        }
    }

    /// A result that is one value (a URL, an id): the line itself on stdout, in either form.
    pub(crate) fn line(&self, text: &str) -> CliResult {
        write_line(text)
    }

    /// A line for people (a hint, a summary): stderr, so that stdout stays the result.
    pub(crate) fn note(&self, text: &str) {
        eprintln!("{text}");
    }
}

fn to_value<T: Serialize>(value: &T) -> CliResult<Value> {
    serde_json::to_value(value)
        .map_err(|e| CliError::other(format!("cannot print the result: {e}")))
}

fn write_line(text: &str) -> CliResult {
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{text}") {
        Ok(()) => Ok(()),
        // `partner ... | head` closes the pipe: not a failure of the command.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::other(format!("cannot write to stdout: {e}"))),
    }
}

fn table(headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().copied());
    table
}

/// A cell: strings as they are, missing or null as `-`, anything nested as compact JSON.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A record's fields as `(dotted.path, value)` rows, nested objects expanded, arrays kept whole.
fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, rows);
            }
        }
        Value::Null => {}
        other => rows.push((prefix.to_owned(), cell(Some(other)))),
    }
}

fn page_footer<T>(page: &Page<T>) -> String {
    let mut text = format!("page {}", page.number);
    if let Some(total) = page.total_pages {
        text.push_str(&format!(" of {total}"));
    }
    if let Some(items) = page.total_items {
        text.push_str(&format!(", {items} items in all"));
    }
    if page.has_next() {
        text.push_str("; more with --page or --all");
    }
    text
}

fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} fetched {pos} items ({per_sec})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_flatten_nested_objects_and_skip_nulls() {
        let mut rows = Vec::new();
        flatten(
            "",
            &json!({"id": "c1", "address": {"city": "Denver"}, "tags": ["a"], "gone": null}),
            &mut rows,
        );
        assert_eq!(
            rows,
            vec![
                ("address.city".to_owned(), "Denver".to_owned()),
                ("id".to_owned(), "c1".to_owned()),
                ("tags".to_owned(), r#"["a"]"#.to_owned()),
            ]
        );
    }

    #[test]
    fn cells_show_missing_values_as_a_dash() {
        assert_eq!(cell(None), "-");
        assert_eq!(cell(Some(&Value::Null)), "-");
        assert_eq!(cell(Some(&json!(12.5))), "12.5");
        assert_eq!(cell(Some(&json!("x"))), "x");
    }
}
