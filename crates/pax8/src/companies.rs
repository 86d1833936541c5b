//! Companies: `/companies` (list, get, create with contacts, PATCH update).

use futures_core::Stream;
use partner_core::path::Segment;
use partner_core::url::Url;
use partner_core::{Error, Request};
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::client::Client;
use crate::contacts::{Contact, Contacts, NewContact};
use crate::dates::Timestamp;
use crate::ids::CompanyId;
use crate::page::{self, Direction, Page, Paging, paging_methods};
use partner_core::wire_enum::exact;

partner_core::string_enum! {
    /// A company's status (read-only).
    pub enum CompanyStatus match_with exact {
        /// Active.
        Active = "Active",
        /// Inactive: it lacks primary Admin, Billing or Technical contacts.
        Inactive = "Inactive",
        /// Deleted.
        Deleted = "Deleted",
    }
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Address {
    /// The street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// A second street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street2: Option<String>,
    /// The city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The state or province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_or_province: Option<String>,
    /// The postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// The ISO 3166-1 alpha-2 country code (`US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// An address with the fields Pax8 requires.
    pub fn new(
        street: impl Into<String>,
        city: impl Into<String>,
        postal_code: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Self {
            street: Some(street.into()),
            city: Some(city.into()),
            postal_code: Some(postal_code.into()),
            country: Some(country.into()),
            ..Self::default()
        }
    }

    /// Sets the second street line.
    pub fn street2(mut self, street2: impl Into<String>) -> Self {
        self.street2 = Some(street2.into());
        self
    }

    /// Sets the state or province.
    pub fn state_or_province(mut self, state: impl Into<String>) -> Self {
        self.state_or_province = Some(state.into());
        self
    }

    fn check(&self, field: &'static str) -> Result<(), Error> {
        if let Some(country) = &self.country
            && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::invalid_input(
                field,
                format!("country must be an ISO 3166-1 alpha-2 code like `US`, got `{country}`"),
            ));
        }
        Ok(())
    }
}

/// A company, as Pax8 returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Company {
    /// The id.
    pub id: CompanyId,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The address.
    #[serde(default)]
    pub address: Option<Address>,
    /// The primary phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// The website.
    #[serde(default)]
    pub website: Option<String>,
    /// Your own reference for the company (some partners keep the Microsoft tenant id here).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Whether Pax8 bills the company on your behalf.
    #[serde(default)]
    pub bill_on_behalf_of_enabled: Option<bool>,
    /// Whether the company may order by itself.
    #[serde(default)]
    pub self_service_allowed: Option<bool>,
    /// Whether the company's self-service orders need approval.
    #[serde(default)]
    pub order_approval_required: Option<bool>,
    /// The status.
    #[serde(default)]
    pub status: Option<CompanyStatus>,
    /// When it last changed.
    #[serde(default)]
    pub updated_date: Option<Timestamp>,
    /// Contacts, when Pax8 returns them (after creating a company with contacts).
    #[serde(
        default,
        deserialize_with = "crate::nullable::vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contacts: Vec<Contact>,
}

/// A company to create (`POST /companies`).
///
/// With primary Admin, Billing and Technical contacts the company is `Active` at once; without, it
/// stays `Inactive` until they are added.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewCompany {
    /// The name.
    pub name: String,
    /// The address.
    pub address: Address,
    /// The phone number.
    pub phone: String,
    /// The website.
    pub website: String,
    /// Your own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Whether the company may order by itself.
    pub self_service_allowed: bool,
    /// Whether Pax8 bills the company on your behalf.
    pub bill_on_behalf_of_enabled: bool,
    /// Whether self-service orders need approval.
    pub order_approval_required: bool,
    /// Contacts created with the company.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<NewContact>,
}

impl NewCompany {
    /// A builder with the required fields; the three flags start `false`.
    pub fn builder(
        name: impl Into<String>,
        address: Address,
        phone: impl Into<String>,
        website: impl Into<String>,
    ) -> NewCompanyBuilder {
        NewCompanyBuilder(Self {
            name: name.into(),
            address,
            phone: phone.into(),
            website: website.into(),
            external_id: None,
            self_service_allowed: false,
            bill_on_behalf_of_enabled: false,
            order_approval_required: false,
            contacts: Vec::new(),
        })
    }

    fn check(&self) -> Result<(), Error> {
        for (field, value) in [
            ("name", &self.name),
            ("phone", &self.phone),
            ("website", &self.website),
        ] {
            if value.trim().is_empty() {
                return Err(Error::invalid_input(field, "must not be empty"));
            }
        }
        self.address.check("address.country")?;
        for contact in &self.contacts {
            contact.check()?;
        }
        Ok(())
    }
}

