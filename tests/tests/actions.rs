//! Row icons and the other actions, checked on the host itself: after Suspend the user
//! cannot log in, after Reset the new password works and the old one does not, and so on.

use cosync_client::{AppSetting, HostClient, HostConfig, ServerSecret};
use cosync_emulator::{Config, RunningHost, SeedOptions, md5_hex};
use gatehouse_e2e::Desktop;
use gatehouse_e2e::keys::{DELETE, ESCAPE};
use serde_json::{Value, json};

const SEEDED_PASSWORD: &str = "demo-password";
const STATUS_CELLS: &str =
    "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].status";
const HANDLE_CELLS: &str =
    "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].handle";
const SEARCH: &str = "input[aria-label='Search users']";

struct Host {
    running: RunningHost,
    app_id: String,
    app_token: String,
    http: reqwest::Client,
}

impl Host {
    async fn start() -> Host {
        let running = cosync_emulator::start(Config::in_memory())
            .await
            .expect("the emulator starts");
        let report = running
            .seed(SeedOptions::new("Shop", 40))
            .await
            .expect("seeding");
        Host {
            running,
            app_id: report.app_id,
            app_token: report.app_token,
            http: reqwest::Client::new(),
        }
    }

    fn admin(&self) -> HostClient {
        let config = HostConfig::new(
            self.running.base_url(),
            ServerSecret::new(self.running.server_secret()),
        );
        HostClient::new(config).expect("a client of the emulator")
    }

    /// The end-user login: `Ok` with tokens, or `Err(code)`.
    async fn login(&self, handle: &str, password: &str) -> Result<(), i64> {
        let body = self
            .end_user(
                "/api/appuser/login",
                json!({"handle": handle, "password": md5_hex(password)}),
            )
            .await;
        if body.get("access-token").is_some() {
            Ok(())
        } else {
            Err(body["code"].as_i64().unwrap_or(-1))
        }
    }

    async fn end_user(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.running.base_url()))
            .header("app-token", &self.app_token)
            .json(&body)
            .send()
            .await
            .expect("the emulator answers");
        response.json().await.expect("a JSON answer")
    }

    async fn mailbox(&self, handle: &str) -> Vec<Value> {
        let url = format!("{}/emulator/mailbox", self.running.base_url());
        let response = self
            .http
            .get(url)
            .query(&[("appId", self.app_id.as_str()), ("handle", handle)])
            .header("server-secret", self.running.server_secret())
            .send()
            .await
            .expect("the mailbox answers");
        response.json().await.expect("a JSON mailbox")
    }

    fn env(&self) -> [(&str, &str); 3] {
        [
            ("GATEHOUSE_HOST_URL", self.running.base_url()),
            ("GATEHOUSE_SERVER_SECRET", self.running.server_secret()),
            ("GATEHOUSE_APP", "Shop"),
        ]
    }
}

/// The first `n` active e-mail users of the seed's first page, by handle and id.
async fn active_users(host: &Host, n: usize) -> Vec<(String, String)> {
    let page = host
        .admin()
        .users_page(&host.app_id, 0, 25, true)
        .await
        .expect("a page of users");
    let found: Vec<(String, String)> = page
        .users
        .into_iter()
        .filter(|user| {
            user.handle.contains('@') && user.status == cosync_client::UserStatus::Active
        })
        .map(|user| (user.handle, user.id))
        .take(n)
        .collect();
    assert_eq!(
        found.len(),
        n,
        "the seed has {n} active e-mail users on its first page"
    );
    found
}

async fn some_active_handle(host: &Host) -> String {
    active_users(host, 1).await.remove(0).0
}

async fn show_only(desktop: &Desktop, handle: &str) {
    desktop.type_into(SEARCH, handle).await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows == [handle.to_owned()])
        .await;
}

/// Opens the `list` sub-tab (`Invitations` or `Signups`) and searches it for `handle`
/// until its rows are that handle's alone: the list is drawn again when the search
/// answers, so rows found before then may be gone when clicked.
async fn show_only_in(desktop: &Desktop, list: &str, handle: &str) {
    let name = list.to_lowercase();
    click(desktop, &format!("[role='tab']#tab-{name}")).await;
    desktop
        .type_into(&format!("input[aria-label='Search {name}']"), handle)
        .await;
    desktop
        .wait_for_texts(
            &format!("table[aria-label='{list}'] tbody tr td:first-child"),
            |cells| cells == [handle],
        )
        .await;
}

/// Suspends the one user shown, `handle`, from its row, and waits for the row to say so.
async fn suspend(desktop: &Desktop, handle: &str) {
    click(desktop, &format!("button[aria-label='Suspend {handle}']")).await;
    desktop
        .wait_for_texts(STATUS_CELLS, |cells| cells == ["suspended"])
        .await;
}

async fn click(desktop: &Desktop, css: &str) {
    if let Err(error) = desktop.find(css).await.click().await {
        desktop.screenshot("failure").await;
        panic!("{css} cannot be clicked: {error}");
    }
}

