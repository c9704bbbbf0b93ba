//! Single-row changes after an action on the host. Each is plain SQL over a set of
//! tables, so the same change applies to the live tables at once and, from the journal,
//! to a sync's staged tables just before they are swapped in.

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::records::{Invite, Signup, User};
use crate::rows::{put_invites, put_signups, put_users};

/// Table names a change applies to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tables<'a> {
    pub users: &'a str,
    pub invites: &'a str,
    pub signups: &'a str,
}

pub(crate) const LIVE: Tables<'static> = Tables {
    users: "users",
    invites: "invites",
    signups: "signups",
};

/// A change made after a successful action on the host.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    SetStatus { id: String, status: String },
    RemoveUser { id: String },
    UpsertUser(User),
    SetMetadata { id: String, meta: Value },
    RemoveInvite { id: String },
    RemoveSignup { id: String },
    UpsertInvites(Vec<Invite>),
    UpsertSignups(Vec<Signup>),
}

/// What a change touched, for updating the index: the user rewritten, and the handles
/// whose onboarding may have changed.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub user: Option<String>,
    pub handles: Vec<String>,
}

impl Action {
    /// Applies the change to `t`; a change to a row that is not there is a no-op, so a
    /// journal replays cleanly onto data that already has it or lacks the row.
    pub(crate) fn apply(&self, conn: &Connection, t: Tables<'_>) -> rusqlite::Result<Touched> {
        let mut touched = Touched::default();
        match self {
            Action::SetStatus { id, status } => {
                conn.prepare_cached(&format!("UPDATE {} SET status = ?2 WHERE id = ?1", t.users))?
                    .execute([id, status])?;
            }
            Action::RemoveUser { id } => {
                conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", t.users))?
                    .execute([id])?;
            }
            Action::UpsertUser(user) => {
                put_users(conn, t.users, std::slice::from_ref(user))?;
                touched.user = Some(user.id.clone());
            }
            Action::SetMetadata { id, meta } => {
                let n = conn
                    .prepare_cached(&format!(
                        "UPDATE {} SET meta_data = ?2 WHERE id = ?1",
                        t.users
                    ))?
                    .execute([id, &meta.to_string()])?;
                if n > 0 {
                    touched.user = Some(id.clone());
                }
            }
            Action::RemoveInvite { id } => {
                touched
                    .handles
                    .extend(delete_returning_handle(conn, t.invites, id)?);
            }
            Action::RemoveSignup { id } => {
                touched
                    .handles
                    .extend(delete_returning_handle(conn, t.signups, id)?);
            }
            Action::UpsertInvites(invites) => {
                put_invites(conn, t.invites, invites)?;
                touched
                    .handles
                    .extend(invites.iter().map(|i| i.handle.clone()));
            }
            Action::UpsertSignups(signups) => {
                put_signups(conn, t.signups, signups)?;
                touched
                    .handles
                    .extend(signups.iter().map(|s| s.handle.clone()));
            }
        }
        Ok(touched)
    }
}

fn delete_returning_handle(
    conn: &Connection,
    table: &str,
    id: &str,
) -> rusqlite::Result<Option<String>> {
    let handle = conn
        .prepare_cached(&format!("SELECT handle FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?
        .execute([id])?;
    Ok(handle)
}
