//! A faithful local Cosync JWT host, as a library and a binary.
//!
//! [`start`] serves the host API of `shared/spec/portal-api.md` on loopback; tests
//! and the desktop demo run it in-process on port 0. [`seed_dir`] fills an app in a
//! data folder with deterministic, realistic data.

mod auth;
mod clock;
mod error;
mod faults;
mod host;
mod metadata;
mod params;
mod routes;
mod secrets;
mod seed;
mod store;
mod tokens;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use error::Error;
pub use secrets::md5_hex;
pub use seed::{SeedOptions, SeedReport};

use host::Host;

/// Where the host keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// Nothing survives the host.
    Memory,
    /// A data folder: the database and the keys survive restarts.
    Dir(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// 0 picks any free port.
    pub port: u16,
    pub storage: Storage,
    /// Create the demo apps when the store has none.
    pub demo: bool,
}

impl Config {
    /// A throw-away host on any free loopback port, with no demo data: what tests start.
    pub fn in_memory() -> Self {
        Config {
            port: 0,
            storage: Storage::Memory,
            demo: false,
        }
    }
}

/// A host serving on `127.0.0.1`.
pub struct RunningHost {
    base_url: String,
    host: Arc<Host>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Invalid(format!("background task failed: {e}")))?
}

/// Opens the store, creates the demo apps if asked, and starts serving.
pub async fn start(config: Config) -> Result<RunningHost, Error> {
    tokens::refill_in_background();
    let storage = config.storage.clone();
    let demo = config.demo;
    let host = blocking(move || {
        let dir = match &storage {
            Storage::Memory => None,
            Storage::Dir(d) => Some(d.as_path()),
        };
        let host = Host::new(store::open(dir)?)?;
        if demo {
            host.with_conn(|conn| seed::demo(conn, &host.key))?;
        }
        Ok(host)
    })
    .await?;
    let host = Arc::new(host);
    if let Storage::Dir(dir) = &config.storage {
        warm_in_background(Arc::clone(&host), dir.clone());
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let port = listener.local_addr()?.port();
    let (stop, stopped) = oneshot::channel::<()>();
    let app = routes::router(Arc::clone(&host));
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            eprintln!("cosync-emulator: server stopped: {e}");
        }
    });
    Ok(RunningHost {
        base_url: format!("http://127.0.0.1:{port}"),
        host,
        stop: Some(stop),
        task,
    })
}

impl RunningHost {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The host admin token to send as the `server-secret` header.
    pub fn server_secret(&self) -> &str {
        &self.host.secret
    }

    /// The most API requests the host has answered at once since it started or since
    /// [`RunningHost::reset_peak_in_flight`].
    pub fn peak_in_flight(&self) -> usize {
        self.host.in_flight.peak()
    }

    pub fn reset_peak_in_flight(&self) {
        self.host.in_flight.reset_peak();
    }

    /// Fills an app (created if missing) in the running host, as the `seed` command does.
    pub async fn seed(&self, opts: SeedOptions) -> Result<SeedReport, Error> {
        let host = Arc::clone(&self.host);
        blocking(move || {
            host.with_conn(|conn| {
                let report = seed::seed(conn, &host.key, &opts)?;
                host.rosters.warm(conn, &report.app_id)?;
                Ok(report)
            })
        })
        .await
    }

    /// Sets fields of an app's record that only the Cosync portal changes — its
    /// password policy (`passwordFilter`, `passwordMinLength`, …), say — so a test can
    /// see a client follow them. Names must be fields the app record has.
    pub async fn set_app_fields(
        &self,
        app_id: &str,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), Error> {
        let host = Arc::clone(&self.host);
        let app_id = app_id.to_owned();
        blocking(move || {
            host.with_conn(|conn| {
                let mut app = store::apps::get(conn, &app_id)?
                    .ok_or_else(|| Error::Invalid(format!("no app {app_id}")))?;
                for (name, value) in fields {
                    if !app.contains_key(&name) {
                        return Err(Error::Invalid(format!("an app has no field {name}")));
                    }
                    app.insert(name, value);
                }
                store::apps::save(conn, &mut app)
            })
        })
        .await
    }

    /// Stops serving and waits for open connections to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for RunningHost {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Builds every app's page anchors and search names from a second connection, so a
/// host started on a large data folder answers its first deep page and first search
/// as fast as the later ones. Failing only loses that head start.
fn warm_in_background(host: Arc<Host>, dir: PathBuf) {
    tokio::task::spawn_blocking(move || -> Result<(), Error> {
        let mut conn = store::open_reader(&dir)?;
        let tx = conn.transaction()?;
        for app in store::apps::list(&tx)? {
            host.rosters.warm(&tx, store::apps::text(&app, "appId"))?;
        }
        Ok(())
    });
}

/// Fills an app in a data folder that no running host uses.
pub fn seed_dir(dir: &Path, opts: &SeedOptions) -> Result<SeedReport, Error> {
    let mut conn = store::open(Some(dir))?;
    let (key, _) = store::host_keys(&conn)?;
    // No host uses the folder: a rollback journal and a large cache spare a million
    // rows from being written twice through the WAL.
    // Syncing is skipped too: a seed cut short by a crash is simply run again.
    conn.pragma_update(None, "journal_mode", "TRUNCATE")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -512_000)?;
    let report = seed::seed(&mut conn, &key, opts)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(report)
}

/// The server secret of a data folder, made on first use.
pub fn server_secret_of(dir: &Path) -> Result<String, Error> {
    let conn = store::open(Some(dir))?;
    Ok(store::host_keys(&conn)?.1)
}
