//! The Invitations and Signups tabs: searchable lists from the cache, with their
//! actions (invite, resend, revoke; remove a pending signup).

use crate::dialogs::{ConfirmAction, Pending};
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use crate::viewport::{self, Span};
use gatehouse_types::AppRef;
use gatehouse_types::{
    ApiError, Command, CreateInvites, InviteRow, InviteStatus, Page, QueryInvites, QuerySignups,
    RemoveSignup, ResendInvite, RevokeInvite, SignupFilter, SignupRow, SignupStatus,
};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

/// The rows asked for before the list's height is known: a screenful and a margin.
const FIRST_WINDOW: Span = Span {
    first: 0,
    count: 60,
};

/// Splits what the user typed into handles: commas, spaces, semicolons or new lines.
pub fn split_handles(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|handle| !handle.is_empty())
        .map(str::to_owned)
        .collect()
}

fn shown_text(page: &Option<(u32, u32)>, noun: &str) -> String {
    match page {
        Some((matching, total)) if matching == total => format!("{} {noun}", format::count(*total)),
        Some((matching, total)) => format!(
            "{} of {} {noun}",
            format::count(*matching),
            format::count(*total)
        ),
        None => String::new(),
    }
}

/// A list's filters that outlive its tab: the status and the "created before" limit an
/// Insights finding sets, kept while the user looks at another tab.
#[derive(Clone, Copy)]
pub struct ListFilter {
    /// The status value (`""` for any).
    pub status: RwSignal<String>,
    /// Only records created at or before this time (Unix milliseconds).
    pub before: RwSignal<Option<i64>>,
}

impl ListFilter {
    fn new() -> Self {
        ListFilter {
            status: RwSignal::new(String::new()),
            before: RwSignal::new(None),
        }
    }

    /// Shows the records of `status` created at or before `before`.
    pub fn show(&self, status: &str, before: i64) {
        self.status.set(status.to_owned());
        self.before.set(Some(before));
    }
}

/// The filters of the Invitations and Signups tabs, provided by the open app's view.
#[derive(Clone, Copy)]
pub struct ListsCtx {
    pub invites: ListFilter,
    pub signups: ListFilter,
}

impl ListsCtx {
    pub fn provide() -> Self {
        let lists = ListsCtx {
            invites: ListFilter::new(),
            signups: ListFilter::new(),
        };
        provide_context(lists);
        lists
    }
}

/// What a list asks for: the open app, the search text, the status filter (`None` for
/// any), the "created before" limit and the window of rows in view.
pub(crate) struct ListAsk {
    pub app: AppRef,
    pub text: String,
    pub status: Option<String>,
    pub created_before: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

/// The two list queries carry the same fields; the status filter is the select's value,
/// the wire name of the list's status type.
macro_rules! list_query_from_ask {
    ($($query:ident: $status:ident),+) => {$(
        impl From<ListAsk> for $query {
            fn from(ask: ListAsk) -> Self {
                $query {
                    app: ask.app,
                    text: ask.text,
                    status: ask.status.as_deref().and_then($status::from_wire_name),
                    created_before: ask.created_before,
                    offset: ask.offset,
                    limit: ask.limit,
                }
            }
        }
    )+};
}

list_query_from_ask!(QueryInvites: InviteStatus, QuerySignups: SignupFilter);

/// Keeps `page` answering the query `ask` builds; asked again when the search, the
/// filter, the rows in view (`span`) or the cache change. A new search or filter starts
/// from the top.
fn follow_list<C, T>(
    page: RwSignal<Option<Page<T>>>,
    text: RwSignal<String>,
    filter: ListFilter,
    span: RwSignal<Span>,
    scroller: NodeRef<html::Div>,
    ask: impl Fn(ListAsk) -> C + 'static,
) where
    C: Command<Output = Page<T>> + 'static,
    T: Send + Sync + 'static,
{
    let session = SessionCtx::expect();
    let ListFilter { status, before } = filter;
    Effect::new(move |previous: Option<(String, String, Option<i64>)>| {
        let filters = (text.get(), status.get(), before.get());
        if previous
            .as_ref()
            .is_some_and(|previous| previous != &filters)
        {
            if let Some(element) = scroller.get_untracked() {
                element.set_scroll_top(0);
            }
            span.set(FIRST_WINDOW);
        }
        filters
    });
    Effect::new(move |_| {
        let (text, status, created_before) = (text.get(), status.get(), before.get());
        let Span { first, count } = span.get();
        session.data_version.track();
        let Some(app) = session.opened() else {
            return;
        };
        let request = ask(ListAsk {
            app,
            text,
            status: (!status.is_empty()).then_some(status),
            created_before,
            offset: first,
            limit: count.max(1),
        });
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(answer) => page.set(Some(answer)),
                Err(error) => session.fail(error),
            }
        });
    });
}

