//! Typed webhook events.

use partner_core::error::DecodeError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::captures::Refund;
use crate::ids::{CaptureId, EventId, MerchantId, OrderId, RefundId, TrackingId};
use crate::links::Link;
use crate::orders::Capture;

/// The envelope every event shares, with its `resource` of type `R`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventEnvelope<R> {
    /// The event id (deduplicate deliveries with it: PayPal retries).
    #[serde(default)]
    pub id: Option<EventId>,
    /// The event type (`MERCHANT.ONBOARDING.COMPLETED`...).
    #[serde(default)]
    pub event_type: String,
    /// When the event was created.
    #[serde(default)]
    pub create_time: Option<String>,
    /// The resource type (`capture`, `refund`, `merchant-onboarding`...).
    #[serde(default)]
    pub resource_type: Option<String>,
    /// The event version.
    #[serde(default)]
    pub event_version: Option<String>,
    /// The resource version.
    #[serde(default)]
    pub resource_version: Option<String>,
    /// A summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// The resource.
    pub resource: R,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The resource of `MERCHANT.ONBOARDING.COMPLETED` and `MERCHANT.PARTNER-CONSENT.REVOKED`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MerchantEventResource {
    /// The seller's PayPal merchant id.
    #[serde(default)]
    pub merchant_id: Option<MerchantId>,
    /// Your tracking id, when PayPal includes it.
    #[serde(default)]
    pub tracking_id: Option<TrackingId>,
    /// Your client id.
    #[serde(default)]
    pub partner_client_id: Option<String>,
    /// Links.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// The PayPal resource an event is about: what to fetch from the API before acting on an event that
/// moves money (see [`Webhooks::confirm`](super::Webhooks::confirm)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventSubject {
    /// A capture (`PAYMENT.CAPTURE.COMPLETED`, `.DENIED`, `.PENDING`...): `GET /v2/payments/captures/{id}`.
    Capture(CaptureId),
    /// A refund (`PAYMENT.CAPTURE.REFUNDED`...): `GET /v2/payments/refunds/{id}`.
    Refund(RefundId),
    /// An order (`CHECKOUT.ORDER.APPROVED`...): `GET /v2/checkout/orders/{id}`.
    Order(OrderId),
}

/// A webhook event, typed by `event_type`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `MERCHANT.ONBOARDING.COMPLETED`: the seller finished onboarding (check readiness through the API).
    OnboardingCompleted(EventEnvelope<MerchantEventResource>),
    /// `MERCHANT.PARTNER-CONSENT.REVOKED`: the seller revoked your permissions.
    PartnerConsentRevoked(EventEnvelope<MerchantEventResource>),
    /// `PAYMENT.CAPTURE.COMPLETED`.
    CaptureCompleted(EventEnvelope<Capture>),
    /// `PAYMENT.CAPTURE.DENIED`.
    CaptureDenied(EventEnvelope<Capture>),
    /// `PAYMENT.CAPTURE.PENDING`.
    CapturePending(EventEnvelope<Capture>),
    /// `PAYMENT.CAPTURE.REFUNDED` (the resource is the refund).
    CaptureRefunded(EventEnvelope<Refund>),
    /// An event of a type this crate does not know: its type and the whole event, as JSON.
    Unknown {
        /// `event_type`.
        event_type: String,
        /// The whole event as received (envelope, `resource` and fields this crate does not know).
        raw: serde_json::Value,
    },
}

/// An event serialises as PayPal sent it: the envelope with its resource (as this crate models it),
/// or the whole raw JSON of an event of a type this crate does not know. For logs, queues and
/// command lines that print what arrived.
impl Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Event::OnboardingCompleted(e) | Event::PartnerConsentRevoked(e) => {
                e.serialize(serializer)
            }
            Event::CaptureCompleted(e) | Event::CaptureDenied(e) | Event::CapturePending(e) => {
                e.serialize(serializer)
            }
            Event::CaptureRefunded(e) => e.serialize(serializer),
            Event::Unknown { raw, .. } => raw.serialize(serializer),
        }
    }
}

