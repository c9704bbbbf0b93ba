//! The Users tab: search, filters, and a virtualized table that asks the backend for
//! only the rows in view.

use crate::dialogs::{Dialog, DialogCtx};
use crate::format;
use crate::ipc;
use crate::row::{ACTIONS_TRACK, Row, SELECT_TRACK, track_width};
use crate::selection::{BulkBar, SelectionCtx};
use crate::session::SessionCtx;
use crate::toolbar::{AddUserButton, ColumnChooser, ExportButton, Filters, SearchBox};
use crate::viewport::{self, ROW_HEIGHT, Span};
use gatehouse_types::{
    BulkKind, LoadLayout, Page, QueryUsers, SaveLayout, TableLayout, UserColumn, UserFilter,
    UserRow,
};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;

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
pub fn UsersTab() -> impl IntoView {
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
            <SearchBox />
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
fn UsersTable(hidden: RwSignal<HashSet<UserColumn>>) -> impl IntoView {
    let session = SessionCtx::expect();
    let users = expect_context::<UsersCtx>();
    let selection = expect_context::<SelectionCtx>();
    let scroller = NodeRef::<html::Div>::new();
    let scroll = RwSignal::new((0.0_f64, 600.0_f64));
    let page = RwSignal::new(None::<Page<UserRow>>);
    // One signal per rendered row, kept across answers (see `Row`); they belong to the
    // table, not to the effect that fills them, which is re-run on every query.
    let slots = StoredValue::new(Vec::<RwSignal<UserRow>>::new());
    let table_owner = Owner::current();
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
    let first = Memo::new(move |_| page.with(|page| page.as_ref().map_or(0, |page| page.offset)));
    let shown =
        Memo::new(move |_| page.with(|page| page.as_ref().map_or(0, |page| page.rows.len())));
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

    // A new filter or app starts from the top.
    Effect::new(move |_| {
        users.filter.track();
        session.app_id.track();
        if let Some(element) = scroller.get_untracked() {
            element.set_scroll_top(0);
        }
        scroll.update(|(top, _)| *top = 0.0);
        cursor.set(None);
        selection.clear();
    });

    // New data (a sync, a change, another process's write) keeps the place and the
    // highlighted row, which a refresh landing between two keystrokes must not take away;
    // it drops the ticks, made on rows that may have changed.
    Effect::new(move |seen: Option<()>| {
        session.data_version.track();
        if seen.is_some() {
            selection.clear();
        }
    });

    // Fetch the window in view whenever it, the filter or the data changes; a late answer
    // to an older request is dropped.
    Effect::new(move |_| {
        let (top, height) = scroll.get();
        let filter = users.filter.get();
        session.data_version.track();
        let Some(app) = session.opened() else {
            page.set(None);
            return;
        };
        // The real height once the table is laid out: a tall window shows more rows than
        // the first guess. The row count is not known before the answer; the backend
        // answers with what there is.
        let height = scroller
            .get_untracked()
            .map(|element| f64::from(element.client_height()))
            .filter(|measured| *measured > 0.0)
            .unwrap_or(height);
        let wanted = viewport::span(top, height, u32::MAX);
        let current = generation.get_value() + 1;
        generation.set_value(current);
        let request = QueryUsers {
            app,
            filter,
            offset: wanted.first,
            limit: wanted.count,
        };
        let owner = table_owner.clone();
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(answer) if generation.get_value() == current => {
                    users.counts.set(Some((answer.matching, answer.total)));
                    fill_slots(slots, owner.as_ref(), &answer.rows);
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
        let rows = matching();
        let ticked = selection.picked.with_untracked(|picked| picked.count(rows)) > 0;
        let ctrl = event.ctrl_key() || event.meta_key();
        let key = table_key(&event.key(), ctrl, rows, cursor.get_untracked(), ticked);
        let row_at_cursor = || {
            let index = cursor.get_untracked()?;
            page.with_untracked(|page| {
                let page = page.as_ref()?;
                page.rows
                    .get(index.checked_sub(page.offset)? as usize)
                    .cloned()
            })
        };
        let online = session.offline.get_untracked().is_none();
        match key {
            TableKey::Other => return,
            TableKey::SelectAll => selection.select_all(),
            TableKey::DeleteTicked => {
                if online {
                    selection.pending.set(Some(BulkKind::Delete));
                }
            }
            TableKey::OpenCursorRow | TableKey::DeleteCursorRow => {
                let Some(row) = row_at_cursor() else {
                    return;
                };
                let dialogs = expect_context::<DialogCtx>();
                if key == TableKey::OpenCursorRow {
                    dialogs.open(Dialog::Metadata(row));
                } else if online {
                    dialogs.open(Dialog::Delete(row));
                }
            }
            TableKey::MoveTo(next) => {
                cursor.set(Some(next));
                if let Some(element) = scroller.get_untracked() {
                    let top = f64::from(element.scroll_top());
                    let height = f64::from(element.client_height());
                    if let Some(target) = viewport::scroll_to_show(next, top, height) {
                        element.set_scroll_top(target as i32);
                    }
                }
            }
        }
        event.prevent_default();
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
                        format!("translateY({}px)", f64::from(first.get()) * ROW_HEIGHT)
                    }>
                        <For each=move || 0..shown.get() key=|slot| *slot let:slot>
                            {slots.with_value(|slots| slots.get(slot).copied()).map(|row| {
                                let position = Signal::derive(move || first.get() + slot as u32);
                                view! { <Row row position cursor columns template page_rows /> }
                            })}
                        </For>
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

/// Hands the rows of an answer to the row slots, adding slots when there are more rows
/// than ever before. A slot whose row did not change is left alone.
fn fill_slots(slots: StoredValue<Vec<RwSignal<UserRow>>>, owner: Option<&Owner>, rows: &[UserRow]) {
    slots.update_value(|slots| {
        for (index, row) in rows.iter().enumerate() {
            match slots.get(index) {
                Some(slot) => {
                    if slot.with_untracked(|old| old != row) {
                        slot.set(row.clone());
                    }
                }
                None => {
                    let fresh = || RwSignal::new(row.clone());
                    slots.push(owner.map_or_else(fresh, |owner| owner.with(fresh)));
                }
            }
        }
    });
}

/// Rows a Page Up or Page Down moves the cursor by.
const PAGE_ROWS: u32 = 20;

/// What a key pressed in the Users table does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKey {
    /// Ctrl+A (⌘A): tick every matching row.
    SelectAll,
    /// Delete with rows ticked: ask to delete them all, as the bulk button does.
    DeleteTicked,
    /// Enter: the metadata of the row under the cursor.
    OpenCursorRow,
    /// Delete with nothing ticked: ask to delete the row under the cursor.
    DeleteCursorRow,
    /// An arrow, Page Up/Down, Home or End: the cursor's new row.
    MoveTo(u32),
    /// Not the table's: left to the page.
    Other,
}

/// What `key` does (`ctrl` when Ctrl or ⌘ is held) in a table of `rows` matching rows,
/// the cursor on `cursor`, `ticked` when any row is ticked.
fn table_key(key: &str, ctrl: bool, rows: u32, cursor: Option<u32>, ticked: bool) -> TableKey {
    if ctrl && key.eq_ignore_ascii_case("a") {
        return TableKey::SelectAll;
    }
    if rows == 0 {
        return TableKey::Other;
    }
    let last = rows - 1;
    let moved = |step: fn(u32) -> u32| TableKey::MoveTo(cursor.map_or(0, |at| step(at).min(last)));
    match key {
        "Delete" if ticked => TableKey::DeleteTicked,
        "ArrowDown" => moved(|at| at.saturating_add(1)),
        "ArrowUp" => moved(|at| at.saturating_sub(1)),
        "PageDown" => moved(|at| at.saturating_add(PAGE_ROWS)),
        "PageUp" => moved(|at| at.saturating_sub(PAGE_ROWS)),
        "Home" => TableKey::MoveTo(0),
        "End" => TableKey::MoveTo(last),
        "Enter" if cursor.is_some() => TableKey::OpenCursorRow,
        "Delete" if cursor.is_some() => TableKey::DeleteCursorRow,
        _ => TableKey::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_and_pages_move_the_cursor_within_the_rows() {
        assert_eq!(
            table_key("ArrowDown", false, 5, None, false),
            TableKey::MoveTo(0)
        );
        assert_eq!(
            table_key("ArrowDown", false, 5, Some(4), false),
            TableKey::MoveTo(4)
        );
        assert_eq!(
            table_key("ArrowUp", false, 5, Some(0), false),
            TableKey::MoveTo(0)
        );
        assert_eq!(
            table_key("PageDown", false, 50, Some(40), false),
            TableKey::MoveTo(49)
        );
        assert_eq!(
            table_key("PageUp", false, 50, Some(15), false),
            TableKey::MoveTo(0)
        );
        assert_eq!(
            table_key("End", false, 50, None, false),
            TableKey::MoveTo(49)
        );
        assert_eq!(
            table_key("Home", false, 50, Some(9), false),
            TableKey::MoveTo(0)
        );
    }

    #[test]
    fn delete_asks_for_the_ticked_rows_before_the_cursor_row() {
        assert_eq!(
            table_key("Delete", false, 5, Some(2), true),
            TableKey::DeleteTicked
        );
        assert_eq!(
            table_key("Delete", false, 5, Some(2), false),
            TableKey::DeleteCursorRow
        );
        assert_eq!(table_key("Delete", false, 5, None, false), TableKey::Other);
        assert_eq!(
            table_key("Enter", false, 5, Some(2), false),
            TableKey::OpenCursorRow
        );
        assert_eq!(table_key("Enter", false, 5, None, false), TableKey::Other);
    }

    #[test]
    fn ctrl_a_selects_all_and_an_empty_table_takes_no_other_key() {
        assert_eq!(table_key("a", true, 0, None, false), TableKey::SelectAll);
        assert_eq!(table_key("A", true, 5, None, false), TableKey::SelectAll);
        assert_eq!(
            table_key("ArrowDown", false, 0, None, false),
            TableKey::Other
        );
        assert_eq!(table_key("a", false, 5, None, false), TableKey::Other);
        assert_eq!(table_key("Tab", false, 5, Some(1), false), TableKey::Other);
    }
}
