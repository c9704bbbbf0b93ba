//! Users, invitations, signups and log entries, and the pages that carry them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::lenient;
use super::{InviteStatus, SignupStatus, UserStatus};

/// A JWT user of an app. Carries no secret field: see the module header.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// 24 hex characters, increasing in creation order. Status and password changes
    /// address the user by this id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Lower-cased e-mail, a user name, or `ANON_<uuid>`. Delete and metadata changes
    /// address the user by handle.
    pub handle: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub user_name: Option<String>,
    #[serde(default)]
    pub status: UserStatus,
    #[serde(default, deserialize_with = "lenient::string")]
    pub locale: Option<String>,
    /// `""`/`email`, `apple` or `google`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub login_provider: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub two_factor_phone_verification: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub two_factor_google_verification: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub phone_verified: Option<bool>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub meta_data: Map<String, Value>,
    /// Absent until the first login.
    #[serde(default, deserialize_with = "lenient::date")]
    pub last_login: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub updated_at: Option<OffsetDateTime>,
}

impl User {
    /// Whether this is an anonymous user (`ANON_<uuid>`).
    pub fn is_anonymous(&self) -> bool {
        self.handle.starts_with("ANON_")
    }
}

/// An invitation to join an app.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    #[serde(rename = "_id")]
    pub id: String,
    /// The invitee.
    pub handle: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub app_id: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub sender_handle: Option<String>,
    /// `"superuser"` for invitations issued from a portal.
    #[serde(default, deserialize_with = "lenient::string")]
    pub sender_user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub meta_data: Map<String, Value>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub code: Option<i64>,
    #[serde(default)]
    pub status: InviteStatus,
    #[serde(default, deserialize_with = "lenient::date")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub updated_at: Option<OffsetDateTime>,
}

/// A signup record (also written, with code 0, when an administrator adds a user).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signup {
    #[serde(rename = "_id")]
    pub id: String,
    pub handle: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub app_id: String,
    /// Six digits; `0` for users an administrator added.
    #[serde(default, deserialize_with = "lenient::int")]
    pub code: Option<i64>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub meta_data: Map<String, Value>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub locale: Option<String>,
    #[serde(default)]
    pub status: SignupStatus,
    #[serde(default, deserialize_with = "lenient::date")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub updated_at: Option<OffsetDateTime>,
}

impl Signup {
    /// Whether an administrator created this user (`addUser`), as the onboarding rule
    /// of the spec reads it.
    pub fn is_admin_created(&self) -> bool {
        self.code == Some(0)
    }
}

/// One page of users (`stat`, target `users`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    /// The users this client could read.
    #[serde(deserialize_with = "lenient::records")]
    pub users: Readable<User>,
    /// Users this filter lists, over all pages.
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_user: u64,
    /// Anonymous users of the app.
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_anon_user: u64,
}

/// One page of invitations (`stat`, target `invites`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitesPage {
    #[serde(deserialize_with = "lenient::records")]
    pub invites: Readable<Invite>,
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_invite: u64,
}

/// One page of signups (`stat`, target `signups`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupsPage {
    #[serde(deserialize_with = "lenient::records")]
    pub signups: Readable<Signup>,
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_signup: u64,
}

/// The records of a page that could be read, and the ones that could not. One record
/// with a broken identity (an `_id` that is not text, a null handle) must not make the
/// whole list unreadable forever: it is set aside, named, and the rest is kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Readable<T> {
    pub records: Vec<T>,
    pub unreadable: Vec<Unreadable>,
}

impl<T> std::ops::Deref for Readable<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.records
    }
}

impl<T> IntoIterator for Readable<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    /// The readable records.
    fn into_iter(self) -> Self::IntoIter {
        self.records.into_iter()
    }
}

/// A record of a list page that this client could not read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unreadable {
    /// Its `_id` as the host wrote it (JSON text when it is not a string), or its
    /// position on the page when it has none.
    pub id: String,
    /// Why it could not be read.
    pub detail: String,
}

/// The answer of `createAppInvite`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CreatedInvites {
    /// The invitations created, status `pending`.
    pub invites: Vec<Invite>,
    /// Handles skipped because a user or an invitation already existed.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub exists: Vec<String>,
}

/// A metadata value to set at a path (`addedMetadata` of `updateAppUserMetaData`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddedMetadata {
    /// Dot notation: `profile.team`.
    pub path: String,
    pub value: Value,
}

/// One entry of an app's activity log.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub app_id: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub handle: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub action: String,
    /// `success` or `error`.
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub status: String,
    /// `app` or `user`.
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub log_type: String,
    #[serde(default)]
    pub value: Value,
    #[serde(default, deserialize_with = "lenient::date")]
    pub created_at: Option<OffsetDateTime>,
}

/// One page of the activity log, newest first.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsPage {
    pub logs: Vec<LogEntry>,
    /// Entries matching the query, over all pages.
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_log: u64,
}

/// Which log entries to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogType {
    App,
    User,
    #[default]
    All,
}

/// Which outcome of logged actions to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogStatus {
    Success,
    Error,
    #[default]
    All,
}

/// A query of `logs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    /// Page index, 0-based.
    pub page: u32,
    /// Entries per page; the host raises anything below 25 to 25.
    pub limit: u32,
    pub log_type: LogType,
    pub status: LogStatus,
    pub from_date: Option<OffsetDateTime>,
    pub to_date: Option<OffsetDateTime>,
    /// Only this action (e.g. `addUser`).
    pub filter_action: Option<String>,
}

impl Default for LogQuery {
    fn default() -> Self {
        Self {
            page: 0,
            limit: 100,
            log_type: LogType::All,
            status: LogStatus::All,
            from_date: None,
            to_date: None,
            filter_action: None,
        }
    }
}

impl LogType {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::User => "user",
            Self::All => "all",
        }
    }
}

impl LogStatus {
    pub(crate) fn as_wire(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Error => "error",
            Self::All => "all",
        }
    }
}
