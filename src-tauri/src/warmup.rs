//! Opens the cache of the app the window will show while WebKit is still starting: the
//! first open builds the search index (most of a second at 100,000 users), and doing it
//! in parallel with the web view's start-up brings the first rows sooner.

use crate::AppState;
use crate::settings::Settings;
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
        let listed = state.core.hosts().unwrap_or_default();
        let choice = gatehouse_core::start_choice(
            &listed,
            scripted,
            &Settings::remembered_in(&app, &state.data_dir),
        );
        let (Some(host_id), Some(app_id)) = (choice.host_id, choice.app_id) else {
            return;
        };
        if let Ok(connection) = state.core.connect(&host_id).await {
            let _ = connection.cache(&app_id).await;
            crate::memory::give_back_freed();
        }
    });
}
