//! The demo host: the bundled emulator, run inside the app on a free loopback port with
//! its store in the data folder, so a newcomer has a working host with no account.

use crate::AppState;
use crate::convert;
use cosync_emulator::{Config, Storage};
use gatehouse_core::{HostEntry, Sensitive};
use gatehouse_types::{ApiError, ErrorCode};

/// The saved hosts, with the demo host (when listed) started: it runs inside the app and
/// starts again with it while it is listed, at a new URL.
pub async fn with_demo_running(
    state: &AppState,
    mut entries: Vec<HostEntry>,
) -> Result<Vec<HostEntry>, ApiError> {
    if entries.iter().any(HostEntry::is_demo) {
        let demo = ensure_running(state).await?;
        entries.retain(|entry| !entry.is_demo());
        entries.push(demo);
    }
    Ok(entries)
}

/// Starts the demo host unless it runs, and saves it (id `demo`) with its current URL.
pub async fn ensure_running(state: &AppState) -> Result<HostEntry, ApiError> {
    let mut demo = state.demo.lock().await;
    let host = match demo.as_ref() {
        Some(host) => host,
        None => {
            let config = Config {
                port: 0,
                storage: Storage::Dir(state.data_dir.join("demo-host")),
                demo: true,
            };
            let started = cosync_emulator::start(config).await.map_err(|error| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("The demo host could not start: {error}"),
                )
            })?;
            demo.insert(started)
        }
    };
    state
        .core
        .upsert_demo_host(
            host.base_url(),
            Sensitive::new(host.server_secret().to_owned()),
        )
        .map_err(convert::error)
}

pub async fn stop(state: &AppState) {
    if let Some(host) = state.demo.lock().await.take() {
        host.shutdown().await;
    }
}
