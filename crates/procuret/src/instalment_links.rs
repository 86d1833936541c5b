//! Instalment links: what a supplier sends its customer so the customer can pay over time.
//!
//! ```no_run
//! # async fn run(client: procuret::Client) -> Result<(), procuret::Error> {
//! use procuret::{CommunicationOption, Decimal};
//! let new_link = procuret::NewInstalmentLink::builder()
//!     .supplier_id(589121125121)
//!     .invoice_amount(Decimal::new(42242, 2))
//!     .invitee_email("customer@example.org")
//!     .invoice_identifier("INV-42")
//!     .communication(CommunicationOption::EmailCustomer)
//!     .build()?;
//! let link = client.instalment_links().create(&new_link).send().await?;
//! println!("send the customer to {}", link.customer_url(client.environment())?);
//! # Ok(()) }
//! ```

use futures_core::Stream;
use partner_core::pagination;
use partner_core::request::RequestOptions;
use partner_core::url::Url;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Page;
use crate::amount::{self, Denomination};
use crate::client::Client;
use crate::disposition::Disposition;
use crate::entities::EntityHeadline;
use crate::enums::{CommunicationOption, InstalmentLinkMode, Order, OrderBy, SaleNomenclature};
use crate::environment::Environment;
use crate::ids::{AgentId, EntityId, HumanId, InstalmentLinkId};
use crate::lookup::Lookup;
use crate::paging::{Listed, Window};
use crate::timestamp::Timestamp;
use crate::validate;

/// An instalment link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstalmentLink {
    /// The link's public id (what goes into the customer URL).
    pub public_id: InstalmentLinkId,
    /// When it was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// The supplier.
    #[serde(default)]
    pub supplier: Option<EntityHeadline>,
    /// The invoice amount.
    #[serde(
        serialize_with = "amount::serialize",
        deserialize_with = "amount::deserialize"
    )]
    pub invoice_amount: Decimal,
    /// The currency of the amount.
    #[serde(default, rename = "denomination_id")]
    pub denomination: Option<Denomination>,
    /// The invitee's email address.
    #[serde(default)]
    pub invitee_email: Option<String>,
    /// The invitee's phone number, digits only.
    #[serde(default)]
    pub invitee_phone_digits: Option<String>,
    /// The invitee's human id, once they have an account.
    #[serde(default)]
    pub invitee_human_id: Option<HumanId>,
    /// The supplier's invoice (or order, quote…) identifier.
    #[serde(default)]
    pub invoice_identifier: Option<String>,
    /// Each time the customer opened the link.
    #[serde(default)]
    pub opens: Vec<LinkOpen>,
    /// What the sale is called.
    #[serde(default, rename = "sale_name")]
    pub nomenclature: Option<SaleNomenclature>,
    /// Whether the customer may edit the amount.
    #[serde(default)]
    pub allow_edit: Option<bool>,
    /// What the link asks of the customer.
    #[serde(default)]
    pub mode: Option<InstalmentLinkMode>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

impl InstalmentLink {
    /// The address the customer opens: `https://procuret.com/b?il=<public_id>` in production (see
    /// [`Environment::instalment_link_url`] for other environments, which are unconfirmed).
    ///
    /// # Errors
    ///
    /// Only for a malformed custom environment.
    pub fn customer_url(&self, environment: &Environment) -> Result<Url, Error> {
        environment.instalment_link_url(self.public_id.as_str())
    }

    /// Whether the customer has opened the link.
    pub fn is_opened(&self) -> bool {
        !self.opens.is_empty()
    }
}

impl Listed for InstalmentLink {
    fn disposition(&self) -> Option<&Disposition> {
        self.disposition.as_ref()
    }
}

/// One opening of a link by the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkOpen {
    /// Its position among the openings.
    #[serde(default)]
    pub sequence: Option<i64>,
    /// When it happened.
    #[serde(default)]
    pub created: Option<Timestamp>,
}

/// Instalment-link operations, from [`Client::instalment_links`].
#[derive(Debug, Clone)]
pub struct InstalmentLinks {
    client: Client,
}

impl InstalmentLinks {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Creates a link (`POST /instalment-link`) from a body checked by
    /// [`NewInstalmentLinkBuilder::build`].
    pub fn create(&self, link: &NewInstalmentLink) -> CreateInstalmentLink {
        CreateInstalmentLink {
            client: self.client.clone(),
            body: link.clone(),
            options: RequestOptions::default(),
        }
    }

