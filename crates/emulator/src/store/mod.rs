//! The host's data in SQLite: schema, opening, and the host's own keys.
//!
//! One connection serves the whole host; callers run every write inside a
//! transaction so that a failed request leaves nothing half done.

pub mod apps;
pub mod bulk;
pub mod journal;
pub mod records;
pub mod roster;
pub mod users;

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::tokens::KeyPair;

pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apps(
    app_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, private_key TEXT NOT NULL,
    doc TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
    id TEXT NOT NULL UNIQUE, app_id TEXT NOT NULL, handle TEXT NOT NULL,
    user_name TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, password TEXT NOT NULL,
    locale TEXT NOT NULL, login_provider TEXT NOT NULL, extra TEXT NOT NULL,
    meta_data TEXT NOT NULL, last_login TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS users_handle ON users(app_id, handle);
CREATE INDEX IF NOT EXISTS users_newest ON users(app_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS users_search ON users(app_id, handle, user_name, id);
CREATE TABLE IF NOT EXISTS signups(
    id TEXT NOT NULL UNIQUE, app_id TEXT NOT NULL, handle TEXT NOT NULL,
    code INTEGER NOT NULL, meta_data TEXT NOT NULL, locale TEXT NOT NULL,
    status TEXT NOT NULL, password TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    user_name TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS signups_handle ON signups(app_id, handle);
CREATE INDEX IF NOT EXISTS signups_newest ON signups(app_id, created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS invites(
    id TEXT NOT NULL UNIQUE, app_id TEXT NOT NULL, handle TEXT NOT NULL,
    sender_handle TEXT NOT NULL, sender_user_id TEXT NOT NULL, meta_data TEXT NOT NULL,
    code INTEGER NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS invites_handle ON invites(app_id, handle);
CREATE INDEX IF NOT EXISTS invites_newest ON invites(app_id, created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS logs(
    id TEXT NOT NULL, app_id TEXT NOT NULL, handle TEXT, action TEXT NOT NULL,
    status TEXT NOT NULL, log_type TEXT NOT NULL, value TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS logs_newest ON logs(app_id, created_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS mailbox(
    seq INTEGER PRIMARY KEY, app_id TEXT NOT NULL, handle TEXT NOT NULL,
    kind TEXT NOT NULL, code INTEGER, password TEXT, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mailbox_handle ON mailbox(app_id, handle, seq);
-- Counting a million users on every page would dominate `stat`: keep counts.
CREATE TABLE IF NOT EXISTS user_counts(
    app_id TEXT PRIMARY KEY, users INTEGER NOT NULL, anon INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS users_counted AFTER INSERT ON users BEGIN
    INSERT INTO user_counts(app_id, users, anon)
    VALUES (NEW.app_id, 1, substr(NEW.handle, 1, 5) = 'ANON_')
    ON CONFLICT(app_id) DO UPDATE SET users = users + 1, anon = anon + excluded.anon;
END;
CREATE TRIGGER IF NOT EXISTS users_uncounted AFTER DELETE ON users BEGIN
    UPDATE user_counts SET users = users - 1,
        anon = anon - (substr(OLD.handle, 1, 5) = 'ANON_')
    WHERE app_id = OLD.app_id;
END;
-- What memory keeps about an app's users (page anchors, names to search) is stale
-- once its stamp changes; a random stamp also survives a rolled-back change.
CREATE TABLE IF NOT EXISTS user_stamps(app_id TEXT PRIMARY KEY, stamp INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS users_added AFTER INSERT ON users BEGIN
    INSERT INTO user_stamps(app_id, stamp) VALUES (NEW.app_id, random())
    ON CONFLICT(app_id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER IF NOT EXISTS users_removed AFTER DELETE ON users BEGIN
    INSERT INTO user_stamps(app_id, stamp) VALUES (OLD.app_id, random())
    ON CONFLICT(app_id) DO UPDATE SET stamp = excluded.stamp;
END;
-- The same for an app's invitations and signups (`list` names the table), whose page
-- anchors only an insert or a delete moves: no update changes `created_at` or `id`.
CREATE TABLE IF NOT EXISTS list_stamps(
    list TEXT NOT NULL, app_id TEXT NOT NULL, stamp INTEGER NOT NULL,
    PRIMARY KEY(list, app_id));
CREATE TRIGGER IF NOT EXISTS invites_added AFTER INSERT ON invites BEGIN
    INSERT INTO list_stamps(list, app_id, stamp) VALUES ('invites', NEW.app_id, random())
    ON CONFLICT(list, app_id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER IF NOT EXISTS invites_removed AFTER DELETE ON invites BEGIN
    INSERT INTO list_stamps(list, app_id, stamp) VALUES ('invites', OLD.app_id, random())
    ON CONFLICT(list, app_id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER IF NOT EXISTS signups_added AFTER INSERT ON signups BEGIN
    INSERT INTO list_stamps(list, app_id, stamp) VALUES ('signups', NEW.app_id, random())
    ON CONFLICT(list, app_id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER IF NOT EXISTS signups_removed AFTER DELETE ON signups BEGIN
    INSERT INTO list_stamps(list, app_id, stamp) VALUES ('signups', OLD.app_id, random())
    ON CONFLICT(list, app_id) DO UPDATE SET stamp = excluded.stamp;
END;
"#;

const DB_FILE: &str = "cosync-emulator.sqlite";

/// Creates the data folder (0700) and the database file (0600) for the user only, before
/// SQLite opens it: the file holds the host's private keys and every user's password
/// hash, and SQLite gives its `-wal`, `-shm` and `-journal` files the main file's mode.
/// Existing ones are narrowed, so a folder made by an older build is closed too.
fn create_private(dir: &Path, db: &Path) -> std::io::Result<()> {
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    let mut file = std::fs::OpenOptions::new();
    file.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        folder.mode(0o700);
        file.mode(0o600);
    }
    folder.create(dir)?;
    file.open(db)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Best effort: a folder the user does not own (`--data` is free) still serves.
        let narrow = |path: &Path, mode: u32| {
            if let Ok(meta) = std::fs::metadata(path)
                && meta.permissions().mode() & 0o777 != mode
            {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
            }
        };
        narrow(dir, 0o700);
        narrow(db, 0o600);
        for side in ["-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_owned();
            name.push(side);
            narrow(Path::new(&name), 0o600);
        }
    }
    Ok(())
}

/// Opens (creating if needed) the database of a data folder, or an in-memory one.
pub fn open(dir: Option<&Path>) -> Result<Connection, Error> {
    let conn = match dir {
        Some(dir) => {
            let path = dir.join(DB_FILE);
            create_private(dir, &path)?;
            let conn = Connection::open(&path)?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn
        }
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "cache_size", -64_000)?;
    conn.execute_batch(SCHEMA)?;
    add_signup_user_names(&conn)?;
    Ok(conn)
}

/// Data folders made before signups kept the requested user name lack the column.
fn add_signup_user_names(conn: &Connection) -> Result<(), Error> {
    let has: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('signups') WHERE name = 'user_name'",
        [],
        |r| r.get(0),
    )?;
    if !has {
        conn.execute(
            "ALTER TABLE signups ADD COLUMN user_name TEXT NOT NULL DEFAULT ''",
            [],
        )?;
    }
    Ok(())
}

/// A second, read-only connection to a data folder's database, for work that must
/// not hold the host's connection.
pub fn open_reader(dir: &Path) -> Result<Connection, Error> {
    let conn = Connection::open_with_flags(
        dir.join(DB_FILE),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// The host key and the server secret it signed, made on first use and kept.
pub fn host_keys(conn: &Connection) -> Result<(KeyPair, String), Error> {
    if let (Some(pem), Some(secret)) = (meta(conn, "host_key")?, meta(conn, "server_secret")?) {
        return Ok((KeyPair::from_pem(&pem)?, secret));
    }
    let key = KeyPair::generate()?;
    let mut claims = Map::new();
    claims.insert("name".into(), Value::from("cosync-emulator"));
    claims.insert("scope".into(), Value::from("server"));
    claims.insert("iat".into(), Value::from(crate::clock::now_ms() / 1000));
    let secret = key.sign(&claims);
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('host_key', ?1), ('server_secret', ?2)",
        params![key.private_pem(), secret],
    )?;
    Ok((key, secret))
}

/// Reads a JSON text column, treating damage as an empty object rather than failing.
pub(crate) fn json_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::Object(Map::new()))
}
