//! Gatehouse's user interface. Views are declarative; formatting and validation live in
//! plain functions tested natively; the backend is reached only through [`ipc`].

mod about;
mod activity;
mod audit;
mod bar;
mod changes;
mod charts;
mod contrast;
mod dialogs;
mod format;
mod hosts;
mod insights;
pub mod ipc;
mod lists;
mod metadata;
mod recycle;
mod row;
mod selection;
mod session;
mod shortcuts;
mod tabs;
mod toolbar;
mod users;
mod viewport;

use gatehouse_types::AppRef;
use gatehouse_types::{LoadStartup, QueryCacheStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use session::{SessionCtx, SyncState};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// While offline, the host is asked again this often; it comes back by itself.
const OFFLINE_PROBE: Duration = Duration::from_secs(30);
/// How often the window asks whether another process changed the open app's cache.
const OTHER_WRITERS_CHECK: Duration = Duration::from_secs(3);

#[component]
pub fn App() -> impl IntoView {
    let session = SessionCtx::new();
    provide_context(session);
    provide_context(users::UsersCtx::new());
    provide_context(selection::SelectionCtx::new());
    let dialogs = dialogs::DialogCtx(RwSignal::new(None));
    provide_context(dialogs);
    let loaded = RwSignal::new(false);

    spawn_local(async move {
        match ipc::call(LoadStartup {}).await {
            Ok(startup) => {
                session.notices.set(startup.notices);
                session.hosts.set(startup.hosts);
                if let Some(host_id) = startup.host_id {
                    session.open_host(
                        host_id,
                        startup.app_hint.or(startup.app_id),
                        startup.remembered_apps,
                    );
                }
            }
            Err(error) => session.error.set(Some(error.message)),
        }
        loaded.set(true);
    });

    keyboard_shortcuts(
        session,
        dialogs,
        expect_context::<selection::SelectionCtx>(),
    );
    offline_probe(session);
    follow_other_writers(session);
    follow_cache(session);

    view! {
        <bar::Bar />
        <main>
            <Show when=move || loaded.get() fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    if session.hosts.with(Vec::is_empty) {
                        view! { <hosts::Welcome /> }.into_any()
                    } else {
                        view! { <tabs::AppView /> }.into_any()
                    }
                }}
            </Show>
            {move || session.host_form.get().map(|editing| view! { <hosts::HostForm editing /> })}
            <dialogs::Dialogs />
        </main>
        <footer>
            <about::About />
        </footer>
    }
}

/// Ctrl/Cmd+F focuses the shown tab's search, Ctrl/Cmd+R syncs, `?` or F1 shows the
/// shortcuts sheet, Esc closes a dialog or the host form.
fn keyboard_shortcuts(
    session: SessionCtx,
    dialogs: dialogs::DialogCtx,
    selection: selection::SelectionCtx,
) {
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        let command = event.ctrl_key() || event.meta_key();
        match event.key().as_str() {
            "f" | "F" if command => {
                let search = document()
                    .query_selector("#tab-panel input[type='search']")
                    .ok()
                    .flatten()
                    .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(input) = search {
                    event.prevent_default();
                    let _ = input.focus();
                    input.select();
                }
            }
            "r" | "R" if command => {
                event.prevent_default();
                if session.offline.get_untracked().is_none() {
                    session.sync();
                }
            }
            key if shortcuts::opens_sheet(key, in_text_field(&event)) && !command => {
                event.prevent_default();
                dialogs.open(dialogs::Dialog::Shortcuts);
            }
            "Escape" if dialogs.0.get_untracked().is_some() => dialogs.close(),
            "Escape" if session.host_form.get_untracked().is_some() => session.host_form.set(None),
            "Escape" if selection.pending.get_untracked().is_some() => selection.pending.set(None),
            "Escape" if selection.report.get_untracked().is_some() => selection.report.set(None),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the key was pressed in a field that takes text, where `?` is typed.
fn in_text_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.get_attribute("contenteditable").is_some()
        })
}

/// While offline, asks the host again every 30 seconds; once it answers, syncs.
fn offline_probe(session: SessionCtx) {
    spawn_local(async move {
        loop {
            bar::sleep(OFFLINE_PROBE).await;
            if session.offline.get_untracked().is_none()
                || session.sync.get_untracked() == SyncState::Running
            {
                continue;
            }
            let Some(host_id) = session.host_id.get_untracked() else {
                continue;
            };
            // A host whose app list never came is opened afresh once it answers.
            if matches!(
                session.app_list.get_untracked(),
                session::AppList::Failed(_)
            ) {
                if ipc::call(gatehouse_types::ListApps {
                    host_id: host_id.clone(),
                })
                .await
                .is_ok_and(|answer| answer.offline.is_none())
                {
                    session.offline.set(None);
                    session.open_host(host_id, None, Vec::new());
                }
                continue;
            }
            if let Ok(answer) = ipc::call(gatehouse_types::ListApps { host_id }).await
                && answer.offline.is_none()
            {
                session.offline.set(None);
                session.apps.set(answer.apps);
                session.sync();
            }
        }
    });
}

/// Every few seconds, asks whether another process (the CLI, another window) changed
/// the open app's cache; when it did, the views read it again.
fn follow_other_writers(session: SessionCtx) {
    spawn_local(async move {
        loop {
            bar::sleep(OTHER_WRITERS_CHECK).await;
            let Some(app) = session.opened_untracked() else {
                continue;
            };
            if session.sync.get_untracked() == SyncState::Running {
                continue;
            }
            let known = session
                .cache
                .with_untracked(|cache| cache.as_ref().map(|cache| cache.writes));
            if let Ok(answer) = ipc::call(gatehouse_types::QueryCacheWrites { app }).await {
                if !answer.notices.is_empty() {
                    session.notices.update(|shown| shown.extend(answer.notices));
                }
                if known.is_some_and(|known| known != answer.writes) {
                    session.refresh();
                }
            }
        }
    });
}

/// Keeps `session.cache` on the open app: its counts head the sub-tabs, and its sync
/// time is the age the offline banner gives.
fn follow_cache(session: SessionCtx) {
    Effect::new(move |previous: Option<(Option<String>, Option<String>)>| {
        session.data_version.track();
        let open = (session.host_id.get(), session.app_id.get());
        // Another app's figures must not show while this one's are asked for.
        if previous.as_ref() != Some(&open) {
            session.cache.set(None);
        }
        let (Some(host_id), Some(app_id)) = open.clone() else {
            return open;
        };
        let app = AppRef { host_id, app_id };
        spawn_local(async move {
            let asked = (app.host_id.clone(), app.app_id.clone());
            if let Ok(mut answer) = ipc::call(QueryCacheStatus { app }).await
                // A later app may be open by now: its own answer is on the way.
                && session.host_id.get_untracked().as_ref() == Some(&asked.0)
                && session.app_id.get_untracked().as_ref() == Some(&asked.1)
            {
                let notices = std::mem::take(&mut answer.notices);
                if !notices.is_empty() {
                    session.notices.update(|shown| shown.extend(notices));
                }
                session.cache.set(Some(answer));
            }
        });
        open
    });
}

/// Puts a last message on screen after a panic, when the reactive UI can no longer run.
pub fn show_fatal(message: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_class_name("fatal");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "Gatehouse hit an internal error and must be restarted: {message}"
    )));
    let _ = body.prepend_with_node_1(&banner);
}