/// The app's cache file under `data_dir`: `cache/<host id>/<app id>.sqlite`.
fn cache_file(data_dir: &std::path::Path) -> std::path::PathBuf {
    let hosts = std::fs::read_dir(data_dir.join("cache")).expect("a cache folder");
    hosts
        .flatten()
        .filter(|host| host.path().is_dir())
        .flat_map(|host| {
            std::fs::read_dir(host.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|file| file.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "sqlite"))
        .expect("an offline copy")
}

/// Ending the app writes the offline copy's index image as the copy then is, with the
/// change made in the window: the next start reads the index instead of building it. The
/// app is ended as the system ends it at logout (SIGTERM), which takes the path of the
/// window's close button; WebDriver's own "close window" kills the app instead.
#[cfg(unix)]
#[tokio::test]
async fn an_ended_app_leaves_an_index_image_with_its_last_change() {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;
    suspend(&desktop, &handle).await;

    let driver = desktop.driver_pid().expect("the driver runs");
    let app = || {
        gatehouse_e2e::descendants(driver).into_iter().find(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|name| name.trim() == "gatehouse")
        })
    };
    let pid = app().expect("the app runs under the driver");
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(signalled.success());
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while app().is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "the app still runs after SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let data_dir = desktop.quit().await;
    let (cache, report) =
        gatehouse_cache::Cache::open(cache_file(data_dir.path())).expect("the copy opens");
    assert_eq!(
        report.index,
        gatehouse_cache::IndexOrigin::Image,
        "the next start reads the image the window left"
    );
    let suspended = cache
        .query_users(&gatehouse_core::UserQuery {
            text: handle.clone(),
            status: Some(gatehouse_core::StatusFilter::Suspended),
            limit: 10,
            ..Default::default()
        })
        .expect("a query");
    let handles: Vec<_> = suspended.rows.into_iter().map(|r| r.user.handle).collect();
    assert_eq!(handles, [handle], "the image holds the suspension");
}

#[tokio::test]
async fn suspend_activate_and_reset_take_effect_on_the_host() {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Ok(()),
        "the seeded user can log in at first"
    );

    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;

    suspend(&desktop, &handle).await;
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Err(404),
        "a suspended user's login fails with 404"
    );

    click(&desktop, &format!("button[aria-label='Activate {handle}']")).await;
    desktop
        .wait_for_texts(STATUS_CELLS, |cells| cells == ["active"])
        .await;
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Ok(()),
        "activated again, the user logs in"
    );

    click(
        &desktop,
        &format!("button[aria-label='Reset password for {handle}']"),
    )
    .await;
    // Generate fills the field, shown; the host hears nothing until Confirm.
    click(&desktop, "[role='dialog'] .actions button:first-child").await;
    let field = "[role='dialog'] input[aria-label='New password']";
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    let generated = loop {
        let value = desktop
            .find(field)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if value.len() >= 16 || std::time::Instant::now() > deadline {
            break value;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        generated.len() >= 16,
        "a strong password fills the field: {generated:?}"
    );
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Ok(()),
        "nothing changed on the host before Confirm"
    );
    click(&desktop, "[role='dialog'] .actions button.primary").await;
    let shown = desktop
        .wait_for_text("[role='dialog'] .password", |text| text.len() >= 16)
        .await;
    assert_eq!(shown, generated, "the password set is the one shown");
    assert_eq!(
        host.login(&handle, &shown).await,
        Ok(()),
        "the new password works"
    );
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Err(600),
        "the old password no longer works"
    );
    let mail = host.mailbox(&handle).await;
    assert!(
        mail.iter()
            .any(|item| item["kind"] == "adminPasswordReset" && item["password"] == shown.as_str()),
        "the host e-mailed the new password: {mail:?}"
    );
    // One line per command, with its outcome; never the password or the secret.
    let dir = desktop.quit().await;
    let log = gatehouse_e2e::log_text(dir.path(), "command reset_password took").await;
    assert!(log.contains("command reset_password took"), "{log}");
    assert!(log.contains("command set_user_status took"), "{log}");
    // And one per operation of core under them: the sync, each change sent.
    for operation in ["operation sync took", "operation reset-password took"] {
        assert!(
            log.lines()
                .any(|line| line.contains(operation) && line.ends_with(": ok")),
            "{operation}: {log}"
        );
    }
    assert!(
        log.lines()
            .filter(|line| line.contains("command set_user_status took"))
            .all(|line| line.ends_with(": ok")),
        "{log}"
    );
    for secret in [shown.as_str(), host.running.server_secret()] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
}

#[tokio::test]
async fn delete_and_add_user_take_effect_on_the_host() {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;

    click(&desktop, &format!("button[aria-label='Delete {handle}']")).await;
    let title = desktop
        .wait_for_text("[role='alertdialog'] h2", |text| !text.is_empty())
        .await;
    assert!(
        title.contains(&handle),
        "the confirmation names the user: {title}"
    );
    click(&desktop, "[role='alertdialog'] button.danger").await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows.is_empty())
        .await;
    let found = host
        .admin()
        .find_user(&host.app_id, &handle)
        .await
        .expect("searchUser answers");
    assert!(found.is_none(), "the deleted user is gone from the host");

    let new_handle = "new.person+e2e@example.com";
    click(&desktop, ".toolbar button[title='Add a user to this app']").await;
    desktop
        .type_into("[role='dialog'] input[aria-label='Handle']", new_handle)
        .await;
    desktop
        .type_into(
            "[role='dialog'] input[aria-label='Password']",
            "Str0ng-enough!",
        )
        .await;
    click(&desktop, "[role='dialog'] button.primary").await;
    show_only(&desktop, new_handle).await;
    assert_eq!(
        host.login(new_handle, "Str0ng-enough!").await,
        Ok(()),
        "the added user can log in"
    );
    desktop.close().await;
}

