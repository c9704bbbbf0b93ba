//! `load_app_info`: what the backend knows about itself, for the status bar and About box.

use crate::AppRef;
use serde::{Deserialize, Serialize};

/// Request of the `load_app_info` command; it takes no parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadAppInfo {}

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
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub keyring: KeyringStatus,
    /// Where the log file is; none when the app runs without one.
    #[serde(default)]
    pub log_dir: Option<String>,
    /// The system store of the server secrets, by name.
    #[serde(default)]
    pub keyring_backend: String,
    /// The app's license, as an SPDX expression.
    #[serde(default)]
    pub license: String,
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
#[serde(rename_all = "camelCase", default)]
pub struct Thresholds {
    pub dormant_days: u32,
    pub never_days: u32,
    pub anonymous_days: u32,
    /// Pending invitations older than this are stale.
    pub invite_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            dormant_days: 90,
            never_days: 30,
            anonymous_days: 30,
            invite_days: 14,
        }
    }
}

/// `load_thresholds`: the app's remembered Insights thresholds (the defaults until set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadThresholds {
    #[serde(flatten)]
    pub app: AppRef,
}

/// `save_thresholds`: remembers the app's Insights thresholds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveThresholds {
    #[serde(flatten)]
    pub app: AppRef,
    pub thresholds: Thresholds,
}

/// When the window syncs an open app, remembered per app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "when")]
pub enum SyncPolicy {
    /// When the app opens and its copy is older than this.
    OlderThan { minutes: u32 },
    /// Only when the user asks.
    Manually,
    /// When the app opens and its copy is older than this, then this often while open.
    Every { minutes: u32 },
}

impl Default for SyncPolicy {
    fn default() -> Self {
        SyncPolicy::OlderThan { minutes: 10 }
    }
}

impl SyncPolicy {
    /// Whether an app whose copy was last synced at `synced_at` (Unix milliseconds;
    /// `None` for never) syncs when it opens at `now`.
    pub fn syncs_on_open(&self, synced_at: Option<i64>, now: i64) -> bool {
        match *self {
            SyncPolicy::Manually => false,
            SyncPolicy::OlderThan { minutes } | SyncPolicy::Every { minutes } => {
                synced_at.is_none_or(|at| now - at >= i64::from(minutes) * 60_000)
            }
        }
    }

    /// How often the open app syncs by itself, in milliseconds.
    pub fn period_ms(&self) -> Option<u32> {
        match *self {
            SyncPolicy::Every { minutes } => Some(minutes.max(1).saturating_mul(60_000)),
            _ => None,
        }
    }

    /// The minutes the policy counts, if any.
    pub fn minutes(&self) -> Option<u32> {
        match *self {
            SyncPolicy::OlderThan { minutes } | SyncPolicy::Every { minutes } => Some(minutes),
            SyncPolicy::Manually => None,
        }
    }
}

/// `load_sync_policy`: the app's remembered sync policy (the default until set).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadSyncPolicy {
    #[serde(flatten)]
    pub app: AppRef,
}

/// `save_sync_policy`: remembers the app's sync policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveSyncPolicy {
    #[serde(flatten)]
    pub app: AppRef,
    pub policy: SyncPolicy,
}

#[cfg(test)]
mod sync_policy_tests {
    use super::SyncPolicy;

    const MINUTE: i64 = 60_000;

    #[test]
    fn an_app_syncs_on_open_only_when_its_copy_is_old_enough() {
        let policy = SyncPolicy::default();
        assert!(policy.syncs_on_open(None, 0), "a never-synced app syncs");
        assert!(!policy.syncs_on_open(Some(0), 9 * MINUTE));
        assert!(policy.syncs_on_open(Some(0), 10 * MINUTE));
        assert!(!SyncPolicy::Manually.syncs_on_open(None, 0));
        let every = SyncPolicy::Every { minutes: 5 };
        assert!(every.syncs_on_open(Some(0), 5 * MINUTE));
        assert_eq!(every.period_ms(), Some(300_000));
        assert_eq!(policy.period_ms(), None);
    }

    #[test]
    fn the_policy_reads_back_as_written() {
        let text = serde_json::to_string(&SyncPolicy::Every { minutes: 3 }).unwrap();
        assert_eq!(text, r#"{"when":"every","minutes":3}"#);
        let back: SyncPolicy = serde_json::from_str(r#"{"when":"manually"}"#).unwrap();
        assert_eq!(back, SyncPolicy::Manually);
    }
}
