//! UI preferences in tauri-plugin-store, used from Rust only: the web view has no
//! `store:` permission and asks for settings through commands.
//!
//! Every key is a constant with a typed payload; the file carries a schema version so a
//! later release can migrate it instead of misreading it.
//!
//! The store reads a file it cannot parse as empty and overwrites it at its next save,
//! and writes in place, keeping the mode of the file it finds: [`prepare`] runs before
//! it first reads (the first [`Settings::open`]), sets a damaged file aside and creates
//! the file for the user only.

use crate::AppState;
use gatehouse_core::data_dir;
use gatehouse_types::AppRef;
use serde::{Serialize, de::DeserializeOwned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::{Runtime, Wry};
use tauri_plugin_store::{Store, StoreExt};

/// The store file, inside the data folder shared with the CLI.
pub const FILE_NAME: &str = "ui-settings.json";
pub const SCHEMA_VERSION: u32 = 1;

/// A typed settings key.
pub struct Key<T> {
    pub name: &'static str,
    marker: std::marker::PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            marker: std::marker::PhantomData,
        }
    }
}

const SCHEMA: Key<u32> = Key::new("schemaVersion");
/// The host opened last.
pub const LAST_HOST: Key<String> = Key::new("lastHost");
/// The Users table's layout.
pub const TABLE_LAYOUT: Key<gatehouse_types::TableLayout> = Key::new("tableLayout");
/// The Insights thresholds, by `<host id>/<app id>`.
pub const THRESHOLDS: Key<HashMap<String, gatehouse_types::Thresholds>> = Key::new("thresholds");
/// The sync policies, by `<host id>/<app id>`.
pub const SYNC_POLICIES: Key<HashMap<String, gatehouse_types::SyncPolicy>> =
    Key::new("syncPolicies");
/// The window's theme.
pub const THEME: Key<gatehouse_types::Theme> = Key::new("theme");
/// The app opened last, per host id.
pub const LAST_APPS: Key<HashMap<String, String>> = Key::new("lastApps");

#[derive(Debug, thiserror::Error)]
#[error("the settings file could not be opened: {0}")]
pub struct SettingsError(String);

pub fn api_error(error: SettingsError) -> gatehouse_types::ApiError {
    gatehouse_types::ApiError::new(gatehouse_types::ErrorCode::Internal, error.to_string())
}

/// How a per-app setting names its app: `<host id>/<app id>`.
fn app_key(which: &AppRef) -> String {
    format!("{}/{}", which.host_id, which.app_id)
}

/// The UI settings of one data folder.
pub struct Settings<R: Runtime = Wry> {
    store: Arc<Store<R>>,
    path: PathBuf,
}

impl<R: Runtime> Settings<R> {
    pub fn open(app: &impl tauri::Manager<R>, data_dir: &Path) -> Result<Self, SettingsError> {
        let path = data_dir.join(FILE_NAME);
        // The store reads its file when it is first opened in this process, and only then;
        // the notice waits in core for the window's `startup`.
        if app.get_store(&path).is_none()
            && let Some(notice) = prepare(data_dir)
            && let Some(state) = app.try_state::<AppState>()
        {
            state.core.add_notice(notice);
        }
        let store = app
            .store(&path)
            .map_err(|error| SettingsError(error.to_string()))?;
        let settings = Self { store, path };
        if settings.get(&SCHEMA).is_none() {
            settings.set(&SCHEMA, &SCHEMA_VERSION);
        }
        Ok(settings)
    }

    /// The stored value, or `None` when absent or of another shape (a hand-edited or
    /// older file must not stop the app).
    pub fn get<T: DeserializeOwned>(&self, key: &Key<T>) -> Option<T> {
        self.store
            .get(key.name)
            .and_then(|value| serde_json::from_value(value).ok())
    }

    /// The value stored under `key`, the default until one is saved.
    pub fn value_or_default<T: Default + DeserializeOwned>(&self, key: &Key<T>) -> T {
        self.get(key).unwrap_or_default()
    }

