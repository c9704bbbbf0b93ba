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
}
