//! The Invitations and Signups tabs, and exporting the users table.

use crate::AppState;
use crate::convert;
use crate::convert::Failure;
use gatehouse_command::command;
use gatehouse_core::ExportFormat as CoreFormat;
use gatehouse_types::{
    CreateInvites, ExportFormat, ExportUsers, Exported, InviteRow, InvitesCreated, Page,
    QueryInvites, QuerySignups, RemoveSignup, ResendInvite, RevokeInvite, SignupRow,
};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[command]
pub async fn query_invites(
    req: QueryInvites,
    state: State<'_, AppState>,
) -> Result<Page<InviteRow>, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let (app_id, offset) = (req.app.app_id.clone(), req.offset);
    let window = (connection.query_invites(&app_id, convert::invite_query(req))).await?;
    Ok(convert::page(window, offset, convert::invite_row))
}

#[command]
pub async fn query_signups(
    req: QuerySignups,
    state: State<'_, AppState>,
) -> Result<Page<SignupRow>, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let (app_id, offset) = (req.app.app_id.clone(), req.offset);
    let window = (connection.query_signups(&app_id, convert::signup_query(req))).await?;
    Ok(convert::page(window, offset, convert::signup_row))
}

#[command]
pub async fn create_invites(
    req: CreateInvites,
    state: State<'_, AppState>,
) -> Result<InvitesCreated, Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    let report = connection
        .create_invites(&req.app.app_id, &req.handles, None)
        .await?;
    Ok(InvitesCreated {
        invited: report.invited,
        skipped: report.skipped,
    })
}

#[command]
pub async fn resend_invite(req: ResendInvite, state: State<'_, AppState>) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .resend_invite(&req.app.app_id, &req.handle)
        .await
        .map_err(Failure::from)
}

#[command]
pub async fn revoke_invite(req: RevokeInvite, state: State<'_, AppState>) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .revoke_invite(&req.app.app_id, &req.handle)
        .await
        .map_err(Failure::from)
}

#[command]
pub async fn remove_signup(req: RemoveSignup, state: State<'_, AppState>) -> Result<(), Failure> {
    let connection = state.connect(&req.app.host_id).await?;
    connection
        .remove_signup(&req.app.app_id, &req.handle, Some(&req.signup_id))
        .await
        .map_err(Failure::from)
}

/// Names the file an export is written to, instead of asking in the save dialog.
pub const EXPORT_PATH_ENV: &str = "GATEHOUSE_EXPORT_PATH";

/// Where an export goes, and in which format: the request's path, else
/// `GATEHOUSE_EXPORT_PATH`, else the native save dialog's answer (`None` when the user
/// cancels it). `stem` names the file the dialog proposes.
pub async fn export_target<R: Runtime>(
    app: &AppHandle<R>,
    path: Option<String>,
    stem: &str,
    format: ExportFormat,
) -> Result<Option<(std::path::PathBuf, CoreFormat)>, Failure> {
    let (format, extension) = match format {
        ExportFormat::Csv => (CoreFormat::Csv, "csv"),
        ExportFormat::Json => (CoreFormat::Json, "json"),
    };
    // GATEHOUSE_EXPORT_PATH stands in for the save dialog's answer: scripts and the
    // end-to-end tests name the file there (README).
    let scripted = std::env::var_os(EXPORT_PATH_ENV).filter(|path| !path.is_empty());
    if let Some(path) = path
        .map(std::path::PathBuf::from)
        .or(scripted.map(Into::into))
    {
        return Ok(Some((path, format)));
    }
    // The dialog blocks until the user answers: on a blocking thread, not an async one.
    let (app, name) = (app.clone(), format!("{stem}.{extension}"));
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        (app.dialog().file())
            .set_file_name(name)
            .add_filter(extension.to_uppercase(), &[extension])
            .blocking_save_file()
    })
    .await?;
    Ok(chosen
        .and_then(|path| path.into_path().ok())
        .map(|path| (path, format)))
}

/// What an export answers the window.
pub fn exported(path: &std::path::Path, rows: usize) -> Exported {
    Exported {
        rows: convert::count(rows),
        path: path.display().to_string(),
    }
}

#[command]
pub async fn export_users<R: Runtime>(
    req: ExportUsers,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Option<Exported>, Failure> {
    let Some((path, format)) = export_target(&app, req.path, "users", req.format).await? else {
        return Ok(None);
    };
    let connection = state.connect(&req.app.host_id).await?;
    let query = convert::user_query(req.filter, 0, 0);
    let rows = (connection.export_users(&req.app.app_id, query, format, path.clone())).await?;
    Ok(Some(exported(&path, rows)))
}
