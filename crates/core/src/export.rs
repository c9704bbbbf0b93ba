//! Export of a query's rows (all that match, in the query's order) as CSV or JSON.
//!
//! The rows are the cache's, which hold no secret field; the columns are named by the
//! host's wire names plus `onboarding`, which the CLI's `--json`/`--csv` share.

use std::io::Write;
use std::path::PathBuf;

use gatehouse_cache::{Invite, Signup, UserQuery, UserRow};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::connection::Connection;
use crate::error::{Error, Result};

/// The two export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A header line, then one line per row; metadata as JSON text.
    Csv,
    /// An array of row objects.
    Json,
}

/// A user as exported: the wire names, status as shown (`active` / `suspended`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserLine {
    pub handle: String,
    pub user_name: String,
    pub status: &'static str,
    pub onboarding: &'static str,
    pub created_at: String,
    /// `None` (JSON `null`, CSV empty) until the first login.
    pub last_login: Option<String>,
    pub login_provider: String,
    pub meta_data: Value,
}

/// An invitation as exported; status `pending` or `active` (accepted), as the portal
/// shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteLine {
    pub handle: String,
    pub sender_handle: String,
    pub status: String,
    pub created_at: String,
    pub meta_data: Value,
}

/// A signup as exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupLine {
    pub handle: String,
    pub status: String,
    pub created_at: String,
    pub meta_data: Value,
}

/// ISO-8601 UTC of unix milliseconds.
pub fn iso_time(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

impl From<&UserRow> for UserLine {
    fn from(row: &UserRow) -> Self {
        let u = &row.user;
        UserLine {
            handle: u.handle.clone(),
            user_name: u.user_name.clone(),
            status: if u.is_active() { "active" } else { "suspended" },
            onboarding: row.onboarding.as_str(),
            created_at: iso_time(u.created_at),
            last_login: u.last_login.map(iso_time),
            login_provider: u.login_provider.clone(),
            meta_data: u.meta_data.clone(),
        }
    }
}

impl From<&Invite> for InviteLine {
    fn from(i: &Invite) -> Self {
        InviteLine {
            handle: i.handle.clone(),
            sender_handle: i.sender_handle.clone(),
            status: match i.status.as_str() {
                "verified" => "active".to_owned(),
                other => other.to_owned(),
            },
            created_at: iso_time(i.created_at),
            meta_data: i.meta_data.clone(),
        }
    }
}

impl From<&Signup> for SignupLine {
    fn from(s: &Signup) -> Self {
        SignupLine {
            handle: s.handle.clone(),
            status: s.status.clone(),
            created_at: iso_time(s.created_at),
            meta_data: s.meta_data.clone(),
        }
    }
}

/// A row type that can be exported: its CSV header and fields.
pub trait Line: Serialize {
    const HEADER: &'static [&'static str];
    fn fields(&self) -> Vec<String>;
}

fn json_text(v: &Value) -> String {
    v.to_string()
}

impl Line for UserLine {
    const HEADER: &'static [&'static str] = &[
        "handle",
        "userName",
        "status",
        "onboarding",
        "createdAt",
        "lastLogin",
        "loginProvider",
        "metaData",
    ];
    fn fields(&self) -> Vec<String> {
        vec![
            self.handle.clone(),
            self.user_name.clone(),
            self.status.to_owned(),
            self.onboarding.to_owned(),
            self.created_at.clone(),
            self.last_login.clone().unwrap_or_default(),
            self.login_provider.clone(),
            json_text(&self.meta_data),
        ]
    }
}

impl Line for InviteLine {
    const HEADER: &'static [&'static str] =
        &["handle", "senderHandle", "status", "createdAt", "metaData"];
    fn fields(&self) -> Vec<String> {
        vec![
            self.handle.clone(),
            self.sender_handle.clone(),
            self.status.clone(),
            self.created_at.clone(),
            json_text(&self.meta_data),
        ]
    }
}

impl Line for SignupLine {
    const HEADER: &'static [&'static str] = &["handle", "status", "createdAt", "metaData"];
    fn fields(&self) -> Vec<String> {
        vec![
            self.handle.clone(),
            self.status.clone(),
            self.created_at.clone(),
            json_text(&self.meta_data),
        ]
    }
}

