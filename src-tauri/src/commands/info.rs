//! `load_app_info`: version, data folder and keyring availability.

use crate::AppState;
use crate::convert::{self, Failure};
use crate::desktop::log_folder;
use gatehouse_command::command;
use gatehouse_types::{ApiError, AppInfo, ErrorCode, LoadAppInfo, OpenLogFolder};
use tauri::{AppHandle, Runtime, State};

#[command]
pub async fn load_app_info<R: Runtime>(
    req: LoadAppInfo,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<AppInfo, Failure> {
    let LoadAppInfo {} = req;
    let keyring = convert::keyring_status(state.core.keyring_status().await);
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir.display().to_string(),
        keyring,
        log_dir: log_folder(&app).map(|folder| folder.display().to_string()),
        keyring_backend: gatehouse_core::secrets::backend_name().to_owned(),
        license: env!("CARGO_PKG_LICENSE").to_owned(),
    })
}

#[command]
pub async fn open_log_folder<R: Runtime>(
    req: OpenLogFolder,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let OpenLogFolder {} = req;
    let folder = log_folder(&app)
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, "This window writes no log file."))?;
    Ok(crate::desktop::open_folder(&app, &folder)?)
}
