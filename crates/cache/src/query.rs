//! The query types of the three lists, and the one definition of user filtering and
//! ordering that the index, its overlay and the tests share.

use std::cmp::Ordering;

use crate::findings::UserSet;
use crate::index::{Cols, NEVER};
use crate::records::Onboarding;

/// A user status filter. The host knows `active` and `suspend`; anything but `active`
/// counts as suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Only users whose status is `active`.
    Active,
    /// Only users whose status is anything else.
    Suspended,
}

/// What to do with anonymous users (handle starting with `ANON_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anonymous {
    /// List them with the others.
    #[default]
    Include,
    /// Leave them out.
    Exclude,
    /// List only them.
    Only,
}

/// An inclusive range of unix-millisecond times; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeRange {
    /// The earliest time included.
    pub from: Option<i64>,
    /// The latest time included.
    pub to: Option<i64>,
}

impl TimeRange {
    /// Whether `t` lies in the range.
    pub fn contains(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t <= e)
    }
}

/// A filter on the last login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LastLogin {
    /// No filter.
    #[default]
    Any,
    /// Users who never logged in.
    Never,
    /// Users whose last login lies in the range.
    Within(TimeRange),
    /// Users whose last login lies in the range, and those who never logged in.
    WithinOrNever(TimeRange),
}

/// A column the users table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserColumn {
    /// By Unicode-lower-cased handle.
    #[default]
    Handle,
    /// By Unicode-lower-cased user name.
    UserName,
    /// Active before suspended.
    Status,
    /// By onboarding name: admin, invite, other, signup.
    Onboarding,
    /// By creation time.
    CreatedAt,
    /// By last login, "never" before any time.
    LastLogin,
    /// By lower-cased login provider.
    LoginProvider,
}

impl UserColumn {
    /// The column of a wire name (`handle`, `userName`, `status`, `onboarding`,
    /// `createdAt`, `lastLogin`, `loginProvider`).
    pub fn from_wire_name(name: &str) -> Option<UserColumn> {
        Some(match name {
            "handle" => UserColumn::Handle,
            "userName" => UserColumn::UserName,
            "status" => UserColumn::Status,
            "onboarding" => UserColumn::Onboarding,
            "createdAt" => UserColumn::CreatedAt,
            "lastLogin" => UserColumn::LastLogin,
            "loginProvider" => UserColumn::LoginProvider,
            _ => return None,
        })
    }
}

/// A query over the users of one app.
///
/// Order: the sort column, then the user id, so that every order is total and stable;
/// `descending` is the exact reverse of that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    /// A literal, case-insensitive (Unicode lower-case) substring of the handle, the user
    /// name, or any string or number in the metadata. Empty matches everything.
    pub text: String,
    /// Keep only active or only suspended users.
    pub status: Option<StatusFilter>,
    /// Keep only users who came in this way.
    pub onboarding: Option<Onboarding>,
    /// Anonymous users: include, exclude or only.
    pub anonymous: Anonymous,
    /// Keep only users created in this range.
    pub created: Option<TimeRange>,
    /// A filter on the last login.
    pub last_login: LastLogin,
    /// Keep only the users the last sync found new or changed (the change feed).
    pub changed_since_last_sync: bool,
    /// Keep only the users a finding names.
    pub set: Option<UserSet>,
    /// The sort column.
    pub sort: UserColumn,
    /// Reverse the order.
    pub descending: bool,
    /// How many matching rows to skip.
    pub offset: usize,
    /// How many rows to return at most (0 returns only the counts).
    pub limit: usize,
}

