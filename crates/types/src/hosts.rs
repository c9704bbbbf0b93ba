//! Hosts: the Cosync JWT hosts the user manages, and the demo host.

use crate::SecretInput;
use serde::{Deserialize, Serialize};

/// A saved host as the UI sees it: never its secret, only whether one is at hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Host {
    pub id: String,
    pub name: String,
    pub url: String,
    pub ca_file: Option<String>,
    pub allow_http: bool,
    /// Where the secret is: the keyring, this session's memory, the environment, or
    /// nowhere (the user must enter it again).
    pub secret: SecretPlace,
    pub demo: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretPlace {
    Keyring,
    Session,
    Environment,
    Missing,
}

/// `load_startup`: what the window shows first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadStartup {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    pub hosts: Vec<Host>,
    /// The host to open: the environment's, else the last one used.
    pub host_id: Option<String>,
    /// The app to open on that host (id), when known.
    pub app_id: Option<String>,
    /// The app named by `GATEHOUSE_APP`, resolved against the host's list once it loads.
    pub app_hint: Option<String>,
    /// That host's apps as saved at the last successful call (empty when never), so the
    /// window can open the app from its cache before the host answers.
    pub remembered_apps: Vec<crate::ListedApp>,
    /// What the user should be told at start, in plain words: a damaged host list, app
    /// list or settings file that was set aside, a host list from a newer release.
    #[serde(default)]
    pub notices: Vec<String>,
}

/// `save_host`: add a host (no `id`) or edit one. A `secret` goes straight to the
/// keyring; `None` keeps the stored one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveHost {
    pub id: Option<String>,
    pub name: String,
    pub url: String,
    pub secret: Option<SecretInput>,
    pub ca_file: Option<String>,
    pub allow_http: bool,
    /// Save without testing the connection first: the user chose `Save anyway` after a
    /// failed test.
    #[serde(default)]
    pub untested: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedHost {
    pub host: Host,
    /// Something the user should know, e.g. the keyring was unavailable.
    pub notice: Option<String>,
}

/// `test_host`: calls the host's connection check with the given or stored secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestHost {
    pub id: Option<String>,
    pub url: String,
    pub secret: Option<SecretInput>,
    pub ca_file: Option<String>,
    pub allow_http: bool,
}

/// `remove_host`: deletes the host, its keyring entry and its cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveHost {
    pub id: String,
}

/// `forget_local_data`: deletes the host's cached data, keeps the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForgetLocalData {
    pub id: String,
}

/// `start_demo_host`: starts the embedded emulator with demo data and adds it as a host.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StartDemoHost {}

/// `choose_ca_file`: the native file dialog, for the host form's `CA certificate`;
/// answers the chosen path, or nothing when the user cancelled.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChooseCaFile {}
