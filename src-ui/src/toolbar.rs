//! The Users tab's toolbar: search as you type, filters, columns, add user, export.

use crate::dialogs::{Dialog, DialogCtx};
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use crate::users::UsersCtx;
use gatehouse_types::{
    AnonymousFilter, ExportFormat, ExportUsers, LastLoginFilter, Onboarding, Range, UserColumn,
    UserFilter, UserFinding, UserStatus,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;
use std::time::Duration;

/// Keystrokes closer together than this are one search: short enough to feel instant.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(40);

#[component]
pub fn SearchBox() -> impl IntoView {
    let users = expect_context::<UsersCtx>();
    // The box is rebuilt with its tab: it shows the search the table still applies.
    let typed = RwSignal::new(users.filter.with_untracked(|filter| filter.text.clone()));
    let generation = StoredValue::new(0u64);
    let last_keystroke = StoredValue::new(f64::NEG_INFINITY);
    let on_input = move |event| {
        typed.set(event_target_value(&event));
        let current = generation.get_value() + 1;
        generation.set_value(current);
        let apply = move || {
            if generation.get_value() == current {
                let text = typed.get_untracked();
                users.filter.update(|filter| filter.text = text);
            }
        };
        // The first keystroke after a pause searches at once; those that follow it
        // closely wait until the typing pauses, so a burst is one search.
        let now = js_sys::Date::now();
        let after_pause = now - last_keystroke.get_value() >= SEARCH_DEBOUNCE.as_secs_f64() * 1e3;
        last_keystroke.set_value(now);
        if after_pause {
            apply();
        } else {
            set_timeout(apply, SEARCH_DEBOUNCE);
        }
    };
    view! {
        <input
            type="search"
            class="search"
            aria-label="Search users"
            placeholder="Search handle, user name or metadata (Ctrl+F)"
            prop:value=move || typed.get()
            on:input=on_input
        />
    }
}

#[component]
pub fn Filters() -> impl IntoView {
    let users = expect_context::<UsersCtx>();
    let set = move |change: Box<dyn FnOnce(&mut UserFilter)>| {
        users.filter.update(|filter| change(filter))
    };
    // The controls are rebuilt with their tab: they start from what the table applies.
    let current = users.filter.get_untracked();
    let (mode, within) = match current.last_login {
        LastLoginFilter::Any => ("any", Range::default()),
        LastLoginFilter::Never => ("never", Range::default()),
        LastLoginFilter::Within(within) => ("range", within),
    };
    let created_from = RwSignal::new(format::date_input(current.created.from));
    let created_to = RwSignal::new(format::date_input(current.created.to));
    let login_from = RwSignal::new(format::date_input(within.from));
    let login_to = RwSignal::new(format::date_input(within.to));
    let login_mode = RwSignal::new(mode.to_owned());
    let status = current.status;
    let onboarding = current.onboarding;
    let anonymous = current.anonymous;

    let apply_dates = move || {
        let created = Range {
            from: format::parse_date(&created_from.get_untracked(), false),
            to: format::parse_date(&created_to.get_untracked(), true),
        };
        let within = Range {
            from: format::parse_date(&login_from.get_untracked(), false),
            to: format::parse_date(&login_to.get_untracked(), true),
        };
        let last_login = match login_mode.get_untracked().as_str() {
            "never" => LastLoginFilter::Never,
            "range" => LastLoginFilter::Within(within),
            _ => LastLoginFilter::Any,
        };
        users.filter.update(|filter| {
            filter.created = created;
            filter.last_login = last_login;
        });
    };

    view! {
        <select aria-label="Status filter" on:change=move |event| {
            let status = match event_target_value(&event).as_str() {
                "active" => Some(UserStatus::Active),
                "suspended" => Some(UserStatus::Suspended),
                _ => None,
            };
            set(Box::new(move |filter| filter.status = status));
        }>
            <option value="" selected={status.is_none()}>"Any status"</option>
            <option value="active" selected={status == Some(UserStatus::Active)}>"Active"</option>
            <option value="suspended" selected={status == Some(UserStatus::Suspended)}>"Suspended"</option>
        </select>
        <select aria-label="Onboarding filter" on:change=move |event| {
            let onboarding = match event_target_value(&event).as_str() {
                "invite" => Some(Onboarding::Invite),
                "signup" => Some(Onboarding::Signup),
                "admin" => Some(Onboarding::Admin),
                "other" => Some(Onboarding::Other),
                _ => None,
            };
            set(Box::new(move |filter| filter.onboarding = onboarding));
        }>
            <option value="" selected={onboarding.is_none()}>"Any onboarding"</option>
            <option value="signup" selected={onboarding == Some(Onboarding::Signup)}>"Signup"</option>
            <option value="invite" selected={onboarding == Some(Onboarding::Invite)}>"Invitation"</option>
            <option value="admin" selected={onboarding == Some(Onboarding::Admin)}>"Added by admin"</option>
            <option value="other" selected={onboarding == Some(Onboarding::Other)}>"Other"</option>
        </select>
        <select aria-label="Anonymous users" on:change=move |event| {
            let anonymous = match event_target_value(&event).as_str() {
                "exclude" => AnonymousFilter::Exclude,
                "only" => AnonymousFilter::Only,
                _ => AnonymousFilter::Include,
            };
            set(Box::new(move |filter| filter.anonymous = anonymous));
        }>
            <option value="include" selected={anonymous == AnonymousFilter::Include}>"With anonymous"</option>
            <option value="exclude" selected={anonymous == AnonymousFilter::Exclude}>"Hide anonymous"</option>
            <option value="only" selected={anonymous == AnonymousFilter::Only}>"Only anonymous"</option>
        </select>
        <label class="check">
            <input type="checkbox" prop:checked=current.changed_since_last_sync on:change=move |event| {
                let on = event_target_checked(&event);
                set(Box::new(move |filter| filter.changed_since_last_sync = on));
            } />
            "Changed since last sync"
        </label>
        {move || users.filter.with(|filter| filter.finding.clone()).map(|finding| {
            let name = match finding {
                UserFinding::NearDuplicateHandles => "Near-duplicate handles",
                UserFinding::MissingMetadata { .. } => "Missing required metadata",
            };
            view! {
                <span class="chip" role="status">{format!("Finding: {name}")}
                    <button class="icon" aria-label="Clear finding"
                        on:click=move |_| set(Box::new(|filter| filter.finding = None))>"×"</button>
                </span>
            }
        })}
        <details class="dates">
            <summary>"Dates"</summary>
            <fieldset>
                <legend>"Created"</legend>
                <input type="date" aria-label="Created from" bind:value=created_from on:change=move |event| { created_from.set(event_target_value(&event)); apply_dates() } />
                <input type="date" aria-label="Created to" bind:value=created_to on:change=move |event| { created_to.set(event_target_value(&event)); apply_dates() } />
            </fieldset>
            <fieldset>
                <legend>"Last login"</legend>
                <select aria-label="Last login filter" bind:value=login_mode on:change=move |_| apply_dates()>
                    <option value="any">"Any time"</option>
                    <option value="never">"Never"</option>
                    <option value="range">"Between"</option>
                </select>
                <input type="date" aria-label="Last login from" bind:value=login_from on:change=move |event| { login_from.set(event_target_value(&event)); apply_dates() } />
                <input type="date" aria-label="Last login to" bind:value=login_to on:change=move |event| { login_to.set(event_target_value(&event)); apply_dates() } />
            </fieldset>
        </details>
    }
}

#[component]
pub fn ColumnChooser(hidden: RwSignal<HashSet<UserColumn>>) -> impl IntoView {
    view! {
        <details class="columns">
            <summary>"Columns"</summary>
            <div class="menu">
                {UserColumn::ALL.into_iter().filter(|column| *column != UserColumn::Handle).map(|column| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || !hidden.with(|hidden| hidden.contains(&column))
                            on:change=move |_| hidden.update(|hidden| {
                                if !hidden.remove(&column) {
                                    hidden.insert(column);
                                }
                            })
                        />
                        {column.title()}
                    </label>
                }).collect_view()}
            </div>
        </details>
    }
}

