//! Passwords as the host stores them, and the codes it mails.
//!
//! Clients send the lower-case hex MD5 of a password; the host keeps bcrypt of that
//! text. The emulator uses a low bcrypt cost: it guards nothing real.

use std::sync::atomic::{AtomicU64, Ordering};

use md5::{Digest, Md5};

const COST: u32 = 4;

pub fn md5_hex(clear: &str) -> String {
    Md5::digest(clear.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The wire form of a password: 32 lower-case hex digits.
pub fn is_md5_hex(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn hash(md5: &str) -> Result<String, crate::error::Error> {
    bcrypt::hash(md5, COST).map_err(|e| crate::error::Error::Key(e.to_string()))
}

pub fn verify(md5: &str, stored: &str) -> bool {
    !stored.is_empty() && bcrypt::verify(md5, stored).unwrap_or(false)
}

static STATE: AtomicU64 = AtomicU64::new(0);

/// A 6-digit code (100000–999999) as the host would e-mail it.
pub fn fresh_code() -> i64 {
    let seed = u64::try_from(crate::clock::now_ms()).unwrap_or(1);
    let prev = STATE
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |s| {
            Some(if s == 0 { seed } else { s }.wrapping_add(0x9E37_79B9_7F4A_7C15))
        })
        .unwrap_or(seed);
    let mut z = prev.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    100_000 + i64::try_from(z % 900_000).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_codes() {
        let wire = md5_hex("demo-password");
        assert!(is_md5_hex(&wire));
        assert!(!is_md5_hex("demo-password"));
        let stored = hash(&wire).unwrap();
        assert!(verify(&wire, &stored));
        assert!(!verify(&md5_hex("other"), &stored));
        for _ in 0..100 {
            assert!((100_000..=999_999).contains(&fresh_code()));
        }
    }
}
