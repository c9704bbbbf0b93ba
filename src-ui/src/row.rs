//! One row of the Users table: its checkbox, its icons and its cells.

use crate::dialogs::{Dialog, DialogCtx};
use crate::format;
use crate::ipc;
use crate::selection::SelectionCtx;
use crate::session::SessionCtx;
use gatehouse_types::{ApiError, SetUserStatus, UserColumn, UserRow, UserStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One row slot of the table. The table keeps its slots while the window moves or the
/// search changes and only hands them new rows: updating the text of a few dozen cells
/// is far cheaper than building their elements again, and keeps a keystroke's answer
/// within a frame or two.
#[component]
pub fn Row(
    row: RwSignal<UserRow>,
    position: Signal<u32>,
    cursor: RwSignal<Option<u32>>,
    columns: Memo<Vec<UserColumn>>,
    template: impl Fn() -> String + Send + Sync + 'static,
    page_rows: Signal<Vec<(u32, String)>>,
) -> impl IntoView {
    let selected = move || cursor.get() == Some(position.get());
    let actions = row_actions(row);
    let checkbox = row_checkbox(row, position, page_rows);
    let cells = move || {
        columns
            .get()
            .into_iter()
            .map(|column| {
                let content = Memo::new(move |_| row.with(|row| cell(row, column)));
                view! {
                    <div role="cell" class=move || content.with(|(_, class)| *class)>
                        {move || content.with(|(text, _)| text.clone())}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <div
            role="row"
            class="row"
            class:selected=selected
            aria-rowindex=move || position.get() + 2
            aria-selected=move || selected().to_string()
            style:grid-template-columns=template
            on:click=move |_| cursor.set(Some(position.get_untracked()))
        >
            {checkbox}
            {actions}
            {cells}
        </div>
    }
}

/// Width of the selection column.
pub const SELECT_TRACK: &str = "28px";

/// The row's checkbox: a click ticks it, a shift-click ticks every row from the last one
/// clicked (among the rows on screen).
fn row_checkbox(
    row: RwSignal<UserRow>,
    position: Signal<u32>,
    page_rows: Signal<Vec<(u32, String)>>,
) -> impl IntoView {
    let selection = expect_context::<SelectionCtx>();
    view! {
        <div role="cell" class="select">
            <input
                type="checkbox"
                aria-label=move || row.with(|row| format!("Select {}", row.handle))
                prop:checked=move || {
                    row.with(|row| selection.picked.with(|picked| picked.contains(&row.id)))
                }
                on:click=move |event| {
                    event.stop_propagation();
                    let ticked = event_target_checked(&event);
                    let anchor = selection.anchor.get_untracked();
                    let position = position.get_untracked();
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
                        _ => row.with_untracked(|row| picked.set(&row.id, ticked)),
                    });
                    selection.anchor.set(Some(position));
                }
            />
        </div>
    }
}

/// Width of the row icons' column.
pub const ACTIONS_TRACK: &str = "132px";

/// The row icons, left to right: delete, suspend/activate, reset password; then metadata.
fn row_actions(row: RwSignal<UserRow>) -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let busy = RwSignal::new(false);
    let offline = move || session.offline.get().is_some();
    let why =
        move |action: &str| format::action_title(offline().then_some(format::OFFLINE), action);
    let suspended = Memo::new(move |_| row.with(|row| row.status == UserStatus::Suspended));
    let labelled =
        move |verb: &'static str| move || row.with(|row| format!("{verb} {}", row.handle));
    let open = move |dialog: fn(UserRow) -> Dialog| {
        move |event: leptos::ev::MouseEvent| {
            event.stop_propagation();
            dialogs.open(dialog(row.get_untracked()));
        }
    };
    view! {
        <div role="cell" class="row-actions">
            <button
                class="icon glyph trash"
                aria-label=labelled("Delete")
                title=move || why("Delete this user")
                disabled=offline
                on:click=open(Dialog::Delete)
            ></button>
            <button
                class="icon glyph"
                class:suspended=suspended
                class:play=suspended
                class:pause=move || !suspended.get()
                aria-label=move || if suspended.get() { labelled("Activate")() } else { labelled("Suspend")() }
                title=move || why(if suspended.get() {
                    "Activate: let this user log in again"
                } else {
                    "Suspend: stop this user from logging in"
                })
                disabled=move || offline() || busy.get()
                aria-busy=move || busy.get().to_string()
                on:click=move |event| {
                    event.stop_propagation();
                    toggle_status(session, &row.get_untracked(), busy);
                }
            ></button>
            <button
                class="icon glyph key"
                aria-label=labelled("Reset password for")
                title=move || why("Reset password")
                disabled=offline
                on:click=open(Dialog::ResetPassword)
            ></button>
            <button
                class="icon glyph info"
                aria-label=labelled("Show metadata for")
                title="Show metadata (Enter)"
                on:click=open(Dialog::Metadata)
            ></button>
        </div>
    }
}

/// The text and CSS class of one cell.
pub fn cell(row: &UserRow, column: UserColumn) -> (String, &'static str) {
    match column {
        UserColumn::Handle => (row.handle.clone(), "handle"),
        UserColumn::UserName => (row.user_name.clone(), ""),
        UserColumn::Status => (row.status.label().to_owned(), status_class(row.status)),
        UserColumn::Onboarding => (row.onboarding.label().to_owned(), "onboarding"),
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
pub fn track_width(column: UserColumn) -> &'static str {
    match column {
        UserColumn::Handle => "minmax(220px, 3fr)",
        UserColumn::UserName => "minmax(120px, 2fr)",
        UserColumn::Status => "100px",
        UserColumn::Onboarding => "130px",
        UserColumn::CreatedAt | UserColumn::LastLogin => "150px",
        UserColumn::LoginProvider => "110px",
    }
}

/// Suspends or activates from the row; the row refreshes when the host confirms.
fn toggle_status(session: SessionCtx, row: &UserRow, busy: RwSignal<bool>) {
    let Some(app) = session.opened_untracked() else {
        return;
    };
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    let active = row.status != UserStatus::Active;
    let request = SetUserStatus {
        app,
        user_id: row.id.clone(),
        active,
    };
    // The row may show another user by the time the answer comes (rows are reused as
    // the table scrolls), so a failure names the user it was about.
    let verb = if active { "activate" } else { "suspend" };
    let failing = format!("Could not {verb} {}", row.handle);
    spawn_local(async move {
        match ipc::call(request).await {
            Ok(_) => session.refresh(),
            Err(error) => session.fail(ApiError {
                message: format!("{failing}: {}", error.message),
                ..error
            }),
        }
        busy.set(false);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatehouse_types::Onboarding;

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
