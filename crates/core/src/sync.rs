//! Sync of one app: every user, invitation and signup from the host into staging, page
//! by page as they arrive, then one swap. Staging begins before the first page is asked
//! for, so an action made while the pages arrive is journaled by the cache and replayed
//! onto the staged copy; a failed or cancelled sync drops the staging and leaves the
//! snapshot untouched.

use std::sync::Mutex;

use tokio::sync::mpsc;

use cosync_client::{self as wire, CancellationToken, ClientError, Progress, Taken};
use gatehouse_cache::{Staging, SyncHistory, SyncSummary};

use crate::connection::{Connection, lock};
use crate::convert;
use crate::error::{Error, Result, blocking, in_background};

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

/// What a finished sync swapped in, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Users now in the cache.
    pub users: usize,
    /// Invitations now in the cache.
    pub invites: usize,
    /// Signups now in the cache.
    pub signups: usize,
    /// The recorded sync time, unix milliseconds.
    pub synced_at: i64,
    /// Records the host sent that could not be read: not in the cache, named here so
    /// the user hears of them (a sync does not fail for one broken record).
    pub unreadable: Vec<UnreadableRecord>,
    /// What the change feed recorded of this sync, or why it could not (the sync is
    /// committed all the same).
    pub history: std::result::Result<SyncHistory, String>,
}

/// A record of the host that a sync could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRecord {
    /// "users", "invitations" or "signups".
    pub list: &'static str,
    /// Its `_id` as the host wrote it.
    pub id: String,
    /// Why it could not be read.
    pub detail: String,
}

impl SyncReport {
    fn new(summary: SyncSummary, unreadable: Vec<UnreadableRecord>) -> Self {
        SyncReport {
            users: summary.users,
            invites: summary.invites,
            signups: summary.signups,
            synced_at: summary.synced_at,
            unreadable,
            history: summary.history,
        }
    }
}

/// How many times a sync reads the lists of a host that changes while they are read,
/// before it says so: a busy host settles between two reads far more often than not.
const READS_OF_A_CHANGING_HOST: u32 = 3;

/// A page on its way from the host to the staging.
enum Batch {
    Users(Vec<wire::User>),
    Invites(Vec<wire::Invite>),
    Signups(Vec<wire::Signup>),
}

