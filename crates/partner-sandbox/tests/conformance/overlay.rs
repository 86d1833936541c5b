//! The overlay: the official specs' known defects, patched into a spec document before the
//! conformance test builds its validators. Each entry names the spec file (under `testdata/specs/`),
//! the place, the edit and, in one line, why: what the real API does where the spec is wrong. Nothing
//! here loosens a schema beyond a known defect, and an entry whose place no longer exists fails the
//! test (a newer spec may have fixed it; then the entry goes).
//!
//! Defects that concern requests only need no entry, since the test validates response bodies: the
//! sort parameters' enums list bare field names though the API takes `field,direction` (the quotes
//! list's too), `CreateLineItem` requires a `companyId` it does not define, and the quotes list
//! types `limit` and `page` as `number` though they are integer counts. The quoting spec's
//! `ListStatusCounts` lacks `assigned` and `changes_requested`; that needs no entry either, since
//! the schema admits other keys and the simulator counts only the statuses it lists.

use serde_json::{Value, json};

/// How an entry changes the spec.
pub(crate) enum Edit {
    /// The node at the pointer is replaced (or added) with this JSON.
    Set(&'static str),
    /// The schema at the pointer also admits `null` (OpenAPI 3.0's `nullable: true`).
    Nullable,
    /// Every schema of the spec with this `format` gets this JSON in its place (`format` removed,
    /// the JSON's keys added): for a defect that runs through the whole spec.
    EveryFormat(&'static str, &'static str),
    /// Every schema of the spec loses the `enum` of its property of this name: for texts the spec
    /// pins to one wording.
    EveryEnumOf(&'static str),
    /// Every response of this status, in every operation, becomes this JSON (a response object).
    EveryAnswer(&'static str, &'static str),
    /// Every operation whose path starts with the first text and that documents no answer of the
    /// status (the second) gets this JSON (a response object) as that answer.
    AnswerUnder(&'static str, &'static str, &'static str),
}

/// One entry of the overlay.
pub(crate) struct Patch {
    /// The spec file, relative to `testdata/specs/`.
    pub(crate) spec: &'static str,
    /// A JSON pointer into the spec document (empty for [`Edit::EveryFormat`]).
    pub(crate) pointer: &'static str,
    pub(crate) edit: Edit,
    /// Why: the defect, in one line.
    pub(crate) reason: &'static str,
}

const AUTH: &str = "pax8/pax8-authentication-openapi.json";
const REFERRALS_V1: &str = "paypal/customer_partner_referrals_v1.json";
const REFERRALS_V2: &str = "paypal/customer_partner_referrals_v2.json";
const ORDERS: &str = "paypal/checkout_orders_v2.json";
const PAYMENTS: &str = "paypal/payments_payment_v2.json";
const REFERENCED_PAYOUTS: &str = "paypal/referenced_payouts_v1.json";

/// PayPal's error texts: the specs pin each `message` and each issue's `description` to one wording,
/// which the API does not keep to (`A required field / parameter is missing.`, `Authentication failed
/// due to invalid authentication credentials or a missing Authorization header.`), and the specs
/// themselves say of the description: "can change over the lifetime of an API, so clients must not
/// depend on this value". The codes (`name`, `issue`) stay checked.
const PAYPAL_TEXTS: &str = "PayPal's error texts are pinned to one wording by enums; the API's wording differs and, as the spec says, can change over the lifetime of an API (the codes stay checked)";
const PARTNER: &str = "pax8/pax8-partner-endpoints-openapi.json";
const QUOTING: &str = "pax8/pax8-quoting-endpoints-openapi.json";

/// A Pax8 timestamp as the API sends it: RFC 3339, or an offset without a colon
/// (`2023-08-11T11:33:12.314-0600`), or `-03`, or no offset, or only a date.
const PAX8_TIMESTAMP: &str = r#"{"pattern": "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)?)?$"}"#;

/// Every entry, in the order they are applied.
pub(crate) const PATCHES: &[Patch] = &[
    // Pax8 authentication.
    Patch {
        spec: AUTH,
        pointer: "/paths/~1token/post/responses/401/content",
        edit: Edit::Set(
            r#"{"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}}}}"#,
        ),
        reason: "the 401 is documented without a body; the API answers {\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}",
    },
    // Pax8 partner API: the page envelope.
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Page/properties/number",
        edit: Edit::Set(r#"{"type": "integer", "minimum": 0}"#),
        reason: "Page.number has no type; the API sends the 0-based page number as an integer",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Page/properties/totalElements",
        edit: Edit::Set(r#"{"type": "integer", "minimum": 0}"#),
        reason: "Page.totalElements has no type; the API sends an integer count",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Page/properties/totalPages",
        edit: Edit::Set(r#"{"type": "integer", "minimum": 0}"#),
        reason: "Page.totalPages has no type; the API sends an integer count",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Page/properties/size",
        edit: Edit::Set(r#"{"type": "integer", "minimum": 1, "maximum": 200}"#),
        reason: "Page.size is typed `number` (a float); the API sends an integer page size",
    },
    // Pax8 partner API: timestamps.
    Patch {
        spec: PARTNER,
        pointer: "",
        edit: Edit::EveryFormat("date-time", PAX8_TIMESTAMP),
        reason: "fields typed date-time hold `2023-08-11T11:33:12.314-0600` (no colon in the offset) or a bare date, on the wire and in the spec's own examples",
    },
    // Pax8 partner API: vendorSku is always sent, null when there is none.
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Product/properties/vendorSku",
        edit: Edit::Nullable,
        reason: "the API sends `vendorSku: null` for a product without one (py-pax8 fails on it), where the spec says string",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Product/required",
        edit: Edit::Set(r#"["vendorSku"]"#),
        reason: "the API always sends `vendorSku`, null when there is none; clients such as py-pax8 expect the key",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/ProductDetail/properties/vendorSku",
        edit: Edit::Nullable,
        reason: "as Product.vendorSku: `null` for a product without a vendor SKU",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/ProductDetail/required",
        edit: Edit::Set(r#"["vendorSku"]"#),
        reason: "as Product.vendorSku: the key is always sent",
    },
    // Pax8 partner API: other fields the API sends as null (its serializer writes absent values
    // as null, as vendorSku shows) where the spec marks nothing nullable.
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/ProvisioningDetail/properties/possibleValues",
        edit: Edit::Nullable,
        reason: "`possibleValues: null` on Input details, which have no choices",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Pricing/properties/commitmentTerm",
        edit: Edit::Nullable,
        reason: "null on the pricing of a product without a commitment",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Pricing/properties/commitmentTermInMonths",
        edit: Edit::Nullable,
        reason: "null on the pricing of a product without a commitment",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Rate/properties/endQuantityRange",
        edit: Edit::Nullable,
        reason: "null on the last (open-ended) quantity range",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/LineItem/properties/commitmentTermId",
        edit: Edit::Nullable,
        reason: "null on an order line without a commitment",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/LineItem/properties/parentSubscriptionId",
        edit: Edit::Nullable,
        reason: "null on an order line that is not an add-on",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/LineItem/properties/parentLineItemNumber",
        edit: Edit::Nullable,
        reason: "null on an order line that is not an add-on",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Subscription/properties/parentSubscriptionId",
        edit: Edit::Nullable,
        reason: "null on a subscription that is not an add-on",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Subscription/properties/vendorSubscriptionId",
        edit: Edit::Nullable,
        reason: "null until the vendor has provisioned the subscription",
    },
    // Pax8 partner API: other defects.
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/LineItem/required",
        edit: Edit::Set(r#"["productId", "lineItemNumber", "quantity"]"#),
        reason: "LineItem requires a `companyId` it does not define (as CreateLineItem); the order is the company's, and the spec's own order examples have none in their lines",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/Order/properties/orderedBy/enum",
        edit: Edit::Set(r#"["Pax8 Partner", "Pax8Partner", "Customer", "Pax8"]"#),
        reason: "the spec spells `Pax8 Partner`; the API sends `Pax8Partner`",
    },
    Patch {
        spec: PARTNER,
        pointer: "/components/schemas/InvoiceItem/properties/rateType/enum",
        edit: Edit::Set(r#"["markup", "single", "flat", "Flat", "volume", "tiered"]"#),
        reason: "the enum holds descriptions (`single (Single price for any quantity, same as flat)`); the API sends the bare values, `Flat` seen too, as the spec's own examples do",
    },
    // Pax8 quoting API.
    Patch {
        spec: QUOTING,
        pointer: "/components/schemas/QuoteResponse/properties/lineItems",
        edit: Edit::Set(
            r##"{"type": "array", "items": {"$ref": "#/components/schemas/LineItemResponse"}}"##,
        ),
        reason: "QuoteResponse.lineItems is typed as one LineItemResponse; a quote has many line items, which the API sends as a list (the line-item operations answer arrays of LineItemResponse)",
    },
    Patch {
        spec: QUOTING,
        pointer: "",
        edit: Edit::EveryAnswer("204", r#"{"description": "No Content"}"#),
        reason: "every 204 is documented with a `*/*` string body; a 204 has no body (RFC 9110 §15.3.5) and the API sends none",
    },
    Patch {
        spec: QUOTING,
        pointer: "",
        edit: Edit::AnswerUnder(
            "/v2/quotes/{quoteId}",
            "404",
            r##"{"description": "Not Found", "content": {"*/*": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}"##,
        ),
        reason: "get, update, delete and the line-item, section and access-list operations document no 404, though the spec's own error codes include QUOTE_NOT_FOUND and its other operations on a quote (take-ownership, attachments) answer an unknown quote with a 404 ErrorResponse",
    },
    // PayPal.
    Patch {
        spec: REFERRALS_V1,
        pointer: "/paths/~1v1~1customer~1partners~1{partner_id}~1merchant-integrations/get/responses/200",
        edit: Edit::Set(
            r##"{"description": "The seller, found by tracking id.", "content": {"application/json": {"schema": {"type": "object", "required": ["merchant_id", "tracking_id"], "properties": {"merchant_id": {"type": "string"}, "tracking_id": {"type": "string"}, "links": {"type": "array", "items": {"$ref": "#/components/schemas/link_description"}}}}}}}"##,
        ),
        reason: "the seller lookup by tracking id is documented as a 201 without a body; the API answers 200 with the seller's merchant_id, tracking_id and links (as the spec's own description of that 201 says)",
    },
    Patch {
        spec: REFERRALS_V2,
        pointer: "",
        edit: Edit::EveryEnumOf("description"),
        reason: PAYPAL_TEXTS,
    },
    Patch {
        spec: ORDERS,
        pointer: "",
        edit: Edit::EveryEnumOf("message"),
        reason: PAYPAL_TEXTS,
    },
    Patch {
        spec: ORDERS,
        pointer: "",
        edit: Edit::EveryEnumOf("description"),
        reason: PAYPAL_TEXTS,
    },
    Patch {
        spec: PAYMENTS,
        pointer: "",
        edit: Edit::EveryEnumOf("description"),
        reason: PAYPAL_TEXTS,
    },
    Patch {
        spec: REFERENCED_PAYOUTS,
        pointer: "/components/schemas/reason_code/pattern",
        edit: Edit::Set(r#""^[A-Z0-9_-]*$""#),
        reason: "reason_code's pattern `^[a-zA-Z0-9-]*$` admits none of its own enum values (`TRANSACTION_NOT_VALID`, `PAYOUT_ALREADY_COMPLETED_FOR_REFERENCE`...), which have underscores",
    },
];

/// Applies every entry for `spec` to `doc`.
pub(crate) fn apply(spec: &str, doc: &mut Value) {
    for patch in PATCHES.iter().filter(|p| p.spec == spec) {
        let here = || format!("overlay {spec} {}", patch.pointer);
        match patch.edit {
            Edit::Set(text) => {
                let value: Value =
                    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", here()));
                let (parent, key) = patch
                    .pointer
                    .rsplit_once('/')
                    .unwrap_or_else(|| panic!("{}: not a pointer", here()));
                let node = doc
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .unwrap_or_else(|| panic!("{}: {parent} is not in the spec", here()));
                node.insert(key.replace("~1", "/").replace("~0", "~"), value);
            }
            Edit::Nullable => {
                let node = doc
                    .pointer_mut(patch.pointer)
                    .and_then(Value::as_object_mut)
                    .unwrap_or_else(|| panic!("{}: not in the spec", here()));
                node.insert("nullable".to_owned(), json!(true));
            }
            Edit::EveryEnumOf(property) => {
                let count = drop_enums_of(doc, property);
                assert!(count > 0, "{}: no `{property}` enum in the spec", here());
            }
            Edit::EveryAnswer(status, text) => {
                let with: Value =
                    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", here()));
                let mut count = 0;
                for response in operations(doc)
                    .filter_map(|(_, op)| op.get_mut("responses").and_then(|r| r.get_mut(status)))
                {
                    *response = with.clone();
                    count += 1;
                }
                assert!(count > 0, "{}: no {status} answer in the spec", here());
            }
            Edit::AnswerUnder(prefix, status, text) => {
                let with: Value =
                    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", here()));
                let mut count = 0;
                for (_, op) in operations(doc).filter(|(path, _)| path.starts_with(prefix)) {
                    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut)
                        && !responses.contains_key(status)
                    {
                        responses.insert(status.to_owned(), with.clone());
                        count += 1;
                    }
                }
                assert!(
                    count > 0,
                    "{}: every operation under {prefix} documents {status}",
                    here()
                );
            }
            Edit::EveryFormat(format, text) => {
                let with: Value =
                    serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", here()));
                let count = replace_format(doc, format, &with);
                assert!(count > 0, "{}: no `format: {format}` in the spec", here());
            }
        }
    }
}

/// Every operation of the spec, with its path template.
fn operations(doc: &mut Value) -> impl Iterator<Item = (String, &mut Value)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            item.as_object_mut()
                .into_iter()
                .flat_map(|methods| methods.iter_mut())
                .filter(|(method, _)| {
                    ["get", "put", "post", "delete", "patch"].contains(&method.as_str())
                })
                .map(move |(_, op)| (path.clone(), op))
        })
}

fn drop_enums_of(node: &mut Value, property: &str) -> usize {
    match node {
        Value::Array(items) => items
            .iter_mut()
            .map(|item| drop_enums_of(item, property))
            .sum(),
        Value::Object(map) => {
            let mut count: usize = map
                .values_mut()
                .map(|value| drop_enums_of(value, property))
                .sum();
            if let Some(Value::Object(schema)) =
                map.get_mut("properties").and_then(|p| p.get_mut(property))
                && schema.remove("enum").is_some()
            {
                count += 1;
            }
            count
        }
        _ => 0,
    }
}

fn replace_format(node: &mut Value, format: &str, with: &Value) -> usize {
    match node {
        Value::Array(items) => items
            .iter_mut()
            .map(|item| replace_format(item, format, with))
            .sum(),
        Value::Object(map) => {
            let mut count: usize = map
                .values_mut()
                .map(|value| replace_format(value, format, with))
                .sum();
            if map.get("format").and_then(Value::as_str) == Some(format) {
                map.remove("format");
                if let Some(keys) = with.as_object() {
                    map.extend(keys.clone());
                }
                count += 1;
            }
            count
        }
        _ => 0,
    }
}

#[test]
fn every_entry_says_why() {
    for patch in PATCHES {
        assert!(
            !patch.reason.trim().is_empty(),
            "{} {}",
            patch.spec,
            patch.pointer
        );
    }
}
