//! Contacts of a company: `/companies/{companyId}/contacts` (list, get, create, PUT update, delete).

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::dates::Timestamp;
use crate::ids::{CompanyId, ContactId};
use crate::page::{self, Page, Paging, paging_methods};
use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// The role of a contact. A company needs a primary contact of each kind to be `Active`.
    pub enum ContactKind match_with exact {
        /// Administrative contact.
        Admin = "Admin",
        /// Billing contact.
        Billing = "Billing",
        /// Technical contact.
        Technical = "Technical",
    }
}

/// A role held by a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContactType {
    /// The role.
    #[serde(rename = "type")]
    pub kind: ContactKind,
    /// Whether this contact is the company's primary contact for the role.
    #[serde(default)]
    pub primary: bool,
}

impl ContactType {
    /// A role.
    pub fn new(kind: ContactKind, primary: bool) -> Self {
        Self { kind, primary }
    }

    /// The three primary roles, which make a new company `Active` at once.
    pub fn all_primary() -> Vec<Self> {
        vec![
            Self::new(ContactKind::Admin, true),
            Self::new(ContactKind::Billing, true),
            Self::new(ContactKind::Technical, true),
        ]
    }
}

/// A contact, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// The id.
    pub id: ContactId,
    /// The first name.
    #[serde(default)]
    pub first_name: String,
    /// The last name.
    #[serde(default)]
    pub last_name: String,
    /// The email address.
    #[serde(default)]
    pub email: Option<String>,
    /// The phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_date: Option<Timestamp>,
    /// The roles.
    #[serde(default, deserialize_with = "crate::nullable::vec")]
    pub types: Vec<ContactType>,
    /// The phone number without country code (observed, not in the spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The phone's ISO country code (observed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_country_code: Option<String>,
    /// The phone's calling code (observed; also accepted as `phoneCountryCallingcode`).
    #[serde(
        default,
        alias = "phoneCountryCallingcode",
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_country_calling_code: Option<String>,
}

/// A contact to create or to replace (`PUT` needs the whole contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewContact {
    /// The first name.
    pub first_name: String,
    /// The last name.
    pub last_name: String,
    /// The email address.
    pub email: String,
    /// The phone number.
    pub phone: String,
    /// The roles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<ContactType>,
    /// The phone number without country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The phone's ISO country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_country_code: Option<String>,
    /// The phone's calling code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_country_calling_code: Option<String>,
}

impl NewContact {
    /// A contact with the four required fields.
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: impl Into<String>,
        phone: impl Into<String>,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            email: email.into(),
            phone: phone.into(),
            types: Vec::new(),
            phone_number: None,
            phone_country_code: None,
            phone_country_calling_code: None,
        }
    }

    /// Adds a role.
    pub fn role(mut self, kind: ContactKind, primary: bool) -> Self {
        self.types.push(ContactType::new(kind, primary));
        self
    }

    /// Makes the contact primary Admin, Billing and Technical contact.
    pub fn primary_for_all(mut self) -> Self {
        self.types = ContactType::all_primary();
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        for (field, value) in [
            ("contact.first_name", &self.first_name),
            ("contact.last_name", &self.last_name),
            ("contact.email", &self.email),
            ("contact.phone", &self.phone),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid_input(field, "must not be empty"));
            }
        }
        if !self.email.contains('@') {
            return Err(Error::invalid_input(
                "contact.email",
                "is not an email address",
            ));
        }
        Ok(())
    }
}

impl From<&Contact> for NewContact {
    /// The contact as `PUT` needs it, to change a field and send it back.
    fn from(contact: &Contact) -> Self {
        Self {
            first_name: contact.first_name.clone(),
            last_name: contact.last_name.clone(),
            email: contact.email.clone().unwrap_or_default(),
            phone: contact.phone.clone().unwrap_or_default(),
            types: contact.types.clone(),
            phone_number: contact.phone_number.clone(),
            phone_country_code: contact.phone_country_code.clone(),
            phone_country_calling_code: contact.phone_country_calling_code.clone(),
        }
    }
}

/// The contacts of one company.
#[derive(Debug, Clone)]
pub struct Contacts {
    client: Client,
    company_id: CompanyId,
}

impl Contacts {
    pub(crate) fn new(client: Client, company_id: CompanyId) -> Self {
        Self { client, company_id }
    }

    fn url(&self, contact: Option<&ContactId>) -> Result<Url, Error> {
        let company = Segment::id("company_id", self.company_id.as_str());
        match contact {
            None => self.client.rest_url(&[
                Segment::literal("companies"),
                company,
                Segment::literal("contacts"),
            ]),
            Some(id) => self.client.rest_url(&[
                Segment::literal("companies"),
                company,
                Segment::literal("contacts"),
                Segment::id("contact_id", id.as_str()),
            ]),
        }
    }

    /// `GET /companies/{companyId}/contacts` (newest first).
    pub fn list(&self) -> ListContacts {
        ListContacts {
            client: self.client.clone(),
            url: self.url(None),
            paging: Paging::default(),
        }
    }

    /// `GET /companies/{companyId}/contacts/{contactId}`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; the API's errors.
    pub async fn get(&self, id: impl Into<ContactId>) -> Result<Contact, Error> {
        let url = self.url(Some(&id.into()))?;
        self.client.api().send_json(Request::get(url)).await
    }

    /// `POST /companies/{companyId}/contacts`.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty required field; the API's errors.
    pub async fn create(&self, contact: &NewContact) -> Result<Contact, Error> {
        let url = self.url(None)?;
        contact.check()?;
        self.client
            .api()
            .send_json(Request::post(url).json(contact)?)
            .await
    }

    /// `PUT /companies/{companyId}/contacts/{contactId}`: replaces the whole contact.
    ///
    /// Idempotent (a PUT): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or required field; the API's errors.
    pub async fn update(
        &self,
        id: impl Into<ContactId>,
        contact: &NewContact,
    ) -> Result<Contact, Error> {
        let url = self.url(Some(&id.into()))?;
        contact.check()?;
        self.client
            .api()
            .send_json(Request::put(url).json(contact)?)
            .await
    }

    /// Fetches the contact, lets `change` edit it, and `PUT`s the result: the safe way to change one
    /// field, since `PUT` replaces the whole contact.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get) and [`update`](Self::update).
    pub async fn modify(
        &self,
        id: impl Into<ContactId>,
        change: impl FnOnce(&mut NewContact),
    ) -> Result<Contact, Error> {
        let id = id.into();
        let current = self.get(&id).await?;
        let mut contact = NewContact::from(&current);
        change(&mut contact);
        self.update(id, &contact).await
    }

    /// `DELETE /companies/{companyId}/contacts/{contactId}`.
    ///
    /// Idempotent (a DELETE): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; the API's errors.
    pub async fn delete(&self, id: impl Into<ContactId>) -> Result<(), Error> {
        let url = self.url(Some(&id.into()))?;
        self.client.api().execute(Request::delete(url)).await?;
        Ok(())
    }
}

/// `GET /companies/{companyId}/contacts` with paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListContacts {
    client: Client,
    url: Result<Url, Error>,
    paging: Paging,
}

impl ListContacts {
    paging_methods!();

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty company id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Contact>, Error> {
        page::send::<Contact, _>(&self.client, self.url, &(), self.paging).await
    }

    /// Every contact of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Contact, Error>> + Send + 'static {
        page::stream::<Contact, _>(self.client, self.url, (), self.paging)
    }
}
