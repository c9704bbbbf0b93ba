//! `cosync-emulator serve|seed`: the command line of the emulator (spec §7).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cosync_emulator::{Config, SeedOptions, Storage};

const USAGE: &str = "usage:
  cosync-emulator serve [--port N] [--data DIR | --memory] [--demo]
  cosync-emulator seed --data DIR --app NAME --users N [--invites I] [--signups S] [--seed K]";

struct Args(Vec<String>);

impl Args {
    fn flag(&mut self, name: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|a| a != name);
        before != self.0.len()
    }

    fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(i) = self.0.iter().position(|a| a == name) else {
            return Ok(None);
        };
        if i + 1 >= self.0.len() {
            return Err(format!("{name} needs a value"));
        }
        let v = self.0.remove(i + 1);
        self.0.remove(i);
        Ok(Some(v))
    }

    fn number(&mut self, name: &str) -> Result<Option<u64>, String> {
        self.value(name)?
            .map(|v| v.parse().map_err(|_| format!("{name}: not a number: {v}")))
            .transpose()
    }

    fn finish(self) -> Result<(), String> {
        match self.0.first() {
            Some(extra) => Err(format!("unexpected argument: {extra}")),
            None => Ok(()),
        }
    }
}

async fn serve(mut args: Args) -> Result<(), String> {
    let port =
        u16::try_from(args.number("--port")?.unwrap_or(0)).map_err(|_| "--port: too large")?;
    let memory = args.flag("--memory");
    let data = args.value("--data")?;
    let demo = args.flag("--demo");
    args.finish()?;
    let storage = match (memory, data) {
        (true, Some(_)) => return Err("--data and --memory exclude each other".into()),
        (true, None) => Storage::Memory,
        (false, Some(d)) => Storage::Dir(PathBuf::from(d)),
        (false, None) => return Err("give --data DIR or --memory".into()),
    };
    let host = cosync_emulator::start(Config {
        port,
        storage,
        demo,
    })
    .await
    .map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", host.base_url());
    let _ = writeln!(out, "server-secret: {}", host.server_secret());
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    host.shutdown().await;
    Ok(())
}

fn seed(mut args: Args) -> Result<(), String> {
    let dir = args.value("--data")?.ok_or("--data DIR is required")?;
    let app = args.value("--app")?.ok_or("--app NAME is required")?;
    let users = args.number("--users")?.ok_or("--users N is required")?;
    let opts = SeedOptions {
        app,
        users,
        invites: args.number("--invites")?.unwrap_or(0),
        signups: args.number("--signups")?.unwrap_or(0),
        seed: args.number("--seed")?.unwrap_or(1),
    };
    args.finish()?;
    let started = std::time::Instant::now();
    let report =
        cosync_emulator::seed_dir(&PathBuf::from(dir), &opts).map_err(|e| e.to_string())?;
    println!(
        "seeded app {} ({}): {} users, {} invites, {} signups in {:.1} s",
        opts.app,
        report.app_id,
        report.users,
        report.invites,
        report.signups,
        started.elapsed().as_secs_f64()
    );
    println!("appId: {}", report.app_id);
    println!("appToken: {}", report.app_token);
    Ok(())
}

// The allocator the app and the command line use, so the host serves as fast here as
// when it runs inside them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let mut all: Vec<String> = std::env::args().skip(1).collect();
    let command = if all.is_empty() {
        String::new()
    } else {
        all.remove(0)
    };
    let args = Args(all);
    let result = match command.as_str() {
        "serve" => serve(args).await,
        "seed" => seed(args),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cosync-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
