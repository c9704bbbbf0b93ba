//! The change feed: what each committed sync changed, kept in the app's file.
//!
//! [`record`] runs inside the sync's swap transaction, before the staged tables are
//! renamed over the live ones: it compares the two in SQL (anti-joins for records added
//! and removed, one join on `id` for records changed) and writes one `sync_runs` row and
//! one `changes` row per change. Only what changed is stored. The first sync of a file
//! records a run without changes (everything would be "added"). Runs older than the
//! retention are pruned at the same time.
//!
//! The feed compares the host's new snapshot with the copy as it was, including the
//! changes Gatehouse itself made since (those are in the audit log).

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::actions::Tables;
use crate::error::Result;
use crate::query::Window;
use crate::records::ListKind;
use crate::schema::row_count;
use crate::store::Cache;
use crate::text::fold;

/// The tables of the feed (schema version 3).
pub(crate) fn migration_3() -> String {
    "CREATE TABLE sync_runs (\
         id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, \
         at INTEGER NOT NULL, users INTEGER NOT NULL, invites INTEGER NOT NULL, \
         signups INTEGER NOT NULL, first INTEGER NOT NULL, counts TEXT NOT NULL); \
     CREATE TABLE changes (\
         run INTEGER NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL, \
         handle TEXT NOT NULL, detail TEXT); \
     CREATE INDEX changes_run ON changes(run, kind); \
     CREATE TABLE history_retention (days INTEGER, runs INTEGER); \
     INSERT INTO history_retention (days, runs) VALUES (90, NULL);"
        .to_owned()
}

/// What changed about one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A user the copy did not have.
    UserAdded,
    /// A user the host no longer has.
    UserRemoved,
    /// Active before, suspended now.
    Suspended,
    /// Suspended before, active now.
    Activated,
    /// The user name changed.
    Renamed,
    /// The metadata changed; the detail names the keys, before and after.
    MetadataChanged,
    /// Logged in for the first time.
    FirstLogin,
    /// Logged in again (the last login moved).
    LoggedIn,
    /// An invitation the copy did not have.
    InviteCreated,
    /// A pending invitation is accepted now.
    InviteAccepted,
    /// A pending invitation is gone.
    InviteRevoked,
    /// An accepted invitation is gone (its user was deleted).
    InviteRemoved,
    /// A signup the copy did not have (not the record of a user an admin added).
    SignupStarted,
    /// A signup is no longer pending.
    SignupCompleted,
    /// A signup is gone.
    SignupRemoved,
}

impl ChangeKind {
    /// Every kind, in the order the feed lists them.
    pub const ALL: [ChangeKind; 15] = [
        ChangeKind::UserAdded,
        ChangeKind::UserRemoved,
        ChangeKind::Suspended,
        ChangeKind::Activated,
        ChangeKind::Renamed,
        ChangeKind::MetadataChanged,
        ChangeKind::FirstLogin,
        ChangeKind::LoggedIn,
        ChangeKind::InviteCreated,
        ChangeKind::InviteAccepted,
        ChangeKind::InviteRevoked,
        ChangeKind::InviteRemoved,
        ChangeKind::SignupStarted,
        ChangeKind::SignupCompleted,
        ChangeKind::SignupRemoved,
    ];

    /// The name in the file, the CLI and the UI (`user-added`, `suspended` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::UserAdded => "user-added",
            ChangeKind::UserRemoved => "user-removed",
            ChangeKind::Suspended => "suspended",
            ChangeKind::Activated => "activated",
            ChangeKind::Renamed => "renamed",
            ChangeKind::MetadataChanged => "metadata-changed",
            ChangeKind::FirstLogin => "first-login",
            ChangeKind::LoggedIn => "logged-in",
            ChangeKind::InviteCreated => "invite-created",
            ChangeKind::InviteAccepted => "invite-accepted",
            ChangeKind::InviteRevoked => "invite-revoked",
            ChangeKind::InviteRemoved => "invite-removed",
            ChangeKind::SignupStarted => "signup-started",
            ChangeKind::SignupCompleted => "signup-completed",
            ChangeKind::SignupRemoved => "signup-removed",
        }
    }

    /// The kind of a name; `None` for an unknown one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the record is a user who is still there and new or changed: what the
    /// Users tab's `Changed since last sync` keeps.
    pub fn is_user_kept(self) -> bool {
        matches!(
            self,
            ChangeKind::UserAdded
                | ChangeKind::Suspended
                | ChangeKind::Activated
                | ChangeKind::Renamed
                | ChangeKind::MetadataChanged
                | ChangeKind::FirstLogin
                | ChangeKind::LoggedIn
        )
    }
}

