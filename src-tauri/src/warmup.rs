//! Opens the cache of the app the window will show while WebKit is still starting: the
//! first open builds the search index (most of a second at 100,000 users), and doing it
//! in parallel with the web view's start-up brings the first rows sooner.

use crate::AppState;
use crate::settings::{self, Settings};
use tauri::{AppHandle, Manager, Runtime};

/// Starts the warm-up in the background; a failure only means no head start.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(state) = app.try_state::<AppState>() else {
            return;
        };
        let Ok(settings) = Settings::open(&app, &state.data_dir) else {
            return;
        };
        // The scripted host wins at start, as it does in `startup`.
        let scripted = state
            .scripted
            .host
            .as_deref()
            .and_then(|url| gatehouse_core::host_id(url).ok());
        let Some(host_id) = scripted.or_else(|| settings.get(&settings::LAST_HOST)) else {
            return;
        };
        let Some(app_id) = settings
            .get(&settings::LAST_APPS)
            .and_then(|apps| apps.get(&host_id).cloned())
        else {
            return;
        };
        if let Ok(connection) = state.core.connect(&host_id).await {
            let _ = connection.cache(&app_id).await;
            crate::memory::give_back_freed();
        }
    });
}
