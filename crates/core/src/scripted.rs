//! The scripted start of product.md §7: environment variables that both the desktop app
//! and the CLI honour the same way. A flag wins over the environment, which wins over
//! saved settings; [`ScriptedStart::with_flags`] applies that order.

use std::path::PathBuf;

use crate::Sensitive;
use crate::hosts::HostEntry;

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
    /// `GATEHOUSE_SERVER_SECRET`, for this session only. It belongs to the host of
    /// `GATEHOUSE_HOST_URL` alone: ask [`ScriptedStart::secret_for`], never use it as is.
    pub secret: Option<Sensitive<String>>,
    /// `GATEHOUSE_HOST_URL` as the environment gave it, kept when a flag chooses another
    /// host, because it names the one host the secret may be sent to.
    pub secret_host: Option<String>,
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

    /// A start on the host at `url` with its `secret`, as the two variables would give.
    pub fn for_host(url: &str, secret: &str) -> Self {
        ScriptedStart {
            host: Some(url.to_owned()),
            secret_host: Some(url.to_owned()),
            secret: Some(Sensitive::new(secret.to_owned())),
            ..ScriptedStart::default()
        }
    }

    /// Reads the variables through `var`, so tests need not touch the process
    /// environment.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        ScriptedStart {
            host: get(HOST_URL_ENV),
            secret_host: get(HOST_URL_ENV),
            secret: get(SERVER_SECRET_ENV).map(|s| Sensitive::new(s.trim().to_owned())),
            app: get(APP_ENV),
            allow_http: get(ALLOW_HTTP_ENV)
                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
            data_dir: get(crate::data_dir::DATA_DIR_ENV).map(PathBuf::from),
        }
    }

    /// The environment's secret when `entry` is the host it was given for: the same URL
    /// as `GATEHOUSE_HOST_URL` once both are normalised. Any other host (one picked by
    /// `--host`, a saved one, the demo host) never gets it.
    pub fn secret_for(&self, entry: &HostEntry) -> Option<&Sensitive<String>> {
        let given_for = self.secret_host.as_deref()?;
        let same = cosync_client::normalize_base_url(given_for).is_ok_and(|url| url == entry.url);
        (same && !entry.is_demo()).then_some(self.secret.as_ref()?)
    }

    /// Why the environment's secret is not used for `entry`, when one was given: a
    /// script that set it for another host should hear that it was left out.
    pub fn secret_withheld_from(&self, entry: &HostEntry) -> Option<String> {
        self.secret.as_ref()?;
        if self.secret_for(entry).is_some() {
            return None;
        }
        Some(match &self.secret_host {
            Some(url) => format!(
                "{SERVER_SECRET_ENV} was not used: it belongs to {HOST_URL_ENV} ({url}), \
                 not to {}",
                entry.url
            ),
            None => format!(
                "{SERVER_SECRET_ENV} was not used: set {HOST_URL_ENV} to the host it belongs to"
            ),
        })
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
    fn the_secret_goes_only_to_the_host_it_was_given_for() {
        let env = |name: &str| match name {
            HOST_URL_ENV => Some("HTTPS://Hosts.Example.com:443/".to_owned()),
            SERVER_SECRET_ENV => Some("tok".to_owned()),
            _ => None,
        };
        let a = HostEntry::new("A", "https://hosts.example.com").unwrap();
        let b = HostEntry::new("B", "https://other.example.com").unwrap();
        let start = ScriptedStart::from_vars(env).with_flags(Some("B".into()), None, false, None);
        assert_eq!(start.host.as_deref(), Some("B"), "the flag picks the host");
        assert!(
            start.secret_for(&a).is_some(),
            "the same URL, spelt otherwise"
        );
        assert!(start.secret_for(&b).is_none(), "another host never gets it");
        let why = start.secret_withheld_from(&b).unwrap();
        assert!(why.contains("https://other.example.com"), "{why}");
        assert!(start.secret_withheld_from(&a).is_none());

        let mut demo = a.clone();
        demo.id = crate::hosts::DEMO_HOST_ID.to_owned();
        assert!(
            start.secret_for(&demo).is_none(),
            "the demo host has its own"
        );

        let unbound =
            ScriptedStart::from_vars(|name| (name == SERVER_SECRET_ENV).then(|| "tok".to_owned()));
        assert!(unbound.secret_for(&a).is_none(), "no URL, no host");
        assert!(unbound.secret_withheld_from(&a).is_some());
    }

    #[test]
    fn empty_variables_are_unset() {
        let start = ScriptedStart::from_vars(|_| Some(String::new()));
        assert!(start.host.is_none() && start.secret.is_none() && !start.allow_http);
    }
}