/// Writes `lines` to `out` in `format`.
pub fn write_lines<L: Line>(lines: &[L], format: ExportFormat, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Export(e.to_string());
    match format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, lines)
                .map_err(|e| Error::Export(e.to_string()))?;
            out.write_all(b"\n").map_err(io)?;
        }
        ExportFormat::Csv => {
            let header = L::HEADER.iter().map(|h| (*h).to_owned());
            write_csv(
                out,
                std::iter::once(header.collect()).chain(lines.iter().map(Line::fields)),
            )?;
        }
    }
    out.flush().map_err(io)
}

/// RFC 4180 records (CRLF, quotes where needed). A field that a spreadsheet would run
/// as a formula is prefixed with `'`: handles and metadata come from end users.
fn write_csv(out: &mut dyn Write, records: impl Iterator<Item = Vec<String>>) -> Result<()> {
    let failed = |e: csv::Error| Error::Export(e.to_string());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    for record in records {
        for field in &record {
            writer
                .write_field(defused(field).as_bytes())
                .map_err(failed)?;
        }
        // No more fields: ends the record.
        writer
            .write_record(std::iter::empty::<&[u8]>())
            .map_err(failed)?;
    }
    writer.flush().map_err(|e| Error::Export(e.to_string()))
}

fn defused(field: &str) -> std::borrow::Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

/// Writes `lines` to a new file at `path` (replacing one there), on a blocking thread: an
/// export of a million rows is seconds of disk writes the async threads must not wait on.
/// The rows go to a file beside it that is renamed over `path` once whole, so whoever
/// opens `path` finds the whole export or what was there before, never part of one, and
/// a failed export leaves the old file as it was.
pub(crate) async fn write_file<L: Line + Send + 'static>(
    lines: Vec<L>,
    format: ExportFormat,
    path: PathBuf,
) -> Result<usize> {
    crate::error::blocking(move || {
        let failed = |error: std::io::Error| Error::Export(format!("{}: {error}", path.display()));
        let part = part_path(&path);
        let written = (|| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&part).map_err(failed)?);
            write_lines(&lines, format, &mut out)?;
            let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
            file.sync_all().map_err(failed)?;
            std::fs::rename(&part, &path).map_err(failed)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&part);
        }
        written.map(|()| lines.len())
    })
    .await
}

/// `dir/.name.part-<pid>` for `dir/name`: hidden, in the same folder (a rename within a
/// file system is atomic), and not taken by another process writing the same export.
fn part_path(path: &std::path::Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.part-{}", std::process::id()))
}

impl Connection {
    /// Writes every cached user matching `query` (its text, filters and sort; its
    /// window is ignored) to a new file at `path`. Answers how many rows were written.
    pub async fn export_users(
        &self,
        app_id: &str,
        query: UserQuery,
        format: ExportFormat,
        path: PathBuf,
    ) -> Result<usize> {
        let all = UserQuery {
            offset: 0,
            limit: usize::MAX,
            ..query
        };
        let rows = self.query_users(app_id, all).await?.rows;
        let lines: Vec<UserLine> = rows.iter().map(UserLine::from).collect();
        write_file(lines, format, path).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut out = Vec::new();
        let fields = vec![
            "a,b".to_owned(),
            "say \"hi\"".to_owned(),
            "=1+1".to_owned(),
            "-2".to_owned(),
            "line\nbreak".to_owned(),
        ];
        write_csv(&mut out, std::iter::once(fields)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",'=1+1,'-2,\"line\nbreak\"\r\n"
        );
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
    }

    fn signups(n: usize) -> Vec<SignupLine> {
        (0..n)
            .map(|i| SignupLine {
                handle: format!("u{i}@x.io"),
                status: "pending".into(),
                created_at: iso_time(0),
                meta_data: Value::Null,
            })
            .collect()
    }

    #[tokio::test]
    async fn an_export_replaces_the_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signups.csv");
        std::fs::write(&path, "an older export").unwrap();
        let written = write_file(signups(3), ExportFormat::Csv, path.clone()).await;
        assert_eq!(written.unwrap(), 3);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 4, "a header and every row: {text}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["signups.csv"]);
    }

    #[tokio::test]
    async fn a_failed_export_says_where_and_leaves_no_part_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no such folder").join("signups.csv");
        let error = write_file(signups(1), ExportFormat::Csv, path)
            .await
            .unwrap_err();
        assert!(error.to_string().contains("no such folder"), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
