//! The Users table against a real emulator: the seeded total, search, sort, an app with
//! JWT disabled, and offline use (host stopped, then an app restart).

use cosync_client::{AppSetting, HostClient, HostConfig, ServerSecret};
use cosync_emulator::{Config, RunningHost, SeedOptions};
use fantoccini::Locator;
use gatehouse_e2e::Desktop;
use gatehouse_e2e::keys::{ARROW_DOWN, CONTROL, DELETE, ENTER, ESCAPE};

const USERS: u64 = 240;

async fn seeded_host() -> (RunningHost, String) {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    let mut shop = SeedOptions::new("Shop", USERS);
    shop.invites = 30;
    shop.signups = 30;
    shop.seed = 7;
    host.seed(shop).await.expect("seeding Shop");
    let legacy = host
        .seed(SeedOptions::new("Legacy", 5))
        .await
        .expect("seeding Legacy");
    let client = admin(&host);
    client
        .update_app_setting(&legacy.app_id, &AppSetting::JwtEnabled(false))
        .await
        .expect("JWT can be turned off for Legacy");
    let handle = client
        .users_page(&shop_id(&client).await, 0, 25, false)
        .await
        .expect("a page of Shop's users")
        .users
        .into_iter()
        .map(|user| user.handle)
        .find(|handle| handle.contains('@'))
        .expect("Shop has e-mail users");
    (host, handle)
}

/// A client of the emulator with its server secret, as the portal would be.
fn admin(host: &RunningHost) -> HostClient {
    HostClient::new(HostConfig::new(
        host.base_url(),
        ServerSecret::new(host.server_secret()),
    ))
    .expect("a client of the emulator")
}

/// Every record of one of the app's lists, as the host has it now.
async fn all_of<T: cosync_client::Listed>(client: &HostClient, app_id: &str) -> Vec<T> {
    client
        .fetch_all(app_id, |_| {}, &cosync_client::CancellationToken::new())
        .await
        .expect("the host's records")
}

/// Waits until the window shows every user of Shop: it has opened and read the app.
async fn shows_all_of_shop(desktop: &Desktop) {
    desktop
        .wait_for_text(COUNTS, |text| text == format!("{USERS} users"))
        .await;
}

async fn shop_id(client: &HostClient) -> String {
    let apps = client.all_apps().await.expect("the app list");
    apps.into_iter()
        .find(|app| app.name == "Shop")
        .map(|app| app.app_id)
        .expect("Shop exists")
}

fn scripted<'a>(host: &'a RunningHost, app: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("GATEHOUSE_HOST_URL", host.base_url()),
        ("GATEHOUSE_SERVER_SECRET", host.server_secret()),
        ("GATEHOUSE_APP", app),
    ]
}

const HANDLE_CELLS: &str =
    "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].handle";
const LOGIN_CELLS: &str =
    "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell']:nth-child(8)";
const COUNTS: &str = ".toolbar .counts";
const SEARCH: &str = "input[aria-label='Search users']";

#[tokio::test]
async fn the_users_table_shows_searches_sorts_and_survives_going_offline() {
    let (host, handle) = seeded_host().await;
    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;

    let counts = desktop
        .wait_for_text(COUNTS, |text| text == format!("{USERS} users"))
        .await;
    assert_eq!(
        counts,
        format!("{USERS} users"),
        "the table holds every seeded user after the first sync"
    );
    desktop.screenshot("users").await;

    // Search narrows the rows to the one user, case-insensitively.
    desktop.type_into(SEARCH, &handle.to_uppercase()).await;
    let rows = desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows.len() == 1 && !rows[0].is_empty())
        .await;
    assert_eq!(
        rows,
        vec![handle.clone()],
        "the search finds exactly the typed handle"
    );
    desktop.type_into(SEARCH, "").await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows.len() > 1)
        .await;

    // Ascending last login puts the users who never logged in first.
    let last_login = desktop
        .client
        .find(Locator::XPath(
            "//div[@role='columnheader']//button[contains(., 'Last login')]",
        ))
        .await
        .unwrap();
    last_login.click().await.unwrap();
    let descending = desktop
        .wait_for_texts(LOGIN_CELLS, |cells| {
            cells.first().is_some_and(|cell| cell != "never")
        })
        .await;
    assert!(
        descending.iter().all(|cell| cell != "never")
            || descending.last().is_some_and(|cell| cell == "never"),
        "descending by last login puts 'never' at the end: {descending:?}"
    );
    last_login.click().await.unwrap();
    let ascending = desktop
        .wait_for_texts(LOGIN_CELLS, |cells| {
            cells.first().is_some_and(|cell| cell == "never")
        })
        .await;
    assert_eq!(
        ascending[0], "never",
        "ascending by last login starts with users who never logged in"
    );

    // The host goes away: a sync reports it offline, and the cache still answers.
    host.shutdown().await;
    desktop
        .find("button[title*='Ctrl+R']")
        .await
        .click()
        .await
        .unwrap();
    let banner = desktop
        .wait_for_text(".offline[role='status']", |text| text.contains("Offline"))
        .await;
    assert!(
        banner.contains("Offline"),
        "the banner says the app is offline: {banner}"
    );
    let counts = desktop.wait_for_text(COUNTS, |text| !text.is_empty()).await;
    assert_eq!(counts, format!("{USERS} users"), "the cached rows stay");
    desktop.type_into(SEARCH, &handle).await;
    let rows = desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows.len() == 1 && !rows[0].is_empty())
        .await;
    assert_eq!(rows, vec![handle.clone()], "search works offline");
    desktop.screenshot("offline").await;

    // Hide a column: the layout is remembered across the restart below.
    desktop
        .find("details.columns summary")
        .await
        .click()
        .await
        .unwrap();
    let toggle = desktop
        .client
        .find(Locator::XPath(
            "//details[contains(@class,'columns')]//label[contains(., 'User name')]/input",
        ))
        .await
        .unwrap();
    toggle.click().await.unwrap();
    desktop
        .wait_for_texts("[role='columnheader'] button.sort", |headers| {
            !headers.iter().any(|h| h.starts_with("User name"))
        })
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // A restart with the host still gone opens on the cache.
    let data_dir = desktop.quit().await;
    let desktop = Desktop::launch_in(data_dir, &[("GATEHOUSE_APP", "Shop")]).await;
    let banner = desktop
        .wait_for_text(".offline[role='status']", |text| text.contains("Offline"))
        .await;
    assert!(banner.contains("Offline"));
    let counts = desktop.wait_for_text(COUNTS, |text| !text.is_empty()).await;
    assert_eq!(
        counts,
        format!("{USERS} users"),
        "the restart shows the cached users"
    );
    let headers = desktop.texts("[role='columnheader'] button.sort").await;
    assert!(
        headers.iter().any(|h| h.starts_with("Handle")),
        "headers: {headers:?}"
    );
    assert!(
        !headers.iter().any(|h| h.starts_with("User name")),
        "the hidden column stays hidden: {headers:?}"
    );
    desktop.close().await;
}

