//! Whole flows through the desktop's commands on the mock runtime, against a real
//! emulator over HTTP: what the UI asks, the host sees.

mod common;

use cosync_emulator::{Config, RunningHost, SeedOptions};
use gatehouse_core::ScriptedStart;
use gatehouse_desktop::AppState;
use gatehouse_types::AppRef;
use gatehouse_types::{
    Apps, Command, CreateInvites, ExportFormat, ExportUsers, Exported, InvitesPage, ListApps, Page,
    QueryInvites, QueryUsers, SelectApp, Startup, SyncApp, UserFilter, UserRow,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tauri::test::MockRuntime;
use tauri::{App, Manager, WebviewWindow};

struct Desk {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    host_id: String,
    app_id: String,
}

impl Desk {
    fn call<C: Command>(&self, req: C) -> C::Output
    where
        C::Output: DeserializeOwned,
    {
        let answer = common::invoke(&self.window, C::NAME, serde_json::to_value(&req).unwrap())
            .unwrap_or_else(|error| panic!("{} failed: {error}", C::NAME));
        serde_json::from_value(answer).unwrap()
    }

    /// Syncs the open app.
    fn sync(&self) {
        self.call(SyncApp {
            app: AppRef {
                host_id: self.host_id.clone(),
                app_id: self.app_id.clone(),
            },
        });
    }
}

fn start_host() -> (RunningHost, String) {
    tauri::async_runtime::block_on(async {
        let host = cosync_emulator::start(Config::in_memory())
            .await
            .expect("the emulator starts");
        let mut shop = SeedOptions::new("Shop", 60);
        shop.invites = 6;
        let report = host.seed(shop).await.expect("seeding");
        (host, report.app_token)
    })
}

fn open(host: &RunningHost, data_dir: &std::path::Path) -> Desk {
    let scripted = ScriptedStart {
        app: Some("Shop".to_owned()),
        ..ScriptedStart::for_host(host.base_url(), host.server_secret())
    };
    let (app, window) = common::mock_app(data_dir, "gatehouse-flows-test", scripted);
    let mut desk = Desk {
        app,
        window,
        host_id: String::new(),
        app_id: String::new(),
    };
    let startup: Startup = desk.call(gatehouse_types::LoadStartup {});
    assert!(
        startup.remembered_apps.is_empty(),
        "a host never asked has no remembered apps"
    );
    desk.host_id = startup.host_id.expect("the scripted host opens");
    let apps: Apps = desk.call(ListApps {
        host_id: desk.host_id.clone(),
    });
    desk.app_id = apps
        .apps
        .iter()
        .find(|app| app.name == "Shop")
        .expect("Shop is listed")
        .app_id
        .clone();
    desk
}

#[test]
fn a_later_start_knows_the_apps_before_the_host_is_asked() {
    let (host, _) = start_host();
    let data_dir = tempfile::tempdir().unwrap();
    let desk = open(&host, data_dir.path());
    let again: Startup = desk.call(gatehouse_types::LoadStartup {});
    let names: Vec<&str> = again
        .remembered_apps
        .iter()
        .map(|app| app.name.as_str())
        .collect();
    assert!(names.contains(&"Shop"), "remembered: {names:?}");
    assert!(
        again
            .remembered_apps
            .iter()
            .any(|app| app.app_id == desk.app_id),
        "the remembered Shop is the listed one"
    );
}

#[test]
fn the_app_list_names_the_app_last_opened_on_the_host() {
    let (host, _) = start_host();
    let data_dir = tempfile::tempdir().unwrap();
    let desk = open(&host, data_dir.path());
    let list = || -> Apps {
        desk.call(ListApps {
            host_id: desk.host_id.clone(),
        })
    };
    assert_eq!(list().last_app, None, "no app was opened yet");
    desk.call(SelectApp {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
    });
    assert_eq!(
        list().last_app.as_deref(),
        Some(desk.app_id.as_str()),
        "picking the host again opens Shop"
    );
}

#[test]
fn an_accepted_invitation_shows_active_after_a_sync() {
    let (host, app_token) = start_host();
    let data_dir = tempfile::tempdir().unwrap();
    let desk = open(&host, data_dir.path());
    desk.sync();

    let invitee = "invitee+flow@example.com";
    desk.call(CreateInvites {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
        handles: vec![invitee.into()],
    });
    let query = || QueryInvites {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
        text: invitee.into(),
        status: None,
        created_before: None,
        offset: 0,
        limit: 10,
    };
    let before: InvitesPage = desk.call(query());
    assert_eq!(
        before
            .rows
            .iter()
            .map(|row| row.status.wire_name())
            .collect::<Vec<_>>(),
        ["pending"]
    );

    tauri::async_runtime::block_on(async {
        let http = reqwest::Client::new();
        let mail: Vec<Value> = http
            .get(format!("{}/emulator/mailbox", host.base_url()))
            .query(&[("appId", desk.app_id.as_str()), ("handle", invitee)])
            .header("server-secret", host.server_secret())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let code = mail
            .iter()
            .find(|item| item["kind"] == "invite")
            .map(|item| item["code"].clone())
            .unwrap();
        let body = json!({"handle": invitee, "password": cosync_emulator::md5_hex("Welcome-123"), "code": code});
        let answer: Value = http
            .post(format!("{}/api/appuser/register", host.base_url()))
            .header("app-token", &app_token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer.get("access-token").is_some(), "register: {answer}");
    });

    desk.sync();
    let after: InvitesPage = desk.call(query());
    assert_eq!(
        after
            .rows
            .iter()
            .map(|row| row.status.wire_name())
            .collect::<Vec<_>>(),
        ["active"]
    );
}

#[test]
fn export_writes_exactly_the_rows_of_the_query() {
    let (host, _) = start_host();
    let data_dir = tempfile::tempdir().unwrap();
    let desk = open(&host, data_dir.path());
    desk.sync();

    let filter = UserFilter {
        text: "example".into(),
        sort: gatehouse_types::UserColumn::Handle,
        descending: false,
        ..Default::default()
    };
    let page: Page<UserRow> = desk.call(QueryUsers {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
        filter: filter.clone(),
        offset: 0,
        limit: 500,
    });
    assert!(
        page.matching > 0 && page.matching < page.total,
        "the filter must select some users, not all"
    );

    let path = data_dir.path().join("export.json");
    let exported: Option<Exported> = desk.call(ExportUsers {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
        filter,
        format: ExportFormat::Json,
        path: Some(path.display().to_string()),
    });
    assert_eq!(
        exported.expect("a path was given, so no dialog").rows,
        page.matching
    );
    let written: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let handles: Vec<&str> = written
        .iter()
        .map(|row| row["handle"].as_str().unwrap_or_default())
        .collect();
    let expected: Vec<&str> = page.rows.iter().map(|row| row.handle.as_str()).collect();
    assert_eq!(
        handles, expected,
        "the file holds the query's rows, in its order"
    );
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    for secret in [
        "googleSecretKey",
        "phoneCode",
        "twoFactorCode",
        host.server_secret(),
    ] {
        assert!(
            !text.contains(secret),
            "the export must not contain {secret}"
        );
    }
}

#[test]
fn a_damaged_host_list_and_settings_file_are_set_aside_and_startup_says_so() {
    let data_dir = tempfile::tempdir().unwrap();
    let hosts = b"{\"version\": 1, \"hosts\": [";
    let settings = b"lastHost = \"from another program\"";
    std::fs::write(data_dir.path().join("hosts.json"), hosts).unwrap();
    std::fs::write(data_dir.path().join("ui-settings.json"), settings).unwrap();
    let (_app, window) = common::mock_app(
        data_dir.path(),
        "gatehouse-flows-test",
        ScriptedStart::default(),
    );
    let startup = || -> Startup {
        let answer = common::invoke(&window, "load_startup", json!({}))
            .unwrap_or_else(|error| panic!("startup failed: {error}"));
        serde_json::from_value(answer).unwrap()
    };

    let first = startup();
    assert!(first.hosts.is_empty(), "started with no hosts");
    assert_eq!(first.notices.len(), 2, "{:?}", first.notices);
    for (file, old) in [
        ("hosts.json", &hosts[..]),
        ("ui-settings.json", &settings[..]),
    ] {
        let aside: Vec<std::path::PathBuf> = std::fs::read_dir(data_dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{file}.damaged-"))
            })
            .collect();
        assert_eq!(aside.len(), 1, "{file} set aside once");
        assert_eq!(
            std::fs::read(&aside[0]).unwrap(),
            old,
            "{file} kept as it was"
        );
        let notice = first
            .notices
            .iter()
            .find(|notice| notice.contains(&format!("{file} could not be read")))
            .unwrap_or_else(|| panic!("no notice about {file}: {:?}", first.notices));
        assert!(
            notice.contains(&*aside[0].to_string_lossy()),
            "the notice names the copy: {notice}"
        );
    }
    assert!(startup().notices.is_empty(), "each notice is given once");
}

#[cfg(unix)]
#[test]
fn the_desktop_keeps_its_files_for_the_user_only() {
    use std::os::unix::fs::PermissionsExt;
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, bool)>) {
        out.push((dir.to_owned(), true));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push((path, false));
            }
        }
    }
    let (host, _) = start_host();
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("gatehouse");
    let desk = open(&host, &data_dir);
    desk.call(SelectApp {
        app: AppRef {
            host_id: desk.host_id.clone(),
            app_id: desk.app_id.clone(),
        },
    });
    desk.sync();
    // The sync writes the index image in the background, through a temporary file that
    // is renamed when done: wait for it, as the app does before it exits, so the walk
    // below sees only files that stay.
    desk.app.state::<AppState>().core.save_indexes();

    let mut paths = Vec::new();
    walk(&data_dir, &mut paths);
    let names: Vec<String> = paths
        .iter()
        .map(|(path, _)| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["hosts.json", "ui-settings.json", "apps.json"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    for (path, is_dir) in &paths {
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let wanted = if *is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{}", path.display());
    }
}
