//! The audit log view: entries, verification, export. Nothing here asks a host.

use crate::AppState;
use crate::commands::lists::{export_target, write_export};
use crate::convert::{self, Failure};
use gatehouse_types::{
    AuditPage, AuditVerdict, ExportAudit, Exported, Named, QueryAudit, VerifyAudit,
};
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "query_audit"),
    err(Display, level = "debug")
)]
pub async fn query_audit(
    req: QueryAudit,
    state: State<'_, AppState>,
) -> Result<AuditPage, Failure> {
    let limit = req.limit.min(convert::MAX_WINDOW) as usize;
    let filter = convert::audit_filter(req.filter);
    let window = state
        .core
        .query_audit(filter, req.offset as usize, limit)
        .await?;
    let named = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .map(|(id, name)| Named { id, name })
            .collect()
    };
    Ok(AuditPage {
        page: gatehouse_types::Page {
            rows: window.rows.into_iter().map(convert::audit_row).collect(),
            offset: req.offset,
            total: convert::count(window.total),
            matching: convert::count(window.matching),
        },
        hosts: named(window.hosts),
        apps: named(window.apps),
        path: state.core.audit_log().path().display().to_string(),
    })
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "verify_audit"),
    err(Display, level = "debug")
)]
pub async fn verify_audit(
    req: VerifyAudit,
    state: State<'_, AppState>,
) -> Result<AuditVerdict, Failure> {
    let VerifyAudit {} = req;
    let verdict = state.core.verify_audit().await?;
    let line = match verdict {
        gatehouse_core::Verification::Intact { .. } => None,
        gatehouse_core::Verification::Broken { line, .. } => Some(convert::count(line)),
    };
    Ok(AuditVerdict {
        intact: line.is_none(),
        line,
        message: verdict.describe(),
    })
}

#[tauri::command]
#[tracing::instrument(
    name = "command",
    skip_all,
    fields(command = "export_audit"),
    err(Display, level = "debug")
)]
pub async fn export_audit<R: Runtime>(
    req: ExportAudit,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Option<Exported>, Failure> {
    let Some((path, format)) = export_target(&app, req.path, "audit-log", req.format) else {
        return Ok(None);
    };
    let mut buffer = Vec::new();
    let rows = state
        .core
        .export_audit(convert::audit_filter(req.filter), format, &mut buffer)
        .await?;
    write_export(&path, &buffer, rows).map(Some)
}
