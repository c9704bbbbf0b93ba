//! `gatehouse-cli` end to end: the real binary against an emulator started in-process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cosync_emulator::{Config, RunningHost, SeedOptions};
use serde_json::{Value, json};

const APP: &str = "Cli App";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// How the CLI is started: its data folder and, when a host runs, the scripted start.
#[derive(Clone)]
struct Env {
    dir: PathBuf,
    host: Option<(String, String)>,
}

impl Env {
    fn of(dir: &Path, host: &RunningHost) -> Self {
        Env {
            dir: dir.to_owned(),
            host: Some((host.base_url().to_owned(), host.server_secret().to_owned())),
        }
    }

    /// Runs the CLI on a blocking thread, so the in-process emulator keeps serving.
    async fn run(&self, args: &[&str], stdin: &str) -> Run {
        let env = self.clone();
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let stdin = stdin.to_owned();
        tokio::task::spawn_blocking(move || env.run_blocking(&args, &stdin))
            .await
            .unwrap()
    }

    fn run_blocking(&self, args: &[String], stdin: &str) -> Run {
        let mut child = self.command(args).spawn().expect("the binary runs");
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    fn command(&self, args: &[String]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse-cli"));
        command
            .args(args)
            .env("GATEHOUSE_DATA_DIR", &self.dir)
            .env("GATEHOUSE_APP", APP)
            .env_remove("GATEHOUSE_HOST_URL")
            .env_remove("GATEHOUSE_SERVER_SECRET")
            .env_remove("GATEHOUSE_ALLOW_HTTP")
            // No keyring here: the secret comes from the environment. Without a bus
            // address but with a display, libdbus would launch a fresh bus whose keyring
            // waits for an unlock prompt nobody answers, so the display goes too.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((url, secret)) = &self.host {
            command
                .env("GATEHOUSE_HOST_URL", url)
                .env("GATEHOUSE_SERVER_SECRET", secret);
        }
        command
    }
}

async fn emulator() -> (RunningHost, String) {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    let report = host
        .seed(SeedOptions {
            invites: 6,
            signups: 6,
            ..SeedOptions::new(APP, 40)
        })
        .await
        .unwrap();
    (host, report.app_token)
}

