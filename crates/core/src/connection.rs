//! [`Connection`]: one host, its client (built once), its apps and their caches, and
//! whether it answers. Reads that need the host fall back to what was saved when it
//! does not answer, and say how old that is.
//!
//! Sync lives in `sync.rs`, actions in `actions.rs` and `bulk.rs`: all are methods of
//! [`Connection`] taking the app id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use cosync_client::HostClient;
use gatehouse_cache::{
    Cache, Invite, InviteQuery, ListKind, Signup, SignupQuery, UserQuery, UserRow, Window,
};
use serde::{Deserialize, Serialize};

use crate::convert::AppSummary;
use crate::data_dir;
use crate::error::{Error, Result, blocking, in_background};
use crate::hosts::HostEntry;
use crate::notices::Notices;

const APPS_FILE: &str = "apps.json";

pub(crate) enum SecretState {
    Present(HostClient),
    /// Why there is no secret (and so no client): reads use the cache only.
    Missing(String),
    /// There is a secret, but no client could be built with the host's settings (a CA
    /// certificate file that is missing or unreadable): reads use the cache only, and
    /// every call that needs the host answers this error, which names the file.
    Unusable(cosync_client::ClientError),
}

/// Whether the host answered lately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reachability {
    /// Not asked yet in this session.
    Unknown,
    /// The last call reached the host.
    Online,
    /// The last call did not reach the host (or there is no secret to ask it with).
    Offline {
        /// When that was noticed, unix milliseconds.
        since: i64,
        /// Why, in plain words.
        reason: String,
    },
}

/// Where an answer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Fresh from the host.
    Host,
    /// From what was saved, because the host could not be asked.
    Saved {
        /// When it was saved (unix milliseconds), if known.
        saved_at: Option<i64>,
        /// Why the host was not asked, in plain words.
        reason: String,
    },
}

/// An answer and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<T> {
    pub value: T,
    pub source: Source,
}

/// What an app's offline copy holds: see [`Connection::cache_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStatus {
    /// When its users were last synced (unix milliseconds); `None`: never.
    pub synced_at: Option<i64>,
    pub users: usize,
    pub invites: usize,
    pub signups: usize,
    /// The cache file's write count: it changes whenever any process writes the file.
    pub writes: i64,
}

/// When each list of an app was last synced (unix milliseconds); `None`: never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncTimes {
    pub users: Option<i64>,
    pub invites: Option<i64>,
    pub signups: Option<i64>,
}

