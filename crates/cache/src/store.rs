//! The cache of one host's app: opening (and recovering) the file, queries, and the
//! single-row changes that follow an action.
//!
//! Threads: a [`Cache`] is a cheap clone of a shared handle. Queries read an index
//! snapshot without blocking each other and fetch their window's rows through a read
//! connection; changes go through a separate write connection, serialized by its lock;
//! a sync stages through a third connection of its own (see [`crate::Staging`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::actions::{Action, LIVE};
use crate::engine;
use crate::error::{Error, Result};
use crate::index::{BaseIndex, ImageKey, image_path, remove_abandoned_writes};
use crate::live::Live;
use crate::query::{UserQuery, Window};
use crate::records::{Invite, ListKind, Signup, User, UserRow};
use crate::rows::{USER_COLUMNS, get_user, onboarding_of, user_from_row};
use crate::schema::{self, OpenFailure};

/// The offline store of one app on one host. `Send + Sync`; clone it to share it.
#[derive(Clone)]
pub struct Cache {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) path: PathBuf,
    read: Mutex<Connection>,
    pub(crate) write: Mutex<Connection>,
    pub(crate) live: Live,
    /// `Some` while a sync stages: the changes to replay onto the staged tables.
    pub(crate) journal: Mutex<Option<Vec<Action>>>,
    /// The file's count of writes (`schema::writes`) as of this process's index: a
    /// different count means another process changed the file.
    pub(crate) seen_writes: std::sync::atomic::AtomicI64,
    /// The near-duplicate groups, and the count of writes they were found at: a table
    /// scrolled with that finding on asks again for every window.
    pub(crate) near_duplicates: crate::findings::GroupsMemo,
    /// The file state of the index image on disk, as far as this process knows; held
    /// while an image is written, so that one process writes one at a time.
    image: Mutex<Option<ImageKey>>,
    /// The thread writing the image in the background, if one was started.
    image_writer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// What happened while opening.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenReport {
    /// Set when the file was damaged or unreadable and was set aside for a new, empty one.
    pub recovered: Option<Recovery>,
    /// Where the index came from.
    pub index: IndexOrigin,
}

/// Where an opened cache's index came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IndexOrigin {
    /// Read from the image a previous open or sync wrote.
    Image,
    /// Built from the rows, for this reason (no image yet, an image of an older state,
    /// a damaged one); its image is written in the background.
    Built {
        /// Why no image was used, in words for a log.
        reason: String,
    },
    /// Built from the rows of the new, empty file that replaced a damaged one.
    #[default]
    New,
}

