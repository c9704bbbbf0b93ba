//! What the desktop app and `gatehouse-cli` share. Nothing here knows about Tauri or the
//! web view; every operation that waits on the network, SQLite or the keyring is async
//! and keeps that work off the async threads.
//!
//! - [`Gatehouse`]: the data folder, the host list (`hosts.json`, no secrets), the
//!   secrets (keyring, or this session's memory), one [`Connection`] per host.
//! - [`Connection`]: a host's apps ([`Connection::apps`], falling back to the saved
//!   list offline), sync ([`Connection::sync`]), cached queries
//!   ([`Connection::query_users`] …), actions ([`Connection::set_user_status`] …),
//!   bulk actions ([`Connection::bulk`]) and export ([`Connection::export_users`] …).
//! - [`ScriptedStart`]: the environment variables of the scripted start.
//! - [`Error`]: one error type with a stable [`Error::code`]; it never holds a secret.
//!
//! ```no_run
//! # async fn demo() -> gatehouse_core::Result<()> {
//! use gatehouse_core::{CancellationToken, Gatehouse, UserQuery};
//! let core = Gatehouse::new(gatehouse_core::data_dir::resolve(None)?);
//! let host = core.connect("prod").await?;
//! let app = host.resolve_app("My App").await?.value;
//! host.sync(&app.app_id, |p| eprintln!("{} users", p.users.fetched), &CancellationToken::new())
//!     .await?;
//! let window = host.query_users(&app.app_id, UserQuery { text: "bob".into(), ..Default::default() })
//!     .await?;
//! println!("{} of {} users match", window.matching, window.total);
//! # Ok(()) }
//! ```

mod actions;
mod activity;
pub mod audit;
mod bulk;
mod changes;
mod connection;
mod convert;
pub mod data_dir;
mod error;
mod export;
mod gatehouse;
pub mod hosts;
mod notices;
mod password;
pub mod recycle;
pub mod scripted;
pub mod secrets;
pub mod sensitive;
mod sent;
mod start;
mod sync;
mod user_history;

pub use actions::{InviteReport, parse_metadata};
pub use activity::{ActivityEntry, ActivityPage, ActivityQuery, LogStatus, LogType};
pub use audit::{
    AuditAction, AuditEntry, AuditFilter, AuditLog, AuditWindow, Interface, Outcome, Verification,
};
pub use bulk::{BulkAction, BulkItem, BulkOutcome, BulkProgress, IN_FLIGHT as BULK_IN_FLIGHT};
pub use changes::{ChangeLine, change_detail};
pub use connection::{CacheStatus, Connection, Fetched, Reachability, Source, SyncTimes};
pub use convert::AppSummary;
pub use error::{Error, Result};
pub use export::{ExportFormat, InviteLine, Line, SignupLine, UserLine, iso_time, write_lines};
pub use gatehouse::{Gatehouse, HostInput, HostTiming, SecretStorage};
pub use hosts::{DEMO_HOST_ID, HostEntry, host_id};
pub use password::{GENERATED_LENGTH, generate_password};
pub use recycle::DeletedUser;
pub use scripted::ScriptedStart;
pub use sensitive::Sensitive;
pub use start::{Remembered, StartChoice, start_choice};
pub use sync::{ListProgress, SyncProgress, SyncReport, UnreadableRecord};
pub use user_history::{HistoryLine, HistorySource, UserHistory};

/// Cancels a sync or a bulk action.
pub use cosync_client::CancellationToken;
/// What went wrong between us and the host, as `Error::Host` carries it.
pub use cosync_client::ClientError;
/// The app's metadata field definitions.
pub use cosync_client::MetaDataField;
pub use gatehouse_cache::{
    Anonymous, Invite, InviteColumn, InviteQuery, InviteStatus, LastLogin, ListKind,
    NearDuplicates, Onboarding, Signup, SignupColumn, SignupQuery, SignupStatus, StatusFilter,
    TimeRange, User, UserColumn, UserQuery, UserRow, UserSet, Window, handle_key,
};
/// The cache's query and row types, re-exported so callers need not depend on it.
pub use gatehouse_cache::{
    Change, ChangeKind, ChangeQuery, Retention, SyncHistory, SyncRun, changed_paths,
};
