//! The changes sent to a host that are not yet known to be in the cache: a small file per
//! host, `sent-changes.json` beside its caches.
//!
//! A change is written here before it is sent and struck off once its answer is in the
//! cache. What stays — the answer never came (silence, a cut connection), or the process
//! ended between the host's answer and the cache write — names the users whose cached
//! rows may be wrong. [`crate::Connection::recheck_sent`] reads each of them from the
//! host again and puts what the host says into the cache, never sending a change twice.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::data_dir;
use crate::notices::Notices;

/// The file name of the journal, in the host's cache folder.
pub(crate) const SENT_FILE: &str = "sent-changes.json";

/// One change sent and not yet settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SentChange {
    pub app_id: String,
    /// The user the change was about, as the host spells handles.
    pub handle: String,
    /// What was asked, in words ("suspending …"), for the log of what happened.
    pub action: String,
    /// When it was sent, unix milliseconds.
    pub sent_at: i64,
}

/// The journal of one host. Every change of it goes through one lock, so two actions at
/// once do not lose each other's lines.
pub(crate) struct SentChanges {
    path: PathBuf,
    notices: Notices,
    lock: Mutex<()>,
}

impl SentChanges {
    pub fn in_dir(cache_dir: &Path, notices: Notices) -> Self {
        SentChanges {
            path: cache_dir.join(SENT_FILE),
            notices,
            lock: Mutex::new(()),
        }
    }

    /// The unsettled changes of `app_id`.
    pub fn of_app(&self, app_id: &str) -> Vec<SentChange> {
        let _held = crate::connection::lock(&self.lock);
        self.load()
            .into_iter()
            .filter(|change| change.app_id == app_id)
            .collect()
    }

    /// Writes `change` down before it is sent. A journal that cannot be written does not
    /// stop the change: it only makes a later repair impossible, which a sync also does.
    pub fn record(&self, change: SentChange) {
        let _held = crate::connection::lock(&self.lock);
        let mut all = self.load();
        all.push(change);
        self.save(&all);
    }

    /// Strikes off the changes of `app_id` to `handle`: their outcome is in the cache.
    pub fn settle(&self, app_id: &str, handle: &str) {
        let _held = crate::connection::lock(&self.lock);
        let mut all = self.load();
        let before = all.len();
        all.retain(|change| !(change.app_id == app_id && change.handle == handle));
        if all.len() != before {
            self.save(&all);
        }
    }

    /// Strikes off every change of `app_id` sent before `at`: a sync that began after
    /// them read the host's state of every user.
    pub fn settle_before(&self, app_id: &str, at: i64) {
        let _held = crate::connection::lock(&self.lock);
        let mut all = self.load();
        let before = all.len();
        all.retain(|change| !(change.app_id == app_id && change.sent_at < at));
        if all.len() != before {
            self.save(&all);
        }
    }

    fn load(&self) -> Vec<SentChange> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(_) => return Vec::new(),
        };
        match serde_json::from_slice(&bytes) {
            Ok(all) => all,
            Err(e) => {
                let kept = data_dir::set_aside(&self.path)
                    .map(|aside| format!("it was set aside as {}", aside.display()))
                    .unwrap_or_else(|_| "it could not be set aside".to_owned());
                self.notices.push(format!(
                    "The list of changes sent to the host, {}, could not be read ({e}); {kept}. \
                     The next sync brings the cache up to date.",
                    self.path.display()
                ));
                Vec::new()
            }
        }
    }

    fn save(&self, all: &[SentChange]) {
        let result = if all.is_empty() {
            match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            serde_json::to_vec_pretty(all)
                .map_err(std::io::Error::other)
                .and_then(|bytes| {
                    if let Some(dir) = self.path.parent() {
                        data_dir::create_private_dir(dir)?;
                    }
                    data_dir::write_private_file_unsynced(&self.path, &bytes)
                })
        };
        if let Err(e) = result {
            self.notices.push(format!(
                "The list of changes sent to the host could not be written to {} ({e}).",
                self.path.display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(app: &str, handle: &str, at: i64) -> SentChange {
        SentChange {
            app_id: app.into(),
            handle: handle.into(),
            action: format!("suspending {handle}"),
            sent_at: at,
        }
    }

    #[test]
    fn changes_are_kept_across_opens_until_settled() {
        let dir = tempfile::tempdir().unwrap();
        let journal = SentChanges::in_dir(dir.path(), Notices::default());
        journal.record(change("a", "x@y.io", 10));
        journal.record(change("a", "z@y.io", 20));
        journal.record(change("b", "x@y.io", 30));
        let reopened = SentChanges::in_dir(dir.path(), Notices::default());
        assert_eq!(reopened.of_app("a").len(), 2, "kept on disk");
        reopened.settle("a", "x@y.io");
        assert_eq!(reopened.of_app("a"), [change("a", "z@y.io", 20)]);
        reopened.settle_before("a", 25);
        assert!(reopened.of_app("a").is_empty());
        assert_eq!(reopened.of_app("b").len(), 1, "another app's stay");
        reopened.settle("b", "x@y.io");
        assert!(
            !dir.path().join(SENT_FILE).exists(),
            "an empty journal leaves no file"
        );
    }

    #[test]
    fn a_damaged_journal_is_set_aside_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SENT_FILE), b"{not json").unwrap();
        let notices = Notices::default();
        let journal = SentChanges::in_dir(dir.path(), notices.clone());
        assert!(journal.of_app("a").is_empty());
        assert_eq!(notices.take().len(), 1);
        journal.record(change("a", "x@y.io", 1));
        assert_eq!(journal.of_app("a").len(), 1, "a fresh journal is started");
    }
}
