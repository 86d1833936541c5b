//! Identifiers: string newtypes, one per kind of resource.
//!
//! They are not `Uuid`: the spec's own examples hold malformed UUIDs
//! (`aaaee3f-262c-47a4-b0e6-f9ce8b54fcd7`) and Pax8 documents a product id
//! `MS-0C-O365-BUSINESS-PREMIUM`. An id put in a path goes through [`partner_core::path::join_path`],
//! which refuses an empty, blank, `.`, `..` or control-character id and percent-encodes the rest as one
//! segment.

use partner_core::Error;

partner_core::string_id! {
    /// A company (a Pax8 partner's customer).
    pub struct CompanyId;
    /// A contact of a company.
    pub struct ContactId;
    /// A product of the catalogue.
    pub struct ProductId;
    /// An order.
    pub struct OrderId;
    /// A line item of an order or of a quote.
    pub struct LineItemId;
    /// A subscription.
    pub struct SubscriptionId;
    /// A commitment term (from a product's dependencies).
    pub struct CommitmentTermId;
    /// A usage summary.
    pub struct UsageSummaryId;
    /// An invoice.
    pub struct InvoiceId;
    /// An invoice item.
    pub struct InvoiceItemId;
    /// A Pax8 user.
    pub struct UserId;
    /// A Pax8 account (the partner's account, in the webhooks API).
    pub struct AccountId;
    /// A webhook.
    pub struct WebhookId;
    /// A topic subscription of a webhook.
    pub struct WebhookTopicId;
    /// A webhook delivery log entry.
    pub struct WebhookLogId;
    /// A webhook delivery attempt.
    pub struct WebhookCallId;
    /// A third-party integration (webhooks created by integrators).
    pub struct IntegrationId;
    /// A quote (quoting API).
    pub struct QuoteId;
    /// A section of a quote.
    pub struct SectionId;
    /// An entry of a quote's access list (who it is shared with).
    pub struct AccessListEntryId;
    /// An attachment (of a quote, the attachment library or the quote preferences).
    pub struct AttachmentId;
}

/// Refuses a blank id used as a query filter (an empty filter would silently list everything).
pub(crate) fn require(field: &'static str, id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// [`require`] for an optional id (a list filter): only an id that is set must be non-empty.
pub(crate) fn require_if_set(
    field: &'static str,
    id: Option<&impl AsRef<str>>,
) -> Result<(), Error> {
    id.map_or(Ok(()), |id| require(field, id.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_transparent_strings() {
        let id: ProductId = serde_json::from_str("\"MS-0C-O365-BUSINESS-PREMIUM\"").unwrap();
        assert_eq!(id.as_str(), "MS-0C-O365-BUSINESS-PREMIUM");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"MS-0C-O365-BUSINESS-PREMIUM\""
        );
        assert_eq!(
            format!("{id:?}"),
            "ProductId(\"MS-0C-O365-BUSINESS-PREMIUM\")"
        );
    }

    #[test]
    fn empty_ids_are_refused() {
        assert!(require("company_id", " ").is_err());
        assert!(require("company_id", "x").is_ok());
    }
}
