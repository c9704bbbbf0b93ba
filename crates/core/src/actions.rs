//! Actions on one app's users, invitations and signups: the host first, then the one
//! cached row (journaled by the cache when a sync runs).
//!
//! Methods taking a handle resolve it on the host with an exact, escaped, anchored
//! lookup, never from the cache, which may be stale. A cache update that fails after
//! the host succeeded is not reported as a failure: the host holds the truth, the next
//! sync repairs the cache, and a reported failure would invite doing it twice.

use cosync_client::UserStatus;
use gatehouse_cache::{Cache, Invite, InviteQuery, Signup, SignupQuery, User};
use serde_json::{Map, Value};

use crate::Sensitive;
use crate::audit::{AuditAction, Outcome, Record};
use crate::connection::{Connection, now_ms};
use crate::convert;
use crate::error::{Error, Result, blocking};
use crate::password::generate_password;

/// Metadata as a person types it, in the window or on the command line: a JSON object;
/// empty text means none.
pub fn parse_metadata(text: &str) -> Result<Map<String, Value>> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::InvalidInput(
            "metadata must be a JSON object, like {\"team\": \"blue\"}".into(),
        )),
        Err(error) => Err(Error::InvalidInput(format!(
            "the metadata is not valid JSON: {error}"
        ))),
    }
}

/// What inviting a list of handles did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InviteReport {
    /// Handles invited now.
    pub invited: Vec<String>,
    /// Handles skipped because a user or an invitation already existed.
    pub skipped: Vec<String>,
}

/// A change about to be sent: what, to whom, in which app. Names it in messages and in
/// its audit line.
pub(crate) struct Change {
    pub app_id: String,
    pub action: AuditAction,
    pub targets: Vec<String>,
}

impl Change {
    pub(crate) fn new(app_id: &str, action: AuditAction, target: &str) -> Self {
        Change {
            app_id: app_id.to_owned(),
            action,
            targets: vec![target.trim().to_owned()],
        }
    }

    fn describe(&self) -> String {
        self.action.describe(&self.targets)
    }
}

