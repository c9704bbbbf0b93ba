//! The demo host: the bundled emulator, run inside the app on a free loopback port with
//! its store in the data folder, so a newcomer has a working host with no account.

use crate::AppState;
use crate::convert;
use cosync_emulator::{Config, Storage};
use gatehouse_core::{HostEntry, Sensitive};
use gatehouse_types::{ApiError, ErrorCode};

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
