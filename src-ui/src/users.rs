//! The Users tab: search, filters, and a virtualized table that asks the backend for
//! only the rows in view.

use crate::dialogs::{Dialog, DialogCtx, toggle_status};
use crate::format;
use crate::ipc;
use crate::selection::{BulkBar, SelectionCtx};
use crate::session::SessionCtx;
use crate::viewport::{self, ROW_HEIGHT, Span};
use gatehouse_types::{
    AnonymousFilter, ExportFormat, ExportUsers, LastLoginFilter, LoadLayout, Onboarding, Page,
    QueryUsers, Range, SaveLayout, TableLayout, UserColumn, UserFilter, UserRow, UserStatus,
};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;
use std::time::Duration;

/// Keystrokes closer together than this are one search: short enough to feel instant.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(40);

/// The filter and sort of the Users tab, shared with the tab header's counts.
#[derive(Clone, Copy)]
pub struct UsersCtx {
    pub filter: RwSignal<UserFilter>,
    pub counts: RwSignal<Option<(u32, u32)>>,
}

impl UsersCtx {
    pub fn new() -> Self {
        Self {
            filter: RwSignal::new(UserFilter::default()),
            counts: RwSignal::new(None),
        }
    }
}

impl Default for UsersCtx {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn UsersTab(search_ref: NodeRef<html::Input>) -> impl IntoView {
    let users = expect_context::<UsersCtx>();
    let hidden = RwSignal::new(HashSet::<UserColumn>::new());
    // The layout is remembered: read it once, then save every change.
    let loaded = StoredValue::new(false);
    spawn_local(async move {
        if let Ok(layout) = ipc::call(LoadLayout {}).await {
            hidden.set(layout.hidden_columns.into_iter().collect());
        }
        loaded.set_value(true);
    });
    Effect::new(move |_| {
        let mut hidden_columns: Vec<UserColumn> = hidden.get().into_iter().collect();
        if !loaded.get_value() {
            return;
        }
        hidden_columns.sort_by_key(|column| UserColumn::ALL.iter().position(|c| c == column));
        spawn_local(async move {
            let _ = ipc::call(SaveLayout {
                layout: TableLayout { hidden_columns },
            })
            .await;
        });
    });
    view! {
        <div class="toolbar">
            <SearchBox search_ref />
            <Filters />
            <ColumnChooser hidden />
            <AddUserButton />
            <ExportButton />
            <span class="counts" role="status" aria-live="polite">
                {move || users.counts.get().map(|(matching, total)| if matching == total {
                    format!("{} users", format::count(total))
                } else {
                    format!("{} of {} users", format::count(matching), format::count(total))
                })}
            </span>
        </div>
        <BulkBar filter=users.filter matching=Signal::derive(move || users.counts.get().map(|(matching, _)| matching).unwrap_or(0)) />
        <UsersTable hidden />
    }
}

#[component]
fn SearchBox(search_ref: NodeRef<html::Input>) -> impl IntoView {
    let users = expect_context::<UsersCtx>();
    let typed = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    let on_input = move |event| {
        typed.set(event_target_value(&event));
        let current = generation.get_value() + 1;
        generation.set_value(current);
        set_timeout(
            move || {
                if generation.get_value() == current {
                    let text = typed.get_untracked();
                    users.filter.update(|filter| filter.text = text);
                }
            },
            SEARCH_DEBOUNCE,
        );
    };
    view! {
        <input
            type="search"
            class="search"
            aria-label="Search users"
            placeholder="Search handle, user name or metadata (Ctrl+F)"
            node_ref=search_ref
            prop:value=move || typed.get()
            on:input=on_input
        />
    }
}

#[component]
fn Filters() -> impl IntoView {
    let users = expect_context::<UsersCtx>();
    let set = move |change: Box<dyn FnOnce(&mut UserFilter)>| {
        users.filter.update(|filter| change(filter))
    };
    let created_from = RwSignal::new(String::new());
    let created_to = RwSignal::new(String::new());
    let login_from = RwSignal::new(String::new());
    let login_to = RwSignal::new(String::new());
    let login_mode = RwSignal::new("any".to_owned());

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
            <option value="">"Any status"</option>
            <option value="active">"Active"</option>
            <option value="suspended">"Suspended"</option>
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
            <option value="">"Any onboarding"</option>
            <option value="signup">"Signup"</option>
            <option value="invite">"Invitation"</option>
            <option value="admin">"Added by admin"</option>
            <option value="other">"Other"</option>
        </select>
        <select aria-label="Anonymous users" on:change=move |event| {
            let anonymous = match event_target_value(&event).as_str() {
                "exclude" => AnonymousFilter::Exclude,
                "only" => AnonymousFilter::Only,
                _ => AnonymousFilter::Include,
            };
            set(Box::new(move |filter| filter.anonymous = anonymous));
        }>
            <option value="include">"With anonymous"</option>
            <option value="exclude">"Hide anonymous"</option>
            <option value="only">"Only anonymous"</option>
        </select>
        <details class="dates">
            <summary>"Dates"</summary>
            <fieldset>
                <legend>"Created"</legend>
                <input type="date" aria-label="Created from" bind:value=created_from on:change=move |_| apply_dates() />
                <input type="date" aria-label="Created to" bind:value=created_to on:change=move |_| apply_dates() />
            </fieldset>
            <fieldset>
                <legend>"Last login"</legend>
                <select aria-label="Last login filter" bind:value=login_mode on:change=move |_| apply_dates()>
                    <option value="any">"Any time"</option>
                    <option value="never">"Never"</option>
                    <option value="range">"Between"</option>
                </select>
                <input type="date" aria-label="Last login from" bind:value=login_from on:change=move |_| apply_dates() />
                <input type="date" aria-label="Last login to" bind:value=login_to on:change=move |_| apply_dates() />
            </fieldset>
        </details>
    }
}

