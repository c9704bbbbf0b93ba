//! Typed async client of a Cosync JWT host's admin API.
//!
//! [`HostClient`] calls every admin route of the host (see `portal-api.md` §5) with the
//! host's server secret, and answers typed records or a [`ClientError`] whose `code()`
//! programs can branch on and whose text a person can read.
//!
//! What it guarantees:
//! - the host's secret fields (`password`, `googleSecretKey`, `phoneCode`,
//!   `twoFactorCode`) are dropped on receipt: no type here can hold them;
//! - the [`ServerSecret`] is never printed, serialised or put in an error;
//! - searches mean literal substrings (regex metacharacters are escaped);
//! - reads are retried on transient failures, changes never;
//! - a host that stays silent for the silence limit (10 s) counts as unreachable;
//! - plain `http://` is refused unless the host is on this machine or it is allowed.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cosync_client::ClientError> {
//! use cosync_client::{HostClient, HostConfig, ServerSecret};
//! let client = HostClient::new(HostConfig::new(
//!     "https://rest.cosync.net",
//!     ServerSecret::new("…"),
//! ))?;
//! client.test_connection().await?;
//! for app in client.all_apps().await? {
//!     println!("{} {}", app.app_id, app.name);
//! }
//! # Ok(()) }
//! ```

mod client;
mod error;
mod paging;
mod routes;
mod secret;
mod text;
mod url;
mod wire;

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod decoder_props;
#[cfg(test)]
mod tests;

pub use client::{HostClient, HostConfig};
pub use error::{ClientError, host_code_text};
pub use paging::{ListPage, Listed, Progress, Streamed, Taken};
pub use secret::ServerSecret;
pub use text::{escape_regex, exact_pattern, md5_hex, normalize_handle};
pub use url::normalize_base_url;
pub use wire::{
    AddedMetadata, App, AppSetting, AppStatus, CreatedInvites, Invite, InviteStatus, InvitesPage,
    LogEntry, LogQuery, LogStatus, LogType, LogsPage, MetaDataField, MetaDataInviteField, Readable,
    Signup, SignupFlow, SignupStatus, SignupsPage, Unreadable, User, UserStatus, UsersPage,
};

/// Re-exported so callers need not depend on `tokio-util` to cancel a fetch.
pub use tokio_util::sync::CancellationToken;
