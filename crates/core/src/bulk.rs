//! Bulk suspend, activate and delete over a list of user ids, with a result per item.
//!
//! Items go one at a time: the host has no bulk route, and one call at a time keeps
//! the host's own log in the order the user chose. Once the host stops answering, the
//! remaining items fail at once instead of each waiting out the silence limit.

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

impl Connection {
    /// Applies `action` to each user id in turn. Ids are looked up in the cache for the
    /// handle and the current status (a user already in the wanted state is skipped).
    /// `progress` follows every item; after `cancel`, the remaining items are skipped.
    pub async fn bulk(
        &self,
        app_id: &str,
        action: BulkAction,
        user_ids: &[String],
        progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Vec<BulkItem>> {
        self.client()?;
        let total = user_ids.len();
        let mut items = Vec::with_capacity(total);
        let mut unreachable: Option<Error> = None;
        for (n, id) in user_ids.iter().enumerate() {
            let row = self.cached_user(app_id, id).await?;
            let handle = row.as_ref().map(|r| r.user.handle.clone());
            let outcome = if cancel.is_cancelled() {
                skipped("cancelled before it was reached")
            } else if let Some(e) = &unreachable {
                failed(e)
            } else {
                match (&row, action) {
                    (None, _) => skipped("not in the cached list; sync and try again"),
                    (Some(r), BulkAction::Suspend) if !r.user.is_active() => {
                        skipped("already suspended")
                    }
                    (Some(r), BulkAction::Activate) if r.user.is_active() => {
                        skipped("already active")
                    }
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
                                    unreachable = Some(e);
                                }
                                outcome
                            }
                        }
                    }
                }
            };
            items.push(BulkItem {
                user_id: id.clone(),
                handle,
                outcome,
            });
            progress(BulkProgress {
                processed: n + 1,
                total,
            });
        }
        Ok(items)
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
