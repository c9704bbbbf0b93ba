//! Row signatures: a 192-bit summary of a row's folded text that rules most rows out of
//! a substring search before any byte is compared. Bits 0–63 say which characters occur:
//! one bit each for the letters, digits and common punctuation folded text holds, the
//! rest of ASCII sharing four bits; bits 64–191 are a hash set of the byte pairs (pairs
//! with the NUL field separator left out, since no needle contains NUL). A row can
//! contain the needle only if its signature has every bit the needle's has.
//!
//! Three words rather than four: folded text has no capitals, so a bit per ASCII byte
//! left a quarter of the signature always clear (8 MB at a million users).

/// One row's signature.
pub(crate) type Sig = [u64; WORDS];

/// Words in a signature.
pub(crate) const WORDS: usize = 3;

/// Bits in a signature.
pub(crate) const BITS: usize = WORDS * 64;

/// The ASCII bytes that have a bit of their own, in bit order.
const OWN_BIT: &[u8; 60] = b"abcdefghijklmnopqrstuvwxyz0123456789 .@_-+,'/:!\"#$%&()*;<=>?";

/// Bits 60–63 are shared by the ASCII bytes not in [`OWN_BIT`] (capitals, which folded
/// text does not have, control characters and rare punctuation).
const SHARED_FROM: u8 = 60;

/// The character bit of each ASCII byte.
const BYTE_BIT: [u8; 128] = {
    let mut bits = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        bits[b] = SHARED_FROM + (b % 4) as u8;
        b += 1;
    }
    let mut i = 0;
    while i < OWN_BIT.len() {
        bits[OWN_BIT[i] as usize] = i as u8;
        i += 1;
    }
    bits
};

fn pair_bit(a: u8, b: u8) -> usize {
    let pair = (u32::from(a) << 8) | u32::from(b);
    64 + (pair.wrapping_mul(0x9E37_79B1) >> 25) as usize
}

fn set(sig: &mut Sig, bit: usize) {
    sig[bit / 64] |= 1 << (bit % 64);
}

/// The signature of a text (a row's fields joined by NUL, or a needle).
pub(crate) fn of(text: &[u8]) -> Sig {
    let mut sig = [0u64; WORDS];
    for &b in text {
        if b != 0 && b < 128 {
            set(&mut sig, usize::from(BYTE_BIT[usize::from(b)]));
        }
    }
    for w in text.windows(2) {
        if w[0] != 0 && w[1] != 0 {
            set(&mut sig, pair_bit(w[0], w[1]));
        }
    }
    sig
}

/// Whether the signature alone decides a match: a one-byte needle with a bit of its own.
pub(crate) fn decides(needle: &[u8]) -> bool {
    // NUL, like every byte without a bit of its own, shares one.
    needle.len() == 1
        && BYTE_BIT
            .get(usize::from(needle[0]))
            .is_some_and(|&bit| bit < SHARED_FROM)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a row with signature `row` may contain a needle with signature `needle`.
    fn covers(row: &Sig, needle: &Sig) -> bool {
        row.iter().zip(needle).all(|(r, n)| r & n == *n)
    }

    #[test]
    fn a_row_covers_every_substring_of_itself() {
        let row = "zoë.smith42@x.io\0zoë smith\0kraków".as_bytes();
        let sig = of(row);
        for start in 0..row.len() {
            for end in start + 1..=row.len() {
                let needle = &row[start..end];
                if !needle.contains(&0) {
                    assert!(covers(&sig, &of(needle)), "{needle:?}");
                }
            }
        }
        assert!(
            !covers(&sig, &of(b"q")),
            "q does not occur, and its bit is its own"
        );
    }

    #[test]
    fn only_bytes_with_a_bit_of_their_own_decide() {
        for &b in OWN_BIT {
            assert!(decides(&[b]), "{}", b as char);
        }
        for b in [b'A', b'~', b'[', 1, 0, 200] {
            assert!(!decides(&[b]), "{b}");
        }
        let bits: std::collections::HashSet<u8> =
            OWN_BIT.iter().map(|&b| BYTE_BIT[b as usize]).collect();
        assert_eq!(bits.len(), OWN_BIT.len(), "no two own bytes share a bit");
    }

    #[test]
    fn a_capital_and_a_rare_mark_still_rule_out_rows() {
        // Both share bits with other bytes, so they never decide, but a row without
        // either's bit still cannot hold them.
        let row = of(b"plain text");
        assert!(!covers(&row, &of(b"T")));
        assert!(!covers(&row, &of(b"~")));
    }
}
