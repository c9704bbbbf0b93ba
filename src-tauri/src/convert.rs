//! Core's types into the answers of the IPC contract, and core's errors into `ApiError`.

use gatehouse_core as core;
use gatehouse_types::{
    AnonymousFilter, ApiError, AuditPage, BulkKind, BulkLine, BulkLineOutcome, ErrorCode, Host,
    KeyringStatus, LastLoginFilter, ListedApp, MetaField, Named, Onboarding, Page, PasswordRules,
    Progress, Range, SecretPlace, Synced, UserColumn, UserFilter, UserFinding, UserRow, UserStatus,
};

/// What every command answers when it fails: an [`ApiError`], serialized exactly as
/// one, so that handlers turn core's errors and the settings' into it with `?`.
#[derive(Debug)]
pub struct Failure(pub ApiError);

impl serde::Serialize for Failure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// For the log: what the window is told.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure(error)
    }
}

impl From<core::Error> for Failure {
    fn from(error: core::Error) -> Self {
        Failure(self::error(error))
    }
}

/// A task of the shell's own that failed to run (a blocking dialog's thread): no fault of
/// the user's input or of the host.
impl From<tauri::Error> for Failure {
    fn from(error: tauri::Error) -> Self {
        Failure(ApiError::new(ErrorCode::Internal, error.to_string()))
    }
}

impl From<crate::settings::SettingsError> for Failure {
    fn from(error: crate::settings::SettingsError) -> Self {
        Failure(crate::settings::api_error(error))
    }
}