#[tokio::test]
async fn an_app_with_jwt_disabled_has_no_users_tab() {
    let (host, _) = seeded_host().await;
    let desktop = Desktop::launch(&scripted(&host, "Legacy")).await;
    let note = desktop
        .wait_for_text("[role='note']", |text| text.contains("JWT"))
        .await;
    assert!(note.contains("Legacy"), "the note names the app: {note}");
    let tabs = desktop
        .client
        .find_all(Locator::Css("[role='tab']"))
        .await
        .unwrap();
    assert!(
        tabs.is_empty(),
        "no JWT Users tabs for an app with JWT disabled"
    );

    // The other app of the same host does have them.
    let picker = desktop.find("select[aria-label='App']").await;
    picker.select_by_label("Shop").await.unwrap();
    let tabs = desktop
        .wait_for_texts("[role='tab']", |tabs| tabs.len() == 6)
        .await;
    assert!(tabs[3].starts_with("Changes"), "{tabs:?}");
    assert!(tabs[4].starts_with("Activity"), "{tabs:?}");
    assert!(
        tabs[0].starts_with("Users"),
        "the first sub-tab is Users: {tabs:?}"
    );
    desktop.close().await;
    host.shutdown().await;
}

/// The search box and filters are rebuilt with their tab; coming back, they show what
/// the table still applies rather than empty controls over filtered rows.
#[tokio::test]
async fn search_and_filters_are_still_shown_after_another_tab() {
    let (host, handle) = seeded_host().await;
    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    shows_all_of_shop(&desktop).await;

    desktop.type_into(SEARCH, &handle).await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows == [handle.clone()])
        .await;
    // The found user has an e-mail handle: showing only anonymous users empties the table.
    desktop
        .find("select[aria-label='Anonymous users']")
        .await
        .select_by_value("only")
        .await
        .expect("the anonymous filter offers only anonymous users");
    let filtered = format!("0 of {USERS} users");
    desktop.wait_for_text(COUNTS, |text| text == filtered).await;

    for tab in ["#tab-invitations", "#tab-users"] {
        desktop.find(tab).await.click().await.unwrap();
    }
    desktop.wait_for_text(COUNTS, |text| text == filtered).await;
    let shown = desktop
        .execute(
            "return [document.querySelector(arguments[0]).value, \
             document.querySelector(\"select[aria-label='Anonymous users']\").value];",
            vec![serde_json::json!(SEARCH)],
        )
        .await;
    assert_eq!(
        shown,
        serde_json::json!([handle, "only"]),
        "the controls show the search and filter the table still applies"
    );
    desktop.close().await;
}

#[tokio::test]
async fn an_app_that_is_not_active_says_so_and_is_not_synced() {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    let dormant = host
        .seed(SeedOptions::new("Dormant", 12))
        .await
        .expect("seeding Dormant");
    let client = admin(&host);
    client
        .update_app_setting(
            &dormant.app_id,
            &AppSetting::Status(cosync_client::AppStatus::Inactive),
        )
        .await
        .expect("the app can be made inactive");

    let desktop = Desktop::launch(&scripted(&host, "Dormant")).await;
    let note = desktop
        .wait_for_text("[role='note']", |text| text.contains("is inactive"))
        .await;
    assert!(
        note.contains("the host refuses to list or change its users"),
        "{note}"
    );
    let option = desktop
        .wait_for_text("select[aria-label='App'] option:checked", |text| {
            text == "Dormant (inactive)"
        })
        .await;
    assert_eq!(option, "Dormant (inactive)");
    let sync = desktop
        .client
        .find(Locator::XPath("//button[normalize-space()='Sync']"))
        .await
        .expect("the Sync button");
    assert!(
        sync.attr("disabled").await.ok().flatten().is_some(),
        "Sync is disabled with the reason in its tooltip"
    );
    let title = sync.attr("title").await.ok().flatten().unwrap_or_default();
    assert!(title.contains("not active"), "{title}");
    let page = desktop.client.source().await.unwrap_or_default();
    assert!(!page.contains("users synced"), "no sync was attempted");
    desktop.close().await;
}

