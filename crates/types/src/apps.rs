//! The apps of a host, and the settings that decide what the UI shows.

use crate::AppRef;
use serde::{Deserialize, Serialize};

/// `list_apps`: the host's apps, from the host or, offline, from the last answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListApps {
    pub host_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Apps {
    pub apps: Vec<ListedApp>,
    /// Set when the host did not answer and the list comes from the cache.
    pub offline: Option<Offline>,
    /// The app last opened on this host, which opens again when the host is picked.
    #[serde(default)]
    pub last_app: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offline {
    /// Why the host is unreachable, in plain words.
    pub reason: String,
    /// When the data shown was last synced (Unix milliseconds), if ever.
    pub synced_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedApp {
    pub app_id: String,
    pub name: String,
    /// `active`, `inactive` or `migrated`.
    pub status: String,
    pub jwt_enabled: bool,
    pub invitation_enabled: bool,
    pub signup_enabled: bool,
    pub user_names_enabled: bool,
    pub anonymous_login_enabled: bool,
    pub password_rules: PasswordRules,
    pub meta_data: Vec<MetaField>,
}

/// The app a window opens: the preferred one by id or name, else the only one, else
/// the only one with JWT users. One rule for the window and for the warm-up that opens
/// the same app's cache while the window starts.
pub fn choose_app(apps: &[ListedApp], preferred: Option<&str>) -> Option<String> {
    if let Some(wanted) = preferred {
        let found = apps
            .iter()
            .find(|app| app.app_id == wanted || app.name == wanted);
        if let Some(app) = found {
            return Some(app.app_id.clone());
        }
    }
    // The JWT Users tab is what Gatehouse is for: a host with one app that has it opens
    // on that app.
    let mut with_jwt = apps.iter().filter(|app| app.jwt_enabled);
    match (apps, with_jwt.next(), with_jwt.next()) {
        ([only], _, _) => Some(only.app_id.clone()),
        (_, Some(app), None) => Some(app.app_id.clone()),
        _ => None,
    }
}

/// The app's password policy (`passwordFilter` and `passwordMin*` on the host).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRules {
    pub filter: bool,
    pub min_length: u32,
    pub min_upper: u32,
    pub min_lower: u32,
    pub min_digit: u32,
    pub min_special: u32,
}

/// A declared metadata field: `path` is dot notation into the user's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaField {
    pub path: String,
    pub field_name: String,
    pub required: bool,
}

/// `select_app`: remembers the app as the host's last choice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectApp {
    #[serde(flatten)]
    pub app: AppRef,
}

impl PasswordRules {
    /// What `password` lacks under these rules, in plain words; empty when it passes.
    /// Without the app's filter the host only asks for 5 characters.
    pub fn problems(&self, password: &str) -> Vec<String> {
        let count = |test: fn(char) -> bool| password.chars().filter(|c| test(*c)).count() as u32;
        let mut problems = Vec::new();
        let length = password.chars().count() as u32;
        if !self.filter {
            if length < 5 {
                problems.push("at least 5 characters".to_owned());
            }
            return problems;
        }
        let mut want = |have: u32, need: u32, one: &str| {
            if have < need {
                let plural = if need == 1 { "" } else { "s" };
                problems.push(format!("at least {need} {one}{plural}"));
            }
        };
        want(length, self.min_length.max(1), "character");
        want(
            count(char::is_uppercase),
            self.min_upper,
            "upper-case letter",
        );
        want(
            count(char::is_lowercase),
            self.min_lower,
            "lower-case letter",
        );
        want(count(|c| c.is_ascii_digit()), self.min_digit, "digit");
        want(
            count(|c| !c.is_alphanumeric() && !c.is_whitespace()),
            self.min_special,
            "special character",
        );
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_filter_five_characters_do() {
        let rules = PasswordRules::default();
        assert_eq!(rules.problems("abcd"), vec!["at least 5 characters"]);
        assert!(rules.problems("abcde").is_empty());
    }

    #[test]
    fn the_filter_counts_each_class() {
        let rules = PasswordRules {
            filter: true,
            min_length: 8,
            min_upper: 1,
            min_lower: 1,
            min_digit: 2,
            min_special: 1,
        };
        assert_eq!(
            rules.problems("abc"),
            vec![
                "at least 8 characters",
                "at least 1 upper-case letter",
                "at least 2 digits",
                "at least 1 special character"
            ]
        );
        assert!(rules.problems("Abcdef12!").is_empty());
        assert!(
            rules.problems("Ábcdéf12€").is_empty(),
            "non-ASCII letters and symbols count"
        );
    }

    fn app(id: &str, name: &str) -> ListedApp {
        ListedApp {
            app_id: id.into(),
            name: name.into(),
            status: "active".into(),
            jwt_enabled: true,
            invitation_enabled: true,
            signup_enabled: true,
            user_names_enabled: false,
            anonymous_login_enabled: false,
            password_rules: PasswordRules::default(),
            meta_data: Vec::new(),
        }
    }

    #[test]
    fn the_preferred_app_is_found_by_id_or_name() {
        let apps = [app("a1", "Shop"), app("b2", "Blog")];
        assert_eq!(choose_app(&apps, Some("b2")).as_deref(), Some("b2"));
        assert_eq!(choose_app(&apps, Some("Shop")).as_deref(), Some("a1"));
        assert_eq!(
            choose_app(&apps, Some("gone")),
            None,
            "two apps and no match: let the user pick"
        );
        assert_eq!(
            choose_app(&apps[..1], None).as_deref(),
            Some("a1"),
            "a single app opens by itself"
        );
        let mut legacy = app("c3", "Legacy");
        legacy.jwt_enabled = false;
        let mixed = [legacy, app("d4", "Demo")];
        assert_eq!(
            choose_app(&mixed, None).as_deref(),
            Some("d4"),
            "the only app with JWT users opens"
        );
    }
}