    /// Lists links (`GET /instalment-link/list`), one page with `.send()`, all with `.stream()`.
    pub fn list(&self) -> ListInstalmentLinks {
        ListInstalmentLinks {
            client: self.client.clone(),
            query: ListQuery {
                limit: 0,
                offset: 0,
                order: Order::default(),
                order_by: OrderBy::default(),
                opened: None,
                public_id: None,
                supplier_id: None,
                accessible_to: None,
                created_by: None,
            },
            window: Window::new(),
            options: RequestOptions::default(),
        }
    }

    /// The link with `public_id` (`GET /instalment-link?public_id=…`); a missing link is a
    /// not-found error ([`Error::is_not_found`]).
    pub fn get(&self, public_id: impl Into<InstalmentLinkId>) -> Lookup<InstalmentLink> {
        let id = public_id.into();
        let checked = validate::identifier("public_id", id.as_str()).map(|()| id.to_string());
        Lookup::new(self.client.clone(), "instalment-link", "public_id", checked)
    }

    /// Records that the link was opened (`POST /instalment-link/open`, `{"link_id": public_id}`).
    pub fn open(&self, public_id: impl Into<InstalmentLinkId>) -> OpenInstalmentLink {
        OpenInstalmentLink {
            client: self.client.clone(),
            public_id: public_id.into(),
            options: RequestOptions::default(),
        }
    }

    /// The customer's address for `link` in this client's environment.
    ///
    /// # Errors
    ///
    /// Only for a malformed custom environment.
    pub fn customer_url(&self, link: &InstalmentLink) -> Result<Url, Error> {
        link.customer_url(self.client.environment())
    }
}

/// The body of `POST /instalment-link`, checked when built:
///
/// ```
/// use procuret::{CommunicationOption, Decimal, NewInstalmentLink};
/// let link = NewInstalmentLink::builder()
///     .supplier_id(589121125121)
///     .invoice_amount(Decimal::new(42242, 2)) // sent as "422.42"
///     .invitee_email("customer@example.org")
///     .invoice_identifier("INV-42")
///     .communication(CommunicationOption::EmailCustomer)
///     .build()?;
/// # let _ = link; Ok::<(), procuret::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewInstalmentLink {
    supplier_id: EntityId,
    #[serde(serialize_with = "amount::serialize")]
    invoice_amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitee_email: Option<String>,
    invoice_identifier: String,
    communicate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    denomination: Option<Denomination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nomenclature: Option<SaleNomenclature>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitee_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<InstalmentLinkMode>,
}

impl NewInstalmentLink {
    /// A builder; [`build`](NewInstalmentLinkBuilder::build) checks every field.
    pub fn builder() -> NewInstalmentLinkBuilder {
        NewInstalmentLinkBuilder::default()
    }
}

/// Builds a [`NewInstalmentLink`].
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `.build()` is called"]
pub struct NewInstalmentLinkBuilder {
    supplier_id: Option<EntityId>,
    invoice_amount: Option<Decimal>,
    invitee_email: Option<String>,
    invoice_identifier: Option<String>,
    communication: Option<CommunicationOption>,
    denomination: Option<Denomination>,
    nomenclature: Option<SaleNomenclature>,
    invitee_phone: Option<String>,
    mode: Option<InstalmentLinkMode>,
}

impl NewInstalmentLinkBuilder {
    /// The supplier's entity id (required).
    pub fn supplier_id(mut self, supplier_id: impl Into<EntityId>) -> Self {
        self.supplier_id = Some(supplier_id.into());
        self
    }

    /// The supplier, from its headline.
    pub fn supplier(self, supplier: &EntityHeadline) -> Self {
        self.supplier_id(supplier.entity_id)
    }

    /// The invoice amount (required): positive, at most the currency's decimal places (2 for AUD
    /// and NZD, and when no denomination is given). Sent as a plain-notation string.
    pub fn invoice_amount(mut self, amount: Decimal) -> Self {
        self.invoice_amount = Some(amount);
        self
    }

    /// The customer's email address (this or [`invitee_phone`](Self::invitee_phone) is required).
    pub fn invitee_email(mut self, email: impl Into<String>) -> Self {
        self.invitee_email = Some(email.into());
        self
    }