#[tokio::test]
async fn an_invitation_turns_active_once_accepted_and_offline_disables_actions() {
    let host = Host::start().await;
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;

    click(&desktop, "[role='tab']#tab-invitations").await;
    let invitee = "invitee+e2e@example.com";
    desktop
        .type_into("input[aria-label='Handles to invite']", invitee)
        .await;
    click(&desktop, ".toolbar button[title='Invite these handles']").await;
    desktop
        .type_into("input[aria-label='Search invitations']", invitee)
        .await;
    let row = desktop
        .wait_for_texts(
            "table[aria-label='Invitations'] tbody tr td:nth-child(3)",
            |cells| cells == ["pending"],
        )
        .await;
    assert_eq!(row, ["pending"]);

    let code = host
        .mailbox(invitee)
        .await
        .iter()
        .find(|item| item["kind"] == "invite")
        .map(|item| item["code"].clone());
    let code = code.expect("the host mailed an invitation code");
    let registered = host
        .end_user(
            "/api/appuser/register",
            json!({"handle": invitee, "password": md5_hex("Welcome-123"), "code": code}),
        )
        .await;
    assert!(
        registered.get("access-token").is_some(),
        "the invitee registers: {registered}"
    );

    click(&desktop, "button[title*='Ctrl+R']").await;
    let synced = desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text.starts_with("41 ")
        })
        .await;
    assert_eq!(synced, "41 users synced", "the invitee is now a user");
    desktop
        .wait_for_texts(
            "table[aria-label='Invitations'] tbody tr td:nth-child(3)",
            |cells| cells == ["active"],
        )
        .await;

    // Offline, every action that needs the host is disabled.
    click(&desktop, "[role='tab']#tab-users").await;
    host.running.shutdown().await;
    click(&desktop, "button[title*='Ctrl+R']").await;
    desktop
        .wait_for_text(".offline[role='status']", |text| text.contains("Offline"))
        .await;
    let delete = desktop
        .find("[role='table'][aria-label='Users'] .tbody button[aria-label^='Delete ']")
        .await;
    assert!(
        !delete.is_enabled().await.unwrap(),
        "Delete is disabled offline"
    );
    let suspend = desktop
        .find("[role='table'][aria-label='Users'] .tbody .row-actions button:nth-child(2)")
        .await;
    assert!(
        !suspend.is_enabled().await.unwrap(),
        "Suspend/Activate is disabled offline"
    );
    desktop.close().await;
}

#[tokio::test]
async fn a_bulk_suspend_of_three_users_reports_three_done() {
    let host = Host::start().await;
    let chosen: Vec<String> = active_users(&host, 3)
        .await
        .into_iter()
        .map(|(handle, _)| handle)
        .collect();
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;

    for handle in &chosen {
        click(
            &desktop,
            &format!("input[type='checkbox'][aria-label='Select {handle}']"),
        )
        .await;
    }
    let bar = desktop
        .wait_for_text(".bulk-bar span", |text| text == "3 selected")
        .await;
    assert_eq!(bar, "3 selected");
    click(
        &desktop,
        ".bulk-bar button[title='Suspend the selected users']",
    )
    .await;
    click(&desktop, "[role='alertdialog'] button.danger").await;
    let title = desktop
        .wait_for_text("#report-title", |text| !text.is_empty())
        .await;
    assert_eq!(title, "Suspend: 3 of 3 done");
    for handle in &chosen {
        assert_eq!(
            host.login(handle, SEEDED_PASSWORD).await,
            Err(404),
            "{handle} is suspended on the host"
        );
    }

    // Esc closes the report. With rows ticked, the Delete key asks to delete all of
    // them, as the bulk button does; Esc cancels that too, and nothing is deleted.
    desktop.press(ESCAPE).await;
    desktop
        .wait_for_texts("#report-title", |titles| titles.is_empty())
        .await;
    click(
        &desktop,
        &format!("input[type='checkbox'][aria-label='Select {}']", chosen[0]),
    )
    .await;
    desktop
        .wait_for_text(".bulk-bar span", |text| text == "1 selected")
        .await;
    desktop.press(DELETE).await;
    let title = desktop
        .wait_for_text("[role='alertdialog'] h2", |text| !text.is_empty())
        .await;
    assert_eq!(
        title, "Delete 1 users?",
        "Delete asks about the ticked rows"
    );
    desktop.press(ESCAPE).await;
    desktop
        .wait_for_texts("[role='alertdialog']", |dialogs| dialogs.is_empty())
        .await;
    let still_there = host
        .admin()
        .users_page(&host.app_id, 0, 100, true)
        .await
        .expect("a page of users")
        .users
        .iter()
        .any(|user| user.handle == chosen[0]);
    assert!(still_there, "cancelling deletes nobody");

    // One audit entry per item sent, and none for the cancelled delete.
    let log = std::fs::read_to_string(desktop.data_dir.path().join("audit-log.jsonl"))
        .expect("the audit log is in the data folder");
    let mut entries: Vec<(String, String, String)> = log
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("each entry is JSON"))
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["targets"][0].as_str().unwrap_or_default().to_owned(),
                e["outcome"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    entries.sort();
    let mut expected: Vec<(String, String, String)> = chosen
        .iter()
        .map(|handle| ("suspend".to_owned(), handle.clone(), "done".to_owned()))
        .collect();
    expected.sort();
    assert_eq!(entries, expected);
    desktop.close().await;
}

/// An app whose invitations and signups are turned off says so on those tabs, and
/// offers no way to send an invitation.
#[tokio::test]
async fn invitations_and_signups_turned_off_are_said_and_not_offered() {
    let host = Host::start().await;
    let admin = host.admin();
    for setting in [AppSetting::Invite(false), AppSetting::Signup(false)] {
        admin
            .update_app_setting(&host.app_id, &setting)
            .await
            .expect("the host takes the setting");
    }
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;

    click(&desktop, "[role='tab']#tab-invitations").await;
    let note = desktop
        .wait_for_text("#tab-panel [role='note']", |text| !text.is_empty())
        .await;
    assert!(note.starts_with("Invitations are turned off"), "{note}");
    desktop
        .type_into("input[aria-label='Handles to invite']", "new@example.com")
        .await;
    let invite = desktop
        .find(".toolbar button[title^='Invite these handles']")
        .await;
    let title = invite.attr("title").await.unwrap().unwrap_or_default();
    assert!(title.contains("turned off"), "the button says why: {title}");
    assert_eq!(
        invite.attr("disabled").await.unwrap().as_deref(),
        Some("true"),
        "no invitation can be sent"
    );

    click(&desktop, "[role='tab']#tab-signups").await;
    let note = desktop
        .wait_for_text("#tab-panel [role='note']", |text| {
            text.starts_with("Signups")
        })
        .await;
    assert!(note.contains("turned off"), "{note}");
    desktop.close().await;
}

