//! Secret handling: credentials live in [`SecretString`], whose `Debug` prints `[REDACTED]`.
//!
//! Read a secret only where it is put on the wire, with [`ExposeSecret::expose_secret`].

use subtle::ConstantTimeEq;

pub use secrecy::{ExposeSecret, SecretBox, SecretString};

/// The text every redacted field prints in `Debug`.
pub const REDACTED: &str = "[REDACTED]";

/// Compares two byte strings in time that depends only on their lengths, for checking shared secrets
/// (webhook `Authorization` headers, signatures) without a timing side channel.
///
/// ```
/// assert!(partner_core::secret::constant_time_eq(b"s3cret", b"s3cret"));
/// assert!(!partner_core::secret::constant_time_eq(b"s3cret", b"s3creT"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Fills `buf` from the operating system's CSPRNG (nonces, idempotency keys).
///
/// Falls back to a time-seeded generator only if the OS refuses, which no supported platform does; a
/// nonce must never repeat, so the fallback also mixes in a process-wide counter.
pub fn random_bytes(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut rng =
            fastrand::Rng::with_seed(COUNTER.fetch_add(1, Ordering::Relaxed) ^ fastrand::u64(..));
        buf.iter_mut().for_each(|b| *b = rng.u8(..));
    }
}

/// A `Debug` helper that prints [`REDACTED`] for a field holding a secret.
#[derive(Clone, Copy)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_checks_length_and_content() {
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"abc", b"abd"));
    }

    #[test]
    fn secret_string_debug_is_redacted() {
        let s = SecretString::from("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(format!("{:?}", Redacted), "[REDACTED]");
    }
}
