//! Sync: staging a fresh copy of the lists and swapping it in.
//!
//! The staged copy lives in `stage_*` tables of the same file, written through the
//! staging's own connection, so a sync can run on another thread while queries and
//! actions go on. [`Staging::commit`] replays the action journal onto the staged
//! tables, swaps them in by renaming (one short transaction, whatever the row count),
//! records the sync time and rebuilds the index. Dropping a [`Staging`] without
//! committing drops the staged tables and leaves the cache as it was.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::Connection;

use crate::actions::{LIVE, Tables};
use crate::error::{Error, Result};
use crate::history::{self, ChangeKind};
use crate::index::{BaseIndex, OnboardingFacts};
use crate::records::{Invite, ListKind, Signup, User};
use crate::rows::{put_invites, put_signups, put_users};
use crate::schema::{self, list_index_ddl, list_table_ddl};
use crate::store::{Cache, Inner, lock, now_ms};

/// A sync in progress: receives pages of the lists, then swaps them in or is dropped.
pub struct Staging {
    inner: Arc<Inner>,
    conn: Connection,
    lists: Vec<ListKind>,
    /// This sync's staged table names, `stage_<millis>_<pid>x<seq>_<list>`: unique, so that
    /// syncs of the same file from two processes cannot clobber each other's staging.
    names: [String; 3],
    /// When the sync began, unix milliseconds.
    started_at: i64,
    /// What keeps this sync's index names unique (see `begin_sync_of`).
    tag: String,
    /// The staged invitations' and signups' onboarding facts, gathered as they are added
    /// while a core is free for it (the fetch waits on the host), instead of read back
    /// before the new index: 0.9 s of the commit at a million users. Only when both
    /// lists are staged.
    onboarding: Option<OnboardingFacts>,
    done: bool,
}

/// What a committed sync swapped in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSummary {
    /// Users now in the cache.
    pub users: usize,
    /// Invitations now in the cache.
    pub invites: usize,
    /// Signups now in the cache.
    pub signups: usize,
    /// The recorded sync time, unix milliseconds.
    pub synced_at: i64,
    /// The change feed's record of this sync: its run and what it found, or why it could
    /// not be written (the sync itself is committed all the same).
    pub history: std::result::Result<SyncHistory, String>,
}

/// What the change feed recorded of a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncHistory {
    /// The run's number.
    pub run: i64,
    /// How many changes of each kind; kinds with none left out.
    pub counts: Vec<(ChangeKind, usize)>,
    /// The first sync of the file: nothing to compare with.
    pub first: bool,
    /// How long comparing and recording took, inside the swap.
    pub took: std::time::Duration,
}

/// The staging connection's page cache, in KiB (64 MB).
const STAGING_CACHE_KIB: i64 = 64 * 1024;

/// The commit's page cache, in KiB: see the handle indexes in [`Staging::commit`].
const COMMIT_CACHE_KIB: i64 = 4 * 1024;

/// Helper threads SQLite may sort with: one per core beside the caller's, one to four.
fn sort_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).clamp(1, 4))
}

/// Staged tables older than this are leftovers of a sync that died with its process.
const STALE_STAGING_MS: i64 = 24 * 3600 * 1000;

