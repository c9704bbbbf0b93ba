//! The one piece of managed state every command reaches through `State<AppState>`.

use gatehouse_core::{data_dir, secrets::Keyring};
use std::path::PathBuf;

pub struct AppState {
    pub data_dir: PathBuf,
    pub keyring: Keyring,
}

impl AppState {
    /// Reads `GATEHOUSE_DATA_DIR` and friends; fails only when no data folder exists at
    /// all, which the user must fix before anything can be kept.
    pub fn from_environment() -> Result<Self, data_dir::NoDataDir> {
        Ok(Self {
            data_dir: data_dir::resolve(None)?,
            keyring: Keyring::default(),
        })
    }
}
