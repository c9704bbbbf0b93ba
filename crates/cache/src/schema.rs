//! The file: creating it private, opening it with the right pragmas, and migrating its
//! schema (`PRAGMA user_version`).
//!
//! Table DDL is generated from a name so that a sync can build `stage_*` twins of the
//! live tables in the same file and swap them in by renaming.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};
use crate::records::ListKind;

/// The schema version this build writes and reads.
pub(crate) const SCHEMA_VERSION: i32 = 4;

/// How long a writer waits for another connection's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The `CREATE TABLE` and `CREATE INDEX` statements of one list under a table name.
/// `tag` keeps index names unique while a staged twin and the live table coexist.
pub(crate) fn list_ddl(kind: ListKind, table: &str, tag: &str) -> String {
    format!(
        "{} {}",
        list_table_ddl(kind, table),
        list_index_ddl(table, tag)
    )
}

/// The secondary indexes of a list's table: a sync creates them once its rows are in,
/// which sorts each once instead of inserting a million keys in random order.
pub(crate) fn list_index_ddl(table: &str, tag: &str) -> String {
    format!("CREATE INDEX {table}_handle_{tag} ON {table}(handle);")
}

/// The `CREATE TABLE` statement of one list under a table name.
pub(crate) fn list_table_ddl(kind: ListKind, table: &str) -> String {
    let columns = match kind {
        ListKind::Users => {
            "id TEXT PRIMARY KEY NOT NULL, handle TEXT NOT NULL, user_name TEXT NOT NULL, \
             status TEXT NOT NULL, locale TEXT NOT NULL, login_provider TEXT NOT NULL, \
             meta_data TEXT NOT NULL, created_at INTEGER NOT NULL, \
             updated_at INTEGER NOT NULL, last_login INTEGER"
        }
        ListKind::Invites => {
            "id TEXT PRIMARY KEY NOT NULL, handle TEXT NOT NULL, sender_handle TEXT NOT NULL, \
             sender_user_id TEXT NOT NULL, status TEXT NOT NULL, code TEXT NOT NULL, \
             meta_data TEXT NOT NULL, created_at INTEGER NOT NULL, search TEXT NOT NULL"
        }
        ListKind::Signups => {
            "id TEXT PRIMARY KEY NOT NULL, handle TEXT NOT NULL, code INTEGER NOT NULL, \
             status TEXT NOT NULL, meta_data TEXT NOT NULL, created_at INTEGER NOT NULL, \
             search TEXT NOT NULL"
        }
    };
    format!("CREATE TABLE {table} ({columns});")
}

fn migration_1() -> String {
    let mut sql = String::from(
        "CREATE TABLE sync_times (list TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL);",
    );
    for kind in ListKind::ALL {
        sql.push_str(&list_ddl(kind, kind.table(), "0"));
    }
    sql
}

/// Version 2: a count of the write transactions on the file, which every writer bumps,
/// so that a process can tell another one (the CLI, another window) changed it.
fn migration_2() -> String {
    "CREATE TABLE writes (n INTEGER NOT NULL); INSERT INTO writes (n) VALUES (0);".to_owned()
}

/// Version 4: a random identity of the file, which its index image is keyed to: a file
/// started again from empty counts its writes from 0 again.
fn migration_4() -> String {
    "CREATE TABLE identity (id BLOB NOT NULL); INSERT INTO identity (id) VALUES (randomblob(16));"
        .to_owned()
}

/// The file's identity (see [`migration_4`]).
pub(crate) fn identity(conn: &Connection) -> rusqlite::Result<[u8; 16]> {
    let id: Vec<u8> = conn
        .prepare_cached("SELECT id FROM identity")?
        .query_row([], |r| r.get(0))?;
    // Written by this crate as 16 bytes; anything else reads as the all-zero identity,
    // which no image is saved under by another file.
    Ok(id.try_into().unwrap_or_default())
}

/// Bumps the file's count of writes inside the caller's transaction; answers the new
/// count.
pub(crate) fn count_write(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("UPDATE writes SET n = n + 1 RETURNING n", [], |r| r.get(0))
}

/// How many rows `table` holds. The name is this crate's own, never user text.
pub(crate) fn row_count(conn: &Connection, table: &str) -> rusqlite::Result<usize> {
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    // A count is never negative; the cast cannot lose anything.
    Ok(n as usize)
}

/// The file's count of writes.
pub(crate) fn writes(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT n FROM writes")?
        .query_row([], |r| r.get(0))
}

/// Creates the file readable by its owner only, before SQLite opens it, so that it is
/// never world-readable even for a moment; tightens an existing file too.
pub(crate) fn ensure_private_file(path: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // SQLite gives the -wal and -shm files the main file's mode, so this covers them.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(())
}

