//! The audit log: one line per change this machine sent to a host, from the desktop app
//! or the CLI, in `audit-log.jsonl` in the data folder (0600). Not in a per-app cache
//! file, which a sync replaces.
//!
//! Append-only and tamper-evident: each line is a JSON object carrying `prev`, the hash
//! of the line before it, and `hash`, a SHA-256 over the line written with an empty
//! `hash`. Changing a byte of a line breaks its own hash (or makes it unreadable);
//! removing or reordering lines breaks the next line's `prev` and the sequence numbers.
//! [`AuditLog::verify`] names the first line that does not hold.
//!
//! The app and the CLI append to one file: an append takes an exclusive lock on it, reads
//! the last line for its hash, and writes the new line in one call. A line never holds a
//! secret or a password: what is recorded is the action, the handles it was about, and
//! the outcome with the host's message.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::data_dir;
use crate::error::{Error, Result};
use crate::export::Line;

/// The file name of the audit log, in the data folder.
pub const AUDIT_FILE: &str = "audit-log.jsonl";

/// The `prev` of the first line.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Which front end sent a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interface {
    /// The desktop app.
    App,
    /// `gatehouse-cli`.
    Cli,
}

impl Interface {
    pub fn as_str(self) -> &'static str {
        match self {
            Interface::App => "app",
            Interface::Cli => "cli",
        }
    }
}

/// What was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    AddUser,
    DeleteUser,
    Suspend,
    Activate,
    ResetPassword,
    EditMetadata,
    Invite,
    ResendInvite,
    RevokeInvite,
    RemoveSignup,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::AddUser,
        AuditAction::DeleteUser,
        AuditAction::Suspend,
        AuditAction::Activate,
        AuditAction::ResetPassword,
        AuditAction::EditMetadata,
        AuditAction::Invite,
        AuditAction::ResendInvite,
        AuditAction::RevokeInvite,
        AuditAction::RemoveSignup,
    ];

    /// The name in the file and on the command line (`suspend`, `add-user`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::AddUser => "add-user",
            AuditAction::DeleteUser => "delete-user",
            AuditAction::Suspend => "suspend",
            AuditAction::Activate => "activate",
            AuditAction::ResetPassword => "reset-password",
            AuditAction::EditMetadata => "edit-metadata",
            AuditAction::Invite => "invite",
            AuditAction::ResendInvite => "resend-invite",
            AuditAction::RevokeInvite => "revoke-invite",
            AuditAction::RemoveSignup => "remove-signup",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// What was being done, in words, for messages: "suspending bob@example.com".
    pub fn describe(self, targets: &[String]) -> String {
        let who = targets.join(", ");
        match self {
            AuditAction::AddUser => format!("adding {who}"),
            AuditAction::DeleteUser => format!("deleting {who}"),
            AuditAction::Suspend => format!("suspending {who}"),
            AuditAction::Activate => format!("activating {who}"),
            AuditAction::ResetPassword => format!("resetting the password of {who}"),
            AuditAction::EditMetadata => format!("saving the metadata of {who}"),
            AuditAction::Invite => format!("inviting {who}"),
            AuditAction::ResendInvite => format!("resending the invitation to {who}"),
            AuditAction::RevokeInvite => format!("revoking the invitation to {who}"),
            AuditAction::RemoveSignup => format!("removing the signup of {who}"),
        }
    }
}

/// How a change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The host said it was done.
    Done,
    /// The host answered and refused it; `message` has its words.
    Refused,
    /// It never reached the host (nothing answered at its address, TLS failed …).
    Failed,
    /// It was sent and no answer came: it may or may not have been applied.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Done,
        Outcome::Refused,
        Outcome::Failed,
        Outcome::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::Unknown => "unknown",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// The outcome of a change that ended with `result`, and the words to keep with it.
    pub(crate) fn of<T>(result: &Result<T>) -> (Outcome, Option<String>) {
        match result {
            Ok(_) => (Outcome::Done, None),
            // The user exists: the add was done, the note says what is missing.
            Err(e @ Error::AddedWithoutMetadata { .. }) => (Outcome::Done, Some(e.to_string())),
            Err(e @ Error::OutcomeUnknown { .. }) => (Outcome::Unknown, Some(e.to_string())),
            Err(Error::Host(e)) if e.outcome_unknown() => (Outcome::Unknown, Some(e.to_string())),
            Err(
                e @ Error::Host(
                    cosync_client::ClientError::Host { .. }
                    | cosync_client::ClientError::Refused { .. }
                    | cosync_client::ClientError::Internal { .. }
                    | cosync_client::ClientError::Unauthorized
                    | cosync_client::ClientError::HttpStatus(_),
                ),
            ) => (Outcome::Refused, Some(e.to_string())),
            Err(e) => (Outcome::Failed, Some(e.to_string())),
        }
    }
}

