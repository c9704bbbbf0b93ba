//! Onboarding records: signups and invites.

use regex::Regex;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

use super::json_text;
use super::roster::{Newest, Rosters};
use crate::clock;
use crate::error::Error;

/// Which onboarding table a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Signup,
    Invite,
}

impl Kind {
    pub(super) fn table(self) -> &'static str {
        match self {
            Kind::Signup => "signups",
            Kind::Invite => "invites",
        }
    }

    fn columns(self) -> &'static str {
        match self {
            Kind::Signup => {
                "id, app_id, handle, code, meta_data, locale, status, created_at, updated_at, \
                 password, user_name"
            }
            Kind::Invite => {
                "id, app_id, handle, code, meta_data, sender_handle, status, created_at, \
                 updated_at, sender_user_id, ''"
            }
        }
    }

    fn to_json(self, r: &Row) -> rusqlite::Result<Record> {
        let mut v = json!({
            "_id": r.get::<_, String>(0)?,
            "appId": r.get::<_, String>(1)?,
            "handle": r.get::<_, String>(2)?,
            "code": r.get::<_, i64>(3)?,
            "metaData": json_text(&r.get::<_, String>(4)?),
            "status": r.get::<_, String>(6)?,
            "createdAt": r.get::<_, String>(7)?,
            "updatedAt": r.get::<_, String>(8)?,
        });
        let last: String = r.get(9)?;
        match self {
            Kind::Signup => v["locale"] = r.get::<_, String>(5)?.into(),
            Kind::Invite => {
                v["senderHandle"] = r.get::<_, String>(5)?.into();
                v["senderUserId"] = last.clone().into();
            }
        }
        let password = if self == Kind::Signup {
            last
        } else {
            String::new()
        };
        Ok(Record {
            json: v,
            password,
            user_name: r.get(10)?,
        })
    }
}

/// A record as the host shows it, with what a signup keeps for its user beside it.
#[derive(Debug, Clone)]
pub struct Record {
    pub json: Value,
    pub password: String,
    /// The user name asked for at signup; the host does not show it on the record.
    pub user_name: String,
}

impl Record {
    pub fn id(&self) -> &str {
        self.json["_id"].as_str().unwrap_or("")
    }
    pub fn status(&self) -> &str {
        self.json["status"].as_str().unwrap_or("")
    }
    pub fn code(&self) -> i64 {
        self.json["code"].as_i64().unwrap_or(-1)
    }
    pub fn created_ms(&self) -> i64 {
        self.json["createdAt"]
            .as_str()
            .and_then(clock::parse)
            .unwrap_or(0)
    }
}

/// The fields of a new record; `extra` is the signup's locale or the invite's sender handle.
pub struct NewRecord<'a> {
    pub app_id: &'a str,
    pub handle: &'a str,
    pub code: i64,
    pub meta_data: &'a Value,
    pub extra: &'a str,
    pub status: &'a str,
    /// The signup's password hash, or the invite's sender user id.
    pub last: &'a str,
    pub created_ms: i64,
}

pub fn insert(conn: &Connection, kind: Kind, r: &NewRecord) -> Result<Record, Error> {
    let id = clock::object_id(r.created_ms);
    let created = clock::iso(r.created_ms);
    let (extra_col, last_col) = match kind {
        Kind::Signup => ("locale", "password"),
        Kind::Invite => ("sender_handle", "sender_user_id"),
    };
    conn.prepare_cached(&format!(
        "INSERT INTO {}(id, app_id, handle, code, meta_data, {extra_col}, status, created_at, \
         updated_at, {last_col}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
        kind.table()
    ))?
    .execute(params![
        id,
        r.app_id,
        r.handle,
        r.code,
        r.meta_data.to_string(),
        r.extra,
        r.status,
        created,
        r.last
    ])?;
    by_id(conn, kind, r.app_id, &id)?.ok_or_else(|| Error::Corrupt("record vanished".into()))
}