/// Clicks the button named `label` in the open tab and waits for its report to read
/// `report`.
async fn act(desktop: &Desktop, label: &str, report: &str) {
    click(desktop, &format!("button[aria-label='{label}']")).await;
    desktop
        .wait_for_text("#tab-panel p[role='status'].notice", |text| text == report)
        .await;
}

/// Clicks the button named `label`; the confirmation dialog titled `title` opens and
/// nothing is sent until `Confirm`, after which the tab's report reads `report`.
async fn act_confirmed(desktop: &Desktop, label: &str, title: &str, report: &str) {
    click(desktop, &format!("button[aria-label='{label}']")).await;
    let dialog = "[role='alertdialog']";
    desktop
        .wait_for_text(&format!("{dialog} h2"), |text| text == title)
        .await;
    click(desktop, &format!("{dialog} button.danger")).await;
    desktop
        .wait_for_text("#tab-panel p[role='status'].notice", |text| text == report)
        .await;
}

/// Clicks the button named `label`, then `Cancel` in the confirmation dialog titled
/// `title`: the dialog goes and nothing is sent.
async fn cancel_confirmation(desktop: &Desktop, label: &str, title: &str) {
    click(desktop, &format!("button[aria-label='{label}']")).await;
    let dialog = "[role='alertdialog']";
    desktop
        .wait_for_text(&format!("{dialog} h2"), |text| text == title)
        .await;
    let cancel = desktop
        .client
        .find(fantoccini::Locator::XPath(
            "//*[@role='alertdialog']//button[normalize-space()='Cancel']",
        ))
        .await
        .expect("the dialog has Cancel");
    cancel.click().await.expect("Cancel can be clicked");
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while desktop
        .client
        .find(fantoccini::Locator::Css(dialog))
        .await
        .is_ok()
    {
        assert!(std::time::Instant::now() < deadline, "the dialog closes");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn resend_revoke_and_remove_signup_take_effect_on_the_host() {
    let host = Host::start().await;
    let invitee = "resend+e2e@example.com";
    let created = host
        .admin()
        .create_invites(&host.app_id, &[invitee], None)
        .await
        .expect("the host invites");
    assert_eq!(created.invites.len(), 1);
    let applicant = "applicant+e2e@example.com";
    let signed_up = host
        .end_user(
            "/api/appuser/signup",
            json!({"handle": applicant, "password": md5_hex("Welcome-123")}),
        )
        .await;
    assert!(
        signed_up.get("code").is_none(),
        "the signup is accepted: {signed_up}"
    );
    let invite_mails = |mail: Vec<Value>| mail.iter().filter(|m| m["kind"] == "invite").count();
    assert_eq!(invite_mails(host.mailbox(invitee).await), 1);

    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;

    show_only_in(&desktop, "Invitations", invitee).await;
    act(
        &desktop,
        &format!("Resend invitation to {invitee}"),
        &format!("Invitation sent again to {invitee}."),
    )
    .await;
    assert_eq!(
        invite_mails(host.mailbox(invitee).await),
        2,
        "a second invitation e-mail"
    );
    let revoke = format!("Revoke invitation to {invitee}");
    let revoke_title = format!("Revoke the invitation to {invitee}?");
    cancel_confirmation(&desktop, &revoke, &revoke_title).await;
    let kept = host
        .admin()
        .invites_page(&host.app_id, 0, 100)
        .await
        .expect("the host lists invitations");
    assert!(
        kept.invites.iter().any(|invite| invite.handle == invitee),
        "Cancel sent nothing"
    );
    act_confirmed(
        &desktop,
        &revoke,
        &revoke_title,
        &format!("Invitation to {invitee} revoked."),
    )
    .await;
    let left = host
        .admin()
        .invites_page(&host.app_id, 0, 100)
        .await
        .expect("the host lists invitations");
    assert!(
        left.invites.iter().all(|invite| invite.handle != invitee),
        "the invitation is gone from the host"
    );

    show_only_in(&desktop, "Signups", applicant).await;
    // The pending signup is listed under Pending, not under Added by admin.
    let filter = desktop.find("select[aria-label='Signup status']").await;
    filter
        .clone()
        .select_by_label("Added by admin")
        .await
        .expect("the filter has Added by admin");
    desktop
        .wait_for_text("#tab-panel .toolbar .counts", |text| {
            text.starts_with("0 of")
        })
        .await;
    filter
        .select_by_label("Pending")
        .await
        .expect("the filter has Pending");
    desktop
        .wait_for_texts(
            "table[aria-label='Signups'] tbody tr td:first-child",
            |cells| cells == [applicant],
        )
        .await;
    act_confirmed(
        &desktop,
        &format!("Remove signup of {applicant}"),
        &format!("Remove the signup of {applicant}?"),
        &format!("Signup of {applicant} removed."),
    )
    .await;
    let signups = host
        .admin()
        .signups_page(&host.app_id, 0, 100)
        .await
        .expect("the host lists signups");
    assert!(
        signups
            .signups
            .iter()
            .all(|signup| signup.handle != applicant),
        "the pending signup is gone from the host"
    );
    desktop.close().await;
}

#[tokio::test]
async fn a_change_made_by_another_process_shows_in_the_open_window() {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;
    show_only(&desktop, &handle).await;
    desktop
        .wait_for_texts(STATUS_CELLS, |cells| cells == ["active"])
        .await;

    // What the CLI does: its own core on the same data folder suspends the user, which
    // writes the shared cache file from outside the window's process.
    let other = gatehouse_core::Gatehouse::new(desktop.data_dir.path());
    let start = gatehouse_core::ScriptedStart::for_host(
        host.running.base_url(),
        host.running.server_secret(),
    );
    let entry = other
        .apply_scripted(&start)
        .expect("the host is listed")
        .expect("a host");
    let connection = other.connect_entry(entry).await.expect("connected");
    connection
        .set_user_status_by_handle(&host.app_id, &handle, false)
        .await
        .expect("suspended from outside");

    desktop
        .wait_for_texts(STATUS_CELLS, |cells| cells == ["suspended"])
        .await;
    desktop.close().await;
}

#[tokio::test]
async fn metadata_shows_every_key_and_edits_are_checked_and_saved_on_the_host() {
    let host = Host::start().await;
    let admin = host.admin();
    admin
        .update_app_metadata(
            &host.app_id,
            &[cosync_client::MetaDataField {
                id: "team".into(),
                path: "profile.team".into(),
                field_name: "Team".into(),
                required: true,
                can_edit: true,
            }],
        )
        .await
        .expect("the app declares one required field");
    let handle = some_active_handle(&host).await;
    let meta = json!({"profile": {"team": "blue", "city": "Oslo"}, "plan": "gold"});
    admin
        .update_user_metadata(&host.app_id, &handle, meta.as_object().unwrap(), &[])
        .await
        .expect("the user has metadata");

    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;
    click(
        &desktop,
        &format!("button[aria-label='Show metadata for {handle}']"),
    )
    .await;
    let dialog = format!("[role='dialog'][aria-label='Metadata for {handle}']");
    let shown = desktop
        .wait_for_texts(&format!("{dialog} dl.fields > *"), |texts| texts.len() >= 6)
        .await;
    assert_eq!(
        shown,
        ["Team", "blue", "plan", "gold", "profile.city", "Oslo"],
        "the declared field by its label first, then every other key by its path"
    );

    click_named(&desktop, &dialog, "Raw JSON").await;
    let raw = desktop
        .wait_for_text(&format!("{dialog} pre.json"), |text| !text.is_empty())
        .await;
    let parsed: Value = serde_json::from_str(&raw).expect("Raw JSON is JSON");
    assert_eq!(parsed, meta, "the raw view is the same object");
    click_named(&desktop, &dialog, "Raw JSON").await;

    // A required field left empty is refused, naming it; nothing reaches the host.
    click_named(&desktop, &dialog, "Edit metadata").await;
    let editor = format!("{dialog} textarea[aria-label='Metadata JSON']");
    desktop
        .type_into(
            &editor,
            r#"{"profile": {"team": "", "city": "Oslo"}, "plan": "gold"}"#,
        )
        .await;
    click_named(&desktop, &dialog, "Save metadata").await;
    desktop
        .wait_for_text(&format!("{dialog} [role='alert']"), |text| {
            text == "Required by the app: Team."
        })
        .await;
    desktop
        .type_into(
            &editor,
            r#"{"profile": {"team": "red", "city": "Oslo"}, "plan": "gold"}"#,
        )
        .await;
    click_named(&desktop, &dialog, "Save metadata").await;
    desktop
        .wait_for_texts(&format!("{dialog} dl.fields > *"), |texts| {
            texts.get(1).map(String::as_str) == Some("red")
        })
        .await;
    let on_host = admin
        .find_user(&host.app_id, &handle)
        .await
        .expect("the host answers")
        .expect("the user exists");
    assert_eq!(
        on_host.meta_data["profile"]["team"], "red",
        "saved on the host"
    );
    assert_eq!(
        on_host.meta_data["profile"]["city"], "Oslo",
        "the rest kept"
    );
    // The log names the commands and never a metadata value or the secret.
    let dir = desktop.quit().await;
    let log = gatehouse_e2e::log_text(dir.path(), "command update_metadata took").await;
    assert!(log.contains("command update_metadata took"), "{log}");
    assert!(log.contains("command query_user_metadata took"), "{log}");
    for value in ["Oslo", "gold", host.running.server_secret()] {
        assert!(!log.contains(value), "the log holds {value}: {log}");
    }
}

/// Clicks the button whose text is `label` inside the element matching `scope` (CSS).
async fn click_named(desktop: &Desktop, scope: &str, label: &str) {
    let buttons = desktop.find_all(&format!("{scope} button")).await;
    for button in buttons {
        if button.text().await.unwrap_or_default().trim() == label {
            button.click().await.expect("the button can be clicked");
            return;
        }
    }
    desktop.screenshot("failure").await;
    panic!("no button {label} in {scope}");
}

#[tokio::test]
async fn the_audit_log_lists_what_the_window_sent_and_verify_finds_an_edited_entry() {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;
    suspend(&desktop, &handle).await;
    click(&desktop, &format!("button[aria-label='Activate {handle}']")).await;
    desktop
        .wait_for_texts(STATUS_CELLS, |cells| cells == ["active"])
        .await;

    click_named(&desktop, "header.app-bar", "Audit log").await;
    let dialog = "[role='dialog'][aria-labelledby='audit-title']";
    let rows = format!("{dialog} table[aria-label='Audit entries'] tbody tr");
    // Newest first: time, action, handles, outcome, host, app, by, took.
    let cells = |n: usize| format!("{rows} td:nth-child({n})");
    desktop
        .wait_for_texts(&cells(2), |actions| actions == ["Activate", "Suspend"])
        .await;
    assert_eq!(
        desktop.texts(&cells(3)).await,
        [handle.clone(), handle.clone()]
    );
    assert_eq!(desktop.texts(&cells(4)).await, ["done", "done"]);
    assert_eq!(desktop.texts(&cells(6)).await, ["Shop", "Shop"]);
    assert!(
        desktop
            .texts(&cells(7))
            .await
            .iter()
            .all(|by| by.ends_with("(app)")),
        "each entry names the desktop app as its sender"
    );

    desktop
        .find(&format!("{dialog} select[aria-label='Action filter']"))
        .await
        .select_by_value("Suspend")
        .await
        .expect("the action filter has Suspend");
    desktop
        .wait_for_texts(&cells(2), |actions| actions == ["Suspend"])
        .await;

    click_named(&desktop, dialog, "Verify").await;
    let verdict = format!("{dialog} p.verdict[role='status']");
    desktop
        .wait_for_text(&verdict, |text| text.contains("holds: 2 entries"))
        .await;

    // One byte of the first entry's handle changes on disk.
    let log = desktop.data_dir.path().join("audit-log.jsonl");
    let text = std::fs::read_to_string(&log).expect("the audit log is in the data folder");
    let first_line_end = text.find('\n').expect("two lines");
    let at = text[..first_line_end]
        .find(&handle)
        .expect("the first entry names the user");
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&log, bytes).expect("the log can be edited");
    click_named(&desktop, dialog, "Verify").await;
    desktop
        .wait_for_text(&verdict, |text| {
            text.contains("altered at line 1 (entry 1)")
        })
        .await;
    click_named(&desktop, dialog, "Close").await;

    // The host's own log has both changes.
    click(&desktop, "[role='tab']#tab-activity").await;
    let activity = "table[aria-label='Activity'] tbody tr";
    let of_user = |rows: &[String]| {
        rows.iter()
            .filter(|row| row.contains(&handle) && row.contains("updateUserStatus"))
            .count()
    };
    desktop
        .wait_for_texts(activity, |rows| of_user(rows) == 2)
        .await;
    desktop
        .find("select[aria-label='Outcome']")
        .await
        .select_by_value("error")
        .await
        .expect("the outcome filter has Error");
    desktop
        .wait_for_texts(activity, |rows| of_user(rows) == 0)
        .await;
    desktop.close().await;
}

#[tokio::test]
async fn the_changes_tab_lists_what_changed_on_the_host_between_two_syncs() {
    let host = Host::start().await;
    let admin = host.admin();
    let invitee = "joiner@example.com";
    // Seed users, picked before the one to delete is added.
    let mut picked = active_users(&host, 2).await.into_iter();
    let (suspended, suspended_id) = picked.next().unwrap();
    let (edited, _) = picked.next().unwrap();
    admin
        .create_invites(&host.app_id, &[invitee], None)
        .await
        .expect("an invitation");
    admin
        .add_user(&host.app_id, "leaver@example.com", "Leaver-passw0rd")
        .await
        .expect("a user to delete later");

    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "41 users synced"
        })
        .await;

    // On the host, behind the window's back.
    admin
        .add_user(&host.app_id, "newcomer@example.com", "Newcomer-passw0rd")
        .await
        .expect("a new user");
    admin
        .remove_user(&host.app_id, "leaver@example.com")
        .await
        .expect("a deleted user");
    admin
        .set_user_status(
            &host.app_id,
            &suspended_id,
            &cosync_client::UserStatus::Suspend,
        )
        .await
        .expect("a suspended user");
    let meta = json!({"profile": {"team": "Changed-e2e"}});
    admin
        .update_user_metadata(&host.app_id, &edited, meta.as_object().unwrap(), &[])
        .await
        .expect("changed metadata");
    let code = host
        .mailbox(invitee)
        .await
        .iter()
        .find(|item| item["kind"] == "invite")
        .map(|item| item["code"].clone())
        .expect("the host mailed an invitation code");
    let registered = host
        .end_user(
            "/api/appuser/register",
            json!({"handle": invitee, "password": md5_hex("Welcome-123"), "code": code}),
        )
        .await;
    assert!(registered.get("access-token").is_some(), "{registered}");

    click(&desktop, "button[title*='Ctrl+R']").await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "42 users synced"
        })
        .await;
    desktop
        .wait_for_text(".app-bar .sync-changes", |text| {
            text == "6 changes since the previous sync"
        })
        .await;

    click(&desktop, "[role='tab']#tab-changes").await;
    let rows = "table[aria-label='Changes'] tbody tr";
    let mut expected = vec![
        format!("Invitation accepted {invitee}"),
        format!("Metadata changed {edited}"),
        format!("Suspended {suspended}"),
        format!("User added {invitee}"),
        "User added newcomer@example.com".to_owned(),
        "User removed leaver@example.com".to_owned(),
    ];
    expected.sort();
    let kinds = format!("{rows} td:nth-child(1)");
    desktop
        .wait_for_texts(&kinds, |cells| cells.len() == 6)
        .await;
    let handles = desktop.texts(&format!("{rows} td:nth-child(2)")).await;
    let mut listed: Vec<String> = desktop
        .texts(&kinds)
        .await
        .into_iter()
        .zip(handles)
        .map(|(kind, handle)| format!("{kind} {handle}"))
        .collect();
    listed.sort();
    assert_eq!(listed, expected);
    let detail = desktop
        .wait_for_text(&format!("{rows}.metadata-changed td:nth-child(3)"), |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        detail.contains("profile.team") && detail.contains("Changed-e2e"),
        "{detail}"
    );
    let run = desktop
        .wait_for_text("ul[aria-label='Syncs'] li[aria-selected='true']", |t| {
            !t.is_empty()
        })
        .await;
    assert!(
        run.contains("1 suspended") && run.contains("2 user added"),
        "{run}"
    );

    // A user's row leads to that user alone in Users.
    click(
        &desktop,
        &format!("button[aria-label='Show {suspended} in Users']"),
    )
    .await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |cells| cells == [suspended.clone()])
        .await;
    // Their history: what the sync found, and what the host logged.
    click(
        &desktop,
        &format!("button[aria-label='Show metadata for {suspended}']"),
    )
    .await;
    // The dialog grows when the metadata arrives: aimed before, a click can land beside
    // the summary it was meant for.
    desktop
        .find(&format!(
            "[role='dialog'][aria-label='Metadata for {suspended}'] dl.fields"
        ))
        .await;
    click(&desktop, "[role='dialog'] details.history summary").await;
    let history = format!("ul[aria-label='History of {suspended}'] li");
    desktop
        .wait_for_texts(&history, |lines| {
            lines
                .iter()
                .any(|l| l.contains("Sync") && l.contains("a sync found: suspended"))
                && lines
                    .iter()
                    .any(|l| l.contains("Host log") && l.contains("updateUserStatus"))
        })
        .await;
    desktop.press(ESCAPE).await;
    desktop.type_into(SEARCH, "").await;
    let changed = desktop
        .client
        .find(fantoccini::Locator::XPath(
            "//label[normalize-space()='Changed since last sync']/input",
        ))
        .await
        .expect("the Users tab has the filter");
    changed.click().await.expect("the filter can be ticked");
    let mut want = vec![
        edited.clone(),
        suspended.clone(),
        invitee.to_owned(),
        "newcomer@example.com".to_owned(),
    ];
    want.sort();
    desktop
        .wait_for_texts(HANDLE_CELLS, |cells| {
            let mut cells = cells.to_vec();
            cells.sort();
            cells == want
        })
        .await;
    desktop.close().await;
}