    /// The customer's phone number.
    pub fn invitee_phone(mut self, phone: impl Into<String>) -> Self {
        self.invitee_phone = Some(phone.into());
        self
    }

    /// The supplier's identifier for the sale (invoice number, order number…; required).
    pub fn invoice_identifier(mut self, identifier: impl Into<String>) -> Self {
        self.invoice_identifier = Some(identifier.into());
        self
    }

    /// Whether Procuret emails the customer (required).
    pub fn communication(mut self, option: CommunicationOption) -> Self {
        self.communication = Some(option);
        self
    }

    /// The currency (Procuret's default when omitted is the supplier's).
    pub fn denomination(mut self, denomination: Denomination) -> Self {
        self.denomination = Some(denomination);
        self
    }

    /// What the sale is called (invoice, order, quote…).
    pub fn nomenclature(mut self, nomenclature: SaleNomenclature) -> Self {
        self.nomenclature = Some(nomenclature);
        self
    }

    /// What the link asks of the customer.
    pub fn mode(mut self, mode: InstalmentLinkMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// Checks the fields and builds the body.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the first missing or malformed field.
    pub fn build(self) -> Result<NewInstalmentLink, Error> {
        let supplier_id = self
            .supplier_id
            .ok_or_else(|| Error::invalid_input("supplier_id", "is required"))?;
        validate::id("supplier_id", supplier_id.get())?;
        let invoice_amount = self
            .invoice_amount
            .ok_or_else(|| Error::invalid_input("invoice_amount", "is required"))?;
        amount::validate(
            "invoice_amount",
            invoice_amount,
            self.denomination.unwrap_or(Denomination::Aud),
        )?;
        if self.invitee_email.is_none() && self.invitee_phone.is_none() {
            return Err(Error::invalid_input(
                "invitee_email",
                "give the customer's email or phone",
            ));
        }
        if let Some(email) = &self.invitee_email {
            validate::email("invitee_email", email)?;
        }
        if let Some(phone) = &self.invitee_phone {
            validate::phone("invitee_phone", phone)?;
        }
        let invoice_identifier = self
            .invoice_identifier
            .ok_or_else(|| Error::invalid_input("invoice_identifier", "is required"))?;
        validate::identifier("invoice_identifier", &invoice_identifier)?;
        let communication = self.communication.ok_or_else(|| {
            Error::invalid_input(
                "communication",
                "is required: EmailCustomer or DoNotContact",
            )
        })?;
        Ok(NewInstalmentLink {
            supplier_id,
            invoice_amount,
            invitee_email: self.invitee_email,
            invoice_identifier,
            communicate: communication.communicate(),
            denomination: self.denomination,
            nomenclature: self.nomenclature,
            invitee_phone: self.invitee_phone,
            mode: self.mode,
        })
    }
}

/// Sends `POST /instalment-link`, from [`InstalmentLinks::create`].
#[derive(Debug)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateInstalmentLink {
    client: Client,
    body: NewInstalmentLink,
    options: RequestOptions,
}

impl CreateInstalmentLink {
    partner_core::call_options!(options);

    /// Creates the link. Procuret has no idempotency keys, so this is never sent again once it may
    /// have reached Procuret: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, list the links by
    /// `invoice_identifier` before creating it again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending when the client has no session; the API's refusal.
    pub async fn send(self) -> Result<InstalmentLink, Error> {
        self.client.require_session()?;
        let request = Request::post(self.client.endpoint("instalment-link"))
            .json(&self.body)?
            .options(&self.options);
        self.client.send_json(request).await
    }
}

/// Sends `POST /instalment-link/open`, from [`InstalmentLinks::open`].
#[derive(Debug)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct OpenInstalmentLink {
    client: Client,
    public_id: InstalmentLinkId,
    options: RequestOptions,
}

impl OpenInstalmentLink {
    partner_core::call_options!(options);

