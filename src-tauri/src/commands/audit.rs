//! The audit log view: entries, verification, export. Nothing here asks a host.

use crate::AppState;
use crate::commands::lists::{export_target, exported};
use crate::convert::{self, Failure};
use gatehouse_command::command;
use gatehouse_types::{AuditPage, AuditVerdict, ExportAudit, Exported, QueryAudit, VerifyAudit};
use tauri::{AppHandle, Runtime, State};

#[command]
pub async fn query_audit(
    req: QueryAudit,
    state: State<'_, AppState>,
) -> Result<AuditPage, Failure> {
    let limit = req.limit.min(convert::MAX_WINDOW) as usize;
    let filter = convert::audit_filter(req.filter);
    let offset = req.offset as usize;
    let window = state.core.query_audit(filter, offset, limit).await?;
    let path = state.core.audit_log().path().display().to_string();
    Ok(convert::audit_page(window, req.offset, path))
}

#[command]
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

#[command]
pub async fn export_audit<R: Runtime>(
    req: ExportAudit,
    state: State<'_, AppState>,
    app: AppHandle<R>,
) -> Result<Option<Exported>, Failure> {
    let Some((path, format)) = export_target(&app, req.path, "audit-log", req.format).await? else {
        return Ok(None);
    };
    let filter = convert::audit_filter(req.filter);
    let rows = (state.core.export_audit(filter, format, path.clone())).await?;
    Ok(Some(exported(&path, rows)))
}
