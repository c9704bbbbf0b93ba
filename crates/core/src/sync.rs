//! Sync of one app: every user, invitation and signup from the host into staging, then
//! one swap. Staging begins before the first page is asked for, so an action made while
//! the pages arrive is journaled by the cache and replayed onto the staged copy; a
//! failed or cancelled sync drops the staging and leaves the snapshot untouched.

use std::sync::Mutex;

use cosync_client::{CancellationToken, ClientError, Progress};
use gatehouse_cache::{Staging, SyncSummary};

use crate::connection::{Connection, lock};
use crate::convert;
use crate::error::{Error, Result, blocking};

/// How far one list has come: records received and the host's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListProgress {
    pub fetched: u64,
    pub total: u64,
}

/// How far a sync has come, per list. Sent after every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncProgress {
    pub users: ListProgress,
    pub invites: ListProgress,
    pub signups: ListProgress,
}

impl From<Progress> for ListProgress {
    fn from(p: Progress) -> Self {
        ListProgress {
            fetched: p.fetched,
            total: p.total,
        }
    }
}

/// What a finished sync swapped in.
pub type SyncReport = SyncSummary;

impl Connection {
    /// Syncs the app's three lists. `progress` is called after every page with the
    /// counts of all three; cancelling `cancel` ends the sync with
    /// [`Error::Cancelled`]. On any error the cache is exactly as it was.
    pub async fn sync(
        &self,
        app_id: &str,
        progress: impl Fn(SyncProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<SyncReport> {
        let client = self.client()?.clone();
        let cache = self.cache(app_id).await?;
        let staging = blocking(move || Ok(cache.begin_sync()?)).await?;
        let mut staging = Guard(Some(staging));

        let state = Mutex::new(SyncProgress::default());
        let report = |update: &dyn Fn(&mut SyncProgress)| {
            let snapshot = {
                let mut s = lock(&state);
                update(&mut s);
                *s
            };
            progress(snapshot);
        };
        let fetched = tokio::try_join!(
            client.fetch_all_users(app_id, |p| report(&|s| s.users = p.into()), cancel),
            client.fetch_all_invites(app_id, |p| report(&|s| s.invites = p.into()), cancel),
            client.fetch_all_signups(app_id, |p| report(&|s| s.signups = p.into()), cancel),
        );
        let fetched = fetched.map_err(|e| match e {
            ClientError::Cancelled => Error::Cancelled,
            other => Error::from(other),
        });
        let (users, invites, signups) = match self.observe(fetched) {
            Ok(lists) => lists,
            Err(e) => return Err(staging.discard(e).await),
        };
        if cancel.is_cancelled() {
            return Err(staging.discard(Error::Cancelled).await);
        }
        let Some(mut stage) = staging.0.take() else {
            return Err(Error::Internal("the staging vanished".into()));
        };
        // Conversion and the swap run on one blocking thread; an error there drops the
        // staging, which restores the snapshot.
        blocking(move || {
            let users: Vec<_> = users.iter().map(convert::user).collect();
            let invites: Vec<_> = invites.iter().map(convert::invite).collect();
            let signups: Vec<_> = signups.iter().map(convert::signup).collect();
            for chunk in users.chunks(10_000) {
                stage.add_users(chunk)?;
            }
            stage.add_invites(&invites)?;
            stage.add_signups(&signups)?;
            Ok(stage.commit()?)
        })
        .await
    }
}

/// Drops a staging on a blocking thread (dropping runs SQL).
struct Guard(Option<Staging>);

impl Guard {
    async fn discard(&mut self, error: Error) -> Error {
        if let Some(stage) = self.0.take() {
            let _ = blocking(move || {
                stage.abort();
                Ok(())
            })
            .await;
        }
        error
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Reached only when the sync's future itself is dropped mid-way: the staging
        // must still go, or the next sync would find one running.
        if let Some(stage) = self.0.take() {
            stage.abort();
        }
    }
}
