//! Row selection and bulk actions. "Select all" means every row matching the query,
//! minus those unticked since: the backend resolves it, so it works at a million rows.

use crate::bar::sleep;
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    ApplyBulkAction, BulkKind, BulkLine, BulkLineOutcome, CancelBulk, Progress, QueryBulkProgress,
    Selection, UserFilter,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashSet;
use std::time::Duration;

/// Ticked rows: with `all`, `ids` are the rows unticked; without, the rows ticked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picked {
    pub all: bool,
    pub ids: HashSet<String>,
}

impl Picked {
    pub fn contains(&self, id: &str) -> bool {
        self.all != self.ids.contains(id)
    }

    pub fn toggle(&mut self, id: &str) {
        if !self.ids.remove(id) {
            self.ids.insert(id.to_owned());
        }
    }

    pub fn set(&mut self, id: &str, ticked: bool) {
        if self.contains(id) != ticked {
            self.toggle(id);
        }
    }

    /// How many rows are selected out of `matching`.
    pub fn count(&self, matching: u32) -> u32 {
        let listed = self.ids.len() as u32;
        if self.all {
            matching.saturating_sub(listed)
        } else {
            listed
        }
    }

    pub fn selection(&self, filter: &UserFilter) -> Selection {
        let ids: Vec<String> = self.ids.iter().cloned().collect();
        if self.all {
            Selection::AllMatching {
                filter: filter.clone(),
                except: ids,
            }
        } else {
            Selection::Ids { ids }
        }
    }
}

#[derive(Clone, Copy)]
pub struct SelectionCtx {
    pub picked: RwSignal<Picked>,
    /// The last row clicked, where a shift-click range starts.
    pub anchor: RwSignal<Option<u32>>,
    pub pending: RwSignal<Option<BulkKind>>,
    pub running: RwSignal<bool>,
    pub progress: RwSignal<Option<Progress>>,
    pub report: RwSignal<Option<(BulkKind, Vec<BulkLine>)>>,
}

impl SelectionCtx {
    pub fn new() -> Self {
        Self {
            picked: RwSignal::new(Picked::default()),
            anchor: RwSignal::new(None),
            pending: RwSignal::new(None),
            running: RwSignal::new(false),
            progress: RwSignal::new(None),
            report: RwSignal::new(None),
        }
    }

    pub fn clear(self) {
        self.picked.set(Picked::default());
        self.anchor.set(None);
    }

    pub fn select_all(self) {
        self.picked.set(Picked {
            all: true,
            ids: HashSet::new(),
        });
    }
}

impl Default for SelectionCtx {
    fn default() -> Self {
        Self::new()
    }
}

