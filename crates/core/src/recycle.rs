//! The recycle bin: before a user is deleted from Gatehouse (row icon, bulk, CLI), their
//! cached record — handle, user name, metadata, status, onboarding, dates, invitations
//! and signups — is kept in `deleted-users.json` beside the host's caches (0600), for 30
//! days. Restoring adds the user again with a generated password, sets their metadata
//! and status, and has the host e-mail them a new password.
//!
//! What cannot come back: the old password, the login history, the host's internal id
//! (the user gets a new one), and identity links other systems keep to that id (Realm).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Sensitive;
use crate::connection::{Connection, now_ms};
use crate::data_dir;
use crate::error::{Error, Result, blocking};
use crate::notices::Notices;
use crate::password::generate_password;

/// The file of the bin, in the host's cache folder.
pub(crate) const BIN_FILE: &str = "deleted-users.json";
/// How long a deleted user can be restored.
pub const KEPT_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// What restoring cannot bring back, in words, for the confirmation and the CLI.
pub const NOT_RESTORED: &str = "the old password (the user gets a new one by e-mail), the login history, the host's internal id (the user gets a new one) and links other systems keep to that id, such as Realm identities";

/// A deleted user as archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedUser {
    pub app_id: String,
    /// When it was deleted, unix milliseconds.
    pub deleted_at: i64,
    pub handle: String,
    pub user_name: String,
    /// `active` or `suspend`.
    pub status: String,
    pub locale: String,
    pub login_provider: String,
    pub meta_data: Value,
    /// `signup`, `invite`, `admin` or `other`.
    pub onboarding: String,
    pub created_at: i64,
    pub last_login: Option<i64>,
    /// The invitations and signups of the handle, as the cache had them.
    pub invites: Vec<Value>,
    pub signups: Vec<Value>,
}

/// The bin of one host.
pub(crate) struct RecycleBin {
    path: PathBuf,
    notices: Notices,
    lock: Mutex<()>,
}

impl RecycleBin {
    pub fn in_dir(cache_dir: &Path, notices: Notices) -> Self {
        RecycleBin {
            path: cache_dir.join(BIN_FILE),
            notices,
            lock: Mutex::new(()),
        }
    }

    /// Every user still in the bin (younger than [`KEPT_DAYS`]).
    fn load(&self) -> Vec<DeletedUser> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(_) => return Vec::new(),
        };
        match serde_json::from_slice::<Vec<DeletedUser>>(&bytes) {
            Ok(all) => {
                let oldest = now_ms() - KEPT_DAYS * DAY_MS;
                all.into_iter().filter(|d| d.deleted_at >= oldest).collect()
            }
            Err(problem) => {
                if let Ok(aside) = data_dir::set_aside(&self.path) {
                    self.notices.push(format!(
                        "The deleted users kept for restoring could not be read ({problem}); the file was set aside as {}.",
                        aside.display()
                    ));
                }
                Vec::new()
            }
        }
    }

    fn save(&self, all: &[DeletedUser]) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            data_dir::create_private_dir(dir)?;
        }
        let bytes = serde_json::to_vec_pretty(all).map_err(std::io::Error::other)?;
        data_dir::write_private_file(&self.path, &bytes)
    }

    pub fn keep(&self, user: DeletedUser) -> std::io::Result<()> {
        let _held = crate::connection::lock(&self.lock);
        let mut all = self.load();
        all.retain(|d| !(d.app_id == user.app_id && d.handle == user.handle));
        all.push(user);
        self.save(&all)
    }

    pub fn forget(&self, app_id: &str, handle: &str) {
        let _held = crate::connection::lock(&self.lock);
        let mut all = self.load();
        let before = all.len();
        all.retain(|d| !(d.app_id == app_id && d.handle == handle));
        if all.len() != before {
            let _ = self.save(&all);
        }
    }

    pub fn of_app(&self, app_id: &str) -> Vec<DeletedUser> {
        let _held = crate::connection::lock(&self.lock);
        let mut found: Vec<DeletedUser> = self
            .load()
            .into_iter()
            .filter(|d| d.app_id == app_id)
            .collect();
        found.sort_by_key(|d| std::cmp::Reverse(d.deleted_at));
        found
    }
}

