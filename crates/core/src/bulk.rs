//! Bulk suspend, activate and delete over a list of user ids, with a result per item.
//!
//! The host has no bulk route: items are sent one request each, `IN_FLIGHT` (4) at a time
//! (what the host answers without errors, as the sync's paging), and the report keeps
//! the order the user chose. Once the host stops answering, the items not yet sent fail
//! at once instead of each waiting out the silence limit; after a cancel, those not yet
//! sent are skipped.

use cosync_client::CancellationToken;

use crate::connection::Connection;
use crate::error::{Error, Result};

/// What to do to every selected user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkAction {
    Suspend,
    Activate,
    Delete,
}

/// The result of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOutcome {
    Done,
    /// Not attempted; `reason` says why (already in that state, not found, cancelled).
    Skipped {
        reason: String,
    },
    /// Attempted and refused or failed; `reason` is the error's message.
    Failed {
        reason: String,
        code: &'static str,
    },
}

/// One user's line of the final report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkItem {
    pub user_id: String,
    /// The handle, when the user was found in the cache.
    pub handle: Option<String>,
    pub outcome: BulkOutcome,
}

/// How far a bulk action has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkProgress {
    pub processed: usize,
    pub total: usize,
}

/// Requests of a bulk action sent at once.
pub const IN_FLIGHT: usize = 4;

impl Connection {
    /// Applies `action` to each user id, `IN_FLIGHT` (4) at a time. Ids are looked up in
    /// the cache for the handle and the current status (a user already in the wanted
    /// state is skipped). `progress` follows every item; after `cancel`, the items not
    /// yet sent are skipped. The answer is in the order of `user_ids`.
    #[tracing::instrument(
        name = "operation",
        skip_all,
        fields(operation = "bulk"),
        err(Display, level = "debug")
    )]
    pub async fn bulk(
        &self,
        app_id: &str,
        action: BulkAction,
        user_ids: &[String],
        progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<BulkItem>> {
        use futures::StreamExt;
        self.client()?;
        let total = user_ids.len();
        let unreachable: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        let mut ids = user_ids.iter();
        let mut sending = futures::stream::FuturesOrdered::new();
        let mut items = Vec::with_capacity(total);
        loop {
            while sending.len() < IN_FLIGHT {
                let Some(id) = ids.next() else { break };
                sending.push_back(self.bulk_item(app_id, action, id, cancel, &unreachable));
            }
            let Some(item) = sending.next().await else {
                break;
            };
            items.push(item?);
            progress(BulkProgress {
                processed: items.len(),
                total,
            });
        }
        Ok(items)
    }

    async fn bulk_item(
        &self,
        app_id: &str,
        action: BulkAction,
        id: &str,
        cancel: &CancellationToken,
        unreachable: &std::sync::Mutex<Option<Error>>,
    ) -> Result<BulkItem> {
        let row = self.cached_user(app_id, id).await?;
        let handle = row.as_ref().map(|r| r.user.handle.clone());
        let stopped = crate::connection::lock(unreachable).as_ref().map(failed);
        let outcome = if cancel.is_cancelled() {
            skipped("cancelled before it was reached")
        } else if let Some(outcome) = stopped {
            outcome
        } else {
            match (&row, action) {
                (None, _) => skipped("not in the cached list; sync and try again"),
                (Some(r), BulkAction::Suspend) if !r.user.is_active() => {
                    skipped("already suspended")
                }
                (Some(r), BulkAction::Activate) if r.user.is_active() => skipped("already active"),
                (Some(r), _) => {
                    let result = match action {
                        BulkAction::Suspend => self.set_user_status(app_id, id, false).await,
                        BulkAction::Activate => self.set_user_status(app_id, id, true).await,
                        BulkAction::Delete => {
                            self.delete_user(app_id, &r.user.handle).await.map(|_| ())
                        }
                    };
                    match result {
                        Ok(()) => BulkOutcome::Done,
                        Err(e) => {
                            let outcome = failed(&e);
                            if e.is_unreachable() {
                                *crate::connection::lock(unreachable) = Some(e);
                            }
                            outcome
                        }
                    }
                }
            }
        };
        Ok(BulkItem {
            user_id: id.to_owned(),
            handle,
            outcome,
        })
    }
}

fn skipped(reason: &str) -> BulkOutcome {
    BulkOutcome::Skipped {
        reason: reason.to_owned(),
    }
}

fn failed(e: &Error) -> BulkOutcome {
    BulkOutcome::Failed {
        reason: e.to_string(),
        code: e.code(),
    }
}
