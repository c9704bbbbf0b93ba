//! The apps of a host, and the settings that decide what the UI shows.

use serde::{Deserialize, Serialize};

/// `list_apps`: the host's apps, from the host or, offline, from the last answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListApps {
    pub host_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppsDto {
    pub apps: Vec<AppDto>,
    /// Set when the host did not answer and the list comes from the cache.
    pub offline: Option<Offline>,
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
pub struct AppDto {
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
    pub host_id: String,
    pub app_id: String,
}
