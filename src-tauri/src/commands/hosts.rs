//! Hosts: the first screen's data, adding, editing, testing and removing hosts, and the
//! embedded demo host.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use crate::demo;
use crate::settings::Settings;
use gatehouse_command::command;
use gatehouse_core::{HostEntry, HostInput, SecretStorage, Sensitive, start_choice};
use gatehouse_types::{
    ApiError, ChooseCaFile, ErrorCode, ForgetLocalData, Host, ListedApp, LoadStartup, RemoveHost,
    SaveHost, SavedHost, SecretPlace, StartDemoHost, Startup, TestHost,
};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[command]
pub async fn load_startup<R: Runtime>(
    req: LoadStartup,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Startup, Failure> {
    let LoadStartup {} = req;
    let scripted = state.core.apply_scripted(&state.scripted)?;
    let entries = demo::with_demo_running(&state, state.core.hosts()?).await?;
    let remembered = Settings::remembered_in(&app, &state.data_dir);
    let scripted_id = scripted.map(|entry| entry.id);
    let choice = start_choice(&entries, scripted_id.clone(), &remembered);
    Ok(Startup {
        hosts: hosts_shown(&state, &entries).await,
        remembered_apps: remembered_apps(&state, choice.host_id.as_deref()).await,
        app_hint: state.scripted.app.clone().filter(|_| scripted_id.is_some()),
        host_id: choice.host_id,
        app_id: choice.app_id,
        notices: state.core.take_notices(),
    })
}

/// The saved hosts as the first screen lists them, each with where its secret is.
async fn hosts_shown(state: &AppState, entries: &[HostEntry]) -> Vec<Host> {
    let mut hosts = Vec::with_capacity(entries.len());
    for entry in entries {
        hosts.push(convert::host(entry, secret_place(state, entry).await));
    }
    hosts
}

/// The apps saved for `host_id` at its last listing: the picker fills before the host
/// answers, and the warm-up picks from them the app the window will open.
pub(crate) async fn remembered_apps(state: &AppState, host_id: Option<&str>) -> Vec<ListedApp> {
    let Some(host_id) = host_id else {
        return Vec::new();
    };
    match state.core.connect(host_id).await {
        Ok(connection) => (connection.remembered_apps().await)
            .into_iter()
            .map(convert::app)
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[command]
pub async fn save_host(req: SaveHost, state: State<'_, AppState>) -> Result<SavedHost, Failure> {
    let ca_file = req.ca_file.map(PathBuf::from);
    let input = HostInput::new(&req.name, &req.url, ca_file, req.allow_http)?;
    let secret = req.secret.map(|secret| Sensitive::new(secret.into_inner()));
    let saved = (state.core).save_host(req.id.as_deref(), input, secret, req.untested);
    let (entry, storage) = saved.await.map_err(convert::not_saved)?;
    // Saved, but the secret only for this session: the keyring said why.
    let notice = match storage {
        Some(SecretStorage::Session { reason }) => Some(reason),
        _ => None,
    };
    let host = convert::host(&entry, secret_place(&state, &entry).await);
    Ok(SavedHost { host, notice })
}

#[command]
pub async fn test_host(req: TestHost, state: State<'_, AppState>) -> Result<String, Failure> {
    let input = HostInput::new("", &req.url, req.ca_file.map(PathBuf::from), req.allow_http)?;
    let core = &state.core;
    match (req.secret, req.id) {
        (Some(secret), _) => {
            core.test_host(&input, &Sensitive::new(secret.into_inner()))
                .await?;
        }
        // An edited host is tested as typed, with the secret it already has.
        (None, Some(id)) => core.test_edited_host(&id, &input).await?,
        (None, None) => return Err(invalid("Enter the host's server secret to test it.").into()),
    }
    Ok("Connected: the host accepted the server secret.".to_owned())
}

#[command]
pub async fn remove_host(req: RemoveHost, state: State<'_, AppState>) -> Result<(), Failure> {
    if req.id == gatehouse_core::DEMO_HOST_ID {
        demo::stop(&state).await;
    }
    state.core.remove_host(&req.id).await.map_err(Failure::from)
}

#[command]
pub async fn forget_local_data(
    req: ForgetLocalData,
    state: State<'_, AppState>,
) -> Result<(), Failure> {
    state.core.forget_local_data(&req.id).map_err(Failure::from)
}

#[command]
pub async fn start_demo_host(
    req: StartDemoHost,
    state: State<'_, AppState>,
) -> Result<Host, Failure> {
    let StartDemoHost {} = req;
    let entry = demo::ensure_running(&state).await?;
    Ok(convert::host(&entry, SecretPlace::Session))
}

#[command]
pub async fn choose_ca_file<R: Runtime>(
    req: ChooseCaFile,
    app: AppHandle<R>,
) -> Result<Option<String>, Failure> {
    let ChooseCaFile {} = req;
    // The dialog blocks until the user answers: on a blocking thread, not an async one.
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        (app.dialog().file())
            .set_title("CA certificate of the host")
            .add_filter("PEM certificates", &["pem", "crt", "cer"])
            .blocking_pick_file()
    })
    .await?;
    Ok(chosen
        .and_then(|path| path.into_path().ok())
        .map(|path| path.display().to_string()))
}

async fn secret_place(state: &AppState, entry: &HostEntry) -> SecretPlace {
    if entry.is_demo() {
        return SecretPlace::Session;
    }
    if state.scripted.secret_for(entry).is_some() {
        return SecretPlace::Environment;
    }
    match state.core.connect_entry(entry.clone()).await {
        Ok(connection) if connection.has_secret() => SecretPlace::Keyring,
        _ => SecretPlace::Missing,
    }
}

fn invalid(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}