/// Runs a change on the host for the open app, says how it went in `report` (a failure
/// after `failing`, which names what was tried), and has the lists read again.
fn change<F>(report: RwSignal<Option<String>>, failing: String, act: impl FnOnce(AppRef) -> F)
where
    F: Future<Output = Result<String, ApiError>> + 'static,
{
    let session = SessionCtx::expect();
    let Some(app) = session.opened_untracked() else {
        return;
    };
    let outcome = act(app);
    spawn_local(async move {
        report.set(Some(
            outcome
                .await
                .unwrap_or_else(|error| format!("{failing}: {}", error.message)),
        ));
        session.refresh();
    });
}

/// Asks for the rows in view when a scroll left the window asked for.
fn follow_scroll<T: Send + Sync + 'static>(
    scroller: NodeRef<html::Div>,
    page: RwSignal<Option<Page<T>>>,
    span: RwSignal<Span>,
) {
    let Some(element) = scroller.get_untracked() else {
        return;
    };
    let top = f64::from(element.scroll_top());
    let height = f64::from(element.client_height()).max(viewport::ROW_HEIGHT);
    let Some(matching) = page.with_untracked(|page| page.as_ref().map(|page| page.matching)) else {
        return;
    };
    let visible = Span {
        first: (top / viewport::ROW_HEIGHT).floor() as u32,
        count: (height / viewport::ROW_HEIGHT).ceil() as u32,
    };
    let visible = Span {
        count: visible.count.min(matching.saturating_sub(visible.first)),
        ..visible
    };
    if !span.get_untracked().contains(visible) {
        span.set(viewport::span(top, height, matching));
    }
}

/// Heights, in CSS pixels, of the room above and below the rows asked for, which gives
/// the list its full height so that it scrolls as if every row were there.
fn gaps<T: Send + Sync + 'static>(
    page: RwSignal<Option<Page<T>>>,
) -> (Signal<String>, Signal<String>) {
    let px = |rows: u32| format!("{}px", f64::from(rows) * viewport::ROW_HEIGHT);
    let above =
        Signal::derive(move || page.with(|page| px(page.as_ref().map_or(0, |page| page.offset))));
    let below = Signal::derive(move || {
        page.with(|page| {
            px(page.as_ref().map_or(0, |page| {
                page.matching
                    .saturating_sub(page.offset)
                    .saturating_sub(page.rows.len() as u32)
            }))
        })
    });
    (above, below)
}

/// Matching and total rows of a list's answer, once there is one.
fn counts<T: Send + Sync + 'static>(page: RwSignal<Option<Page<T>>>) -> Signal<Option<(u32, u32)>> {
    Signal::derive(move || page.with(|page| page.as_ref().map(|p| (p.matching, p.total))))
}

/// A list's search box, status filter ("Any status" first) and counts.
#[component]
fn ListFilters(
    text: RwSignal<String>,
    filter: ListFilter,
    page_counts: Signal<Option<(u32, u32)>>,
    noun: &'static str,
    search_label: &'static str,
    placeholder: &'static str,
    status_label: &'static str,
    statuses: &'static [(&'static str, &'static str)],
    /// What the "created before" limit is called, e.g. "Sent before".
    before_label: &'static str,
) -> impl IntoView {
    let ListFilter { status, before } = filter;
    view! {
        <div class="toolbar">
            <input type="search" class="search" aria-label=search_label placeholder=placeholder bind:value=text />
            <select aria-label=status_label bind:value=status>
                // `selected` as well as the bound value: a status set by a finding before the
                // tab opened must show when the options are first drawn.
                <option value="" selected=move || status.with(String::is_empty)>"Any status"</option>
                {statuses.iter().map(|&(value, label)| view! {
                    <option value=value selected=move || status.with(|s| s == value)>{label}</option>
                }).collect_view()}
            </select>
            {move || before.get().map(|at| view! {
                <span class="chip" role="status">
                    {format!("{before_label} {}", format::date_time(at))}
                    <button class="icon" aria-label=format!("Clear {}", before_label.to_lowercase())
                        on:click=move |_| before.set(None)>"×"</button>
                </span>
            })}
            <span class="counts">{move || shown_text(&page_counts.get(), noun)}</span>
        </div>
    }
}

