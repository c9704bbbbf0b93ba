//! The scripted start of product.md §7: environment variables that both the desktop app
//! and the CLI honour the same way. A flag wins over the environment, which wins over
//! saved settings; [`ScriptedStart::with_flags`] applies that order.

use std::path::PathBuf;

use crate::Sensitive;

/// Connect to this host at start.
pub const HOST_URL_ENV: &str = "GATEHOUSE_HOST_URL";
/// Its server secret; never written to the keyring or to disk.
pub const SERVER_SECRET_ENV: &str = "GATEHOUSE_SERVER_SECRET";
/// Open this app (id or name).
pub const APP_ENV: &str = "GATEHOUSE_APP";
/// `1` allows a non-loopback `http://` host URL.
pub const ALLOW_HTTP_ENV: &str = "GATEHOUSE_ALLOW_HTTP";

/// What the environment (and then the flags) ask for at start.
#[derive(Debug, Clone, Default)]
pub struct ScriptedStart {
    /// A host: a URL from the environment, or a name, id or URL from a flag.
    pub host: Option<String>,
    /// The server secret for that host, for this session only.
    pub secret: Option<Sensitive<String>>,
    /// An app id or name.
    pub app: Option<String>,
    /// Plain `http://` to a remote host is allowed.
    pub allow_http: bool,
    /// The data folder (`GATEHOUSE_DATA_DIR`), see [`crate::data_dir::resolve`].
    pub data_dir: Option<PathBuf>,
}

impl ScriptedStart {
    /// Reads the process environment. Empty variables count as unset.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the variables through `var`, so tests need not touch the process
    /// environment.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        ScriptedStart {
            host: get(HOST_URL_ENV),
            secret: get(SERVER_SECRET_ENV).map(|s| Sensitive::new(s.trim().to_owned())),
            app: get(APP_ENV),
            allow_http: get(ALLOW_HTTP_ENV)
                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
            data_dir: get(crate::data_dir::DATA_DIR_ENV).map(PathBuf::from),
        }
    }

    /// Lets command-line flags win over the environment. `allow_http` only adds a
    /// permission: a flag cannot take back what the environment allowed.
    pub fn with_flags(
        mut self,
        host: Option<String>,
        app: Option<String>,
        allow_http: bool,
        data_dir: Option<PathBuf>,
    ) -> Self {
        self.host = host.or(self.host);
        self.app = app.or(self.app);
        self.allow_http |= allow_http;
        self.data_dir = data_dir.or(self.data_dir);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_environment() {
        let env = |name: &str| match name {
            HOST_URL_ENV => Some("http://127.0.0.1:9".to_owned()),
            SERVER_SECRET_ENV => Some(" tok\n".to_owned()),
            APP_ENV => Some("Demo App".to_owned()),
            ALLOW_HTTP_ENV => Some("1".to_owned()),
            _ => None,
        };
        let start = ScriptedStart::from_vars(env);
        assert_eq!(start.host.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(
            start.secret.as_ref().map(|s| s.expose().as_str()),
            Some("tok")
        );
        assert!(start.allow_http);
        let start = start.with_flags(Some("prod".into()), None, false, None);
        assert_eq!(start.host.as_deref(), Some("prod"), "a flag wins");
        assert_eq!(start.app.as_deref(), Some("Demo App"), "the env fills in");
        assert!(format!("{start:?}").contains("<redacted>"));
    }

    #[test]
    fn empty_variables_are_unset() {
        let start = ScriptedStart::from_vars(|_| Some(String::new()));
        assert!(start.host.is_none() && start.secret.is_none() && !start.allow_http);
    }
}
