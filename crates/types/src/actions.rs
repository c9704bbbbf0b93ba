//! Actions on users: each goes to the host first, then updates the cached row.

use crate::AppRef;
use crate::SecretInput;
use serde::{Deserialize, Serialize};

/// `set_user_status`: suspend (`active: false`) or activate a user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUserStatus {
    #[serde(flatten)]
    pub app: AppRef,
    pub user_id: String,
    pub active: bool,
}

/// `delete_user`: deletes the user (and its signup and invitation) on the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteUser {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
}

/// `reset_password`: sets `password`, or a generated strong one when `None`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetPassword {
    #[serde(flatten)]
    pub app: AppRef,
    pub user_id: String,
    pub password: Option<SecretInput>,
}

/// `generate_password`: a strong password for the reset dialog's `Generate`, to show in
/// its field; nothing is sent to a host.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratePassword {}

/// The new password, shown once so the administrator can pass it on; the host also
/// e-mails it to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordReset {
    pub password: String,
}

/// `add_user`: creates a user, then sets its metadata (a JSON object).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddUser {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
    pub password: SecretInput,
    /// The metadata object as JSON text; empty for none.
    pub meta_data: String,
}

/// `query_user_metadata`: the cached metadata of a user, as pretty JSON text.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryUserMetadata {
    #[serde(flatten)]
    pub app: AppRef,
    pub user_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub handle: String,
    /// The metadata object as JSON text.
    pub json: String,
}

/// `update_metadata`: replaces a user's metadata with a JSON object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMetadata {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
    pub json: String,
}

/// `query_deleted_users`: the users of an app deleted from this computer in the last 30 days,
/// newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryDeletedUsers {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedUserRow {
    pub handle: String,
    pub user_name: String,
    /// `active` or `suspended`.
    pub status: String,
    pub onboarding: String,
    /// Unix milliseconds.
    pub deleted_at: i64,
    pub created_at: i64,
    /// The metadata, as JSON text.
    pub meta_data: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedUsers {
    pub rows: Vec<DeletedUserRow>,
    /// What restoring cannot bring back, in words.
    pub not_restored: String,
}

/// `restore_user`: adds a deleted user again (new password e-mailed, metadata, status).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreUser {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
}
