//! The top bar: host and app pickers, sync with its progress, and the offline banner.

use crate::format;
use crate::ipc;
use crate::session::{SessionCtx, SyncState};
use gatehouse_types::{CancelSync, Progress, QuerySyncProgress, SyncChanges, SyncPolicy};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How often the offline banner works out the age of the data again.
const AGE_REFRESH: Duration = Duration::from_secs(30);

#[component]
pub fn Bar() -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<crate::dialogs::DialogCtx>();
    view! {
        <header class="app-bar">
            <h1>"Gatehouse"</h1>
            <HostPicker />
            <AppPicker />
            <span class="spacer"></span>
            <SyncControl />
            <SyncPolicyControl />
            <button on:click=move |_| dialogs.open(crate::dialogs::Dialog::DeletedUsers)
                disabled=move || session.app_id.get().is_none()>"Deleted users"</button>
            <button on:click=move |_| dialogs.open(crate::dialogs::Dialog::Audit)>"Audit log"</button>
        </header>
        <Notices />
        <OfflineBanner />
        {move || session.error.get().map(|message| view! {
            <div class="bar-error" role="alert">
                <span>{message}</span>
                <button class="link" on:click=move |_| session.error.set(None)>"Dismiss"</button>
            </div>
        })}
    }
}

/// The backend's notices from start, each until dismissed: a damaged file set aside is
/// something the user must hear about, but it stops nothing.
#[component]
fn Notices() -> impl IntoView {
    let session = SessionCtx::expect();
    let dismiss = move |index: usize| {
        session.notices.update(|notices| {
            if index < notices.len() {
                notices.remove(index);
            }
        });
    };
    move || {
        session
            .notices
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, notice)| {
                view! {
                    <div class="bar-notice" role="status">
                        <span>{notice}</span>
                        <button class="link" on:click=move |_| dismiss(index)>"Dismiss"</button>
                    </div>
                }
            })
            .collect_view()
    }
}

#[component]
fn HostPicker() -> impl IntoView {
    let session = SessionCtx::expect();
    let on_change = move |event| {
        let id = event_target_value(&event);
        if !id.is_empty() {
            session.open_host(id, None, Vec::new());
        }
    };
    view! {
        <Show when=move || !session.hosts.with(Vec::is_empty)>
            <select aria-label="Host" on:change=on_change prop:value=move || session.host_id.get().unwrap_or_default()>
                <For each=move || session.hosts.get() key=|host| (host.id.clone(), host.name.clone()) let:host>
                    <option value=host.id.clone()>{host.name.clone()}</option>
                </For>
            </select>
            <button
                class="icon"
                title="Edit host"
                aria-label="Edit host"
                on:click=move |_| session.host_form.set(Some(session.host_id.get_untracked()))
            >"✎"</button>
            <button class="icon" title="Add a host" aria-label="Add a host" on:click=move |_| session.host_form.set(Some(None))>"+"</button>
        </Show>
    }
}

#[component]
fn AppPicker() -> impl IntoView {
    let session = SessionCtx::expect();
    let on_change = move |event| {
        let id = event_target_value(&event);
        if !id.is_empty() {
            session.open_app(id);
        }
    };
    view! {
        <Show when=move || session.host_id.with(Option::is_some)>
            <select aria-label="App" on:change=on_change prop:value=move || session.app_id.get().unwrap_or_default()>
                <option value="" disabled=true>"Choose an app…"</option>
                <For each=move || session.apps.get() key=|app| (app.app_id.clone(), app.status.clone()) let:app>
                    <option value=app.app_id.clone()>{
                        if app.status == "active" {
                            app.name.clone()
                        } else {
                            format!("{} ({})", app.name, app.status)
                        }
                    }</option>
                </For>
            </select>
        </Show>
    }
}