/// A damaged file that was set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Where the old file now is.
    pub moved_to: PathBuf,
    /// What was wrong with it, in SQLite's words.
    pub reason: String,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A connection stays usable after a panic on another thread; SQLite rolls back
    // whatever transaction that thread left open when its guard dropped.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Cache {
    /// Opens (creating if needed) the cache file at `path` and builds its index. A file
    /// that is not a database, is corrupt, or comes from a newer schema is renamed with
    /// a `.corrupt-<millis>` suffix and replaced by an empty cache; the report says so.
    pub fn open(path: impl AsRef<Path>) -> Result<(Cache, OpenReport)> {
        let path = path.as_ref();
        match Self::try_open(path) {
            Ok((cache, index)) => {
                let report = OpenReport {
                    recovered: None,
                    index,
                };
                Ok((cache, report))
            }
            Err(OpenFailure::Other(e)) => Err(e),
            Err(OpenFailure::Damaged(reason)) => {
                let moved_to = schema::move_aside(path, now_ms())?;
                let (cache, _) = Self::try_open(path).map_err(|e| match e {
                    OpenFailure::Other(e) => e,
                    OpenFailure::Damaged(reason) => Error::Unrecoverable(reason),
                })?;
                let recovered = Some(Recovery { moved_to, reason });
                let report = OpenReport {
                    recovered,
                    index: IndexOrigin::New,
                };
                Ok((cache, report))
            }
        }
    }

    /// Opens the file and its index: read from the index image when one shows the file as
    /// it is, else built from the rows, and its image written in the background for the
    /// next open. Answers where the index came from.
    fn try_open(path: &Path) -> Result<(Cache, IndexOrigin), OpenFailure> {
        schema::ensure_private_file(path)?;
        let mut write = schema::connect(path)?;
        schema::migrate(&mut write)?;
        crate::sync::drop_stale_staging(&write, now_ms())?;
        let read = schema::connect(path)?;
        let key = image_key(&read, schema::writes(&read)?)?;
        let image = image_path(path);
        remove_abandoned_writes(&image);
        let (base, origin) = match BaseIndex::load_image(&image, key) {
            Ok(base) => (base, IndexOrigin::Image),
            Err(rejected) => {
                let base = BaseIndex::build(&read, LIVE.users, LIVE.invites, LIVE.signups)?;
                let reason = rejected.to_string();
                (base, IndexOrigin::Built { reason })
            }
        };
        let from_image = origin == IndexOrigin::Image;
        let cache = Cache {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                read: Mutex::new(read),
                write: Mutex::new(write),
                live: Live::new(base),
                journal: Mutex::new(None),
                seen_writes: std::sync::atomic::AtomicI64::new(key.writes),
                near_duplicates: Mutex::new(None),
                image: Mutex::new(from_image.then_some(key)),
                image_writer: Mutex::new(None),
            }),
        };
        if !from_image {
            cache.save_index_later();
        }
        Ok((cache, origin))
    }

    /// Writes the index's image if the one on disk does not show the file as this process
    /// sees it, so that the next open reads it instead of building the index. Answers
    /// whether it wrote one. Skipped while single-row changes wait in the overlay (the
    /// image holds the base only): the next rebuild or sync writes it. Seconds of disk
    /// writing at a million users: call it off the UI's threads, e.g. on closing.
    pub fn save_index(&self) -> Result<bool> {
        let mut saved = lock(&self.inner.image);
        let (base, changing, key) = {
            // Under the write lock, the in-place columns agree with the count of writes.
            let conn = lock(&self.inner.write);
            let snap = self.inner.live.snapshot();
            let key = image_key(&conn, self.inner.seen_writes.load(Ordering::Relaxed))?;
            if !snap.delta.is_empty() || *saved == Some(key) {
                return Ok(false);
            }
            let changing = snap.base.changing();
            (snap.base, changing, key)
        };
        let path = image_path(&self.inner.path);
        base.save_image(&changing, key, &path)
            .map_err(|source| Error::Io { path, source })?;
        *saved = Some(key);
        Ok(true)
    }

    /// Serves queries from `base`, built from the file as it now is, and writes its image
    /// in the background. Called under the write lock, which the image's writer takes
    /// next: it keys the image to the count of writes the caller then records.
    pub(crate) fn replace_index(&self, base: BaseIndex) {
        self.inner.live.replace(base);
        self.save_index_later();
    }

    /// [`Cache::save_index`] on a thread of its own: after a build, whose caller should not
    /// wait for the disk. A failure only means the next open builds the index again.
    fn save_index_later(&self) {
        let cache = self.clone();
        let writer = crate::background::spawn("index-image", move || drop(cache.save_index()));
        *lock(&self.inner.image_writer) = writer.ok();
    }

    /// Waits for the index image being written in the background, if one is. Its writer
    /// holds the file open; a caller about to change or remove the file underneath the
    /// cache waits for it first.
    pub fn settle(&self) {
        let writer = lock(&self.inner.image_writer).take();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
    }

    /// The file this cache lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// A window of users matching `query`, with the counts.
    pub fn query_users(&self, query: &UserQuery) -> Result<Window<UserRow>> {
        if query.set == Some(crate::findings::UserSet::NearDuplicateHandles) {
            return self.query_near_duplicates(query);
        }
        let only = self.changed_only(query)?;
        let snap = self.inner.live.snapshot();
        let answer = engine::run(
            &snap,
            query,
            Some((query.offset, query.limit)),
            only.as_ref(),
        );
        let conn = lock(&self.inner.read);
        let mut rows = Vec::with_capacity(answer.rows.len());
        for (id, onboarding) in answer.rows {
            // A row can vanish between the snapshot and this read only when a swap or
            // a delete lands in between; the next query shows the new state.
            if let Some(user) = get_user(&conn, LIVE.users, &id)? {
                rows.push(UserRow { user, onboarding });
            }
        }
        Ok(Window {
            rows,
            total: answer.total,
            matching: answer.matching,
        })
    }

    /// The ids of every user matching `query` (its text and filters), in its order,
    /// ignoring `offset` and `limit`: "select all" for bulk actions.
    pub fn matching_user_ids(&self, query: &UserQuery) -> Vec<String> {
        // Unreadable feed or finding: nothing is named, so nothing is selected.
        let only = self
            .changed_only(query)
            .unwrap_or_else(|_| Some(Default::default()));
        let snap = self.inner.live.snapshot();
        let answer = engine::run(&snap, query, None, only.as_ref());
        answer.rows.into_iter().map(|(id, _)| id).collect()
    }

    /// The ids a query narrows to (the change feed's, a finding's, or both), if any.
    fn changed_only(&self, query: &UserQuery) -> Result<Option<std::collections::HashSet<String>>> {
        let changed = if query.changed_since_last_sync {
            Some(self.changed_user_ids()?)
        } else {
            None
        };
        let named = match &query.set {
            Some(set) => Some(self.user_set(set)?),
            None => None,
        };
        Ok(match (changed, named) {
            (Some(changed), Some(named)) => Some(changed.intersection(&named).cloned().collect()),
            (one, None) | (None, one) => one,
        })
    }

    /// One user by id.
    pub fn user_by_id(&self, id: &str) -> Result<Option<UserRow>> {
        let conn = lock(&self.inner.read);
        let Some(user) = get_user(&conn, LIVE.users, id)? else {
            return Ok(None);
        };
        let onboarding = onboarding_of(&conn, LIVE.invites, LIVE.signups, &user.handle)?;
        Ok(Some(UserRow { user, onboarding }))
    }

    /// One user by exact handle.
    pub fn user_by_handle(&self, handle: &str) -> Result<Option<UserRow>> {
        let conn = lock(&self.inner.read);
        let user = conn
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE handle = ?1"
            ))?
            .query_row([handle], user_from_row)
            .optional()?;
        let Some(user) = user else { return Ok(None) };
        let onboarding = onboarding_of(&conn, LIVE.invites, LIVE.signups, &user.handle)?;
        Ok(Some(UserRow { user, onboarding }))
    }

    /// When `list` was last synced successfully (unix milliseconds), if ever.
    pub fn last_synced(&self, list: ListKind) -> Result<Option<i64>> {
        let conn = lock(&self.inner.read);
        Ok(conn
            .prepare_cached("SELECT at FROM sync_times WHERE list = ?1")?
            .query_row([list.table()], |r| r.get(0))
            .optional()?)
    }

    /// Rebuilds the index from the file, e.g. after another process (the CLI) synced
    /// or changed it: each process's index sees only its own changes until then.
    pub fn reload(&self) -> Result<()> {
        let conn = lock(&self.inner.write);
        let writes = schema::writes(&conn)?;
        let base = BaseIndex::build(&conn, LIVE.users, LIVE.invites, LIVE.signups)?;
        self.replace_index(base);
        self.inner.seen_writes.store(writes, Ordering::Relaxed);
        Ok(())
    }

    /// Reloads the index when another process (the CLI, another window) wrote to the
    /// file since this one last read it; answers whether it did. One small read when
    /// nothing changed.
    pub fn refresh(&self) -> Result<bool> {
        let writes = schema::writes(&lock(&self.inner.read))?;
        if writes == self.inner.seen_writes.load(Ordering::Relaxed) {
            return Ok(false);
        }
        self.reload()?;
        Ok(true)
    }

    /// Gives the pages a sync freed (the old snapshot's) back to the file system, which
    /// would otherwise keep the file at twice its data. 16 MiB at a time, so a change
    /// waits for one chunk at most. Answers the pages given back; none in a file made
    /// before the cache turned auto-vacuum on (its free pages serve the next sync).
    pub fn compact(&self) -> Result<u64> {
        const CHUNK_BYTES: u32 = 16 << 20;
        let mut given = 0u64;
        loop {
            let conn = lock(&self.inner.write);
            let chunk = schema::pages_in(&conn, CHUNK_BYTES)?;
            let before: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
            if before == 0 {
                return Ok(given);
            }
            let after = schema::give_back_free_pages(&conn, chunk)?;
            if after >= before {
                return Ok(given);
            }
            given += (before - after) as u64;
        }
    }

    /// The file's count of writes, by every process: it changes whenever the cache does.
    pub fn writes(&self) -> i64 {
        self.inner.seen_writes.load(Ordering::Relaxed)
    }

    /// Bytes the in-memory index holds on the heap.
    pub fn index_bytes(&self) -> usize {
        self.inner.live.snapshot().base.heap_bytes()
    }

    /// The in-memory index's heap bytes by part, named for a reader (the benchmarks'
    /// breakdown of the memory budget).
    pub fn index_bytes_by_part(&self) -> Vec<(&'static str, usize)> {
        self.inner.live.snapshot().base.heap_by_part().to_vec()
    }

    pub(crate) fn read_conn(&self) -> MutexGuard<'_, Connection> {
        lock(&self.inner.read)
    }

    /// Sets a user's status (`active` or `suspend`, as the host has it).
    pub fn set_user_status(&self, id: &str, status: &str) -> Result<()> {
        self.act(Action::SetStatus {
            id: id.into(),
            status: status.into(),
        })
    }

    /// Removes a user.
    pub fn remove_user(&self, id: &str) -> Result<()> {
        self.act(Action::RemoveUser { id: id.into() })
    }

    /// Adds a user, or replaces the stored user with the same id.
    pub fn upsert_user(&self, user: &User) -> Result<()> {
        self.act(Action::UpsertUser(user.clone()))
    }

    /// Replaces a user's metadata.
    pub fn set_user_metadata(&self, id: &str, meta: &Value) -> Result<()> {
        self.act(Action::SetMetadata {
            id: id.into(),
            meta: meta.clone(),
        })
    }

    /// Removes an invitation.
    pub fn remove_invite(&self, id: &str) -> Result<()> {
        self.act(Action::RemoveInvite { id: id.into() })
    }

    /// Removes a signup.
    pub fn remove_signup(&self, id: &str) -> Result<()> {
        self.act(Action::RemoveSignup { id: id.into() })
    }

    /// Adds invitations, or replaces those with the same ids.
    pub fn upsert_invites(&self, invites: &[Invite]) -> Result<()> {
        self.act(Action::UpsertInvites(invites.to_vec()))
    }

    /// Adds signups (e.g. the code-0 signup of a user an administrator added), or
    /// replaces those with the same ids.
    pub fn upsert_signups(&self, signups: &[Signup]) -> Result<()> {
        self.act(Action::UpsertSignups(signups.to_vec()))
    }

    /// Applies a change to the live tables and index, and journals it while a sync runs.
    fn act(&self, action: Action) -> Result<()> {
        let mut conn = lock(&self.inner.write);
        // Immediate, as the staging's writes: it waits for another process's write.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let touched = action.apply(&tx, LIVE)?;
        // Work out the index changes inside the transaction, apply them after it commits,
        // so that a failed commit leaves the index agreeing with the file.
        let upserted = match &touched.user {
            Some(id) => match get_user(&tx, LIVE.users, id)? {
                Some(user) => {
                    let o = onboarding_of(&tx, LIVE.invites, LIVE.signups, &user.handle)?;
                    Some((user, o))
                }
                None => None,
            },
            None => None,
        };
        let mut onboardings = Vec::new();
        for handle in &touched.handles {
            let o = onboarding_of(&tx, LIVE.invites, LIVE.signups, handle)?;
            let mut stmt = tx.prepare_cached("SELECT id FROM users WHERE handle = ?1")?;
            for id in stmt.query_map([handle], |r| r.get::<_, String>(0))? {
                onboardings.push((id?, o));
            }
        }
        let writes = schema::count_write(&tx)?;
        tx.commit()?;
        self.inner.seen_writes.store(writes, Ordering::Relaxed);
        let live = &self.inner.live;
        match &action {
            Action::SetStatus { id, status } => live.set_active(id, status == "active"),
            Action::RemoveUser { id } => live.remove(id),
            _ => {}
        }
        let rebuild = upserted.is_some_and(|(user, o)| live.upsert(&user, o));
        for (id, o) in onboardings {
            live.set_onboarding(&id, o);
        }
        if let Some(journal) = lock(&self.inner.journal).as_mut() {
            journal.push(action);
        }
        if rebuild {
            let base = BaseIndex::build(&conn, LIVE.users, LIVE.invites, LIVE.signups)?;
            self.replace_index(base);
        }
        Ok(())
    }
}

/// The state of the file an index image must show: the file, and its count of writes as
/// this process has read it.
fn image_key(conn: &Connection, writes: i64) -> rusqlite::Result<ImageKey> {
    let file = schema::identity(conn)?;
    Ok(ImageKey { file, writes })
}
