//! The open app: its JWT Users tab with the Users, Invitations and Signups sub-tabs, or
//! the one line that says why there is none.

use crate::activity::ActivityTab;
use crate::changes::ChangesTab;
use crate::format;
use crate::insights::{InsightsTab, Target};
use crate::lists::{InvitationsTab, ListsCtx, SignupsTab};
use crate::session::{AppList, SessionCtx};
use crate::users::{UsersCtx, UsersTab};
use gatehouse_types::{ApiError, ErrorCode};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Users,
    Invitations,
    Signups,
    Changes,
    Activity,
    Insights,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Users => "Users",
            Tab::Invitations => "Invitations",
            Tab::Signups => "Signups",
            Tab::Changes => "Changes",
            Tab::Activity => "Activity",
            Tab::Insights => "Insights",
        }
    }
}

/// What the app area shows. A refresh of the app list that changes none of it (the
/// host's answer after the app opened from its cache) must not rebuild the table.
#[derive(Clone, PartialEq)]
enum Shown {
    ChooseApp,
    Loading,
    NoApps,
    AppsFailed(ApiError),
    NoJwt(String),
    JwtUsers(String),
}

#[component]
pub fn AppView() -> impl IntoView {
    let session = SessionCtx::expect();
    let shown = Memo::new(move |_| match session.app() {
        None if session.host_id.get().is_some() && !session.apps.with(Vec::is_empty) => {
            Shown::ChooseApp
        }
        None => match session.app_list.get() {
            AppList::Failed(error) if session.apps.with(Vec::is_empty) => Shown::AppsFailed(error),
            AppList::Answered if session.apps.with(Vec::is_empty) => Shown::NoApps,
            _ => Shown::Loading,
        },
        Some(app) if !app.jwt_enabled => Shown::NoJwt(app.name),
        Some(app) => Shown::JwtUsers(app.app_id),
    });
    view! {
        {move || match shown.get() {
            Shown::ChooseApp => {
                view! { <p class="muted">"Choose an app in the App list above."</p> }.into_any()
            }
            Shown::Loading => view! { <p class="muted">"Loading the host's apps…"</p> }.into_any(),
            Shown::NoApps => view! {
                <p class="notice" role="status">
                    "This host has no apps yet"
                </p>
                <p class="muted">"Create an app on the host (in the Cosync portal), then choose Retry."</p>
                <button on:click=move |_| retry(session)>"Retry"</button>
            }.into_any(),
            Shown::AppsFailed(error) => view! { <AppsFailed error /> }.into_any(),
            Shown::NoJwt(name) => view! {
                <p class="notice" role="note">
                    {format!("{name} does not use JWT users (JWT is disabled in its settings), so it has no JWT Users tab.")}
                </p>
            }.into_any(),
            Shown::JwtUsers(_) => view! { <NotActive /> <JwtUsers /> }.into_any(),
        }}
    }
}

/// Why an app that is not active cannot be synced or changed (the host refuses every
/// list and change of an app whose status is not `active`).
#[component]
fn NotActive() -> impl IntoView {
    let session = SessionCtx::expect();
    move || {
        let app = session.app().filter(|app| app.status != "active")?;
        let why = match app.status.as_str() {
            "migrated" => "has been migrated to another host",
            "inactive" => "is inactive (suspended by the host's operator)",
            _ => "is not active",
        };
        Some(view! {
            <p class="notice" role="note">
                {format!(
                    "{} {why}: the host refuses to list or change its users until it is active \
                     again, so Sync and the actions that need the host are unavailable. The \
                     offline copy is shown.",
                    app.name
                )}
            </p>
        })
    }
}

/// Asks the open host for its apps again.
fn retry(session: SessionCtx) {
    if let Some(host_id) = session.host_id.get_untracked() {
        session.open_host(host_id, None, Vec::new());
    }
}

