//! Which host and app a start opens: one rule for the window's first answer and for the
//! warm-up that opens the same app's cache while the window is still starting.

use crate::hosts::HostEntry;
use std::collections::HashMap;

/// What the front end remembers between starts.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    /// The host opened last.
    pub last_host: Option<String>,
    /// The app opened last on each host, by host id.
    pub last_apps: HashMap<String, String>,
}

/// The host and app a start opens; either may be none (the user picks).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StartChoice {
    pub host_id: Option<String>,
    pub app_id: Option<String>,
}

/// The scripted host (product.md §7) wins; else the host opened last, while it is still
/// listed; else the only host listed. The app is the one last opened on that host.
pub fn start_choice(
    listed: &[HostEntry],
    scripted_host: Option<String>,
    remembered: &Remembered,
) -> StartChoice {
    let is_listed = |id: &String| listed.iter().any(|entry| &entry.id == id);
    let host_id = scripted_host
        .or_else(|| remembered.last_host.clone().filter(is_listed))
        .or_else(|| match listed {
            [only] => Some(only.id.clone()),
            _ => None,
        });
    let app_id = host_id
        .as_ref()
        .and_then(|host| remembered.last_apps.get(host).cloned());
    StartChoice { host_id, app_id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> HostEntry {
        HostEntry {
            name: id.to_owned(),
            url: format!("https://{id}.example"),
            id: id.to_owned(),
            ca_file: None,
            allow_http: false,
        }
    }

    fn remembered(last_host: Option<&str>, apps: &[(&str, &str)]) -> Remembered {
        Remembered {
            last_host: last_host.map(str::to_owned),
            last_apps: apps
                .iter()
                .map(|(host, app)| (host.to_string(), app.to_string()))
                .collect(),
        }
    }

    #[test]
    fn the_scripted_host_wins_over_the_last_one() {
        let listed = [entry("a"), entry("b")];
        let choice = start_choice(
            &listed,
            Some("b".into()),
            &remembered(Some("a"), &[("a", "1"), ("b", "2")]),
        );
        assert_eq!(choice.host_id.as_deref(), Some("b"));
        assert_eq!(choice.app_id.as_deref(), Some("2"));
    }

    #[test]
    fn a_last_host_no_longer_listed_is_not_opened() {
        let listed = [entry("a"), entry("b")];
        let choice = start_choice(&listed, None, &remembered(Some("gone"), &[]));
        assert_eq!(choice, StartChoice::default());
        let only = [entry("a")];
        let choice = start_choice(&only, None, &remembered(Some("gone"), &[("a", "7")]));
        assert_eq!(choice.host_id.as_deref(), Some("a"), "the only host");
        assert_eq!(choice.app_id.as_deref(), Some("7"));
    }
}
