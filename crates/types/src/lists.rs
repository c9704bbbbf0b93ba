//! The Invitations and Signups tabs, and exporting any tab.

use crate::users::{Page, UserFilter};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryInvites {
    pub host_id: String,
    pub app_id: String,
    pub text: String,
    /// `pending` or `active` (the host's `verified`); `None` for both.
    pub status: Option<String>,
    /// Only invitations sent at or before this time (Unix milliseconds).
    #[serde(default)]
    pub created_before: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteRow {
    pub id: String,
    pub handle: String,
    pub sender: String,
    /// `pending` or `active`.
    pub status: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySignups {
    pub host_id: String,
    pub app_id: String,
    pub text: String,
    pub status: Option<String>,
    /// Only signups started at or before this time (Unix milliseconds).
    #[serde(default)]
    pub created_before: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupRow {
    pub id: String,
    pub handle: String,
    /// `pending`, `verified` or `active`.
    pub status: String,
    pub created_at: i64,
}

/// `create_invites`: invites one or many handles (comma, space or line separated).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvites {
    pub host_id: String,
    pub app_id: String,
    pub handles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitesCreated {
    pub invited: Vec<String>,
    /// Skipped because a user or an invitation already exists.
    pub skipped: Vec<String>,
}

/// `resend_invite` / `revoke_invite` / `remove_signup`: one record, by handle.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResendInvite {
    pub host_id: String,
    pub app_id: String,
    pub handle: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeInvite {
    pub host_id: String,
    pub app_id: String,
    pub handle: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveSignup {
    pub host_id: String,
    pub app_id: String,
    pub handle: String,
    pub signup_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// `export_users`: writes every user matching `filter`, in its sort, to `path`; with no
/// path the native save dialog asks for one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportUsers {
    pub host_id: String,
    pub app_id: String,
    pub filter: UserFilter,
    pub format: ExportFormat,
    pub path: Option<String>,
}

/// How many rows were written, and where; `None` when the user cancelled the dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub rows: u32,
    pub path: String,
}

pub type InvitesPage = Page<InviteRow>;
pub type SignupsPage = Page<SignupRow>;
