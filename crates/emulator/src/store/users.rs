//! End users of an app: lookup, changes, pages and regex search.

use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::json_text;
use crate::clock;
use crate::error::Error;

/// Fields the real admin list returns and a client must drop.
pub const SECRET_FIELDS: [&str; 3] = ["googleSecretKey", "phoneCode", "twoFactorCode"];

/// The rarely used fields, kept together as one JSON text.
pub const DEFAULT_EXTRA: &str = r#"{"twoFactorPhoneVerification":false,"twoFactorGoogleVerification":false,"phone":"","phoneVerified":false,"googleSecretKey":"","phoneCode":"","twoFactorCode":""}"#;

pub(super) const COLUMNS: &str = "id, app_id, handle, user_name, status, password, locale, login_provider, \
                       extra, meta_data, last_login, created_at, updated_at";

/// One stored user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub app_id: String,
    pub handle: String,
    pub user_name: String,
    pub status: String,
    pub password: String,
    pub locale: String,
    pub login_provider: String,
    pub extra: String,
    pub meta_data: Value,
    pub last_login: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl User {
    /// A new active user created now.
    pub fn new(app_id: &str, handle: &str, password: &str, meta_data: Value) -> Self {
        let now = clock::now_ms();
        User {
            id: clock::object_id(now),
            app_id: app_id.into(),
            handle: handle.into(),
            user_name: String::new(),
            status: "active".into(),
            password: password.into(),
            locale: "EN".into(),
            login_provider: String::new(),
            extra: DEFAULT_EXTRA.into(),
            meta_data,
            last_login: None,
            created_at: clock::iso(now),
            updated_at: clock::iso(now),
        }
    }

    pub(super) fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(User {
            id: r.get(0)?,
            app_id: r.get(1)?,
            handle: r.get(2)?,
            user_name: r.get(3)?,
            status: r.get(4)?,
            password: r.get(5)?,
            locale: r.get(6)?,
            login_provider: r.get(7)?,
            extra: r.get(8)?,
            meta_data: json_text(&r.get::<_, String>(9)?),
            last_login: r.get(10)?,
            created_at: r.get(11)?,
            updated_at: r.get(12)?,
        })
    }

    /// The user as the host shows it; `secrets` keeps the fields the admin list leaks.
    pub fn to_json(&self, secrets: bool) -> Value {
        // Seeding stores an empty text for the default fields to keep rows small;
        // parsing those defaults once matters when a search answers thousands of users.
        static DEFAULTS: LazyLock<Map<String, Value>> =
            LazyLock::new(|| match json_text(DEFAULT_EXTRA) {
                Value::Object(m) => m,
                _ => Map::new(),
            });
        let mut m = if self.extra.is_empty() {
            DEFAULTS.clone()
        } else {
            match json_text(&self.extra) {
                Value::Object(m) => m,
                _ => Map::new(),
            }
        };
        if !secrets {
            for f in SECRET_FIELDS {
                m.remove(f);
            }
        }
        m.insert("_id".into(), self.id.clone().into());
        m.insert("appId".into(), self.app_id.clone().into());
        m.insert("handle".into(), self.handle.clone().into());
        m.insert("userName".into(), self.user_name.clone().into());
        m.insert("status".into(), self.status.clone().into());
        m.insert("locale".into(), self.locale.clone().into());
        m.insert("loginProvider".into(), self.login_provider.clone().into());
        m.insert("metaData".into(), self.meta_data.clone());
        if let Some(t) = &self.last_login {
            m.insert("lastLogin".into(), t.clone().into());
        }
        m.insert("createdAt".into(), self.created_at.clone().into());
        m.insert("updatedAt".into(), self.updated_at.clone().into());
        Value::Object(m)
    }
}

pub fn insert(conn: &Connection, u: &User) -> Result<(), Error> {
    conn.prepare_cached(&format!(
        "INSERT INTO users({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?
    .execute(params![
        u.id,
        u.app_id,
        u.handle,
        u.user_name,
        u.status,
        u.password,
        u.locale,
        u.login_provider,
        u.extra,
        u.meta_data.to_string(),
        u.last_login,
        u.created_at,
        u.updated_at
    ])?;
    Ok(())
}

fn one(conn: &Connection, filter: &str, app_id: &str, key: &str) -> Result<Option<User>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE app_id = ?1 AND {filter} = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([app_id, key], User::from_row)
        .optional()?)
}

pub fn by_handle(conn: &Connection, app_id: &str, handle: &str) -> Result<Option<User>, Error> {
    one(conn, "handle", app_id, handle)
}

pub fn by_id(conn: &Connection, app_id: &str, id: &str) -> Result<Option<User>, Error> {
    one(conn, "id", app_id, id)
}

pub fn by_user_name(conn: &Connection, app_id: &str, name: &str) -> Result<Option<User>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    one(conn, "user_name", app_id, name)
}

/// Sets one column of a user and stamps `updated_at`.
pub fn set(conn: &Connection, id: &str, column: &str, value: &str) -> Result<(), Error> {
    let column = match column {
        "status" | "password" | "meta_data" | "last_login" => column,
        _ => return Err(Error::Invalid(format!("no such user column {column}"))),
    };
    conn.execute(
        &format!("UPDATE users SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
        params![id, value, clock::now_iso()],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: &str) -> Result<(), Error> {
    conn.execute("DELETE FROM users WHERE id = ?1", [id])?;
    Ok(())
}

/// `(all users, anonymous users)` of an app.
pub fn counts(conn: &Connection, app_id: &str) -> Result<(u64, u64), Error> {
    let c: Option<(i64, i64)> = conn
        .query_row(
            "SELECT users, anon FROM user_counts WHERE app_id = ?1",
            [app_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (all, anon) = c.unwrap_or((0, 0));
    Ok((
        u64::try_from(all).unwrap_or(0),
        u64::try_from(anon).unwrap_or(0),
    ))
}

/// The app's change stamp: it moves whenever a user is added or removed.
pub fn stamp(conn: &Connection, app_id: &str) -> Result<i64, Error> {
    Ok(conn
        .prepare_cached("SELECT stamp FROM user_stamps WHERE app_id = ?1")?
        .query_row([app_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Moves the app's change stamp, for writers that bypass the triggers.
pub fn touch(conn: &Connection, app_id: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO user_stamps(app_id, stamp) VALUES (?1, random()) \
         ON CONFLICT(app_id) DO UPDATE SET stamp = excluded.stamp",
        [app_id],
    )?;
    Ok(())
}