/// The handles on screen, sorted.
async fn shown_handles(desktop: &Desktop, expected: &[String]) {
    let mut want = expected.to_vec();
    want.sort();
    desktop
        .wait_for_texts(HANDLE_CELLS, |cells| {
            let mut cells = cells.to_vec();
            cells.sort();
            cells == want
        })
        .await;
}

#[tokio::test]
async fn select_all_activates_then_deletes_every_matching_user_on_the_host() {
    let host = Host::start().await;
    let admin = host.admin();
    let chosen = active_users(&host, 3).await;
    for (_, id) in &chosen {
        admin
            .set_user_status(&host.app_id, id, &cosync_client::UserStatus::Suspend)
            .await
            .expect("suspended on the host");
    }
    let handles: Vec<String> = chosen.iter().map(|(h, _)| h.clone()).collect();
    let suspended_before = admin
        .users_page(&host.app_id, 0, 100, true)
        .await
        .expect("the users")
        .users
        .into_iter()
        .filter(|user| user.status != cosync_client::UserStatus::Active)
        .map(|user| user.handle)
        .collect::<Vec<_>>();

    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;
    desktop
        .find("select[aria-label='Status filter']")
        .await
        .select_by_value("suspended")
        .await
        .expect("the status filter has Suspended");
    shown_handles(&desktop, &suspended_before).await;

    click(&desktop, "input[type='checkbox'][aria-label='Select all']").await;
    let count = suspended_before.len().to_string();
    desktop
        .wait_for_text(".bulk-bar span", |text| text == format!("{count} selected"))
        .await;
    click(
        &desktop,
        ".bulk-bar button[title='Activate the selected users']",
    )
    .await;
    desktop
        .wait_for_text("[role='alertdialog'] h2", |text| {
            text == format!("Activate {count} users?")
        })
        .await;
    click(&desktop, "[role='alertdialog'] button.danger").await;
    desktop
        .wait_for_text("#report-title", |text| {
            text == format!("Activate: {count} of {count} done")
        })
        .await;
    for handle in &handles {
        assert_eq!(
            host.login(handle, SEEDED_PASSWORD).await,
            Ok(()),
            "{handle} is active again on the host"
        );
    }
    click_named(&desktop, "[role='dialog']", "Close").await;
    shown_handles(&desktop, &[]).await;

    // Now the three by search, all selected, deleted after confirming.
    desktop
        .find("select[aria-label='Status filter']")
        .await
        .select_by_value("")
        .await
        .expect("the status filter has Any status");
    desktop.type_into(SEARCH, &handles[0]).await;
    shown_handles(&desktop, &handles[..1]).await;
    click(&desktop, "input[type='checkbox'][aria-label='Select all']").await;
    desktop
        .wait_for_text(".bulk-bar span", |text| text == "1 selected")
        .await;
    click(
        &desktop,
        ".bulk-bar button[title='Delete the selected users']",
    )
    .await;
    desktop
        .wait_for_text("[role='alertdialog'] h2", |text| text == "Delete 1 users?")
        .await;
    click(&desktop, "[role='alertdialog'] button.danger").await;
    desktop
        .wait_for_text("#report-title", |text| text == "Delete: 1 of 1 done")
        .await;
    let gone = admin
        .find_user(&host.app_id, &handles[0])
        .await
        .expect("the host answers");
    assert!(gone.is_none(), "deleted on the host");
    for handle in &handles[1..] {
        assert!(
            admin
                .find_user(&host.app_id, handle)
                .await
                .expect("the host answers")
                .is_some(),
            "{handle} was not selected and stays"
        );
    }
    desktop.close().await;
}