pub fn error(error: core::Error) -> ApiError {
    let code = if error.is_unreachable() {
        ErrorCode::HostUnreachable
    } else {
        match &error {
            core::Error::Cancelled => ErrorCode::Cancelled,
            core::Error::OutcomeUnknown { .. } => ErrorCode::OutcomeUnknown,
            core::Error::Host(core::ClientError::Unauthorized) => ErrorCode::Unauthorized,
            core::Error::Host(core::ClientError::Cancelled) => ErrorCode::Cancelled,
            core::Error::Host(_) => ErrorCode::HostRefused,
            core::Error::NoSecret { .. } => ErrorCode::Unauthorized,
            core::Error::Keyring(_) | core::Error::SecretNotRemoved { .. } => {
                ErrorCode::KeyringUnavailable
            }
            core::Error::UnknownHost(_)
            | core::Error::UnknownApp(_)
            | core::Error::UserNotFound(_)
            | core::Error::InviteNotFound(_)
            | core::Error::SignupNotFound(_) => ErrorCode::NotFound,
            core::Error::InvalidInput(_)
            | core::Error::DuplicateHost { .. }
            | core::Error::SecretNeeded { .. } => ErrorCode::InvalidInput,
            _ => ErrorCode::Internal,
        }
    };
    ApiError::new(code, capitalize(&error.to_string())).with_detail(error.detail())
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether secrets can be kept, as the About panel says it.
pub fn keyring_status(probe: Result<(), core::Error>) -> KeyringStatus {
    match probe {
        Ok(()) => KeyringStatus::Available,
        Err(error) => KeyringStatus::Unavailable {
            reason: error.to_string(),
        },
    }
}

pub fn host(entry: &core::HostEntry, secret: SecretPlace) -> Host {
    Host {
        id: entry.id.clone(),
        name: entry.name.clone(),
        url: entry.url.clone(),
        ca_file: entry
            .ca_file
            .as_ref()
            .map(|path| path.display().to_string()),
        allow_http: entry.allow_http,
        secret,
        demo: entry.is_demo(),
    }
}

pub fn app(app: core::AppSummary) -> ListedApp {
    let rule = |value: Option<i64>| {
        value
            .and_then(|value| u32::try_from(value).ok())
            .unwrap_or(0)
    };
    ListedApp {
        password_rules: PasswordRules {
            filter: app.password_filter,
            min_length: rule(app.password_min_length),
            min_upper: rule(app.password_min_upper),
            min_lower: rule(app.password_min_lower),
            min_digit: rule(app.password_min_digit),
            min_special: rule(app.password_min_special),
        },
        meta_data: app
            .meta_data
            .iter()
            .map(|field| MetaField {
                path: field.path.clone(),
                field_name: field.field_name.clone(),
                required: field.required,
            })
            .collect(),
        app_id: app.app_id,
        name: app.name,
        status: app.status,
        jwt_enabled: app.jwt_enabled,
        invitation_enabled: app.invitation_enabled,
        signup_enabled: app.signup_enabled,
        user_names_enabled: app.user_names_enabled,
        anonymous_login_enabled: app.anonymous_login_enabled,
    }
}

pub fn user_query(filter: UserFilter, offset: u32, limit: u32) -> core::UserQuery {
    let range = |range: Range| core::TimeRange {
        from: range.from,
        to: range.to,
    };
    core::UserQuery {
        text: filter.text,
        status: filter.status.map(|status| match status {
            UserStatus::Active => core::StatusFilter::Active,
            UserStatus::Suspended => core::StatusFilter::Suspended,
        }),
        onboarding: filter.onboarding.map(|onboarding| match onboarding {
            Onboarding::Invite => core::Onboarding::Invite,
            Onboarding::Signup => core::Onboarding::Signup,
            Onboarding::Admin => core::Onboarding::Admin,
            Onboarding::Other => core::Onboarding::Other,
        }),
        anonymous: match filter.anonymous {
            AnonymousFilter::Include => core::Anonymous::Include,
            AnonymousFilter::Exclude => core::Anonymous::Exclude,
            AnonymousFilter::Only => core::Anonymous::Only,
        },
        created: (filter.created != Range::default()).then(|| range(filter.created)),
        last_login: match filter.last_login {
            LastLoginFilter::Any => core::LastLogin::Any,
            LastLoginFilter::Never => core::LastLogin::Never,
            LastLoginFilter::Within(within) => core::LastLogin::Within(range(within)),
        },
        sort: match filter.sort {
            UserColumn::Handle => core::UserColumn::Handle,
            UserColumn::UserName => core::UserColumn::UserName,
            UserColumn::Status => core::UserColumn::Status,
            UserColumn::Onboarding => core::UserColumn::Onboarding,
            UserColumn::CreatedAt => core::UserColumn::CreatedAt,
            UserColumn::LastLogin => core::UserColumn::LastLogin,
            UserColumn::LoginProvider => core::UserColumn::LoginProvider,
        },
        changed_since_last_sync: filter.changed_since_last_sync,
        set: filter.finding.map(|finding| match finding {
            UserFinding::NearDuplicateHandles => core::UserSet::NearDuplicateHandles,
            UserFinding::MissingMetadata { paths } => core::UserSet::MissingMetadata(paths),
        }),
        descending: filter.descending,
        offset: offset as usize,
        limit: limit as usize,
    }
}

pub fn user_row(row: core::UserRow) -> UserRow {
    let status = if row.user.is_active() {
        UserStatus::Active
    } else {
        UserStatus::Suspended
    };
    UserRow {
        onboarding: match row.onboarding {
            core::Onboarding::Invite => Onboarding::Invite,
            core::Onboarding::Signup => Onboarding::Signup,
            core::Onboarding::Admin => Onboarding::Admin,
            core::Onboarding::Other => Onboarding::Other,
        },
        id: row.user.id,
        handle: row.user.handle,
        user_name: row.user.user_name,
        status,
        created_at: row.user.created_at,
        last_login: row.user.last_login,
        login_provider: row.user.login_provider,
    }
}

/// The near-duplicate groups the window lists; the rest are counted.
pub const NEAR_DUPLICATE_GROUPS: usize = 20;

pub fn near_duplicates(found: core::NearDuplicates) -> gatehouse_types::NearDuplicates {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    gatehouse_types::NearDuplicates {
        groups: found
            .groups
            .into_iter()
            .map(|group| group.into_iter().map(|(_, handle)| handle).collect())
            .collect(),
        total_groups: count(found.total_groups),
        users: count(found.users),
    }
}

/// At most this many rows cross the IPC boundary per call: a screenful and its margins.
pub const MAX_WINDOW: u32 = 500;

/// A window of the cache as the page the UI asked for, its rows converted by `row`.
pub fn page<T, U>(window: core::Window<T>, offset: u32, row: impl Fn(T) -> U) -> Page<U> {
    Page {
        total: count(window.total),
        matching: count(window.matching),
        rows: window.rows.into_iter().map(row).collect(),
        offset,
    }
}

/// Counts cross the boundary as `u32`; a cache past four billion rows saturates.
pub fn count(value: impl TryInto<u32>) -> u32 {
    value.try_into().unwrap_or(u32::MAX)
}

pub fn invite_row(invite: core::Invite) -> gatehouse_types::InviteRow {
    // The host writes `pending` until the invitation is accepted (`verified`), which the
    // portal shows as active; anything but pending is past that point.
    let status = match invite.status.as_str() {
        "pending" => gatehouse_types::InviteStatus::Pending,
        _ => gatehouse_types::InviteStatus::Active,
    };
    gatehouse_types::InviteRow {
        id: invite.id,
        handle: invite.handle,
        sender: invite.sender_handle,
        status,
        created_at: invite.created_at,
    }
}

pub fn signup_row(signup: core::Signup) -> gatehouse_types::SignupRow {
    use gatehouse_types::SignupStatus;
    // Pending until used; `verified` when the end user completed it; the host's third
    // value, `active`, is for a user created without verification.
    let status = match signup.status.as_str() {
        "pending" => SignupStatus::Pending,
        "verified" => SignupStatus::Verified,
        _ => SignupStatus::Active,
    };
    gatehouse_types::SignupRow {
        id: signup.id,
        handle: signup.handle,
        status,
        created_at: signup.created_at,
    }
}

/// A list tab's window: the Invitations and Signups queries take the same fields.
macro_rules! list_query {
    ($req:expr, $query:ident, $status:path) => {{
        let req = $req;
        core::$query {
            text: req.text,
            status: req.status.map($status),
            created_before: req.created_before,
            offset: req.offset as usize,
            limit: req.limit.min(MAX_WINDOW) as usize,
            ..Default::default()
        }
    }};
}

/// The window of invitations the Invitations tab asks for.
pub fn invite_query(req: gatehouse_types::QueryInvites) -> core::InviteQuery {
    list_query!(req, InviteQuery, invite_status)
}

/// The window of signups the Signups tab asks for.
pub fn signup_query(req: gatehouse_types::QuerySignups) -> core::SignupQuery {
    list_query!(req, SignupQuery, signup_filter)
}

pub fn invite_status(status: gatehouse_types::InviteStatus) -> core::InviteStatus {
    match status {
        gatehouse_types::InviteStatus::Pending => core::InviteStatus::Pending,
        gatehouse_types::InviteStatus::Active => core::InviteStatus::Verified,
    }
}

pub fn signup_filter(filter: gatehouse_types::SignupFilter) -> core::SignupStatus {
    match filter {
        gatehouse_types::SignupFilter::Pending => core::SignupStatus::Pending,
        gatehouse_types::SignupFilter::Completed => core::SignupStatus::Completed,
        gatehouse_types::SignupFilter::AddedByAdmin => core::SignupStatus::AddedByAdmin,
    }
}

pub fn audit_filter(filter: gatehouse_types::AuditFilter) -> core::AuditFilter {
    let text = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    core::AuditFilter {
        host: text(filter.host),
        app: text(filter.app),
        action: filter.action.map(audit_action),
        outcome: filter.outcome.map(|o| match o {
            gatehouse_types::AuditOutcome::Done => core::Outcome::Done,
            gatehouse_types::AuditOutcome::Refused => core::Outcome::Refused,
            gatehouse_types::AuditOutcome::Failed => core::Outcome::Failed,
            gatehouse_types::AuditOutcome::Unknown => core::Outcome::Unknown,
        }),
        since_ms: filter.since,
        until_ms: filter.until,
        handle: text(Some(filter.handle)),
    }
}

fn audit_action(action: gatehouse_types::AuditAction) -> core::AuditAction {
    use core::AuditAction as C;
    use gatehouse_types::AuditAction as T;
    match action {
        T::AddUser => C::AddUser,
        T::DeleteUser => C::DeleteUser,
        T::Suspend => C::Suspend,
        T::Activate => C::Activate,
        T::ResetPassword => C::ResetPassword,
        T::EditMetadata => C::EditMetadata,
        T::Invite => C::Invite,
        T::ResendInvite => C::ResendInvite,
        T::RevokeInvite => C::RevokeInvite,
        T::RemoveSignup => C::RemoveSignup,
    }
}

pub fn audit_row(entry: core::AuditEntry) -> gatehouse_types::AuditRow {
    use core::AuditAction as C;
    use gatehouse_types::AuditAction as T;
    gatehouse_types::AuditRow {
        seq: entry.seq,
        at: entry.at_ms(),
        os_user: entry.os_user,
        machine: entry.machine,
        interface: entry.interface.as_str().to_owned(),
        host: entry.host,
        host_name: entry.host_name,
        app: entry.app,
        app_name: entry.app_name,
        action: match entry.action {
            C::AddUser => T::AddUser,
            C::DeleteUser => T::DeleteUser,
            C::Suspend => T::Suspend,
            C::Activate => T::Activate,
            C::ResetPassword => T::ResetPassword,
            C::EditMetadata => T::EditMetadata,
            C::Invite => T::Invite,
            C::ResendInvite => T::ResendInvite,
            C::RevokeInvite => T::RevokeInvite,
            C::RemoveSignup => T::RemoveSignup,
        },
        targets: entry.targets,
        outcome: match entry.outcome {
            core::Outcome::Done => gatehouse_types::AuditOutcome::Done,
            core::Outcome::Refused => gatehouse_types::AuditOutcome::Refused,
            core::Outcome::Failed => gatehouse_types::AuditOutcome::Failed,
            core::Outcome::Unknown => gatehouse_types::AuditOutcome::Unknown,
        },
        message: entry.message,
        duration_ms: entry.duration_ms,
    }
}

pub fn change_kind(kind: core::ChangeKind) -> gatehouse_types::ChangeKind {
    use core::ChangeKind as C;
    use gatehouse_types::ChangeKind as T;
    match kind {
        C::UserAdded => T::UserAdded,
        C::UserRemoved => T::UserRemoved,
        C::Suspended => T::Suspended,
        C::Activated => T::Activated,
        C::Renamed => T::Renamed,
        C::MetadataChanged => T::MetadataChanged,
        C::FirstLogin => T::FirstLogin,
        C::LoggedIn => T::LoggedIn,
        C::InviteCreated => T::InviteCreated,
        C::InviteAccepted => T::InviteAccepted,
        C::InviteRevoked => T::InviteRevoked,
        C::InviteRemoved => T::InviteRemoved,
        C::SignupStarted => T::SignupStarted,
        C::SignupCompleted => T::SignupCompleted,
        C::SignupRemoved => T::SignupRemoved,
    }
}

/// The feed's kind of a contract kind: the two lists are the same, by name.
pub fn core_change_kind(kind: gatehouse_types::ChangeKind) -> Option<core::ChangeKind> {
    core::ChangeKind::ALL
        .into_iter()
        .find(|k| change_kind(*k) == kind)
}

pub fn kind_counts(counts: &[(core::ChangeKind, usize)]) -> Vec<gatehouse_types::KindCount> {
    counts
        .iter()
        .map(|(kind, n)| gatehouse_types::KindCount {
            kind: change_kind(*kind),
            count: count(*n),
        })
        .collect()
}

pub fn change_row(change: core::Change) -> gatehouse_types::ChangeRow {
    gatehouse_types::ChangeRow {
        detail: core::change_detail(&change),
        run: change.run,
        at: change.at,
        kind: change_kind(change.kind),
        record_id: change.record_id,
        handle: change.handle,
    }
}

pub fn sync_run(run: core::SyncRun) -> gatehouse_types::SyncRunRow {
    gatehouse_types::SyncRunRow {
        id: run.id,
        at: run.at,
        duration_ms: run.at - run.started_at,
        users: count(run.users),
        invites: count(run.invites),
        signups: count(run.signups),
        first: run.first,
        counts: kind_counts(&run.counts),
    }
}

pub fn sync_changes(history: &Result<core::SyncHistory, String>) -> gatehouse_types::SyncChanges {
    match history {
        Ok(h) if h.first => gatehouse_types::SyncChanges::First,
        Ok(h) => gatehouse_types::SyncChanges::Found {
            run: h.run,
            counts: kind_counts(&h.counts),
        },
        Err(reason) => gatehouse_types::SyncChanges::NotRecorded {
            reason: reason.clone(),
        },
    }
}

pub fn activity_row(entry: core::ActivityEntry) -> gatehouse_types::ActivityRow {
    gatehouse_types::ActivityRow {
        at: entry.at_ms,
        handle: entry.handle,
        action: entry.action,
        status: entry.status,
        log_type: entry.log_type,
        value: entry.value,
    }
}

pub fn deleted_user(d: core::DeletedUser) -> gatehouse_types::DeletedUserRow {
    gatehouse_types::DeletedUserRow {
        status: if d.status == "active" {
            "active"
        } else {
            "suspended"
        }
        .to_owned(),
        handle: d.handle,
        user_name: d.user_name,
        onboarding: d.onboarding,
        deleted_at: d.deleted_at,
        created_at: d.created_at,
        meta_data: d.meta_data.to_string(),
    }
}

/// A sync's progress as the UI shows it: records of the three lists together.
pub fn sync_progress(update: core::SyncProgress) -> Progress {
    let lists = [update.users, update.invites, update.signups];
    let fetched: u64 = lists.iter().map(|list| list.fetched).sum();
    let total: u64 = lists.iter().map(|list| list.total).sum();
    Progress {
        counts: gatehouse_types::Counted::Records,
        fetched: count(fetched),
        total: (total > 0).then(|| count(total)),
    }
}

/// What a finished sync answers the window.
pub fn synced(report: &core::SyncReport) -> Synced {
    Synced {
        users: count(report.users),
        invites: count(report.invites),
        signups: count(report.signups),
        synced_at: report.synced_at,
        unreadable: report
            .unreadable
            .iter()
            .map(|record| format!("{} {}: {}", record.list, record.id, record.detail))
            .collect(),
        changes: sync_changes(&report.history),
    }
}

/// A bulk action's progress: users processed of the selected.
pub fn bulk_progress(update: core::BulkProgress) -> Progress {
    Progress {
        counts: gatehouse_types::Counted::Users,
        fetched: count(update.processed),
        total: Some(count(update.total)),
    }
}

pub fn bulk_action(kind: BulkKind) -> core::BulkAction {
    match kind {
        BulkKind::Suspend => core::BulkAction::Suspend,
        BulkKind::Activate => core::BulkAction::Activate,
        BulkKind::Delete => core::BulkAction::Delete,
    }
}

/// One line of a bulk action's report.
pub fn bulk_line(item: core::BulkItem) -> BulkLine {
    let (outcome, reason) = match item.outcome {
        core::BulkOutcome::Done => (BulkLineOutcome::Done, None),
        core::BulkOutcome::Skipped { reason } => (BulkLineOutcome::Skipped, Some(reason)),
        core::BulkOutcome::Failed { reason, .. } => (BulkLineOutcome::Failed, Some(reason)),
    };
    BulkLine {
        user_id: item.user_id,
        handle: item.handle,
        outcome,
        reason,
    }
}

/// The host-log query the Activity tab asks for.
pub fn activity_query(req: &gatehouse_types::QueryActivity) -> core::ActivityQuery {
    use gatehouse_types::{ActivityStatus, ActivityType};
    core::ActivityQuery {
        page: req.page,
        limit: req.limit.clamp(25, MAX_WINDOW),
        log_type: match req.log_type {
            ActivityType::All => core::LogType::All,
            ActivityType::App => core::LogType::App,
            ActivityType::User => core::LogType::User,
        },
        status: match req.status {
            ActivityStatus::All => core::LogStatus::All,
            ActivityStatus::Success => core::LogStatus::Success,
            ActivityStatus::Error => core::LogStatus::Error,
        },
        from_ms: req.from,
        to_ms: req.to,
        action: Some(req.action.trim().to_owned()).filter(|action| !action.is_empty()),
    }
}

/// One line of a user's history.
pub fn history_row(line: core::HistoryLine) -> gatehouse_types::HistoryRow {
    use gatehouse_types::HistorySource;
    gatehouse_types::HistoryRow {
        at: line.at,
        source: match line.source {
            core::HistorySource::Sync => HistorySource::Sync,
            core::HistorySource::Sent => HistorySource::Sent,
            core::HistorySource::Host => HistorySource::Host,
        },
        text: line.text,
    }
}

/// A window of the audit log, with the hosts and apps its filter can pick and the file.
pub fn audit_page(window: core::AuditWindow, offset: u32, path: String) -> AuditPage {
    let named = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .map(|(id, name)| Named { id, name })
            .collect()
    };
    AuditPage {
        page: Page {
            rows: window.rows.into_iter().map(audit_row).collect(),
            offset,
            total: count(window.total),
            matching: count(window.matching),
        },
        hosts: named(window.hosts),
        apps: named(window.apps),
        path,
    }
}