/// The bar of bulk actions, shown while rows are selected.
#[component]
pub fn BulkBar(filter: RwSignal<UserFilter>, matching: Signal<u32>) -> impl IntoView {
    let session = SessionCtx::expect();
    let selection = expect_context::<SelectionCtx>();
    let count = move || selection.picked.with(|picked| picked.count(matching.get()));
    let offline = move || session.offline.get().is_some();
    let visible = move || count() != 0 || selection.running.get();
    let ask = move |kind: BulkKind| selection.pending.set(Some(kind));
    let confirm = move |_| {
        let Some(kind) = selection.pending.get_untracked() else {
            return;
        };
        let Some(app) = session.opened_untracked() else {
            return;
        };
        selection.pending.set(None);
        selection.running.set(true);
        let request = ApplyBulkAction {
            app: app.clone(),
            action: kind,
            selection: selection
                .picked
                .with_untracked(|picked| picked.selection(&filter.get_untracked())),
        };
        spawn_local(async move {
            while selection.running.get_untracked() {
                if let Ok(now) = ipc::call(QueryBulkProgress { app: app.clone() }).await {
                    selection.progress.set(now);
                }
                sleep(Duration::from_millis(200)).await;
            }
        });
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(lines) => selection.report.set(Some((kind, lines))),
                Err(error) => session.fail(error),
            }
            selection.running.set(false);
            selection.progress.set(None);
            selection.clear();
            session.refresh();
        });
    };
    let cancel_run = move |_| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        spawn_local(async move {
            let _ = ipc::call(CancelBulk { app }).await;
        });
    };
    let button = move |kind: BulkKind| {
        view! {
            <button
                disabled=move || offline() || selection.running.get()
                title=move || if offline() { "Unavailable offline: the host does not answer".to_owned() } else { format!("{} the selected users", kind.verb()) }
                on:click=move |_| ask(kind)
            >{format!("{} selected", kind.verb())}</button>
        }
    };
    view! {
        <Show when=visible>
            <div class="bulk-bar" role="toolbar" aria-label="Bulk actions">
                <span>{move || format!("{} selected", format::count(count()))}</span>
                {button(BulkKind::Suspend)}
                {button(BulkKind::Activate)}
                {button(BulkKind::Delete)}
                <button class="link" on:click=move |_| selection.clear()>"Clear selection"</button>
                <Show when=move || selection.running.get()>
                    <progress
                        aria-label="Bulk progress"
                        max=move || selection.progress.get().and_then(|p| p.total).unwrap_or(1).max(1)
                        value=move || selection.progress.get().map(|p| p.fetched).unwrap_or(0)
                    ></progress>
                    <button on:click=cancel_run>"Cancel"</button>
                </Show>
            </div>
        </Show>
        {move || selection.pending.get().map(|kind| view! {
            <div class="dialog-backdrop">
                <section class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="bulk-title">
                    <h2 id="bulk-title">{format!("{} {} users?", kind.verb(), format::count(count()))}</h2>
                    <p>{match kind {
                        BulkKind::Delete => "They are deleted on the host, with their signups and invitations. This cannot be undone.",
                        BulkKind::Suspend => "They will not be able to log in until activated again.",
                        BulkKind::Activate => "They will be able to log in again.",
                    }}</p>
                    <div class="actions">
                        <button class="danger" on:click=confirm>"Confirm"</button>
                        <button on:click=move |_| selection.pending.set(None)>"Cancel"</button>
                    </div>
                </section>
            </div>
        })}
        {move || selection.report.get().map(|(kind, lines)| {
            let done = lines.iter().filter(|line| line.outcome == BulkLineOutcome::Done).count();
            view! {
                <div class="dialog-backdrop">
                    <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="report-title">
                        <h2 id="report-title">{format!("{}: {done} of {} done", kind.verb(), lines.len())}</h2>
                        {(done > 0).then(|| view! {
                            <p class="muted">{format!("{} done.", format::count(u32::try_from(done).unwrap_or(u32::MAX)))}</p>
                        })}
                        // Only what did not go through is listed: a thousand "done" lines
                        // would hide the few that need the user.
                        <ul class="report" aria-label="Bulk report">
                            {lines.into_iter().filter(|line| line.outcome != BulkLineOutcome::Done).map(|line| {
                                let who = line.handle.clone().unwrap_or_else(|| line.user_id.clone());
                                let why = line.reason.map(|reason| format!(" — {reason}")).unwrap_or_default();
                                view! { <li class=line.outcome.as_str()>{format!("{who}: {}{why}", line.outcome.as_str())}</li> }
                            }).collect_view()}
                        </ul>
                        <div class="actions">
                            <button class="primary" on:click=move |_| selection.report.set(None)>"Close"</button>
                        </div>
                    </section>
                </div>
            }
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_all_minus_unticked() {
        let mut picked = Picked {
            all: true,
            ids: HashSet::new(),
        };
        picked.toggle("a");
        assert!(!picked.contains("a"));
        assert!(picked.contains("b"));
        assert_eq!(picked.count(10), 9);
        assert_eq!(
            picked.selection(&UserFilter::default()),
            Selection::AllMatching {
                filter: UserFilter::default(),
                except: vec!["a".into()]
            }
        );
    }

    #[test]
    fn ticked_rows() {
        let mut picked = Picked::default();
        picked.set("a", true);
        picked.set("b", true);
        picked.set("a", false);
        assert_eq!(picked.count(10), 1);
        assert_eq!(
            picked.selection(&UserFilter::default()),
            Selection::Ids {
                ids: vec!["b".into()]
            }
        );
    }
}
