//! The open app: its JWT Users tab with the Users, Invitations and Signups sub-tabs, or
//! the one line that says why there is none.

use crate::format;
use crate::lists::{InvitationsTab, SignupsTab};
use crate::session::SessionCtx;
use crate::users::{UsersCtx, UsersTab};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Users,
    Invitations,
    Signups,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Users => "Users",
            Tab::Invitations => "Invitations",
            Tab::Signups => "Signups",
        }
    }
}

/// What the app area shows. A refresh of the app list that changes none of it (the
/// host's answer after the app opened from its cache) must not rebuild the table.
#[derive(Clone, PartialEq)]
enum Shown {
    ChooseApp,
    Loading,
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
        None => Shown::Loading,
        Some(app) if !app.jwt_enabled => Shown::NoJwt(app.name),
        Some(app) => Shown::JwtUsers(app.app_id),
    });
    view! {
        {move || match shown.get() {
            Shown::ChooseApp => {
                view! { <p class="muted">"Choose an app in the App list above."</p> }.into_any()
            }
            Shown::Loading => view! { <p class="muted">"Loading the host's apps…"</p> }.into_any(),
            Shown::NoJwt(name) => view! {
                <p class="notice" role="note">
                    {format!("{name} does not use JWT users (JWT is disabled in its settings), so it has no JWT Users tab.")}
                </p>
            }.into_any(),
            Shown::JwtUsers(_) => view! { <JwtUsers /> }.into_any(),
        }}
    }
}

#[component]
fn JwtUsers() -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    let tab = RwSignal::new(Tab::Users);
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
        </div>
        <section id="tab-panel" role="tabpanel" class="panel">
            {move || match tab.get() {
                Tab::Users => view! { <UsersTab /> }.into_any(),
                Tab::Invitations => view! { <InvitationsTab /> }.into_any(),
                Tab::Signups => view! { <SignupsTab /> }.into_any(),
            }}
        </section>
    }
}
