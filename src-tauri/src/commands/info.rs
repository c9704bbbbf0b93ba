//! `app_info`: version, data folder and keyring availability.

use crate::AppState;
use crate::convert::Failure;
use gatehouse_types::{AppInfo, AppInfoDto, KeyringStatus};
use tauri::{AppHandle, Manager, Runtime, State};

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "app_info"),
    err(Display, level = "debug")
)]
pub async fn app_info<R: Runtime>(
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
    })
}
