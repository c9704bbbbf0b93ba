//! What the host keeps in memory about each app's users, for the two reads that a
//! million users make slow in SQLite alone: deep pages (OFFSET steps over every
//! skipped row) and regex search (a callback per row).
//!
//! Each piece carries the app's change stamp (see `user_stamps` in the schema) and is
//! rebuilt on first use after a user is added or removed. Status, password, metadata
//! and login changes move no user and leave the pieces valid.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

use regex::Regex;
use rusqlite::{Connection, Row, params};
use serde_json::Value;

use super::users::{self, COLUMNS, User};
use crate::error::Error;

/// Rows between two page anchors: the most a deep page steps over in SQLite.
const STEP: u64 = 256;

const NOT_ANON: &str = "substr(handle, 1, 5) <> 'ANON_'";

/// The sort key `(created_at, id)` of every `STEP`-th row, newest first, and how many
/// rows there are.
struct Anchors {
    keys: Vec<(String, String)>,
    rows: u64,
}

/// Handles and user names in handle order, packed into one text to spare a
/// million small allocations.
struct Names {
    text: String,
    /// Per user: where its handle and then its user name end in `text`.
    ends: Vec<(usize, usize)>,
    rowids: Vec<i64>,
}

type Pieces<K, T> = Mutex<HashMap<K, (i64, Arc<T>)>>;

/// The memory of one host; all of it is built and read under the host's database lock.
#[derive(Default)]
pub struct Rosters {
    /// By table, app and whether `ANON_` users are left out.
    anchors: Pieces<(&'static str, String, bool), Anchors>,
    names: Pieces<String, Names>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn cached<K: Eq + Hash, T>(
    pieces: &Pieces<K, T>,
    key: K,
    stamp: i64,
    build: impl FnOnce() -> Result<T, Error>,
) -> Result<Arc<T>, Error> {
    if let Some((s, piece)) = lock(pieces).get(&key)
        && *s == stamp
    {
        return Ok(Arc::clone(piece));
    }
    let piece = Arc::new(build()?);
    lock(pieces).insert(key, (stamp, Arc::clone(&piece)));
    Ok(piece)
}

impl Rosters {
    /// Builds what the first deep page and the first search of an app would need,
    /// from one consistent read of `conn`.
    pub fn warm(&self, conn: &Connection, app_id: &str) -> Result<(), Error> {
        users_newest(conn, app_id, false)?.anchors(conn, self)?;
        self.names(conn, app_id)?;
        Ok(())
    }

    /// Drops what is kept about a deleted app.
    pub fn forget(&self, app_id: &str) {
        lock(&self.anchors).retain(|(_, id, _), _| id != app_id);
        lock(&self.names).remove(app_id);
    }

    fn names(&self, conn: &Connection, app_id: &str) -> Result<Arc<Names>, Error> {
        let stamp = users::stamp(conn, app_id)?;
        cached(&self.names, app_id.to_owned(), stamp, || {
            // The covering index holds all three columns (and the rowid) in handle order.
            let mut stmt = conn.prepare(
                "SELECT handle, user_name, rowid FROM users INDEXED BY users_search \
                 WHERE app_id = ?1 ORDER BY handle",
            )?;
            let mut rows = stmt.query([app_id])?;
            let mut names = Names {
                text: String::new(),
                ends: Vec::new(),
                rowids: Vec::new(),
            };
            while let Some(r) = rows.next()? {
                names.text.push_str(r.get_ref(0)?.as_str().unwrap_or(""));
                let handle_end = names.text.len();
                names.text.push_str(r.get_ref(1)?.as_str().unwrap_or(""));
                names.ends.push((handle_end, names.text.len()));
                names.rowids.push(r.get(2)?);
            }
            names.text.shrink_to_fit();
            Ok(names)
        })
    }
}

/// One app's rows of `table` (`users`, `invites` or `signups`), newest first, ties by
/// `_id` descending.
pub struct Newest<'a> {
    pub table: &'static str,
    pub columns: &'static str,
    pub app_id: &'a str,
    /// Leaves out `ANON_` handles.
    pub hide_anon: bool,
    /// The table's change stamp for the app: anchors kept under another are stale.
    pub stamp: i64,
}

impl Newest<'_> {
    fn filter(&self) -> &'static str {
        if self.hide_anon { NOT_ANON } else { "1" }
    }

    fn anchors(&self, conn: &Connection, rosters: &Rosters) -> Result<Arc<Anchors>, Error> {
        let key = (self.table, self.app_id.to_owned(), self.hide_anon);
        cached(&rosters.anchors, key, self.stamp, || {
            let mut stmt = conn.prepare(&format!(
                "SELECT created_at, id FROM {} WHERE app_id = ?1 AND {} \
                 ORDER BY created_at DESC, id DESC",
                self.table,
                self.filter()
            ))?;
            let mut rows = stmt.query([self.app_id])?;
            let (mut keys, mut at) = (Vec::new(), 0u64);
            while let Some(r) = rows.next()? {
                if at % STEP == 0 {
                    keys.push((r.get(0)?, r.get(1)?));
                }
                at += 1;
            }
            Ok(Anchors { keys, rows: at })
        })
    }

    /// How many rows there are: counted once per change, not once per page.
    pub fn count(&self, conn: &Connection, rosters: &Rosters) -> Result<u64, Error> {
        Ok(self.anchors(conn, rosters)?.rows)
    }

    /// The page after `skip` rows, each read by `read`. A deep page seeks to the nearest
    /// anchor at or before it and steps over the rest, instead of over every skipped row.
    pub fn page<T>(
        &self,
        conn: &Connection,
        rosters: &Rosters,
        skip: u64,
        limit: u64,
        mut read: impl FnMut(&Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, Error> {
        let (table, columns, filter) = (self.table, self.columns, self.filter());
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut out = Vec::new();
        if skip < STEP {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {columns} FROM {table} WHERE app_id = ?1 AND {filter} \
                 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
            ))?;
            let mut rows = stmt.query(params![
                self.app_id,
                limit,
                i64::try_from(skip).unwrap_or(0)
            ])?;
            while let Some(r) = rows.next()? {
                out.push(read(r)?);
            }
            return Ok(out);
        }
        let anchors = self.anchors(conn, rosters)?;
        let k = skip / STEP;
        let Some((created, id)) = usize::try_from(k).ok().and_then(|k| anchors.keys.get(k)) else {
            return Ok(out);
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {columns} FROM {table} WHERE app_id = ?1 AND {filter} \
             AND created_at <= ?4 AND (created_at < ?4 OR id <= ?5) \
             ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        ))?;
        let rest = i64::try_from(skip - k * STEP).unwrap_or(0);
        let mut rows = stmt.query(params![self.app_id, limit, rest, created, id])?;
        while let Some(r) = rows.next()? {
            out.push(read(r)?);
        }
        Ok(out)
    }
}