impl Default for UserQuery {
    fn default() -> Self {
        UserQuery {
            text: String::new(),
            status: None,
            onboarding: None,
            anonymous: Anonymous::Include,
            created: None,
            last_login: LastLogin::Any,
            changed_since_last_sync: false,
            set: None,
            sort: UserColumn::Handle,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

impl UserQuery {
    /// Whether a row passes every filter except the text search.
    pub(crate) fn passes(&self, c: &Cols<'_>) -> bool {
        self.passes_parts(c.active, c.onboarding, c.anon, c.created, c.last_login)
    }

    pub(crate) fn passes_parts(
        &self,
        active: bool,
        onboarding: u8,
        anon: bool,
        created: i64,
        last_login: i64,
    ) -> bool {
        let status_ok = match self.status {
            None => true,
            Some(StatusFilter::Active) => active,
            Some(StatusFilter::Suspended) => !active,
        };
        let anon_ok = match self.anonymous {
            Anonymous::Include => true,
            Anonymous::Exclude => !anon,
            Anonymous::Only => anon,
        };
        let login_ok = match self.last_login {
            LastLogin::Any => true,
            LastLogin::Never => last_login == NEVER,
            LastLogin::Within(r) => last_login != NEVER && r.contains(last_login),
            LastLogin::WithinOrNever(r) => last_login == NEVER || r.contains(last_login),
        };
        status_ok
            && anon_ok
            && login_ok
            && self.onboarding.is_none_or(|o| o.to_u8() == onboarding)
            && self.created.is_none_or(|r| r.contains(created))
    }
}

/// The ascending total order of a column: the column, then the id.
pub(crate) fn compare(col: UserColumn, a: &Cols<'_>, b: &Cols<'_>) -> Ordering {
    let primary = match col {
        UserColumn::Handle => a.handle.cmp(b.handle),
        UserColumn::UserName => a.name.cmp(b.name),
        UserColumn::Status => b.active.cmp(&a.active),
        UserColumn::Onboarding => a.onboarding.cmp(&b.onboarding),
        UserColumn::CreatedAt => a.created.cmp(&b.created),
        UserColumn::LastLogin => a.last_login.cmp(&b.last_login),
        UserColumn::LoginProvider => a.provider.cmp(b.provider),
    };
    primary.then_with(|| a.id.cmp(b.id))
}

/// One window of a list: the rows asked for and the counts the UI shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Window<T> {
    /// The rows from `offset`, at most `limit`.
    pub rows: Vec<T>,
    /// How many records the list holds.
    pub total: usize,
    /// How many records match the query's text and filters.
    pub matching: usize,
}

/// An invitation status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteStatus {
    /// Not accepted yet.
    Pending,
    /// Accepted (shown as "active").
    Verified,
}

/// A column the invitations table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InviteColumn {
    /// By invitee handle.
    #[default]
    Handle,
    /// By sender handle.
    Sender,
    /// By status.
    Status,
    /// By creation time.
    CreatedAt,
}

/// A query over the invitations of one app; ordered by the column, then the id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InviteQuery {
    /// A literal, case-insensitive substring of the invitee or sender handle or of a
    /// metadata value. Empty matches everything.
    pub text: String,
    /// Keep only this status.
    pub status: Option<InviteStatus>,
    /// Keep only invitations created at or before this time (unix milliseconds).
    pub created_before: Option<i64>,
    /// The sort column.
    pub sort: InviteColumn,
    /// Reverse the order.
    pub descending: bool,
    /// How many matching rows to skip.
    pub offset: usize,
    /// How many rows to return at most.
    pub limit: usize,
}

/// A signup status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupStatus {
    /// A code or link was sent.
    Pending,
    /// Completed.
    Verified,
    /// Created without verification.
    Active,
    /// Completed by the end user: not pending, and not a record of a user an
    /// administrator added.
    Completed,
    /// The record the host writes (code 0) for a user an administrator added.
    AddedByAdmin,
}

/// A column the signups table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignupColumn {
    /// By handle.
    #[default]
    Handle,
    /// By status.
    Status,
    /// By creation time.
    CreatedAt,
}

/// A query over the signups of one app; ordered by the column, then the id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignupQuery {
    /// A literal, case-insensitive substring of the handle or of a metadata value.
    /// Empty matches everything.
    pub text: String,
    /// Keep only this status.
    pub status: Option<SignupStatus>,
    /// Keep only signups started at or before this time (unix milliseconds).
    pub created_before: Option<i64>,
    /// The sort column.
    pub sort: SignupColumn,
    /// Reverse the order.
    pub descending: bool,
    /// How many matching rows to skip.
    pub offset: usize,
    /// How many rows to return at most.
    pub limit: usize,
}
