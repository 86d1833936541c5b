//! Typed ids: one string newtype per kind of PayPal resource, so that an order id cannot be passed
//! where a capture id belongs.
//!
//! Every id reads and writes as the bare JSON string, prints as the bare value with `Display`, and
//! converts from `&str` and `String` (`client.orders().get("5O190127TN364715T")` works). An id placed
//! in a URL path is still checked and percent-encoded as one segment
//! ([`partner_core::path::join_path`]): `..`, `/` or control characters never change the path.

partner_core::string_id! {
    /// A PayPal merchant id (payer id): a seller's (`merchant_id` of a lookup, `merchantIdInPayPal`
    /// of the return URL, `payee.merchant_id`) or yours (the partner merchant id).
    pub struct MerchantId;
    /// Your own id for a seller, given at referral (`tracking_id`) and used to find them again.
    pub struct TrackingId;
    /// The id of a partner referral (the last segment of its `self` link).
    pub struct PartnerReferralId;
    /// An order (`/v2/checkout/orders/{id}`).
    pub struct OrderId;
    /// A capture (`/v2/payments/captures/{id}`; the `reference_id` of a referenced payout).
    pub struct CaptureId;
    /// A refund (`/v2/payments/refunds/{id}`).
    pub struct RefundId;
    /// A payout item: of a referenced payout (`/v1/payments/referenced-payouts-items/{id}`) or of a
    /// batch payout (`/v1/payments/payouts-item/{id}`).
    pub struct PayoutItemId;
    /// A webhook (the id PayPal gave the webhook you registered; signatures are made for it).
    pub struct WebhookId;
    /// A webhook event (`WH-...`).
    pub struct EventId;
}

partner_core::string_id! {
    /// An authorization of a payment (`/v2/payments/authorizations/{id}`): what an `AUTHORIZE` order
    /// holds until it is captured, reauthorized or voided.
    pub struct AuthorizationId;
    /// A shipment tracker of an order (`/v2/checkout/orders/{id}/trackers/{tracker_id}`), as PayPal
    /// names it in `purchase_units[].shipping.trackers[].id`.
    pub struct TrackerId;
    /// A webhook lookup (`/v1/notifications/webhooks-lookup/{id}`).
    pub struct WebhookLookupId;
    /// A payout batch (`payout_batch_id`, `/v1/payments/payouts/{id}`; also the id of a referenced
    /// payouts batch, `/v1/payments/referenced-payouts/{id}`).
    pub struct PayoutBatchId;
}
