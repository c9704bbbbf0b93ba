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
    AddUser, DeleteUser, DeletedUserRow, DeletedUsers, DeletedUsersDto, GeneratePassword,
    MetadataDto, PasswordReset, ResetPassword, RestoreUser, SetUserStatus, UpdateMetadata,
    UserMetadata,
};
pub use activity::{ActivityPage, ActivityRow, ActivityStatus, ActivityType, QueryActivity};
pub use apps::{AppDto, AppsDto, ListApps, MetaField, Offline, PasswordRules, SelectApp};
pub use audit::{
    AuditAction, AuditFilter, AuditOutcome, AuditPage, AuditRow, AuditVerdict, ExportAudit, Named,
    QueryAudit, VerifyAudit,
};
pub use bulk::{
    BulkKind, BulkLine, BulkLineOutcome, BulkProgress, BulkUsers, CancelBulk, Selection,
};
pub use changes::{
    ChangeKind, ChangeRow, ChangesPage, HistoryRow, HistorySource, KindCount, QueryChanges,
    SyncChanges, SyncRunRow, SyncRuns, UserHistory, UserHistoryDto,
};
pub use error::{ApiError, ErrorCode};
pub use hosts::{
    ChooseCaFile, ForgetLocalData, HostDto, RemoveHost, SaveHost, SavedHost, SecretPlace,
    StartDemoHost, Startup, StartupDto, TestHost,
};
pub use info::{
    AppInfo, AppInfoDto, KeyringStatus, LoadSyncPolicy, LoadTheme, LoadThresholds, OpenLogFolder,
    SaveSyncPolicy, SaveTheme, SaveThresholds, SyncPolicy, Theme, Thresholds,
};
pub use lists::{
    CreateInvites, ExportFormat, ExportUsers, Exported, InviteRow, InviteStatus, InvitesCreated,
    InvitesPage, QueryInvites, QuerySignups, RemoveSignup, ResendInvite, RevokeInvite,
    SignupFilter, SignupRow, SignupStatus, SignupsPage,
};
pub use secret::SecretInput;
pub use sync::{
    CacheStatus, CacheStatusDto, CacheWrites, CacheWritesDto, CancelSync, Counted, ProgressDto,
    SyncApp, SyncProgress, SyncedDto,
};
pub use users::{
    AnonymousFilter, LastLoginFilter, LoadLayout, NearDuplicateHandles, NearDuplicatesDto,
    Onboarding, Page, QueryUsers, Range, SaveLayout, TableLayout, UserColumn, UserFilter,
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
    };
}

commands! {
    AppInfo => "load_app_info" -> AppInfoDto;
    Startup => "load_startup" -> StartupDto;
    SaveHost => "save_host" -> SavedHost;
    TestHost => "test_host" -> String;
    RemoveHost => "remove_host" -> ();
    ForgetLocalData => "forget_local_data" -> ();
    StartDemoHost => "start_demo_host" -> HostDto;
    ChooseCaFile => "choose_ca_file" -> Option<String>;
    ListApps => "list_apps" -> AppsDto;
    SelectApp => "select_app" -> ();
    QueryUsers => "query_users" -> Page<UserRow>;
    SyncApp => "sync_app" -> SyncedDto;
    SyncProgress => "query_sync_progress" -> Option<ProgressDto>;
    CancelSync => "cancel_sync" -> ();
    CacheStatus => "query_cache_status" -> CacheStatusDto;
    CacheWrites => "query_cache_writes" -> CacheWritesDto;
    SetUserStatus => "set_user_status" -> ();
    DeleteUser => "delete_user" -> ();
    ResetPassword => "reset_password" -> PasswordReset;
    GeneratePassword => "generate_password" -> PasswordReset;
    AddUser => "add_user" -> ();
    UserMetadata => "query_user_metadata" -> MetadataDto;
    UpdateMetadata => "update_metadata" -> ();
    QueryInvites => "query_invites" -> InvitesPage;
    QuerySignups => "query_signups" -> SignupsPage;
    CreateInvites => "create_invites" -> InvitesCreated;
    ResendInvite => "resend_invite" -> ();
    RevokeInvite => "revoke_invite" -> ();
    RemoveSignup => "remove_signup" -> ();
    ExportUsers => "export_users" -> Option<Exported>;
    BulkUsers => "apply_bulk_action" -> Vec<BulkLine>;
    BulkProgress => "query_bulk_progress" -> Option<ProgressDto>;
    CancelBulk => "cancel_bulk" -> ();
    LoadLayout => "load_layout" -> TableLayout;
    SaveLayout => "save_layout" -> ();
    QueryAudit => "query_audit" -> AuditPage;
    VerifyAudit => "verify_audit" -> AuditVerdict;
    ExportAudit => "export_audit" -> Option<Exported>;
    SyncRuns => "query_sync_runs" -> Vec<SyncRunRow>;
    QueryChanges => "query_changes" -> ChangesPage;
    QueryActivity => "query_activity" -> ActivityPage;
    UserHistory => "query_user_history" -> UserHistoryDto;
    LoadTheme => "load_theme" -> Theme;
    SaveTheme => "save_theme" -> ();
    DeletedUsers => "query_deleted_users" -> DeletedUsersDto;
    RestoreUser => "restore_user" -> ();
    OpenLogFolder => "open_log_folder" -> ();
    LoadThresholds => "load_thresholds" -> Thresholds;
    SaveThresholds => "save_thresholds" -> ();
    NearDuplicateHandles => "query_near_duplicates" -> NearDuplicatesDto;
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

    #[test]
    fn names_list_matches_the_impls() {
        assert!(COMMAND_NAMES.contains(&AppInfo::NAME));
    }
}
