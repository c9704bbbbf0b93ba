//! The records the cache stores: its own types, converted from the host's by the caller.
//!
//! No record has a field for a secret (token, key, password, two-factor code): the cache
//! cannot store what it has no column for.

use serde_json::Value;

/// A JWT user of an app.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// The host's `_id`.
    pub id: String,
    /// The login handle: an e-mail, a user name or `ANON_<uuid>`.
    pub handle: String,
    /// The display name.
    pub user_name: String,
    /// `active` or `suspend` as the host sends it; anything but `active` counts as suspended.
    pub status: String,
    /// The user's locale, e.g. `EN`.
    pub locale: String,
    /// `""`, `email`, `apple` or `google`.
    pub login_provider: String,
    /// The app-defined metadata object.
    pub meta_data: Value,
    /// Creation time, unix milliseconds.
    pub created_at: i64,
    /// Last change, unix milliseconds.
    pub updated_at: i64,
    /// Last login, unix milliseconds; `None` until the first login.
    pub last_login: Option<i64>,
}

impl User {
    /// Whether the host lets this user log in (status exactly `active`).
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    /// Whether this is an anonymous user (handle starts with `ANON_`).
    pub fn is_anonymous(&self) -> bool {
        self.handle.starts_with(ANON_PREFIX)
    }
}

/// The handle prefix of anonymous users.
pub const ANON_PREFIX: &str = "ANON_";

/// An invitation to join an app.
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    /// The host's `_id`.
    pub id: String,
    /// The invitee's handle.
    pub handle: String,
    /// The sender's handle.
    pub sender_handle: String,
    /// The sender's user id (`superuser` for invites sent from the portal).
    pub sender_user_id: String,
    /// `pending` or `verified` (accepted) as the host sends it.
    pub status: String,
    /// The invitation code.
    pub code: String,
    /// The metadata given with the invitation.
    pub meta_data: Value,
    /// Creation time, unix milliseconds.
    pub created_at: i64,
}

/// A signup (self-registration, or an admin-created user with code 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Signup {
    /// The host's `_id`.
    pub id: String,
    /// The handle that signed up.
    pub handle: String,
    /// The verification code; 0 for users added by an administrator.
    pub code: i64,
    /// `pending`, `verified` or `active` as the host sends it.
    pub status: String,
    /// The metadata given at signup.
    pub meta_data: Value,
    /// Creation time, unix milliseconds.
    pub created_at: i64,
}

/// How a user came in, derived from invites and signups by handle (portal API §4).
///
/// Declared in order of name, which is the order the onboarding column sorts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Onboarding {
    /// Added by an administrator (a signup with code 0).
    Admin,
    /// Accepted an invitation (an invite with status `verified`).
    Invite,
    /// None of the others: anonymous and social users.
    Other,
    /// Signed up (a signup with a code other than 0).
    Signup,
}

impl Onboarding {
    pub(crate) fn to_u8(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_u8(v: u8) -> Onboarding {
        match v {
            0 => Onboarding::Admin,
            1 => Onboarding::Invite,
            3 => Onboarding::Signup,
            _ => Onboarding::Other,
        }
    }

    /// The lower-case name used by the CLI and the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Onboarding::Admin => "admin",
            Onboarding::Invite => "invite",
            Onboarding::Other => "other",
            Onboarding::Signup => "signup",
        }
    }

    /// Derives onboarding from what is known of the handle's invites and signups:
    /// a verified invite wins, then a signup (code 0 meaning an administrator).
    pub fn derive(has_verified_invite: bool, signup_code: Option<i64>) -> Onboarding {
        match (has_verified_invite, signup_code) {
            (true, _) => Onboarding::Invite,
            (false, Some(0)) => Onboarding::Admin,
            (false, Some(_)) => Onboarding::Signup,
            (false, None) => Onboarding::Other,
        }
    }
}

/// A user row of a query answer: the stored user plus its derived onboarding.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// The stored user.
    pub user: User,
    /// How the user came in.
    pub onboarding: Onboarding,
}

/// The three lists a sync fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// JWT users.
    Users,
    /// Invitations.
    Invites,
    /// Signups.
    Signups,
}

impl ListKind {
    /// All lists, in sync order.
    pub const ALL: [ListKind; 3] = [ListKind::Users, ListKind::Invites, ListKind::Signups];

    pub(crate) fn table(self) -> &'static str {
        match self {
            ListKind::Users => "users",
            ListKind::Invites => "invites",
            ListKind::Signups => "signups",
        }
    }
}