#[tokio::test]
async fn a_user_added_with_metadata_has_it_on_the_host_and_one_audit_entry() {
    let host = Host::start().await;
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;
    let handle = "ada+meta@example.com";
    click(&desktop, ".toolbar button[title='Add a user to this app']").await;
    desktop
        .type_into("[role='dialog'] input[aria-label='Handle']", handle)
        .await;
    desktop
        .type_into(
            "[role='dialog'] input[aria-label='Password']",
            "Str0ng-enough!",
        )
        .await;
    desktop
        .type_into("[role='dialog'] input[aria-label='Name']", "Ada")
        .await;
    desktop
        .type_into("[role='dialog'] input[aria-label='Team']", "Falcons")
        .await;
    click(&desktop, "[role='dialog'] button.primary").await;
    show_only(&desktop, handle).await;
    let user = host
        .admin()
        .find_user(&host.app_id, handle)
        .await
        .expect("the host answers")
        .expect("the user was added");
    assert_eq!(user.meta_data["name"], "Ada");
    assert_eq!(user.meta_data["profile"]["team"], "Falcons");
    assert_eq!(host.login(handle, "Str0ng-enough!").await, Ok(()));

    let log = std::fs::read_to_string(desktop.data_dir.path().join("audit-log.jsonl"))
        .expect("the audit log");
    let entries: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON"))
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "the add and its metadata are one entry: {log}"
    );
    assert_eq!(entries[0]["action"], "add-user");
    assert_eq!(entries[0]["outcome"], "done");
    assert!(
        !log.contains("Str0ng-enough!"),
        "no password in the audit log"
    );
    desktop.close().await;
}

