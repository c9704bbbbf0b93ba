//! `app_info`: what the backend knows about itself, for the status bar and About box.

use serde::{Deserialize, Serialize};

/// Request of the `app_info` command; it takes no parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppInfo {}

/// Whether secrets can be kept in the OS keyring on this machine right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum KeyringStatus {
    Available,
    /// Secrets entered now are kept for this session only; `reason` says why in plain
    /// words.
    Unavailable {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfoDto {
    pub version: String,
    pub data_dir: String,
    pub keyring: KeyringStatus,
    /// Where the log file is; none when the app runs without one.
    #[serde(default)]
    pub log_dir: Option<String>,
    /// The system store of the server secrets, by name.
    #[serde(default)]
    pub keyring_backend: String,
}

/// `open_log_folder`: shows the log folder in the system's file manager.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OpenLogFolder {}

/// The window's colours: the system's, or always light or dark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

/// `load_theme`: the theme remembered (`System` until one is chosen).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadTheme {}

/// `save_theme`: remembers the theme.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveTheme {
    pub theme: Theme,
}

/// The thresholds of the Insights tab, in days, remembered per app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    pub dormant_days: u32,
    pub never_days: u32,
    pub anonymous_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            dormant_days: 90,
            never_days: 30,
            anonymous_days: 30,
        }
    }
}

/// `load_thresholds`: the app's remembered Insights thresholds (the defaults until set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadThresholds {
    pub host_id: String,
    pub app_id: String,
}

/// `save_thresholds`: remembers the app's Insights thresholds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveThresholds {
    pub host_id: String,
    pub app_id: String,
    pub thresholds: Thresholds,
}
