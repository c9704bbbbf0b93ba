//! The apps of a host, and remembering the last one opened.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::settings::{self, Settings};
use gatehouse_command::command;
use gatehouse_types::{
    Apps, ListApps, LoadLayout, LoadSyncPolicy, LoadTheme, LoadThresholds, SaveLayout,
    SaveSyncPolicy, SaveTheme, SaveThresholds, SelectApp, SyncPolicy, TableLayout, Theme,
    Thresholds,
};
use tauri::{AppHandle, Runtime, State};

#[command]
pub async fn list_apps<R: Runtime>(
    req: ListApps,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Apps, Failure> {
    let connection = state.connect(&req.host_id).await?;
    let fetched = connection.apps().await?;
    let offline = convert::offline(fetched.source);
    // Unreadable settings only mean no app is picked for the user.
    let last_app = Settings::open(&app, &state.data_dir)
        .ok()
        .and_then(|stored| stored.last_app(&req.host_id));
    Ok(Apps {
        apps: fetched.value.into_iter().map(convert::app).collect(),
        offline,
        last_app,
    })
}

#[command]
pub async fn select_app<R: Runtime>(
    req: SelectApp,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    settings.remember_opened(&req.app.host_id, req.app.app_id);
    Ok(settings.save()?)
}

#[command]
pub async fn load_layout<R: Runtime>(
    req: LoadLayout,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<TableLayout, Failure> {
    let LoadLayout {} = req;
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.value_or_default(&settings::TABLE_LAYOUT))
}

#[command]
pub async fn save_layout<R: Runtime>(
    req: SaveLayout,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.save_value(&settings::TABLE_LAYOUT, &req.layout)?)
}

#[command]
pub async fn load_theme<R: Runtime>(
    req: LoadTheme,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Theme, Failure> {
    let LoadTheme {} = req;
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.value_or_default(&settings::THEME))
}

#[command]
pub async fn save_theme<R: Runtime>(
    req: SaveTheme,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.save_value(&settings::THEME, &req.theme)?)
}

#[command]
pub async fn load_thresholds<R: Runtime>(
    req: LoadThresholds,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Thresholds, Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.app_value_or_default(&settings::THRESHOLDS, &req.app))
}

#[command]
pub async fn save_thresholds<R: Runtime>(
    req: SaveThresholds,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.save_app_value(&settings::THRESHOLDS, &req.app, req.thresholds)?)
}

#[command]
pub async fn load_sync_policy<R: Runtime>(
    req: LoadSyncPolicy,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<SyncPolicy, Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.app_value_or_default(&settings::SYNC_POLICIES, &req.app))
}

#[command]
pub async fn save_sync_policy<R: Runtime>(
    req: SaveSyncPolicy,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    let settings = Settings::open(&app, &state.data_dir)?;
    Ok(settings.save_app_value(&settings::SYNC_POLICIES, &req.app, req.policy)?)
}