    /// Stores `value` under `key` and writes the file.
    pub fn save_value<T: Serialize>(&self, key: &Key<T>, value: &T) -> Result<(), SettingsError> {
        self.set(key, value);
        self.save()
    }

    /// An app's value of a per-app setting, the default until one is saved.
    pub fn app_value_or_default<T: Default + Clone + DeserializeOwned>(
        &self,
        key: &Key<HashMap<String, T>>,
        which: &AppRef,
    ) -> T {
        let all = self.value_or_default(key);
        all.get(&app_key(which)).cloned().unwrap_or_default()
    }

    /// Stores an app's value of a per-app setting and writes the file.
    pub fn save_app_value<T: Serialize + DeserializeOwned>(
        &self,
        key: &Key<HashMap<String, T>>,
        which: &AppRef,
        value: T,
    ) -> Result<(), SettingsError> {
        let mut all = self.value_or_default(key);
        all.insert(app_key(which), value);
        self.save_value(key, &all)
    }

    /// What the window remembered, or nothing when its store cannot be read (the start
    /// then falls back to the only host, or asks).
    pub fn remembered_in(
        app: &impl tauri::Manager<R>,
        data_dir: &Path,
    ) -> gatehouse_core::Remembered {
        Self::open(app, data_dir)
            .map(|settings| settings.remembered())
            .unwrap_or_default()
    }

    /// What a start needs to choose its host and app.
    pub fn remembered(&self) -> gatehouse_core::Remembered {
        gatehouse_core::Remembered {
            last_host: self.get(&LAST_HOST),
            last_apps: self.value_or_default(&LAST_APPS),
        }
    }

    /// The app last opened on `host_id`.
    pub fn last_app(&self, host_id: &str) -> Option<String> {
        self.get(&LAST_APPS)?.remove(host_id)
    }

    /// Remembers `app_id` as the app last opened, on `host_id`, the host last opened.
    pub fn remember_opened(&self, host_id: &str, app_id: String) {
        let mut apps = self.value_or_default(&LAST_APPS);
        apps.insert(host_id.to_owned(), app_id);
        self.set(&LAST_APPS, &apps);
        self.set(&LAST_HOST, &host_id.to_owned());
    }

    pub fn set<T: Serialize>(&self, key: &Key<T>, value: &T) {
        if let Ok(value) = serde_json::to_value(value) {
            self.store.set(key.name, value);
        }
    }

    pub fn save(&self) -> Result<(), SettingsError> {
        // Best effort: the file was readied at start; this only covers one removed since.
        let _ = data_dir::ensure_private_file(&self.path);
        self.store
            .save()
            .map_err(|error| SettingsError(error.to_string()))
    }
}

/// Readies the settings file of `data_dir` before the store first reads it: a file that
/// does not parse is set aside (renamed, never deleted) so the app starts with the
/// default settings, and the file is created readable by the user only (0600). Answers
/// what to tell the user, if anything.
pub fn prepare(data_dir: &Path) -> Option<String> {
    let path = data_dir.join(FILE_NAME);
    let mut notice = None;
    if let Ok(bytes) = std::fs::read(&path)
        && let Err(problem) = parses(&bytes)
    {
        notice = Some(match data_dir::set_aside(&path) {
            Ok(aside) => format!(
                "The UI settings file {FILE_NAME} could not be read ({problem}); it was set \
                 aside as {} and Gatehouse started with its default settings (last host and \
                 app, table layout).",
                aside.display()
            ),
            Err(error) => format!(
                "The UI settings file {} could not be read ({problem}) nor set aside \
                 ({error}); Gatehouse started with its default settings and will replace it.",
                path.display()
            ),
        });
    }
    // Best effort: without them the store still works, with the default modes.
    let _ = data_dir::create_private_dir(data_dir);
    let _ = data_dir::ensure_private_file(&path);
    notice
}

/// Whether `bytes` is what the store can read: a JSON object. An empty file is one this
/// module created and the store has not written yet.
fn parses(bytes: &[u8]) -> Result<(), serde_json::Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    serde_json::from_slice::<HashMap<String, serde_json::Value>>(bytes).map(|_| ())
}