    /// Records the opening. Not idempotent: on an error for which
    /// [`may_have_been_applied()`](Error::may_have_been_applied) is true, check before sending
    /// again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id or a client without a session; the API's refusal.
    pub async fn send(self) -> Result<(), Error> {
        validate::identifier("public_id", self.public_id.as_str())?;
        self.client.require_session()?;
        let request = Request::post(self.client.endpoint("instalment-link/open"))
            .json(&serde_json::json!({ "link_id": self.public_id }))?
            .options(&self.options);
        self.client.execute(request).await?;
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize)]
struct ListQuery {
    limit: u64,
    offset: u64,
    order: Order,
    order_by: OrderBy,
    #[serde(skip_serializing_if = "Option::is_none")]
    opened: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_id: Option<InstalmentLinkId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier_id: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessible_to: Option<AgentId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_by: Option<AgentId>,
}

/// Builds `GET /instalment-link/list`: one page with `.send()`, every link with `.stream()`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` or `.stream()` is used"]
pub struct ListInstalmentLinks {
    client: Client,
    query: ListQuery,
    window: Window,
    options: RequestOptions,
}

impl ListInstalmentLinks {
    partner_core::call_options!(options);

    /// Only links that were (`true`) or were not (`false`) opened.
    pub fn opened(mut self, opened: bool) -> Self {
        self.query.opened = Some(opened);
        self
    }

    /// Only the link with this public id.
    pub fn public_id(mut self, public_id: impl Into<InstalmentLinkId>) -> Self {
        self.query.public_id = Some(public_id.into());
        self
    }

    /// Only links of this supplier.
    pub fn supplier_id(mut self, supplier_id: impl Into<EntityId>) -> Self {
        self.query.supplier_id = Some(supplier_id.into());
        self
    }

    /// Only links this agent may see.
    pub fn accessible_to(mut self, agent_id: impl Into<AgentId>) -> Self {
        self.query.accessible_to = Some(agent_id.into());
        self
    }

    /// Only links this agent created.
    pub fn created_by(mut self, agent_id: impl Into<AgentId>) -> Self {
        self.query.created_by = Some(agent_id.into());
        self
    }

    /// The sort (default oldest first by creation).
    pub fn sort(mut self, order_by: OrderBy, order: Order) -> Self {
        self.query.order_by = order_by;
        self.query.order = order;
        self
    }

    /// The page size (default 20).
    pub fn limit(mut self, limit: u64) -> Self {
        self.window.limit = limit;
        self
    }

    /// Where to start (default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.window.offset = offset;
        self
    }

    /// How many pages [`stream`](Self::stream) may fetch at once (default 1, one after the other).
    /// Above 1, the count Procuret states with the first page fixes how many pages there are.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.window.prefetch = pages.max(1);
        self
    }

    fn check(&self) -> Result<(), Error> {
        self.window.check()?;
        if let Some(id) = &self.query.public_id {
            validate::identifier("public_id", id.as_str())?;
        }
        for (field, id) in [
            ("supplier_id", self.query.supplier_id.map(EntityId::get)),
            ("accessible_to", self.query.accessible_to.map(AgentId::get)),
            ("created_by", self.query.created_by.map(AgentId::get)),
        ] {
            if let Some(id) = id {
                validate::id(field, id)?;
            }
        }
        self.client.require_session()
    }

    async fn fetch(
        client: Client,
        mut query: ListQuery,
        options: RequestOptions,
        limit: u64,
        offset: u64,
    ) -> Result<Vec<InstalmentLink>, Error> {
        query.limit = limit;
        query.offset = offset;
        let request = client
            .signed_get("instalment-link/list")?
            .query(&query)?
            .options(&options);
        client.send_json(request).await
    }

    /// One page.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a zero limit, a malformed filter or a client without a session;
    /// the API's errors.
    pub async fn send(self) -> Result<Page<InstalmentLink>, Error> {
        self.check()?;
        let window = self.window;
        let items = Self::fetch(
            self.client,
            self.query,
            self.options,
            window.limit,
            window.offset,
        )
        .await?;
        Ok(window.page(items, 0))
    }

    /// Every link of every page from the offset on, fetched as the stream is read.
    pub fn stream(self) -> impl Stream<Item = Result<InstalmentLink, Error>> + Send {
        let checked = self.check();
        let Self {
            client,
            query,
            window,
            options,
        } = self;
        let pages = window.pages(move |offset| {
            let (client, query, options) = (client.clone(), query.clone(), options.clone());
            let checked = checked.clone();
            async move {
                checked?;
                Self::fetch(client, query, options, window.limit, offset).await
            }
        });
        pagination::items(pages)
    }
}