#[component]
pub fn AddUserButton() -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let offline = move || session.offline.get().is_some();
    view! {
        <button
            on:click=move |_| dialogs.open(Dialog::AddUser)
            disabled=offline
            title=move || format::action_title(offline().then_some(format::OFFLINE), "Add a user to this app")
        >"Add user"</button>
    }
}

/// Exports the current view (filter and sort) through the native save dialog.
#[component]
pub fn ExportButton() -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    // What became of the last export, beside the button: (text, failed).
    let message = RwSignal::new(None::<(String, bool)>);
    let export = move |format: ExportFormat| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let request = ExportUsers {
            app,
            filter: users.filter.get_untracked(),
            format,
            path: None,
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(Some(done)) => message.set(Some((
                    format!(
                        "Exported {} users to {}",
                        format::count(done.rows),
                        done.path
                    ),
                    false,
                ))),
                Ok(None) => {}
                Err(error) => {
                    message.set(Some((format!("Export failed: {}", error.message), true)))
                }
            }
        });
    };
    view! {
        <details class="export">
            <summary role="button" aria-label="Export">"Export"</summary>
            <div class="menu">
                <button on:click=move |_| export(ExportFormat::Csv)>"CSV…"</button>
                <button on:click=move |_| export(ExportFormat::Json)>"JSON…"</button>
            </div>
        </details>
        {move || message.get().map(|(text, failed)| view! {
            <span class=if failed { "error" } else { "muted" } role="status">{text}</span>
        })}
    }
}