/// How the last action of a list went.
#[component]
fn Report(report: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        report
            .get()
            .map(|text| view! { <p role="status" class="notice">{text}</p> })
    }
}

#[component]
pub fn InvitationsTab() -> impl IntoView {
    let session = SessionCtx::expect();
    let text = RwSignal::new(String::new());
    let filter = expect_context::<ListsCtx>().invites;
    let page = RwSignal::new(None::<Page<InviteRow>>);
    let report = RwSignal::new(None::<String>);
    let handles = RwSignal::new(String::new());
    let span = RwSignal::new(FIRST_WINDOW);
    let scroller = NodeRef::<html::Div>::new();
    let (above, below) = gaps(page);
    let offline = move || session.offline.get().is_some();
    let turned_off = move || session.app().is_some_and(|app| !app.invitation_enabled);
    // Why sending invitations is unavailable, if it is.
    let cannot_send = move || {
        if offline() {
            Some(format::OFFLINE)
        } else if turned_off() {
            Some("invitations are turned off for this app")
        } else {
            None
        }
    };
    follow_list(page, text, filter, span, scroller, QueryInvites::from);

    let invite = move |_| {
        let failing = "Could not invite".to_owned();
        change(report, failing, |app| async move {
            let done = ipc::call(CreateInvites {
                app,
                handles: split_handles(&handles.get_untracked()),
            })
            .await?;
            handles.set(String::new());
            let mut text = format!("Invited {}.", done.invited.len());
            if !done.skipped.is_empty() {
                text.push_str(&format!(
                    " Skipped (already a user or invited): {}.",
                    done.skipped.join(", ")
                ));
            }
            Ok(text)
        });
    };
    let confirming = RwSignal::new(None::<Pending>);
    let (confirm_busy, confirm_error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let act = move |handle: String, resend: bool| {
        let failing = if resend {
            format!("Could not send the invitation to {handle} again")
        } else {
            format!("Could not revoke the invitation to {handle}")
        };
        change(report, failing, |app| async move {
            if resend {
                ipc::call(ResendInvite {
                    app,
                    handle: handle.clone(),
                })
                .await?;
                Ok(format!("Invitation sent again to {handle}."))
            } else {
                ipc::call(RevokeInvite {
                    app,
                    handle: handle.clone(),
                })
                .await?;
                Ok(format!("Invitation to {handle} revoked."))
            }
        });
    };

    view! {
        <ListFilters
            text filter page_counts=counts(page) noun="invitations"
            search_label="Search invitations" placeholder="Search invitee or sender"
            status_label="Invitation status" statuses=&[("pending", "Pending"), ("active", "Active")]
            before_label="Sent before"
        />
        <ConfirmAction pending=confirming busy=confirm_busy error=confirm_error />
        <Show when=turned_off>
            <p role="note" class="notice">"Invitations are turned off for this app: new ones cannot be sent. Those sent before are listed."</p>
        </Show>
        <div class="toolbar">
            <input type="text" class="search" aria-label="Handles to invite" placeholder="ana@example.com, bo@example.com" bind:value=handles />
            <button on:click=invite disabled=move || cannot_send().is_some() || handles.with(|h| h.trim().is_empty())
                title=move || format::action_title(cannot_send(), "Invite these handles")>"Invite users"</button>
        </div>
        <Report report />
        <div class="list-panel" node_ref=scroller on:scroll=move |_| follow_scroll(scroller, page, span)>
            <div class="list-window" style:padding-top=above style:padding-bottom=below>
            <table class="simple-table" aria-label="Invitations">
                <thead><tr><th>"Invitee"</th><th>"Sender"</th><th>"Status"</th><th>"Created"</th><th>"Actions"</th></tr></thead>
                <tbody>
                    {move || page.get().map(|page| page.rows.into_iter().map(|row| {
                        let pending = row.status == InviteStatus::Pending;
                        let (resend_handle, revoke_handle) = (row.handle.clone(), row.handle.clone());
                        view! {
                            <tr>
                                <td>{row.handle.clone()}</td>
                                <td>{row.sender.clone()}</td>
                                <td>{row.status.wire_name()}</td>
                                <td class="date">{format::date_time(row.created_at)}</td>
                                <td>
                                    <Show when=move || pending>
                                        <button class="icon" aria-label=format!("Resend invitation to {}", resend_handle)
                                            disabled=move || cannot_send().is_some() title=move || format::action_title(cannot_send(), "Send the invitation again")
                                            on:click={let h = resend_handle.clone(); move |_| act(h.clone(), true)}>"Resend"</button>
                                    </Show>
                                    <button class="icon" aria-label=format!("Revoke invitation to {}", revoke_handle)
                                        disabled=offline title=move || format::action_title(offline().then_some(format::OFFLINE), "Withdraw the invitation")
                                        on:click={let h = revoke_handle.clone(); move |_| {
                                            let handle = h.clone();
                                            confirming.set(Some(Pending {
                                                title: format!("Revoke the invitation to {handle}?"),
                                                text: "The invitation is deleted on the host: its code stops working. You can invite the same address again later.".to_owned(),
                                                run: Callback::new(move |()| {
                                                    confirming.set(None);
                                                    act(handle.clone(), false);
                                                }),
                                            }));
                                        }}>"Revoke"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            </div>
        </div>
    }
}

#[component]
pub fn SignupsTab() -> impl IntoView {
    let session = SessionCtx::expect();
    let text = RwSignal::new(String::new());
    let filter = expect_context::<ListsCtx>().signups;
    let page = RwSignal::new(None::<Page<SignupRow>>);
    let report = RwSignal::new(None::<String>);
    let offline = move || session.offline.get().is_some();
    let turned_off = move || session.app().is_some_and(|app| !app.signup_enabled);
    let span = RwSignal::new(FIRST_WINDOW);
    let scroller = NodeRef::<html::Div>::new();
    let (above, below) = gaps(page);
    follow_list(page, text, filter, span, scroller, QuerySignups::from);
    let confirming = RwSignal::new(None::<Pending>);
    let (confirm_busy, confirm_error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let remove = move |row: SignupRow| {
        let failing = format!("Could not remove the signup of {}", row.handle);
        change(report, failing, |app| async move {
            ipc::call(RemoveSignup {
                app,
                handle: row.handle.clone(),
                signup_id: row.id,
            })
            .await?;
            Ok(format!("Signup of {} removed.", row.handle))
        });
    };

    view! {
        <ListFilters
            text filter page_counts=counts(page) noun="signups"
            search_label="Search signups" placeholder="Search handle"
            status_label="Signup status"
            statuses=&[("pending", "Pending"), ("completed", "Completed"), ("addedByAdmin", "Added by admin")]
            before_label="Started before"
        />
        <ConfirmAction pending=confirming busy=confirm_busy error=confirm_error />
        <Show when=turned_off>
            <p role="note" class="notice">"Signups are turned off for this app: end users cannot sign up. Earlier signups are listed."</p>
        </Show>
        <Report report />
        <div class="list-panel" node_ref=scroller on:scroll=move |_| follow_scroll(scroller, page, span)>
            <div class="list-window" style:padding-top=above style:padding-bottom=below>
            <table class="simple-table" aria-label="Signups">
                <thead><tr><th>"Handle"</th><th>"Status"</th><th>"Created"</th><th>"Actions"</th></tr></thead>
                <tbody>
                    {move || page.get().map(|page| page.rows.into_iter().map(|row| {
                        let pending = row.status == SignupStatus::Pending;
                        let target = row.clone();
                        view! {
                            <tr>
                                <td>{row.handle.clone()}</td>
                                <td>{row.status.wire_name()}</td>
                                <td class="date">{format::date_time(row.created_at)}</td>
                                <td>
                                    <Show when=move || pending>
                                        <button class="icon" aria-label=format!("Remove signup of {}", target.handle)
                                            disabled=offline title=move || format::action_title(offline().then_some(format::OFFLINE), "Remove this pending signup")
                                            on:click={let t = target.clone(); move |_| {
                                                let row = t.clone();
                                                confirming.set(Some(Pending {
                                                    title: format!("Remove the signup of {}?", row.handle),
                                                    text: "The pending signup is deleted on the host: its code stops working. The person can sign up again.".to_owned(),
                                                    run: Callback::new(move |()| {
                                                        confirming.set(None);
                                                        remove(row.clone());
                                                    }),
                                                }));
                                            }}>"Remove"</button>
                                    </Show>
                                </td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_split_on_any_separator() {
        assert_eq!(
            split_handles(" a@x.io, b@x.io;c@x.io\nd@x.io  "),
            vec!["a@x.io", "b@x.io", "c@x.io", "d@x.io"]
        );
        assert!(split_handles(" , ; ").is_empty());
    }
}
