//! Apps: one JSON document per app, its private key beside it.

use md5::{Digest, Md5};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value, json};

use crate::clock;
use crate::error::Error;
use crate::tokens::KeyPair;

pub type App = Map<String, Value>;

/// Creates an app with the host's defaults; its app token is signed by the host key.
pub fn create(
    conn: &Connection,
    host_key: &KeyPair,
    name: &str,
    jwt_enabled: bool,
) -> Result<App, Error> {
    let key = KeyPair::generate()?;
    let now = clock::now_ms();
    let app_id = hex_id(&format!("{name}/{}", clock::object_id(now)));
    let mut claims = Map::new();
    claims.insert("appId".into(), Value::from(app_id.clone()));
    claims.insert("scope".into(), Value::from("app"));
    claims.insert("iat".into(), Value::from(now / 1000));
    let stamp = clock::iso(now);
    let doc = json!({
        "appId": app_id, "name": name, "status": "active", "jwtEnabled": jwt_enabled,
        "signupEnabled": true, "invitationEnabled": true, "signupFlow": "code",
        "anonymousLoginEnabled": false, "userNamesEnabled": false,
        "twoFactorVerification": "none", "passwordFilter": false, "passwordMinLength": 8,
        "passwordMinUpper": 1, "passwordMinLower": 1, "passwordMinDigit": 1,
        "passwordMinSpecial": 1, "userJWTExpiration": 24, "realmAppId": "",
        "metaData": [], "metaDataInvite": [], "metaDataEmail": false, "locales": ["EN"],
        "appToken": host_key.sign(&claims), "appPublicKey": key.public_pem_base64(),
        "createdAt": stamp, "updatedAt": stamp,
    });
    let Value::Object(doc) = doc else {
        return Err(Error::Corrupt("app document".into()));
    };
    conn.execute(
        "INSERT INTO apps(app_id, name, private_key, doc, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            app_id,
            name,
            key.private_pem(),
            Value::Object(doc.clone()).to_string(),
            stamp
        ],
    )?;
    Ok(doc)
}

fn hex_id(seed: &str) -> String {
    Md5::digest(seed.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn parse(doc: String) -> App {
    match serde_json::from_str(&doc) {
        Ok(Value::Object(app)) => app,
        _ => Map::new(),
    }
}

pub fn get(conn: &Connection, app_id: &str) -> Result<Option<App>, Error> {
    let doc: Option<String> = conn
        .query_row("SELECT doc FROM apps WHERE app_id = ?1", [app_id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(doc.map(parse))
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<App>, Error> {
    let doc: Option<String> = conn
        .query_row("SELECT doc FROM apps WHERE name = ?1", [name], |r| r.get(0))
        .optional()?;
    Ok(doc.map(parse))
}

pub fn private_key(conn: &Connection, app_id: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT private_key FROM apps WHERE app_id = ?1",
            [app_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<App>, Error> {
    let mut stmt = conn.prepare("SELECT doc FROM apps ORDER BY created_at, app_id")?;
    let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut apps = Vec::new();
    for doc in docs {
        apps.push(parse(doc?));
    }
    Ok(apps)
}

/// Stores a changed app, stamping `updatedAt`.
pub fn save(conn: &Connection, app: &mut App) -> Result<(), Error> {
    app.insert("updatedAt".into(), Value::from(clock::now_iso()));
    let app_id = app.get("appId").and_then(Value::as_str).unwrap_or("");
    conn.execute(
        "UPDATE apps SET doc = ?2 WHERE app_id = ?1",
        params![app_id, Value::Object(app.clone()).to_string()],
    )?;
    Ok(())
}

/// Deletes an app with everything that belongs to it.
pub fn delete(conn: &Connection, app_id: &str) -> Result<bool, Error> {
    for table in [
        "users",
        "signups",
        "invites",
        "logs",
        "mailbox",
        "user_counts",
        "user_stamps",
    ] {
        conn.execute(&format!("DELETE FROM {table} WHERE app_id = ?1"), [app_id])?;
    }
    Ok(conn.execute("DELETE FROM apps WHERE app_id = ?1", [app_id])? > 0)
}

pub fn is_active(app: &App) -> bool {
    app.get("status").and_then(Value::as_str) == Some("active")
}

pub fn flag(app: &App, name: &str) -> bool {
    app.get(name).and_then(Value::as_bool).unwrap_or(false)
}

pub fn text<'a>(app: &'a App, name: &str) -> &'a str {
    app.get(name).and_then(Value::as_str).unwrap_or("")
}
