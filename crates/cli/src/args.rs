//! The command line: global flags and commands, declared with clap's derive.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use gatehouse_core::{AuditAction, ChangeKind, Outcome as AuditOutcome};

#[derive(Debug, Parser)]
#[command(
    name = "gatehouse-cli",
    version,
    about = "Manage the JWT users of apps on a Cosync JWT host.",
    after_help = "Environment: GATEHOUSE_HOST_URL, GATEHOUSE_SERVER_SECRET (never stored), \
                  GATEHOUSE_APP, GATEHOUSE_DATA_DIR, GATEHOUSE_ALLOW_HTTP=1. Flags win over \
                  the environment, which wins over saved settings.\n\
                  Exit codes: 0 ok, 1 the host refused or another error, 2 usage, \
                  3 host unreachable."
)]
pub struct Cli {
    /// The host: a saved host's name, or a URL.
    #[arg(long, global = true, value_name = "NAME|URL")]
    pub host: Option<String>,
    /// The app: its id or name.
    #[arg(long, global = true, value_name = "APP")]
    pub app: Option<String>,
    /// Where the host list and caches live.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV with a header line.
    #[arg(long, global = true)]
    pub csv: bool,
    /// Allow plain http:// to a host that is not on this machine.
    #[arg(long, global = true)]
    pub allow_http: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Saved hosts.
    #[command(subcommand)]
    Host(HostCommand),
    /// The host's apps.
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Fetch the app's users, invitations and signups into the offline cache.
    Sync,
    /// The app's JWT users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// The app's invitations.
    #[command(subcommand)]
    Invites(InvitesCommand),
    /// The app's signups.
    #[command(subcommand)]
    Signups(SignupsCommand),
    /// The audit log: every change sent from this data folder, by the app or the CLI.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// What each sync found changed on the host since the sync before it (from the
    /// offline copy).
    Changes {
        /// Changes found by syncs from this time on: YYYY-MM-DD (UTC) or RFC 3339.
        #[arg(long, value_name = "DATE", value_parser = parse_time, conflicts_with = "run")]
        since: Option<i64>,
        /// Changes found by this sync run (see --runs).
        #[arg(long, value_name = "ID")]
        run: Option<i64>,
        /// Only this kind (repeatable): user-added, user-removed, suspended, activated,
        /// renamed, metadata-changed, first-login, logged-in, invite-created,
        /// invite-accepted, invite-revoked, invite-removed, signup-started,
        /// signup-completed, signup-removed.
        #[arg(long, value_parser = parse_change_kind)]
        kind: Vec<ChangeKind>,
        /// A literal, case-insensitive substring of the handle.
        #[arg(long)]
        search: Option<String>,
        /// List the sync runs (time, sizes, counts of changes) instead.
        #[arg(long)]
        runs: bool,
        /// Keep the feed this many days (0: no limit by age); applies from the next sync.
        #[arg(long, value_name = "DAYS")]
        keep_days: Option<u32>,
        /// Keep this many runs at most (0: no limit by number).
        #[arg(long, value_name = "RUNS")]
        keep_runs: Option<u32>,
        #[command(flatten)]
        window: Window,
    },
}

fn parse_change_kind(text: &str) -> Result<ChangeKind, String> {
    ChangeKind::parse(text).ok_or_else(|| {
        let names: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
        format!("use one of {}", names.join(", "))
    })
}

