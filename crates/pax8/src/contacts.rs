//! Contacts of a company: `/companies/{companyId}/contacts` (list, get, create, PUT update, delete).

use std::fmt;

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request, RequestOptions};
use serde::{Deserialize, Serialize};

use crate::call::Call;
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
    pub fn builder(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: impl Into<String>,
        phone: impl Into<String>,
    ) -> NewContactBuilder {
        NewContactBuilder(Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            email: email.into(),
            phone: phone.into(),
            types: Vec::new(),
            phone_number: None,
            phone_country_code: None,
            phone_country_calling_code: None,
        })
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

/// Builds a [`NewContact`]; [`build`](NewContactBuilder::build) checks it.
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the checked value"]
pub struct NewContactBuilder(NewContact);

impl NewContactBuilder {
    /// Adds a role.
    pub fn role(mut self, kind: ContactKind, primary: bool) -> Self {
        self.0.types.push(ContactType::new(kind, primary));
        self
    }

    /// Makes the contact primary Admin, Billing and Technical contact.
    pub fn primary_for_all(mut self) -> Self {
        self.0.types = ContactType::all_primary();
        self
    }

    /// Checks the value and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong.
    pub fn build(self) -> Result<NewContact, Error> {
        self.0.check()?;
        Ok(self.0)
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
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /companies/{companyId}/contacts/{contactId}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn get(&self, id: impl Into<ContactId>) -> Call<Contact> {
        Call::json(&self.client, self.url(Some(&id.into())).map(Request::get))
    }

    /// `POST /companies/{companyId}/contacts`.
    ///
    /// Not idempotent (Pax8 has no idempotency keys): on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty company id or a contact
    /// that [`NewContactBuilder::build`] would refuse, and with the API's errors.
    pub fn create(&self, contact: &NewContact) -> Call<Contact> {
        let request = self.url(None).and_then(|url| {
            contact.check()?;
            Ok(Request::post(url).json(contact)?)
        });
        Call::json(&self.client, request)
    }

    /// `PUT /companies/{companyId}/contacts/{contactId}`: replaces the whole contact.
    ///
    /// Idempotent (a PUT): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or required field,
    /// and with the API's errors.
    pub fn update(&self, id: impl Into<ContactId>, contact: &NewContact) -> Call<Contact> {
        let request = self.url(Some(&id.into())).and_then(|url| {
            contact.check()?;
            Ok(Request::put(url).json(contact)?)
        });
        Call::json(&self.client, request)
    }

    /// Fetches the contact, lets `change` edit it, and `PUT`s the result: the safe way to change one
    /// field, since `PUT` replaces the whole contact. The call options apply to both requests.
    pub fn modify<F: FnOnce(&mut NewContact)>(
        &self,
        id: impl Into<ContactId>,
        change: F,
    ) -> ModifyContact<F> {
        ModifyContact {
            contacts: self.clone(),
            id: id.into(),
            change,
            options: RequestOptions::default(),
        }
    }

    /// `DELETE /companies/{companyId}/contacts/{contactId}`.
    ///
    /// Idempotent (a DELETE): retried like a GET, and safe to send again; its errors never say
    /// [`may_have_been_applied()`](Error::may_have_been_applied).
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors.
    pub fn delete(&self, id: impl Into<ContactId>) -> Call<()> {
        Call::empty(
            &self.client,
            self.url(Some(&id.into())).map(Request::delete),
        )
    }
}

/// [`Contacts::modify`]: a get, your change, and a `PUT`.
#[must_use = "a call does nothing until `.send()`"]
pub struct ModifyContact<F> {
    contacts: Contacts,
    id: ContactId,
    change: F,
    options: RequestOptions,
}

impl<F> fmt::Debug for ModifyContact<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModifyContact")
            .field("id", &self.id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<F: FnOnce(&mut NewContact)> ModifyContact<F> {
    partner_core::call_options!(options);

    /// Gets the contact, applies the change and sends the whole contact back.
    ///
    /// # Errors
    ///
    /// As [`Contacts::get`] and [`Contacts::update`].
    pub async fn send(self) -> Result<Contact, Error> {
        let current = self
            .contacts
            .get(&self.id)
            .options(&self.options)
            .send()
            .await?;
        let mut contact = NewContact::from(&current);
        (self.change)(&mut contact);
        self.contacts
            .update(self.id, &contact)
            .options(&self.options)
            .send()
            .await
    }
}

/// `GET /companies/{companyId}/contacts` with paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListContacts {
    client: Client,
    url: Result<Url, Error>,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListContacts {
    paging_methods!();

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty company id or a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Contact>, Error> {
        page::send::<Contact, _>(&self.client, self.url, &(), self.paging, self.options).await
    }

    /// Every contact of every page.
    pub fn stream(self) -> impl Stream<Item = Result<Contact, Error>> + Send + 'static {
        page::stream::<Contact, _>(self.client, self.url, (), self.paging, self.options)
    }
}
