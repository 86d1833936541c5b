//! The specs, their response validators, and the simulator's routes as its source declares them.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use jsonschema::{Draft, Validator};
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::overlay;

/// Reads a file of `testdata/` (through the workspace, as testdata/README.md says).
fn testdata(relative: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "testdata", relative]
        .iter()
        .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One official spec, overlay applied, and the path prefix the sandbox serves it under.
pub(crate) struct Spec {
    /// The file, relative to `testdata/specs/`.
    pub(crate) file: &'static str,
    /// What the sandbox puts before the spec's paths (the part of the spec's server URL that is a path).
    prefix: &'static str,
    doc: Value,
    draft: Draft,
    validators: HashMap<(String, String, String), Validator>,
}

impl Spec {
    pub(crate) fn load(file: &'static str, prefix: &'static str) -> Spec {
        let mut doc: Value = serde_json::from_str(&testdata(&format!("specs/{file}")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        overlay::apply(file, &mut doc);
        let openapi = doc["openapi"].as_str().unwrap_or_default().to_owned();
        // OpenAPI 3.0's `nullable`, which JSON Schema does not know (the overlay uses it in 3.1 specs
        // too).
        nullable_to_type(&mut doc);
        let draft = if openapi.starts_with("3.0") {
            // OpenAPI 3.0's dialect: draft 4, siblings of `$ref` ignored.
            Draft::Draft4
        } else {
            Draft::Draft202012
        };
        Spec {
            file,
            prefix,
            doc,
            draft,
            validators: HashMap::new(),
        }
    }

    /// The spec's path template for the sandbox path `path`, if `method` is an operation of it.
    /// A literal segment beats a parameter (`/invoices/draftItems` over `/invoices/{invoiceId}`).
    pub(crate) fn template(&self, method: &Method, path: &str) -> Option<String> {
        let rest = path.strip_prefix(self.prefix)?;
        let paths = self.doc["paths"].as_object()?;
        let templates: Vec<&str> = paths
            .iter()
            .filter(|(_, ops)| ops.get(method.as_str().to_lowercase()).is_some())
            .map(|(t, _)| t.as_str())
            .collect();
        best_match(&templates, rest).map(str::to_owned)
    }

    /// Validates a response of `method path` with `status` and `body` (`Value::Null` when empty).
    pub(crate) fn check(
        &mut self,
        method: &Method,
        template: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), String> {
        let op = &self.doc["paths"][template][method.as_str().to_lowercase()];
        let responses = &op["responses"];
        let response = match responses.get(status.to_string()) {
            Some(r) => r,
            None => match responses.get("default") {
                Some(r) => r,
                None => {
                    return Err(format!(
                        "status {status} is not a documented answer (documented: {})",
                        responses
                            .as_object()
                            .map(|o| o.keys().cloned().collect::<Vec<_>>().join(", "))
                            .unwrap_or_default()
                    ));
                }
            },
        };
        let response = self.resolve(response).clone();
        let schema = response["content"]
            .as_object()
            .and_then(|c| c.get("application/json").or_else(|| c.values().next()))
            .and_then(|media| media.get("schema"))
            .cloned();
        let Some(schema) = schema else {
            return if body.is_null() {
                Ok(())
            } else {
                Err(format!(
                    "the spec documents no body, the sandbox sent {body}"
                ))
            };
        };
        let key = (
            method.as_str().to_owned(),
            template.to_owned(),
            status.to_string(),
        );
        if !self.validators.contains_key(&key) {
            let root = json!({ "allOf": [schema], "components": self.doc["components"] });
            let validator = jsonschema::options()
                .with_draft(self.draft)
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|e| panic!("{} {method} {template} {status}: {e}", self.file));
            self.validators.insert(key.clone(), validator);
        }
        let validator = &self.validators[&key];
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("  {e} at `{}`", e.instance_path()))
            .collect();
        match errors.len() {
            0 => Ok(()),
            n if n <= 5 => Err(errors.join("\n")),
            n => Err(format!(
                "{}\n  ... and {} more",
                errors[..5].join("\n"),
                n - 5
            )),
        }
    }

