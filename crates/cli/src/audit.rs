//! `audit list` and `audit verify`: the data folder's audit log, read without a host.

use gatehouse_core::{AuditFilter, Verification};

use crate::args::{AuditCommand, Cli};
use crate::context::{Context, Failure, Outcome};
use crate::output::{Format, print, print_json, print_line};

pub fn audit(cli: &Cli, ctx: &Context, command: &AuditCommand, format: Format) -> Outcome {
    let log = ctx.core.audit_log();
    match command {
        AuditCommand::List {
            handle,
            since,
            until,
            action,
            outcome,
            window,
        } => {
            let filter = AuditFilter {
                host: cli.host.clone(),
                app: cli.app.clone(),
                action: *action,
                outcome: *outcome,
                since_ms: *since,
                until_ms: *until,
                handle: handle.clone(),
            };
            let limit = if window.limit == 0 {
                usize::MAX
            } else {
                window.limit
            };
            let entries: Vec<_> = log
                .list(&filter)?
                .into_iter()
                .skip(window.offset)
                .take(limit)
                .collect();
            if entries.is_empty() && format == Format::Table {
                eprintln!("no audit entries match");
                return Ok(());
            }
            print(&entries, format)
        }
        AuditCommand::Verify => {
            let verdict = log.verify()?;
            let text = verdict.describe();
            if format == Format::Json {
                let (intact, line) = match &verdict {
                    Verification::Intact { .. } => (true, None),
                    Verification::Broken { line, .. } => (false, Some(line)),
                };
                print_json(&serde_json::json!({
                    "intact": intact,
                    "line": line,
                    "message": text,
                    "path": log.path(),
                }))?;
            }
            match verdict {
                Verification::Intact { .. } => {
                    if format != Format::Json {
                        print_line(&text)?;
                    }
                    Ok(())
                }
                Verification::Broken { .. } => Err(Failure {
                    message: text,
                    exit: 1,
                }),
            }
        }
    }
}
