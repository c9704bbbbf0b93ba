//! `gatehouse-cli`: scriptable command line over gatehouse-core.
//!
//! Exit codes: 0 ok, 1 the host refused or another error, 2 usage, 3 host unreachable.

mod args;
mod audit;
mod changes;
mod context;
mod hosts;
mod output;
mod records;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::context::{Context, Outcome};
use crate::output::Format;

// mimalloc rather than the system allocator: a sync allocates and frees hundreds of
// thousands of small records on several threads, which glibc serves ~20 % slower and
// keeps in per-thread arenas (the process grew by ~370 MB with each re-sync of 100k users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.exit)
        }
    }
}

async fn run(cli: &Cli) -> Outcome {
    let format = if cli.json {
        Format::Json
    } else if cli.csv {
        Format::Csv
    } else {
        Format::Table
    };
    let ctx = Context::new(cli)?;
    // A damaged host list is set aside when it is first read: read it now, so that what
    // the user is told about it comes before the command's output. Any other failure
    // to read it is the command's to report.
    let _ = ctx.core.hosts();
    tell_notices(&ctx);
    let outcome = command(cli, &ctx, format).await;
    tell_notices(&ctx);
    // The next start, the window's or the CLI's, then reads the index instead of building
    // it; after a sync the image is already being written, and this waits for it.
    tokio::task::block_in_place(|| ctx.core.save_indexes());
    outcome
}

/// Notices go to stderr, so they never mix with the rows a script reads from stdout.
fn tell_notices(ctx: &Context) {
    for notice in ctx.core.take_notices() {
        eprintln!("notice: {notice}");
    }
}

async fn command(cli: &Cli, ctx: &Context, format: Format) -> Outcome {
    match &cli.command {
        Command::Host(command) => hosts::host(ctx, command, format).await,
        Command::Apps(command) => hosts::apps(ctx, command, format).await,
        Command::Sync => {
            let conn = ctx.connect().await?;
            let app = ctx.app(&conn).await?;
            let report = context::sync(&conn, &app.app_id).await?;
            eprintln!(
                "synced {}: {} users, {} invitations, {} signups",
                app.name, report.users, report.invites, report.signups
            );
            Ok(())
        }
        Command::Users(command) => records::users(ctx, command, format).await,
        Command::Invites(command) => records::invites(ctx, command, format).await,
        Command::Signups(command) => records::signups(ctx, command, format).await,
        Command::Audit(command) => audit::audit(cli, ctx, command, format),
        Command::Changes {
            since,
            run,
            kind,
            search,
            runs,
            keep_days,
            keep_runs,
            window,
        } => {
            let args = changes::ChangesArgs {
                since: *since,
                run: *run,
                kinds: kind,
                search: search.as_deref(),
                runs: *runs,
                keep_days: *keep_days,
                keep_runs: *keep_runs,
                window,
            };
            changes::changes(ctx, args, format).await
        }
    }
}