/// One committed sync, with how many changes of each kind it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    /// Its number, growing with each sync of the file.
    pub id: i64,
    /// When the sync began, unix milliseconds.
    pub started_at: i64,
    /// When it was committed, unix milliseconds.
    pub at: i64,
    /// The users, invitations and signups it swapped in.
    pub users: usize,
    /// See `users`.
    pub invites: usize,
    /// See `users`.
    pub signups: usize,
    /// The first sync of the file: nothing to compare with, so no changes.
    pub first: bool,
    /// The number of changes of each kind found, kinds with none left out.
    pub counts: Vec<(ChangeKind, usize)>,
}

/// One changed record.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The run that found it.
    pub run: i64,
    /// When that run was committed, unix milliseconds.
    pub at: i64,
    /// What changed.
    pub kind: ChangeKind,
    /// The record's `_id` (a user, an invitation or a signup).
    pub record_id: String,
    /// Its handle.
    pub handle: String,
    /// Before and after, where the kind has them: `{"before": …, "after": …}` for a
    /// rename, `{"keys": {path: [before, after]}}` for metadata, `{"at": ms}` for a login.
    pub detail: Option<Value>,
}

/// Which changes to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeQuery {
    /// Only this run's changes.
    pub run: Option<i64>,
    /// Only runs committed at or after this time, unix milliseconds.
    pub since: Option<i64>,
    /// Only these kinds; empty for all.
    pub kinds: Vec<ChangeKind>,
    /// A literal, case-insensitive substring of the handle.
    pub text: String,
    /// Matching changes to skip.
    pub offset: usize,
    /// Changes to answer at most.
    pub limit: usize,
}

/// How long the feed is kept: runs younger than `days` and among the newest `runs`
/// (either may be unlimited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days to keep; `None` keeps every age.
    pub days: Option<u32>,
    /// Runs to keep; `None` keeps every run.
    pub runs: Option<u32>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            days: Some(90),
            runs: None,
        }
    }
}

/// What [`record`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub run: i64,
    pub counts: Vec<(ChangeKind, usize)>,
    pub first: bool,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Compares the `staged` lists with the `live` ones and records the run. `lists` are the
