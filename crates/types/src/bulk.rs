//! Bulk suspend, activate and delete over selected users.

use crate::AppRef;
use crate::users::UserFilter;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkKind {
    Suspend,
    Activate,
    Delete,
}

impl BulkKind {
    pub fn verb(self) -> &'static str {
        match self {
            BulkKind::Suspend => "Suspend",
            BulkKind::Activate => "Activate",
            BulkKind::Delete => "Delete",
        }
    }
}

/// Which users: those ticked, or every user matching a query minus those unticked —
/// resolved in the backend, so "select all" works at a million rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Selection {
    Ids {
        ids: Vec<String>,
    },
    AllMatching {
        filter: UserFilter,
        except: Vec<String>,
    },
}

/// `apply_bulk_action`: applies `action` to the selection, a few users at a time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyBulkAction {
    #[serde(flatten)]
    pub app: AppRef,
    pub action: BulkKind,
    pub selection: Selection,
}

/// How one user's item of a bulk action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BulkLineOutcome {
    Done,
    /// Not attempted (already in that state, not cached, cancelled).
    Skipped,
    /// Attempted and refused, or the host did not answer.
    Failed,
}

impl BulkLineOutcome {
    /// As shown, and as the line's class.
    pub fn as_str(self) -> &'static str {
        match self {
            BulkLineOutcome::Done => "done",
            BulkLineOutcome::Skipped => "skipped",
            BulkLineOutcome::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkLine {
    pub user_id: String,
    pub handle: Option<String>,
    pub outcome: BulkLineOutcome,
    /// Why it was skipped or failed.
    pub reason: Option<String>,
}

/// `query_bulk_progress`: how far the running bulk action is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryBulkProgress {
    #[serde(flatten)]
    pub app: AppRef,
}

/// `cancel_bulk`: skips the items not reached yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelBulk {
    #[serde(flatten)]
    pub app: AppRef,
}