#[component]
fn ColumnChooser(hidden: RwSignal<HashSet<UserColumn>>) -> impl IntoView {
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
fn UsersTable(hidden: RwSignal<HashSet<UserColumn>>) -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    let selection = expect_context::<SelectionCtx>();
    let scroller = NodeRef::<html::Div>::new();
    let scroll = RwSignal::new((0.0_f64, 600.0_f64));
    let page = RwSignal::new(None::<Page<UserRow>>);
    let cursor = RwSignal::new(None::<u32>);
    let generation = StoredValue::new(0u64);

    let columns = Memo::new(move |_| {
        hidden.with(|hidden| {
            UserColumn::ALL
                .into_iter()
                .filter(|column| !hidden.contains(column))
                .collect::<Vec<_>>()
        })
    });
    let template = move || {
        let tracks = columns
            .get()
            .iter()
            .map(|column| track_width(*column))
            .collect::<Vec<_>>();
        format!("{SELECT_TRACK} {ACTIONS_TRACK} {}", tracks.join(" "))
    };
    let matching = move || page.with(|page| page.as_ref().map(|page| page.matching).unwrap_or(0));
    let page_rows = Signal::derive(move || {
        page.with(|page| {
            page.as_ref()
                .map(|page| {
                    page.rows
                        .iter()
                        .enumerate()
                        .map(|(at, row)| (page.offset + at as u32, row.id.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    });

    // A new filter, app or snapshot starts from the top.
    Effect::new(move |_| {
        users.filter.track();
        session.app_id.track();
        session.data_version.track();
        if let Some(element) = scroller.get_untracked() {
            element.set_scroll_top(0);
        }
        scroll.update(|(top, _)| *top = 0.0);
        cursor.set(None);
        selection.clear();
    });

    // Fetch the window in view whenever it, the filter or the data changes; a late answer
    // to an older request is dropped.
    Effect::new(move |_| {
        let (top, height) = scroll.get();
        let filter = users.filter.get();
        session.data_version.track();
        let (Some(host_id), Some(app_id)) = (session.host_id.get(), session.app_id.get()) else {
            page.set(None);
            return;
        };
        let rows = page
            .with_untracked(|page| page.as_ref().map(|page| page.matching))
            .unwrap_or(0);
        let wanted = viewport::span(top, height, rows.max(1)).count.max(80);
        let first = viewport::span(top, height, u32::MAX).first;
        let current = generation.get_value() + 1;
        generation.set_value(current);
        let request = QueryUsers {
            host_id,
            app_id,
            filter,
            offset: first,
            limit: wanted,
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(answer) if generation.get_value() == current => {
                    users.counts.set(Some((answer.matching, answer.total)));
                    page.set(Some(answer));
                }
                Ok(_) => {}
                Err(error) => session.fail(error),
            }
        });
    });

    let on_scroll = move |_| {
        if let Some(element) = scroller.get_untracked() {
            let top = f64::from(element.scroll_top());
            let height = f64::from(element.client_height());
            let shown = page.with_untracked(|page| {
                page.as_ref().map(|page| Span {
                    first: page.offset,
                    count: page.rows.len() as u32,
                })
            });
            let needed = viewport::span(top, height, matching());
            // Scrolling within the rows already fetched needs no new answer.
            if shown.is_none_or(|shown| !shown.contains(needed) && needed.count > 0) {
                scroll.set((top, height));
            }
        }
    };

    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("a") {
            event.prevent_default();
            selection.select_all();
            return;
        }
        let rows = matching();
        if rows == 0 {
            return;
        }
        let next = match event.key().as_str() {
            "ArrowDown" => cursor
                .get_untracked()
                .map_or(0, |index| (index + 1).min(rows - 1)),
            "ArrowUp" => cursor
                .get_untracked()
                .map_or(0, |index| index.saturating_sub(1)),
            "PageDown" => cursor
                .get_untracked()
                .map_or(0, |index| (index + 20).min(rows - 1)),
            "PageUp" => cursor
                .get_untracked()
                .map_or(0, |index| index.saturating_sub(20)),
            "Home" => 0,
            "End" => rows - 1,
            "Enter" | "Delete" => {
                let row = cursor.get_untracked().and_then(|index| {
                    page.with_untracked(|page| {
                        page.as_ref().and_then(|page| {
                            page.rows
                                .get(index.checked_sub(page.offset)? as usize)
                                .cloned()
                        })
                    })
                });
                if let Some(row) = row {
                    event.prevent_default();
                    let dialogs = expect_context::<DialogCtx>();
                    if event.key() == "Enter" {
                        dialogs.open(Dialog::Metadata(row));
                    } else if session.offline.get_untracked().is_none() {
                        dialogs.open(Dialog::Delete(row));
                    }
                }
                return;
            }
            _ => return,
        };
        event.prevent_default();
        cursor.set(Some(next));
        if let Some(element) = scroller.get_untracked() {
            let top = f64::from(element.scroll_top());
            let height = f64::from(element.client_height());
            if let Some(target) = viewport::scroll_to_show(next, top, height) {
                element.set_scroll_top(target as i32);
            }
        }
    };

    let sort_by = move |column: UserColumn| {
        users.filter.update(|filter| {
            if filter.sort == column {
                filter.descending = !filter.descending;
            } else {
                filter.sort = column;
                filter.descending = matches!(column, UserColumn::CreatedAt | UserColumn::LastLogin);
            }
        });
    };

    view! {
        <div class="table" role="table" aria-label="Users" aria-rowcount=move || matching() + 1>
            <div role="rowgroup" class="thead">
                <div role="row" class="row" style:grid-template-columns=template>
                    <div role="columnheader">
                        <input
                            type="checkbox"
                            aria-label="Select all"
                            title="Select every user matching the search and filters (Ctrl+A)"
                            prop:checked=move || selection.picked.with(|picked| picked.all && picked.ids.is_empty())
                            on:change=move |event| {
                                if event_target_checked(&event) { selection.select_all() } else { selection.clear() }
                            }
                        />
                    </div>
                    <div role="columnheader"><span class="visually-hidden">"Actions"</span></div>
                    <For each=move || columns.get() key=|column| *column let:column>
                        <div
                            role="columnheader"
                            aria-sort=move || users.filter.with(|filter| if filter.sort != column {
                                "none"
                            } else if filter.descending { "descending" } else { "ascending" })
                        >
                            <button class="sort" on:click=move |_| sort_by(column)>
                                {column.title()}
                                <span aria-hidden="true" class="arrow">{move || users.filter.with(|filter| {
                                    if filter.sort != column { "" } else if filter.descending { " ▾" } else { " ▴" }
                                })}</span>
                            </button>
                        </div>
                    </For>
                </div>
            </div>
            <div
                role="rowgroup"
                class="tbody"
                tabindex="0"
                node_ref=scroller
                on:scroll=on_scroll
                on:keydown=on_key
            >
                <div class="spacer" style:height=move || format!("{}px", f64::from(matching()) * ROW_HEIGHT)>
                    <div class="window" style:transform=move || {
                        let first = page.with(|page| page.as_ref().map(|page| page.offset).unwrap_or(0));
                        format!("translateY({}px)", f64::from(first) * ROW_HEIGHT)
                    }>
                        {move || page.get().map(|page| {
                            let first = page.offset;
                            page.rows.into_iter().enumerate().map(|(index, row)| {
                                let position = first + index as u32;
                                view! { <Row row position cursor columns template page_rows /> }
                            }).collect_view()
                        })}
                    </div>
                </div>
                <Show when=move || page.with(|page| page.as_ref().is_some_and(|page| page.matching == 0))>
                    <p class="empty">{move || if users.filter.with(|filter| filter.text.is_empty()) {
                        "No users here yet. Sync the app to download them."
                    } else {
                        "No user matches this search."
                    }}</p>
                </Show>
            </div>
        </div>
    }
}

#[component]
fn Row(
    row: UserRow,
    position: u32,
    cursor: RwSignal<Option<u32>>,
    columns: Memo<Vec<UserColumn>>,
    template: impl Fn() -> String + Send + Sync + 'static,
    page_rows: Signal<Vec<(u32, String)>>,
) -> impl IntoView {
    let selected = move || cursor.get() == Some(position);
    let actions = row_actions(row.clone());
    let checkbox = row_checkbox(row.id.clone(), row.handle.clone(), position, page_rows);
    let cells = move || {
        columns
            .get()
            .into_iter()
            .map(|column| {
                let (text, class) = cell(&row, column);
                view! { <div role="cell" class=class>{text}</div> }
            })
            .collect_view()
    };
    view! {
        <div
            role="row"
            class="row"
            class:selected=selected
            aria-rowindex=position + 2
            aria-selected=move || selected().to_string()
            style:grid-template-columns=template
            on:click=move |_| cursor.set(Some(position))
        >
            {checkbox}
            {actions}
            {cells}
        </div>
    }
}

// Row icons as SVG paths on a 16×16 grid: emoji fonts are not on every desktop.
const TRASH: &str = "M3 4h10M6 4V2.5h4V4M4.5 4l.7 9.5h5.6l.7-9.5M7 6.5v5M9 6.5v5";
const PAUSE: &str = "M5.5 3v10M10.5 3v10";
const PLAY: &str = "M5 3l8 5-8 5z";
const KEY: &str = "M6.5 9.5a3 3 0 1 1 2-2L14 13v1.5h-2V13h-1.5v-1.5H9z";
const INFO: &str = "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM8 7v4.5M8 4.5v.5";

#[component]
fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="glyph" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// Width of the selection column.
const SELECT_TRACK: &str = "28px";

/// The row's checkbox: a click ticks it, a shift-click ticks every row from the last one
/// clicked (among the rows on screen).
fn row_checkbox(
    id: String,
    handle: String,
    position: u32,
    page_rows: Signal<Vec<(u32, String)>>,
) -> impl IntoView {
    let selection = expect_context::<SelectionCtx>();
    let checked_id = id.clone();
    view! {
        <div role="cell" class="select">
            <input
                type="checkbox"
                aria-label=format!("Select {handle}")
                prop:checked=move || selection.picked.with(|picked| picked.contains(&checked_id))
                on:click=move |event| {
                    event.stop_propagation();
                    let ticked = event_target_checked(&event);
                    let anchor = selection.anchor.get_untracked();
                    selection.picked.update(|picked| match anchor {
                        Some(anchor) if event.shift_key() => {
                            let (low, high) = (anchor.min(position), anchor.max(position));
                            page_rows.with_untracked(|rows| {
                                for (at, row_id) in rows {
                                    if (low..=high).contains(at) {
                                        picked.set(row_id, ticked);
                                    }
                                }
                            });
                        }
                        _ => picked.set(&id, ticked),
                    });
                    selection.anchor.set(Some(position));
                }
            />
        </div>
    }
}

/// Width of the row icons' column.
const ACTIONS_TRACK: &str = "132px";

/// The row icons, left to right: delete, suspend/activate, reset password; then metadata.
fn row_actions(row: UserRow) -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let busy = RwSignal::new(false);
    let offline = move || session.offline.get().is_some();
    let why = move |action: &str| {
        if offline() {
            format!("{action} — unavailable offline: the host does not answer")
        } else {
            action.to_owned()
        }
    };
    let suspended = row.status == UserStatus::Suspended;
    let (toggle_name, toggle_icon, toggle_tip) = if suspended {
        (
            format!("Activate {}", row.handle),
            PLAY,
            "Activate: let this user log in again",
        )
    } else {
        (
            format!("Suspend {}", row.handle),
            PAUSE,
            "Suspend: stop this user from logging in",
        )
    };
    let (delete_row, reset_row, meta_row, toggle_row) =
        (row.clone(), row.clone(), row.clone(), row.clone());
    view! {
        <div role="cell" class="row-actions">
            <button
                class="icon"
                aria-label=format!("Delete {}", row.handle)
                title=move || why("Delete this user")
                disabled=offline
                on:click=move |event| {
                    event.stop_propagation();
                    dialogs.open(Dialog::Delete(delete_row.clone()));
                }
            ><Icon path=TRASH /></button>
            <button
                class="icon"
                class:suspended=suspended
                aria-label=toggle_name
                title=move || why(toggle_tip)
                disabled=move || offline() || busy.get()
                aria-busy=move || busy.get().to_string()
                on:click=move |event| {
                    event.stop_propagation();
                    toggle_status(session, &toggle_row, busy);
                }
            ><Icon path=toggle_icon /></button>
            <button
                class="icon"
                aria-label=format!("Reset password for {}", row.handle)
                title=move || why("Reset password")
                disabled=offline
                on:click=move |event| {
                    event.stop_propagation();
                    dialogs.open(Dialog::ResetPassword(reset_row.clone()));
                }
            ><Icon path=KEY /></button>
            <button
                class="icon"
                aria-label=format!("Show metadata for {}", row.handle)
                title="Show metadata (Enter)"
                on:click=move |event| {
                    event.stop_propagation();
                    dialogs.open(Dialog::Metadata(meta_row.clone()));
                }
            ><Icon path=INFO /></button>
        </div>
    }
}

#[component]
fn AddUserButton() -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let offline = move || session.offline.get().is_some();
    view! {
        <button
            on:click=move |_| dialogs.open(Dialog::AddUser)
            disabled=offline
            title=move || if offline() { "Add user — unavailable offline: the host does not answer" } else { "Add a user to this app" }
        >"Add user"</button>
    }
}

/// Exports the current view (filter and sort) through the native save dialog.
#[component]
fn ExportButton() -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    let message = RwSignal::new(None::<String>);
    let export = move |format: ExportFormat| {
        let (Some(host_id), Some(app_id)) = (
            session.host_id.get_untracked(),
            session.app_id.get_untracked(),
        ) else {
            return;
        };
        let request = ExportUsers {
            host_id,
            app_id,
            filter: users.filter.get_untracked(),
            format,
            path: None,
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(Some(done)) => message.set(Some(format!(
                    "Exported {} users to {}",
                    format::count(done.rows),
                    done.path
                ))),
                Ok(None) => {}
                Err(error) => session.fail(error),
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
        {move || message.get().map(|text| view! { <span class="muted" role="status">{text}</span> })}
    }
}

/// The text and CSS class of one cell.
pub fn cell(row: &UserRow, column: UserColumn) -> (String, &'static str) {
    match column {
        UserColumn::Handle => (row.handle.clone(), "handle"),
        UserColumn::UserName => (row.user_name.clone(), ""),
        UserColumn::Status => (row.status.label().to_owned(), status_class(row.status)),
        UserColumn::Onboarding => (row.onboarding.label().to_owned(), ""),
        UserColumn::CreatedAt => (format::date_time(row.created_at), "date"),
        UserColumn::LastLogin => (format::last_login(row.last_login), "date"),
        UserColumn::LoginProvider => (provider(&row.login_provider), ""),
    }
}

fn status_class(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active => "status active",
        UserStatus::Suspended => "status suspended",
    }
}

