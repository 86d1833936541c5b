//! Lookups of business entities, humans and commitments (and an entity's Xero link).
//!
//! Procuret documents these objects only through its libraries; fields whose shape no reference
//! fixes (addresses, identity documents, email and phone objects) are kept as raw JSON.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::disposition::Disposition;
use crate::enums::EntityIdType;
use crate::ids::{AgentId, CommitmentId, EntityId, ExchangeId, HumanId};
use crate::lookup::Lookup;
use crate::timestamp::Timestamp;
use crate::validate;

/// The short form of a business entity that other objects embed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntityHeadline {
    /// The entity id (e.g. `589121125121`).
    pub entity_id: EntityId,
    /// The legal name.
    #[serde(default)]
    pub legal_entity_name: Option<String>,
}

impl EntityHeadline {
    /// A headline: an entity's id and legal name, as lists and links carry them.
    pub fn new(entity_id: impl Into<EntityId>, legal_entity_name: impl Into<String>) -> Self {
        Self {
            entity_id: entity_id.into(),
            legal_entity_name: Some(legal_entity_name.into()),
        }
    }
}

/// A business identifier (ABN, ACN, NZBN…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntityIdentifier {
    /// The identifier's text.
    pub identifier: String,
    /// Its kind.
    #[serde(alias = "id_type")]
    pub identifier_type: EntityIdType,
}

/// A business entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entity {
    /// The entity id.
    pub public_id: EntityId,
    /// A short form of the id.
    #[serde(default)]
    pub public_id_short: Option<String>,
    /// Its business identifiers.
    #[serde(default)]
    pub entity_identifiers: Vec<EntityIdentifier>,
    /// The legal name.
    #[serde(default)]
    pub legal_entity_name: Option<String>,
    /// The business address, as Procuret sent it.
    #[serde(default)]
    pub business_address: Option<serde_json::Value>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

/// A person with a Procuret account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Human {
    /// The human id.
    pub public_id: HumanId,
    /// The agent id (the id that acts, e.g. in `x-procuret-forwarded-agent`).
    #[serde(default)]
    pub agent_id: Option<AgentId>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Other names.
    #[serde(default)]
    pub other_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Identity details, as Procuret sent them.
    #[serde(default)]
    pub identity: Option<serde_json::Value>,
    /// Identity documents, as Procuret sent them.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub documents: Vec<serde_json::Value>,
    /// When the account was created.
    #[serde(default)]
    pub created: Option<Timestamp>,
    /// When it last changed.
    #[serde(default)]
    pub modified: Option<Timestamp>,
    /// The email address object, as Procuret sent it.
    #[serde(default)]
    pub email_address: Option<serde_json::Value>,
    /// The phone number object, as Procuret sent it.
    #[serde(default)]
    pub phone_number: Option<serde_json::Value>,
    /// List metadata.
    #[serde(default)]
    pub disposition: Option<Disposition>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<serde_json::Value>, D::Error> {
    Ok(Option::<Vec<serde_json::Value>>::deserialize(deserializer)?.unwrap_or_default())
}

/// A customer's commitment to a payment series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Commitment {
    /// The commitment's id.
    pub public_id: CommitmentId,
    /// The person who committed.
    #[serde(default)]
    pub committed_human: Option<Human>,
}

/// Entity lookups, from [`Client::entities`].
#[derive(Debug, Clone)]
pub struct Entities {
    client: Client,
}

impl Entities {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The entity (`GET /entity?entity_id=…`); a missing one is a not-found error.
    pub fn get(&self, entity_id: impl Into<EntityId>) -> Lookup<Entity> {
        self.lookup("entity", entity_id.into())
    }

    /// The entity's Xero mapping (`GET /xero/entity-map?entity_id=…`), as Procuret sends it: no
    /// reference library fixes its fields.
    pub fn xero_entity_map(&self, entity_id: impl Into<EntityId>) -> Lookup<serde_json::Value> {
        self.lookup("xero/entity-map", entity_id.into())
    }

    /// The entity's Xero organisation (`GET /xero/organisation?entity_id=…`), as Procuret sends it.
    pub fn xero_organisation(&self, entity_id: impl Into<EntityId>) -> Lookup<serde_json::Value> {
        self.lookup("xero/organisation", entity_id.into())
    }

    fn lookup<T>(&self, path: &'static str, entity_id: EntityId) -> Lookup<T> {
        let checked = validate::id("entity_id", entity_id.get()).map(|()| entity_id.to_string());
        Lookup::new(self.client.clone(), path, "entity_id", checked)
    }
}

/// Human lookups, from [`Client::humans`].
#[derive(Debug, Clone)]
pub struct Humans {
    client: Client,
}

impl Humans {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The human (`GET /human?human_id=…`); a missing one is a not-found error.
    pub fn get(&self, human_id: impl Into<HumanId>) -> Lookup<Human> {
        let id = human_id.into();
        let checked = validate::id("human_id", id.get()).map(|()| id.to_string());
        Lookup::new(self.client.clone(), "human", "human_id", checked)
    }
}

/// Commitment lookups, from [`Client::commitments`].
#[derive(Debug, Clone)]
pub struct Commitments {
    client: Client,
}

impl Commitments {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The commitment of a payment series' setup (`GET /commitment?setup_id=…`); the setup id is
    /// the series' [`exchange_id`](crate::PaymentSeries::exchange_id). A missing one is a
    /// not-found error.
    pub fn get(&self, setup_id: impl Into<ExchangeId>) -> Lookup<Commitment> {
        let id = setup_id.into();
        let checked = validate::identifier("setup_id", id.as_str()).map(|()| id.to_string());
        Lookup::new(self.client.clone(), "commitment", "setup_id", checked)
    }
}