impl Event {
    /// `MERCHANT.ONBOARDING.COMPLETED`.
    pub const ONBOARDING_COMPLETED: &'static str = "MERCHANT.ONBOARDING.COMPLETED";
    /// `MERCHANT.PARTNER-CONSENT.REVOKED`.
    pub const PARTNER_CONSENT_REVOKED: &'static str = "MERCHANT.PARTNER-CONSENT.REVOKED";
    /// `PAYMENT.CAPTURE.COMPLETED`.
    pub const CAPTURE_COMPLETED: &'static str = "PAYMENT.CAPTURE.COMPLETED";
    /// `PAYMENT.CAPTURE.DENIED`.
    pub const CAPTURE_DENIED: &'static str = "PAYMENT.CAPTURE.DENIED";
    /// `PAYMENT.CAPTURE.PENDING`.
    pub const CAPTURE_PENDING: &'static str = "PAYMENT.CAPTURE.PENDING";
    /// `PAYMENT.CAPTURE.REFUNDED`.
    pub const CAPTURE_REFUNDED: &'static str = "PAYMENT.CAPTURE.REFUNDED";

    /// Reads an event from the raw body (verify it first).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] with the JSON path when the body is not an event, or a known event's resource
    /// does not have the documented shape.
    pub fn from_slice(body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Peek {
            #[serde(default)]
            event_type: String,
        }
        let peek: Peek = DecodeError::decode_json(body, None)?;
        fn typed<R: DeserializeOwned>(body: &[u8]) -> Result<EventEnvelope<R>, Error> {
            Ok(DecodeError::decode_json(body, None)?)
        }
        Ok(match peek.event_type.as_str() {
            Self::ONBOARDING_COMPLETED => Event::OnboardingCompleted(typed(body)?),
            Self::PARTNER_CONSENT_REVOKED => Event::PartnerConsentRevoked(typed(body)?),
            Self::CAPTURE_COMPLETED => Event::CaptureCompleted(typed(body)?),
            Self::CAPTURE_DENIED => Event::CaptureDenied(typed(body)?),
            Self::CAPTURE_PENDING => Event::CapturePending(typed(body)?),
            Self::CAPTURE_REFUNDED => Event::CaptureRefunded(typed(body)?),
            _ => Event::Unknown {
                event_type: peek.event_type,
                raw: DecodeError::decode_json(body, None)?,
            },
        })
    }

    /// The event type.
    pub fn event_type(&self) -> &str {
        match self {
            Event::OnboardingCompleted(e) | Event::PartnerConsentRevoked(e) => &e.event_type,
            Event::CaptureCompleted(e) | Event::CaptureDenied(e) | Event::CapturePending(e) => {
                &e.event_type
            }
            Event::CaptureRefunded(e) => &e.event_type,
            Event::Unknown { event_type, .. } => event_type,
        }
    }

    /// The capture, refund or order the event names, read from its `resource` (its `id`) and
    /// `resource_type` (for events this crate does not type). `None` for events about no such resource
    /// (onboarding...), or whose resource has no id.
    ///
    /// The body is only as trustworthy as its CRC32 (see the [module docs](super)): before acting on
    /// money, fetch this resource and act on what the API answers.
    ///
    /// ```
    /// use paypal_partner::CaptureId;
    /// use paypal_partner::webhooks::{Event, EventSubject};
    /// let body = br#"{"event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"2GG279541U471931P"}}"#;
    /// let event = Event::from_slice(body).unwrap();
    /// assert_eq!(event.subject(), Some(EventSubject::Capture(CaptureId::new("2GG279541U471931P"))));
    /// ```
    pub fn subject(&self) -> Option<EventSubject> {
        match self {
            Event::OnboardingCompleted(_) | Event::PartnerConsentRevoked(_) => None,
            Event::CaptureCompleted(e) | Event::CaptureDenied(e) | Event::CapturePending(e) => {
                Some(EventSubject::Capture(e.resource.id.clone()))
            }
            Event::CaptureRefunded(e) => Some(EventSubject::Refund(e.resource.id.clone())),
            Event::Unknown { raw, .. } => {
                let id = raw.get("resource")?.get("id")?.as_str()?;
                match raw.get("resource_type")?.as_str()? {
                    "capture" => Some(EventSubject::Capture(CaptureId::new(id))),
                    "refund" => Some(EventSubject::Refund(RefundId::new(id))),
                    "checkout-order" => Some(EventSubject::Order(OrderId::new(id))),
                    _ => None,
                }
            }
        }
    }