/// Builds a [`NewCompany`]; [`build`](NewCompanyBuilder::build) checks it.
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the checked value"]
pub struct NewCompanyBuilder(NewCompany);

impl NewCompanyBuilder {
    /// Sets your own reference.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.0.external_id = Some(id.into());
        self
    }

    /// Sets whether the company may order by itself.
    pub fn self_service_allowed(mut self, allowed: bool) -> Self {
        self.0.self_service_allowed = allowed;
        self
    }

    /// Sets whether Pax8 bills the company on your behalf.
    pub fn bill_on_behalf_of_enabled(mut self, enabled: bool) -> Self {
        self.0.bill_on_behalf_of_enabled = enabled;
        self
    }

    /// Sets whether self-service orders need approval.
    pub fn order_approval_required(mut self, required: bool) -> Self {
        self.0.order_approval_required = required;
        self
    }

    /// Adds a contact.
    pub fn contact(mut self, contact: NewContact) -> Self {
        self.0.contacts.push(contact);
        self
    }

    /// Checks the value and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong.
    pub fn build(self) -> Result<NewCompany, Error> {
        self.0.check()?;
        Ok(self.0)
    }
}

/// A partial update of a company (`PATCH /companies/{id}`): only the fields set are sent, and at
/// least one must be.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompanyUpdate {
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The website.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Your own reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Whether Pax8 bills the company on your behalf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_on_behalf_of_enabled: Option<bool>,
    /// Whether the company may order by itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_service_allowed: Option<bool>,
    /// Whether self-service orders need approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_approval_required: Option<bool>,
}

impl CompanyUpdate {
    /// A builder of an update (at least one field must be set).
    pub fn builder() -> CompanyUpdateBuilder {
        CompanyUpdateBuilder(Self::default())
    }

    fn check(&self) -> Result<(), Error> {
        if *self == Self::default() {
            return Err(Error::invalid_input(
                "update",
                "set at least one field: Pax8 refuses an update that changes nothing",
            ));
        }
        if let Some(address) = &self.address {
            address.check("address.country")?;
        }
        Ok(())
    }
}

/// Builds a [`CompanyUpdate`]; [`build`](CompanyUpdateBuilder::build) checks it.
#[derive(Debug, Clone)]
#[must_use = "call `.build()` to get the checked value"]
pub struct CompanyUpdateBuilder(CompanyUpdate);

impl CompanyUpdateBuilder {
    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.0.name = Some(name.into());
        self
    }

    /// Sets the address.
    pub fn address(mut self, address: Address) -> Self {
        self.0.address = Some(address);
        self
    }

    /// Sets the phone number.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.0.phone = Some(phone.into());
        self
    }

    /// Sets the website.
    pub fn website(mut self, website: impl Into<String>) -> Self {
        self.0.website = Some(website.into());
        self
    }

    /// Sets your own reference.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.0.external_id = Some(id.into());
        self
    }

    /// Sets whether Pax8 bills the company on your behalf.
    pub fn bill_on_behalf_of_enabled(mut self, enabled: bool) -> Self {
        self.0.bill_on_behalf_of_enabled = Some(enabled);
        self
    }

    /// Sets whether the company may order by itself.
    pub fn self_service_allowed(mut self, allowed: bool) -> Self {
        self.0.self_service_allowed = Some(allowed);
        self
    }

    /// Sets whether self-service orders need approval.
    pub fn order_approval_required(mut self, required: bool) -> Self {
        self.0.order_approval_required = Some(required);
        self
    }

    /// Checks the value and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first field that is wrong.
    pub fn build(self) -> Result<CompanyUpdate, Error> {
        self.0.check()?;
        Ok(self.0)
    }
}

/// Fields `GET /companies` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CompanySort {
    /// `name`.
    Name,
    /// `city`.
    City,
    /// `country`.
    Country,
    /// `stateOrProvince`.
    StateOrProvince,
    /// `postalCode`.
    PostalCode,
}

impl CompanySort {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CompanySort::Name => "name",
            CompanySort::City => "city",
            CompanySort::Country => "country",
            CompanySort::StateOrProvince => "stateOrProvince",
            CompanySort::PostalCode => "postalCode",
        }
    }
}

/// The companies API.
#[derive(Debug, Clone)]
pub struct Companies {
    client: Client,
}