/// The app list could not be had: why, in words, with the technical cause behind
/// `Details`, and what the user can do.
#[component]
fn AppsFailed(error: ApiError) -> impl IntoView {
    let session = SessionCtx::expect();
    let url = session
        .host()
        .map(|host| host.url)
        .unwrap_or_else(|| "its address".to_owned());
    let said = if error.code == ErrorCode::HostUnreachable {
        format!(
            "The host at {url} cannot be reached. It may not be running, the port in its URL may \
             be wrong, or this computer may have no network. Gatehouse tries again every 30 \
             seconds."
        )
    } else {
        format!(
            "The apps of the host at {url} could not be loaded: {}",
            error.message
        )
    };
    let detail = error
        .detail
        .clone()
        .unwrap_or_else(|| error.message.clone());
    view! {
        <section class="first-contact" role="alert" aria-label="The host's apps could not be loaded">
            <p>{said}</p>
            <details>
                <summary>"Details"</summary>
                <p class="muted">{detail}</p>
            </details>
            <div class="actions">
                <button on:click=move |_| retry(session)>"Retry"</button>
                <button on:click=move |_| session.host_form.set(Some(session.host_id.get_untracked()))>"Edit host"</button>
            </div>
        </section>
    }
}

#[component]
fn JwtUsers() -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    let tab = RwSignal::new(Tab::Users);
    // A user's row in Changes opens the Users tab searched for that handle alone.
    let on_show_user = Callback::new(move |handle: String| {
        users.filter.update(|filter| {
            *filter = gatehouse_types::UserFilter {
                text: handle,
                ..Default::default()
            }
        });
        tab.set(Tab::Users);
    });
    let lists = ListsCtx::provide();
    // A finding's `Show` opens the tab of its records filtered to exactly them.
    let on_show = Callback::new(move |target: Target| match target {
        Target::Users(filter) => {
            users.filter.set(filter);
            tab.set(Tab::Users);
        }
        Target::Invitations { before } => {
            lists.invites.show("pending", before);
            tab.set(Tab::Invitations);
        }
        Target::Signups { before } => {
            lists.signups.show("pending", before);
            tab.set(Tab::Signups);
        }
    });
    let count = move |which: Tab| {
        let counts = session.cache.get();
        match which {
            Tab::Users => users
                .counts
                .get()
                .map(|(_, total)| total)
                .or(counts.map(|c| c.users)),
            Tab::Invitations => counts.map(|c| c.invites),
            Tab::Signups => counts.map(|c| c.signups),
            Tab::Changes | Tab::Activity | Tab::Insights => None,
        }
    };
    let tab_button = move |which: Tab| {
        view! {
            <button
                role="tab"
                id=format!("tab-{}", which.name().to_lowercase())
                aria-selected=move || (tab.get() == which).to_string()
                aria-controls="tab-panel"
                class:selected=move || tab.get() == which
                aria-describedby=format!("count-{}", which.name().to_lowercase())
                on:click=move |_| tab.set(which)
            >
                {which.name()}
                // Out of the tab's name, so that it is exactly "Users"; read as its
                // description instead.
                <span class="count" id=format!("count-{}", which.name().to_lowercase()) aria-hidden="true">
                    {move || count(which).map(format::count).unwrap_or_default()}
                </span>
            </button>
        }
    };
    view! {
        <div role="tablist" aria-label="JWT users" class="tabs">
            {tab_button(Tab::Users)}
            {tab_button(Tab::Invitations)}
            {tab_button(Tab::Signups)}
            {tab_button(Tab::Changes)}
            {tab_button(Tab::Activity)}
            {tab_button(Tab::Insights)}
        </div>
        <section id="tab-panel" role="tabpanel" class="panel">
            {move || match tab.get() {
                Tab::Users => view! { <UsersTab /> }.into_any(),
                Tab::Invitations => view! { <InvitationsTab /> }.into_any(),
                Tab::Signups => view! { <SignupsTab /> }.into_any(),
                Tab::Changes => view! { <ChangesTab on_show_user /> }.into_any(),
                Tab::Activity => view! { <ActivityTab /> }.into_any(),
                Tab::Insights => view! { <InsightsTab on_show /> }.into_any(),
            }}
        </section>
    }
}