impl Connection {
    /// Syncs the app's three lists. `progress` is called after every page with the
    /// counts of all three; cancelling `cancel` ends the sync with
    /// [`Error::Cancelled`]. On any error the cache is exactly as it was.
    ///
    /// A sync commits a complete snapshot or nothing: when the records received do not
    /// add up to the host's counts (the host changed while it was read), the lists are
    /// read again, up to three times in all.
    #[tracing::instrument(
        name = "operation",
        skip_all,
        fields(operation = "sync"),
        err(Display, level = "debug")
    )]
    pub async fn sync(
        &self,
        app_id: &str,
        progress: impl Fn(SyncProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<SyncReport> {
        let mut read = 1;
        loop {
            match self.sync_once(app_id, &progress, cancel).await {
                Err(Error::Host(ClientError::Incomplete { .. }))
                    if read < READS_OF_A_CHANGING_HOST =>
                {
                    read += 1;
                }
                outcome => return outcome,
            }
        }
    }

    async fn sync_once(
        &self,
        app_id: &str,
        progress: &(dyn Fn(SyncProgress) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<SyncReport> {
        let client = self.client()?.clone();
        let began = crate::connection::now_ms();
        let cache = self.cache(app_id).await?;
        let staging = blocking(move || Ok(cache.begin_sync()?)).await?;

        // Pages are converted and staged on a blocking thread while the next ones are on
        // the wire, so storing costs little more than the host takes to answer.
        // A failed write stops the fetch too: no point in paging on for a staging that
        // will be dropped.
        let fetching = cancel.child_token();
        let (pages, mut inbox) = mpsc::channel::<Batch>(PAGES_QUEUED);
        let writer = {
            let fetching = fetching.clone();
            in_background("sync-staging", move || {
                stage_pages(staging, &mut inbox, &fetching)
            })
        };
        let mut staging = Guard(None);

        let state = Mutex::new(SyncProgress::default());
        let report = |update: &dyn Fn(&mut SyncProgress)| {
            let snapshot = {
                let mut s = lock(&state);
                update(&mut s);
                *s
            };
            progress(snapshot);
        };
        let fetched = {
            let (to_users, to_invites, to_signups) = (pages.clone(), pages.clone(), pages);
            // A send fails only when the writer stopped on an error, which the sync
            // reports once the fetch has stopped. A full queue holds the fetch back.
            let queue = |to: mpsc::Sender<Batch>, batch: Batch| -> Taken {
                Box::pin(async move { drop(to.send(batch).await) })
            };
            let mut users = |page| queue(to_users.clone(), Batch::Users(page));
            let mut invites = |page| queue(to_invites.clone(), Batch::Invites(page));
            let mut signups = |page| queue(to_signups.clone(), Batch::Signups(page));
            let users_done = |p: Progress| report(&|s| s.users = p.into());
            let invites_done = |p: Progress| report(&|s| s.invites = p.into());
            let signups_done = |p: Progress| report(&|s| s.signups = p.into());
            tokio::try_join!(
                client.stream(app_id, &users_done, &fetching, &mut users),
                client.stream(app_id, &invites_done, &fetching, &mut invites),
                client.stream(app_id, &signups_done, &fetching, &mut signups),
            )
            // The senders go here, which lets the writer finish.
        };
        let (stage, staged) = writer.await?;
        staging.0 = Some(stage);

        // The write's error first: it is why the fetch was stopped, if it was.
        if let Err(e) = staged {
            return Err(staging.discard(e).await);
        }
        let fetched = fetched.map_err(|e| match e {
            ClientError::Cancelled => Error::Cancelled,
            other => Error::from(other),
        });
        let unreadable = match self.observe(fetched) {
            Ok((users, invites, signups)) => [
                ("users", users),
                ("invitations", invites),
                ("signups", signups),
            ]
            .into_iter()
            .flat_map(|(list, streamed)| {
                streamed
                    .unreadable
                    .into_iter()
                    .map(move |record| UnreadableRecord {
                        list,
                        id: record.id,
                        detail: record.detail,
                    })
            })
            .collect(),
            Err(e) => return Err(staging.discard(e).await),
        };
        if cancel.is_cancelled() {
            return Err(staging.discard(Error::Cancelled).await);
        }
        let Some(stage) = staging.0.take() else {
            return Err(Error::Internal("the staging vanished".into()));
        };
        // An error in the swap drops the staging, which restores the snapshot.
        let summary = blocking(move || Ok(stage.commit()?)).await?;
        // The snapshot holds the host's state of every user after each change sent
        // before this sync began: those need no re-reading any more.
        let sent = std::sync::Arc::clone(&self.sent);
        let app = app_id.to_owned();
        let _ = blocking(move || {
            sent.settle_before(&app, began);
            Ok(())
        })
        .await;
        Ok(SyncReport::new(summary, unreadable))
    }
}

/// Most records written in one transaction: what has piled up while the previous write
/// ran goes in together, up to this.
const RECORDS_PER_WRITE: usize = 20_000;

/// Pages waiting for the writer, at most: beyond it the fetch waits, so a host that
/// serves pages faster than they are stored does not pile up the whole list in memory.
const PAGES_QUEUED: usize = 32;

/// Converts and stages pages until every sender is gone. At the first error it stops
/// writing, cancels `fetching` and drains what still arrives; it hands the staging back
/// with how it went.
fn stage_pages(
    mut stage: Staging,
    inbox: &mut mpsc::Receiver<Batch>,
    fetching: &CancellationToken,
) -> (Staging, Result<()>) {
    let mut outcome = Ok(());
    while let Some(first) = inbox.blocking_recv() {
        if outcome.is_err() {
            continue;
        }
        let mut users = Vec::new();
        let mut invites = Vec::new();
        let mut signups = Vec::new();
        let mut next = Some(first);
        while let Some(batch) = next.take() {
            match batch {
                Batch::Users(page) => users.extend(page.into_iter().map(convert::user)),
                Batch::Invites(page) => invites.extend(page.into_iter().map(convert::invite)),
                Batch::Signups(page) => signups.extend(page.into_iter().map(convert::signup)),
            }
            if users.len() + invites.len() + signups.len() < RECORDS_PER_WRITE {
                next = inbox.try_recv().ok();
            }
        }
        outcome = stage.add(&users, &invites, &signups).map_err(Error::from);
        if outcome.is_err() {
            fetching.cancel();
        }
    }
    (stage, outcome)
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