impl Companies {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `GET /companies`: a list builder.
    pub fn list(&self) -> ListCompanies {
        ListCompanies {
            client: self.client.clone(),
            query: CompanyQuery::default(),
            paging: Paging::default(),
            options: partner_core::RequestOptions::default(),
        }
    }

    /// `GET /companies/{companyId}`.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the API's
    /// errors (404 for an unknown company).
    pub fn get(&self, id: impl Into<CompanyId>) -> Call<Company> {
        Call::json(&self.client, self.company_url(&id.into()).map(Request::get))
    }

    /// `POST /companies`.
    ///
    /// Not idempotent (Pax8 has no idempotency keys): on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, look the company up before
    /// sending again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] when `company` was not checked by
    /// [`NewCompanyBuilder::build`], and with the API's errors (422 when Pax8 refuses it).
    pub fn create(&self, company: &NewCompany) -> Call<Company> {
        let request = company.check().and_then(|()| {
            let url = self.client.rest_url(&[Segment::literal("companies")])?;
            Ok(Request::post(url).json(company)?)
        });
        Call::json(&self.client, request)
    }

    /// `PATCH /companies/{companyId}` with only the fields set in `update`.
    ///
    /// Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id or an update that
    /// changes nothing, and with the API's errors.
    pub fn update(&self, id: impl Into<CompanyId>, update: &CompanyUpdate) -> Call<Company> {
        let request = self.company_url(&id.into()).and_then(|url| {
            update.check()?;
            Ok(Request::patch(url).json(update)?)
        });
        Call::json(&self.client, request)
    }

    /// The contacts of a company.
    pub fn contacts(&self, company_id: impl Into<CompanyId>) -> Contacts {
        Contacts::new(self.client.clone(), company_id.into())
    }

    fn company_url(&self, id: &CompanyId) -> Result<Url, Error> {
        self.client.rest_url(&[
            Segment::literal("companies"),
            Segment::id("company_id", id.as_str()),
        ])
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct CompanyQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    sort: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_or_province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    self_service_allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bill_on_behalf_of_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_approval_required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<CompanyStatus>,
}

/// `GET /companies` with filters, sort and paging.
#[derive(Debug, Clone)]
#[must_use = "a list builder does nothing until `.send()` or `.stream()`"]
pub struct ListCompanies {
    client: Client,
    query: CompanyQuery,
    paging: Paging,
    options: partner_core::RequestOptions,
}

impl ListCompanies {
    paging_methods!();

    /// Sorts by `field` (sent as one parameter, `sort=name,asc`).
    pub fn sort(mut self, field: CompanySort, direction: Direction) -> Self {
        self.query.sort = Some(page::sort_param(field.as_str(), direction));
        self
    }

    /// Only companies in `city`.
    pub fn city(mut self, city: impl Into<String>) -> Self {
        self.query.city = Some(city.into());
        self
    }

    /// Only companies in `country` (alpha-2).
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.query.country = Some(country.into());
        self
    }

    /// Only companies in a state or province.
    pub fn state_or_province(mut self, state: impl Into<String>) -> Self {
        self.query.state_or_province = Some(state.into());
        self
    }

    /// Only companies with a postal code.
    pub fn postal_code(mut self, postal_code: impl Into<String>) -> Self {
        self.query.postal_code = Some(postal_code.into());
        self
    }

    /// Only companies that may (or may not) order by themselves.
    pub fn self_service_allowed(mut self, allowed: bool) -> Self {
        self.query.self_service_allowed = Some(allowed);
        self
    }

    /// Only companies Pax8 bills (or does not bill) on your behalf.
    pub fn bill_on_behalf_of_enabled(mut self, enabled: bool) -> Self {
        self.query.bill_on_behalf_of_enabled = Some(enabled);
        self
    }

    /// Only companies whose orders need (or do not need) approval.
    pub fn order_approval_required(mut self, required: bool) -> Self {
        self.query.order_approval_required = Some(required);
        self
    }

    /// Only companies with `status`.
    pub fn status(mut self, status: CompanyStatus) -> Self {
        self.query.status = Some(status);
        self
    }

    /// Fetches one page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a page size over 200; the API's errors.
    pub async fn send(self) -> Result<Page<Company>, Error> {
        let url = self.client.rest_url(&[Segment::literal("companies")]);
        page::send::<Company, _>(&self.client, url, &self.query, self.paging, self.options).await
    }

    /// Every company of every page, fetched lazily.
    pub fn stream(self) -> impl Stream<Item = Result<Company, Error>> + Send + 'static {
        let url = self.client.rest_url(&[Segment::literal("companies")]);
        page::stream::<Company, _>(self.client, url, self.query, self.paging, self.options)
    }
}