#[tokio::test]
async fn invitations_beyond_a_screenful_are_all_reachable_by_scrolling() {
    let host = cosync_emulator::start(Config::in_memory())
        .await
        .expect("the emulator starts");
    let mut crowd = SeedOptions::new("Crowd", 400);
    crowd.invites = 700;
    crowd.seed = 3;
    let report = host.seed(crowd).await.expect("seeding Crowd");
    let client = admin(&host);
    let mut handles: Vec<String> = all_of::<cosync_client::Invite>(&client, &report.app_id)
        .await
        .into_iter()
        .map(|invite| invite.handle)
        .collect();
    handles.sort();
    let last = handles.last().cloned().expect("invitations were seeded");

    let desktop = Desktop::launch(&scripted(&host, "Crowd")).await;
    desktop
        .wait_for_text(".app-bar [title='Last sync']", |text| {
            text == "400 users synced"
        })
        .await;
    desktop
        .find("[role='tab']#tab-invitations")
        .await
        .click()
        .await
        .expect("the Invitations tab opens");
    desktop
        .wait_for_text("#tab-panel .toolbar .counts", |text| {
            text == "700 invitations"
        })
        .await;
    let cells = "table[aria-label='Invitations'] tbody tr td:first-child";
    let first = desktop
        .wait_for_texts(cells, |cells| !cells.is_empty())
        .await;
    assert!(
        first.len() < 200,
        "only the rows in view are drawn: {}",
        first.len()
    );
    assert!(!first.contains(&last), "the last row is not drawn at first");
    // To the bottom, as a user dragging the scroll bar would.
    desktop
        .execute(
            "const panel = document.querySelector('#tab-panel .list-panel'); \
             panel.scrollTop = panel.scrollHeight; \
             panel.dispatchEvent(new Event('scroll'));",
            vec![],
        )
        .await;
    desktop
        .wait_for_texts(cells, |cells| cells.last() == Some(&last))
        .await;
    desktop.close().await;
}

