//! `app_info`: version, data folder and keyring availability.

use crate::AppState;
use crate::convert::Failure;
use gatehouse_types::{AppInfo, AppInfoDto, KeyringStatus};
use tauri::State;

#[tauri::command]
pub async fn app_info(req: AppInfo, state: State<'_, AppState>) -> Result<AppInfoDto, Failure> {
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
    })
}
