//! `tauri-driver`: starts the native WebDriver server and serves WebDriver clients in front
//! of it until it is stopped (SIGTERM, SIGINT, SIGQUIT), stopping the native server and
//! every app it started too. Same flags as the tool it stands in for; why it exists is in
//! `lib.rs`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::process::{Child, Command};

const USAGE: &str =
    "usage: tauri-driver [--port N] [--native-port N] [--native-host HOST] [--native-driver PATH]

Serves W3C WebDriver on 127.0.0.1:N (default 4444) in front of the native WebDriver
server (WebKitWebDriver on Linux), started on --native-port (default 4445).
Sessions ask for a Tauri app with the capability
  \"tauri:options\": { \"application\": \"/path/to/app\", \"args\": [] }";

struct Options {
    port: u16,
    native_port: u16,
    native_host: String,
    native_driver: Option<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 4444,
        native_port: 4445,
        native_host: "127.0.0.1".into(),
        native_driver: None,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let port = |text: String| {
            text.parse::<u16>()
                .map_err(|_| format!("{name}: not a port number: {text}"))
        };
        match name.as_str() {
            "--port" => options.port = port(value()?)?,
            "--native-port" => options.native_port = port(value()?)?,
            "--native-host" => options.native_host = value()?,
            "--native-driver" => options.native_driver = Some(PathBuf::from(value()?)),
            "--help" | "-h" => return Err(USAGE.into()),
            "--version" | "-V" => {
                return Err(format!(
                    "tauri-driver (gatehouse-webdriver {})",
                    env!("CARGO_PKG_VERSION")
                ));
            }
            other => return Err(format!("unknown argument: {other}\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(text) if text.starts_with("usage:") || text.starts_with("tauri-driver (") => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("tauri-driver: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a single-thread runtime");
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tauri-driver: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let native_ip: IpAddr = match options.native_host.as_str() {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        host => host
            .parse()
            .map_err(|_| format!("--native-host: not an IP address: {host}"))?,
    };
    let native = SocketAddr::new(native_ip, options.native_port);
    let mut driver = start_native(&options)?;
    tokio::select! {
        ready = gatehouse_webdriver::wait_until_listening(native, gatehouse_webdriver::NATIVE_START) => {
            ready.map_err(|error| format!("the native WebDriver server never listened on {native}: {error}"))?;
        }
        status = driver.wait() => {
            return Err(format!("the native WebDriver server stopped at start: {}", describe(status)));
        }
    }
    // Only now: a client that connects at once must not be refused by a native server
    // that has not started listening yet.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port))
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{}: {error}", options.port))?;
    let outcome = tokio::select! {
        served = gatehouse_webdriver::serve(listener, native) => {
            served.map_err(|error| format!("stopped serving: {error}"))
        }
        status = driver.wait() => Err(format!("the native WebDriver server stopped: {}", describe(status))),
        () = stop_requested() => Ok(()),
    };
    stop_native(&mut driver).await;
    outcome
}

/// Stops the native server and the apps it launched. They run in its process group: an
/// app whose session was deleted can outlive its window (WebKitWebDriver closes the web
/// view, not the process), and one left running holds its single-instance lock, so the
/// next start on the same data folder would defer to a window nobody can see.
async fn stop_native(driver: &mut Child) {
    #[cfg(unix)]
    if let Some(group) = driver.id() {
        signal_group(group, "-TERM").await;
        let ended = tokio::time::timeout(Duration::from_millis(1500), driver.wait()).await;
        // Whatever of the group is still there (the app may have ignored the signal).
        signal_group(group, "-KILL").await;
        if ended.is_ok() {
            return;
        }
    }
    let _ = driver.kill().await;
}

/// Sends `signal` to every process of the group `group`; one that is gone is no error.
#[cfg(unix)]
async fn signal_group(group: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status()
        .await;
}

fn start_native(options: &Options) -> Result<Child, String> {
    let binary = options
        .native_driver
        .clone()
        .unwrap_or_else(|| PathBuf::from(NATIVE_DRIVER));
    let mut command = Command::new(&binary);
    command
        .arg(format!("--port={}", options.native_port))
        .arg(format!("--host={}", options.native_host))
        // What tauri's runtime reads to let a driver automate its webview (1.x and 2.x).
        .env("TAURI_AUTOMATION", "true")
        .env("TAURI_WEBVIEW_AUTOMATION", "true")
        // Its stdout is noise to whoever reads ours; its stderr has its errors.
        .stdout(Stdio::null())
        .kill_on_drop(true);
    // Its own process group, which the apps it starts join: see `stop_native`.
    #[cfg(unix)]
    command.process_group(0);
    command.spawn().map_err(|error| {
        format!(
            "cannot start the native WebDriver server {}: {error}",
            binary.display()
        )
    })
}

#[cfg(windows)]
const NATIVE_DRIVER: &str = "msedgedriver.exe";
#[cfg(not(windows))]
const NATIVE_DRIVER: &str = "WebKitWebDriver";

fn describe(status: std::io::Result<std::process::ExitStatus>) -> String {
    match status {
        Ok(status) => status.to_string(),
        Err(error) => error.to_string(),
    }
}

#[cfg(unix)]
async fn stop_requested() {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    async fn received(stream: &mut Option<Signal>) {
        match stream {
            Some(stream) => drop(stream.recv().await),
            None => std::future::pending().await,
        }
    }
    let mut terminate = signal(SignalKind::terminate()).ok();
    let mut interrupt = signal(SignalKind::interrupt()).ok();
    let mut quit = signal(SignalKind::quit()).ok();
    tokio::select! {
        () = received(&mut terminate) => {}
        () = received(&mut interrupt) => {}
        () = received(&mut quit) => {}
    }
}

#[cfg(not(unix))]
async fn stop_requested() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> impl Iterator<Item = String> {
        text.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn flags_take_their_value_after_a_space_or_an_equals_sign() {
        let options = parse(args("--port 5000 --native-port=5001 --native-driver /x/wd")).unwrap();
        assert_eq!((options.port, options.native_port), (5000, 5001));
        assert_eq!(options.native_driver, Some(PathBuf::from("/x/wd")));
        assert_eq!(options.native_host, "127.0.0.1");
    }

    #[test]
    fn bad_flags_say_what_is_wrong() {
        assert!(
            parse(args("--port"))
                .err()
                .unwrap()
                .contains("needs a value")
        );
        assert!(
            parse(args("--port eighty"))
                .err()
                .unwrap()
                .contains("not a port number")
        );
        assert!(
            parse(args("--frobnicate"))
                .err()
                .unwrap()
                .contains("unknown argument")
        );
    }
}
