//! The shared state of a running host and the way handlers reach the database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::{ApiError, Error};
use crate::faults::Faults;
use crate::store;
use crate::store::roster::Rosters;
use crate::tokens::KeyPair;

pub struct Host {
    db: Mutex<Connection>,
    pub key: KeyPair,
    pub secret: String,
    app_keys: Mutex<HashMap<String, Arc<KeyPair>>>,
    pub faults: Faults,
    pub rosters: Rosters,
    pub in_flight: InFlight,
}

/// The API requests being answered at once, and the most at once so far: what a test
/// reads to check how many requests a client sends together.
#[derive(Debug, Default)]
pub struct InFlight {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl InFlight {
    /// Counts a request until the guard is dropped, when its answer has been made.
    pub fn enter(&self) -> Answering<'_> {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        Answering(self)
    }

    /// The most requests answered at once since the start or the last reset.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    pub fn reset_peak(&self) {
        self.peak
            .store(self.now.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// One request being answered (see [`InFlight::enter`]).
pub struct Answering<'a>(&'a InFlight);

impl Drop for Answering<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Host {
    pub fn new(conn: Connection) -> Result<Self, Error> {
        let (key, secret) = store::host_keys(&conn)?;
        Ok(Host {
            db: Mutex::new(conn),
            key,
            secret,
            app_keys: Mutex::new(HashMap::new()),
            faults: Faults::default(),
            rosters: Rosters::default(),
            in_flight: InFlight::default(),
        })
    }

    /// Runs `f` in one transaction on a blocking thread; an error rolls it back.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &Host) -> Result<T, ApiError> + Send + 'static,
    {
        let host = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = lock(&host.db);
            let tx = conn.transaction()?;
            let out = f(&tx, &host)?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }

    /// Runs `f` with the connection itself, for work that manages its own transactions.
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> T {
        f(&mut lock(&self.db))
    }

    /// The app's signing key, parsed once.
    pub fn app_key(&self, db: &Connection, app_id: &str) -> Result<Arc<KeyPair>, ApiError> {
        if let Some(k) = lock(&self.app_keys).get(app_id) {
            return Ok(Arc::clone(k));
        }
        let pem = store::apps::private_key(db, app_id)?.ok_or(ApiError::Code(401))?;
        let key = Arc::new(KeyPair::from_pem(&pem)?);
        lock(&self.app_keys).insert(app_id.to_owned(), Arc::clone(&key));
        Ok(key)
    }

    pub fn forget_app_key(&self, app_id: &str) {
        lock(&self.app_keys).remove(app_id);
    }
}