fn query(conn: &Connection, kind: Kind, filter: &str, args: &[&str]) -> Result<Vec<Record>, Error> {
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter}",
        kind.columns(),
        kind.table()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| kind.to_json(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest record of a handle.
pub fn by_handle(
    conn: &Connection,
    kind: Kind,
    app_id: &str,
    handle: &str,
) -> Result<Option<Record>, Error> {
    Ok(query(
        conn,
        kind,
        "app_id = ?1 AND handle = ?2 ORDER BY created_at DESC, id DESC LIMIT 1",
        &[app_id, handle],
    )?
    .pop())
}

pub fn by_id(
    conn: &Connection,
    kind: Kind,
    app_id: &str,
    id: &str,
) -> Result<Option<Record>, Error> {
    Ok(query(conn, kind, "app_id = ?1 AND id = ?2", &[app_id, id])?.pop())
}

pub fn set_status(conn: &Connection, kind: Kind, id: &str, status: &str) -> Result<(), Error> {
    conn.execute(
        &format!(
            "UPDATE {} SET status = ?2, updated_at = ?3 WHERE id = ?1",
            kind.table()
        ),
        params![id, status, clock::now_iso()],
    )?;
    Ok(())
}

/// Keeps the user name a signup asked for, to give it to the user it becomes.
pub fn set_user_name(conn: &Connection, id: &str, user_name: &str) -> Result<(), Error> {
    conn.execute(
        "UPDATE signups SET user_name = ?2 WHERE id = ?1",
        params![id, user_name],
    )?;
    Ok(())
}

pub fn delete_id(conn: &Connection, kind: Kind, id: &str) -> Result<(), Error> {
    conn.execute(&format!("DELETE FROM {} WHERE id = ?1", kind.table()), [id])?;
    Ok(())
}

pub fn delete_handle(
    conn: &Connection,
    kind: Kind,
    app_id: &str,
    handle: &str,
) -> Result<(), Error> {
    conn.execute(
        &format!(
            "DELETE FROM {} WHERE app_id = ?1 AND handle = ?2",
            kind.table()
        ),
        [app_id, handle],
    )?;
    Ok(())
}

/// The list's change stamp: it moves whenever a record is added or removed.
pub fn stamp(conn: &Connection, kind: Kind, app_id: &str) -> Result<i64, Error> {
    Ok(conn
        .prepare_cached("SELECT stamp FROM list_stamps WHERE list = ?1 AND app_id = ?2")?
        .query_row([kind.table(), app_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Moves the list's change stamp, for writers that bypass the triggers.
pub fn touch(conn: &Connection, kind: Kind, app_id: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO list_stamps(list, app_id, stamp) VALUES (?1, ?2, random()) \
         ON CONFLICT(list, app_id) DO UPDATE SET stamp = excluded.stamp",
        [kind.table(), app_id],
    )?;
    Ok(())
}

/// One page newest first, and the total; `skip` counts records.
pub fn page(
    conn: &Connection,
    rosters: &Rosters,
    kind: Kind,
    app_id: &str,
    skip: u64,
    limit: u64,
) -> Result<(Vec<Value>, u64), Error> {
    let stamp = stamp(conn, kind, app_id)?;
    let newest = Newest {
        table: kind.table(),
        columns: kind.columns(),
        app_id,
        hide_anon: false,
        stamp,
    };
    let out = newest.page(conn, rosters, skip, limit, |r| {
        kind.to_json(r).map(|record| record.json)
    })?;
    Ok((out, newest.count(conn, rosters)?))
}

/// Records whose handle the pattern matches, by handle ascending.
pub fn search(
    conn: &Connection,
    kind: Kind,
    app_id: &str,
    pattern: &Regex,
) -> Result<Vec<Value>, Error> {
    let re = pattern.clone();
    conn.create_scalar_function(
        "cosync_match",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| Ok(re.is_match(ctx.get_raw(0).as_str().unwrap_or(""))),
    )?;
    Ok(query(
        conn,
        kind,
        "app_id = ?1 AND cosync_match(handle) ORDER BY handle, created_at DESC",
        &[app_id],
    )?
    .into_iter()
    .map(|r| r.json)
    .collect())
}
