//! Reading and writing records as table rows; shared by live tables and staged twins,
//! so each function takes the table name.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use crate::records::{Invite, Onboarding, Signup, User};
use crate::text::folded_fields;

pub(crate) const USER_COLUMNS: &str = "id, handle, user_name, status, locale, login_provider, \
     meta_data, created_at, updated_at, last_login";
pub(crate) const INVITE_COLUMNS: &str =
    "id, handle, sender_handle, sender_user_id, status, code, meta_data, created_at";
pub(crate) const SIGNUP_COLUMNS: &str = "id, handle, code, status, meta_data, created_at";

/// Metadata that does not parse (a damaged row) reads as JSON null rather than failing.
fn meta(row: &Row<'_>, i: usize) -> rusqlite::Result<Value> {
    Ok(serde_json::from_str(row.get_ref(i)?.as_str()?).unwrap_or(Value::Null))
}

pub(crate) fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        handle: row.get(1)?,
        user_name: row.get(2)?,
        status: row.get(3)?,
        locale: row.get(4)?,
        login_provider: row.get(5)?,
        meta_data: meta(row, 6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
        last_login: row.get(9)?,
    })
}

pub(crate) fn invite_from_row(row: &Row<'_>) -> rusqlite::Result<Invite> {
    Ok(Invite {
        id: row.get(0)?,
        handle: row.get(1)?,
        sender_handle: row.get(2)?,
        sender_user_id: row.get(3)?,
        status: row.get(4)?,
        code: row.get(5)?,
        meta_data: meta(row, 6)?,
        created_at: row.get(7)?,
    })
}

pub(crate) fn signup_from_row(row: &Row<'_>) -> rusqlite::Result<Signup> {
    Ok(Signup {
        id: row.get(0)?,
        handle: row.get(1)?,
        code: row.get(2)?,
        status: row.get(3)?,
        meta_data: meta(row, 4)?,
        created_at: row.get(5)?,
    })
}

/// The side column that invitation and signup search runs `instr` over: folded fields
/// joined by NUL, which no folded text contains.
fn search_column(fields: &[&str], meta: &Value) -> String {
    folded_fields(fields, meta).join("\0")
}

pub(crate) fn put_users(conn: &Connection, table: &str, users: &[User]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {table} ({USER_COLUMNS}) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
    ))?;
    for u in users {
        stmt.execute(params![
            u.id,
            u.handle,
            u.user_name,
            u.status,
            u.locale,
            u.login_provider,
            u.meta_data.to_string(),
            u.created_at,
            u.updated_at,
            u.last_login
        ])?;
    }
    Ok(())
}

pub(crate) fn put_invites(
    conn: &Connection,
    table: &str,
    invites: &[Invite],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {table} ({INVITE_COLUMNS}, search) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
    ))?;
    for i in invites {
        stmt.execute(params![
            i.id,
            i.handle,
            i.sender_handle,
            i.sender_user_id,
            i.status,
            i.code,
            i.meta_data.to_string(),
            i.created_at,
            search_column(&[&i.handle, &i.sender_handle], &i.meta_data)
        ])?;
    }
    Ok(())
}

pub(crate) fn put_signups(
    conn: &Connection,
    table: &str,
    signups: &[Signup],
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {table} ({SIGNUP_COLUMNS}, search) VALUES (?1,?2,?3,?4,?5,?6,?7)"
    ))?;
    for s in signups {
        stmt.execute(params![
            s.id,
            s.handle,
            s.code,
            s.status,
            s.meta_data.to_string(),
            s.created_at,
            search_column(&[&s.handle], &s.meta_data)
        ])?;
    }
    Ok(())
}

pub(crate) fn get_user(conn: &Connection, table: &str, id: &str) -> rusqlite::Result<Option<User>> {
    conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM {table} WHERE id = ?1"))?
        .query_row([id], user_from_row)
        .optional()
}

/// Onboarding of one handle, by the rule of portal API §4.
pub(crate) fn onboarding_of(
    conn: &Connection,
    invites: &str,
    signups: &str,
    handle: &str,
) -> rusqlite::Result<Onboarding> {
    conn.prepare_cached(&format!(
        "SELECT EXISTS(SELECT 1 FROM {invites} WHERE handle = ?1 AND status = 'verified'), \
         (SELECT CASE WHEN SUM(code = 0) > 0 THEN 0 ELSE MAX(code) END \
          FROM {signups} WHERE handle = ?1)"
    ))?
    .query_row([handle], |r| Ok(Onboarding::derive(r.get(0)?, r.get(1)?)))
}
