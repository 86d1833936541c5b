//! Deterministic identifiers: every id the sandbox invents comes from one seeded generator per provider,
//! so the same seed and the same sequence of requests give the same ids.

use rust_decimal::Decimal;
use serde_json::Value;

/// A seeded source of identifiers.
#[derive(Debug)]
pub(crate) struct Ids {
    rng: fastrand::Rng,
}

const UPPER_ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// A PayPal account id's alphabet (payer and merchant ids): no `0`, `1`, `I` or `O`, as the specs'
/// `^[2-9A-HJ-NP-Z]{13}$` says.
const PAYPAL_ACCOUNT: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Ids {
    /// A generator for one provider; `salt` keeps the providers' sequences apart.
    pub(crate) fn new(seed: u64, salt: u64) -> Self {
        Ids {
            rng: fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt),
        }
    }

    /// A random (version 4) UUID, lower-case hyphenated.
    pub(crate) fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }

    fn string_of(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.rng.usize(..alphabet.len())]))
            .collect()
    }

    /// Upper-case letters and digits, like PayPal's merchant, order and capture ids.
    pub(crate) fn upper(&mut self, len: usize) -> String {
        self.string_of(UPPER_ALNUM, len)
    }

    /// A PayPal account id (a payer's or a merchant's): 13 characters of `[2-9A-HJ-NP-Z]`.
    pub(crate) fn paypal_account_id(&mut self) -> String {
        self.string_of(PAYPAL_ACCOUNT, 13)
    }

    /// Mixed-case letters and digits.
    pub(crate) fn alnum(&mut self, len: usize) -> String {
        self.string_of(ALNUM, len)
    }

    /// URL-safe base64 characters, like Procuret's api keys.
    pub(crate) fn url_safe(&mut self, len: usize) -> String {
        self.string_of(URL_SAFE, len)
    }

    /// `len` decimal digits (no leading zero).
    pub(crate) fn digits(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        s.push(char::from(b'1' + self.rng.u8(..9)));
        for _ in 1..len {
            s.push(char::from(b'0' + self.rng.u8(..10)));
        }
        s
    }

    /// A positive 63-bit integer, like Procuret's session ids.
    pub(crate) fn u63(&mut self) -> u64 {
        (self.rng.u64(..) >> 1).max(1)
    }

    /// A number in `range`.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        self.rng.usize(..bound.max(1))
    }

    /// A probability draw.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    /// Picks one element.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Money as a JSON number with its decimal digits kept exactly (Pax8 sends money as numbers).
pub(crate) fn money(amount: Decimal) -> Value {
    let text = amount.round_dp(2).normalize().to_string();
    text.parse::<serde_json::Number>()
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Money as a string with two decimals, as PayPal and Procuret send it.
pub(crate) fn money_string(amount: Decimal) -> String {
    let mut rounded = amount.round_dp(2);
    rounded.rescale(2);
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let mut a = Ids::new(7, 1);
        let mut b = Ids::new(7, 1);
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.upper(13), b.upper(13));
        let mut c = Ids::new(8, 1);
        assert_ne!(Ids::new(7, 1).uuid(), c.uuid());
    }

    #[test]
    fn paypal_account_ids_keep_to_paypal_alphabet() {
        let mut ids = Ids::new(7, 1);
        for _ in 0..200 {
            let id = ids.paypal_account_id();
            assert_eq!(id.len(), 13);
            assert!(
                id.bytes()
                    .all(|b| matches!(b, b'2'..=b'9' | b'A'..=b'H' | b'J'..=b'N' | b'P'..=b'Z')),
                "{id}"
            );
        }
    }

    #[test]
    fn money_keeps_decimals() {
        assert_eq!(money(Decimal::new(3201, 2)).to_string(), "32.01");
        assert_eq!(money(Decimal::new(150, 0)).to_string(), "150");
        assert_eq!(money_string(Decimal::new(15, 0)), "15.00");
    }
}