async fn login(host: &RunningHost, app_token: &str, handle: &str, password: &str) -> Option<i64> {
    let body: Value = reqwest::Client::new()
        .post(format!("{}/api/appuser/login", host.base_url()))
        .header("app-token", app_token)
        .json(&json!({ "handle": handle, "password": cosync_client::md5_hex(password) }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body.get("code").and_then(Value::as_i64)
}

#[tokio::test]
async fn a_reader_that_stops_early_is_not_an_error() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    assert_eq!(env.run(&["sync"], "").await.code, 0);
    let output = tokio::task::spawn_blocking(move || {
        let args = ["users", "list", "--json", "--limit", "0"].map(String::from);
        let mut child = env.command(&args).spawn().expect("the binary runs");
        // As `| head -c 0` would: the reading end closes before anything is written.
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("error"), "stderr: {stderr}");
}

fn json_rows(run: &Run) -> Vec<Value> {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("--json prints a JSON array")
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_search_and_change_users_end_to_end() {
    let (host, app_token) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);

    // A read before any sync syncs first.
    let first = env
        .run(&["users", "list", "--json", "--limit", "0"], "")
        .await;
    let rows = json_rows(&first);
    assert_eq!(rows.len(), 40);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "handle",
        "userName",
        "status",
        "createdAt",
        "lastLogin",
        "loginProvider",
        "metaData",
        "onboarding",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }

    let added = env
        .run(
            &["users", "add", "bob+tag@example.com", "--password-stdin"],
            "Bob-passw0rd\n",
        )
        .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    env.run(
        &["users", "add", "bobtag@example.com", "--password-stdin"],
        "Bob-passw0rd",
    )
    .await;
    let found = json_rows(
        &env.run(&["users", "list", "--json", "--search", "bob+tag@"], "")
            .await,
    );
    assert_eq!(found.len(), 1, "a literal search: {found:?}");
    assert_eq!(found[0]["handle"], "bob+tag@example.com");
    assert_eq!(found[0]["onboarding"], "admin");

    let suspended = env
        .run(&["users", "suspend", "BOB+TAG@example.com"], "")
        .await;
    assert_eq!(suspended.code, 0, "{}", suspended.stderr);
    assert_eq!(
        login(&host, &app_token, "bob+tag@example.com", "Bob-passw0rd").await,
        Some(404)
    );
    let listed = json_rows(
        &env.run(&["users", "list", "--json", "--search", "bob+tag@"], "")
            .await,
    );
    assert_eq!(
        listed[0]["status"], "suspended",
        "the cache follows the change"
    );
    env.run(&["users", "activate", "bob+tag@example.com"], "")
        .await;
    assert_eq!(
        login(&host, &app_token, "bob+tag@example.com", "Bob-passw0rd").await,
        None
    );

    let reset = env
        .run(&["users", "reset-password", "bob+tag@example.com"], "")
        .await;
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    let generated = reset.stdout.trim();
    assert!(generated.len() >= 16);
    assert_eq!(
        login(&host, &app_token, "bob+tag@example.com", generated).await,
        None
    );

    let csv = env
        .run(
            &[
                "users",
                "list",
                "--csv",
                "--sort",
                "handle:desc",
                "--limit",
                "3",
            ],
            "",
        )
        .await;
    assert_eq!(csv.code, 0);
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("handle,userName,status,onboarding,createdAt,lastLogin,loginProvider,metaData")
    );
    assert_eq!(lines.count(), 3);

    let refused = env
        .run(&["users", "delete", "bobtag@example.com"], "")
        .await;
    assert_eq!(refused.code, 2, "delete wants --yes");
    let deleted = env
        .run(&["users", "delete", "bobtag@example.com", "--yes"], "")
        .await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let missing = env
        .run(&["users", "suspend", "bobtag@example.com"], "")
        .await;
    assert_eq!(
        missing.code, 1,
        "the host has no such user: {}",
        missing.stderr
    );

    let invited = env
        .run(
            &[
                "invites",
                "create",
                "new@example.com",
                "bob+tag@example.com",
                "--json",
            ],
            "",
        )
        .await;
    let report: Value = serde_json::from_str(&invited.stdout).unwrap();
    assert_eq!(report["skipped"], json!(["bob+tag@example.com"]));
    let invites = json_rows(
        &env.run(&["invites", "list", "--json", "--search", "new@"], "")
            .await,
    );
    assert_eq!(invites[0]["status"], "pending");
    assert_eq!(
        env.run(&["invites", "revoke", "new@example.com"], "")
            .await
            .code,
        0
    );
    let signups = json_rows(
        &env.run(&["signups", "list", "--json", "--status", "pending"], "")
            .await,
    );
    let pending = signups[0]["handle"].as_str().unwrap().to_owned();
    assert_eq!(env.run(&["signups", "remove", &pending], "").await.code, 0);

    // Nothing the CLI wrote or printed holds a secret.
    let mut outputs = vec![first.stdout, csv.stdout, reset.stderr];
    outputs.extend(files(dir.path()));
    for text in &outputs {
        assert!(
            !text.contains(host.server_secret()),
            "the server secret leaked"
        );
        for field in ["googleSecretKey", "phoneCode", "twoFactorCode"] {
            assert!(!text.contains(field), "{field} leaked");
        }
    }

    let json_password = env
        .run(
            &[
                "users",
                "reset-password",
                "bob+tag@example.com",
                "--password-stdin",
            ],
            "Chosen-Passw0rd",
        )
        .await;
    assert_eq!(json_password.code, 0);
    assert!(
        json_password.stdout.is_empty(),
        "a given password is not echoed"
    );
    host.shutdown().await;
}

/// Every file under `dir`, lossily as text: what a scan for secrets reads.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned());
        }
    }
    out
}

/// Paths with their permission bits.
#[cfg(unix)]
type Modes = Vec<(PathBuf, u32)>;

