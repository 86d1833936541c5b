//! The tour's library half holds nothing but the compiled examples of `docs/api-shape.md`: every
//! snippet there is a doctest of this crate, so the table of "the same task in each crate" cannot
//! drift from the crates (`cargo test -p partner-tour --doc`).

/// `docs/api-shape.md`.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api-shape.md")]
pub struct ApiShape;

/// `docs/api-shape/pax8.md`.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api-shape/pax8.md")]
pub struct Pax8Shape;

/// `docs/api-shape/paypal-partner.md`.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api-shape/paypal-partner.md")]
pub struct PaypalShape;

/// `docs/api-shape/procuret.md`.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api-shape/procuret.md")]
pub struct ProcuretShape;

/// `docs/api-shape/leanpub-affiliate.md`.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/api-shape/leanpub-affiliate.md")]
pub struct LeanpubShape;
