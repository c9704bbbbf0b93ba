//! A wrapper that keeps a secret out of logs, error messages and serialized output.

use std::fmt;

/// A value that must never be printed or written anywhere but where it is needed.
///
/// `Debug` prints `<redacted>`; there is deliberately no `Display`, `Serialize` or
/// `Deref`, so every use of the inner value is an explicit [`Sensitive::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Sensitive::new(String::from("root-password"));
        let printed = format!("{secret:?} {:?}", Some(&secret));
        assert!(!printed.contains("root-password"), "leaked: {printed}");
        assert_eq!(secret.expose(), "root-password");
    }
}
