//! From the client's wire records to the cache's records and core's app summary.
//!
//! What the cache must not hold is dropped here: invitation codes become empty, and of
//! a signup code only "0 or not" survives (onboarding needs no more). Both codes let
//! whoever reads them register as someone else.

use cosync_client as wire;
use gatehouse_cache as cache;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// An app as Gatehouse shows it: its settings, without its token or keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSummary {
    /// 32 lower-case hex characters.
    pub app_id: String,
    pub name: String,
    /// `active`, `inactive` or `migrated`.
    pub status: String,
    /// When false the JWT users of this app are not shown.
    pub jwt_enabled: bool,
    pub signup_enabled: bool,
    pub invitation_enabled: bool,
    /// `code`, `link` or `none`.
    pub signup_flow: String,
    pub anonymous_login_enabled: bool,
    pub user_names_enabled: bool,
    /// `none`, `google` or `phone`.
    pub two_factor_verification: String,
    /// Whether the `password_min_*` rules apply (else a minimum of 5 characters).
    pub password_filter: bool,
    pub password_min_length: Option<i64>,
    pub password_min_upper: Option<i64>,
    pub password_min_lower: Option<i64>,
    pub password_min_digit: Option<i64>,
    pub password_min_special: Option<i64>,
    /// The users' metadata fields.
    pub meta_data: Vec<wire::MetaDataField>,
    pub locales: Vec<String>,
}

impl From<&wire::App> for AppSummary {
    fn from(app: &wire::App) -> Self {
        AppSummary {
            app_id: app.app_id.clone(),
            name: app.name.clone(),
            status: app.status.as_wire().to_owned(),
            jwt_enabled: app.jwt_enabled.unwrap_or(true),
            signup_enabled: app.signup_enabled.unwrap_or(false),
            invitation_enabled: app.invitation_enabled.unwrap_or(false),
            signup_flow: app.signup_flow.as_wire().to_owned(),
            anonymous_login_enabled: app.anonymous_login_enabled.unwrap_or(false),
            user_names_enabled: app.user_names_enabled.unwrap_or(false),
            two_factor_verification: app
                .two_factor_verification
                .clone()
                .unwrap_or_else(|| "none".into()),
            password_filter: app.password_filter.unwrap_or(false),
            password_min_length: app.password_min_length,
            password_min_upper: app.password_min_upper,
            password_min_lower: app.password_min_lower,
            password_min_digit: app.password_min_digit,
            password_min_special: app.password_min_special,
            meta_data: app.meta_data.clone(),
            locales: app.locales.clone(),
        }
    }
}

/// Unix milliseconds of a wire time; an absent time is the epoch.
pub(crate) fn millis(t: Option<OffsetDateTime>) -> Option<i64> {
    t.map(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0))
}

pub(crate) fn user(u: wire::User) -> cache::User {
    let created = millis(u.created_at).unwrap_or(0);
    cache::User {
        id: u.id,
        handle: u.handle,
        user_name: u.user_name.unwrap_or_default(),
        status: u.status.as_wire().to_owned(),
        locale: u.locale.unwrap_or_default(),
        login_provider: u.login_provider.unwrap_or_default(),
        meta_data: Value::Object(u.meta_data),
        created_at: created,
        updated_at: millis(u.updated_at).unwrap_or(created),
        last_login: millis(u.last_login),
    }
}

pub(crate) fn invite(i: wire::Invite) -> cache::Invite {
    cache::Invite {
        id: i.id,
        handle: i.handle,
        sender_handle: i.sender_handle.unwrap_or_default(),
        sender_user_id: i.sender_user_id.unwrap_or_default(),
        status: i.status.as_wire().to_owned(),
        code: String::new(),
        meta_data: Value::Object(i.meta_data),
        created_at: millis(i.created_at).unwrap_or(0),
    }
}

pub(crate) fn signup(s: wire::Signup) -> cache::Signup {
    cache::Signup {
        // Only "added by an administrator or not" is kept: see the module header.
        code: if s.is_admin_created() { 0 } else { 1 },
        id: s.id,
        handle: s.handle,
        status: s.status.as_wire().to_owned(),
        meta_data: Value::Object(s.meta_data),
        created_at: millis(s.created_at).unwrap_or(0),
    }
}