/// `Sync`, or while it runs `Cancel sync` and a progress bar fed by polling the backend.
#[component]
fn SyncControl() -> impl IntoView {
    let session = SessionCtx::expect();
    let progress = RwSignal::new(None::<Progress>);
    let running = move || session.sync.get() == SyncState::Running;

    Effect::new(move |_| {
        if running() {
            poll_progress(session, progress);
        } else {
            progress.set(None);
        }
    });

    let cancel = move |_| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        spawn_local(async move {
            let _ = ipc::call(CancelSync { app }).await;
        });
    };
    let offline = move || session.offline.get().is_some();
    let no_app = move || session.app_id.get().is_none();
    let not_active = move || session.app().is_some_and(|app| app.status != "active");
    view! {
        <Show
            when=running
            fallback=move || view! {
                <button
                    on:click=move |_| session.sync()
                    disabled=move || no_app() || offline() || not_active()
                    title=move || if offline() {
                        "The host is offline; showing cached data"
                    } else if not_active() {
                        "The app is not active on the host, which refuses to list its users"
                    } else {
                        "Download the app's users again (Ctrl+R)"
                    }
                >"Sync"</button>
            }
        >
            <progress
                aria-label="Sync progress"
                max=move || progress.get().and_then(|p| p.total).unwrap_or(0).max(1)
                value=move || progress.get().map(|p| p.fetched).unwrap_or(0)
            ></progress>
            <span class="muted">{move || progress.get().map(|p| describe(&p)).unwrap_or_else(|| "Starting sync…".into())}</span>
            <button on:click=cancel>"Cancel sync"</button>
        </Show>
        {move || match session.sync.get() {
            SyncState::Done(synced) if !synced.unreadable.is_empty() => Some(view! {
                <span class="sync-warning" role="status" title=synced.unreadable.join("\n")>
                    {format!(
                        "{} users synced; {} records the host sent could not be read and are not in the offline copy",
                        format::count(synced.users),
                        synced.unreadable.len(),
                    )}
                </span>
            }.into_any()),
            SyncState::Done(synced) => {
                let changes = match synced.changes {
                    SyncChanges::NotRecorded { reason } => Some(view! {
                        <span class="sync-warning" role="status">
                            {format!("What changed could not be recorded ({reason})")}
                        </span>
                    }.into_any()),
                    SyncChanges::Found { counts, .. } => {
                        let n: u32 = counts.iter().map(|c| c.count).sum();
                        let text = match n {
                            0 => "No changes since the previous sync".to_owned(),
                            1 => "1 change since the previous sync".to_owned(),
                            n => format!("{} changes since the previous sync", format::count(n)),
                        };
                        Some(view! {
                            <span class="muted sync-changes" title=crate::changes::counts_text(&counts)>{text}</span>
                        }.into_any())
                    }
                    SyncChanges::First => None,
                };
                Some(view! {
                    <span class="muted" title="Last sync">
                        {format!("{} users synced", format::count(synced.users))}
                    </span>
                    {changes}
                }.into_any())
            }
            _ => None,
        }}
    }
}

