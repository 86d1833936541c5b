//! HATEOAS links, as PayPal returns them on every resource.

use serde::{Deserialize, Serialize};

/// One link: where to go next and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// The target URL.
    #[serde(default)]
    pub href: String,
    /// The relation (`self`, `action_url`, `approve`, `payer-action`, `up`...).
    #[serde(default)]
    pub rel: String,
    /// The HTTP method, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

/// The `href` of the first link with relation `rel`.
pub fn find<'a>(links: &'a [Link], rel: &str) -> Option<&'a str> {
    links
        .iter()
        .find(|l| l.rel.eq_ignore_ascii_case(rel))
        .map(|l| l.href.as_str())
}

/// PayPal sent no link of the relation the caller asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("PayPal's answer has no usable `{rel}` link{}", detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
#[non_exhaustive]
pub struct MissingLink {
    /// The relation that was missing.
    pub rel: &'static str,
    /// What was wrong with it, when a link was there but unusable.
    pub detail: Option<String>,
}

impl MissingLink {
    pub(crate) fn new(rel: &'static str) -> Self {
        Self { rel, detail: None }
    }
}
