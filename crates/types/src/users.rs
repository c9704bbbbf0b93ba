//! The Users table: a query, and the window of rows it answers.

use crate::AppRef;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserColumn {
    Handle,
    UserName,
    Status,
    Onboarding,
    #[default]
    CreatedAt,
    LastLogin,
    LoginProvider,
}

impl UserColumn {
    pub const ALL: [UserColumn; 7] = [
        UserColumn::Handle,
        UserColumn::UserName,
        UserColumn::Status,
        UserColumn::Onboarding,
        UserColumn::CreatedAt,
        UserColumn::LastLogin,
        UserColumn::LoginProvider,
    ];

    /// The column header.
    pub fn title(self) -> &'static str {
        match self {
            UserColumn::Handle => "Handle",
            UserColumn::UserName => "User name",
            UserColumn::Status => "Status",
            UserColumn::Onboarding => "Onboarding",
            UserColumn::CreatedAt => "Created",
            UserColumn::LastLogin => "Last login",
            UserColumn::LoginProvider => "Login provider",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Suspended,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Suspended => "suspended",
        }
    }
}

/// How the user came in (derived by handle from invites and signups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Onboarding {
    Invite,
    Signup,
    Admin,
    Other,
}

impl Onboarding {
    pub fn label(self) -> &'static str {
        match self {
            Onboarding::Invite => "invitation",
            Onboarding::Signup => "signup",
            Onboarding::Admin => "added by admin",
            Onboarding::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnonymousFilter {
    #[default]
    Include,
    Exclude,
    Only,
}

/// A date range in Unix milliseconds; either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LastLoginFilter {
    #[default]
    Any,
    Never,
    Within(Range),
}

/// The findings of the Insights tab that no column filter expresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum UserFinding {
    /// Handles equal after case folding, without a `+tag`, without dots in a Gmail
    /// local part, or after folding confusable characters.
    NearDuplicateHandles,
    /// Users lacking one of these metadata paths (the app's required fields).
    MissingMetadata { paths: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserFilter {
    /// Literal, case-insensitive substring of handle, user name or metadata values.
    pub text: String,
    pub status: Option<UserStatus>,
    pub onboarding: Option<Onboarding>,
    pub anonymous: AnonymousFilter,
    pub created: Range,
    pub last_login: LastLoginFilter,
    /// Only the users the last sync found new or changed.
    #[serde(default)]
    pub changed_since_last_sync: bool,
    /// Only the users an Insights finding names.
    #[serde(default)]
    pub finding: Option<UserFinding>,
    pub sort: UserColumn,
    pub descending: bool,
}

impl Default for UserFilter {
    fn default() -> Self {
        Self {
            text: String::new(),
            status: None,
            onboarding: None,
            anonymous: AnonymousFilter::Include,
            created: Range::default(),
            last_login: LastLoginFilter::Any,
            changed_since_last_sync: false,
            finding: None,
            sort: UserColumn::CreatedAt,
            descending: true,
        }
    }
}

/// `query_users`: a window of the cached users matching `filter`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryUsers {
    #[serde(flatten)]
    pub app: AppRef,
    pub filter: UserFilter,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub id: String,
    pub handle: String,
    pub user_name: String,
    pub status: UserStatus,
    pub onboarding: Onboarding,
    pub created_at: i64,
    pub last_login: Option<i64>,
    pub login_provider: String,
}

/// A window of rows: `offset` echoes the request so a late answer can be placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub offset: u32,
    /// Every row in the list.
    pub total: u32,
    /// The rows matching the filter.
    pub matching: u32,
}

/// The Users table's layout, remembered between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableLayout {
    pub hidden_columns: Vec<UserColumn>,
}

/// `load_layout`: the remembered layout (the default when none is saved).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LoadLayout {}

/// `save_layout`: remembers the layout.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveLayout {
    pub layout: TableLayout,
}

/// `query_near_duplicates`: the first groups of cached users whose handles are near
/// duplicates (each group's handles sorted), and how many there are.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryNearDuplicates {
    #[serde(flatten)]
    pub app: AppRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearDuplicates {
    pub groups: Vec<Vec<String>>,
    pub total_groups: u32,
    pub users: u32,
}
