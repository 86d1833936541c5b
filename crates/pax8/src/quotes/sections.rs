//! A quote's sections (named groups of line items) and its access list (who it is shared with).

use partner_core::path::Segment;
use partner_core::{Error, Request};
use serde::{Deserialize, Serialize};

use super::Quotes;
use crate::call::Call;
use crate::ids::{AccessListEntryId, LineItemId, QuoteId, UserId};
use partner_core::wire_enum::exact;

/// A line item's place in a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SectionLineItem {
    /// The line item.
    pub line_item_id: LineItemId,
    /// Its position in the section.
    #[serde(default)]
    pub order: i32,
}

impl SectionLineItem {
    /// `line_item_id` at position `order`.
    pub fn new(line_item_id: impl Into<LineItemId>, order: i32) -> Self {
        Self {
            line_item_id: line_item_id.into(),
            order,
        }
    }
}

/// A section of a quote: as Pax8 returns it, and as [`Quotes::update_sections`] sends it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Section {
    /// The id.
    pub id: crate::ids::SectionId,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// Its position in the quote.
    #[serde(default)]
    pub order: i32,
    /// Its line items.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub line_items: Vec<SectionLineItem>,
}

impl Section {
    /// A section (an existing one's id), empty.
    pub fn new(id: impl Into<crate::ids::SectionId>, name: impl Into<String>, order: i32) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            order,
            line_items: Vec::new(),
        }
    }

    /// Puts `line_item_id` at position `order` of the section.
    pub fn line_item(mut self, line_item_id: impl Into<LineItemId>, order: i32) -> Self {
        self.line_items
            .push(SectionLineItem::new(line_item_id, order));
        self
    }
}

#[derive(Deserialize)]
struct SectionsWire {
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    sections: Vec<Section>,
}

partner_core::string_enum! {
    /// Who an access-list entry is (`accountType`).
    pub enum AccountType match_with exact {
        /// A Pax8 user of the partner.
        User = "user",
        /// A contact of the client.
        Contact = "contact",
        /// Anyone else, by email.
        Guest = "guest",
    }
}

/// An entry of a quote's access list: someone the quote is shared with, and their link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccessListEntry {
    /// The id.
    pub id: AccessListEntryId,
    /// The email.
    #[serde(default)]
    pub email: Option<String>,
    /// Who it is.
    #[serde(default)]
    pub account_type: Option<AccountType>,
    /// The name.
    #[serde(default)]
    pub account_name: Option<String>,
    /// The role.
    #[serde(default)]
    pub account_role: Option<String>,
    /// The Pax8 user, for a user entry.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// The link to the quote.
    #[serde(default)]
    pub link: Option<String>,
}

/// Someone to share a quote with (`POST /v2/quotes/{quoteId}/access-list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewAccessListEntry {
    /// The email (required).
    pub email: String,
    /// Who it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<AccountType>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// The role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_role: Option<String>,
    /// The Pax8 user, for a user entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
}