impl Connection {
    /// Archives the cached record of `handle` before it is deleted; `false` when the
    /// cache has no such user (nothing to keep, the delete goes on).
    pub(crate) async fn archive_before_delete(&self, app_id: &str, handle: &str) -> bool {
        let Ok(cache) = self.cache(app_id).await else {
            return false;
        };
        let wanted = cosync_client::normalize_handle(handle);
        let app = app_id.to_owned();
        let archived = blocking(move || {
            let Some(row) = cache.user_by_handle(&wanted)? else {
                return Ok(None);
            };
            let (invites, signups) = crate::actions::records_of(&cache, &wanted)?;
            let user = row.user;
            Ok(Some(DeletedUser {
                app_id: app,
                deleted_at: now_ms(),
                handle: user.handle.clone(),
                user_name: user.user_name,
                status: user.status,
                locale: user.locale,
                login_provider: user.login_provider,
                meta_data: user.meta_data,
                onboarding: row.onboarding.as_str().to_owned(),
                created_at: user.created_at,
                last_login: user.last_login,
                invites: invites
                    .iter()
                    .map(|i| {
                        serde_json::json!({
                            "id": i.id, "status": i.status, "senderHandle": i.sender_handle,
                            "createdAt": i.created_at, "metaData": i.meta_data,
                        })
                    })
                    .collect(),
                signups: signups
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.id, "status": s.status, "code": s.code,
                            "createdAt": s.created_at, "metaData": s.meta_data,
                        })
                    })
                    .collect(),
            }))
        })
        .await;
        let Ok(Some(user)) = archived else {
            return false;
        };
        let bin = std::sync::Arc::clone(&self.bin);
        let notices = self.notices.clone();
        let handle = user.handle.clone();
        let _ = blocking(move || {
            if let Err(e) = bin.keep(user) {
                notices.push(format!(
                    "{handle} could not be kept for restoring ({e}); the delete went ahead."
                ));
            }
            Ok(())
        })
        .await;
        true
    }

    /// Takes `handle` out of the bin (its delete was refused, or it was restored).
    pub(crate) async fn forget_deleted(&self, app_id: &str, handle: &str) {
        let bin = std::sync::Arc::clone(&self.bin);
        let (app, handle) = (app_id.to_owned(), cosync_client::normalize_handle(handle));
        let _ = blocking(move || {
            bin.forget(&app, &handle);
            Ok(())
        })
        .await;
    }

    /// The users of `app_id` deleted from this data folder in the last 30 days, newest
    /// first.
    pub async fn deleted_users(&self, app_id: &str) -> Result<Vec<DeletedUser>> {
        let bin = std::sync::Arc::clone(&self.bin);
        let app = app_id.to_owned();
        blocking(move || Ok(bin.of_app(&app))).await
    }

    /// Adds a deleted user again: a generated password, then their metadata and status,
    /// then a password reset the host e-mails them so they can log in. Answers the user.
    pub async fn restore_user(&self, app_id: &str, handle: &str) -> Result<gatehouse_cache::User> {
        let wanted = cosync_client::normalize_handle(handle);
        let deleted = self
            .deleted_users(app_id)
            .await?
            .into_iter()
            .find(|d| d.handle == wanted)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{wanted} is not among the users deleted here in the last {KEPT_DAYS} days"
                ))
            })?;
        let meta = match deleted.meta_data {
            Value::Object(map) if !map.is_empty() => Some(map),
            _ => None,
        };
        let password = Sensitive::new(generate_password()?);
        let mut user = self
            .add_user(app_id, &deleted.handle, &password, meta)
            .await?;
        if deleted.status != "active" {
            self.set_user_status(app_id, &user.id, false).await?;
            user.status = deleted.status.clone();
        }
        self.reset_password(app_id, &user.id, None).await?;
        self.forget_deleted(app_id, &deleted.handle).await;
        Ok(user)
    }
}
