//! The app activity log and the mailbox of what the host would have e-mailed.

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, params, params_from_iter};
use serde_json::{Value, json};

use crate::clock;
use crate::error::Error;

/// One log entry to append.
pub struct Entry<'a> {
    pub handle: Option<&'a str>,
    pub action: &'a str,
    pub ok: bool,
    /// `app` for app settings, `user` for anything about a user.
    pub log_type: &'a str,
    pub value: String,
}

pub fn log(conn: &Connection, app_id: &str, e: &Entry) -> Result<(), Error> {
    let now = clock::now_ms();
    conn.prepare_cached(
        "INSERT INTO logs(id, app_id, handle, action, status, log_type, value, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        clock::object_id(now),
        app_id,
        e.handle,
        e.action,
        if e.ok { "success" } else { "error" },
        e.log_type,
        e.value,
        clock::iso(now)
    ])?;
    Ok(())
}

/// Filters of `GET /api/app/logs`; `None` means "all".
#[derive(Default)]
pub struct LogFilter {
    pub log_type: Option<String>,
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub action: Option<String>,
}

pub fn logs(
    conn: &Connection,
    app_id: &str,
    f: &LogFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Value>, u64), Error> {
    let mut filter = String::from("app_id = ?");
    let mut args = vec![Sql::Text(app_id.into())];
    for (cond, value) in [
        ("log_type = ?", &f.log_type),
        ("status = ?", &f.status),
        ("created_at >= ?", &f.from),
        ("created_at <= ?", &f.to),
        ("action = ?", &f.action),
    ] {
        if let Some(v) = value {
            filter.push_str(" AND ");
            filter.push_str(cond);
            args.push(Sql::Text(v.clone()));
        }
    }
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM logs WHERE {filter}"),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    args.push(Sql::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    args.push(Sql::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
    let mut stmt = conn.prepare(&format!(
        "SELECT app_id, handle, action, status, log_type, value, created_at FROM logs \
         WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        let mut v = json!({
            "appId": r.get::<_, String>(0)?,
            "action": r.get::<_, String>(2)?,
            "status": r.get::<_, String>(3)?,
            "logType": r.get::<_, String>(4)?,
            "value": r.get::<_, String>(5)?,
            "createdAt": r.get::<_, String>(6)?,
        });
        if let Some(h) = r.get::<_, Option<String>>(1)? {
            v["handle"] = h.into();
        }
        Ok(v)
    })?;
    Ok((
        rows.collect::<rusqlite::Result<_>>()?,
        u64::try_from(total).unwrap_or(0),
    ))
}

/// One message the host would have e-mailed.
pub struct Mail<'a> {
    pub handle: &'a str,
    pub kind: &'a str,
    pub code: Option<i64>,
    pub password: Option<&'a str>,
    pub created_ms: i64,
}

pub fn mail(conn: &Connection, app_id: &str, m: &Mail) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO mailbox(app_id, handle, kind, code, password, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        app_id,
        m.handle,
        m.kind,
        m.code,
        m.password,
        clock::iso(m.created_ms)
    ])?;
    Ok(())
}

/// Everything mailed to a handle, oldest first.
pub fn mailbox(conn: &Connection, app_id: &str, handle: &str) -> Result<Vec<Value>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, handle, code, password, created_at FROM mailbox \
         WHERE app_id = ?1 AND handle = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map([app_id, handle], |r| {
        let mut v = json!({
            "kind": r.get::<_, String>(0)?,
            "handle": r.get::<_, String>(1)?,
            "createdAt": r.get::<_, String>(4)?,
        });
        if let Some(code) = r.get::<_, Option<i64>>(2)? {
            v["code"] = code.into();
        }
        if let Some(p) = r.get::<_, Option<String>>(3)? {
            v["password"] = p.into();
        }
        Ok(v)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
