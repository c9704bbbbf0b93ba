//! The apps of a host, and remembering the last one opened.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::settings::{self, Settings};
use gatehouse_command::command;
use gatehouse_types::{
    AppRef, Apps, ListApps, LoadLayout, LoadSyncPolicy, LoadTheme, LoadThresholds, SaveLayout,
    SaveSyncPolicy, SaveTheme, SaveThresholds, SelectApp, SyncPolicy, TableLayout, Theme,
    Thresholds,
};
use serde::{Serialize, de::DeserializeOwned};
use std::collections::HashMap;
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
    load_setting(&app, &state, &settings::TABLE_LAYOUT)
}

#[command]
pub async fn save_layout<R: Runtime>(
    req: SaveLayout,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    save_setting(&app, &state, &settings::TABLE_LAYOUT, &req.layout)
}

#[command]
pub async fn load_theme<R: Runtime>(
    req: LoadTheme,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Theme, Failure> {
    let LoadTheme {} = req;
    load_setting(&app, &state, &settings::THEME)
}

#[command]
pub async fn save_theme<R: Runtime>(
    req: SaveTheme,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    save_setting(&app, &state, &settings::THEME, &req.theme)
}

/// A remembered setting, the default until one is saved.
fn load_setting<R: Runtime, T: Default + DeserializeOwned>(
    app: &AppHandle<R>,
    state: &AppState,
    key: &settings::Key<T>,
) -> Result<T, Failure> {
    let settings = Settings::open(app, &state.data_dir)?;
    Ok(settings.get(key).unwrap_or_default())
}

fn save_setting<R: Runtime, T: Serialize>(
    app: &AppHandle<R>,
    state: &AppState,
    key: &settings::Key<T>,
    value: &T,
) -> Result<(), Failure> {
    let settings = Settings::open(app, &state.data_dir)?;
    settings.set(key, value);
    Ok(settings.save()?)
}

fn app_key(which: &AppRef) -> String {
    format!("{}/{}", which.host_id, which.app_id)
}

/// An app's value of a per-app setting, the default until one is saved.
fn load_per_app<R: Runtime, T: Default + Clone + DeserializeOwned>(
    app: &AppHandle<R>,
    state: &AppState,
    key: &settings::Key<HashMap<String, T>>,
    which: &AppRef,
) -> Result<T, Failure> {
    let all = load_setting(app, state, key)?;
    Ok(all.get(&app_key(which)).cloned().unwrap_or_default())
}

/// Saves an app's value of a per-app setting.
fn save_per_app<R: Runtime, T: Serialize + DeserializeOwned>(
    app: &AppHandle<R>,
    state: &AppState,
    key: &settings::Key<HashMap<String, T>>,
    which: &AppRef,
    value: T,
) -> Result<(), Failure> {
    let mut all = load_setting(app, state, key)?;
    all.insert(app_key(which), value);
    save_setting(app, state, key, &all)
}

#[command]
pub async fn load_thresholds<R: Runtime>(
    req: LoadThresholds,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Thresholds, Failure> {
    load_per_app(&app, &state, &settings::THRESHOLDS, &req.app)
}

#[command]
pub async fn save_thresholds<R: Runtime>(
    req: SaveThresholds,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    save_per_app(
        &app,
        &state,
        &settings::THRESHOLDS,
        &req.app,
        req.thresholds,
    )
}

#[command]
pub async fn load_sync_policy<R: Runtime>(
    req: LoadSyncPolicy,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<SyncPolicy, Failure> {
    load_per_app(&app, &state, &settings::SYNC_POLICIES, &req.app)
}

#[command]
pub async fn save_sync_policy<R: Runtime>(
    req: SaveSyncPolicy,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<(), Failure> {
    save_per_app(&app, &state, &settings::SYNC_POLICIES, &req.app, req.policy)
}
