//! The offline store of a host's apps: one SQLite file per host and app, with an
//! in-memory search index.
//!
//! - [`Cache::open`] opens (or creates, or recovers) one app's file and builds its index.
//! - [`Cache::query_users`], [`Cache::query_invites`], [`Cache::query_signups`] answer
//!   windows of the three lists; [`Cache::matching_user_ids`] resolves "select all".
//! - [`Cache::begin_sync`] stages a fresh copy of the lists; [`Staging::commit`] swaps it
//!   in, replaying the changes made meanwhile through [`Cache::set_user_status`] and
//!   the other single-row changes.
//!
//! Threads: [`Cache`] is `Send + Sync` and cheap to clone. Queries read a snapshot of
//! the in-memory index without blocking each other; single-row changes serialize on a
//! write connection and update the index in place; a [`Staging`] writes through its own
//! connection into `stage_*` tables of the same file, so a sync can run on another thread
//! while the app keeps querying. No lock guard ever leaves the crate.
//!
//! Processes: SQLite keeps the file consistent when the desktop app and the CLI share
//! it, but each process's index sees only its own changes until [`Cache::reload`] (or a
//! reopen). Syncs from two processes stage in tables of their own and do not disturb
//! each other; the last to commit wins. Opening a cache drops staged tables more than a
//! day old (left by a sync that died with its process).
//!
//! The index keeps, per user, the folded searchable text in one buffer, a 192-bit
//! signature of it (which rules out most rows before any byte is compared), compact
//! columns for the filters, and an order per sortable column (the rarer ones made when
//! first sorted by); see
//! `BENCHMARKS.md` for its figures at a million users.
//!
//! The file holds users, invitations and signups as the record types of this crate
//! define them, a search side column for the two smaller lists, and sync times: no
//! token, key or secret, because no type here has a field for one.

#![warn(missing_docs)]

mod actions;
pub mod background;
mod engine;
mod error;
mod findings;
mod history;
mod index;
mod lists;
mod live;
mod meta_scan;
#[cfg(test)]
mod model_tests;
mod query;
mod records;
mod rows;
mod scan;
mod schema;
mod sig;
mod store;
mod sync;
mod text;

pub use error::{Error, Result};
pub use findings::{NearDuplicates, UserSet, handle_key};
pub use history::{Change, ChangeKind, ChangeQuery, Retention, SyncRun, changed_paths};
pub use query::{
    Anonymous, InviteColumn, InviteQuery, InviteStatus, LastLogin, SignupColumn, SignupQuery,
    SignupStatus, StatusFilter, TimeRange, UserColumn, UserQuery, Window,
};
pub use records::{ANON_PREFIX, Invite, ListKind, Onboarding, Signup, User, UserRow};
pub use store::{Cache, IndexOrigin, OpenReport, Recovery};
pub use sync::{Staging, SyncHistory, SyncSummary};