impl NewAccessListEntry {
    /// An entry for `email`.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            account_type: None,
            account_name: None,
            account_role: None,
            user_id: None,
        }
    }

    /// Who it is.
    pub fn account_type(mut self, kind: AccountType) -> Self {
        self.account_type = Some(kind);
        self
    }

    /// The name.
    pub fn account_name(mut self, name: impl Into<String>) -> Self {
        self.account_name = Some(name.into());
        self
    }

    /// The role.
    pub fn account_role(mut self, role: impl Into<String>) -> Self {
        self.account_role = Some(role.into());
        self
    }

    /// The Pax8 user.
    pub fn user_id(mut self, id: impl Into<UserId>) -> Self {
        self.user_id = Some(id.into());
        self
    }

    fn check(&self, index: usize) -> Result<(), Error> {
        let email = self.email.trim();
        if email.is_empty() || !email.contains('@') || email.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input(
                format!("entries[{index}].email"),
                "an email address",
            ));
        }
        if let Some(id) = &self.user_id
            && id.as_str().trim().is_empty()
        {
            return Err(Error::invalid_input(
                format!("entries[{index}].user_id"),
                "must not be empty",
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessListWire {
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    access_list: Vec<AccessListEntry>,
}

impl Quotes {
    /// `GET /v2/quotes/{quoteId}/sections` (`getSections`).
    pub fn sections(&self, quote_id: impl Into<QuoteId>) -> Call<Vec<Section>> {
        let url = self.quote_url(&quote_id.into(), &[Segment::literal("sections")]);
        Call::new(&self.client, url.map(Request::get), |response| {
            Ok(response.json::<SectionsWire>()?.sections)
        })
    }

    /// `POST /v2/quotes/{quoteId}/sections` (`createSection`): adds an empty section named `name`;
    /// answers every section of the quote.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, list the sections before
    /// creating it again.
    pub fn create_section(
        &self,
        quote_id: impl Into<QuoteId>,
        name: impl Into<String>,
    ) -> Call<Vec<Section>> {
        #[derive(Serialize)]
        struct Body {
            name: String,
        }
        let name = name.into();
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("sections")])?;
            if name.trim().is_empty() {
                return Err(Error::invalid_input("name", "must not be empty"));
            }
            Ok(Request::post(url).json(&Body { name })?)
        })();
        Call::new(&self.client, request, |response| {
            Ok(response.json::<SectionsWire>()?.sections)
        })
    }

    /// `PUT /v2/quotes/{quoteId}/sections` (`updateSections`): the quote's sections as they should
    /// be (names, order, which line items where); answers every section.
    pub fn update_sections(
        &self,
        quote_id: impl Into<QuoteId>,
        sections: &[Section],
    ) -> Call<Vec<Section>> {
        #[derive(Serialize)]
        struct Body<'a> {
            sections: &'a [Section],
        }
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("sections")])?;
            for (index, section) in sections.iter().enumerate() {
                if section.id.as_str().trim().is_empty() {
                    return Err(Error::invalid_input(
                        format!("sections[{index}].id"),
                        "must not be empty",
                    ));
                }
                if section.name.trim().is_empty() {
                    return Err(Error::invalid_input(
                        format!("sections[{index}].name"),
                        "must not be empty",
                    ));
                }
                for (at, item) in section.line_items.iter().enumerate() {
                    if item.line_item_id.as_str().trim().is_empty() {
                        return Err(Error::invalid_input(
                            format!("sections[{index}].line_items[{at}].line_item_id"),
                            "must not be empty",
                        ));
                    }
                }
            }
            Ok(Request::put(url).json(&Body { sections })?)
        })();
        Call::new(&self.client, request, |response| {
            Ok(response.json::<SectionsWire>()?.sections)
        })
    }

    /// `GET /v2/quotes/{quoteId}/access-list` (`getQuoteAccessList`): who the quote is shared with.
    pub fn access_list(&self, quote_id: impl Into<QuoteId>) -> Call<Vec<AccessListEntry>> {
        let url = self.quote_url(&quote_id.into(), &[Segment::literal("access-list")]);
        Call::new(&self.client, url.map(Request::get), |response| {
            Ok(response.json::<AccessListWire>()?.access_list)
        })
    }

    /// `POST /v2/quotes/{quoteId}/access-list` (`addQuoteAccessListEntry`): shares the quote;
    /// answers the new entries (with their links).
    ///
    /// Not idempotent: Pax8 refuses an email already on the list (`QUOTE_ACCESS_EMAIL_EXISTS`).
    pub fn add_access_list_entries(
        &self,
        quote_id: impl Into<QuoteId>,
        entries: &[NewAccessListEntry],
    ) -> Call<Vec<AccessListEntry>> {
        let quote_id = quote_id.into();
        let request = (|| {
            let url = self.quote_url(&quote_id, &[Segment::literal("access-list")])?;
            if entries.is_empty() {
                return Err(Error::invalid_input("entries", "at least one entry"));
            }
            for (index, entry) in entries.iter().enumerate() {
                entry.check(index)?;
            }
            Ok(Request::post(url).json(&entries)?)
        })();
        Call::json(&self.client, request)
    }

    /// `DELETE /v2/quotes/{quoteId}/access-list/{accessListEntryId}` (`deleteQuoteShareEntry`,
    /// answered 204).
    pub fn delete_access_list_entry(
        &self,
        quote_id: impl Into<QuoteId>,
        entry_id: impl Into<AccessListEntryId>,
    ) -> Call<()> {
        let entry_id = entry_id.into();
        let url = self.quote_url(
            &quote_id.into(),
            &[
                Segment::literal("access-list"),
                Segment::id("access_list_entry_id", entry_id.as_str()),
            ],
        );
        Call::empty(&self.client, url.map(Request::delete))
    }
}