fn provider(raw: &str) -> String {
    if raw.is_empty() {
        "email".to_owned()
    } else {
        raw.to_owned()
    }
}

/// The CSS grid track of a column: the handle takes what the others leave.
fn track_width(column: UserColumn) -> &'static str {
    match column {
        UserColumn::Handle => "minmax(220px, 3fr)",
        UserColumn::UserName => "minmax(120px, 2fr)",
        UserColumn::Status => "100px",
        UserColumn::Onboarding => "130px",
        UserColumn::CreatedAt | UserColumn::LastLogin => "150px",
        UserColumn::LoginProvider => "110px",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> UserRow {
        UserRow {
            id: "1".into(),
            handle: "ana@example.com".into(),
            user_name: "Ana".into(),
            status: UserStatus::Suspended,
            onboarding: Onboarding::Admin,
            created_at: 0,
            last_login: None,
            login_provider: String::new(),
        }
    }

    #[test]
    fn cells_read_as_the_product_names_them() {
        let row = row();
        assert_eq!(cell(&row, UserColumn::Status).0, "suspended");
        assert_eq!(cell(&row, UserColumn::LastLogin).0, "never");
        assert_eq!(cell(&row, UserColumn::Onboarding).0, "added by admin");
        assert_eq!(
            cell(&row, UserColumn::LoginProvider).0,
            "email",
            "an empty provider is an e-mail login"
        );
    }
}
