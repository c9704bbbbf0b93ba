//! The log file: one line per command the window calls and per core operation under it
//! (a sync, a bulk action, each change sent, an app list) — its name, how long it took
//! and how it ended — plus what the shell reports, at info level, in
//! `gatehouse.log.<day>` files of the log folder, a new file each day and the last 14
//! kept.
//!
//! Handlers are instrumented with a span named `command`, core's operations with one
//! named `operation` (arguments skipped: a request may carry a password or metadata), and
//! `err(Display)`, which records a failure as an event inside the span; [`CommandLines`]
//! turns each closed span into its one line. An error's text is an `ApiError` message or
//! core's error, neither of which ever holds a secret. So a failure the window swallows
//! (a remembered layout that was not saved) still leaves its line.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// Files of this prefix in the log folder are the log.
pub const FILE_PREFIX: &str = "gatehouse.log";
const KEPT_FILES: usize = 14;

/// Starts logging to `dir`; the guard flushes the file when dropped (at exit). `None`
/// when the folder cannot be used: the app runs without a log rather than not at all.
pub fn start(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    gatehouse_core::data_dir::create_private_dir(dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .max_log_files(KEPT_FILES)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let shell = tracing_subscriber::filter::Targets::new()
        .with_target("gatehouse_desktop", tracing::Level::INFO)
        .with_default(tracing::Level::WARN);
    // Failures are recorded by the handlers at debug level: only this layer reads them.
    let commands = tracing_subscriber::filter::Targets::new()
        .with_target("gatehouse_desktop", tracing::Level::DEBUG)
        .with_target("gatehouse_core", tracing::Level::DEBUG);
    tracing_subscriber::registry()
        .with(
            CommandLines {
                out: writer.clone(),
            }
            .with_filter(commands),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false)
                .with_target(false)
                .with_filter(shell),
        )
        .try_init()
        .ok()?;
    Some(guard)
}

/// The names of the spans that get a line, each also the name of the field naming
/// what ran.
const SPANS: [&str; 2] = ["command", "operation"];

/// What a command or operation span collected while it ran.
struct Running {
    /// `command <name>` or `operation <name>`.
    what: String,
    started: Instant,
    error: Option<String>,
}

/// Writes one line per closed `command` or `operation` span:
/// `command sync_app took 1234 ms: ok`, `operation sync took 1230 ms: ok`.
pub struct CommandLines {
    out: tracing_appender::non_blocking::NonBlocking,
}

#[derive(Default)]
struct Fields {
    name: Option<String>,
    error: Option<String>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        match field.name() {
            name if SPANS.contains(&name) => self.name = Some(text.trim_matches('"').to_owned()),
            "error" => self.error = Some(text),
            _ => {}
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            name if SPANS.contains(&name) => self.name = Some(value.to_owned()),
            "error" => self.error = Some(value.to_owned()),
            _ => {}
        }
    }
}

impl<S> Layer<S> for CommandLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let kind = attrs.metadata().name();
        if !SPANS.contains(&kind) {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Running {
                what: format!("{kind} {}", fields.name.as_deref().unwrap_or("?")),
                started: Instant::now(),
                error: None,
            });
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.event_span(event) else {
            return;
        };
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let (Some(error), Some(running)) =
            (fields.error, span.extensions_mut().get_mut::<Running>())
        {
            running.error = Some(error);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(running) = span.extensions_mut().remove::<Running>() else {
            return;
        };
        let took = running.started.elapsed().as_millis();
        let outcome = match running.error {
            None => "ok".to_owned(),
            Some(error) => format!("failed: {error}"),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(0))
            .unwrap_or(0);
        let mut out = self.out.clone();
        let _ = std::io::Write::write_all(
            &mut out,
            format!(
                "{}  INFO {} took {took} ms: {outcome}\n",
                gatehouse_core::iso_time(now),
                running.what
            )
            .as_bytes(),
        );
    }
}
