//! The `Deleted users` view: users of the open app deleted from this computer in the
//! last 30 days, each with `Restore <handle>` (after a confirmation that says what
//! cannot come back).

use crate::dialogs::{ConfirmAction, DialogCtx, Pending};
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{DeletedUsers, QueryDeletedUsers, RestoreUser};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DeletedUsersView() -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let list = RwSignal::new(None::<Result<DeletedUsers, String>>);
    let reload = RwSignal::new(0u32);
    let pending = RwSignal::new(None::<Pending>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let offline = move || session.offline.get().is_some();
    Effect::new(move |_| {
        reload.track();
        let Some(app) = session.opened_untracked() else {
            list.set(Some(Err("Open an app first.".to_owned())));
            return;
        };
        spawn_local(async move {
            let answer = ipc::call(QueryDeletedUsers { app }).await;
            list.set(Some(answer.map_err(|failure| failure.message)));
        });
    });
    let ask_restore = move |handle: String, not_restored: String| {
        let run = Callback::new({
            let handle = handle.clone();
            move |()| {
                let Some(app) = session.opened_untracked() else {
                    return;
                };
                busy.set(true);
                let request = RestoreUser {
                    app,
                    handle: handle.clone(),
                };
                let handle = handle.clone();
                spawn_local(async move {
                    match ipc::call(request).await {
                        Ok(()) => {
                            pending.set(None);
                            error.set(None);
                            said.set(Some(format!(
                                "Restored {handle}: added again with their metadata and status; the host e-mailed them a new password."
                            )));
                            reload.update(|n| *n += 1);
                            session.refresh();
                        }
                        Err(failure) => error.set(Some(format!(
                            "Could not restore {handle}: {}",
                            failure.message
                        ))),
                    }
                    busy.set(false);
                });
            }
        });
        pending.set(Some(Pending {
            title: format!("Restore {handle}?"),
            text: format!(
                "{handle} is added to the app again with a new password, which the host e-mails to them, and with the metadata and status they had. What cannot come back: {not_restored}."
            ),
            run,
        }));
    };
    view! {
        <section class="dialog deleted" role="dialog" aria-modal="true" aria-labelledby="deleted-title">
            <h2 id="deleted-title">"Deleted users"</h2>
            <p class="muted">"Users of this app deleted from this computer in the last 30 days."</p>
            {move || said.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
            {move || match list.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(dto)) if dto.rows.is_empty() => view! {
                    <p class="muted">"No user of this app was deleted here in the last 30 days."</p>
                }.into_any(),
                Some(Ok(dto)) => {
                    let not_restored = dto.not_restored.clone();
                    view! {
                        <table class="simple-table" aria-label="Deleted users">
                            <thead><tr><th>"Handle"</th><th>"Status"</th><th>"Deleted"</th><th></th></tr></thead>
                            <tbody>
                                {dto.rows.into_iter().map(|row| {
                                    let handle = row.handle.clone();
                                    let not_restored = not_restored.clone();
                                    view! {
                                        <tr>
                                            <td>{row.handle.clone()}</td>
                                            <td>{row.status.clone()}</td>
                                            <td>{format::date_time(row.deleted_at)}</td>
                                            <td>
                                                <button aria-label=format!("Restore {}", row.handle)
                                                    disabled=offline
                                                    title=move || format::action_title(offline().then_some(format::OFFLINE), "Add this user again")
                                                    on:click=move |_| ask_restore(handle.clone(), not_restored.clone())>
                                                    "Restore"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
            <div class="actions">
                <button on:click=move |_| dialogs.close()>"Close"</button>
            </div>
        </section>
        <ConfirmAction pending busy error />
    }
}
