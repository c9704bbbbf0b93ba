//! The contract between Gatehouse's web view and its backend.
//!
//! Every command the UI may call is a request type implementing [`Command`]: the type
//! carries the command's name and its output type, so the UI wrapper and the Tauri
//! handler cannot disagree on either. [`COMMAND_NAMES`] is the one list of names; the
//! desktop crate's build script feeds it to Tauri's permission manifest so each command
//! is ACL-checked.
//!
//! This crate does no I/O and depends on nothing platform-specific: it compiles for the
//! wasm32 web view and for the native backend alike.

mod actions;
mod activity;
mod apps;
mod audit;
mod bulk;
mod changes;
mod error;
mod hosts;
mod info;
mod lists;
mod secret;
mod sync;
mod users;

pub use actions::{
    AddUser, DeleteUser, DeletedUserRow, DeletedUsers, GeneratePassword, Metadata, PasswordReset,
    QueryDeletedUsers, QueryUserMetadata, ResetPassword, RestoreUser, SetUserStatus,
    UpdateMetadata,
};
pub use activity::{ActivityPage, ActivityRow, ActivityStatus, ActivityType, QueryActivity};
pub use apps::{
    Apps, ListApps, ListedApp, MetaField, Offline, PasswordRules, SelectApp, choose_app,
};
pub use audit::{
    AuditAction, AuditFilter, AuditOutcome, AuditPage, AuditRow, AuditVerdict, ExportAudit, Named,
    QueryAudit, VerifyAudit,
};
pub use bulk::{
    ApplyBulkAction, BulkKind, BulkLine, BulkLineOutcome, CancelBulk, QueryBulkProgress, Selection,
};
pub use changes::{
    ChangeKind, ChangeRow, ChangesPage, HistoryRow, HistorySource, KindCount, QueryChanges,
    QuerySyncRuns, QueryUserHistory, SyncChanges, SyncRunRow, UserHistory,
};
pub use error::{ApiError, ErrorCode};
pub use hosts::{
    ChooseCaFile, ForgetLocalData, Host, LoadStartup, RemoveHost, SaveHost, SavedHost, SecretPlace,
    StartDemoHost, Startup, TestHost,
};
pub use info::{
    AppInfo, KeyringStatus, LoadAppInfo, LoadSyncPolicy, LoadTheme, LoadThresholds, OpenLogFolder,
    SaveSyncPolicy, SaveTheme, SaveThresholds, SyncPolicy, Theme, Thresholds,
};
pub use lists::{
    CreateInvites, ExportFormat, ExportUsers, Exported, InviteRow, InviteStatus, InvitesCreated,
    InvitesPage, QueryInvites, QuerySignups, RemoveSignup, ResendInvite, RevokeInvite,
    SignupFilter, SignupRow, SignupStatus, SignupsPage,
};
pub use secret::SecretInput;
pub use sync::{
    CacheStatus, CacheWrites, CancelSync, Counted, Progress, QueryCacheStatus, QueryCacheWrites,
    QuerySyncProgress, SyncApp, Synced,
};
pub use users::{
    AnonymousFilter, LastLoginFilter, LoadLayout, NearDuplicates, Onboarding, Page,
    QueryNearDuplicates, QueryUsers, Range, SaveLayout, TableLayout, UserColumn, UserFilter,
    UserFinding, UserRow, UserStatus,
};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// A command the web view can invoke. Implemented by the command's request struct,
/// which is sent as the command's single argument, `req`.
pub trait Command: Serialize + DeserializeOwned {
    /// The name Tauri registers the handler under (`verb_noun`).
    const NAME: &'static str;
    /// What the command answers on success; failures are always [`ApiError`].
    type Output: Serialize + DeserializeOwned;
}

/// Declares the commands once: their `Command` impls and the list of their names.
macro_rules! commands {
    ($($request:ty => $name:literal -> $output:ty;)*) => {
        $(
            impl Command for $request {
                const NAME: &'static str = $name;
                type Output = $output;
            }
        )*

        /// Every command name, in declaration order. The desktop build script turns this
        /// into Tauri's permission manifest; a handler registered under any other name
        /// would be refused by the ACL.
        pub const COMMAND_NAMES: &[&str] = &[$($name),*];

        /// Each command's request and answer type as written, for the naming rule's test.
        #[cfg(test)]
        const COMMAND_TYPES: &[(&str, &str, &str)] =
            &[$(($name, stringify!($request), stringify!($output))),*];
    };
}

