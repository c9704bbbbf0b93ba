//! Strong passwords for resets and new users.

use crate::error::{Error, Result};

/// The length of a generated password.
pub const GENERATED_LENGTH: usize = 20;

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SPECIAL: &[u8] = b"!#%+-=?@_";

/// A random password of [`GENERATED_LENGTH`] characters with at least one lower-case
/// letter, upper-case letter, digit and special character, so that it passes any app's
/// `passwordMin*` rules up to one of each. Look-alikes (`l`, `I`, `O`, `0`, `1`) are left
/// out because people copy these by eye.
pub fn generate_password() -> Result<String> {
    let classes = [LOWER, UPPER, DIGITS, SPECIAL];
    let all: Vec<u8> = classes.concat();
    let mut random = [0u8; GENERATED_LENGTH * 2];
    getrandom::fill(&mut random)
        .map_err(|e| Error::Internal(format!("no randomness available: {e}")))?;
    let (picks, shuffle) = random.split_at(GENERATED_LENGTH);
    let mut out: Vec<u8> = picks
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            // The first four draw from one class each; modulo bias over a 256-value
            // byte and alphabets under 60 is small and harmless at this length.
            let set = classes.get(i).copied().unwrap_or(&all);
            set[usize::from(r) % set.len()]
        })
        .collect();
    for i in (1..out.len()).rev() {
        let j = usize::from(shuffle[i]) % (i + 1);
        out.swap(i, j);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_mixed_and_different() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert!(a.len() >= 16, "the product promises 16 characters or more");
        assert_ne!(a, b);
        for class in [LOWER, UPPER, DIGITS, SPECIAL] {
            assert!(
                a.bytes().any(|c| class.contains(&c)),
                "{class:?} in every password"
            );
        }
    }
}
