//! The desktop shell: registers commands, holds the app state and UI settings, and
//! leaves everything else to `gatehouse-core`.

mod commands;
mod convert;
mod demo;
mod desktop;
mod logfile;
mod memory;
mod notify;
mod settings;
mod state;
mod warmup;

pub use state::AppState;

use tauri::Runtime;

/// Starts the desktop app with the scripted start read from the environment, and blocks
/// until its window is closed.
pub fn run(scripted: gatehouse_core::ScriptedStart) {
    let outcome = AppState::from_environment(scripted)
        .map_err(|error| error.to_string())
        .and_then(|state| {
            let context = context();
            let desktop = desktop::plugins(
                tauri::Builder::default(),
                &context.config().identifier,
                &state.data_dir,
                state.scripted.data_dir.is_some(),
            );
            builder(desktop, state)
                .build(context)
                .map(|app| {
                    desktop::exit_on_signals(app.handle());
                    desktop::lean_web_caches(app.handle());
                    app.run(at_exit)
                })
                .map_err(|error| error.to_string())
        });
    if let Err(error) = outcome {
        eprintln!("gatehouse could not start: {error}");
        std::process::exit(1);
    }
}

/// At exit the open offline copies write their index images, so that the next start reads
/// the index instead of building it (seconds at a million users).
fn at_exit<R: Runtime>(app: &tauri::AppHandle<R>, event: tauri::RunEvent) {
    use tauri::Manager;
    if let tauri::RunEvent::Exit = event
        && let Some(state) = app.try_state::<AppState>()
    {
        tracing::info!("exiting: the open offline copies' index images are brought up to date");
        state.core.save_indexes();
    }
}

/// The configuration, permissions and UI assets compiled into the binary.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Plugins, state and command handlers, on any runtime: the real one in `run`, the mock
/// one in tests.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .setup(|app| {
            warmup::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::info::load_app_info,
            commands::info::open_log_folder,
            commands::hosts::load_startup,
            commands::hosts::save_host,
            commands::hosts::test_host,
            commands::hosts::remove_host,
            commands::hosts::forget_local_data,
            commands::hosts::start_demo_host,
            commands::hosts::choose_ca_file,
            commands::apps::list_apps,
            commands::apps::select_app,
            commands::apps::load_layout,
            commands::apps::save_layout,
            commands::apps::load_theme,
            commands::apps::save_theme,
            commands::apps::load_thresholds,
            commands::apps::save_thresholds,
            commands::apps::load_sync_policy,
            commands::apps::save_sync_policy,
            commands::audit::query_audit,
            commands::audit::verify_audit,
            commands::audit::export_audit,
            commands::changes::query_sync_runs,
            commands::changes::query_changes,
            commands::activity::query_activity,
            commands::changes::query_user_history,
            commands::users::query_users,
            commands::users::query_near_duplicates,
            commands::sync::sync_app,
            commands::sync::query_sync_progress,
            commands::sync::cancel_sync,
            commands::sync::query_cache_status,
            commands::sync::query_cache_writes,
            commands::actions::set_user_status,
            commands::actions::delete_user,
            commands::actions::reset_password,
            commands::actions::generate_password,
            commands::actions::add_user,
            commands::actions::query_user_metadata,
            commands::actions::update_metadata,
            commands::actions::query_deleted_users,
            commands::actions::restore_user,
            commands::lists::query_invites,
            commands::lists::query_signups,
            commands::lists::create_invites,
            commands::lists::resend_invite,
            commands::lists::revoke_invite,
            commands::lists::remove_signup,
            commands::lists::export_users,
            commands::bulk::apply_bulk_action,
            commands::bulk::query_bulk_progress,
            commands::bulk::cancel_bulk,
        ])
}