#[tokio::test]
async fn the_onboarding_cell_says_how_each_user_came_in() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let shop = shop_id(&client).await;
    let invites = all_of::<cosync_client::Invite>(&client, &shop).await;
    let signups = all_of::<cosync_client::Signup>(&client, &shop).await;
    let invited = invites
        .iter()
        .find(|i| i.status == cosync_client::InviteStatus::Verified)
        .map(|i| i.handle.clone())
        .expect("an accepted invitation");
    let signed_up = signups
        .iter()
        .find(|s| {
            s.status == cosync_client::SignupStatus::Verified
                && !s.is_admin_created()
                && invites.iter().all(|i| i.handle != s.handle)
        })
        .map(|s| s.handle.clone())
        .expect("a completed signup");
    let added = signups
        .iter()
        .find(|s| s.is_admin_created() && invites.iter().all(|i| i.handle != s.handle))
        .map(|s| s.handle.clone())
        .expect("a user an admin added");

    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    shows_all_of_shop(&desktop).await;
    let onboarding =
        "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].onboarding";
    for (handle, expected) in [
        (&invited, "invitation"),
        (&signed_up, "signup"),
        (&added, "added by admin"),
    ] {
        desktop.type_into(SEARCH, handle).await;
        // The search may also match longer handles that contain this one: read the
        // row whose handle it is.
        let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
        let shown = loop {
            let handles = desktop.texts(HANDLE_CELLS).await;
            let cells = desktop.texts(onboarding).await;
            let shown = handles
                .iter()
                .position(|h| h == handle)
                .and_then(|at| cells.get(at).cloned());
            if shown.as_deref() == Some(expected) || std::time::Instant::now() > deadline {
                break shown;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert_eq!(shown.as_deref(), Some(expected), "{handle}");
    }
    desktop.close().await;
}

#[tokio::test]
async fn an_export_of_a_filtered_view_holds_exactly_its_rows() {
    let (host, _) = seeded_host().await;
    let exports = tempfile::tempdir().unwrap();
    let target = exports.path().join("view.out");
    let target_text = target.display().to_string();
    let mut env = scripted(&host, "Shop").to_vec();
    env.push(("GATEHOUSE_EXPORT_PATH", &target_text));
    let desktop = Desktop::launch(&env).await;
    shows_all_of_shop(&desktop).await;
    // A search that keeps some rows and not others.
    desktop.type_into(SEARCH, "example.org").await;
    // The counts follow each typed letter: wait until they stop changing.
    let mut counts = desktop
        .wait_for_text(COUNTS, |text| text.contains(" of "))
        .await;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        let now = desktop.texts(COUNTS).await.join("");
        if now == counts {
            break;
        }
        counts = now;
    }
    let matching: usize = counts
        .split_whitespace()
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .expect("the counts say how many match");
    assert!(matching > 0 && matching < USERS as usize, "{counts}");

    for (button, parse) in [("CSV…", "csv"), ("JSON…", "json")] {
        let _ = std::fs::remove_file(&target);
        // Export's menu is a disclosure: opened, whatever state the last export left.
        desktop.find("details.export summary").await;
        desktop
            .execute(
                "document.querySelector('details.export').open = true",
                vec![],
            )
            .await;
        let choice = desktop
            .client
            .find(Locator::XPath(&format!(
                "//details[contains(@class,'export')]//button[normalize-space()='{button}']"
            )))
            .await
            .expect("the format's button");
        choice.click().await.expect("the format can be chosen");
        desktop
            .wait_for_text("details.export + [role='status']", |text| {
                text.starts_with(&format!("Exported {matching} users"))
            })
            .await;
        let bytes = std::fs::read(&target).expect("the export was written");
        let handles: Vec<String> = if parse == "csv" {
            let text = String::from_utf8(bytes).unwrap();
            let mut lines = text.lines();
            assert!(lines.next().unwrap().starts_with("handle,"), "a header");
            lines
                .map(|line| line.split(',').next().unwrap().trim_matches('"').to_owned())
                .collect()
        } else {
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
            rows.iter()
                .map(|row| row["handle"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            handles.len(),
            matching,
            "{parse}: exactly the rows of the view"
        );
        let distinct: std::collections::HashSet<&String> = handles.iter().collect();
        assert_eq!(distinct.len(), matching, "{parse}: each row once");
        let first_shown = desktop.texts(HANDLE_CELLS).await;
        assert_eq!(
            handles.first(),
            first_shown.first(),
            "{parse}: in the view's order"
        );
    }
    desktop.close().await;
}

/// The counts line for `matching` of `total` users, as the toolbar writes it.
fn counts_text(matching: usize, total: usize) -> String {
    if matching == total {
        format!("{total} users")
    } else {
        format!("{matching} of {total} users")
    }
}

#[tokio::test]
async fn every_filter_keeps_exactly_the_hosts_matching_users_and_sorts_follow_the_headers() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let users: Vec<cosync_client::User> = all_of(&client, &app).await;
    let invites: Vec<cosync_client::Invite> = all_of(&client, &app).await;
    let signups: Vec<cosync_client::Signup> = all_of(&client, &app).await;
    let total = users.len();
    let onboarding = |handle: &str| onboarding_of(handle, &invites, &signups);
    let count =
        |keep: &dyn Fn(&cosync_client::User) -> bool| users.iter().filter(|u| keep(u)).count();
    let expected = [
        (
            "Status filter",
            "suspended",
            count(&|u| u.status != cosync_client::UserStatus::Active),
        ),
        (
            "Status filter",
            "active",
            count(&|u| u.status == cosync_client::UserStatus::Active),
        ),
        (
            "Onboarding filter",
            "signup",
            count(&|u| onboarding(&u.handle) == "signup"),
        ),
        (
            "Onboarding filter",
            "invite",
            count(&|u| onboarding(&u.handle) == "invite"),
        ),
        (
            "Onboarding filter",
            "admin",
            count(&|u| onboarding(&u.handle) == "admin"),
        ),
        (
            "Onboarding filter",
            "other",
            count(&|u| onboarding(&u.handle) == "other"),
        ),
        (
            "Anonymous users",
            "only",
            count(&|u| u.handle.starts_with("ANON_")),
        ),
        (
            "Anonymous users",
            "exclude",
            count(&|u| !u.handle.starts_with("ANON_")),
        ),
    ];
    let resets = [
        ("Status filter", ""),
        ("Onboarding filter", ""),
        ("Anonymous users", "include"),
    ];

    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;
    for (filter, value, matching) in expected {
        assert!(matching > 0, "the seed has users for {filter} = {value}");
        let select = desktop
            .find(&format!("select[aria-label='{filter}']"))
            .await;
        select
            .select_by_value(value)
            .await
            .expect("the option exists");
        let shown = desktop
            .wait_for_text(COUNTS, |text| text == counts_text(matching, total))
            .await;
        assert_eq!(shown, counts_text(matching, total), "{filter} = {value}");
        let reset = resets.iter().find(|(name, _)| *name == filter).unwrap().1;
        select
            .select_by_value(reset)
            .await
            .expect("the reset option");
        desktop
            .wait_for_text(COUNTS, |text| text == counts_text(total, total))
            .await;
    }

    // Last login "Never" keeps the users who never logged in.
    toggle_dates(&desktop).await;
    let never = count(&|u| u.last_login.is_none());
    desktop
        .find("select[aria-label='Last login filter']")
        .await
        .select_by_value("never")
        .await
        .expect("Never is offered");
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(never, total))
        .await;
    let cells = desktop.texts(LOGIN_CELLS).await;
    assert!(cells.iter().all(|cell| cell == "never"), "{cells:?}");
    desktop
        .find("select[aria-label='Last login filter']")
        .await
        .select_by_value("any")
        .await
        .expect("Any time is offered");
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;

    // Date ranges, typed as a user types them into WebKit's date fields (en-US order,
    // the one it uses here); both ends are whole UTC days.
    let day = |text: &str| {
        time::Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .expect("a date")
        .midnight()
        .assume_utc()
    };
    let within = |at: Option<time::OffsetDateTime>, from: &str, to: &str| {
        at.is_some_and(|at| at >= day(from) && at < day(to) + time::Duration::days(1))
    };
    let created = count(&|u| within(u.created_at, "2024-07-01", "2024-12-31"));
    type_date(&desktop, "Created from", "07/01/2024").await;
    type_date(&desktop, "Created to", "12/31/2024").await;
    // The range applies when the field is left, as a date picker's change does.
    toggle_dates(&desktop).await;
    assert!(
        created > 0 && created < total,
        "the seed spreads creation dates"
    );
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(created, total))
        .await;
    toggle_dates(&desktop).await;
    clear_date(&desktop, "Created from").await;
    clear_date(&desktop, "Created to").await;
    toggle_dates(&desktop).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;

    toggle_dates(&desktop).await;
    let logged_in = count(&|u| within(u.last_login, "2025-01-01", "2025-06-30"));
    desktop
        .find("select[aria-label='Last login filter']")
        .await
        .select_by_value("range")
        .await
        .expect("Between is offered");
    type_date(&desktop, "Last login from", "01/01/2025").await;
    type_date(&desktop, "Last login to", "06/30/2025").await;
    toggle_dates(&desktop).await;
    assert!(
        logged_in > 0 && logged_in < total,
        "the seed spreads logins"
    );
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(logged_in, total))
        .await;
    toggle_dates(&desktop).await;
    desktop
        .find("select[aria-label='Last login filter']")
        .await
        .select_by_value("any")
        .await
        .expect("Any time is offered");
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;

    // The Handle header sorts ascending, then descending.
    let header = desktop
        .client
        .find(Locator::XPath(
            "//div[@role='columnheader']//button[contains(., 'Handle')]",
        ))
        .await
        .unwrap();
    header.click().await.unwrap();
    let mut by_handle: Vec<String> = users.iter().map(|u| u.handle.to_lowercase()).collect();
    by_handle.sort();
    let first = desktop
        .wait_for_texts(HANDLE_CELLS, |cells| {
            cells.first().map(|c| c.to_lowercase()) == by_handle.first().cloned()
        })
        .await;
    let lowered: Vec<String> = first.iter().map(|c| c.to_lowercase()).collect();
    assert!(
        lowered.windows(2).all(|w| w[0] <= w[1]),
        "ascending: {first:?}"
    );
    header.click().await.unwrap();
    let last = desktop
        .wait_for_texts(HANDLE_CELLS, |cells| {
            cells.first().map(|c| c.to_lowercase()) == by_handle.last().cloned()
        })
        .await;
    let lowered: Vec<String> = last.iter().map(|c| c.to_lowercase()).collect();
    assert!(
        lowered.windows(2).all(|w| w[0] >= w[1]),
        "descending: {last:?}"
    );
    desktop.close().await;
    host.shutdown().await;
}