#[tokio::test]
async fn a_user_deleted_from_the_row_is_restored_with_metadata_and_logs_in_with_the_mailed_password()
 {
    let host = Host::start().await;
    let handle = some_active_handle(&host).await;
    let admin = host.admin();
    let meta = json!({"profile": {"team": "Herons", "city": "Bergen"}});
    admin
        .update_user_metadata(&host.app_id, &handle, meta.as_object().unwrap(), &[])
        .await
        .expect("metadata on the host");
    let desktop = Desktop::launch(&host.env()).await;
    show_only(&desktop, &handle).await;
    click(&desktop, &format!("button[aria-label='Delete {handle}']")).await;
    click(&desktop, "[role='alertdialog'] button.danger").await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows.is_empty())
        .await;
    assert!(
        admin
            .find_user(&host.app_id, &handle)
            .await
            .unwrap()
            .is_none(),
        "deleted on the host"
    );

    click_named(&desktop, "header.app-bar", "Deleted users").await;
    click(&desktop, &format!("button[aria-label='Restore {handle}']")).await;
    let warning = desktop
        .wait_for_text("[role='alertdialog'] p", |text| !text.is_empty())
        .await;
    assert!(warning.contains("old password"), "{warning}");
    click(&desktop, "[role='alertdialog'] button.danger").await;
    desktop
        .wait_for_text("[aria-labelledby='deleted-title'] p.notice", |text| {
            text.starts_with(&format!("Restored {handle}"))
        })
        .await;

    let user = admin
        .find_user(&host.app_id, &handle)
        .await
        .expect("the host answers")
        .expect("the user is back");
    assert_eq!(user.meta_data["profile"]["team"], "Herons");
    assert_eq!(user.meta_data["profile"]["city"], "Bergen");
    assert_eq!(user.status, cosync_client::UserStatus::Active);
    let mailed = host
        .mailbox(&handle)
        .await
        .iter()
        .rev()
        .find(|item| item["kind"] == "adminPasswordReset")
        .and_then(|item| item["password"].as_str().map(str::to_owned))
        .expect("the host mailed a new password");
    assert_eq!(
        host.login(&handle, &mailed).await,
        Ok(()),
        "the user logs in again"
    );
    assert_eq!(
        host.login(&handle, SEEDED_PASSWORD).await,
        Err(600),
        "the old password is gone"
    );
    desktop.press(ESCAPE).await;
    show_only(&desktop, &handle).await;
    desktop.close().await;
}