/// A change to record: everything but where, when and by whom, which the log adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub host_url: String,
    pub host_name: String,
    pub app_id: String,
    pub app_name: String,
    pub action: AuditAction,
    pub targets: Vec<String>,
    pub outcome: Outcome,
    pub message: Option<String>,
    /// When it was sent, unix milliseconds.
    pub at_ms: i64,
    pub duration_ms: u64,
}

/// One line of the log, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditEntry {
    /// 1 for the first line, then one more per line.
    pub seq: u64,
    /// When it was sent, RFC 3339 in UTC with milliseconds.
    pub at: String,
    pub os_user: String,
    pub machine: String,
    pub interface: Interface,
    /// The host's normalised URL.
    pub host: String,
    /// What the user called the host when it was sent.
    pub host_name: String,
    /// The app's id.
    pub app: String,
    /// The app's name when it was sent (empty when it was not known).
    pub app_name: String,
    pub action: AuditAction,
    /// The handles it was about.
    pub targets: Vec<String>,
    pub outcome: Outcome,
    /// The host's refusal, or what went wrong; none when done.
    #[serde(default)]
    pub message: Option<String>,
    pub duration_ms: u64,
    /// The hash of the line before (all zeros for the first).
    pub prev: String,
    /// SHA-256 of this line written with `hash` empty, lower-case hex.
    pub hash: String,
}

impl AuditEntry {
    /// `at` in unix milliseconds (0 when it does not parse, which verify reports).
    pub fn at_ms(&self) -> i64 {
        OffsetDateTime::parse(&self.at, &Rfc3339)
            .map(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0))
            .unwrap_or(0)
    }

    fn line(&self) -> String {
        // Serializing a struct of strings, numbers and enums cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    fn computed_hash(&self) -> String {
        let unsealed = AuditEntry {
            hash: String::new(),
            ..self.clone()
        };
        hex(&Sha256::digest(unsealed.line().as_bytes()))
    }

    fn seal(mut self) -> Self {
        self.hash = self.computed_hash();
        self
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A time given on the command line or in a filter: RFC 3339, or a day `YYYY-MM-DD`
/// (its start, UTC). Unix milliseconds.
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let at = OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let mut parts = text.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(|d| d.midnight().assume_utc())
    })?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

fn iso_ms(ms: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let t = t
        .replace_nanosecond(u32::from(t.millisecond()) * 1_000_000)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// A host's URL (normalised) or name.
    pub host: Option<String>,
    pub app: Option<String>,
    pub action: Option<AuditAction>,
    pub outcome: Option<Outcome>,
    /// Entries at or after this time, unix milliseconds.
    pub since_ms: Option<i64>,
    /// Entries before this time, unix milliseconds.
    pub until_ms: Option<i64>,
    /// Part of a target handle, any case.
    pub handle: Option<String>,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        let same = |want: &Option<String>, have: &[&str]| {
            want.as_deref()
                .is_none_or(|w| have.iter().any(|h| h.eq_ignore_ascii_case(w.trim())))
        };
        let at = e.at_ms();
        let handle = self.handle.as_deref().map(str::trim).map(str::to_lowercase);
        same(&self.host, &[&e.host, &e.host_name])
            && same(&self.app, &[&e.app, &e.app_name])
            && self.action.is_none_or(|a| a == e.action)
            && self.outcome.is_none_or(|o| o == e.outcome)
            && self.since_ms.is_none_or(|s| at >= s)
            && self.until_ms.is_none_or(|u| at < u)
            && handle.is_none_or(|h| e.targets.iter().any(|t| t.to_lowercase().contains(&h)))
    }
}

/// What [`AuditLog::query`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditWindow {
    /// Entries in the log.
    pub total: usize,
    /// Entries the filter keeps.
    pub matching: usize,
    /// The window of those, newest first.
    pub rows: Vec<AuditEntry>,
    /// Every host (URL, name) and app (id, name) the log names.
    pub hosts: Vec<(String, String)>,
    pub apps: Vec<(String, String)>,
}

