//! Row signatures: a 256-bit summary of a row's folded text that rules most rows out of
//! a substring search before any byte is compared. Bits 0–127 say exactly which ASCII
//! bytes occur; bits 128–255 are a hash set of the byte pairs (pairs with the NUL field
//! separator left out, since no needle contains NUL). A row can contain the needle only
//! if its signature has every bit the needle's has.

/// One row's signature.
pub(crate) type Sig = [u64; 4];

fn pair_bit(a: u8, b: u8) -> usize {
    let pair = (u32::from(a) << 8) | u32::from(b);
    128 + (pair.wrapping_mul(0x9E37_79B1) >> 25) as usize
}

fn set(sig: &mut Sig, bit: usize) {
    sig[bit / 64] |= 1 << (bit % 64);
}

/// The signature of a text (a row's fields joined by NUL, or a needle).
pub(crate) fn of(text: &[u8]) -> Sig {
    let mut sig = [0u64; 4];
    for &b in text {
        if b != 0 && b < 128 {
            set(&mut sig, usize::from(b));
        }
    }
    for w in text.windows(2) {
        if w[0] != 0 && w[1] != 0 {
            set(&mut sig, pair_bit(w[0], w[1]));
        }
    }
    sig
}

/// Whether the signature alone decides a match: a one-byte (ASCII) needle, whose bit
/// is exact.
pub(crate) fn decides(needle: &[u8]) -> bool {
    needle.len() == 1 && needle[0] != 0 && needle[0] < 128
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a row with signature `row` may contain a needle with signature `needle`.
    fn covers(row: &Sig, needle: &Sig) -> bool {
        (row[0] & needle[0]) == needle[0]
            && (row[1] & needle[1]) == needle[1]
            && (row[2] & needle[2]) == needle[2]
            && (row[3] & needle[3]) == needle[3]
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
            "q does not occur, and ASCII bits are exact"
        );
    }
}
