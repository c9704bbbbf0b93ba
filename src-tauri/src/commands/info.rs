//! `load_app_info`: version, data folder and keyring availability.

use crate::AppState;
use crate::convert::Failure;
use gatehouse_types::{ApiError, AppInfo, AppInfoDto, ErrorCode, KeyringStatus, OpenLogFolder};
use tauri::{AppHandle, Manager, Runtime, State};

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "load_app_info"),
    err(Display, level = "debug")
)]
pub async fn load_app_info<R: Runtime>(
    req: AppInfo,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<AppInfoDto, Failure> {
    let AppInfo {} = req;
    let keyring = match state.core.keyring_status().await {
        Ok(()) => KeyringStatus::Available,
        Err(error) => KeyringStatus::Unavailable {
            reason: error.to_string(),
        },
    };
    Ok(AppInfoDto {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir.display().to_string(),
        keyring,
        log_dir: app
            .try_state::<crate::desktop::LogFolder>()
            .map(|folder| folder.0.display().to_string()),
        keyring_backend: gatehouse_core::secrets::backend_name().to_owned(),
        license: env!("CARGO_PKG_LICENSE").to_owned(),
    })
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "open_log_folder"),
    err(Display, level = "debug")
)]
pub async fn open_log_folder<R: Runtime>(
    req: OpenLogFolder,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    use tauri_plugin_opener::OpenerExt;
    let OpenLogFolder {} = req;
    let folder = app
        .try_state::<crate::desktop::LogFolder>()
        .map(|folder| folder.0.clone())
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, "This window writes no log file."))?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|error| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("Could not open {}: {error}", folder.display()),
            )
        })?;
    Ok(())
}
