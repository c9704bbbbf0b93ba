//! The one piece of managed state every command reaches through `State<AppState>`.

use gatehouse_core::{
    CancellationToken, Connection, Gatehouse, ScriptedStart, data_dir, secrets::Keyring,
};
use gatehouse_types::{ApiError, ErrorCode, Progress};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub struct AppState {
    pub data_dir: PathBuf,
    pub core: Arc<Gatehouse>,
    /// The environment's host, secret and app (product.md §7), read once at start.
    pub scripted: ScriptedStart,
    /// The embedded demo host, while it runs.
    pub demo: tokio::sync::Mutex<Option<cosync_emulator::RunningHost>>,
    jobs: Mutex<HashMap<JobKey, RunningJob>>,
}

/// The long-running work of an app that shows progress and can be cancelled; one of
/// each kind at a time per app.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Sync,
    Bulk,
}

/// A job in flight: how to stop it and how far it is.
#[derive(Clone)]
pub struct RunningJob {
    pub cancel: CancellationToken,
    pub progress: Arc<Mutex<Option<Progress>>>,
}

impl RunningJob {
    /// The progress callback core's work takes: each update, as the UI reads it, becomes
    /// the job's progress.
    pub fn reporter<T, F>(&self, to_progress: F) -> impl Fn(T) + Send + Sync + use<T, F>
    where
        F: Fn(T) -> Progress + Send + Sync,
    {
        let progress = self.progress.clone();
        move |update| *lock(&progress) = Some(to_progress(update))
    }
}

impl AppState {
    /// State for the scripted start `scripted` (read from the environment by `main`);
    /// fails only when no data folder exists at all, which the user must fix before
    /// anything can be kept.
    pub fn from_environment(scripted: ScriptedStart) -> Result<Self, data_dir::NoDataDir> {
        let data_dir = data_dir::resolve(scripted.data_dir.clone())?;
        Ok(Self::new(data_dir, Keyring::default(), scripted))
    }

    pub fn new(data_dir: PathBuf, keyring: Keyring, scripted: ScriptedStart) -> Self {
        let core = Gatehouse::new(data_dir.clone()).with_keyring(keyring);
        Self {
            data_dir,
            core: Arc::new(core),
            scripted,
            demo: tokio::sync::Mutex::new(None),
            jobs: Mutex::new(HashMap::new()),
        }
    }

    /// The connection to a saved host, its failure already in the UI's terms.
    pub async fn connect(&self, host_id: &str) -> Result<Arc<Connection>, ApiError> {
        self.core
            .connect(host_id)
            .await
            .map_err(crate::convert::error)
    }

    /// Registers a job of `host_id`/`app_id`; refused when one of its kind already runs.
    /// The job stays registered — its progress readable, its cancel reachable — until
    /// the guard is dropped, however the work ends (an error, a panic, a dropped future).
    pub fn begin_job(
        &self,
        job: Job,
        host_id: &str,
        app_id: &str,
    ) -> Result<JobGuard<'_>, ApiError> {
        let mut jobs = lock(&self.jobs);
        let key = (job, host_id.to_owned(), app_id.to_owned());
        if jobs.contains_key(&key) {
            let running = match job {
                Job::Sync => "A sync of this app is already running.",
                Job::Bulk => "A bulk action on this app is already running.",
            };
            return Err(ApiError::new(ErrorCode::InvalidInput, running));
        }
        let running = RunningJob {
            cancel: CancellationToken::new(),
            progress: Arc::default(),
        };
        jobs.insert(key.clone(), running.clone());
        Ok(JobGuard {
            jobs: &self.jobs,
            key,
            running,
            started: std::time::Instant::now(),
        })
    }

    pub fn running_job(&self, job: Job, host_id: &str, app_id: &str) -> Option<RunningJob> {
        lock(&self.jobs)
            .get(&(job, host_id.to_owned(), app_id.to_owned()))
            .cloned()
    }
}

type JobKey = (Job, String, String);

/// A registered job; dropping it unregisters the job.
pub struct JobGuard<'a> {
    jobs: &'a Mutex<HashMap<JobKey, RunningJob>>,
    key: JobKey,
    running: RunningJob,
    /// When the job was registered: what its notification's duration counts from.
    pub started: std::time::Instant,
}

impl std::ops::Deref for JobGuard<'_> {
    type Target = RunningJob;

    fn deref(&self) -> &RunningJob {
        &self.running
    }
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        lock(self.jobs).remove(&self.key);
    }
}

/// A poisoned lock only means another command panicked mid-update of plain data; the
/// data is still usable.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
