//! Sync: staging a fresh copy of the lists and swapping it in.
//!
//! The staged copy lives in `stage_*` tables of the same file, written through the
//! staging's own connection, so a sync can run on another thread while queries and
//! actions go on. [`Staging::commit`] replays the action journal onto the staged
//! tables, swaps them in by renaming (one short transaction, whatever the row count),
//! records the sync time and rebuilds the index. Dropping a [`Staging`] without
//! committing drops the staged tables and leaves the cache as it was.

use std::sync::Arc;

use rusqlite::Connection;

use crate::actions::{LIVE, STAGE};
use crate::error::{Error, Result};
use crate::index::BaseIndex;
use crate::records::{Invite, ListKind, Signup, User};
use crate::rows::{put_invites, put_signups, put_users};
use crate::schema::{self, list_ddl};
use crate::store::{Cache, Inner, lock, now_ms};

/// A sync in progress: receives pages of the lists, then swaps them in or is dropped.
pub struct Staging {
    inner: Arc<Inner>,
    conn: Connection,
    lists: Vec<ListKind>,
    done: bool,
}

/// What a committed sync swapped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSummary {
    /// Users now in the cache.
    pub users: usize,
    /// Invitations now in the cache.
    pub invites: usize,
    /// Signups now in the cache.
    pub signups: usize,
    /// The recorded sync time, unix milliseconds.
    pub synced_at: i64,
}

fn stage_table(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Users => STAGE.users,
        ListKind::Invites => STAGE.invites,
        ListKind::Signups => STAGE.signups,
    }
}

impl Cache {
    /// Starts a sync of every list. Only one sync per cache runs at a time.
    pub fn begin_sync(&self) -> Result<Staging> {
        self.begin_sync_of(&ListKind::ALL)
    }

    /// Starts a sync of some lists; the others keep their data and sync time.
    pub fn begin_sync_of(&self, lists: &[ListKind]) -> Result<Staging> {
        {
            let mut journal = lock(&self.inner.journal);
            if journal.is_some() {
                return Err(Error::SyncInProgress);
            }
            *journal = Some(Vec::new());
        }
        let mut staging = Staging {
            inner: Arc::clone(&self.inner),
            conn: schema::connect(&self.inner.path).inspect_err(|_| {
                *lock(&self.inner.journal) = None;
            })?,
            lists: Vec::new(),
            done: false,
        };
        // Index names carry the start time so that the staged twins' indexes never clash
        // with the live tables' (an index keeps its name when its table is renamed).
        let tag = now_ms().to_string();
        let mut ddl = String::new();
        for &kind in lists {
            if !staging.lists.contains(&kind) {
                staging.lists.push(kind);
                let table = stage_table(kind);
                ddl.push_str(&format!("DROP TABLE IF EXISTS {table};"));
                ddl.push_str(&list_ddl(kind, table, &tag));
            }
        }
        staging.conn.execute_batch(&ddl)?;
        Ok(staging)
    }
}

impl Staging {
    fn check(&self, kind: ListKind) -> Result<()> {
        if self.lists.contains(&kind) {
            Ok(())
        } else {
            Err(Error::NotStaged(kind))
        }
    }

    /// Adds a page of users (a repeated id replaces the earlier row).
    pub fn add_users(&mut self, users: &[User]) -> Result<()> {
        self.check(ListKind::Users)?;
        let tx = self.conn.transaction()?;
        put_users(&tx, STAGE.users, users)?;
        Ok(tx.commit()?)
    }

    /// Adds a page of invitations (a repeated id replaces the earlier row).
    pub fn add_invites(&mut self, invites: &[Invite]) -> Result<()> {
        self.check(ListKind::Invites)?;
        let tx = self.conn.transaction()?;
        put_invites(&tx, STAGE.invites, invites)?;
        Ok(tx.commit()?)
    }

    /// Adds a page of signups (a repeated id replaces the earlier row).
    pub fn add_signups(&mut self, signups: &[Signup]) -> Result<()> {
        self.check(ListKind::Signups)?;
        let tx = self.conn.transaction()?;
        put_signups(&tx, STAGE.signups, signups)?;
        Ok(tx.commit()?)
    }

    /// Replays the changes made since the sync began, swaps the staged lists in,
    /// records the sync time and rebuilds the index. On error the cache is unchanged.
    pub fn commit(mut self) -> Result<SyncSummary> {
        let inner = Arc::clone(&self.inner);
        // Holding the write lock keeps actions out from the journal replay to the new
        // index, so none can land between and be lost.
        let _write = lock(&inner.write);
        let journal = lock(&inner.journal).take().unwrap_or_default();
        let synced_at = now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for action in &journal {
            action.apply(&tx, STAGE)?;
        }
        for &kind in &self.lists {
            let live = kind.table();
            tx.execute_batch(&format!(
                "DROP TABLE {live}; ALTER TABLE {} RENAME TO {live};",
                stage_table(kind)
            ))?;
            tx.execute(
                "INSERT OR REPLACE INTO sync_times (list, at) VALUES (?1, ?2)",
                rusqlite::params![live, synced_at],
            )?;
        }
        // Built inside the transaction so that the new index is published the moment
        // the new tables are.
        let base = BaseIndex::build(&tx, LIVE.users, LIVE.invites, LIVE.signups)?;
        let count = |t: &str| -> Result<usize> {
            let n: i64 = tx.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
            Ok(n as usize)
        };
        let summary = SyncSummary {
            users: base.len(),
            invites: count(LIVE.invites)?,
            signups: count(LIVE.signups)?,
            synced_at,
        };
        tx.commit()?;
        inner.live.replace(base);
        self.done = true;
        Ok(summary)
    }

    /// Drops the staged data; the cache stays as it was. Dropping a `Staging` does the same.
    pub fn abort(self) {}
}

impl Drop for Staging {
    fn drop(&mut self) {
        *lock(&self.inner.journal) = None;
        if !self.done {
            let drops: String = self
                .lists
                .iter()
                .map(|&k| format!("DROP TABLE IF EXISTS {};", stage_table(k)))
                .collect();
            // Best effort: leftovers are dropped again when the cache next opens.
            let _ = self.conn.execute_batch(&drops);
        }
    }
}
