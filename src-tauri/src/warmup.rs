//! Opens the cache of the app the window will show while WebKit is still starting: the
//! first open reads the search index from its image (~0.13 s at a million users) or
//! builds it (seconds), and doing it in parallel with the web view's start-up brings the
//! first rows sooner.

use crate::AppState;
use crate::settings::Settings;
use gatehouse_types::choose_app;
use tauri::{AppHandle, Manager, Runtime};

/// Starts the warm-up in the background; a failure only means no head start.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(state) = app.try_state::<AppState>() else {
            return;
        };
        let scripted = state
            .scripted
            .host
            .as_deref()
            .and_then(|url| gatehouse_core::host_id(url).ok());
        let scripted_app = state.scripted.app.as_deref().filter(|_| scripted.is_some());
        let listed = state.core.hosts().unwrap_or_default();
        let choice = gatehouse_core::start_choice(
            &listed,
            scripted,
            &Settings::remembered_in(&app, &state.data_dir),
        );
        let Some(host_id) = choice.host_id else {
            return;
        };
        let Ok(connection) = state.core.connect(&host_id).await else {
            return;
        };
        // The app the window opens from the saved list (`open_host` in the UI's session):
        // the scripted one, else the last one, else the only one, as at a first start
        // after the CLI synced it.
        let saved = crate::commands::hosts::remembered_apps(&state, Some(&host_id)).await;
        let last_app = choice.app_id;
        let Some(app_id) = choose_app(&saved, scripted_app.or(last_app.as_deref())).or(last_app)
        else {
            return;
        };
        let started = std::time::Instant::now();
        if connection.cache(&app_id).await.is_ok() {
            let ms = started.elapsed().as_millis();
            tracing::info!(app_id, ms, "the app's cache is open ahead of the window");
        }
        crate::memory::give_back_freed();
    });
}
