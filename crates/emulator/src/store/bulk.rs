//! Bulk loading: writing a million rows one B-tree at a time.
//!
//! Keeping five secondary indexes and the counting triggers up to date row by row
//! costs far more than sorting each index once at the end, so a seed into an app
//! without users drops them, loads, and rebuilds them from the schema.

use rusqlite::Connection;

use super::SCHEMA;
use crate::error::Error;

/// What `begin` drops; `finish` recreates all of it from [`SCHEMA`].
const UPKEEP: [&str; 13] = [
    "DROP INDEX IF EXISTS users_handle",
    "DROP INDEX IF EXISTS users_newest",
    "DROP INDEX IF EXISTS users_search",
    "DROP INDEX IF EXISTS signups_handle",
    "DROP INDEX IF EXISTS signups_newest",
    "DROP TRIGGER IF EXISTS users_counted",
    "DROP TRIGGER IF EXISTS users_uncounted",
    "DROP TRIGGER IF EXISTS users_added",
    "DROP TRIGGER IF EXISTS users_removed",
    "DROP TRIGGER IF EXISTS invites_added",
    "DROP TRIGGER IF EXISTS invites_removed",
    "DROP TRIGGER IF EXISTS signups_added",
    "DROP TRIGGER IF EXISTS signups_removed",
];

/// Drops the per-row upkeep. Only for an app without users: without the unique
/// handle index nothing refuses a duplicate handle until `finish` rebuilds it.
pub fn begin(conn: &Connection) -> Result<(), Error> {
    for sql in UPKEEP {
        conn.execute(sql, [])?;
    }
    Ok(())
}

/// Rebuilds indexes and triggers, then sets the app's counts and change stamps that
/// the dropped triggers would have kept.
pub fn finish(conn: &Connection, app_id: &str) -> Result<(), Error> {
    conn.execute_batch(SCHEMA)?;
    conn.execute(
        "INSERT INTO user_counts(app_id, users, anon) \
         SELECT ?1, (SELECT COUNT(*) FROM users WHERE app_id = ?1), \
                (SELECT COUNT(*) FROM users \
                 WHERE app_id = ?1 AND handle >= 'ANON_' AND handle < 'ANON`') \
         ON CONFLICT(app_id) DO UPDATE SET users = excluded.users, anon = excluded.anon",
        [app_id],
    )?;
    super::users::touch(conn, app_id)?;
    for kind in [super::records::Kind::Invite, super::records::Kind::Signup] {
        super::records::touch(conn, kind, app_id)?;
    }
    Ok(())
}
