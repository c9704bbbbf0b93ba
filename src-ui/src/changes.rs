//! The Changes tab: the app's syncs, newest first, each with what it found changed on
//! the host since the sync before it; a user's row leads to that user in the Users tab.

use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    ChangeKind, ChangeRow, KindCount, Page, QueryChanges, QuerySyncRuns, SyncRunRow,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Changes shown at first, and added by `Show more`.
const STEP: u32 = 200;

/// A run's changes in words: `3 user added, 1 suspended`, or why there are none.
pub fn run_summary(run: &SyncRunRow) -> String {
    if run.first {
        return "first sync: nothing to compare with".to_owned();
    }
    counts_text(&run.counts)
}

pub fn counts_text(counts: &[KindCount]) -> String {
    if counts.is_empty() {
        return "no changes".to_owned();
    }
    counts
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                format::count(c.count),
                c.kind.label().to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn ChangesTab(on_show_user: Callback<String>) -> impl IntoView {
    let session = SessionCtx::expect();
    let runs = RwSignal::new(None::<Vec<SyncRunRow>>);
    let selected = RwSignal::new(None::<i64>);
    let kind = RwSignal::new(None::<ChangeKind>);
    let text = RwSignal::new(String::new());
    let limit = RwSignal::new(STEP);
    let page = RwSignal::new(None::<Page<ChangeRow>>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        session.data_version.track();
        let Some(app) = session.opened() else {
            return;
        };
        spawn_local(async move {
            match ipc::call(QuerySyncRuns { app }).await {
                Ok(answer) => {
                    // The newest run, unless the user picked another that still exists.
                    let keep = selected
                        .get_untracked()
                        .filter(|id| answer.iter().any(|run| run.id == *id));
                    selected.set(keep.or(answer.first().map(|run| run.id)));
                    runs.set(Some(answer));
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    });
    Effect::new(move |_| {
        session.data_version.track();
        let Some(run) = selected.get() else {
            page.set(None);
            return;
        };
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let request = QueryChanges {
            app,
            run: Some(run),
            kinds: kind.get().into_iter().collect(),
            text: text.get(),
            offset: 0,
            limit: limit.get(),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(answer) => page.set(Some(answer)),
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    });
    let run_list = move || {
        runs.get().map(|all| {
            if all.is_empty() {
                return view! { <p class="muted">"No sync recorded yet: each sync from now on records what changed since the one before."</p> }.into_any();
            }
            view! {
                <ul class="runs" role="listbox" aria-label="Syncs">
                    {all.into_iter().map(|run| {
                        let id = run.id;
                        let summary = run_summary(&run);
                        let when = format::date_time(run.at);
                        view! {
                            <li role="option" aria-selected=move || (selected.get() == Some(id)).to_string()
                                class:selected=move || selected.get() == Some(id)
                                tabindex="0"
                                on:click=move |_| { limit.set(STEP); selected.set(Some(id)); }
                                on:keydown=move |event| if event.key() == "Enter" { selected.set(Some(id)); }>
                                <strong>{when}</strong>
                                <span class="muted">{format!(" · {} users", format::count(run.users))}</span>
                                <div>{summary}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    view! {
        <div class="changes">
            <aside class="run-list">{run_list}</aside>
            <div class="change-list">
                <div class="toolbar">
                    <input type="search" class="search" aria-label="Search changes" placeholder="Handle"
                        on:input=move |event| { limit.set(STEP); text.set(event_target_value(&event)); } />
                    <select aria-label="Kind filter" on:change=move |event| {
                        let value = event_target_value(&event);
                        limit.set(STEP);
                        kind.set(ChangeKind::ALL.into_iter().find(|k| k.label() == value));
                    }>
                        <option value="">"All kinds"</option>
                        {ChangeKind::ALL.iter().map(|k| view! { <option value=k.label()>{k.label()}</option> }).collect_view()}
                    </select>
                    <span class="counts">{move || page.with(|p| p.as_ref().map(|p| format!("{} changes", format::count(p.matching))))}</span>
                </div>
                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <div class="list-panel">
                    <table class="simple-table" aria-label="Changes">
                        <thead><tr><th>"Change"</th><th>"Handle"</th><th>"Before → after"</th></tr></thead>
                        <tbody>
                            {move || page.get().map(|p| p.rows.into_iter().map(|row| {
                                let handle = row.handle.clone();
                                let shown = handle.clone();
                                let cell = if row.kind.is_user() {
                                    view! {
                                        <button class="link" aria-label=format!("Show {handle} in Users")
                                            on:click=move |_| on_show_user.run(shown.clone())>{handle.clone()}</button>
                                    }.into_any()
                                } else {
                                    view! { <span>{handle.clone()}</span> }.into_any()
                                };
                                view! {
                                    <tr class=format!("change {}", row.kind.label().to_lowercase().replace(' ', "-"))>
                                        <td>{row.kind.label()}</td>
                                        <td>{cell}</td>
                                        <td>{row.detail}</td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                    {move || page.with(|p| p.as_ref().is_some_and(|p| p.matching > limit.get())).then(|| view! {
                        <button on:click=move |_| limit.update(|l| *l += STEP)>"Show more"</button>
                    })}
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(first: bool, counts: Vec<KindCount>) -> SyncRunRow {
        SyncRunRow {
            id: 1,
            at: 0,
            duration_ms: 5,
            users: 10,
            invites: 0,
            signups: 0,
            first,
            counts,
        }
    }

    #[test]
    fn a_run_reads_as_its_counts() {
        assert_eq!(
            run_summary(&run(true, vec![])),
            "first sync: nothing to compare with"
        );
        assert_eq!(run_summary(&run(false, vec![])), "no changes");
        let counts = vec![
            KindCount {
                kind: ChangeKind::UserAdded,
                count: 3,
            },
            KindCount {
                kind: ChangeKind::Suspended,
                count: 1,
            },
        ];
        assert_eq!(
            run_summary(&run(false, counts)),
            "3 user added, 1 suspended"
        );
    }
}
