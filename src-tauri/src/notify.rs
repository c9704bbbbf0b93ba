//! A native notification when long work ends while the window is in the background: a
//! sync or a bulk action that took 10 s or more, with its outcome.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, Runtime};

/// Work shorter than this ends while the user still watches.
pub const LONG_WORK: Duration = Duration::from_secs(10);

/// Whether work that took `took` deserves a notification.
pub fn worth_telling(took: Duration, window_focused: bool) -> bool {
    took >= LONG_WORK && !window_focused
}

/// Says `body` in a notification titled `title` when the work begun at `started` was
/// long and the window is not focused. Nothing when the notification plugin is absent
/// (the IPC tests' mock runtime, a build without the `notifications` feature) or the
/// system refuses.
pub fn when_done<R: Runtime>(app: &AppHandle<R>, started: Instant, title: &str, body: &str) {
    let focused = app
        .get_webview_window("main")
        .and_then(|window| window.is_focused().ok())
        .unwrap_or(true);
    if !worth_telling(started.elapsed(), focused) {
        return;
    }
    show(app, title, body);
}

/// `when_done` for a sync, saying how it ended.
pub fn sync_done<R: Runtime>(
    app: &AppHandle<R>,
    started: Instant,
    outcome: &Result<gatehouse_core::SyncReport, gatehouse_core::Error>,
) {
    let told = match outcome {
        Ok(summary) => format!("{} users in the offline copy", summary.users),
        Err(error) => format!("It failed: {error}; the offline copy is as it was"),
    };
    when_done(app, started, "Sync finished", &told);
}

/// `when_done` for a bulk action, saying how many of its users it changed.
pub fn bulk_done<R: Runtime>(
    app: &AppHandle<R>,
    started: Instant,
    outcome: &Result<Vec<gatehouse_core::BulkItem>, gatehouse_core::Error>,
) {
    let told = match outcome {
        Ok(items) => {
            let done = items
                .iter()
                .filter(|item| item.outcome == gatehouse_core::BulkOutcome::Done)
                .count();
            format!("{done} of {} users done", items.len())
        }
        Err(error) => format!("It stopped: {error}"),
    };
    when_done(app, started, "Bulk action finished", &told);
}

#[cfg(feature = "notifications")]
fn show<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) {
    if let Some(notification) = app.try_state::<tauri_plugin_notification::Notification<R>>() {
        let _ = notification.builder().title(title).body(body).show();
    }
}

/// Built without notifications (the macOS compile check): the outcome stays in the
/// window.
#[cfg(not(feature = "notifications"))]
fn show<R: Runtime>(_app: &AppHandle<R>, _title: &str, _body: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_work_in_the_background_is_told() {
        assert!(worth_telling(Duration::from_secs(12), false));
        assert!(!worth_telling(Duration::from_secs(12), true));
        assert!(!worth_telling(Duration::from_secs(3), false));
    }
}
