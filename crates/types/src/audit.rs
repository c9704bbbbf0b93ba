//! The audit log view: every change sent from this data folder, by the app or the CLI.

use serde::{Deserialize, Serialize};

use crate::lists::ExportFormat;
use crate::users::Page;

/// What a change was. The names are the log's and the CLI's (`add-user`, `suspend` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    AddUser,
    DeleteUser,
    Suspend,
    Activate,
    ResetPassword,
    EditMetadata,
    Invite,
    ResendInvite,
    RevokeInvite,
    RemoveSignup,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::AddUser,
        AuditAction::DeleteUser,
        AuditAction::Suspend,
        AuditAction::Activate,
        AuditAction::ResetPassword,
        AuditAction::EditMetadata,
        AuditAction::Invite,
        AuditAction::ResendInvite,
        AuditAction::RevokeInvite,
        AuditAction::RemoveSignup,
    ];

    /// As shown in the view.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::AddUser => "Add user",
            AuditAction::DeleteUser => "Delete user",
            AuditAction::Suspend => "Suspend",
            AuditAction::Activate => "Activate",
            AuditAction::ResetPassword => "Reset password",
            AuditAction::EditMetadata => "Edit metadata",
            AuditAction::Invite => "Invite",
            AuditAction::ResendInvite => "Resend invitation",
            AuditAction::RevokeInvite => "Revoke invitation",
            AuditAction::RemoveSignup => "Remove signup",
        }
    }
}

/// How a change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutcome {
    /// The host said it was done.
    Done,
    /// The host answered and refused it.
    Refused,
    /// It never reached the host.
    Failed,
    /// Sent, and no answer came: it may or may not have been applied.
    Unknown,
}

impl AuditOutcome {
    pub const ALL: [AuditOutcome; 4] = [
        AuditOutcome::Done,
        AuditOutcome::Refused,
        AuditOutcome::Failed,
        AuditOutcome::Unknown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AuditOutcome::Done => "done",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Failed => "failed",
            AuditOutcome::Unknown => "unknown",
        }
    }
}

/// Which entries to show; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    /// A host's URL.
    pub host: Option<String>,
    /// An app's id.
    pub app: Option<String>,
    pub action: Option<AuditAction>,
    pub outcome: Option<AuditOutcome>,
    /// From this time on, unix milliseconds.
    pub since: Option<i64>,
    /// Before this time, unix milliseconds.
    pub until: Option<i64>,
    /// Part of a handle, any case.
    pub handle: String,
}

/// `query_audit`: a window of the entries `filter` keeps, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryAudit {
    pub filter: AuditFilter,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub seq: u64,
    /// Unix milliseconds.
    pub at: i64,
    pub os_user: String,
    pub machine: String,
    /// `app` or `cli`.
    pub interface: String,
    pub host: String,
    pub host_name: String,
    pub app: String,
    pub app_name: String,
    pub action: AuditAction,
    pub targets: Vec<String>,
    pub outcome: AuditOutcome,
    pub message: Option<String>,
    pub duration_ms: u64,
}

/// A host or an app named in the log, for the view's pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub page: Page<AuditRow>,
    /// Every host and app the log names, for the pickers.
    pub hosts: Vec<Named>,
    pub apps: Vec<Named>,
    /// Where the log is.
    pub path: String,
}

/// `verify_audit`: checks every entry against its hash and the one before it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAudit {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerdict {
    pub intact: bool,
    /// The first line that does not hold (1-based).
    pub line: Option<u32>,
    /// What was found, in words.
    pub message: String,
}

/// `export_audit`: every entry `filter` keeps, newest first, to `path` (or a save
/// dialog's choice).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportAudit {
    pub filter: AuditFilter,
    pub format: ExportFormat,
    pub path: Option<String>,
}