#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Save a host; its server secret is read from stdin and kept in the OS keyring.
    Add {
        name: String,
        #[arg(long)]
        url: String,
        /// A PEM file of extra CA certificates for this host.
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
    },
    /// List saved hosts.
    List,
    /// Remove a saved host, its keyring entry and its cache. When the keyring entry
    /// cannot be deleted (keyring locked or unavailable) the host is kept.
    Remove {
        name: String,
        /// Remove the host even when its keyring entry cannot be deleted now, leaving
        /// the entry in the keyring.
        #[arg(long)]
        keep_keyring_entry: bool,
    },
    /// Check that the host answers and accepts the secret.
    Test { name: Option<String> },
}

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// List the host's apps.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Active,
    Suspended,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnboardingArg {
    Signup,
    Invite,
    Admin,
    Other,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InviteStatusArg {
    Pending,
    Active,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SignupStatusArg {
    Pending,
    Verified,
    Active,
    /// Completed by the end user (not a user an administrator added).
    Completed,
    /// The records the host writes for users an administrator added (code 0).
    Admin,
}

/// The window of a list.
#[derive(Debug, Args)]
pub struct Window {
    /// Rows to print; 0 prints all.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Matching rows to skip.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users from the offline cache.
    List {
        /// A literal, case-insensitive substring of the handle, user name or metadata.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<StatusArg>,
        #[arg(long)]
        onboarding: Option<OnboardingArg>,
        /// Leave out anonymous (ANON_) users.
        #[arg(long)]
        hide_anonymous: bool,
        /// Only the users the last sync found new or changed.
        #[arg(long)]
        changed: bool,
        /// A column (handle, userName, status, onboarding, createdAt, lastLogin,
        /// loginProvider), `:desc` to reverse.
        #[arg(long, value_name = "FIELD[:desc]")]
        sort: Option<String>,
        #[command(flatten)]
        window: Window,
    },
    /// Add a user; the password is read from stdin.
    Add {
        handle: String,
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Metadata as a JSON object, set in a second call.
        #[arg(long, value_name = "JSON")]
        metadata: Option<String>,
    },
    /// Delete a user.
    Delete {
        handle: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// Suspend a user: they can no longer log in.
    Suspend { handle: String },
    /// Activate a suspended user.
    Activate { handle: String },
    /// Set a new password (read from stdin, or generated and printed once).
    ResetPassword {
        handle: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Users deleted from this data folder in the last 30 days, kept for restoring.
    Deleted,
    /// Add a deleted user again: a new password the host e-mails them, their metadata
    /// and status. The old password, login history and the host's id cannot come back.
    Restore { handle: String },
    /// Print a user's metadata, or replace it with --set.
    Metadata {
        handle: String,
        /// The new metadata, a JSON object.
        #[arg(long, value_name = "JSON")]
        set: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvitesCommand {
    /// List invitations from the offline cache.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<InviteStatusArg>,
        #[command(flatten)]
        window: Window,
    },
    /// Invite one or more handles.
    Create {
        #[arg(required = true)]
        handles: Vec<String>,
    },
    /// Send a pending invitation again.
    Resend { handle: String },
    /// Revoke an invitation.
    Revoke { handle: String },
}

#[derive(Debug, Subcommand)]
pub enum SignupsCommand {
    /// List signups from the offline cache.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<SignupStatusArg>,
        #[command(flatten)]
        window: Window,
    },
    /// Remove a signup.
    Remove { handle: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List entries, newest first. `--host` (name or URL) and `--app` (id or name)
    /// filter them; nothing is asked of a host.
    List {
        /// Part of a handle the change was about, any case.
        #[arg(long)]
        handle: Option<String>,
        /// Entries from this time on: YYYY-MM-DD (UTC) or RFC 3339.
        #[arg(long, value_name = "DATE", value_parser = parse_time)]
        since: Option<i64>,
        /// Entries before this time: YYYY-MM-DD (UTC) or RFC 3339.
        #[arg(long, value_name = "DATE", value_parser = parse_time)]
        until: Option<i64>,
        /// add-user, delete-user, suspend, activate, reset-password, edit-metadata,
        /// invite, resend-invite, revoke-invite or remove-signup.
        #[arg(long, value_parser = parse_action)]
        action: Option<AuditAction>,
        /// done, refused, failed or unknown.
        #[arg(long, value_parser = parse_outcome)]
        outcome: Option<AuditOutcome>,
        #[command(flatten)]
        window: Window,
    },
    /// Check every entry against its hash and the one before it; names the first that
    /// does not hold (exit code 1).
    Verify,
}

fn parse_time(text: &str) -> Result<i64, String> {
    gatehouse_core::audit::parse_time(text)
        .ok_or_else(|| format!("{text} is not a date (YYYY-MM-DD) or an RFC 3339 time"))
}

fn parse_action(text: &str) -> Result<AuditAction, String> {
    AuditAction::parse(text).ok_or_else(|| {
        let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        format!("use one of {}", names.join(", "))
    })
}

fn parse_outcome(text: &str) -> Result<AuditOutcome, String> {
    AuditOutcome::parse(text).ok_or_else(|| "use one of done, refused, failed, unknown".into())
}