    /// The event id.
    pub fn id(&self) -> Option<&str> {
        match self {
            Event::OnboardingCompleted(e) | Event::PartnerConsentRevoked(e) => {
                e.id.as_ref().map(EventId::as_str)
            }
            Event::CaptureCompleted(e) | Event::CaptureDenied(e) | Event::CapturePending(e) => {
                e.id.as_ref().map(EventId::as_str)
            }
            Event::CaptureRefunded(e) => e.id.as_ref().map(EventId::as_str),
            Event::Unknown { raw, .. } => raw.get("id").and_then(serde_json::Value::as_str),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::CaptureStatus;
    use serde_json::json;

    #[test]
    fn onboarding_completed() {
        let body = json!({
            "id": "WH-1", "event_version": "1.0", "create_time": "2024-01-01T00:00:00.000Z",
            "resource_type": "merchant-onboarding", "event_type": "MERCHANT.ONBOARDING.COMPLETED",
            "summary": "The merchant account setup is completed",
            "resource": {"partner_client_id": "AXr", "merchant_id": "8LQLM2ML4ZTYU",
                "links": [{"href": "https://api.paypal.com/v1/customer/partners/P/merchant-integrations/8LQLM2ML4ZTYU", "rel": "self", "method": "GET"}]},
            "links": []
        });
        let event = Event::from_slice(body.to_string().as_bytes()).unwrap();
        let Event::OnboardingCompleted(e) = &event else {
            panic!("{event:?}")
        };
        assert_eq!(
            e.resource.merchant_id.as_ref().map(MerchantId::as_str),
            Some("8LQLM2ML4ZTYU")
        );
        assert_eq!(event.id(), Some("WH-1"));
    }

    #[test]
    fn captures_refunds_and_unknown() {
        let capture = json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {
            "id": "2GG279541U471931P", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "100.00"},
            "disbursement_mode": "DELAYED", "final_capture": true,
            "seller_receivable_breakdown": {"gross_amount": {"currency_code": "USD", "value": "100.00"},
                "paypal_fee": {"currency_code": "USD", "value": "3.00"}, "net_amount": {"currency_code": "USD", "value": "92.00"},
                "platform_fees": [{"amount": {"currency_code": "USD", "value": "5.00"}, "payee": {"merchant_id": "PARTNER"}}]}}});
        let Event::CaptureCompleted(e) = Event::from_slice(capture.to_string().as_bytes()).unwrap()
        else {
            panic!()
        };
        assert_eq!(e.resource.status, Some(CaptureStatus::Completed));
        assert_eq!(
            e.resource
                .seller_receivable_breakdown
                .unwrap()
                .platform_fees
                .len(),
            1
        );
        let refund = json!({"event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {"id": "R1", "status": "COMPLETED",
            "amount": {"currency_code": "USD", "value": "10.00"}}});
        assert!(matches!(
            Event::from_slice(refund.to_string().as_bytes()).unwrap(),
            Event::CaptureRefunded(_)
        ));
        for t in ["PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.PENDING"] {
            let body = json!({"event_type": t, "resource": {"id": "C", "status": "PENDING"}});
            let e = Event::from_slice(body.to_string().as_bytes()).unwrap();
            assert_eq!(e.event_type(), t);
        }
        let other = json!({"id": "X", "event_type": "CHECKOUT.ORDER.APPROVED", "resource": {"id": "O"}, "extra": 1});
        let Event::Unknown { event_type, raw } =
            Event::from_slice(other.to_string().as_bytes()).unwrap()
        else {
            panic!()
        };
        assert_eq!(event_type, "CHECKOUT.ORDER.APPROVED");
        assert_eq!(raw["resource"]["id"], "O");
        // The whole event is kept, fields this crate does not know included.
        assert_eq!(raw["extra"], 1);
    }

    #[test]
    fn events_serialise_as_sent() {
        let capture = json!({"id": "WH-2", "event_type": "PAYMENT.CAPTURE.COMPLETED",
            "resource": {"id": "2GG279541U471931P", "status": "COMPLETED"}});
        let event = Event::from_slice(capture.to_string().as_bytes()).unwrap();
        let again = serde_json::to_value(&event).unwrap();
        assert_eq!(again["event_type"], "PAYMENT.CAPTURE.COMPLETED");
        assert_eq!(again["id"], "WH-2");
        assert_eq!(again["resource"]["id"], "2GG279541U471931P");
        // Read back, it is the same event.
        assert_eq!(
            Event::from_slice(again.to_string().as_bytes()).unwrap(),
            event
        );

        let other = json!({"id": "X", "event_type": "CHECKOUT.ORDER.APPROVED", "extra": [1, 2]});
        let unknown = Event::from_slice(other.to_string().as_bytes()).unwrap();
        assert_eq!(serde_json::to_value(&unknown).unwrap(), other);
    }

    #[test]
    fn subjects() {
        let event =
            |body: serde_json::Value| Event::from_slice(body.to_string().as_bytes()).unwrap();
        // A capture event always names its capture; one without an id is not a capture event.
        let no_id =
            json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {"status": "COMPLETED"}});
        assert!(Event::from_slice(no_id.to_string().as_bytes()).is_err());
        let refund =
            event(json!({"event_type": "PAYMENT.CAPTURE.REFUNDED", "resource": {"id": "R1"}}));
        assert_eq!(
            refund.subject(),
            Some(EventSubject::Refund(RefundId::new("R1")))
        );
        let denied =
            event(json!({"event_type": "PAYMENT.CAPTURE.DENIED", "resource": {"id": "C1"}}));
        assert_eq!(
            denied.subject(),
            Some(EventSubject::Capture(CaptureId::new("C1")))
        );
        let order = event(
            json!({"event_type": "CHECKOUT.ORDER.APPROVED", "resource_type": "checkout-order",
            "resource": {"id": "O1"}}),
        );
        assert_eq!(
            order.subject(),
            Some(EventSubject::Order(OrderId::new("O1")))
        );
        let reversed = event(
            json!({"event_type": "PAYMENT.CAPTURE.REVERSED", "resource_type": "refund",
            "resource": {"id": "R2"}}),
        );
        assert_eq!(
            reversed.subject(),
            Some(EventSubject::Refund(RefundId::new("R2")))
        );
        let declined = event(
            json!({"event_type": "PAYMENT.CAPTURE.DECLINED", "resource_type": "capture",
            "resource": {"id": "C2"}}),
        );
        assert_eq!(
            declined.subject(),
            Some(EventSubject::Capture(CaptureId::new("C2")))
        );
        for none in [
            json!({"event_type": "MERCHANT.ONBOARDING.COMPLETED", "resource": {"merchant_id": "M"}}),
            json!({"event_type": "CUSTOMER.DISPUTE.CREATED", "resource_type": "dispute", "resource": {"id": "D"}}),
            json!({"event_type": "CHECKOUT.ORDER.APPROVED", "resource": {"id": "O"}}),
        ] {
            assert_eq!(event(none.clone()).subject(), None, "{none}");
        }
    }

    #[test]
    fn wrong_resource_shape_is_a_decode_error_with_path() {
        let body = json!({"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": {"amount": {"currency_code": "USD", "value": "abc"}}});
        let err = Event::from_slice(body.to_string().as_bytes()).unwrap_err();
        assert!(err.to_string().contains("resource.amount"), "{err}");
    }
}
