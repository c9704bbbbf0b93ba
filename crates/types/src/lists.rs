//! The Invitations and Signups tabs, and exporting any tab.

use crate::AppRef;
use crate::users::{Page, UserFilter};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryInvites {
    #[serde(flatten)]
    pub app: AppRef,
    pub text: String,
    /// `None` for both.
    pub status: Option<InviteStatus>,
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
    pub status: InviteStatus,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuerySignups {
    #[serde(flatten)]
    pub app: AppRef,
    pub text: String,
    /// `None` for every signup.
    pub status: Option<SignupFilter>,
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
    pub status: SignupStatus,
    pub created_at: i64,
}

/// An invitation's status as the Invitations tab shows it and filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InviteStatus {
    /// Not accepted yet.
    Pending,
    /// Accepted: the host's `verified`, which the portal shows as active.
    Active,
}

/// A signup's status as the host records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignupStatus {
    /// A code or link was sent and not used yet.
    Pending,
    /// Completed by the end user.
    Verified,
    /// Created without verification (the record of a user an administrator added).
    Active,
}

/// What the Signups tab filters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignupFilter {
    Pending,
    /// Completed by the end user: neither pending nor added by an administrator.
    Completed,
    /// The records the host writes (code 0) for users an administrator added.
    AddedByAdmin,
}

/// The name a status has on the wire, which the window also uses as a select's value.
macro_rules! wire_names {
    ($($kind:ident { $($variant:ident = $name:literal),+ })+) => {$(
        impl $kind {
            pub const ALL: &[$kind] = &[$($kind::$variant),+];

            pub fn wire_name(self) -> &'static str {
                match self {
                    $($kind::$variant => $name),+
                }
            }

            pub fn from_wire_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|kind| kind.wire_name() == name)
            }
        }
    )+};
}

wire_names! {
    InviteStatus { Pending = "pending", Active = "active" }
    SignupStatus { Pending = "pending", Verified = "verified", Active = "active" }
    SignupFilter { Pending = "pending", Completed = "completed", AddedByAdmin = "addedByAdmin" }
}

/// `create_invites`: invites one or many handles (comma, space or line separated).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvites {
    #[serde(flatten)]
    pub app: AppRef,
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
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeInvite {
    #[serde(flatten)]
    pub app: AppRef,
    pub handle: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveSignup {
    #[serde(flatten)]
    pub app: AppRef,
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
    #[serde(flatten)]
    pub app: AppRef,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The select values of the window are the wire names: a status must read back as
    /// itself both ways.
    #[test]
    fn wire_names_are_the_serialized_names() {
        fn check<T: Serialize + Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            name: impl Fn(T) -> &'static str,
            parse: impl Fn(&str) -> Option<T>,
        ) {
            for &status in all {
                let json = serde_json::to_string(&status).unwrap();
                assert_eq!(json, format!("\"{}\"", name(status)));
                assert_eq!(parse(name(status)), Some(status));
            }
        }
        check(
            InviteStatus::ALL,
            InviteStatus::wire_name,
            InviteStatus::from_wire_name,
        );
        check(
            SignupStatus::ALL,
            SignupStatus::wire_name,
            SignupStatus::from_wire_name,
        );
        check(
            SignupFilter::ALL,
            SignupFilter::wire_name,
            SignupFilter::from_wire_name,
        );
        assert_eq!(InviteStatus::from_wire_name("verified"), None);
    }
}