/// lists this sync staged (the others are not compared).
pub(crate) fn record(
    tx: &Connection,
    staged: Tables<'_>,
    live: Tables<'_>,
    lists: &[ListKind],
    started_at: i64,
    at: i64,
) -> Result<Recorded> {
    let first: bool = tx
        .query_row(
            "SELECT count(*) = 0 FROM sync_times WHERE list = 'users'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(true);
    tx.execute(
        "INSERT INTO sync_runs (started_at, at, users, invites, signups, first, counts) \
         VALUES (?1, ?2, 0, 0, 0, ?3, '{}')",
        params![started_at, at, first],
    )?;
    let run = tx.last_insert_rowid();
    if !first {
        for &list in lists {
            match list {
                ListKind::Users => users(tx, run, staged.users, live.users)?,
                ListKind::Invites => invites(tx, run, staged.invites, live.invites)?,
                ListKind::Signups => signups(tx, run, staged.signups, live.signups)?,
            }
        }
    }
    let counts = counts_of(tx, run)?;
    let json: Map<String, Value> = counts
        .iter()
        .map(|(k, n)| (k.as_str().to_owned(), Value::from(*n)))
        .collect();
    tx.execute(
        "UPDATE sync_runs SET counts = ?2 WHERE id = ?1",
        params![run, Value::Object(json).to_string()],
    )?;
    prune(tx, at)?;
    Ok(Recorded { run, counts, first })
}

/// Writes the sizes of the lists the run swapped in, once they are known.
pub(crate) fn set_sizes(tx: &Connection, run: i64, sizes: [usize; 3]) -> Result<()> {
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    tx.execute(
        "UPDATE sync_runs SET users = ?2, invites = ?3, signups = ?4 WHERE id = ?1",
        params![run, n(sizes[0]), n(sizes[1]), n(sizes[2])],
    )?;
    Ok(())
}

fn counts_of(tx: &Connection, run: i64) -> Result<Vec<(ChangeKind, usize)>> {
    let mut stmt = tx.prepare("SELECT kind, count(*) FROM changes WHERE run = ?1 GROUP BY kind")?;
    let mut counts: Vec<(ChangeKind, usize)> = stmt
        .query_map([run], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .filter_map(|row| row.ok())
        .filter_map(|(kind, n)| Some((ChangeKind::parse(&kind)?, n as usize)))
        .collect();
    counts.sort();
    Ok(counts)
}

/// Records added (in `new` only) and removed (in `old` only) as `added` / `removed`,
/// keeping the rows `keep` (a fixed SQL condition on `x`) allows.
fn appeared_and_gone(
    tx: &Connection,
    run: i64,
    new: &str,
    old: &str,
    added: ChangeKind,
    removed: &[(ChangeKind, &str)],
    keep: &str,
) -> Result<()> {
    let appeared = tx.execute(
        &format!(
            "INSERT INTO changes (run, kind, record_id, handle) \
             SELECT ?1, ?2, x.id, x.handle FROM {new} x \
             WHERE ({keep}) AND NOT EXISTS (SELECT 1 FROM {old} o WHERE o.id = x.id)"
        ),
        params![run, added.as_str()],
    )?;
    // Only a count of every appeared record tells how many are gone.
    let every = (keep == "1").then_some(appeared);
    gone(tx, run, new, old, removed, keep, every)
}

/// Records removed (in `old` only) as `removed`, keeping the rows `keep` allows.
/// `appeared`, when known, is how many records of `new` are not in `old`: ids are unique
/// in each table, so the records gone number `|old| - |new| + appeared`, and when that is
/// none the pass over every old record (a look-up each, a third of a second at a
/// million) is skipped.
fn gone(
    tx: &Connection,
    run: i64,
    new: &str,
    old: &str,
    removed: &[(ChangeKind, &str)],
    keep: &str,
    appeared: Option<usize>,
) -> Result<()> {
    if let Some(appeared) = appeared
        && row_count(tx, old)?.saturating_add(appeared) == row_count(tx, new)?
    {
        return Ok(());
    }
    for (kind, when) in removed {
        tx.execute(
            &format!(
                "INSERT INTO changes (run, kind, record_id, handle) \
                 SELECT ?1, ?2, x.id, x.handle FROM {old} x \
                 WHERE ({keep}) AND ({when}) AND NOT EXISTS (SELECT 1 FROM {new} n WHERE n.id = x.id)"
            ),
            params![run, kind.as_str()],
        )?;
    }
    Ok(())
}

/// Users added, changed and removed. New users and changed ones are found in one pass
/// over the new table (a look-up of each id in the old one) rather than two.
fn users(tx: &Connection, run: i64, new: &str, old: &str) -> Result<()> {
    let mut found = tx.prepare(&format!(
        "SELECT n.id, n.handle, o.id IS NULL, o.status, n.status, o.user_name, n.user_name, \
                o.meta_data, n.meta_data, o.last_login, n.last_login \
         FROM {new} n LEFT JOIN {old} o ON o.id = n.id \
         WHERE o.id IS NULL OR o.status IS NOT n.status OR o.user_name IS NOT n.user_name \
            OR o.meta_data IS NOT n.meta_data OR o.last_login IS NOT n.last_login"
    ))?;
    let mut insert = tx.prepare(
        "INSERT INTO changes (run, kind, record_id, handle, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut appeared = 0usize;
    let mut rows = found.query([])?;
    while let Some(r) = rows.next()? {
        let (id, handle): (String, String) = (r.get(0)?, r.get(1)?);
        let mut put = |kind: ChangeKind, detail: Option<Value>| {
            insert.execute(params![
                run,
                kind.as_str(),
                id,
                handle,
                detail.map(|d| d.to_string())
            ])
        };
        if r.get::<_, bool>(2)? {
            put(ChangeKind::UserAdded, None)?;
            appeared += 1;
            continue;
        }
        let (was, is): (String, String) = (r.get(3)?, r.get(4)?);
        if was != is {
            match (was == "active", is == "active") {
                (true, false) => put(ChangeKind::Suspended, None)?,
                (false, true) => put(ChangeKind::Activated, None)?,
                _ => 0,
            };
        }
        let (was, is): (String, String) = (r.get(5)?, r.get(6)?);
        if was != is {
            put(
                ChangeKind::Renamed,
                Some(serde_json::json!({"before": was, "after": is})),
            )?;
        }
        let (was, is): (String, String) = (r.get(7)?, r.get(8)?);
        if was != is {
            let before = serde_json::from_str(&was).unwrap_or(Value::Null);
            let after = serde_json::from_str(&is).unwrap_or(Value::Null);
            let keys = changed_paths(&before, &after);
            if !keys.is_empty() {
                put(
                    ChangeKind::MetadataChanged,
                    Some(serde_json::json!({ "keys": keys })),
                )?;
            }
        }
        let (was, is): (Option<i64>, Option<i64>) = (r.get(9)?, r.get(10)?);
        match (was, is) {
            (None, Some(at)) => put(ChangeKind::FirstLogin, Some(serde_json::json!({"at": at})))?,
            (Some(a), Some(b)) if b > a => {
                put(ChangeKind::LoggedIn, Some(serde_json::json!({"at": b})))?
            }
            _ => 0,
        };
    }
    gone(
        tx,
        run,
        new,
        old,
        &[(ChangeKind::UserRemoved, "1")],
        "1",
        Some(appeared),
    )
}

/// The dot paths whose values differ between two metadata objects, each with its value
/// before and after (`null` where absent). Objects are walked into; anything else is
/// one value.
pub fn changed_paths(before: &Value, after: &Value) -> Map<String, Value> {
    fn walk(
        path: &str,
        before: Option<&Value>,
        after: Option<&Value>,
        out: &mut Map<String, Value>,
    ) {
        match (before, after) {
            (Some(Value::Object(b)), Some(Value::Object(a))) => {
                let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
                keys.sort();
                keys.dedup();
                for key in keys {
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(&inner, b.get(key), a.get(key), out);
                }
            }
            (b, a) if b != a => {
                let shown = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
                let path = if path.is_empty() { "(all)" } else { path };
                out.insert(path.to_owned(), Value::Array(vec![shown(b), shown(a)]));
            }
            _ => {}
        }
    }
    let mut out = Map::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

fn invites(tx: &Connection, run: i64, new: &str, old: &str) -> Result<()> {
    appeared_and_gone(
        tx,
        run,
        new,
        old,
        ChangeKind::InviteCreated,
        &[
            (ChangeKind::InviteRevoked, "x.status = 'pending'"),
            (ChangeKind::InviteRemoved, "x.status <> 'pending'"),
        ],
        "1",
    )?;
    tx.execute(
        &format!(
            "INSERT INTO changes (run, kind, record_id, handle) \
             SELECT ?1, ?2, n.id, n.handle FROM {new} n JOIN {old} o ON o.id = n.id \
             WHERE o.status = 'pending' AND n.status <> 'pending'"
        ),
        params![run, ChangeKind::InviteAccepted.as_str()],
    )?;
    Ok(())
}

fn signups(tx: &Connection, run: i64, new: &str, old: &str) -> Result<()> {
    // Code 0 is the record the host writes for a user an administrator added: the
    // user's own change says it.
    appeared_and_gone(
        tx,
        run,
        new,
        old,
        ChangeKind::SignupStarted,
        &[(ChangeKind::SignupRemoved, "1")],
        "x.code <> 0",
    )?;
    tx.execute(
        &format!(
            "INSERT INTO changes (run, kind, record_id, handle) \
             SELECT ?1, ?2, n.id, n.handle FROM {new} n LEFT JOIN {old} o ON o.id = n.id \
             WHERE n.code <> 0 AND n.status <> 'pending' \
               AND (o.id IS NULL OR o.status = 'pending')"
        ),
        params![run, ChangeKind::SignupCompleted.as_str()],
    )?;
    Ok(())
}

fn prune(tx: &Connection, now: i64) -> Result<()> {
    let (days, runs): (Option<i64>, Option<i64>) = tx
        .query_row("SELECT days, runs FROM history_retention", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((Some(90), None));
    if let Some(days) = days {
        tx.execute(
            "DELETE FROM sync_runs WHERE at < ?1",
            [now - days.max(0) * DAY_MS],
        )?;
    }
    if let Some(runs) = runs {
        tx.execute(
            "DELETE FROM sync_runs WHERE id NOT IN (SELECT id FROM sync_runs ORDER BY id DESC LIMIT ?1)",
            [runs.max(1)],
        )?;
    }
    tx.execute(
        "DELETE FROM changes WHERE run NOT IN (SELECT id FROM sync_runs)",
        [],
    )?;
    Ok(())
}

fn run_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SyncRun> {
    let counts: String = r.get(7)?;
    let counts: Map<String, Value> = serde_json::from_str(&counts).unwrap_or_default();
    let mut counts: Vec<(ChangeKind, usize)> = counts
        .into_iter()
        .filter_map(|(k, n)| Some((ChangeKind::parse(&k)?, n.as_u64()? as usize)))
        .collect();
    counts.sort();
    Ok(SyncRun {
        id: r.get(0)?,
        started_at: r.get(1)?,
        at: r.get(2)?,
        users: r.get::<_, i64>(3)? as usize,
        invites: r.get::<_, i64>(4)? as usize,
        signups: r.get::<_, i64>(5)? as usize,
        first: r.get(6)?,
        counts,
    })
}

impl Cache {
    /// The recorded sync runs, newest first.
    pub fn sync_runs(&self) -> Result<Vec<SyncRun>> {
        let conn = self.read_conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, started_at, at, users, invites, signups, first, counts \
             FROM sync_runs ORDER BY id DESC",
        )?;
        let runs = stmt
            .query_map([], run_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(runs)
    }

    /// A window of the changes `query` keeps: newest run first, then by kind and handle.
    pub fn changes(&self, query: &ChangeQuery) -> Result<Window<Change>> {
        let conn = self.read_conn();
        let mut filter = String::from("instr(lower(c.handle), ?1) > 0");
        if let Some(run) = query.run {
            filter.push_str(&format!(" AND c.run = {run}"));
        }
        if let Some(since) = query.since {
            filter.push_str(&format!(" AND r.at >= {since}"));
        }
        if !query.kinds.is_empty() {
            // Kind names are this crate's constants, never user text.
            let kinds: Vec<String> = query
                .kinds
                .iter()
                .map(|k| format!("'{}'", k.as_str()))
                .collect();
            filter.push_str(&format!(" AND c.kind IN ({})", kinds.join(",")));
        }
        let needle = fold(&query.text);
        let from = "changes c JOIN sync_runs r ON r.id = c.run";
        let total: i64 = conn.query_row("SELECT count(*) FROM changes", [], |r| r.get(0))?;
        let matching: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {from} WHERE {filter}"),
            [&needle],
            |r| r.get(0),
        )?;
        let clamp = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let mut stmt = conn.prepare(&format!(
            "SELECT c.run, r.at, c.kind, c.record_id, c.handle, c.detail FROM {from} \
             WHERE {filter} ORDER BY c.run DESC, c.kind, c.handle LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt
            .query_map(
                params![needle, clamp(query.limit), clamp(query.offset)],
                |r| {
                    let kind: String = r.get(2)?;
                    let detail: Option<String> = r.get(5)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        kind,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        detail,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|(run, at, kind, record_id, handle, detail)| {
                Some(Change {
                    run,
                    at,
                    kind: ChangeKind::parse(&kind)?,
                    record_id,
                    handle,
                    detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
                })
            })
            .collect();
        Ok(Window {
            rows,
            total: total as usize,
            matching: matching as usize,
        })
    }

    /// The ids of the users the newest run found new or changed (and still there).
    pub fn changed_user_ids(&self) -> Result<std::collections::HashSet<String>> {
        let conn = self.read_conn();
        let kinds: Vec<String> = ChangeKind::ALL
            .iter()
            .filter(|k| k.is_user_kept())
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT DISTINCT record_id FROM changes \
             WHERE run = (SELECT max(id) FROM sync_runs) AND kind IN ({})",
            kinds.join(",")
        ))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// How long the feed is kept.
    pub fn history_retention(&self) -> Result<Retention> {
        let conn = self.read_conn();
        let (days, runs): (Option<i64>, Option<i64>) = conn
            .query_row("SELECT days, runs FROM history_retention", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .unwrap_or((Some(90), None));
        let fit = |v: Option<i64>| v.map(|v| u32::try_from(v.max(0)).unwrap_or(u32::MAX));
        Ok(Retention {
            days: fit(days),
            runs: fit(runs),
        })
    }

    /// Keeps the feed as `retention` says from the next sync on.
    pub fn set_history_retention(&self, retention: Retention) -> Result<()> {
        let mut conn = crate::store::lock(&self.inner.write);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM history_retention", [])?;
        tx.execute(
            "INSERT INTO history_retention (days, runs) VALUES (?1, ?2)",
            params![retention.days, retention.runs],
        )?;
        crate::schema::count_write(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_paths_name_nested_keys_with_before_and_after() {
        let before = json!({"team": "red", "profile": {"city": "Oslo", "zip": 1}, "gone": true});
        let after = json!({"team": "blue", "profile": {"city": "Oslo", "zip": 2}, "new": [1]});
        let keys = changed_paths(&before, &after);
        assert_eq!(
            Value::Object(keys),
            json!({
                "gone": [true, null],
                "new": [null, [1]],
                "profile.zip": [1, 2],
                "team": ["red", "blue"],
            })
        );
        assert!(changed_paths(&before, &before).is_empty());
    }

    #[test]
    fn kinds_read_back_by_name() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(kind.as_str()), Some(kind));
        }
    }
}
