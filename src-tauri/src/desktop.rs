//! What only the real desktop window has (not the mock runtime of the IPC tests): one
//! instance per data folder, and the window's size, position and maximized state
//! remembered in the data folder.

use gatehouse_types::{ApiError, ErrorCode};
use std::path::{Path, PathBuf};

use tauri::{Manager, Runtime};

/// The file the window's state is kept in, in the data folder.
pub const WINDOW_STATE_FILE: &str = "window-state.json";

/// The D-Bus name part (Linux) that makes an instance unique per data folder: starting
/// Gatehouse again on the same folder focuses the running window, while the end-to-end
/// tests (a throw-away folder each) run side by side. A bus name element must not start
/// with a digit.
pub fn instance_id(identifier: &str, data_dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(data_dir.to_string_lossy().as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{identifier}.d{short}")
}

/// Where the log goes: `<data folder>/logs` when the data folder was given
/// (`GATEHOUSE_DATA_DIR`: scripts and tests keep everything in it), else the platform's
/// log folder for the app.
pub fn log_dir<R: Runtime>(app: &tauri::AppHandle<R>, data_dir: &Path, given: bool) -> PathBuf {
    if given {
        return data_dir.join("logs");
    }
    app.path()
        .app_log_dir()
        .unwrap_or_else(|_| data_dir.join("logs"))
}

/// The log folder, as the About panel shows it.
struct LogFolder(PathBuf);

/// Where this window writes its log; `None` when it writes none (the IPC tests' app).
pub fn log_folder<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<PathBuf> {
    app.try_state::<LogFolder>().map(|folder| folder.0.clone())
}

/// Keeps the log file's writer until the app ends.
struct LogWriter(#[allow(dead_code)] tracing_appender::non_blocking::WorkerGuard);

/// Starts the log file (see `logfile.rs`) and remembers where it is.
pub fn start_log<R: Runtime>(app: &tauri::AppHandle<R>, data_dir: &Path, given: bool) {
    let dir = log_dir(app, data_dir, given);
    if let Some(guard) = crate::logfile::start(&dir) {
        app.manage(LogWriter(guard));
        tracing::info!("Gatehouse {} started", env!("CARGO_PKG_VERSION"));
    }
    app.manage(LogFolder(dir));
}

/// Adds the single-instance, log, window-state and (with the `notifications` feature)
/// notification plugins.
pub fn plugins<R: Runtime>(
    builder: tauri::Builder<R>,
    identifier: &str,
    data_dir: &Path,
    given: bool,
) -> tauri::Builder<R> {
    let state_file = data_dir.join(WINDOW_STATE_FILE);
    let log_base = data_dir.to_owned();
    let builder = builder
        // First, so that a second start stops before it builds anything.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance_id(identifier, data_dir))
                .callback(|app, _argv, _cwd| {
                    if let Some(window) = app.get_webview_window("main") {
                        let _ = window.unminimize();
                        let _ = window.show();
                        let _ = window.set_focus();
                    }
                })
                .build(),
        )
        // A plugin of its own: the builder's one `setup` belongs to `builder`.
        .plugin(
            tauri::plugin::Builder::<R>::new("gatehouse-log")
                .setup(move |app, _api| {
                    start_log(app, &log_base, given);
                    Ok(())
                })
                .build(),
        )
        .plugin(
            tauri_plugin_window_state::Builder::new()
                // Joined to the config folder, an absolute path stays itself: the state
                // lives in the data folder like every other file of Gatehouse.
                .with_filename(state_file.to_string_lossy())
                // Whether the window shows is `shown_once_loaded`'s.
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        .difference(tauri_plugin_window_state::StateFlags::VISIBLE),
                )
                .build(),
        )
        .plugin(shown_once_loaded());
    #[cfg(feature = "notifications")]
    let builder = builder.plugin(tauri_plugin_notification::init());
    builder
}

/// How long the window may stay hidden when its page never says it has loaded.
const SHOW_AT_LATEST: std::time::Duration = std::time::Duration::from_secs(2);

/// The window starts hidden and is shown once its page has loaded (or after
/// [`SHOW_AT_LATEST`], whatever the page does). Shown before its page exists, WebKitGTK
/// painting without GL compositing (`main.rs`) often held the page's start back by half a
/// second; hidden, the page starts at once, and the first thing shown is the app rather
/// than an empty window.
fn shown_once_loaded<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    fn show<R: Runtime>(window: &tauri::WebviewWindow<R>) {
        if !window.is_visible().unwrap_or(true) {
            let _ = window.show();
        }
    }
    tauri::plugin::Builder::<R>::new("gatehouse-show")
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished
                && let Some(window) = webview.app_handle().get_webview_window(webview.label())
            {
                show(&window);
            }
        })
        .setup(|app, _api| {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(SHOW_AT_LATEST).await;
                for window in app.webview_windows().into_values() {
                    show(&window);
                }
            });
            Ok(())
        })
        .build()
}

/// Shows `folder` in the system's file manager.
pub fn open_folder<R: Runtime>(app: &tauri::AppHandle<R>, folder: &Path) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let shown = folder.display().to_string();
    (app.opener().open_path(&shown, None::<&str>)).map_err(|error| {
        let message = format!("Could not open {shown}: {error}");
        ApiError::new(ErrorCode::InvalidInput, message)
    })
}

/// Ends the app as its window's close button does when the system asks it to stop
/// (SIGTERM at logout or shutdown, Ctrl+C in a terminal): the exit work then runs (the
/// index images brought up to date) instead of the process ending mid-write.
pub fn exit_on_signals<R: Runtime>(app: &tauri::AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let Ok(mut terminate) = signal(SignalKind::terminate()) else {
                return;
            };
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        tracing::info!("asked to stop: exiting as when the window closes");
        app.exit(0);
    });
}

/// The web view keeps no memory cache of resources: the UI is one page whose assets are
/// compiled into the binary and loaded once, and WebKit's default (a web browser's cache
/// model) holds them and their decoded forms for navigations that never come.
pub fn lean_web_caches(app: &tauri::AppHandle) {
    #[cfg(target_os = "linux")]
    for window in tauri::Manager::webview_windows(app).into_values() {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_data_folder_is_its_own_instance() {
        let a = instance_id(
            "net.cosync.gatehouse",
            Path::new("/home/a/.local/share/gatehouse"),
        );
        let b = instance_id("net.cosync.gatehouse", Path::new("/tmp/other"));
        assert_ne!(a, b);
        assert!(a.starts_with("net.cosync.gatehouse.d"));
        assert_eq!(
            a,
            instance_id(
                "net.cosync.gatehouse",
                Path::new("/home/a/.local/share/gatehouse")
            )
        );
    }
}
