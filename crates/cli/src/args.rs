//! The command line: global flags and commands, declared with clap's derive.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
