//! Price previews: what a customer would pay per period for a principal over a term.
//!
//! The principal goes out as `principle`: that misspelling is the real parameter name. Procuret's
//! JavaScript library sends `principal_magnitude` to the list endpoint instead; which of the two the
//! server honours there is not documented, and this crate follows .NET (`principle`) for both.
//! JavaScript states a minimum principal of 500 currency units, which is not enforced here.
//!
//! These calls work without a session; with one, they are signed.

use partner_core::request::RequestOptions;
use partner_core::{Error, Request};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Page;
use crate::amount::{self, Currency, Denomination};
use crate::client::Client;
use crate::enums::Cycle;
use crate::ids::EntityId;
use crate::validate;

/// A price preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProspectivePayment {
    /// The payment per period.
    #[serde(
        serialize_with = "amount::serialize",
        deserialize_with = "amount::deserialize"
    )]
    pub payment: Decimal,
    /// When payments fall due.
    #[serde(default)]
    pub cycle: Option<Cycle>,
    /// The supplier.
    #[serde(default)]
    pub supplier_id: Option<EntityId>,
    /// The term, in periods (months).
    pub periods: u32,
    /// The currency.
    #[serde(default)]
    pub currency: Option<Currency>,
}

/// Price-preview operations.
#[derive(Debug, Clone)]
pub struct ProspectivePayments {
    client: Client,
}

impl ProspectivePayments {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// One preview (`GET /credit/prospective-payment`).
    pub fn get(&self) -> GetProspectivePayment {
        GetProspectivePayment {
            inner: Preview::new(self.client.clone()),
            periods: None,
            options: RequestOptions::default(),
        }
    }

    /// Previews for every term the supplier offers (`GET /credit/prospective-payment/list`).
    pub fn list(&self) -> ListProspectivePayments {
        ListProspectivePayments {
            inner: Preview::new(self.client.clone()),
            options: RequestOptions::default(),
        }
    }
}

#[derive(Debug, Clone)]
struct Preview {
    client: Client,
    supplier_id: Option<EntityId>,
    principal: Option<Decimal>,
    cycle: Cycle,
    denomination: Option<Denomination>,
}

impl Preview {
    fn new(client: Client) -> Self {
        Self {
            client,
            supplier_id: None,
            principal: None,
            cycle: Cycle::Advance,
            denomination: None,
        }
    }

    /// The query in the order Procuret's libraries send it; `periods` goes after the principal.
    fn query(&self, periods: Option<u32>) -> Result<Vec<(&'static str, String)>, Error> {
        let supplier_id = self
            .supplier_id
            .ok_or_else(|| Error::invalid_input("supplier_id", "is required"))?;
        validate::id("supplier_id", supplier_id.get())?;
        let principal = self
            .principal
            .ok_or_else(|| Error::invalid_input("principal", "is required"))?;
        amount::validate(
            "principal",
            principal,
            self.denomination.unwrap_or(Denomination::Aud),
        )?;
        let mut query = vec![
            ("cycle", self.cycle.as_i64().to_string()),
            ("supplier_id", supplier_id.to_string()),
            ("principle", amount::to_wire(principal)),
        ];
        if let Some(periods) = periods {
            query.push(("periods", periods.to_string()));
        }
        if let Some(denomination) = self.denomination {
            query.push(("denomination", denomination.as_i64().to_string()));
        }
        Ok(query)
    }

    fn request(
        &self,
        path: &str,
        query: &[(&'static str, String)],
        options: &RequestOptions,
    ) -> Result<Request, Error> {
        let request = Request::get(self.client.endpoint(path))
            .query(query)?
            .options(options);
        Ok(if self.client.session().is_some() {
            request
        } else {
            request.without_auth()
        })
    }
}

macro_rules! preview_setters {
    () => {
        /// The supplier.
        pub fn supplier_id(mut self, supplier_id: impl Into<EntityId>) -> Self {
            self.inner.supplier_id = Some(supplier_id.into());
            self
        }

        /// The principal: positive, at most the currency's decimal places.
        pub fn principal(mut self, principal: Decimal) -> Self {
            self.inner.principal = Some(principal);
            self
        }

        /// When payments fall due (default [`Cycle::Advance`], as Procuret's libraries send).
        pub fn cycle(mut self, cycle: Cycle) -> Self {
            self.inner.cycle = cycle;
            self
        }

        /// The currency.
        pub fn denomination(mut self, denomination: Denomination) -> Self {
            self.inner.denomination = Some(denomination);
            self
        }
    };
}

/// Builds `GET /credit/prospective-payment`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetProspectivePayment {
    inner: Preview,
    periods: Option<u32>,
    options: RequestOptions,
}

impl GetProspectivePayment {
    preview_setters!();
    partner_core::call_options!(options);

    /// The term, in months (required).
    pub fn periods(mut self, periods: u32) -> Self {
        self.periods = Some(periods);
        self
    }

    /// Fetches the preview.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before sending for a missing supplier, principal or term, or a bad
    /// principal; the API's errors.
    pub async fn send(self) -> Result<ProspectivePayment, Error> {
        let periods = match self.periods {
            Some(p) if p > 0 => p,
            Some(_) => return Err(Error::invalid_input("periods", "must be at least 1")),
            None => return Err(Error::invalid_input("periods", "is required")),
        };
        let query = self.inner.query(Some(periods))?;
        let request = self
            .inner
            .request("credit/prospective-payment", &query, &self.options)?;
        self.inner.client.send_json(request).await
    }
}

/// Builds `GET /credit/prospective-payment/list`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListProspectivePayments {
    inner: Preview,
    options: RequestOptions,
}

impl ListProspectivePayments {
    preview_setters!();
    partner_core::call_options!(options);

    /// Fetches the previews: Procuret answers with every term at once, so this is the one and only
    /// page.
    ///
    /// # Errors
    ///
    /// As [`GetProspectivePayment::send`].
    pub async fn send(self) -> Result<Page<ProspectivePayment>, Error> {
        let query = self.inner.query(None)?;
        let request =
            self.inner
                .request("credit/prospective-payment/list", &query, &self.options)?;
        let items: Vec<ProspectivePayment> = self.inner.client.send_json(request).await?;
        let size = items.len() as u64;
        Ok(Page::new(items, 0, size, Some(1), Some(size)))
    }
}