    /// The media types the spec documents for an answer of `method template` with `status`.
    pub(crate) fn media_types(&self, method: &Method, template: &str, status: u16) -> Vec<String> {
        let response = &self.doc["paths"][template][method.as_str().to_lowercase()]["responses"]
            [status.to_string()];
        self.resolve(response)["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Validates `body` against `#/components/schemas/<name>` (a webhook payload, which no operation
    /// answers).
    pub(crate) fn check_schema(&mut self, name: &str, body: &Value) -> Result<(), String> {
        let key = ("SCHEMA".to_owned(), name.to_owned(), String::new());
        if !self.validators.contains_key(&key) {
            assert!(
                self.doc["components"]["schemas"].get(name).is_some(),
                "{}: no schema {name}",
                self.file
            );
            let root = json!({
                "allOf": [{ "$ref": format!("#/components/schemas/{name}") }],
                "components": self.doc["components"],
            });
            let validator = jsonschema::options()
                .with_draft(self.draft)
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|e| panic!("{} {name}: {e}", self.file));
            self.validators.insert(key.clone(), validator);
        }
        let errors: Vec<String> = self.validators[&key]
            .iter_errors(body)
            .map(|e| format!("  {e} at `{}`", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    fn resolve<'a>(&'a self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(pointer) => self
                .doc
                .pointer(pointer.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{}: {pointer} does not resolve", self.file)),
            None => node,
        }
    }
}

/// The template of `templates` that `path` matches, literal segments preferred.
pub(crate) fn best_match<'t>(templates: &[&'t str], path: &str) -> Option<&'t str> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    templates
        .iter()
        .filter_map(|t| {
            let parts: Vec<&str> = t.trim_matches('/').split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literals = 0;
            for (part, segment) in parts.iter().zip(&segments) {
                if part.starts_with('{') {
                    continue;
                }
                if part != segment {
                    return None;
                }
                literals += 1;
            }
            Some((literals, *t))
        })
        .max_by_key(|(literals, _)| *literals)
        .map(|(_, t)| t)
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: `null` joins the type (or the enum), or the schema
/// becomes `anyOf: [null, schema]` where it has no type of its own (a `$ref`, an `allOf`).
fn nullable_to_type(node: &mut Value) {
    match node {
        Value::Array(items) => items.iter_mut().for_each(nullable_to_type),
        Value::Object(map) => {
            map.values_mut().for_each(nullable_to_type);
            if map.get("nullable") != Some(&Value::Bool(true)) {
                return;
            }
            map.remove("nullable");
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.push(Value::Null);
            }
            match map.get_mut("type") {
                Some(Value::String(t)) => {
                    let t = std::mem::take(t);
                    map.insert("type".to_owned(), json!([t, "null"]));
                }
                Some(_) => {}
                None => {
                    let inner = std::mem::take(map);
                    let mut wrapped = Map::new();
                    wrapped.insert(
                        "anyOf".to_owned(),
                        json!([{ "type": "null" }, Value::Object(inner)]),
                    );
                    *map = wrapped;
                }
            }
        }
        _ => {}
    }
}

/// A route of the simulator: its method and axum path template.
pub(crate) type Route = (String, String);

/// The routes the simulator's source declares (`.route("path", get(..).post(..))`) in the files of
/// `src/<dir>/`, so that a route added without a conformance case fails the test.
pub(crate) fn declared_routes(dir: &str) -> BTreeSet<Route> {
    let root: PathBuf = [env!("CARGO_MANIFEST_DIR"), "src", dir].iter().collect();
    let mut routes = BTreeSet::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let call = balanced(rest);
            let (path, handlers) = call.split_once(',').unwrap_or((call, ""));
            let path = path.trim().trim_matches('"').to_owned();
            for method in ["get", "post", "put", "patch", "delete"] {
                if calls(handlers, method) {
                    routes.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
    }
    routes
}

/// The text up to the parenthesis that closes the one just opened.
fn balanced(text: &str) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// Whether `handlers` calls the method router `name(` (as a word, not `forget(`).
fn calls(handlers: &str, name: &str) -> bool {
    handlers.match_indices(&format!("{name}(")).any(|(i, _)| {
        handlers[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    })
}
