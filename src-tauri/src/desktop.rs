//! What only the real desktop window has (not the mock runtime of the IPC tests): one
//! instance per data folder, and the window's size, position and maximized state
//! remembered in the data folder.

use std::path::Path;

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

/// Adds the single-instance and window-state plugins.
pub fn plugins<R: Runtime>(
    builder: tauri::Builder<R>,
    identifier: &str,
    data_dir: &Path,
) -> tauri::Builder<R> {
    let state_file = data_dir.join(WINDOW_STATE_FILE);
    builder
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
        .plugin(
            tauri_plugin_window_state::Builder::new()
                // Joined to the config folder, an absolute path stays itself: the state
                // lives in the data folder like every other file of Gatehouse.
                .with_filename(state_file.to_string_lossy())
                .build(),
        )
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