impl SyncTimes {
    /// The oldest of the three times, `None` when any list was never synced.
    pub fn oldest(&self) -> Option<i64> {
        Some(self.users?.min(self.invites?).min(self.signups?))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedApps {
    saved_at: i64,
    apps: Vec<AppSummary>,
}

/// One host: its client, its caches and its reachability. Shared through an `Arc`.
pub struct Connection {
    host: HostEntry,
    secret: SecretState,
    cache_dir: PathBuf,
    caches: Mutex<HashMap<String, Cache>>,
    /// Held while a cache file is opened: two first opens of one new file at once (the
    /// window asks for rows, counts and a sync together) race SQLite's WAL set-up and
    /// one fails with "locking protocol".
    opening: tokio::sync::Mutex<()>,
    reachability: Mutex<Reachability>,
    pub(crate) notices: Notices,
    /// Changes sent and not yet known to be in the cache (`sent.rs`).
    pub(crate) sent: std::sync::Arc<crate::sent::SentChanges>,
    /// Where every change sent is recorded (`audit.rs`), shared by the data folder.
    pub(crate) audit: std::sync::Arc<crate::audit::AuditLog>,
    /// Deleted users kept for restoring (`recycle.rs`).
    pub(crate) bin: std::sync::Arc<crate::recycle::RecycleBin>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Connection {
    pub(crate) fn new(
        host: HostEntry,
        secret: SecretState,
        cache_dir: PathBuf,
        notices: Notices,
        audit: std::sync::Arc<crate::audit::AuditLog>,
    ) -> Self {
        let reachability = match &secret {
            SecretState::Present(_) => Reachability::Unknown,
            SecretState::Missing(reason) => Reachability::Offline {
                since: now_ms(),
                reason: reason.clone(),
            },
            SecretState::Unusable(error) => Reachability::Offline {
                since: now_ms(),
                reason: error.to_string(),
            },
        };
        Connection {
            host,
            secret,
            sent: std::sync::Arc::new(crate::sent::SentChanges::in_dir(
                &cache_dir,
                notices.clone(),
            )),
            bin: std::sync::Arc::new(crate::recycle::RecycleBin::in_dir(
                &cache_dir,
                notices.clone(),
            )),
            cache_dir,
            audit,
            caches: Mutex::new(HashMap::new()),
            opening: tokio::sync::Mutex::new(()),
            reachability: Mutex::new(reachability),
            notices,
        }
    }

    pub fn host(&self) -> &HostEntry {
        &self.host
    }

    /// Whether the host answered lately.
    pub fn reachability(&self) -> Reachability {
        lock(&self.reachability).clone()
    }

    /// Whether there is a server secret, so that the host can be asked at all.
    pub fn has_secret(&self) -> bool {
        matches!(
            self.secret,
            SecretState::Present(_) | SecretState::Unusable(_)
        )
    }

    /// The client, or the reason there is none.
    pub(crate) fn client(&self) -> Result<&HostClient> {
        match &self.secret {
            SecretState::Present(client) => Ok(client),
            SecretState::Missing(reason) => Err(Error::NoSecret {
                host: self.host.name.clone(),
                reason: reason.clone(),
            }),
            SecretState::Unusable(error) => Err(Error::Host(error.clone())),
        }
    }

    /// Records whether a call reached the host, and passes its result on.
    pub(crate) fn observe<T>(&self, result: Result<T>) -> Result<T> {
        let mut state = lock(&self.reachability);
        match &result {
            Err(e) if e.is_unreachable() => {
                if !matches!(*state, Reachability::Offline { .. }) {
                    *state = Reachability::Offline {
                        since: now_ms(),
                        reason: e.to_string(),
                    };
                }
            }
            // Any answer, even a refusal, proves the host is there.
            Err(Error::Host(_)) | Ok(_) => *state = Reachability::Online,
            Err(_) => {}
        }
        result
    }

    /// Asks the host whether it answers and accepts the secret (`gatehouse-cli host
    /// test`; the desktop's offline retry asks for the app list instead).
    pub async fn probe(&self) -> Result<()> {
        let client = self.client()?;
        self.observe(client.test_connection().await.map_err(Error::from))
    }

    /// The host's apps; when the host does not answer, the list saved at the last
    /// successful call.
    #[tracing::instrument(
        name = "operation",
        skip_all,
        fields(operation = "list-apps"),
        err(Display, level = "debug")
    )]
    pub async fn apps(&self) -> Result<Fetched<Vec<AppSummary>>> {
        let fresh = match self.client() {
            Ok(client) => self.observe(client.all_apps().await.map_err(Error::from)),
            Err(e) => Err(e),
        };
        match fresh {
            Ok(apps) => {
                let apps: Vec<AppSummary> = apps.iter().map(AppSummary::from).collect();
                self.save_apps(&apps).await;
                Ok(Fetched {
                    value: apps,
                    source: Source::Host,
                })
            }
            Err(e) if e.is_unreachable() || matches!(e, Error::NoSecret { .. }) => {
                match self.saved_apps().await {
                    Some(saved) => Ok(Fetched {
                        value: saved.apps,
                        source: Source::Saved {
                            saved_at: Some(saved.saved_at),
                            reason: e.to_string(),
                        },
                    }),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// One app's settings, fresh from the host or as saved.
    pub async fn app(&self, app_id: &str) -> Result<Fetched<AppSummary>> {
        if let Ok(client) = self.client() {
            match self.observe(client.app(app_id).await.map_err(Error::from)) {
                Ok(app) => {
                    return Ok(Fetched {
                        value: AppSummary::from(&app),
                        source: Source::Host,
                    });
                }
                Err(e) if !e.is_unreachable() => return Err(e),
                Err(_) => {}
            }
        }
        let Fetched { value, source } = self.apps().await?;
        let app = value
            .into_iter()
            .find(|a| a.app_id == app_id)
            .ok_or_else(|| Error::UnknownApp(app_id.to_owned()))?;
        Ok(Fetched { value: app, source })
    }

    /// Finds an app by id or name (exact, then ignoring case).
    pub async fn resolve_app(&self, key: &str) -> Result<Fetched<AppSummary>> {
        let Fetched { value, source } = self.apps().await?;
        let key = key.trim();
        let found = value
            .iter()
            .find(|a| a.app_id == key)
            .or_else(|| value.iter().find(|a| a.name == key))
            .or_else(|| value.iter().find(|a| a.name.eq_ignore_ascii_case(key)))
            .cloned()
            .ok_or_else(|| Error::UnknownApp(key.to_owned()))?;
        Ok(Fetched {
            value: found,
            source,
        })
    }

    async fn save_apps(&self, apps: &[AppSummary]) {
        let saved = SavedApps {
            saved_at: now_ms(),
            apps: apps.to_vec(),
        };
        let dir = self.cache_dir.clone();
        // Best effort: the list is only a fallback for offline starts.
        let _ = blocking(move || {
            create_cache_dir(&dir)?;
            let text = serde_json::to_vec(&saved).map_err(|e| Error::Internal(e.to_string()))?;
            let path = dir.join(APPS_FILE);
            data_dir::write_private_file(&path, &text).map_err(|e| Error::io(&path, e))
        })
        .await;
    }

    /// The apps as saved at the last successful call, without asking the host: what a
    /// window can show at once while the host is asked.
    pub async fn remembered_apps(&self) -> Vec<AppSummary> {
        self.saved_apps()
            .await
            .map(|saved| saved.apps)
            .unwrap_or_default()
    }

    /// The saved list; a damaged one is set aside (with a notice) and counts as none,
    /// since the next answer of the host saves a new one.
    async fn saved_apps(&self) -> Option<SavedApps> {
        let path = self.cache_dir.join(APPS_FILE);
        let bytes = tokio::fs::read(&path).await.ok()?;
        let problem = match serde_json::from_slice(&bytes) {
            Ok(saved) => return Some(saved),
            Err(e) => e,
        };
        let name = self.host.name.clone();
        let notices = self.notices.clone();
        let _ = blocking(move || {
            // Gone already: another process set it aside or saved a new one.
            if let Ok(aside) = data_dir::set_aside(&path) {
                notices.push(format!(
                    "The saved app list of the host {name} could not be read ({problem}); \
                     it was set aside as {}. It is only used when the host does not answer, \
                     and is saved again the next time it does.",
                    aside.display()
                ));
            }
            Ok(())
        })
        .await;
        None
    }

    /// The cache of an app, opened (or created, or recovered) on first use.
    pub async fn cache(&self, app_id: &str) -> Result<Cache> {
        check_app_id(app_id)?;
        if let Some(cache) = lock(&self.caches).get(app_id) {
            return Ok(cache.clone());
        }
        let _opening = self.opening.lock().await;
        if let Some(cache) = lock(&self.caches).get(app_id) {
            return Ok(cache.clone());
        }
        let dir = self.cache_dir.clone();
        let path = self.cache_dir.join(format!("{app_id}.sqlite"));
        // Opening builds the index: seconds at a million users, so off the async threads.
        let (cache, report) = blocking(move || {
            create_cache_dir(&dir)?;
            Ok(Cache::open(path)?)
        })
        .await?;
        if let gatehouse_cache::IndexOrigin::Built { reason } = &report.index {
            tracing::info!(app_id, "the offline copy's index was built: {reason}");
        }
        if let Some(recovery) = report.recovered {
            self.notices.push(format!(
                "The offline copy of app {app_id} on {} was damaged ({}); it was set aside as {} \
                 and a new one is started: the next sync fills it again.",
                self.host.name,
                recovery.reason,
                recovery.moved_to.display()
            ));
        }
        let mut caches = lock(&self.caches);
        Ok(caches.entry(app_id.to_owned()).or_insert(cache).clone())
    }

    /// Writes the index image of each open offline copy that changed since its image was
    /// written, so that the next open reads it instead of building the index. Blocks for
    /// as long as the disk takes (a second or so at a million users): for the end of a
    /// process. A failure only costs the next open its head start; it is logged.
    pub fn save_indexes(&self) {
        let caches: Vec<(String, Cache)> = lock(&self.caches)
            .iter()
            .map(|(app_id, cache)| (app_id.clone(), cache.clone()))
            .collect();
        for (app_id, cache) in caches {
            match cache.save_index() {
                Ok(true) => tracing::info!(app_id, "index image saved"),
                Ok(false) => {}
                Err(error) => tracing::warn!(app_id, "the index image was not saved: {error}"),
            }
        }
    }

    pub(crate) fn close_caches(&self) {
        lock(&self.caches).clear();
    }

    /// Picks up what another process (the CLI, another window) wrote to the app's cache
    /// since this one read it. Answers the file's count of writes, which changes whenever
    /// the cache does, by whichever process.
    pub async fn refresh(&self, app_id: &str) -> Result<i64> {
        let cache = self.cache(app_id).await?;
        blocking(move || {
            cache.refresh()?;
            Ok(cache.writes())
        })
        .await
    }

    /// Gives the space the last sync freed in the app's cache file back to the file
    /// system (see [`Cache::compact`]); answers the pages given back.
    pub async fn compact(&self, app_id: &str) -> Result<u64> {
        let cache = self.cache(app_id).await?;
        Ok(in_background("compact", move || cache.compact()).await??)
    }

    /// When each list of the app was last synced.
    pub async fn sync_times(&self, app_id: &str) -> Result<SyncTimes> {
        let cache = self.cache(app_id).await?;
        blocking(move || {
            Ok(SyncTimes {
                users: cache.last_synced(ListKind::Users)?,
                invites: cache.last_synced(ListKind::Invites)?,
                signups: cache.last_synced(ListKind::Signups)?,
            })
        })
        .await
    }

    /// What the app's offline copy holds now: the records of each list, when its users
    /// were last synced, and the file's write count (see [`Connection::refresh`]), read
    /// again first so that another process's sync is seen.
    pub async fn cache_status(&self, app_id: &str) -> Result<CacheStatus> {
        let writes = self.refresh(app_id).await?;
        let synced_at = self.sync_times(app_id).await?.users;
        let cache = self.cache(app_id).await?;
        blocking(move || {
            let users = cache.query_users(&UserQuery {
                limit: 0,
                ..Default::default()
            })?;
            let invites = cache.query_invites(&InviteQuery {
                limit: 0,
                ..Default::default()
            })?;
            let signups = cache.query_signups(&SignupQuery {
                limit: 0,
                ..Default::default()
            })?;
            Ok(CacheStatus {
                synced_at,
                users: users.total,
                invites: invites.total,
                signups: signups.total,
                writes,
            })
        })
        .await
    }

    /// A window of the app's cached users.
    pub async fn query_users(&self, app_id: &str, query: UserQuery) -> Result<Window<UserRow>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.query_users(&query)?)).await
    }

    /// The ids of every cached user matching `query`, ignoring its window: "select all".
    pub async fn matching_user_ids(&self, app_id: &str, query: UserQuery) -> Result<Vec<String>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.matching_user_ids(&query))).await
    }

    /// "Select all but these": every cached user matching `query` except the ids in
    /// `except`, in the query's order.
    pub async fn matching_user_ids_except(
        &self,
        app_id: &str,
        query: UserQuery,
        except: Vec<String>,
    ) -> Result<Vec<String>> {
        let except: std::collections::HashSet<String> = except.into_iter().collect();
        let all = self.matching_user_ids(app_id, query).await?;
        Ok(all.into_iter().filter(|id| !except.contains(id)).collect())
    }

    /// The app's cached users whose handles are near duplicates of each other (see
    /// [`gatehouse_cache::handle_key`]): the first `limit` groups, and the counts.
    pub async fn near_duplicate_handles(
        &self,
        app_id: &str,
        limit: usize,
    ) -> Result<gatehouse_cache::NearDuplicates> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.near_duplicate_handles(limit)?)).await
    }

    /// A window of the app's cached invitations.
    pub async fn query_invites(&self, app_id: &str, query: InviteQuery) -> Result<Window<Invite>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.query_invites(&query)?)).await
    }

    /// A window of the app's cached signups.
    pub async fn query_signups(&self, app_id: &str, query: SignupQuery) -> Result<Window<Signup>> {
        let cache = self.cache(app_id).await?;
        blocking(move || Ok(cache.query_signups(&query)?)).await
    }

    /// One cached user by id.
    pub async fn cached_user(&self, app_id: &str, user_id: &str) -> Result<Option<UserRow>> {
        let cache = self.cache(app_id).await?;
        let id = user_id.to_owned();
        blocking(move || Ok(cache.user_by_id(&id)?)).await
    }
}

