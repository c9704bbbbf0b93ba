//! Small pure transformations the host's contract asks for: password hashing, regex
//! escaping and handle normalisation.

use md5::{Digest, Md5};

use crate::ClientError;

/// Lower-case hex MD5 of `text` (32 characters): how the host expects passwords.
pub fn md5_hex(text: &str) -> String {
    let digest = Md5::digest(text.as_bytes());
    let mut out = String::with_capacity(32);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Escapes the regular-expression metacharacters the host's search would interpret,
/// so that the search means "contains this literal text".
pub fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for ch in text.chars() {
        if matches!(
            ch,
            '.' | '+' | '*' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '^' | '$' | '|' | '\\'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// An anchored pattern matching exactly `text` (as a whole handle or user name).
pub fn exact_pattern(text: &str) -> String {
    format!("^{}$", escape_regex(text))
}

/// The handle as the host stores it: trimmed and lower-cased. Anonymous handles
/// (`ANON_<uuid>`) are created by the host with their prefix in capitals and are kept
/// as written.
pub fn normalize_handle(handle: &str) -> String {
    let trimmed = handle.trim();
    if trimmed.starts_with("ANON_") {
        trimmed.to_owned()
    } else {
        trimmed.to_lowercase()
    }
}

pub(crate) fn require_handle(handle: &str) -> Result<String, ClientError> {
    let handle = normalize_handle(handle);
    if handle.is_empty() {
        return Err(ClientError::InvalidInput("the handle is empty".into()));
    }
    Ok(handle)
}

/// Ids become path segments and query values: anything but ASCII letters, digits, `-`
/// and `_` is refused rather than escaped, since no real id contains it.
pub(crate) fn require_id<'a>(what: &str, id: &'a str) -> Result<&'a str, ClientError> {
    let id = id.trim();
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ClientError::InvalidInput(format!(
            "{what} is not a valid id"
        )));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_known_vectors() {
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex("password"), "5f4dcc3b5aa765d61d8327deb882cf99");
        assert_eq!(
            md5_hex("The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn every_metacharacter_is_escaped() {
        assert_eq!(escape_regex("bob+tag@x.io"), r"bob\+tag@x\.io");
        assert_eq!(
            escape_regex(r".+*?()[]{}^$|\"),
            r"\.\+\*\?\(\)\[\]\{\}\^\$\|\\"
        );
        assert_eq!(escape_regex("plain-text_1"), "plain-text_1");
        assert_eq!(exact_pattern("a.b@c.io"), r"^a\.b@c\.io$");
    }

    #[test]
    fn handles_are_normalised_like_the_host_does() {
        assert_eq!(normalize_handle("  Bob@Example.COM \n"), "bob@example.com");
        assert_eq!(normalize_handle("ANON_6F9619FF-8B86"), "ANON_6F9619FF-8B86");
        assert!(require_handle("   ").is_err());
    }

    #[test]
    fn ids_cannot_smuggle_path_segments() {
        assert!(require_id("app", "0123456789abcdef0123456789abcdef").is_ok());
        for bad in ["", "../x", "a/b", "a?b=1", "a b", "a%2f"] {
            assert!(require_id("app", bad).is_err(), "{bad}");
        }
    }
}