/// Opens or closes the Dates filters (closing one leaves its fields: their change applies).
async fn toggle_dates(desktop: &Desktop) {
    desktop
        .find("details.dates summary")
        .await
        .click()
        .await
        .unwrap();
}

/// Types a date into the date field named `label`, as a user does: WebKit's field takes
/// the locale's order with its separators.
async fn type_date(desktop: &Desktop, label: &str, date: &str) {
    let input = desktop.find(&format!("input[aria-label='{label}']")).await;
    input.clear().await.expect("the date field clears");
    input
        .send_keys(date)
        .await
        .expect("the date field takes keys");
}

async fn clear_date(desktop: &Desktop, label: &str) {
    let input = desktop.find(&format!("input[aria-label='{label}']")).await;
    input.clear().await.expect("the date field clears");
}

async fn focused_label(desktop: &Desktop) -> Option<String> {
    desktop
        .client
        .active_element()
        .await
        .expect("something has the focus")
        .attr("aria-label")
        .await
        .ok()
        .flatten()
}

#[tokio::test]
async fn the_keyboard_finds_opens_and_asks_to_delete_a_user() {
    let (host, handle) = seeded_host().await;
    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    shows_all_of_shop(&desktop).await;

    // Ctrl+F puts the focus in the search box, whatever had it.
    desktop
        .find("[role='table'][aria-label='Users'] .tbody")
        .await
        .send_keys(&format!("{CONTROL}f"))
        .await
        .expect("the rows take keys");
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while focused_label(&desktop).await.as_deref() != Some("Search users") {
        assert!(
            std::time::Instant::now() < deadline,
            "Ctrl+F focuses the search"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop.press(&handle).await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows == [handle.clone()])
        .await;

    // Down arrow highlights the row, Enter shows its metadata, Esc closes it.
    let rows = desktop
        .find("[role='table'][aria-label='Users'] .tbody")
        .await;
    rows.send_keys(ARROW_DOWN).await.unwrap();
    desktop
        .wait_for_texts(
            "[role='table'][aria-label='Users'] .tbody [role='row'][aria-selected='true'] .handle",
            |cells| cells == [handle.clone()],
        )
        .await;
    rows.send_keys(ENTER).await.unwrap();
    desktop
        .wait_for_text(
            &format!("[role='dialog'][aria-label='Metadata for {handle}'] h2"),
            |t| t == format!("Metadata for {handle}"),
        )
        .await;
    desktop.press(ESCAPE).await;
    desktop
        .wait_for_texts("[role='dialog']", |dialogs| dialogs.is_empty())
        .await;

    // Delete asks first, naming the user; Esc leaves them.
    let rows = desktop
        .find("[role='table'][aria-label='Users'] .tbody")
        .await;
    rows.send_keys(DELETE).await.unwrap();
    let title = desktop
        .wait_for_text("[role='alertdialog'] h2", |t| !t.is_empty())
        .await;
    assert!(title.contains(&handle), "{title}");
    desktop.press(ESCAPE).await;
    desktop
        .wait_for_texts("[role='alertdialog']", |dialogs| dialogs.is_empty())
        .await;
    desktop
        .wait_for_texts(HANDLE_CELLS, |rows| rows == [handle.clone()])
        .await;
    desktop.close().await;
    host.shutdown().await;
}

#[tokio::test]
async fn the_suspended_users_finding_counts_them_and_shows_exactly_them() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let users: Vec<cosync_client::User> = all_of(&client, &app).await;
    let total = users.len();
    let suspended = users
        .iter()
        .filter(|u| u.status != cosync_client::UserStatus::Active)
        .count();
    let anonymous = users
        .iter()
        .filter(|u| u.handle.starts_with("ANON_"))
        .count();
    assert!(suspended > 0 && anonymous > 0, "the seed has both");

    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    let finding = |name: &str| {
        format!("//ul[@aria-label='Findings']/li[h3[starts-with(normalize-space(), '{name}')]]")
    };
    let count_of = |name: &str| format!("{}/h3/span[@class='count']", finding(name));
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    loop {
        let text = desktop
            .client
            .find(Locator::XPath(&count_of("Suspended users")))
            .await
            .expect("the Suspended users finding")
            .text()
            .await
            .unwrap_or_default();
        if text == suspended.to_string() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the count reads {suspended}, not {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop
        .client
        .find(Locator::XPath(&format!(
            "{}/button[normalize-space()='Show suspended users']",
            finding("Suspended users")
        )))
        .await
        .expect("Show suspended users")
        .click()
        .await
        .unwrap();
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(suspended, total))
        .await;
    let statuses = desktop
        .texts("[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell'].status")
        .await;
    assert!(
        !statuses.is_empty() && statuses.iter().all(|s| s == "suspended"),
        "{statuses:?}"
    );
    desktop.close().await;
    host.shutdown().await;
}

#[tokio::test]
async fn insights_thresholds_are_remembered_per_app_across_a_restart() {
    let (host, _) = seeded_host().await;
    let env = scripted(&host, "Shop");
    let desktop = Desktop::launch(&env).await;
    shows_all_of_shop(&desktop).await;
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    let field = "input[aria-label='Dormant after days']";
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while field_value(&desktop, field).await != "90" {
        assert!(
            std::time::Instant::now() < deadline,
            "the default is 90 days"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop.type_into(field, "7").await;
    // The value is taken when the field is left.
    desktop
        .find("input[aria-label='Never logged in after days']")
        .await
        .click()
        .await
        .unwrap();
    let settings = desktop.data_dir.path().join("ui-settings.json");
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while !std::fs::read_to_string(&settings)
        .unwrap_or_default()
        .contains("\"dormantDays\": 7")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the threshold is saved"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let data_dir = desktop.quit().await;
    let desktop = Desktop::launch_in(data_dir, &env).await;
    desktop.wait_for_text(COUNTS, |text| !text.is_empty()).await;
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while field_value(&desktop, field).await != "7" {
        assert!(std::time::Instant::now() < deadline, "7 days come back");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop.close().await;
    host.shutdown().await;
}

async fn field_value(desktop: &Desktop, css: &str) -> String {
    desktop
        .find(css)
        .await
        .prop("value")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Waits until a finding's count in the Insights tab reads `want`.
async fn wait_for_finding_count(desktop: &Desktop, name: &str, want: usize) {
    let count = format!(
        "//ul[@aria-label='Findings']/li[h3[starts-with(normalize-space(), '{name}')]]/h3/span[@class='count']"
    );
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    loop {
        let text = match desktop.client.find(Locator::XPath(&count)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text == counts_number(want) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name} reads {want}, not {text:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A count as the window writes it (thousands grouped).
fn counts_number(n: usize) -> String {
    counts_text(n, n).trim_end_matches(" users").to_owned()
}

async fn open_insights_and_show(desktop: &Desktop, show: &str) {
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    let button = format!("//ul[@aria-label='Findings']//button[normalize-space()='{show}']");
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    loop {
        let enabled = match desktop.client.find(Locator::XPath(&button)).await {
            Ok(element) => element.is_enabled().await.unwrap_or(false),
            Err(_) => false,
        };
        if enabled {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{show} is offered");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let element = desktop.client.find(Locator::XPath(&button)).await.unwrap();
    // The tab scrolls inside its panel; the button may be below the fold.
    desktop
        .client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
    element.click().await.unwrap();
}

#[tokio::test]
async fn every_finding_counts_exactly_the_hosts_records_and_shows_exactly_them() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    // Near duplicates the seed does not make: a +tag, Gmail dots, look-alike letters.
    // (The host itself refuses handles that differ only in case.)
    for handle in [
        "nina.kay@gmail.com",
        "ninakay+shop@gmail.com",
        "omar@example.net",
        "omar+news@example.net",
        // Cyrillic о and е in the second.
        "zoe.lane@example.net",
        "z\u{43e}\u{435}.lane@example.net",
    ] {
        client
            .add_user(&app, handle, "Passw0rd!long")
            .await
            .expect("a near-duplicate user is added");
    }
    // A fresh invitation is pending but not stale.
    client
        .create_invites(&app, &["fresh.guest@invitee.example"], None)
        .await
        .expect("a fresh invitation");
    // The team becomes required: users without one fail their next login.
    let mut fields = client.app(&app).await.expect("Shop").meta_data;
    for field in &mut fields {
        field.required = field.path == "profile.team";
    }
    client
        .update_app_metadata(&app, &fields)
        .await
        .expect("the team is required");

    let users: Vec<cosync_client::User> = all_of(&client, &app).await;
    let invites: Vec<cosync_client::Invite> = all_of(&client, &app).await;
    let signups: Vec<cosync_client::Signup> = all_of(&client, &app).await;
    let now = time::OffsetDateTime::now_utc();
    let older_than = |at: Option<time::OffsetDateTime>, age: time::Duration| {
        at.is_some_and(|at| at <= now - age)
    };
    let total = users.len();
    let mut by_key = std::collections::HashMap::<String, usize>::new();
    for user in &users {
        *by_key
            .entry(gatehouse_core::handle_key(&user.handle))
            .or_default() += 1;
    }
    let near = users
        .iter()
        .filter(|u| by_key[&gatehouse_core::handle_key(&u.handle)] > 1)
        .count();
    let missing_team = users
        .iter()
        .filter(|u| {
            u.meta_data
                .get("profile")
                .and_then(|p| p.get("team"))
                .is_none_or(|team| team.is_null() || team == "")
        })
        .count();
    let stale = invites
        .iter()
        .filter(|i| i.status == cosync_client::InviteStatus::Pending)
        .filter(|i| older_than(i.created_at, time::Duration::days(14)))
        .count();
    let expired = signups
        .iter()
        .filter(|s| s.status == cosync_client::SignupStatus::Pending)
        .filter(|s| older_than(s.created_at, time::Duration::hours(48)))
        .count();
    assert!(near >= 6, "the added pairs are near duplicates");
    assert!(
        stale > 0 && stale < invites.len(),
        "the seed's invitations are old, the fresh one is not"
    );
    assert!(expired > 0, "the seed's pending signups are old");
    assert!(
        missing_team > 0 && missing_team < total,
        "some users lack a team"
    );

    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    wait_for_finding_count(&desktop, "Near-duplicate handles", near).await;
    wait_for_finding_count(&desktop, "Missing required metadata", missing_team).await;
    wait_for_finding_count(&desktop, "Stale invitations", stale).await;
    wait_for_finding_count(&desktop, "Expired signups", expired).await;

    open_insights_and_show(&desktop, "Show near-duplicate handles").await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(near, total))
        .await;
    let shown = desktop.texts(HANDLE_CELLS).await;
    for handle in [
        "nina.kay@gmail.com",
        "ninakay+shop@gmail.com",
        "omar@example.net",
        "omar+news@example.net",
        "z\u{43e}\u{435}.lane@example.net",
    ] {
        assert!(shown.iter().any(|h| h == handle), "{handle} in {shown:?}");
    }
    // The finding is said, and can be cleared.
    desktop
        .find("button[aria-label='Clear finding']")
        .await
        .click()
        .await
        .unwrap();
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;

    open_insights_and_show(&desktop, "Show users missing required metadata").await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(missing_team, total))
        .await;

    open_insights_and_show(&desktop, "Show stale invitations").await;
    desktop
        .wait_for_text(COUNTS, |text| {
            text == format!("{stale} of {} invitations", invites.len())
        })
        .await;
    assert_eq!(
        desktop
            .find("select[aria-label='Invitation status']")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("pending")
    );
    open_insights_and_show(&desktop, "Show expired signups").await;
    desktop
        .wait_for_text(COUNTS, |text| {
            text == format!("{expired} of {} signups", signups.len())
        })
        .await;
    desktop.close().await;
    host.shutdown().await;
}

#[tokio::test]
async fn a_charts_numbers_are_the_hosts_and_a_bar_shows_its_users() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let users: Vec<cosync_client::User> = all_of(&client, &app).await;
    let total = users.len();
    let suspended = users
        .iter()
        .filter(|u| u.status != cosync_client::UserStatus::Active)
        .count();
    let never = users.iter().filter(|u| u.last_login.is_none()).count();

    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(total, total))
        .await;
    desktop
        .find("[role='tab']#tab-insights")
        .await
        .click()
        .await
        .unwrap();
    let bar =
        |chart: &str, name: &str| format!("svg[aria-label='{chart}'] rect[aria-label='{name}']");
    let active_bar = bar(
        "Active and suspended",
        &format!("Active and suspended, active, users: {}", total - suspended),
    );
    let suspended_bar = bar(
        "Active and suspended",
        &format!("Active and suspended, suspended, users: {suspended}"),
    );
    let never_bar = bar(
        "Users by last login",
        &format!("Users by last login, never, users: {never}"),
    );
    for css in [&active_bar, &suspended_bar, &never_bar] {
        desktop.find(css).await;
    }
    // The table beside the chart says the same numbers.
    let table = desktop
        .find("table[aria-label='Active and suspended (numbers)']")
        .await
        .html(false)
        .await
        .unwrap();
    assert!(table.contains(&suspended.to_string()), "{table}");

    // A bar is a button: focused and Enter, as from the keyboard.
    let bar_element = desktop.find(&suspended_bar).await;
    desktop
        .client
        .execute(
            "arguments[0].focus();",
            vec![serde_json::to_value(&bar_element).unwrap()],
        )
        .await
        .unwrap();
    desktop.press(ENTER).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(suspended, total))
        .await;
    desktop.close().await;
    host.shutdown().await;
}

#[tokio::test]
async fn a_recent_copy_opens_without_a_sync_and_the_sync_policy_is_remembered() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let env = scripted(&host, "Shop");
    let desktop = Desktop::launch(&env).await;
    shows_all_of_shop(&desktop).await;
    desktop
        .wait_for_text("[aria-label='Last sync']", |text| text == "synced just now")
        .await;

    // The host gains a user while the window is closed.
    let data_dir = desktop.quit().await;
    client
        .add_user(&app, "late.comer@example.com", "Passw0rd!long")
        .await
        .expect("a user is added");
    let desktop = Desktop::launch_in(data_dir, &env).await;
    shows_all_of_shop(&desktop).await;
    // The copy is seconds old: the default policy (older than 10 minutes) keeps it.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        desktop.find(COUNTS).await.text().await.unwrap(),
        format!("{USERS} users"),
        "no sync at start"
    );
    assert_eq!(
        desktop
            .find("select[aria-label='Sync policy']")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("older")
    );
    assert_eq!(
        desktop
            .find("input[aria-label='Sync minutes']")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("10")
    );
    desktop
        .client
        .find(Locator::XPath("//button[normalize-space()='Sync']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    desktop
        .wait_for_text(COUNTS, |text| text == format!("{} users", USERS + 1))
        .await;

    // Sync manually: remembered for this app, and shown at the next start.
    desktop
        .find("select[aria-label='Sync policy']")
        .await
        .select_by_value("manual")
        .await
        .unwrap();
    let settings = desktop.data_dir.path().join("ui-settings.json");
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    while !std::fs::read_to_string(&settings)
        .unwrap_or_default()
        .contains("\"when\": \"manually\"")
    {
        assert!(std::time::Instant::now() < deadline, "the policy is saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let data_dir = desktop.quit().await;
    let desktop = Desktop::launch_in(data_dir, &env).await;
    desktop
        .wait_for_text(COUNTS, |text| text == format!("{} users", USERS + 1))
        .await;
    let deadline = std::time::Instant::now() + gatehouse_e2e::PATIENCE;
    loop {
        let value = desktop
            .find("select[aria-label='Sync policy']")
            .await
            .prop("value")
            .await
            .unwrap_or_default();
        if value.as_deref() == Some("manual") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the policy comes back: {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        desktop
            .client
            .find_all(Locator::Css("input[aria-label='Sync minutes']"))
            .await
            .unwrap()
            .is_empty(),
        "manual syncs count no minutes"
    );
    desktop.close().await;
    host.shutdown().await;
}

/// How the user of `handle` came in, by the spec's rule over the host's records:
/// `invite`, `admin`, `signup` or `other`.
fn onboarding_of(
    handle: &str,
    invites: &[cosync_client::Invite],
    signups: &[cosync_client::Signup],
) -> &'static str {
    if invites
        .iter()
        .any(|i| i.handle == handle && i.status == cosync_client::InviteStatus::Verified)
    {
        return "invite";
    }
    match signups.iter().find(|s| s.handle == handle).map(|s| s.code) {
        Some(Some(0)) => "admin",
        Some(_) => "signup",
        None => "other",
    }
}

/// A user's cell text in `column`, as the window writes it.
fn cell_text(user: &cosync_client::User, column: &str, onboarding: &str) -> String {
    let when = |at: Option<time::OffsetDateTime>| {
        at.map(|at| {
            at.to_offset(time::UtcOffset::UTC)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]"
                ))
                .unwrap_or_default()
        })
    };
    match column {
        "Handle" => user.handle.clone(),
        "User name" => user.user_name.clone().unwrap_or_default(),
        "Status" => if user.status == cosync_client::UserStatus::Active {
            "active"
        } else {
            "suspended"
        }
        .to_owned(),
        "Onboarding" => match onboarding {
            "invite" => "invitation",
            "admin" => "added by admin",
            other => other,
        }
        .to_owned(),
        "Created" => when(user.created_at).unwrap_or_default(),
        "Last login" => when(user.last_login).unwrap_or_else(|| "never".to_owned()),
        _ => {
            let provider = user.login_provider.clone().unwrap_or_default();
            if provider.is_empty() {
                "email".to_owned()
            } else {
                provider
            }
        }
    }
}

#[tokio::test]
async fn every_column_sorts_as_the_hosts_data_says_both_ways() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let users: Vec<cosync_client::User> = all_of(&client, &app).await;
    let invites: Vec<cosync_client::Invite> = all_of(&client, &app).await;
    let signups: Vec<cosync_client::Signup> = all_of(&client, &app).await;
    let onboarding = |handle: &str| onboarding_of(handle, &invites, &signups);
    // The order the app keeps: the column (lower-cased text, active before suspended,
    // onboarding by name, times with "never" first), then the id.
    let key = |user: &cosync_client::User, column: &str| -> String {
        let time = |at: Option<time::OffsetDateTime>| {
            at.map_or(String::new(), |at| {
                format!(
                    "{:020}",
                    (at.unix_timestamp_nanos() / 1_000_000) as i64 + 1_000_000_000_000_000
                )
            })
        };
        match column {
            "Handle" => user.handle.to_lowercase(),
            "User name" => user.user_name.clone().unwrap_or_default().to_lowercase(),
            "Status" => (user.status != cosync_client::UserStatus::Active).to_string(),
            "Onboarding" => onboarding(&user.handle).to_owned(),
            "Created" => time(user.created_at),
            "Last login" => time(user.last_login),
            _ => user
                .login_provider
                .clone()
                .unwrap_or_default()
                .to_lowercase(),
        }
    };
    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    desktop
        .wait_for_text(COUNTS, |text| text == counts_text(users.len(), users.len()))
        .await;
    let headers = desktop.texts("[role='columnheader']").await;
    for column in [
        "Handle",
        "User name",
        "Status",
        "Onboarding",
        "Created",
        "Last login",
        "Login provider",
    ] {
        let position = headers
            .iter()
            .position(|h| h.starts_with(column))
            .unwrap_or_else(|| panic!("a {column} header in {headers:?}"));
        let cells = format!(
            "[role='table'][aria-label='Users'] .tbody [role='row'] [role='cell']:nth-child({})",
            position + 1
        );
        let mut ordered: Vec<&cosync_client::User> = users.iter().collect();
        ordered.sort_by(|a, b| key(a, column).cmp(&key(b, column)).then(a.id.cmp(&b.id)));
        let header = desktop
            .client
            .find(Locator::XPath(&format!(
                "//div[@role='columnheader']//button[starts-with(normalize-space(.), '{column}')]"
            )))
            .await
            .unwrap_or_else(|_| panic!("the {column} header's button"));
        // A header's first click sorts ascending, a date's newest first; the second
        // click reverses it.
        let first = matches!(column, "Created" | "Last login");
        for descending in [first, !first] {
            header.click().await.unwrap();
            let expected: Vec<String> = if descending {
                ordered
                    .iter()
                    .rev()
                    .map(|u| cell_text(u, column, onboarding(&u.handle)))
                    .collect()
            } else {
                ordered
                    .iter()
                    .map(|u| cell_text(u, column, onboarding(&u.handle)))
                    .collect()
            };
            let shown = desktop
                .wait_for_texts(&cells, |cells| {
                    !cells.is_empty() && expected.starts_with(cells)
                })
                .await;
            assert!(shown.len() >= 10, "{column}: a screenful is compared");
        }
    }
    desktop.close().await;
    host.shutdown().await;
}

#[tokio::test]
async fn sync_every_minute_fetches_what_changed_on_the_host_without_asking() {
    let (host, _) = seeded_host().await;
    let client = admin(&host);
    let app = shop_id(&client).await;
    let desktop = Desktop::launch(&scripted(&host, "Shop")).await;
    shows_all_of_shop(&desktop).await;
    desktop
        .find("select[aria-label='Sync policy']")
        .await
        .select_by_value("every")
        .await
        .expect("Sync every is offered");
    let minutes = desktop.find("input[aria-label='Sync minutes']").await;
    minutes.clear().await.expect("the minutes clear");
    minutes.send_keys("1").await.expect("the minutes take keys");
    // Taken when the field is left.
    desktop.find(SEARCH).await.click().await.unwrap();
    client
        .add_user(&app, "every.minute@example.com", "Passw0rd!long")
        .await
        .expect("a user is added on the host");
    // No click on Sync: the timer's first round, a minute after the policy was set.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let text = desktop.find(COUNTS).await.text().await.unwrap_or_default();
        if text == format!("{} users", USERS + 1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the open app synced by itself within 90 s: {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    desktop.close().await;
    host.shutdown().await;
}
