//! Which data folder, host and app a command works on, and the CLI's failures with their
//! exit codes.

use std::sync::Arc;

use gatehouse_core::{
    AppSummary, CancellationToken, Connection, Gatehouse, ScriptedStart, Source, SyncProgress,
    data_dir,
};

use crate::args::Cli;

/// A failure and its exit code: 1 the host refused or another error, 2 usage,
/// 3 host unreachable.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub exit: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            exit: 2,
        }
    }
}

impl From<gatehouse_core::Error> for Failure {
    fn from(e: gatehouse_core::Error) -> Self {
        use gatehouse_core::Error as E;
        let exit = if e.is_unreachable() {
            3
        } else if matches!(e, E::UnknownHost(_) | E::UnknownApp(_) | E::InvalidInput(_)) {
            2
        } else {
            1
        };
        Failure {
            message: e.to_string(),
            exit,
        }
    }
}

pub type Outcome<T = ()> = Result<T, Failure>;

/// The resolved flags and environment, and core over the data folder.
pub struct Context {
    pub core: Gatehouse,
    pub start: ScriptedStart,
    host_from_flag: bool,
}

impl Context {
    pub fn new(cli: &Cli) -> Outcome<Self> {
        let env = ScriptedStart::from_env();
        let host_from_flag = cli.host.is_some();
        let start = env.with_flags(
            cli.host.clone(),
            cli.app.clone(),
            cli.allow_http,
            cli.data_dir.clone(),
        );
        let dir = data_dir::resolve(start.data_dir.clone()).map_err(gatehouse_core::Error::from)?;
        Ok(Context {
            core: Gatehouse::new(dir).with_interface(gatehouse_core::Interface::Cli),
            start,
            host_from_flag,
        })
    }

    /// The connection to the chosen host: `--host`, else `GATEHOUSE_HOST_URL`, else the
    /// only saved host. `GATEHOUSE_SERVER_SECRET` wins over the keyring for the host of
    /// `GATEHOUSE_HOST_URL`, and is never sent to another.
    pub async fn connect(&self) -> Outcome<Arc<Connection>> {
        let entry = match (&self.start.host, self.host_from_flag) {
            (Some(key), true) => self.core.resolve_host(key, self.start.allow_http)?,
            (Some(_), false) => self
                .core
                .apply_scripted(&self.start)?
                .ok_or_else(|| Failure::usage("no host given"))?,
            (None, _) => {
                let hosts = self.core.hosts()?;
                match hosts.as_slice() {
                    [only] => only.clone(),
                    [] => {
                        return Err(Failure::usage(
                            "no host saved: run `gatehouse-cli host add NAME --url URL` or give --host URL",
                        ));
                    }
                    _ => {
                        return Err(Failure::usage(
                            "several hosts are saved: choose one with --host NAME",
                        ));
                    }
                }
            }
        };
        self.use_scripted_secret(&entry);
        Ok(self.core.connect_entry(entry).await?)
    }

    /// Keeps `GATEHOUSE_SERVER_SECRET` for this session when `entry` is the host of
    /// `GATEHOUSE_HOST_URL`, and says on stderr when it was given for another host.
    pub fn use_scripted_secret(&self, entry: &gatehouse_core::HostEntry) {
        match self.start.secret_for(entry) {
            Some(secret) => self.core.set_session_secret(&entry.id, secret.clone()),
            None => {
                if let Some(why) = self.start.secret_withheld_from(entry) {
                    eprintln!("note: {why}");
                }
            }
        }
    }

    /// The chosen app: `--app`, else `GATEHOUSE_APP`, else the host's only app.
    pub async fn app(&self, conn: &Connection) -> Outcome<AppSummary> {
        if let Some(key) = &self.start.app {
            return Ok(conn.resolve_app(key).await?.value);
        }
        let apps = conn.apps().await?.value;
        match apps.as_slice() {
            [only] => Ok(only.clone()),
            _ => {
                let names: Vec<&str> = apps.iter().map(|a| a.name.as_str()).collect();
                Err(Failure::usage(format!(
                    "choose an app with --app (one of: {})",
                    names.join(", ")
                )))
            }
        }
    }
}

/// Syncs the app, with progress on stderr.
pub async fn sync(conn: &Connection, app_id: &str) -> Outcome<gatehouse_core::SyncReport> {
    let report = |p: SyncProgress| {
        eprint!(
            "\rsyncing: users {}/{}, invitations {}/{}, signups {}/{}   ",
            p.users.fetched,
            p.users.total,
            p.invites.fetched,
            p.invites.total,
            p.signups.fetched,
            p.signups.total
        );
    };
    let result = conn.sync(app_id, report, &CancellationToken::new()).await;
    eprintln!();
    let report = result?;
    // The space the old copy took goes back now: this process may end right after.
    if let Err(error) = conn.compact(app_id).await {
        eprintln!("warning: the offline copy was not compacted: {error}");
    }
    if !report.unreadable.is_empty() {
        eprintln!(
            "warning: {} records the host sent could not be read and are not in the offline copy:",
            report.unreadable.len()
        );
        for record in &report.unreadable {
            eprintln!("  {} {}: {}", record.list, record.id, record.detail);
        }
    }
    match &report.history {
        Ok(history) if history.first => {}
        Ok(history) if history.counts.is_empty() => {
            eprintln!("no changes since the previous sync")
        }
        Ok(history) => {
            let counts: Vec<String> = history
                .counts
                .iter()
                .map(|(kind, n)| format!("{n} {}", kind.as_str()))
                .collect();
            eprintln!(
                "changes since the previous sync (run {}): {}",
                history.run,
                counts.join(", ")
            );
        }
        Err(reason) => eprintln!(
            "warning: the sync is complete, but its changes could not be recorded ({reason})"
        ),
    }
    Ok(report)
}

/// Before a read: a cache never synced is synced first when the host answers; a cached
/// answer says on stderr how old it is.
pub async fn prepare_read(conn: &Connection, app_id: &str) -> Outcome {
    // Changes whose outcome never reached the cache (a lost answer, an earlier run that
    // ended first) are read from the host before the cache is shown; offline they wait.
    if conn.recheck_sent(app_id).await.is_ok_and(|read| read > 0) {
        eprintln!("re-read from the host the users of changes whose outcome was unknown");
    }
    let times = conn.sync_times(app_id).await?;
    let Some(synced) = times.oldest() else {
        sync(conn, app_id).await?;
        return Ok(());
    };
    let age = age_text(synced);
    match conn.reachability() {
        gatehouse_core::Reachability::Offline { reason, .. } => {
            eprintln!("offline ({reason}); showing cached data from {age}")
        }
        _ => eprintln!("showing cached data from {age}; `gatehouse-cli sync` refreshes it"),
    }
    Ok(())
}

/// Says on stderr that the apps came from the saved list, and how old it is.
pub fn note_source(source: &Source) {
    if let Source::Saved { saved_at, reason } = source {
        let age = saved_at
            .map(age_text)
            .unwrap_or_else(|| "an unknown time".into());
        eprintln!("offline ({reason}); showing the app list saved {age}");
    }
}

/// "3 minutes ago (2024-05-01T10:00:00Z)".
pub fn age_text(ms: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(ms);
    let secs = (now - ms).max(0) / 1000;
    let ago = match secs {
        0..60 => format!("{secs} seconds ago"),
        60..3600 => format!("{} minutes ago", secs / 60),
        3600..86400 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86400),
    };
    format!("{ago} ({})", gatehouse_core::iso_time(ms))
}