impl Connection {
    /// Runs `work`, which sends `change` (and writes its outcome into the cache), and
    /// appends how it ended to the audit log. Only work that reaches the point of sending
    /// goes through here: a lookup that fails first sent nothing. A log that cannot be
    /// written does not undo or fail the change; the user is told.
    #[tracing::instrument(
        name = "operation",
        skip_all,
        fields(operation = change.action.as_str()),
        err(Display, level = "debug")
    )]
    pub(crate) async fn audited<T>(
        &self,
        change: Change,
        work: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let at_ms = now_ms();
        let started = std::time::Instant::now();
        let result = work.await;
        let (outcome, message) = Outcome::of(&result);
        let what = change.describe();
        let app_name = self
            .remembered_apps()
            .await
            .into_iter()
            .find(|app| app.app_id == change.app_id)
            .map(|app| app.name)
            .unwrap_or_default();
        let record = Record {
            host_url: self.host().url.clone(),
            host_name: self.host().name.clone(),
            app_id: change.app_id,
            app_name,
            action: change.action,
            targets: change.targets,
            outcome,
            message,
            at_ms,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let audit = std::sync::Arc::clone(&self.audit);
        let notices = self.notices.clone();
        let _ = blocking(move || {
            if let Err(e) = audit.append(record) {
                notices.push(format!(
                    "The audit log {} could not be written ({e}): {what} is not recorded in it.",
                    audit.path().display()
                ));
            }
            Ok(())
        })
        .await;
        result
    }

    async fn update_cache(
        &self,
        app_id: &str,
        change: impl FnOnce(&Cache) -> Result<()> + Send + 'static,
    ) {
        if let Ok(cache) = self.cache(app_id).await {
            let _ = blocking(move || change(&cache)).await;
        }
    }

    /// Passes on the answer to a change sent to the host. A change whose answer never
    /// came (silence, a connection cut after sending, a gateway that gave up) may or
    /// may not have been applied: that is said as such ([`Error::OutcomeUnknown`]),
    /// never as a failure to retry — a retry could e-mail a second password or apply
    /// the change twice.
    fn sent<T>(&self, action: String, answer: Result<T, cosync_client::ClientError>) -> Result<T> {
        match self.observe(answer.map_err(Error::from)) {
            Err(Error::Host(e)) if e.outcome_unknown() => Err(Error::OutcomeUnknown {
                action,
                detail: e.to_string(),
            }),
            other => other,
        }
    }

    /// Sends a change about the user `handle` (`send`), journaled first so that a lost
    /// answer or a process that ends before the cache is written can be repaired, then
    /// `cached` writes its outcome into the cache and the journal line is struck off.
    /// When the outcome is unknown, the user is read from the host again at once (it may
    /// answer now); if it does not, the line stays for [`Connection::recheck_sent`].
    async fn change_user<T, F>(
        &self,
        change: Change,
        send: F,
        cached: impl FnOnce(&T) -> Option<Box<dyn FnOnce(&Cache) -> Result<()> + Send>>,
    ) -> Result<T>
    where
        F: std::future::Future<Output = Result<T, cosync_client::ClientError>>,
    {
        let handle = cosync_client::normalize_handle(&change.targets[0]);
        let app_id = change.app_id.as_str();
        let action = change.describe();
        self.journal(app_id, &handle, &action).await;
        let outcome = self.sent(action, send.await);
        match &outcome {
            Ok(answer) => {
                if let Some(change) = cached(answer) {
                    self.update_cache(app_id, change).await;
                }
                self.settle(app_id, &handle).await;
            }
            Err(Error::OutcomeUnknown { .. }) => {
                // Best effort, and the line stays: the host may still apply a change it
                // was slow to answer, so the user is read again later too.
                let _ = self
                    .reread_users(app_id, std::slice::from_ref(&handle))
                    .await;
            }
            Err(_) => self.settle(app_id, &handle).await,
        }
        outcome
    }

    async fn journal(&self, app_id: &str, handle: &str, action: &str) {
        let sent = std::sync::Arc::clone(&self.sent);
        let change = crate::sent::SentChange {
            app_id: app_id.to_owned(),
            handle: handle.to_owned(),
            action: action.to_owned(),
            sent_at: crate::connection::now_ms(),
        };
        let _ = blocking(move || {
            sent.record(change);
            Ok(())
        })
        .await;
    }

    async fn settle(&self, app_id: &str, handle: &str) {
        let sent = std::sync::Arc::clone(&self.sent);
        let (app_id, handle) = (app_id.to_owned(), handle.to_owned());
        let _ = blocking(move || {
            sent.settle(&app_id, &handle);
            Ok(())
        })
        .await;
    }

    /// The users of `app_id` that changes were sent about without their outcome reaching
    /// the cache (a lost answer, or a process that ended first), by handle.
    pub async fn unsettled_changes(&self, app_id: &str) -> Result<Vec<String>> {
        let sent = std::sync::Arc::clone(&self.sent);
        let app = app_id.to_owned();
        let changes = blocking(move || Ok(sent.of_app(&app))).await?;
        let mut handles: Vec<String> = changes.into_iter().map(|c| c.handle).collect();
        handles.sort();
        handles.dedup();
        Ok(handles)
    }

    /// Reads every user of [`Connection::unsettled_changes`] from the host and puts
    /// what the host has into the cache (the row as it is now, or no row when the user is
    /// gone), striking each off. Nothing is sent again. Answers how many were read; an
    /// unreachable host stops it with the rest kept for next time.
    pub async fn recheck_sent(&self, app_id: &str) -> Result<usize> {
        let handles = self.unsettled_changes(app_id).await?;
        if handles.is_empty() {
            return Ok(0);
        }
        self.reread_users(app_id, &handles).await?;
        for handle in &handles {
            self.settle(app_id, handle).await;
        }
        Ok(handles.len())
    }

    /// Puts the host's state of each of `handles` into the cache.
    async fn reread_users(&self, app_id: &str, handles: &[String]) -> Result<()> {
        let client = self.client()?;
        for handle in handles {
            let found = client.find_user(app_id, handle).await;
            let found = self.observe(found.map_err(Error::from))?;
            let gone = handle.clone();
            match found.map(convert::user) {
                Some(row) => {
                    self.update_cache(app_id, move |c| Ok(c.upsert_user(&row)?))
                        .await
                }
                None => {
                    self.update_cache(app_id, move |c| {
                        if let Some(row) = c.user_by_handle(&gone)? {
                            c.remove_user(&row.user.id)?;
                        }
                        forget_records_of(c, &gone)
                    })
                    .await
                }
            }
        }
        Ok(())
    }

    /// The user with exactly this handle, asked of the host.
    pub async fn find_user(&self, app_id: &str, handle: &str) -> Result<User> {
        let client = self.client()?;
        let found = self.observe(client.find_user(app_id, handle).await.map_err(Error::from))?;
        let user = found.ok_or_else(|| Error::UserNotFound(handle.trim().to_owned()))?;
        Ok(convert::user(user))
    }

    /// Suspends (`active == false`) or activates a user by `_id`.
    pub async fn set_user_status(&self, app_id: &str, user_id: &str, active: bool) -> Result<()> {
        let client = self.client()?;
        let status = if active {
            UserStatus::Active
        } else {
            UserStatus::Suspend
        };
        let action = if active {
            AuditAction::Activate
        } else {
            AuditAction::Suspend
        };
        // The journal names users by handle, which the host's status call does not take.
        let handle = self
            .cached_handle(app_id, user_id)
            .await
            .unwrap_or_else(|| user_id.to_owned());
        let id = user_id.to_owned();
        let wire = status.as_wire().to_owned();
        let change = Change::new(app_id, action, &handle);
        self.audited(
            Change::new(app_id, action, &handle),
            self.change_user(
                change,
                client.set_user_status(app_id, user_id, &status),
                move |()| {
                    Some(Box::new(
                        move |c: &Cache| Ok(c.set_user_status(&id, &wire)?),
                    ))
                },
            ),
        )
        .await
    }

    async fn cached_handle(&self, app_id: &str, user_id: &str) -> Option<String> {
        let cache = self.cache(app_id).await.ok()?;
        let id = user_id.to_owned();
        blocking(move || Ok(cache.user_by_id(&id)?))
            .await
            .ok()
            .flatten()
            .map(|row| row.user.handle)
    }

    /// Suspends or activates the user with this handle; answers the user as it is now.
    pub async fn set_user_status_by_handle(
        &self,
        app_id: &str,
        handle: &str,
        active: bool,
    ) -> Result<User> {
        let mut user = self.find_user(app_id, handle).await?;
        self.set_user_status(app_id, &user.id, active).await?;
        user.status = if active { "active" } else { "suspend" }.to_owned();
        let row = user.clone();
        self.update_cache(app_id, move |c| Ok(c.upsert_user(&row)?))
            .await;
        Ok(user)
    }

    /// Deletes a user by handle, with that handle's signup and invitation; answers the
    /// deleted user.
    pub async fn delete_user(&self, app_id: &str, handle: &str) -> Result<User> {
        let client = self.client()?;
        let archived = self.archive_before_delete(app_id, handle).await;
        let removed = self
            .audited(
                Change::new(app_id, AuditAction::DeleteUser, handle),
                self.change_user(
                    Change::new(app_id, AuditAction::DeleteUser, handle),
                    client.remove_user(app_id, handle),
                    |removed| {
                        let (id, handle) = (removed.id.clone(), removed.handle.clone());
                        Some(Box::new(move |c: &Cache| {
                            c.remove_user(&id)?;
                            forget_records_of(c, &handle)
                        }))
                    },
                ),
            )
            .await;
        if archived && matches!(&removed, Err(e) if !matches!(e, Error::OutcomeUnknown { .. })) {
            // Refused or never sent: the user is still there, nothing to restore.
            self.forget_deleted(app_id, handle).await;
        }
        Ok(convert::user(removed?))
    }

    /// Sets a new password for the user with this `_id`: `password`, or a generated
    /// strong one. The host e-mails it to the user; the answer is the password, to show
    /// once.
    pub async fn reset_password(
        &self,
        app_id: &str,
        user_id: &str,
        password: Option<Sensitive<String>>,
    ) -> Result<Sensitive<String>> {
        let client = self.client()?;
        let password = match password {
            Some(p) if !p.expose().is_empty() => p,
            _ => Sensitive::new(generate_password()?),
        };
        let handle = self
            .cached_handle(app_id, user_id)
            .await
            .unwrap_or_else(|| user_id.to_owned());
        let change = Change::new(app_id, AuditAction::ResetPassword, &handle);
        let what = change.describe();
        self.audited(change, async {
            let sent = client
                .reset_user_password(app_id, user_id, password.expose())
                .await;
            self.sent(what, sent)
        })
        .await?;
        Ok(password)
    }

    /// [`Connection::reset_password`] for the user with this handle.
    pub async fn reset_password_by_handle(
        &self,
        app_id: &str,
        handle: &str,
        password: Option<Sensitive<String>>,
    ) -> Result<Sensitive<String>> {
        let user = self.find_user(app_id, handle).await?;
        self.reset_password(app_id, &user.id, password).await
    }

    /// Adds a user, then sets its metadata in a second call when `meta_data` is not
    /// empty. When that second call fails the user exists without metadata:
    /// [`Error::AddedWithoutMetadata`] says so.
    pub async fn add_user(
        &self,
        app_id: &str,
        handle: &str,
        password: &Sensitive<String>,
        meta_data: Option<Map<String, Value>>,
    ) -> Result<User> {
        let client = self.client()?;
        // One line in the audit log for the add and its metadata: one action of the user.
        self.audited(
            Change::new(app_id, AuditAction::AddUser, handle),
            self.add_user_unaudited(client, app_id, handle, password, meta_data),
        )
        .await
    }

    async fn add_user_unaudited(
        &self,
        client: &cosync_client::HostClient,
        app_id: &str,
        handle: &str,
        password: &Sensitive<String>,
        meta_data: Option<Map<String, Value>>,
    ) -> Result<User> {
        let added = self
            .change_user(
                Change::new(app_id, AuditAction::AddUser, handle),
                client.add_user(app_id, handle, password.expose()),
                |added| {
                    let row = convert::user(added.clone());
                    Some(Box::new(move |c: &Cache| Ok(c.upsert_user(&row)?)))
                },
            )
            .await?;
        let mut user = convert::user(added);
        // The host also wrote a signup with code 0; caching it makes the user's
        // onboarding read "admin" (the row itself is cached already).
        let signup = client
            .find_signup(app_id, &user.handle)
            .await
            .ok()
            .flatten();
        if let Some(signup) = signup.map(convert::signup) {
            self.update_cache(app_id, move |c| Ok(c.upsert_signups(&[signup])?))
                .await;
        }
        let Some(meta) = meta_data.filter(|m| !m.is_empty()) else {
            return Ok(user);
        };
        match self
            .send_metadata(client, app_id, &user.handle, meta.clone())
            .await
        {
            Ok(()) => {
                user.meta_data = Value::Object(meta);
                Ok(user)
            }
            Err(e) => Err(Error::AddedWithoutMetadata {
                handle: user.handle,
                reason: e.to_string(),
            }),
        }
    }

    /// Replaces the metadata of the user with this handle.
    pub async fn update_metadata(
        &self,
        app_id: &str,
        handle: &str,
        meta_data: Map<String, Value>,
    ) -> Result<()> {
        let client = self.client()?;
        self.audited(
            Change::new(app_id, AuditAction::EditMetadata, handle),
            self.send_metadata(client, app_id, handle, meta_data),
        )
        .await
    }

    async fn send_metadata(
        &self,
        client: &cosync_client::HostClient,
        app_id: &str,
        handle: &str,
        meta_data: Map<String, Value>,
    ) -> Result<()> {
        let cached = cosync_client::normalize_handle(handle);
        let meta = Value::Object(meta_data.clone());
        self.change_user(
            Change::new(app_id, AuditAction::EditMetadata, handle),
            client.update_user_metadata(app_id, handle, &meta_data, &[]),
            move |()| {
                Some(Box::new(move |c: &Cache| {
                    if let Some(row) = c.user_by_handle(&cached)? {
                        c.set_user_metadata(&row.user.id, &meta)?;
                    }
                    Ok(())
                }))
            },
        )
        .await
    }

    /// Invites handles; those that already had a user or an invitation are skipped.
    pub async fn create_invites(
        &self,
        app_id: &str,
        handles: &[String],
        locale: Option<&str>,
    ) -> Result<InviteReport> {
        let handles: Vec<String> = handles
            .iter()
            .map(|handle| handle.trim().to_owned())
            .filter(|handle| !handle.is_empty())
            .collect();
        if handles.is_empty() {
            return Err(Error::InvalidInput(
                "enter at least one handle to invite".into(),
            ));
        }
        let client = self.client()?;
        let change = Change {
            app_id: app_id.to_owned(),
            action: AuditAction::Invite,
            targets: handles.clone(),
        };
        let what = change.describe();
        let created = self
            .audited(change, async {
                let created = client.create_invites(app_id, &handles, locale).await;
                self.sent(what, created)
            })
            .await?;
        let rows: Vec<_> = created.invites.into_iter().map(convert::invite).collect();
        let report = InviteReport {
            invited: rows.iter().map(|i| i.handle.clone()).collect(),
            skipped: created.exists,
        };
        self.update_cache(app_id, move |c| Ok(c.upsert_invites(&rows)?))
            .await;
        Ok(report)
    }

    /// Sends a pending invitation again.
    pub async fn resend_invite(&self, app_id: &str, handle: &str) -> Result<()> {
        let client = self.client()?;
        let change = Change::new(app_id, AuditAction::ResendInvite, handle);
        let what = change.describe();
        self.audited(change, async {
            let sent = client.resend_invite(app_id, handle).await;
            self.sent(what, sent)
        })
        .await
    }

    /// Revokes the invitation of this handle.
    pub async fn revoke_invite(&self, app_id: &str, handle: &str) -> Result<()> {
        let client = self.client()?;
        let change = Change::new(app_id, AuditAction::RevokeInvite, handle);
        let what = change.describe();
        let invite = self
            .audited(change, async {
                let removed = client.remove_invite(app_id, handle).await;
                self.sent(what, removed)
            })
            .await?;
        self.update_cache(app_id, move |c| Ok(c.remove_invite(&invite.id)?))
            .await;
        Ok(())
    }

    /// Removes the signup of this handle; `signup_id` when known (from the cache row),
    /// else it is looked up on the host.
    pub async fn remove_signup(
        &self,
        app_id: &str,
        handle: &str,
        signup_id: Option<&str>,
    ) -> Result<()> {
        let client = self.client()?;
        let id = match signup_id {
            Some(id) => id.to_owned(),
            None => {
                let found = client.find_signup(app_id, handle).await;
                self.observe(found.map_err(Error::from))?
                    .ok_or_else(|| Error::SignupNotFound(handle.trim().to_owned()))?
                    .id
            }
        };
        let change = Change::new(app_id, AuditAction::RemoveSignup, handle);
        let what = change.describe();
        let signup = self
            .audited(change, async {
                let removed = client.remove_signup(app_id, handle, &id).await;
                self.sent(what, removed)
            })
            .await?;
        self.update_cache(app_id, move |c| Ok(c.remove_signup(&signup.id)?))
            .await;
        Ok(())
    }
}

/// The cached invitations and signups of exactly this handle.
pub(crate) fn records_of(cache: &Cache, handle: &str) -> Result<(Vec<Invite>, Vec<Signup>)> {
    let invites = cache.query_invites(&InviteQuery {
        text: handle.to_owned(),
        limit: usize::MAX,
        ..InviteQuery::default()
    })?;
    let signups = cache.query_signups(&SignupQuery {
        text: handle.to_owned(),
        limit: usize::MAX,
        ..SignupQuery::default()
    })?;
    Ok((
        invites
            .rows
            .into_iter()
            .filter(|i| i.handle == handle)
            .collect(),
        signups
            .rows
            .into_iter()
            .filter(|s| s.handle == handle)
            .collect(),
    ))
}

/// Drops the cached invitation and signup of a deleted user's handle, as the host did.
fn forget_records_of(cache: &Cache, handle: &str) -> Result<()> {
    let (invites, signups) = records_of(cache, handle)?;
    for invite in &invites {
        cache.remove_invite(&invite.id)?;
    }
    for signup in &signups {
        cache.remove_signup(&signup.id)?;
    }
    Ok(())
}
