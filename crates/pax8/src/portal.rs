//! **Unstable.** The Microsoft tenant id of a company, from Pax8's undocumented portal API.
//!
//! `GET https://app.pax8.com/p8p/api/v3/companies/{companyId}/msTenantId` is what the Pax8 web app
//! uses; py-pax8 and a PowerShell module call it with the partner token (the PowerShell module adds a
//! cache-busting `?t=<epoch ms>`, as this crate does). Nobody has confirmed that it accepts tokens
//! minted for the `https://api.pax8.com` audience (it was used with the legacy `api://p8p.client`
//! one; see `ClientBuilder::legacy_auth`), and Pax8 may change or remove it at any time. Prefer the
//! documented routes: the `msTenantId` provisioning value of a Microsoft subscription, or
//! `Company::external_id` if you keep the tenant id there.

use std::time::UNIX_EPOCH;

use partner_core::path::Segment;
use partner_core::{Error, Request};
use serde::Deserialize;

use crate::call::Call;
use crate::client::Client;
use crate::ids::CompanyId;

/// The portal's answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MsTenant {
    /// The Microsoft (Entra) tenant id.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Named `clientId` by the portal, it is in fact the company id.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// The undocumented portal API (feature `experimental-portal`).
#[derive(Debug, Clone)]
pub struct Portal {
    client: Client,
}

impl Portal {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The Microsoft tenant id of a company, `None` when the portal has none.
    ///
    /// [`send`](Call::send) fails with [`Error::InvalidInput`] for an empty id, and with the
    /// portal's errors (a 401 or 403 likely means the token's audience is not accepted: try
    /// `ClientBuilder::legacy_auth`).
    pub fn ms_tenant_id(&self, company_id: impl Into<CompanyId>) -> Call<Option<String>> {
        Call::new(&self.client, self.request(company_id.into()), |response| {
            let tenant: MsTenant = response.json()?;
            Ok(tenant.tenant_id.filter(|t| !t.is_empty()))
        })
    }

    /// The portal's whole answer (as [`ms_tenant_id`](Self::ms_tenant_id)).
    pub fn ms_tenant(&self, company_id: impl Into<CompanyId>) -> Call<MsTenant> {
        Call::json(&self.client, self.request(company_id.into()))
    }

    /// `GET /companies/{id}/msTenantId?t=<epoch ms>` (the cache-buster the portal's own client sends).
    fn request(&self, id: CompanyId) -> Result<Request, Error> {
        let url = self.client.portal_url(&[
            Segment::literal("companies"),
            Segment::id("company_id", id.as_str()),
            Segment::literal("msTenantId"),
        ])?;
        let millis = self
            .client
            .api()
            .clock()
            .now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Ok(Request::get(url).query_pair("t", &millis.to_string()))
    }
}