/// Opens a connection with the pragmas every connection of the cache uses.
pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Rows of a few hundred bytes, written and compared a whole list at a time: at 1M
    // users a re-sync's work after the last page took 4.4 s with SQLite's default 4 KiB
    // pages and 3.3 s with these (its change feed 1.9 -> 0.9 s); a 100-row window reads
    // 0.3-0.7 ms longer. BENCHMARKS.md has the runs. Given after auto-vacuum, SQLite
    // keeps the default size.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // Free pages can be given back only by a file made so, and the setting holds only
    // when given before anything is written to a new file (WAL mode below writes its
    // header): each sync swaps in a whole new snapshot and frees the old one's pages,
    // which would otherwise double the file at rest. Both are no-ops on an existing file.
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    set_wal(&conn)?;
    // WAL with NORMAL is durable across application crashes; a power cut may lose the
    // last sync, which the next sync repairs.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

/// A connection that only reads an existing file: no pragma that could wait for the write
/// lock another connection of this process holds.
pub(crate) fn connect_to_read(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// The page size of a new file, in bytes.
const PAGE_SIZE: u32 = 16 * 1024;

/// How many free pages make `bytes` in this file (whatever page size it was made with).
pub(crate) fn pages_in(conn: &Connection, bytes: u32) -> rusqlite::Result<u32> {
    let page_size: u32 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok((bytes / page_size.max(512)).max(1))
}

/// Gives up to `pages` free pages back to the file system (a file made with incremental
/// auto-vacuum); answers how many the file still has. The pragma frees one page per
/// step, each step answering an empty row.
pub(crate) fn give_back_free_pages(conn: &Connection, pages: u32) -> rusqlite::Result<i64> {
    {
        let mut stmt = conn.prepare(&format!("PRAGMA incremental_vacuum({pages})"))?;
        let mut steps = stmt.query([])?;
        while steps.next()?.is_some() {}
    }
    conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))
}

/// Puts the file in WAL mode. Switching a new file to WAL takes an exclusive lock that
/// SQLite does not wait for (no busy handler): when another process opens the same new
/// file at that moment, this tries again for a while.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::DatabaseBusy && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`]. A file from a newer build is refused as
/// unreadable rather than guessed at.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), OpenFailure> {
    // The version is read inside the writing transaction: two processes opening a new
    // file at once (the window and the CLI) must not both create its tables, or the
    // second one's "table already exists" would read as a damaged file.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(OpenFailure::Damaged(format!(
            "schema version {version} is newer than this build understands ({SCHEMA_VERSION})"
        )));
    }
    let migrations: [fn() -> String; 4] = [
        migration_1,
        migration_2,
        crate::history::migration_3,
        migration_4,
    ];
    for (i, migration) in migrations.iter().enumerate() {
        let target = i as i32 + 1;
        if version < target {
            tx.execute_batch(&migration())?;
            tx.pragma_update(None, "user_version", target)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Why opening failed: the file's content is damaged (move it aside and rebuild), or the
/// environment refused (locked, full, no permission: the file may be fine, so keep it).
#[derive(Debug)]
pub(crate) enum OpenFailure {
    Damaged(String),
    Other(Error),
}

impl From<rusqlite::Error> for OpenFailure {
    fn from(e: rusqlite::Error) -> Self {
        let damaged = match &e {
            rusqlite::Error::SqliteFailure(f, _) => matches!(
                f.code,
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase | ErrorCode::Unknown
            ),
            // A column of the wrong type means the file holds something we did not write.
            rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => true,
            _ => false,
        };
        if damaged {
            OpenFailure::Damaged(e.to_string())
        } else {
            OpenFailure::Other(Error::Sqlite(e))
        }
    }
}

impl From<Error> for OpenFailure {
    fn from(e: Error) -> Self {
        match e {
            Error::Sqlite(e) => e.into(),
            other => OpenFailure::Other(other),
        }
    }
}

/// Renames a damaged file (and its WAL and shared-memory files) out of the way with a
/// `.corrupt-<millis>` suffix, and returns the new name of the main file.
pub(crate) fn move_aside(path: &Path, now_ms: i64) -> Result<PathBuf> {
    let suffix = format!(".corrupt-{now_ms}");
    let with = |extra: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(extra);
        PathBuf::from(s)
    };
    let target = with(&suffix);
    std::fs::rename(path, &target).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // The index image shows the file set aside, not the new one.
    let _ = std::fs::remove_file(crate::index::image_path(path));
    for side in ["-wal", "-shm"] {
        let from = with(side);
        if from.exists() {
            // A stale WAL must not be replayed into the new file; losing it is fine
            // because the whole file is being set aside.
            let _ = std::fs::rename(&from, with(&format!("{suffix}{side}")));
        }
    }
    Ok(target)
}