/// How old the open app's copy is, and when it syncs by itself: on opening when older
/// than N minutes (the default), only when asked, or every N minutes while open.
#[component]
fn SyncPolicyControl() -> impl IntoView {
    let session = SessionCtx::expect();
    let ticks = RwSignal::new(0u64);
    if let Ok(ticking) = set_interval_with_handle(move || ticks.update(|t| *t += 1), AGE_REFRESH) {
        on_cleanup(move || ticking.clear());
    }
    // "Every N minutes while open": one timer for the open app and policy.
    Effect::new(move |previous: Option<Option<IntervalHandle>>| {
        if let Some(Some(timer)) = previous {
            timer.clear();
        }
        session.app_id.get()?;
        let period = session.policy.get().period_ms()?;
        set_interval_with_handle(
            move || {
                if session.offline.get_untracked().is_none() {
                    session.sync();
                }
            },
            Duration::from_millis(u64::from(period)),
        )
        .ok()
    });
    let no_app = move || session.app_id.get().is_none();
    let age = move || {
        ticks.track();
        match session.cache.get().and_then(|cache| cache.synced_at) {
            Some(at) => format!("synced {}", format::age(js_sys::Date::now() as i64, at)),
            None => "never synced".to_owned(),
        }
    };
    let kind = move || match session.policy.get() {
        SyncPolicy::OlderThan { .. } => "older",
        SyncPolicy::Every { .. } => "every",
        SyncPolicy::Manually => "manual",
    };
    let minutes = move || session.policy.get().minutes().unwrap_or(10);
    let choose = move |event| {
        let minutes = minutes();
        session.set_policy(match event_target_value(&event).as_str() {
            "every" => SyncPolicy::Every { minutes },
            "manual" => SyncPolicy::Manually,
            _ => SyncPolicy::OlderThan { minutes },
        });
    };
    let set_minutes = move |event| {
        let Ok(minutes) = event_target_value(&event).trim().parse::<u32>() else {
            return;
        };
        let minutes = minutes.clamp(1, 7 * 24 * 60);
        session.set_policy(match session.policy.get_untracked() {
            SyncPolicy::Every { .. } => SyncPolicy::Every { minutes },
            SyncPolicy::OlderThan { .. } => SyncPolicy::OlderThan { minutes },
            SyncPolicy::Manually => SyncPolicy::Manually,
        });
    };
    view! {
        <Show when=move || !no_app()>
            <span class="muted synced-ago" role="status" aria-label="Last sync">{age}</span>
            <select aria-label="Sync policy" on:change=choose
                title="When Gatehouse syncs this app by itself">
                <option value="older" selected=move || kind() == "older">"Sync on open if older than"</option>
                <option value="every" selected=move || kind() == "every">"Sync every"</option>
                <option value="manual" selected=move || kind() == "manual">"Sync manually"</option>
            </select>
            <Show when=move || kind() != "manual">
                <label class="inline minutes">
                    <input type="number" min="1" aria-label="Sync minutes"
                        prop:value=move || minutes().to_string() on:change=set_minutes />
                    "min"
                </label>
            </Show>
        </Show>
    }
}

fn describe(progress: &Progress) -> String {
    match progress.total {
        Some(total) => format!(
            "{}: {} of {}",
            progress.counts.noun(),
            format::count(progress.fetched),
            format::count(total)
        ),
        None => format!(
            "{}: {}",
            progress.counts.noun(),
            format::count(progress.fetched)
        ),
    }
}

fn poll_progress(session: SessionCtx, progress: RwSignal<Option<Progress>>) {
    spawn_local(async move {
        while session.sync.get_untracked() == SyncState::Running {
            let Some(app) = session.opened_untracked() else {
                break;
            };
            if let Ok(current) = ipc::call(QuerySyncProgress { app }).await {
                progress.set(current);
            }
            sleep(Duration::from_millis(150)).await;
        }
    });
}

/// Resolves after `duration`, on the browser's timer.
pub async fn sleep(duration: Duration) {
    let (sender, receiver) = futures_channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = sender.send(());
        },
        duration,
    );
    let _ = receiver.await;
}

#[component]
fn OfflineBanner() -> impl IntoView {
    let session = SessionCtx::expect();
    // The age of the data grows while the banner shows.
    let ticks = RwSignal::new(0u64);
    if let Ok(ticking) = set_interval_with_handle(move || ticks.update(|t| *t += 1), AGE_REFRESH) {
        on_cleanup(move || ticking.clear());
    }
    view! {
        {move || session.offline.get().map(|offline| {
            ticks.track();
            // The open app's last sync; with no app open, when the app list was saved.
            let synced_at = match session.cache.get() {
                Some(cache) => cache.synced_at,
                None if session.app_id.get().is_some() => None,
                None => offline.synced_at,
            };
            let age = synced_at
                .map(|at| format!("Data from {}.", format::age(js_sys::Date::now() as i64, at)))
                .unwrap_or_else(|| "Showing the data cached on this computer.".to_owned());
            view! {
                <div class="offline" role="status" title=offline.reason>
                    <strong>"Offline"</strong>
                    <span>{format!(
                        " — the host does not answer. {age} Search, sort and filters work on this copy; \
                         actions that need the host are disabled. Gatehouse tries again every 30 seconds."
                    )}</span>
                </div>
            }
        })}
    }
}
