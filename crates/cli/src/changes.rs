//! `changes`: the change feed of the app's offline copy, and how long it is kept.

use gatehouse_core::{ChangeKind, ChangeLine, ChangeQuery, Retention, SyncRun, iso_time};
use serde::Serialize;

use crate::args::Window;
use crate::context::{Context, Outcome, prepare_read};
use crate::output::{Format, print};

/// What `changes` was asked.
pub struct ChangesArgs<'a> {
    pub since: Option<i64>,
    pub run: Option<i64>,
    pub kinds: &'a [ChangeKind],
    pub search: Option<&'a str>,
    pub runs: bool,
    pub keep_days: Option<u32>,
    pub keep_runs: Option<u32>,
    pub window: &'a Window,
}

pub async fn changes(ctx: &Context, args: ChangesArgs<'_>, format: Format) -> Outcome {
    let conn = ctx.connect().await?;
    let app = ctx.app(&conn).await?.app_id;
    if args.keep_days.is_some() || args.keep_runs.is_some() {
        let mut retention = conn.history_retention(&app).await?;
        let limit = |n: u32| (n > 0).then_some(n);
        if let Some(days) = args.keep_days {
            retention.days = limit(days);
        }
        if let Some(runs) = args.keep_runs {
            retention.runs = limit(runs);
        }
        conn.set_history_retention(&app, retention).await?;
        eprintln!("the change feed is kept {}", describe(retention));
        return Ok(());
    }
    prepare_read(&conn, &app).await?;
    let limit = if args.window.limit == 0 {
        usize::MAX
    } else {
        args.window.limit
    };
    if args.runs {
        let runs: Vec<RunLine> = conn
            .sync_runs(&app)
            .await?
            .into_iter()
            .skip(args.window.offset)
            .take(limit)
            .map(RunLine::from)
            .collect();
        return print(&runs, format);
    }
    let query = ChangeQuery {
        run: args.run,
        since: args.since,
        kinds: args.kinds.to_vec(),
        text: args.search.unwrap_or_default().to_owned(),
        offset: args.window.offset,
        limit,
    };
    let found = conn.changes(&app, query).await?;
    if format == Format::Table {
        eprintln!(
            "{} of {} recorded changes match",
            found.matching, found.total
        );
    }
    let lines: Vec<ChangeLine> = found.rows.into_iter().map(ChangeLine::from).collect();
    print(&lines, format)
}

fn describe(retention: Retention) -> String {
    let syncs = |n: u32| {
        if n == 1 {
            "1 sync".to_owned()
        } else {
            format!("{n} syncs")
        }
    };
    let days = |n: u32| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    match (retention.days, retention.runs) {
        (Some(d), Some(r)) => format!("for {}, {} at most", days(d), syncs(r)),
        (Some(d), None) => format!("for {}", days(d)),
        (None, Some(r)) => format!("for the last {}", syncs(r)),
        (None, None) => "for good".to_owned(),
    }
}

/// A sync run as printed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RunLine {
    run: i64,
    synced_at: String,
    duration_ms: i64,
    users: usize,
    invites: usize,
    signups: usize,
    first: bool,
    changes: serde_json::Map<String, serde_json::Value>,
}

impl From<SyncRun> for RunLine {
    fn from(run: SyncRun) -> Self {
        RunLine {
            run: run.id,
            synced_at: iso_time(run.at),
            duration_ms: run.at - run.started_at,
            users: run.users,
            invites: run.invites,
            signups: run.signups,
            first: run.first,
            changes: run
                .counts
                .iter()
                .map(|(kind, n)| (kind.as_str().to_owned(), (*n).into()))
                .collect(),
        }
    }
}

impl gatehouse_core::Line for RunLine {
    const HEADER: &'static [&'static str] = &[
        "run",
        "syncedAt",
        "durationMs",
        "users",
        "invites",
        "signups",
        "changes",
    ];

    fn fields(&self) -> Vec<String> {
        let changes = if self.first {
            "first sync".to_owned()
        } else {
            self.changes
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        vec![
            self.run.to_string(),
            self.synced_at.clone(),
            self.duration_ms.to_string(),
            self.users.to_string(),
            self.invites.to_string(),
            self.signups.to_string(),
            changes,
        ]
    }
}
