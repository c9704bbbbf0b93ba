//! [`Gatehouse`]: the entry point the desktop app and the CLI hold one of. It owns the
//! data folder, the host list, the secrets (keyring, or this session's memory) and one
//! [`Connection`] per host.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use cosync_client::{HostClient, HostConfig, ServerSecret};

use crate::Sensitive;
use crate::audit::{AuditFilter, AuditLog, AuditWindow, Interface, Verification};
use crate::connection::{Connection, SecretState};
use crate::error::{Error, Result, blocking, keyring_call};
use crate::export::ExportFormat;
use crate::hosts::{self, DEMO_HOST_ID, HostEntry, HostList};
use crate::notices::Notices;
use crate::scripted::ScriptedStart;
use crate::secrets::Keyring;

/// Where a server secret was kept when it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretStorage {
    /// In the OS keyring.
    Keyring,
    /// In memory for this session only; `reason` says in plain words why (the keyring
    /// is unavailable, or the secret came from the environment).
    Session { reason: String },
}

/// A new host, or the new values of an existing one.
#[derive(Debug, Clone, Default)]
pub struct HostInput {
    pub name: String,
    pub url: String,
    pub ca_file: Option<PathBuf>,
    pub allow_http: bool,
}

impl HostInput {
    /// A host as a form or the command line gives it: trimmed, the URL required, the
    /// name the URL when none is given. The URL itself is checked when the host is saved.
    pub fn new(name: &str, url: &str, ca_file: Option<PathBuf>, allow_http: bool) -> Result<Self> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::InvalidInput(
                "enter the host's URL, e.g. https://rest.cosync.net".into(),
            ));
        }
        let name = match name.trim() {
            "" => url,
            name => name,
        };
        Ok(HostInput {
            name: name.to_owned(),
            url: url.to_owned(),
            ca_file,
            allow_http,
        })
    }
}

/// How core talks to hosts; the defaults suit people, tests shorten them.
#[derive(Debug, Clone, Copy)]
pub struct HostTiming {
    /// How long a host may stay silent before it counts as unreachable (10 s).
    pub silence_limit: Duration,
    /// How many times a read is tried in all (3).
    pub read_attempts: u32,
    /// Records asked for per page of a list (1,000).
    pub page_size: u32,
}

impl Default for HostTiming {
    fn default() -> Self {
        HostTiming {
            silence_limit: Duration::from_secs(10),
            read_attempts: 3,
            page_size: 1000,
        }
    }
}

/// Everything the app and the CLI share. `Send + Sync`; hold it in an `Arc`.
pub struct Gatehouse {
    data_dir: PathBuf,
    hosts: HostList,
    keyring: Keyring,
    timing: HostTiming,
    session_secrets: Mutex<HashMap<String, Sensitive<String>>>,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
    /// Held while a connection is built: two callers connecting at once (the window's
    /// start-up and its cache warm-up) would otherwise build two, and each would open
    /// and index the same caches.
    connecting: tokio::sync::Mutex<()>,
    notices: Notices,
    audit: Arc<AuditLog>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Gatehouse {
    /// Core over the data folder `data_dir` (see [`crate::data_dir::resolve`]), with the
    /// default keyring service.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        let notices = Notices::default();
        Gatehouse {
            hosts: HostList::in_data_dir(&data_dir).with_notices(notices.clone()),
            audit: Arc::new(AuditLog::in_data_dir(&data_dir, Interface::App)),
            notices,
            data_dir,
            keyring: Keyring::default(),
            timing: HostTiming::default(),
            session_secrets: Mutex::new(HashMap::new()),
            connections: Mutex::new(HashMap::new()),
            connecting: tokio::sync::Mutex::new(()),
        }
    }

    /// Uses another keyring (tests use a throw-away service name).
    pub fn with_keyring(mut self, keyring: Keyring) -> Self {
        self.keyring = keyring;
        self
    }

    /// Names the front end in the audit log (the desktop app unless told).
    pub fn with_interface(mut self, interface: Interface) -> Self {
        self.audit = Arc::new(AuditLog::in_data_dir(&self.data_dir, interface));
        self
    }

    /// The audit log of every change sent from this data folder.
    pub fn audit_log(&self) -> &AuditLog {
        &self.audit
    }

