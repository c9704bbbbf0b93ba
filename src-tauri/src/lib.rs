//! The desktop shell: registers commands, holds the app state and UI settings, and
//! leaves everything else to `gatehouse-core`.

mod commands;
pub mod settings;
mod state;

pub use state::AppState;

use tauri::{Manager, Runtime};

/// Starts the desktop app and blocks until its window is closed.
pub fn run() {
    let context = tauri::generate_context!("../tauri.conf.json");
    if let Err(error) = builder(tauri::Builder::default()).run(context) {
        eprintln!("gatehouse could not start: {error}");
        std::process::exit(1);
    }
}

/// Plugins, state and command handlers, on any runtime: the real one in `run`, the mock
/// one in tests.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            let state = AppState::from_environment()?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::info::app_info])
}