/// Every folder under `dir` (and `dir`) and every file, each with its mode.
#[cfg(unix)]
fn modes(dir: &Path) -> (Modes, Modes) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut folders = vec![(dir.to_owned(), mode(dir))];
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let (more_folders, more_files) = modes(&path);
            folders.extend(more_folders);
            files.extend(more_files);
        } else {
            files.push((path.clone(), mode(&path)));
        }
    }
    (folders, files)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn everything_in_the_data_folder_is_the_users_only() {
    let (host, _) = emulator().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("gatehouse");
    let saved_only = Env {
        dir: dir.clone(),
        host: None,
    };
    let added = saved_only
        .run(
            &["host", "add", "local", "--url", "http://127.0.0.1:9"],
            "a-secret\n",
        )
        .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    let sync = Env::of(&dir, &host).run(&["sync"], "").await;
    assert_eq!(sync.code, 0, "{}", sync.stderr);

    let (folders, files) = modes(&dir);
    let names: Vec<String> = files
        .iter()
        .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["hosts.json", "apps.json"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.ends_with(".sqlite")), "{names:?}");
    // The sync's index image, whole: the next start reads it instead of building.
    assert!(
        names.iter().any(|n| n.ends_with(".sqlite-index")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("-index.tmp")), "{names:?}");
    for (folder, mode) in &folders {
        assert_eq!(*mode, 0o700, "{}", folder.display());
    }
    for (file, mode) in &files {
        assert_eq!(*mode, 0o600, "{}", file.display());
    }
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_host_list_is_set_aside_and_the_command_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env {
        dir: dir.path().to_owned(),
        host: None,
    };
    let damaged = b"{\"version\": 1, \"hosts\": [tru";
    std::fs::write(dir.path().join("hosts.json"), damaged).unwrap();

    let listed = env.run(&["host", "list", "--json"], "").await;
    assert!(json_rows(&listed).is_empty(), "started with no hosts");
    assert!(
        listed.stderr.contains("hosts.json could not be read")
            && listed.stderr.contains("set aside as")
            && listed.stderr.contains("Add your hosts again"),
        "{}",
        listed.stderr
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("hosts.json.damaged-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "one copy set aside");
    assert!(
        listed.stderr.contains(&*aside[0].to_string_lossy()),
        "the notice names the copy: {}",
        listed.stderr
    );
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        damaged,
        "the old bytes are kept"
    );

    let added = env
        .run(
            &["host", "add", "local", "--url", "http://127.0.0.1:9"],
            "a-secret\n",
        )
        .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        !added.stderr.contains("set aside"),
        "said once: {}",
        added.stderr
    );
    assert_eq!(
        json_rows(&env.run(&["host", "list", "--json"], "").await).len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_reads_say_how_old_the_data_is_and_changes_exit_3() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    let sync = env.run(&["sync"], "").await;
    assert_eq!(sync.code, 0, "{}", sync.stderr);
    assert!(sync.stderr.contains("40 users"), "{}", sync.stderr);
    host.shutdown().await;

    let offline = env.run(&["users", "list", "--json"], "").await;
    assert_eq!(json_rows(&offline).len(), 40, "the cache answers offline");
    assert!(offline.stderr.contains("offline"), "{}", offline.stderr);
    assert!(
        offline.stderr.contains("ago"),
        "the age is said: {}",
        offline.stderr
    );
    let change = env
        .run(&["users", "suspend", "anyone@example.com"], "")
        .await;
    assert_eq!(change.code, 3, "unreachable: {}", change.stderr);

    // The scripted start saved the host, without its secret.
    let hosts = env.run(&["host", "list", "--json"], "").await;
    assert_eq!(json_rows(&hosts).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2_and_saved_hosts_are_managed() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env {
        dir: dir.path().to_owned(),
        host: None,
    };
    assert_eq!(env.run(&["users", "frobnicate"], "").await.code, 2);
    assert_eq!(
        env.run(&["apps", "list"], "").await.code,
        2,
        "no host saved"
    );
    let insecure = env
        .run(
            &["host", "add", "remote", "--url", "http://example.com"],
            "secret",
        )
        .await;
    assert_eq!(
        insecure.code, 1,
        "plain http to a remote host is refused: {}",
        insecure.stderr
    );
    let added = env
        .run(
            &["host", "add", "local", "--url", "http://127.0.0.1:9"],
            "a-secret\n",
        )
        .await;
    assert_eq!(added.code, 0, "{}", added.stderr);
    let listed = json_rows(&env.run(&["host", "list", "--json"], "").await);
    assert_eq!(listed[0]["name"], "local");
    assert_eq!(listed[0]["url"], "http://127.0.0.1:9");
    let test = env.run(&["host", "test", "local"], "").await;
    assert!(matches!(test.code, 1 | 3), "{}", test.stderr);
    // No keyring in these tests: the secret's entry cannot be deleted, so the host stays
    // until the user chooses to leave the entry behind.
    let refused = env.run(&["host", "remove", "local"], "").await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("local was not removed")
            && refused.stderr.contains("--keep-keyring-entry"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        json_rows(&env.run(&["host", "list", "--json"], "").await).len(),
        1,
        "a removal that left the secret behind is not reported as done"
    );
    let removed = env
        .run(&["host", "remove", "local", "--keep-keyring-entry"], "")
        .await;
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(
        removed.stderr.contains("left as it is"),
        "{}",
        removed.stderr
    );
    assert!(json_rows(&env.run(&["host", "list", "--json"], "").await).is_empty());
}

/// A stand-in host that answers every request 503 and keeps what it was sent.
fn recording_host() -> (String, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&heard);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(2)));
            let mut buf = [0u8; 8192];
            if let Ok(n) = stream.read(&mut buf) {
                log.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    (url, heard)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_scripted_secret_is_never_sent_to_another_host() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    let (other, heard) = recording_host();

    for args in [
        vec!["--host", other.as_str(), "apps", "list"],
        vec!["host", "test", other.as_str()],
    ] {
        let run = env.run(&args, "").await;
        assert_ne!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("GATEHOUSE_SERVER_SECRET was not used"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let heard = String::from_utf8_lossy(&heard.lock().unwrap()).into_owned();
    assert!(
        !heard.contains(host.server_secret()),
        "the secret of {} went to {other}",
        host.base_url()
    );

    // The host it was given for, spelt otherwise, still gets it.
    let spelt = format!("{}/", host.base_url().to_uppercase());
    let apps = env
        .run(&["--host", &spelt, "apps", "list", "--json"], "")
        .await;
    assert_eq!(json_rows(&apps).len(), 1, "{}", apps.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_cache_is_rebuilt_and_said_so() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    assert_eq!(env.run(&["sync"], "").await.code, 0);
    let cache = find_file(&dir.path().join("cache"), ".sqlite").expect("the cache was written");
    std::fs::write(&cache, b"this is not a database, whatever it was").unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", cache.display()));
    }

    let listed = env.run(&["users", "list", "--json"], "").await;
    assert_eq!(
        json_rows(&listed).len(),
        40,
        "synced again into a new cache"
    );
    assert!(
        listed.stderr.contains("was damaged") && listed.stderr.contains("set aside"),
        "the user is told: {}",
        listed.stderr
    );
}

/// The first file under `dir` whose name ends with `suffix`.
fn find_file(dir: &Path, suffix: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, suffix) {
                return Some(found);
            }
        } else if path.to_string_lossy().ends_with(suffix) {
            return Some(path);
        }
    }
    None
}

