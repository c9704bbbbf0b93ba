//! The app record and the inputs that change it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::lenient;
use super::{AppStatus, SignupFlow};

/// An application on the host.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    /// 32 lower-case hex characters.
    pub app_id: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub name: String,
    #[serde(default)]
    pub status: AppStatus,
    /// When false the portal hides the JWT users of this app.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub jwt_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub signup_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub invitation_enabled: Option<bool>,
    #[serde(default)]
    pub signup_flow: SignupFlow,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub anonymous_login_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub user_names_enabled: Option<bool>,
    /// `none`, `google` or `phone`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub two_factor_verification: Option<String>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub password_filter: Option<bool>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub password_min_length: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub password_min_upper: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub password_min_lower: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub password_min_digit: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub password_min_special: Option<i64>,
    /// Lifetime of the users' JWTs, in hours.
    #[serde(
        rename = "userJWTExpiration",
        default,
        deserialize_with = "lenient::int"
    )]
    pub user_jwt_expiration: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub realm_app_id: Option<String>,
    /// Definitions of the users' metadata fields.
    #[serde(default, deserialize_with = "lenient::list")]
    pub meta_data: Vec<MetaDataField>,
    /// Definitions of the metadata an invitation carries.
    #[serde(default, deserialize_with = "lenient::list")]
    pub meta_data_invite: Vec<MetaDataInviteField>,
    #[serde(default)]
    pub meta_data_email: Value,
    /// Upper-case two-letter codes; `EN` always.
    #[serde(default, deserialize_with = "lenient::strings")]
    pub locales: Vec<String>,
    /// The token the app's own clients send (`app-token`); the portal shows it.
    #[serde(default, deserialize_with = "lenient::string")]
    pub app_token: Option<String>,
    /// Base64 of the PEM public key that verifies the users' JWTs.
    #[serde(default, deserialize_with = "lenient::string")]
    pub app_public_key: Option<String>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub created_at: Option<OffsetDateTime>,
    #[serde(default, deserialize_with = "lenient::date")]
    pub updated_at: Option<OffsetDateTime>,
}

/// The definition of one metadata field of an app's users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaDataField {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub id: String,
    /// Dot notation into the user's metadata: `profile.team`.
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub path: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub field_name: String,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub required: bool,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub can_edit: bool,
}

/// The definition of one metadata field an invitation carries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetaDataInviteField {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub path: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub field_name: String,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub required: bool,
}

/// One setting of `updateAppSetting`, with its new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppSetting {
    /// Suspend (`Inactive`) or resume (`Active`) the app.
    Status(AppStatus),
    JwtEnabled(bool),
    /// Whether the app accepts invitations.
    Invite(bool),
    /// Whether the app accepts signups.
    Signup(bool),
    SignupFlow(SignupFlow),
    /// Whether anonymous login is allowed.
    AnonLogin(bool),
    UserNamesEnabled(bool),
    /// Hours.
    UserJwtExpiration(u32),
    RealmAppId(String),
}

impl AppSetting {
    /// The `setting` name, the name of the value field, and the value.
    pub(crate) fn wire(&self) -> (&'static str, &'static str, Value) {
        match self {
            Self::Status(s) => ("status", "status", Value::from(s.as_wire())),
            Self::JwtEnabled(b) => ("jwtEnabled", "jwtEnabled", Value::from(*b)),
            Self::Invite(b) => ("invite", "invitationEnabled", Value::from(*b)),
            Self::Signup(b) => ("signup", "signupEnabled", Value::from(*b)),
            Self::SignupFlow(f) => ("signupFlow", "signupFlow", Value::from(f.as_wire())),
            Self::AnonLogin(b) => ("anonLogin", "anonymousLoginEnabled", Value::from(*b)),
            Self::UserNamesEnabled(b) => ("userNamesEnabled", "userNamesEnabled", Value::from(*b)),
            Self::UserJwtExpiration(h) => {
                ("userJWTExpiration", "userJWTExpiration", Value::from(*h))
            }
            Self::RealmAppId(id) => ("realmAppId", "realmAppId", Value::from(id.as_str())),
        }
    }
}