/// App ids name cache files: only ASCII letters and digits pass.
/// The cache folder and the `cache` folder above it, for the user only: SQLite and the
/// cache crate would create them with the default mode.
fn create_cache_dir(dir: &Path) -> Result<()> {
    for dir in dir.parent().into_iter().chain([dir]) {
        data_dir::create_private_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

pub(crate) fn check_app_id(app_id: &str) -> Result<()> {
    if app_id.is_empty() || !app_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::InvalidInput(format!("{app_id:?} is not an app id")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offline_connection(cache_dir: PathBuf, notices: Notices) -> Connection {
        let host = HostEntry::new("Prod", "https://rest.cosync.net").unwrap();
        Connection::new(
            host,
            SecretState::Missing("no secret in this test".into()),
            cache_dir.clone(),
            notices,
            std::sync::Arc::new(crate::audit::AuditLog::in_data_dir(
                &cache_dir,
                crate::audit::Interface::App,
            )),
        )
    }

    #[tokio::test]
    async fn a_damaged_saved_app_list_is_set_aside_with_a_notice() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("cache").join("prod");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(APPS_FILE), b"\0\0garbage").unwrap();
        let notices = Notices::default();
        let conn = offline_connection(dir.clone(), notices.clone());
        assert!(conn.remembered_apps().await.is_empty(), "ignored");
        let left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left[0].starts_with("apps.json.damaged-"), "{left:?}");
        assert_eq!(std::fs::read(dir.join(&left[0])).unwrap(), b"\0\0garbage");
        let told = notices.take();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(
            told[0].contains("Prod") && told[0].contains(&left[0]),
            "{}",
            told[0]
        );
        assert!(
            matches!(conn.apps().await, Err(Error::NoSecret { .. })),
            "offline with nothing saved is the plain failure"
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_app_list_and_the_caches_are_the_users_only() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data").join("cache").join("prod");
        let conn = offline_connection(dir.clone(), Notices::default());
        conn.save_apps(&[]).await;
        conn.cache("app1").await.unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(dir.parent().unwrap()), 0o700);
        let files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(files.iter().any(|f| f.ends_with(APPS_FILE)), "{files:?}");
        assert!(
            files.iter().any(|f| f.ends_with("app1.sqlite")),
            "{files:?}"
        );
        for file in &files {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
    }
}