fn users_newest<'a>(
    conn: &Connection,
    app_id: &'a str,
    hide_anon: bool,
) -> Result<Newest<'a>, Error> {
    Ok(Newest {
        table: "users",
        columns: COLUMNS,
        app_id,
        hide_anon,
        stamp: users::stamp(conn, app_id)?,
    })
}

/// One page of users, newest first, ties by `_id` descending; `skip` counts rows.
pub fn page(
    conn: &Connection,
    rosters: &Rosters,
    app_id: &str,
    hide_anon: bool,
    skip: u64,
    limit: u64,
) -> Result<Vec<Value>, Error> {
    users_newest(conn, app_id, hide_anon)?.page(conn, rosters, skip, limit, |r| {
        User::from_row(r).map(|user| user.to_json(true))
    })
}

/// Users whose handle or user name the pattern matches, by handle ascending.
pub fn search(
    conn: &Connection,
    rosters: &Rosters,
    app_id: &str,
    pattern: &Regex,
    hide_anon: bool,
) -> Result<Vec<Value>, Error> {
    let names = rosters.names(conn, app_id)?;
    // Most users have no user name; whether "" matches is the same for all of them.
    let empty_matches = pattern.is_match("");
    let mut hits = Vec::new();
    let mut start = 0;
    for (&(handle_end, name_end), &rowid) in names.ends.iter().zip(&names.rowids) {
        let handle = names.text.get(start..handle_end).unwrap_or("");
        let name = names.text.get(handle_end..name_end).unwrap_or("");
        start = name_end;
        if hide_anon && handle.starts_with("ANON_") {
            continue;
        }
        let name_matches = if name.is_empty() {
            empty_matches
        } else {
            pattern.is_match(name)
        };
        if name_matches || pattern.is_match(handle) {
            hits.push(rowid);
        }
    }
    // Reading in rowid order walks the table front to back instead of jumping around
    // it; the answer goes back to handle order after.
    let mut order: Vec<(i64, usize)> = hits.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    order.sort_unstable();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE rowid = ?1 AND app_id = ?2"
    ))?;
    let mut found: Vec<Option<Value>> = vec![None; hits.len()];
    for (rowid, at) in order {
        let mut rows = stmt.query_map(params![rowid, app_id], User::from_row)?;
        if let (Some(user), Some(slot)) = (rows.next().transpose()?, found.get_mut(at)) {
            *slot = Some(user.to_json(true));
        }
    }
    Ok(found.into_iter().flatten().collect())
}