/// Drops staged tables left by syncs that died with their process. Younger ones may
/// belong to a sync running in another process, so they are left alone.
pub(crate) fn drop_stale_staging(conn: &Connection, now: i64) -> rusqlite::Result<()> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stage%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        let started = name
            .strip_prefix("stage_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|ms| ms.parse::<i64>().ok());
        if started.is_none_or(|t| now - t > STALE_STAGING_MS) {
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS \"{}\"",
                name.replace('"', "\"\"")
            ))?;
        }
    }
    Ok(())
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
        // The tag also keeps index names unique: an index keeps its name when its table
        // is renamed, so the live tables carry the names of the sync that made them.
        static SYNCS: AtomicU64 = AtomicU64::new(0);
        let seq = SYNCS.fetch_add(1, Ordering::Relaxed);
        let started_at = now_ms();
        let tag = format!("{started_at}_{}x{seq}", std::process::id());
        let mut staging = Staging {
            inner: Arc::clone(&self.inner),
            conn: schema::connect(&self.inner.path).inspect_err(|_| {
                *lock(&self.inner.journal) = None;
            })?,
            lists: Vec::new(),
            names: ListKind::ALL.map(|k| format!("stage_{tag}_{}", k.table())),
            started_at,
            tag,
            onboarding: None,
            done: false,
        };
        // Room for the staged tables' primary keys while a million rows go in: at
        // SQLite's default of 2 MB, most inserts read a B-tree page back from the OS.
        staging
            .conn
            .pragma_update(None, "cache_size", -STAGING_CACHE_KIB)?;
        let mut ddl = String::new();
        for &kind in lists {
            if !staging.lists.contains(&kind) {
                staging.lists.push(kind);
                let table = staging.table(kind);
                ddl.push_str(&format!("DROP TABLE IF EXISTS {table};"));
                ddl.push_str(&list_table_ddl(kind, table));
            }
        }
        staging.conn.execute_batch(&ddl)?;
        let staged = |kind| staging.lists.contains(&kind);
        if staged(ListKind::Invites) && staged(ListKind::Signups) {
            staging.onboarding = Some(OnboardingFacts::default());
        }
        Ok(staging)
    }
}

