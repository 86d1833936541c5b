//! Typed ids: one type per kind of Procuret object, so that an entity id cannot be passed where a
//! human id belongs.
//!
//! Entity, human and agent ids are integers on the wire (`589121125121`); instalment-link, series,
//! term-rate group, exchange, commitment and payment-method ids are strings. Every id is serde-transparent (it reads and writes
//! as the bare number or string) and prints as the bare value. Procuret takes ids as query
//! parameters, never in a path; an id is checked (positive, or non-empty without surrounding
//! whitespace or control characters) before a call is sent.

partner_core::integer_id! {
    /// A business entity (a supplier or a customer business), e.g. `589121125121`.
    pub struct EntityId;
    /// A human (a person with a Procuret account).
    pub struct HumanId;
    /// An agent: the id that acts (a human's `agent_id`, `x-procuret-forwarded-agent`).
    pub struct AgentId;
}

partner_core::string_id! {
    /// An instalment link's public id (what goes into the customer URL).
    pub struct InstalmentLinkId;
    /// A payment series.
    pub struct PaymentSeriesId;
    /// A term-rate group.
    pub struct TermRateGroupId;
    /// The exchange (setup) behind a payment series, which finds its commitment.
    pub struct ExchangeId;
    /// A customer's commitment to a payment series.
    pub struct CommitmentId;
    /// A payment method (what a series is paid by).
    pub struct PaymentMethodId;
}