    /// [`AuditLog::query`], off the async threads.
    pub async fn query_audit(
        &self,
        filter: AuditFilter,
        offset: usize,
        limit: usize,
    ) -> Result<AuditWindow> {
        let audit = Arc::clone(&self.audit);
        blocking(move || audit.query(&filter, offset, limit)).await
    }

    /// [`AuditLog::verify`], off the async threads.
    pub async fn verify_audit(&self) -> Result<Verification> {
        let audit = Arc::clone(&self.audit);
        blocking(move || audit.verify()).await
    }

    /// Writes every entry `filter` keeps, newest first, as CSV or JSON to a new file at
    /// `path`; answers how many.
    pub async fn export_audit(
        &self,
        filter: AuditFilter,
        format: ExportFormat,
        path: PathBuf,
    ) -> Result<usize> {
        let audit = Arc::clone(&self.audit);
        let entries = blocking(move || audit.list(&filter)).await?;
        crate::export::write_file(entries, format, path).await
    }

    /// Uses other timeouts for every host.
    pub fn with_timing(mut self, timing: HostTiming) -> Self {
        self.timing = timing;
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// What the user should be told that answers nothing they asked, in plain words: a
    /// damaged file that was set aside, a host list from a newer release. Each is
    /// answered once.
    pub fn take_notices(&self) -> Vec<String> {
        self.notices.take()
    }

    /// Adds a notice of the front end's own (the desktop's UI settings file) to those
    /// [`Gatehouse::take_notices`] answers.
    pub fn add_notice(&self, notice: String) {
        self.notices.push(notice);
    }

    /// The folder of a host's caches: `cache/<host-id>`.
    pub fn cache_dir(&self, host_id: &str) -> PathBuf {
        self.data_dir.join("cache").join(host_id)
    }

    /// Whether the keyring can be used now; `Err` carries the plain-language reason.
    pub async fn keyring_status(&self) -> Result<()> {
        let keyring = self.keyring.clone();
        keyring_call(move || Ok(keyring.probe()?)).await
    }

    /// The saved hosts, in the order they were added.
    pub fn hosts(&self) -> Result<Vec<HostEntry>> {
        self.hosts.load()
    }

    /// A saved host by id, name or URL.
    pub fn find_host(&self, key: &str) -> Result<Option<HostEntry>> {
        Ok(hosts::find(&self.hosts.load()?, key).cloned())
    }

    /// A saved host by id, name or URL, or else an unsaved entry for `key` as a URL.
    /// `allow_http` adds the plain-http permission for this session.
    pub fn resolve_host(&self, key: &str, allow_http: bool) -> Result<HostEntry> {
        let mut entry = match self.find_host(key)? {
            Some(entry) => entry,
            None if key.contains("://") => HostEntry::new(key, key)?,
            None => return Err(Error::UnknownHost(key.to_owned())),
        };
        entry.allow_http |= allow_http;
        Ok(entry)
    }

    /// Saves a new host and keeps its secret: in the keyring, or for this session when
    /// the keyring is unavailable (the answer says which). Nothing is sent to the host;
    /// [`Gatehouse::test_host`] does that.
    pub async fn add_host(
        &self,
        input: HostInput,
        secret: Sensitive<String>,
    ) -> Result<(HostEntry, SecretStorage)> {
        let entry = entry_of(&input)?;
        check_url_policy(&entry)?;
        let saved = entry.clone();
        self.hosts.update(move |hosts| {
            if let Some(other) = hosts.iter().find(|h| h.id == saved.id) {
                return Err(Error::DuplicateHost {
                    name: other.name.clone(),
                });
            }
            hosts.push(saved);
            Ok(())
        })?;
        let storage = self.keep_secret(&entry, secret).await;
        Ok((entry, storage))
    }

    /// Saves a host as the user typed it: a new one (`id` is `None`, `secret` needed) or
    /// an edit of the saved host `id`. Unless `untested` (the user chose to save anyway),
    /// the connection is tested first — with `secret`, else with the saved one, which
    /// [`Gatehouse::test_edited_host`] only sends to the URL it was saved with — and
    /// nothing is stored when the test fails. Answers where a given secret was kept.
    pub async fn save_host(
        &self,
        id: Option<&str>,
        input: HostInput,
        secret: Option<Sensitive<String>>,
        untested: bool,
    ) -> Result<(HostEntry, Option<SecretStorage>)> {
        if !untested {
            match (&secret, id) {
                (Some(secret), _) => self.test_host(&input, secret).await?,
                (None, Some(id)) => self.test_edited_host(id, &input).await?,
                (None, None) => {}
            }
        }
        match id {
            Some(id) => self.edit_host(id, input, secret).await,
            None => {
                let secret = secret
                    .ok_or_else(|| Error::InvalidInput("enter the host's server secret".into()))?;
                let (entry, storage) = self.add_host(input, secret).await?;
                Ok((entry, Some(storage)))
            }
        }
    }

    /// Changes a saved host. `secret`, when given, replaces its secret. A saved secret
    /// is bound to the URL it was given for: a new URL needs `secret` (else
    /// [`Error::SecretNeeded`], and nothing changes), and a new URL means a new id, so
    /// the old keyring entry and cache are deleted.
    pub async fn edit_host(
        &self,
        id: &str,
        input: HostInput,
        secret: Option<Sensitive<String>>,
    ) -> Result<(HostEntry, Option<SecretStorage>)> {
        let old = self
            .hosts()?
            .into_iter()
            .find(|h| h.id == id)
            .ok_or_else(|| Error::UnknownHost(id.to_owned()))?;
        let mut entry = entry_of(&input)?;
        if old.is_demo() {
            entry.id = DEMO_HOST_ID.to_owned();
        }
        check_url_policy(&entry)?;
        if entry.url != old.url && secret.is_none() {
            return Err(Error::SecretNeeded { url: entry.url });
        }
        let saved = entry.clone();
        self.hosts.update(move |hosts| {
            if let Some(other) = hosts.iter().find(|h| h.id == saved.id && h.id != old.id) {
                return Err(Error::DuplicateHost {
                    name: other.name.clone(),
                });
            }
            if let Some(slot) = hosts.iter_mut().find(|h| h.id == old.id) {
                *slot = saved;
            }
            Ok(())
        })?;
        if entry.id != id {
            // Best effort: the host is saved under its new id already, and an old entry
            // left behind in a locked keyring is only ever sent to the old URL.
            let _ = self.forget_secret(id).await;
            self.forget_local_data(id)?;
        }
        lock(&self.connections).remove(id);
        let storage = match secret {
            Some(secret) => Some(self.keep_secret(&entry, secret).await),
            None => None,
        };
        Ok((entry, storage))
    }

    /// Removes a host: its keyring entry, then its list entry and its cache folder. When
    /// the keyring entry cannot be deleted (keyring locked, unavailable or silent) the
    /// host stays listed and the answer is [`Error::SecretNotRemoved`]: a removal that
    /// left the secret behind is never reported as done.
    pub async fn remove_host(&self, id: &str) -> Result<()> {
        let entry = self
            .hosts()?
            .into_iter()
            .find(|h| h.id == id)
            .ok_or_else(|| Error::UnknownHost(id.to_owned()))?;
        if !entry.is_demo() {
            self.forget_secret(id)
                .await
                .map_err(|e| Error::SecretNotRemoved {
                    host: entry.name.clone(),
                    reason: e.to_string(),
                })?;
        }
        self.remove_host_keeping_secret(id).await
    }

    /// Removes a host's list entry and cache folder and leaves its keyring entry as it
    /// is: what the user asks for once told the entry cannot be deleted now.
    pub async fn remove_host_keeping_secret(&self, id: &str) -> Result<()> {
        let owned = id.to_owned();
        self.hosts.update(move |hosts| {
            let before = hosts.len();
            hosts.retain(|h| h.id != owned);
            if hosts.len() == before {
                return Err(Error::UnknownHost(owned));
            }
            Ok(())
        })?;
        lock(&self.session_secrets).remove(id);
        lock(&self.connections).remove(id);
        self.forget_local_data(id)
    }

    /// [`Connection::save_indexes`] for every host connected in this process.
    pub fn save_indexes(&self) {
        let connections: Vec<_> = lock(&self.connections).values().cloned().collect();
        for connection in connections {
            connection.save_indexes();
        }
    }

    /// Deletes the host's cache folder (every app's cache file); the host stays.
    pub fn forget_local_data(&self, host_id: &str) -> Result<()> {
        if host_id.is_empty() || host_id.contains(['/', '\\', '.']) {
            return Err(Error::InvalidInput("not a host id".into()));
        }
        if let Some(conn) = lock(&self.connections).get(host_id) {
            conn.close_caches();
        }
        let dir = self.cache_dir(host_id);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(dir, e)),
        }
    }

    /// Saves (or updates) the embedded demo host at `url` with the fixed id `demo`, and
    /// keeps its secret for this session: the demo host hands it over at every start.
    pub fn upsert_demo_host(&self, url: &str, secret: Sensitive<String>) -> Result<HostEntry> {
        let mut entry = HostEntry::new("Demo host", url)?;
        entry.id = DEMO_HOST_ID.to_owned();
        let saved = entry.clone();
        self.hosts.update(move |hosts| {
            match hosts.iter_mut().find(|h| h.is_demo()) {
                Some(slot) => slot.url = saved.url,
                None => hosts.push(saved),
            }
            Ok(())
        })?;
        lock(&self.connections).remove(DEMO_HOST_ID);
        lock(&self.session_secrets).insert(DEMO_HOST_ID.to_owned(), secret);
        Ok(entry)
    }

    /// Keeps `secret` for `host_id` in memory for this session only, ahead of the
    /// keyring: the scripted start's `GATEHOUSE_SERVER_SECRET`.
    pub fn set_session_secret(&self, host_id: &str, secret: Sensitive<String>) {
        lock(&self.session_secrets).insert(host_id.to_owned(), secret);
        lock(&self.connections).remove(host_id);
    }

    /// Applies the scripted start: a host URL not in the list is saved (without its
    /// secret) so a later start opens on its cache; a secret is kept for the session.
    /// Answers the host to open, if any.
    pub fn apply_scripted(&self, start: &ScriptedStart) -> Result<Option<HostEntry>> {
        let Some(key) = start.host.as_deref() else {
            return Ok(None);
        };
        let mut entry = match self.find_host(key)? {
            Some(entry) => entry,
            None => {
                let mut entry = HostEntry::new(key, key)?;
                entry.name = entry.url.clone();
                entry.allow_http = start.allow_http;
                check_url_policy(&entry)?;
                let saved = entry.clone();
                self.hosts.update(move |hosts| {
                    hosts.push(saved);
                    Ok(())
                })?;
                entry
            }
        };
        entry.allow_http |= start.allow_http;
        if let Some(secret) = start.secret_for(&entry) {
            self.set_session_secret(&entry.id, secret.clone());
        }
        Ok(Some(entry))
    }

    /// Calls `GET /api/app/connection` on a host that need not be saved yet.
    pub async fn test_host(&self, input: &HostInput, secret: &Sensitive<String>) -> Result<()> {
        let entry = entry_of(input)?;
        let client = self.client_for(&entry, secret).await?;
        Ok(client.test_connection().await?)
    }

    /// Calls `GET /api/app/connection` with a saved host's settings as edited (`input`,
    /// not yet saved) and the secret that host already has. The saved secret is only
    /// sent to the URL it was saved with: an edited URL is [`Error::SecretNeeded`].
    pub async fn test_edited_host(&self, id: &str, input: &HostInput) -> Result<()> {
        let saved = self
            .hosts()?
            .into_iter()
            .find(|h| h.id == id)
            .ok_or_else(|| Error::UnknownHost(id.to_owned()))?;
        let edited = entry_of(input)?;
        if edited.url != saved.url {
            return Err(Error::SecretNeeded { url: edited.url });
        }
        let secret = self.secret_of(id).await.map_err(|reason| Error::NoSecret {
            host: input.name.clone(),
            reason,
        })?;
        self.test_host(input, &secret).await
    }

    /// The connection to a saved host (by id, name or URL), built once and shared.
    pub async fn connect(&self, key: &str) -> Result<Arc<Connection>> {
        let entry = self.resolve_host(key, false)?;
        self.connect_entry(entry).await
    }

    /// The connection to `entry`, saved or not, built once per host id and shared.
    /// Without a secret the connection still reads its caches (offline).
    pub async fn connect_entry(&self, entry: HostEntry) -> Result<Arc<Connection>> {
        let existing = || {
            lock(&self.connections)
                .get(&entry.id)
                .filter(|conn| conn.host() == &entry)
                .cloned()
        };
        if let Some(conn) = existing() {
            return Ok(conn);
        }
        let _building = self.connecting.lock().await;
        if let Some(conn) = existing() {
            return Ok(conn);
        }
        let secret = match self.secret_of(&entry.id).await {
            // Building reads the CA file: off the async threads. A client that cannot be
            // built still leaves the offline copy readable.
            Ok(secret) => match self.client_for(&entry, &secret).await {
                Ok(client) => SecretState::Present(client),
                Err(Error::Host(error)) => SecretState::Unusable(error),
                Err(other) => return Err(other),
            },
            Err(reason) => SecretState::Missing(reason),
        };
        let cache_dir = self.cache_dir(&entry.id);
        let conn = Arc::new(Connection::new(
            entry.clone(),
            secret,
            cache_dir,
            self.notices.clone(),
            Arc::clone(&self.audit),
        ));
        lock(&self.connections).insert(entry.id, Arc::clone(&conn));
        Ok(conn)
    }

    /// A client for `entry`, built off the async threads (it reads the CA file).
    async fn client_for(
        &self,
        entry: &HostEntry,
        secret: &Sensitive<String>,
    ) -> Result<HostClient> {
        let config = self.config_for(entry, secret);
        blocking(move || Ok(HostClient::new(config)?)).await
    }

    fn config_for(&self, entry: &HostEntry, secret: &Sensitive<String>) -> HostConfig {
        HostConfig {
            ca_file: entry.ca_file.clone(),
            allow_http: entry.allow_http,
            silence_limit: self.timing.silence_limit,
            read_attempts: self.timing.read_attempts,
            page_size: self.timing.page_size,
            ..HostConfig::new(
                entry.url.clone(),
                ServerSecret::new(secret.expose().clone()),
            )
        }
    }

    /// The secret of a host: this session's, else the keyring's. `Err` is the reason
    /// there is none, in plain words.
    async fn secret_of(&self, host_id: &str) -> Result<Sensitive<String>, String> {
        if let Some(secret) = lock(&self.session_secrets).get(host_id) {
            return Ok(secret.clone());
        }
        let keyring = self.keyring.clone();
        let account = hosts::keyring_account(host_id);
        match keyring_call(move || Ok(keyring.retrieve(&account)?)).await {
            Ok(Some(secret)) => Ok(secret),
            Ok(None) => Err("no server secret is stored for this host; add it again \
                             or set GATEHOUSE_SERVER_SECRET"
                .into()),
            Err(e) => Err(e.to_string()),
        }
    }

    async fn keep_secret(&self, entry: &HostEntry, secret: Sensitive<String>) -> SecretStorage {
        let keyring = self.keyring.clone();
        let account = entry.keyring_account();
        let to_store = secret.clone();
        let stored = keyring_call(move || Ok(keyring.persist(&account, &to_store)?)).await;
        lock(&self.connections).remove(&entry.id);
        match stored {
            Ok(()) => {
                lock(&self.session_secrets).remove(&entry.id);
                SecretStorage::Keyring
            }
            Err(e) => {
                lock(&self.session_secrets).insert(entry.id.clone(), secret);
                SecretStorage::Session {
                    reason: e.to_string(),
                }
            }
        }
    }

    async fn forget_secret(&self, host_id: &str) -> Result<()> {
        lock(&self.session_secrets).remove(host_id);
        lock(&self.connections).remove(host_id);
        let keyring = self.keyring.clone();
        let account = hosts::keyring_account(host_id);
        keyring_call(move || Ok(keyring.delete(&account)?)).await
    }
}

fn entry_of(input: &HostInput) -> Result<HostEntry> {
    let mut entry = HostEntry::new(&input.name, &input.url)?;
    entry.ca_file = input.ca_file.clone();
    entry.allow_http = input.allow_http;
    Ok(entry)
}

/// Refuses a remote `http://` host unless allowed, before anything is saved.
fn check_url_policy(entry: &HostEntry) -> Result<()> {
    let probe = HostConfig {
        allow_http: entry.allow_http,
        ..HostConfig::new(entry.url.clone(), ServerSecret::new("x"))
    };
    HostClient::new(probe).map(|_| ()).map_err(Error::from)
}