impl Staging {
    fn table(&self, kind: ListKind) -> &str {
        staged_name(&self.names, kind)
    }

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
        self.add(users, &[], &[])
    }

    /// Adds a page of invitations (a repeated id replaces the earlier row).
    pub fn add_invites(&mut self, invites: &[Invite]) -> Result<()> {
        self.check(ListKind::Invites)?;
        self.add(&[], invites, &[])
    }

    /// Adds a page of signups (a repeated id replaces the earlier row).
    pub fn add_signups(&mut self, signups: &[Signup]) -> Result<()> {
        self.check(ListKind::Signups)?;
        self.add(&[], &[], signups)
    }

    /// Adds records of any of the staged lists in one transaction (a repeated id
    /// replaces the earlier row).
    pub fn add(&mut self, users: &[User], invites: &[Invite], signups: &[Signup]) -> Result<()> {
        for (kind, records) in [
            (ListKind::Users, users.len()),
            (ListKind::Invites, invites.len()),
            (ListKind::Signups, signups.len()),
        ] {
            if records > 0 {
                self.check(kind)?;
            }
        }
        // A list that is not staged has no table to prepare a statement on.
        // Immediate: another process's write waits for the busy timeout instead of
        // failing at once with "database is locked" on the upgrade from read to write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if !users.is_empty() {
            put_users(&tx, &self.names[0], users)?;
        }
        if !invites.is_empty() {
            put_invites(&tx, &self.names[1], invites)?;
        }
        if !signups.is_empty() {
            put_signups(&tx, &self.names[2], signups)?;
        }
        tx.commit()?;
        if let Some(facts) = &mut self.onboarding {
            invites
                .iter()
                .for_each(|i| facts.invite(&i.handle, &i.status));
            signups.iter().for_each(|s| facts.signup(&s.handle, s.code));
        }
        Ok(())
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
        let names = self.names.clone();
        let staged = Tables {
            users: &names[0],
            invites: &names[1],
            signups: &names[2],
        };
        let early_index = journal
            .is_empty()
            .then(|| self.build_index_aside())
            .flatten();
        let mut tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // The handle indexes, now that the rows are in (the journal's changes look
        // users up by handle). SQLite sorts an index's keys in runs as large as the page
        // cache: the staging's 64 MB made one slow sort of a million keys, small runs
        // merged are twice as quick, and with helper threads quicker still (the fetch is
        // over, a core is free). The change feed after is no slower for the small cache.
        tx.execute_batch(&format!(
            "PRAGMA cache_size = -{COMMIT_CACHE_KIB}; PRAGMA threads = {};",
            sort_threads()
        ))?;
        for &kind in &self.lists {
            tx.execute_batch(&list_index_ddl(staged_name(&names, kind), &self.tag))?;
        }
        for action in &journal {
            action.apply(&tx, staged)?;
        }
        // In a savepoint of its own: a feed that cannot be written is rolled back and
        // said, and the sync still commits.
        let compared = std::time::Instant::now();
        let history = {
            let point = tx.savepoint()?;
            let recorded = history::record(
                &point,
                staged,
                LIVE,
                &self.lists,
                self.started_at,
                synced_at,
            );
            match recorded.and_then(|r| Ok(point.commit().map(|()| r)?)) {
                Ok(r) => Ok(r),
                Err(e) => Err(e.to_string()),
            }
        };
        let took = compared.elapsed();
        for &kind in &self.lists {
            let live = kind.table();
            tx.execute_batch(&format!(
                "DROP TABLE {live}; ALTER TABLE {} RENAME TO {live};",
                staged_name(&names, kind)
            ))?;
            tx.execute(
                "INSERT OR REPLACE INTO sync_times (list, at) VALUES (?1, ?2)",
                rusqlite::params![live, synced_at],
            )?;
        }
        // Published the moment the new tables are. Built inside the transaction when the
        // early build failed or could not run.
        let early = early_index.and_then(|build| build.join().ok()?.ok());
        let base = match early {
            Some(base) => base,
            None => BaseIndex::build(&tx, LIVE.users, LIVE.invites, LIVE.signups)?,
        };
        let (invites, signups) = (
            schema::row_count(&tx, LIVE.invites)?,
            schema::row_count(&tx, LIVE.signups)?,
        );
        let history = history.map(|recorded| {
            // Best effort, as the rest of the feed: the sizes only label the run.
            let _ = history::set_sizes(&tx, recorded.run, [base.len(), invites, signups]);
            SyncHistory {
                run: recorded.run,
                counts: recorded.counts,
                first: recorded.first,
                took,
            }
        });
        let summary = SyncSummary {
            users: base.len(),
            invites,
            signups,
            synced_at,
            history,
        };
        let writes = schema::count_write(&tx)?;
        tx.commit()?;
        Cache {
            inner: Arc::clone(&inner),
        }
        .replace_index(base);
        inner.seen_writes.store(writes, Ordering::Relaxed);
        self.done = true;
        Ok(summary)
    }

    /// Starts building the new index from the staged rows on a connection and thread of
    /// its own, while the commit makes the handle indexes, compares for the change feed
    /// and swaps: at a million users each half takes seconds. Only when no change waits in
    /// the journal, whose replay would change rows after they were read; the rows are
    /// read in the order they keep through the rename, so the index is the one a build
    /// after the swap would make.
    fn build_index_aside(&mut self) -> Option<std::thread::JoinHandle<Result<BaseIndex>>> {
        // Opened here, before the commit takes the write lock; read-only, so that nothing
        // in it waits for that lock.
        let conn = schema::connect_to_read(&self.inner.path).ok()?;
        let tables = ListKind::ALL.map(|kind| {
            if self.lists.contains(&kind) {
                self.table(kind).to_owned()
            } else {
                kind.table().to_owned()
            }
        });
        let onboarding = self.onboarding.take();
        crate::background::spawn("index-aside", move || {
            let [users, invites, signups] = &tables;
            // The gathered facts hold for the tables unless a repeated id replaced a row,
            // which leaves a table with fewer rows than records added.
            let gathered = match onboarding {
                Some(facts)
                    if schema::row_count(&conn, invites)? == facts.invites
                        && schema::row_count(&conn, signups)? == facts.signups =>
                {
                    facts
                }
                _ => OnboardingFacts::read(&conn, invites, signups)?,
            };
            Ok(BaseIndex::build_with(&conn, users, &gathered)?)
        })
        .ok()
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
                .map(|&k| format!("DROP TABLE IF EXISTS {};", self.table(k)))
                .collect();
            // Best effort: leftovers are dropped again when the cache next opens.
            let _ = self.conn.execute_batch(&drops);
        }
    }
}

fn staged_name(names: &[String; 3], kind: ListKind) -> &str {
    match kind {
        ListKind::Users => &names[0],
        ListKind::Invites => &names[1],
        ListKind::Signups => &names[2],
    }
}