impl Verification {
    /// The verdict in words.
    pub fn describe(&self) -> String {
        match self {
            Verification::Intact { entries } => format!(
                "The audit log holds: {entries} entries, each matching its hash and the one before it."
            ),
            Verification::Broken { line, seq, reason } => {
                let which = seq.map_or(String::new(), |s| format!(" (entry {s})"));
                format!("The audit log was altered at line {line}{which}: {reason}.")
            }
        }
    }
}

/// What [`AuditLog::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every line holds; `entries` lines were checked.
    Intact { entries: usize },
    /// Line `line` (1-based) is the first that does not hold; the lines before it do.
    Broken {
        line: usize,
        /// Its sequence number, when the line could be read.
        seq: Option<u64>,
        reason: String,
    },
}

/// The audit log of one data folder.
pub struct AuditLog {
    path: PathBuf,
    interface: Interface,
    os_user: String,
    machine: String,
    /// Appends of this process go one at a time (the file lock serialises processes).
    appending: Mutex<()>,
}

impl AuditLog {
    pub fn in_data_dir(data_dir: &Path, interface: Interface) -> Self {
        AuditLog {
            path: data_dir.join(AUDIT_FILE),
            interface,
            os_user: os_user(),
            machine: machine_name(),
            appending: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line for `record`, chained to the last line of the file.
    pub(crate) fn append(&self, record: Record) -> io::Result<AuditEntry> {
        let _held = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = self.path.parent() {
            data_dir::create_private_dir(dir)?;
        }
        data_dir::ensure_private_file(&self.path)?;
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)?;
        file.lock()?;
        let (last, ends_with_newline) = last_line(&mut file)?;
        let (seq, prev) = match last {
            None => (1, GENESIS.to_owned()),
            Some(raw) => match serde_json::from_slice::<AuditEntry>(&raw) {
                Ok(entry) => (entry.seq + 1, entry.hash),
                // A damaged last line (verify reports it) still anchors the chain.
                Err(_) => (0, hex(&Sha256::digest(&raw))),
            },
        };
        let entry = AuditEntry {
            seq,
            at: iso_ms(record.at_ms),
            os_user: self.os_user.clone(),
            machine: self.machine.clone(),
            interface: self.interface,
            host: record.host_url,
            host_name: record.host_name,
            app: record.app_id,
            app_name: record.app_name,
            action: record.action,
            targets: record.targets,
            outcome: record.outcome,
            message: record.message,
            duration_ms: record.duration_ms,
            prev,
            hash: String::new(),
        }
        .seal();
        let mut bytes = Vec::new();
        if !ends_with_newline {
            // A line cut short by a crash stays on its own line, for verify to name.
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(entry.line().as_bytes());
        bytes.push(b'\n');
        file.write_all(&bytes)?;
        Ok(entry)
    }

    /// Every readable entry, oldest first. A missing file is an empty log.
    pub fn entries(&self) -> Result<Vec<AuditEntry>> {
        Ok(self
            .lines()?
            .into_iter()
            .filter_map(|line| serde_json::from_str(&line).ok())
            .collect())
    }

    /// The entries `filter` keeps, newest first.
    pub fn list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut entries: Vec<AuditEntry> = self
            .entries()?
            .into_iter()
            .filter(|e| filter.matches(e))
            .collect();
        entries.reverse();
        Ok(entries)
    }

    /// A window of the entries `filter` keeps, newest first, with what the whole log
    /// names (its hosts and apps), from one read of the file.
    pub fn query(&self, filter: &AuditFilter, offset: usize, limit: usize) -> Result<AuditWindow> {
        let entries = self.entries()?;
        let mut hosts = std::collections::BTreeMap::new();
        let mut apps = std::collections::BTreeMap::new();
        for e in &entries {
            hosts.insert(e.host.clone(), e.host_name.clone());
            apps.insert(e.app.clone(), e.app_name.clone());
        }
        let total = entries.len();
        let matching: Vec<AuditEntry> = entries
            .into_iter()
            .rev()
            .filter(|e| filter.matches(e))
            .collect();
        Ok(AuditWindow {
            total,
            matching: matching.len(),
            rows: matching.into_iter().skip(offset).take(limit).collect(),
            hosts: hosts.into_iter().collect(),
            apps: apps.into_iter().collect(),
        })
    }

    /// Checks every line: it reads, it is written exactly as its content serializes, its
    /// hash is its own, its `prev` is the hash of the line before and its number follows.
    pub fn verify(&self) -> Result<Verification> {
        let lines = self.lines()?;
        let mut prev = GENESIS.to_owned();
        let mut seq = 0;
        for (n, raw) in lines.iter().enumerate() {
            let broken = |seq: Option<u64>, reason: String| {
                Ok(Verification::Broken {
                    line: n + 1,
                    seq,
                    reason,
                })
            };
            let entry: AuditEntry = match serde_json::from_str(raw) {
                Ok(entry) => entry,
                Err(e) => return broken(None, format!("the line cannot be read ({e})")),
            };
            let at = Some(entry.seq);
            if entry.line() != *raw || entry.computed_hash() != entry.hash {
                return broken(at, "its content does not match its hash".into());
            }
            if entry.prev != prev {
                return broken(
                    at,
                    "it does not follow the line before it (a line was removed, added or reordered)"
                        .into(),
                );
            }
            if entry.seq != seq + 1 {
                return broken(at, format!("its number is {}, not {}", entry.seq, seq + 1));
            }
            prev = entry.hash;
            seq = entry.seq;
        }
        Ok(Verification::Intact {
            entries: lines.len(),
        })
    }

    fn lines(&self) -> Result<Vec<String>> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(Error::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut lines = Vec::new();
        for line in BufReader::new(file).split(b'\n') {
            let line = line.map_err(|source| Error::Io {
                path: self.path.clone(),
                source,
            })?;
            if !line.is_empty() {
                lines.push(String::from_utf8_lossy(&line).into_owned());
            }
        }
        Ok(lines)
    }
}

/// The last non-empty line of `file` and whether the file ends with a newline, reading
/// backwards from the end in growing chunks (a bulk invitation's line can be long).
fn last_line(file: &mut File) -> io::Result<(Option<Vec<u8>>, bool)> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok((None, true));
    }
    let mut chunk = 64 * 1024u64;
    loop {
        let start = len.saturating_sub(chunk);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = Vec::new();
        Read::by_ref(file)
            .take(len - start)
            .read_to_end(&mut tail)?;
        let ends_with_newline = tail.last() == Some(&b'\n');
        let body = tail.strip_suffix(b"\n").unwrap_or(&tail);
        if let Some(cut) = body.iter().rposition(|&b| b == b'\n') {
            return Ok((Some(body[cut + 1..].to_vec()), ends_with_newline));
        }
        if start == 0 {
            let last = (!body.is_empty()).then(|| body.to_vec());
            return Ok((last, ends_with_newline));
        }
        chunk *= 4;
    }
}

fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .or_else(|| whoami::fallible::username().ok())
        .unwrap_or_else(|| "unknown".into())
}

fn machine_name() -> String {
    whoami::fallible::hostname().unwrap_or_else(|_| "unknown".into())
}

impl Line for AuditEntry {
    const HEADER: &'static [&'static str] = &[
        "seq",
        "at",
        "osUser",
        "machine",
        "interface",
        "host",
        "hostName",
        "app",
        "appName",
        "action",
        "targets",
        "outcome",
        "message",
        "durationMs",
        "hash",
    ];

    fn fields(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            self.at.clone(),
            self.os_user.clone(),
            self.machine.clone(),
            self.interface.as_str().to_owned(),
            self.host.clone(),
            self.host_name.clone(),
            self.app.clone(),
            self.app_name.clone(),
            self.action.as_str().to_owned(),
            self.targets.join(" "),
            self.outcome.as_str().to_owned(),
            self.message.clone().unwrap_or_default(),
            self.duration_ms.to_string(),
            self.hash.clone(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(action: AuditAction, handle: &str, outcome: Outcome) -> Record {
        Record {
            host_url: "http://127.0.0.1:1/".into(),
            host_name: "Local".into(),
            app_id: "app-1".into(),
            app_name: "Shop".into(),
            action,
            targets: vec![handle.into()],
            outcome,
            message: (outcome != Outcome::Done).then(|| "no".into()),
            at_ms: 1_780_000_000_123,
            duration_ms: 7,
        }
    }

    fn log_with(n: usize) -> (tempfile::TempDir, AuditLog) {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_data_dir(dir.path(), Interface::Cli);
        for i in 0..n {
            log.append(record(
                AuditAction::Suspend,
                &format!("u{i}@x.io"),
                Outcome::Done,
            ))
            .unwrap();
        }
        (dir, log)
    }

    #[test]
    fn appended_lines_chain_and_verify() {
        let (_dir, log) = log_with(3);
        let entries = log.entries().unwrap();
        assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(entries[0].prev, GENESIS);
        assert_eq!(entries[1].prev, entries[0].hash);
        assert_eq!(entries[0].at, "2026-05-28T20:26:40.123Z");
        assert_eq!(entries[0].interface, Interface::Cli);
        assert_eq!(log.verify().unwrap(), Verification::Intact { entries: 3 });
    }

    #[test]
    fn editing_any_byte_of_a_line_is_reported_at_that_line() {
        let (_dir, log) = log_with(3);
        let clean = std::fs::read(log.path()).unwrap();
        let second_line = clean.iter().position(|&b| b == b'\n').unwrap() + 1;
        let third_line = second_line
            + clean[second_line..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap()
            + 1;
        for at in second_line..third_line - 1 {
            let mut bytes = clean.clone();
            bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
            std::fs::write(log.path(), &bytes).unwrap();
            match log.verify().unwrap() {
                Verification::Broken { line, .. } => assert_eq!(line, 2, "byte {at}"),
                other => panic!("byte {at} edited, verify said {other:?}"),
            }
        }
    }

    #[test]
    fn removing_a_line_is_reported_at_the_next() {
        let (_dir, log) = log_with(3);
        let text = std::fs::read_to_string(log.path()).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, l)| l)
            .collect();
        std::fs::write(log.path(), kept.join("\n") + "\n").unwrap();
        assert!(matches!(
            log.verify().unwrap(),
            Verification::Broken {
                line: 2,
                seq: Some(3),
                ..
            }
        ));
    }

    #[test]
    fn a_line_cut_short_stays_apart_from_the_next_append() {
        let (_dir, log) = log_with(2);
        let mut bytes = std::fs::read(log.path()).unwrap();
        bytes.truncate(bytes.len() - 20);
        std::fs::write(log.path(), &bytes).unwrap();
        log.append(record(AuditAction::Activate, "z@x.io", Outcome::Done))
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(log.path()).unwrap().lines().count(),
            3
        );
        assert!(matches!(
            log.verify().unwrap(),
            Verification::Broken {
                line: 2,
                seq: None,
                ..
            }
        ));
    }

    #[test]
    fn a_long_last_line_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_data_dir(dir.path(), Interface::App);
        let mut big = record(AuditAction::Invite, "a@x.io", Outcome::Done);
        big.targets = (0..20_000)
            .map(|i| format!("user{i}@example.com"))
            .collect();
        log.append(big).unwrap();
        log.append(record(AuditAction::Suspend, "b@x.io", Outcome::Done))
            .unwrap();
        log.append(record(AuditAction::Suspend, "c@x.io", Outcome::Done))
            .unwrap();
        assert_eq!(log.verify().unwrap(), Verification::Intact { entries: 3 });
    }

    #[test]
    fn filters_keep_what_they_name_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_data_dir(dir.path(), Interface::App);
        log.append(record(AuditAction::Suspend, "Ann@x.io", Outcome::Done))
            .unwrap();
        log.append(record(
            AuditAction::DeleteUser,
            "bob@x.io",
            Outcome::Refused,
        ))
        .unwrap();
        log.append(record(AuditAction::Suspend, "anna@y.io", Outcome::Unknown))
            .unwrap();
        let handles = |f: AuditFilter| -> Vec<String> {
            log.list(&f)
                .unwrap()
                .into_iter()
                .map(|e| e.targets[0].clone())
                .collect()
        };
        assert_eq!(
            handles(AuditFilter {
                handle: Some("ANN".into()),
                ..Default::default()
            }),
            ["anna@y.io", "Ann@x.io"]
        );
        assert_eq!(
            handles(AuditFilter {
                outcome: Some(Outcome::Refused),
                ..Default::default()
            }),
            ["bob@x.io"]
        );
        assert_eq!(
            handles(AuditFilter {
                action: Some(AuditAction::Suspend),
                host: Some("local".into()),
                ..Default::default()
            })
            .len(),
            2
        );
        assert!(
            handles(AuditFilter {
                since_ms: Some(1_780_000_000_124),
                ..Default::default()
            })
            .is_empty()
        );
        assert!(
            handles(AuditFilter {
                app: Some("other".into()),
                ..Default::default()
            })
            .is_empty()
        );
    }

    #[test]
    fn times_read_as_rfc3339_or_a_day() {
        assert_eq!(parse_time("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_time("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_log_is_for_the_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, log) = log_with(1);
        let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