/// A failed save of a host, said as such in the form.
pub fn not_saved(error: core::Error) -> ApiError {
    let failure = self::error(error);
    ApiError {
        message: format!("Not saved: {}", failure.message),
        ..failure
    }
}

/// Where the app list came from: `None` from the host, else the saved list and why.
pub fn offline(source: core::Source) -> Option<gatehouse_types::Offline> {
    match source {
        core::Source::Host => None,
        core::Source::Saved { saved_at, reason } => Some(gatehouse_types::Offline {
            reason,
            synced_at: saved_at,
        }),
    }
}

/// A cached user's metadata, pretty-printed for the dialog.
pub fn metadata(row: core::UserRow) -> gatehouse_types::Metadata {
    let json =
        serde_json::to_string_pretty(&row.user.meta_data).unwrap_or_else(|_| "{}".to_owned());
    gatehouse_types::Metadata {
        handle: row.user.handle,
        json,
    }
}

/// The window of changes the Changes tab asks for.
pub fn change_query(req: gatehouse_types::QueryChanges) -> core::ChangeQuery {
    core::ChangeQuery {
        run: req.run,
        since: None,
        kinds: req.kinds.into_iter().filter_map(core_change_kind).collect(),
        text: req.text,
        offset: req.offset as usize,
        limit: req.limit.min(MAX_WINDOW) as usize,
    }
}