#[tokio::test]
async fn a_password_that_breaks_the_apps_rules_is_refused_as_it_is_typed() {
    let host = Host::start().await;
    let policy = json!({
        "passwordFilter": true,
        "passwordMinLength": 10,
        "passwordMinUpper": 1,
        "passwordMinDigit": 2,
        "passwordMinSpecial": 1,
    });
    host.running
        .set_app_fields(
            &host.app_id,
            policy.as_object().cloned().unwrap_or_default(),
        )
        .await
        .expect("the app's password rules are set");
    let desktop = Desktop::launch(&host.env()).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "40 users synced"
        })
        .await;
    let handle = "rules@example.com";
    click(&desktop, ".toolbar button[title='Add a user to this app']").await;
    desktop
        .type_into("[role='dialog'] input[aria-label='Handle']", handle)
        .await;
    let add = "[role='dialog'] button.primary";
    let password = "[role='dialog'] input[aria-label='Password']";
    for (typed, said) in [
        (
            "short",
            "Needs at least 10 characters, at least 1 upper-case letter, at least 2 digits, \
             at least 1 special character.",
        ),
        (
            "shortbutlong",
            "Needs at least 1 upper-case letter, at least 2 digits, at least 1 special character.",
        ),
        (
            "Shortbutlong1",
            "Needs at least 2 digits, at least 1 special character.",
        ),
        ("Shortbutlong12", "Needs at least 1 special character."),
    ] {
        desktop.type_into(password, typed).await;
        desktop
            .wait_for_text("[role='dialog'] p.error", |text| text == said)
            .await;
        assert!(
            !desktop.find(add).await.is_enabled().await.unwrap(),
            "{typed} cannot be sent"
        );
    }
    desktop.type_into(password, "Shortbutlong12!").await;
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while !desktop.find(add).await.is_enabled().await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "a password that meets every rule can be sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        desktop
            .client
            .find_all(fantoccini::Locator::Css("[role='dialog'] p.error"))
            .await
            .unwrap()
            .is_empty(),
        "nothing is said against it"
    );
    click(&desktop, add).await;
    show_only(&desktop, handle).await;
    assert_eq!(host.login(handle, "Shortbutlong12!").await, Ok(()));
    desktop.close().await;
}