commands! {
    LoadAppInfo => "load_app_info" -> AppInfo;
    LoadStartup => "load_startup" -> Startup;
    SaveHost => "save_host" -> SavedHost;
    TestHost => "test_host" -> String;
    RemoveHost => "remove_host" -> ();
    ForgetLocalData => "forget_local_data" -> ();
    StartDemoHost => "start_demo_host" -> Host;
    ChooseCaFile => "choose_ca_file" -> Option<String>;
    ListApps => "list_apps" -> Apps;
    SelectApp => "select_app" -> ();
    QueryUsers => "query_users" -> Page<UserRow>;
    SyncApp => "sync_app" -> Synced;
    QuerySyncProgress => "query_sync_progress" -> Option<Progress>;
    CancelSync => "cancel_sync" -> ();
    QueryCacheStatus => "query_cache_status" -> CacheStatus;
    QueryCacheWrites => "query_cache_writes" -> CacheWrites;
    SetUserStatus => "set_user_status" -> ();
    DeleteUser => "delete_user" -> ();
    ResetPassword => "reset_password" -> PasswordReset;
    GeneratePassword => "generate_password" -> PasswordReset;
    AddUser => "add_user" -> ();
    QueryUserMetadata => "query_user_metadata" -> Metadata;
    UpdateMetadata => "update_metadata" -> ();
    QueryInvites => "query_invites" -> InvitesPage;
    QuerySignups => "query_signups" -> SignupsPage;
    CreateInvites => "create_invites" -> InvitesCreated;
    ResendInvite => "resend_invite" -> ();
    RevokeInvite => "revoke_invite" -> ();
    RemoveSignup => "remove_signup" -> ();
    ExportUsers => "export_users" -> Option<Exported>;
    ApplyBulkAction => "apply_bulk_action" -> Vec<BulkLine>;
    QueryBulkProgress => "query_bulk_progress" -> Option<Progress>;
    CancelBulk => "cancel_bulk" -> ();
    LoadLayout => "load_layout" -> TableLayout;
    SaveLayout => "save_layout" -> ();
    QueryAudit => "query_audit" -> AuditPage;
    VerifyAudit => "verify_audit" -> AuditVerdict;
    ExportAudit => "export_audit" -> Option<Exported>;
    QuerySyncRuns => "query_sync_runs" -> Vec<SyncRunRow>;
    QueryChanges => "query_changes" -> ChangesPage;
    QueryActivity => "query_activity" -> ActivityPage;
    QueryUserHistory => "query_user_history" -> UserHistory;
    LoadTheme => "load_theme" -> Theme;
    SaveTheme => "save_theme" -> ();
    QueryDeletedUsers => "query_deleted_users" -> DeletedUsers;
    RestoreUser => "restore_user" -> ();
    OpenLogFolder => "open_log_folder" -> ();
    LoadThresholds => "load_thresholds" -> Thresholds;
    SaveThresholds => "save_thresholds" -> ();
    QueryNearDuplicates => "query_near_duplicates" -> NearDuplicates;
    LoadSyncPolicy => "load_sync_policy" -> SyncPolicy;
    SaveSyncPolicy => "save_sync_policy" -> ();
}

/// Which app of which saved host a request is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRef {
    pub host_id: String,
    pub app_id: String,
}

/// The name of the single IPC argument every command takes.
pub const REQUEST_ARG: &str = "req";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for name in COMMAND_NAMES {
            assert!(seen.insert(*name), "{name} is declared twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name} must be snake_case: Tauri's ACL identifiers are"
            );
        }
    }

    /// One naming rule: verb_noun, the verb one of these (ARCHITECTURE.md, "How a command
    /// is added").
    #[test]
    fn every_command_is_named_verb_noun() {
        const VERBS: &[&str] = &[
            "load", "save", "query", "list", "select", "test", "remove", "forget", "start",
            "choose", "sync", "cancel", "set", "delete", "reset", "generate", "add", "update",
            "create", "resend", "revoke", "export", "apply", "verify", "restore", "open",
        ];
        for name in COMMAND_NAMES {
            let (verb, noun) = name.split_once('_').unwrap_or((name, ""));
            assert!(
                VERBS.contains(&verb),
                "{name} does not start with a known verb"
            );
            assert!(!noun.is_empty(), "{name} names no noun");
        }
    }

    /// A request is named after its command (`query_users` → `QueryUsers`); an answer is
    /// named for what it holds, and never by its role in transport (`…Dto`).
    #[test]
    fn requests_are_named_after_their_command_and_answers_for_what_they_hold() {
        for (name, request, answer) in COMMAND_TYPES {
            let camel: String = name
                .split('_')
                .map(|word| word[..1].to_uppercase() + &word[1..])
                .collect();
            assert_eq!(*request, camel, "the request of {name}");
            assert!(
                !answer.contains("Dto") && !answer.contains("Response"),
                "{name} answers {answer}"
            );
        }
    }

    #[test]
    fn names_list_matches_the_impls() {
        assert!(COMMAND_NAMES.contains(&LoadAppInfo::NAME));
    }
}