/// Arms one emulator fault (`POST /emulator/faults`).
async fn inject(host: &RunningHost, fault: Value) {
    reqwest::Client::new()
        .post(format!("{}/emulator/faults", host.base_url()))
        .header("server-secret", host.server_secret())
        .json(&fault)
        .send()
        .await
        .expect("the emulator answers")
        .error_for_status()
        .expect("the fault is armed");
}

fn audit_entries(run: &Run) -> Vec<(String, String, String)> {
    json_rows(run)
        .into_iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["targets"][0].as_str().unwrap_or_default().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_change_leaves_one_audit_entry_and_an_edited_byte_fails_verify() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    assert_eq!(env.run(&["sync"], "").await.code, 0);
    let password = "Audit-passw0rd-7";
    let steps: Vec<(Vec<&str>, &str, i32)> = vec![
        (
            vec!["users", "add", "ann@example.com", "--password-stdin"],
            password,
            0,
        ),
        // The host refuses a second user with this handle.
        (
            vec!["users", "add", "ann@example.com", "--password-stdin"],
            password,
            1,
        ),
        (vec!["users", "suspend", "ann@example.com"], "", 0),
        (vec!["users", "activate", "ann@example.com"], "", 0),
        (
            vec![
                "users",
                "metadata",
                "ann@example.com",
                "--set",
                r#"{"profile":{"team":"red"}}"#,
            ],
            "",
            0,
        ),
        (
            vec![
                "users",
                "reset-password",
                "ann@example.com",
                "--password-stdin",
            ],
            password,
            0,
        ),
        (vec!["invites", "create", "ivy@example.com"], "", 0),
        (vec!["invites", "resend", "ivy@example.com"], "", 0),
        (vec!["invites", "revoke", "ivy@example.com"], "", 0),
        (vec!["users", "delete", "ann@example.com", "--yes"], "", 0),
        // Looked up first and not found: nothing is sent, nothing recorded.
        (vec!["users", "suspend", "nobody@example.com"], "", 1),
    ];
    for (args, stdin, code) in &steps {
        let run = env.run(args, stdin).await;
        assert_eq!(run.code, *code, "{args:?}: {}", run.stderr);
    }
    let signups = json_rows(
        &env.run(&["signups", "list", "--json", "--status", "pending"], "")
            .await,
    );
    let pending = signups[0]["handle"].as_str().unwrap().to_owned();
    assert_eq!(env.run(&["signups", "remove", &pending], "").await.code, 0);
    // The host applies the suspension and the connection is cut mid-answer.
    let users = json_rows(
        &env.run(
            &[
                "users", "list", "--json", "--status", "active", "--limit", "1",
            ],
            "",
        )
        .await,
    );
    let victim = users[0]["handle"].as_str().unwrap().to_owned();
    inject(
        &host,
        json!({"dropAfterBytes": 2, "path": "/api/app/user", "count": 1}),
    )
    .await;
    let lost = env.run(&["users", "suspend", &victim], "").await;
    assert_ne!(lost.code, 0, "{}", lost.stderr);
    assert!(lost.stderr.contains("unknown"), "{}", lost.stderr);

    let listed = env
        .run(&["audit", "list", "--json", "--limit", "0"], "")
        .await;
    let mut entries = audit_entries(&listed);
    entries.reverse();
    let expected: Vec<(String, String, String)> = [
        ("add-user", "ann@example.com", "done"),
        ("add-user", "ann@example.com", "refused"),
        ("suspend", "ann@example.com", "done"),
        ("activate", "ann@example.com", "done"),
        ("edit-metadata", "ann@example.com", "done"),
        ("reset-password", "ann@example.com", "done"),
        ("invite", "ivy@example.com", "done"),
        ("resend-invite", "ivy@example.com", "done"),
        ("revoke-invite", "ivy@example.com", "done"),
        ("delete-user", "ann@example.com", "done"),
        ("remove-signup", pending.as_str(), "done"),
        ("suspend", victim.as_str(), "unknown"),
    ]
    .iter()
    .map(|(a, t, o)| ((*a).to_owned(), (*t).to_owned(), (*o).to_owned()))
    .collect();
    assert_eq!(entries, expected);
    let first = &json_rows(&listed)[entries.len() - 1];
    assert_eq!(first["interface"], "cli");
    assert_eq!(first["seq"], 1);
    assert!(first["machine"].as_str().is_some_and(|m| !m.is_empty()));
    let refused = &json_rows(&listed)[entries.len() - 2];
    assert!(
        refused["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{refused}"
    );

    // Filters: by handle (any case), action, outcome; the table for people.
    let by_handle = env
        .run(
            &[
                "audit",
                "list",
                "--json",
                "--handle",
                "IVY@",
                "--action",
                "resend-invite",
            ],
            "",
        )
        .await;
    assert_eq!(audit_entries(&by_handle).len(), 1);
    let refusals = env
        .run(&["audit", "list", "--json", "--outcome", "refused"], "")
        .await;
    assert_eq!(audit_entries(&refusals).len(), 1);
    let future = env
        .run(&["audit", "list", "--json", "--since", "2999-01-01"], "")
        .await;
    assert!(audit_entries(&future).is_empty());
    let table = env.run(&["audit", "list"], "").await;
    assert!(table.stdout.starts_with("seq"), "{}", table.stdout);
    assert_eq!(
        env.run(&["audit", "list", "--action", "fly"], "")
            .await
            .code,
        2
    );

    let log = dir.path().join("audit-log.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains(password), "the audit log holds a password");
    assert!(
        !text.contains(host.server_secret()),
        "the audit log holds the secret"
    );
    let intact = env.run(&["audit", "verify"], "").await;
    assert_eq!(intact.code, 0, "{}", intact.stderr);
    assert!(intact.stdout.contains("12 entries"), "{}", intact.stdout);

    // One byte of the third entry: the handle's first letter.
    let mut bytes = text.into_bytes();
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap();
    let at = third
        + bytes[third..]
            .windows(4)
            .position(|w| w == b"ann@")
            .unwrap();
    bytes[at] = b'b';
    std::fs::write(&log, bytes).unwrap();
    let broken = env.run(&["audit", "verify"], "").await;
    assert_eq!(broken.code, 1);
    assert!(
        broken.stderr.contains("line 3 (entry 3)"),
        "{}",
        broken.stderr
    );
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_user_is_kept_and_restored_with_metadata_and_status() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    let handle = "kept@example.com";
    let steps: Vec<Vec<&str>> = vec![
        vec!["users", "add", handle, "--password-stdin"],
        vec![
            "users",
            "metadata",
            handle,
            "--set",
            r#"{"profile":{"team":"Owls"}}"#,
        ],
        vec!["users", "suspend", handle],
        vec!["users", "delete", handle, "--yes"],
    ];
    for args in &steps {
        let run = env.run(args, "Kept-passw0rd-1").await;
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let deleted = json_rows(&env.run(&["users", "deleted", "--json"], "").await);
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!(deleted[0]["handle"], handle);
    assert_eq!(deleted[0]["status"], "suspended");
    assert_eq!(deleted[0]["metaData"]["profile"]["team"], "Owls");

    let restored = env.run(&["users", "restore", handle], "").await;
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert!(
        restored.stderr.contains("old password"),
        "{}",
        restored.stderr
    );
    // What the host has, read by a fresh sync.
    assert_eq!(env.run(&["sync"], "").await.code, 0);
    let found = json_rows(
        &env.run(&["users", "list", "--json", "--search", handle], "")
            .await,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["status"], "suspended");
    assert_eq!(found[0]["metaData"]["profile"]["team"], "Owls");
    assert!(json_rows(&env.run(&["users", "deleted", "--json"], "").await).is_empty());
    let again = env.run(&["users", "restore", handle], "").await;
    assert_ne!(again.code, 0, "a restored user leaves the bin");

    // A refused delete keeps nothing.
    let missing = env
        .run(&["users", "delete", "nobody@example.com", "--yes"], "")
        .await;
    assert_ne!(missing.code, 0);
    assert!(json_rows(&env.run(&["users", "deleted", "--json"], "").await).is_empty());
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_lists_what_the_host_changed_between_two_syncs() {
    let (host, _) = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let env = Env::of(dir.path(), &host);
    let first = env.run(&["sync"], "").await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    let admin = cosync_client::HostClient::new(cosync_client::HostConfig::new(
        host.base_url(),
        cosync_client::ServerSecret::new(host.server_secret()),
    ))
    .unwrap();
    let app = admin
        .all_apps()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == APP)
        .unwrap()
        .app_id;
    let victim = admin
        .users_page(&app, 0, 40, true)
        .await
        .unwrap()
        .users
        .into_iter()
        .find(|u| u.handle.contains('@') && u.status == cosync_client::UserStatus::Active)
        .unwrap();
    admin
        .set_user_status(&app, &victim.id, &cosync_client::UserStatus::Suspend)
        .await
        .unwrap();
    admin
        .add_user(&app, "fresh@example.com", "Fresh-passw0rd")
        .await
        .unwrap();

    let second = env.run(&["sync"], "").await;
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("changes since the previous sync (run 2): 1 user-added, 1 suspended"),
        "{}",
        second.stderr
    );
    let all = json_rows(&env.run(&["changes", "--json", "--limit", "0"], "").await);
    let mut found: Vec<(String, String)> = all
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["handle"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("suspended".to_owned(), victim.handle.clone()),
            ("user-added".to_owned(), "fresh@example.com".to_owned()),
        ]
    );
    let suspended = json_rows(
        &env.run(&["changes", "--json", "--kind", "suspended"], "")
            .await,
    );
    assert_eq!(suspended.len(), 1);
    assert_eq!(suspended[0]["run"], 2);
    let runs = json_rows(&env.run(&["changes", "--runs", "--json"], "").await);
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["changes"], json!({"suspended": 1, "user-added": 1}));
    assert_eq!(runs[1]["first"], true);
    let changed = json_rows(&env.run(&["users", "list", "--json", "--changed"], "").await);
    let mut handles: Vec<&str> = changed
        .iter()
        .map(|u| u["handle"].as_str().unwrap())
        .collect();
    handles.sort();
    let mut want = vec!["fresh@example.com", victim.handle.as_str()];
    want.sort();
    assert_eq!(handles, want);
    let future = json_rows(
        &env.run(&["changes", "--json", "--since", "2999-01-01"], "")
            .await,
    );
    assert!(future.is_empty());
    assert_eq!(
        env.run(&["changes", "--kind", "exploded"], "").await.code,
        2
    );

    // Retention by runs applies from the next sync.
    let kept = env.run(&["changes", "--keep-runs", "1"], "").await;
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    assert!(
        kept.stderr.contains("kept for 90 days, 1 sync at most"),
        "{}",
        kept.stderr
    );
    assert_eq!(env.run(&["sync"], "").await.code, 0);
    let runs = json_rows(&env.run(&["changes", "--runs", "--json"], "").await);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["run"], 3);
    host.shutdown().await;
}
