//! Deterministic, realistic data: the `seed` command and the demo apps.
//!
//! The same options always give the same people, records and dates. Every seeded
//! user shares one bcrypt hash of `demo-password`, so a million users take seconds.

mod names;
mod people;

use rusqlite::Connection;
use serde_json::{Value, json};

use crate::error::Error;
use crate::store::journal::{self, Entry};
use crate::store::{self, apps, users};
use crate::tokens::KeyPair;

/// What to put into which app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedOptions {
    /// The app's name; an app of that name is created when missing.
    pub app: String,
    pub users: u64,
    pub invites: u64,
    pub signups: u64,
    /// The same seed gives the same data.
    pub seed: u64,
}

impl SeedOptions {
    pub fn new(app: impl Into<String>, users: u64) -> Self {
        SeedOptions {
            app: app.into(),
            users,
            invites: 0,
            signups: 0,
            seed: 1,
        }
    }
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub app_id: String,
    pub app_token: String,
    pub created_app: bool,
    pub users: u64,
    pub invites: u64,
    pub signups: u64,
}

/// The password of every seeded user.
pub const DEMO_PASSWORD: &str = "demo-password";

fn default_definitions() -> Value {
    json!([
        {"id": "name", "path": "name", "fieldName": "Name", "required": false, "canEdit": true},
        {"id": "team", "path": "profile.team", "fieldName": "Team", "required": false, "canEdit": true},
        {"id": "city", "path": "profile.city", "fieldName": "City", "required": false, "canEdit": false},
    ])
}

/// Fills an app (created if missing) in one transaction. Into an app without users
/// the rows are bulk loaded: seeded handles carry their person's unique number, so
/// they cannot collide and the handle index can be rebuilt after the load.
pub fn seed(conn: &mut Connection, key: &KeyPair, o: &SeedOptions) -> Result<SeedReport, Error> {
    let name = o.app.trim();
    if name.is_empty() {
        return Err(Error::Invalid("an app name is required".into()));
    }
    let tx = conn.transaction()?;
    let (mut app, created_app) = match apps::find_by_name(&tx, name)? {
        Some(app) => (app, false),
        None => (apps::create(&tx, key, name, true)?, true),
    };
    let has_defs = app
        .get("metaData")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if !has_defs {
        app.insert("metaData".into(), default_definitions());
        apps::save(&tx, &mut app)?;
    }
    let app_id = apps::text(&app, "appId").to_owned();
    let paths: Vec<String> = app
        .get("metaData")
        .and_then(Value::as_array)
        .map(|defs| {
            defs.iter()
                .filter_map(|d| d.get("path").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let bulk = users::counts(&tx, &app_id)?.0 == 0 && o.users > 0;
    if bulk {
        store::bulk::begin(&tx)?;
    }
    let counts = people::fill(&tx, &app_id, &paths, o)?;
    if bulk {
        store::bulk::finish(&tx, &app_id)?;
    }
    let entry = Entry {
        handle: None,
        action: "seed",
        ok: true,
        log_type: "app",
        value: format!(
            "users={} invites={} signups={}",
            counts.0, counts.1, counts.2
        ),
    };
    journal::log(&tx, &app_id, &entry)?;
    tx.commit()?;
    Ok(SeedReport {
        app_token: apps::text(&app, "appToken").to_owned(),
        app_id,
        created_app,
        users: counts.0,
        invites: counts.1,
        signups: counts.2,
    })
}

pub const DEMO_APP: &str = "Demo App";
pub const LEGACY_APP: &str = "Legacy App";

/// Creates the two demo apps when the store has no app at all.
pub fn demo(conn: &mut Connection, key: &KeyPair) -> Result<(), Error> {
    if !apps::list(conn)?.is_empty() {
        return Ok(());
    }
    let mut main = SeedOptions::new(DEMO_APP, 5_000);
    (main.invites, main.signups, main.seed) = (300, 400, 42);
    seed(conn, key, &main)?;
    if let Some(mut app) = apps::find_by_name(conn, DEMO_APP)? {
        app.insert("userNamesEnabled".into(), true.into());
        app.insert("anonymousLoginEnabled".into(), true.into());
        apps::save(conn, &mut app)?;
    }
    let tx = conn.transaction()?;
    apps::create(&tx, key, LEGACY_APP, false)?;
    tx.commit()?;
    let mut legacy = SeedOptions::new(LEGACY_APP, 40);
    (legacy.invites, legacy.signups, legacy.seed) = (4, 6, 7);
    seed(conn, key, &legacy)?;
    Ok(())
}
