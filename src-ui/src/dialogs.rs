//! Dialogs inside the page (never native message boxes): confirmation, reset password,
//! add user and metadata. Each is opened through [`DialogCtx`] and closes with Esc.

use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    AddUser, DeleteUser, GeneratePassword, ListedApp, ResetPassword, SecretInput, UserRow,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The dialog on screen, if any.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    Delete(UserRow),
    ResetPassword(UserRow),
    AddUser,
    Metadata(UserRow),
    Audit,
    Shortcuts,
    DeletedUsers,
}

#[derive(Clone, Copy)]
pub struct DialogCtx(pub RwSignal<Option<Dialog>>);

impl DialogCtx {
    pub fn open(self, dialog: Dialog) {
        self.0.set(Some(dialog));
    }
    pub fn close(self) {
        self.0.set(None);
    }
}

#[component]
pub fn Dialogs() -> impl IntoView {
    let dialogs = expect_context::<DialogCtx>();
    view! {
        {move || dialogs.0.get().map(|dialog| {
            let body = match dialog {
                Dialog::Delete(row) => view! { <ConfirmDelete row /> }.into_any(),
                Dialog::ResetPassword(row) => view! { <ResetPasswordDialog row /> }.into_any(),
                Dialog::AddUser => view! { <AddUserDialog /> }.into_any(),
                Dialog::Metadata(row) => view! { <crate::metadata::MetadataDialog row /> }.into_any(),
                Dialog::Shortcuts => view! { <crate::shortcuts::ShortcutsSheet /> }.into_any(),
                Dialog::DeletedUsers => view! { <crate::recycle::DeletedUsersView /> }.into_any(),
                Dialog::Audit => view! {
                    <crate::audit::AuditView on_close=Callback::new(move |()| dialogs.close()) />
                }.into_any(),
            };
            view! { <div class="dialog-backdrop">{body}</div> }
        })}
    }
}

/// A destructive action waiting for the user's word (product.md §3): what the dialog's
/// title names, what it says happens, and the work `Confirm` starts.
#[derive(Clone)]
pub struct Pending {
    pub title: String,
    pub text: String,
    pub run: Callback<()>,
}

/// The confirmation dialog of a [`Pending`] action, inside the page: `Confirm` runs it,
/// `Cancel` or Esc drop it. `pending` is emptied by whoever runs the action when it ends
/// well; a failure stays in the dialog (`error`) until the user cancels.
#[component]
pub fn ConfirmAction(
    pending: RwSignal<Option<Pending>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let cancel = move || {
        pending.set(None);
        error.set(None);
    };
    move || {
        pending.get().map(|action| {
            let run = action.run;
            view! {
                <div class="dialog-backdrop">
                    <section class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-action-title"
                        on:keydown=move |event| if event.key() == "Escape" { cancel() }>
                        <h2 id="confirm-action-title">{action.title}</h2>
                        <p>{action.text}</p>
                        {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                        <div class="actions">
                            <button class="danger" on:click=move |_| run.run(()) disabled=move || busy.get()>"Confirm"</button>
                            <button on:click=move |_| cancel()>"Cancel"</button>
                        </div>
                    </section>
                </div>
            }
        })
    }
}

#[component]
fn ConfirmDelete(row: UserRow) -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let handle = row.handle.clone();
    let confirm = move |_| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        busy.set(true);
        let request = DeleteUser {
            app,
            handle: handle.clone(),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(()) => {
                    dialogs.close();
                    session.refresh();
                }
                Err(failure) => error.set(Some(failure.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{format!("Delete {}?", row.handle)}</h2>
            <p>"The user, their signup and their invitation are deleted on the host. This cannot be undone."</p>
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <div class="actions">
                <button class="danger" on:click=confirm disabled=move || busy.get()>"Confirm"</button>
                <button on:click=move |_| dialogs.close()>"Cancel"</button>
            </div>
        </section>
    }
}

#[component]
fn ResetPasswordDialog(row: UserRow) -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let typed = RwSignal::new(String::new());
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let rules = session
        .app()
        .map(|app| app.password_rules)
        .unwrap_or_default();
    let problems = Memo::new(move |_| {
        typed.with(|text| {
            if text.is_empty() {
                Vec::new()
            } else {
                rules.problems(text)
            }
        })
    });
    let user_id = row.id.clone();
    let send = move |password: Option<String>| {
        // Always the password as shown in the field: typed, or generated into it.
        let Some(app) = session.opened_untracked() else {
            return;
        };
        busy.set(true);
        let request = ResetPassword {
            app,
            user_id: user_id.clone(),
            password: password.map(SecretInput::new),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(reset) => done.set(Some(reset.password)),
                Err(failure) => error.set(Some(failure.message)),
            }
            busy.set(false);
        });
    };
    // `Generate` only fills the field, shown, so the administrator sees what will be
    // set; nothing reaches the host until `Confirm`.
    let generate = move |_| {
        busy.set(true);
        spawn_local(async move {
            match ipc::call(GeneratePassword {}).await {
                Ok(generated) => typed.set(generated.password),
                Err(failure) => error.set(Some(failure.message)),
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        if let (Some(password), Some(window)) = (done.get_untracked(), web_sys::window()) {
            let _ = window.navigator().clipboard().write_text(&password);
        }
    };
    view! {
        <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="reset-title">
            <h2 id="reset-title">{format!("Reset password for {}", row.handle)}</h2>
            <Show
                when=move || done.get().is_none()
                fallback=move || view! {
                    <p>"The new password is set. The host e-mails it to the user; it is shown here once."</p>
                    <p class="password" aria-label="New password set">{move || done.get().unwrap_or_default()}</p>
                    <div class="actions">
                        <button on:click=copy>"Copy"</button>
                        <button class="primary" on:click=move |_| dialogs.close()>"Close"</button>
                    </div>
                }
            >
                <p>"Generate a strong password, or type one; Confirm sets it. The host e-mails the new password to the user."</p>
                <label>"New password"<input type="text" aria-label="New password" autocomplete="off" bind:value=typed /></label>
                {move || {
                    let missing = problems.get();
                    (!missing.is_empty()).then(|| view! { <p class="error">{format!("Needs {}.", missing.join(", "))}</p> })
                }}
                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <div class="actions">
                    <button on:click=generate disabled=move || busy.get()>"Generate"</button>
                    <button
                        class="primary"
                        on:click={
                            let send = send.clone();
                            move |_| send(Some(typed.get_untracked()))
                        }
                        disabled=move || busy.get() || typed.with(String::is_empty) || !problems.with(Vec::is_empty)
                    >"Confirm"</button>
                    <button on:click=move |_| dialogs.close()>"Cancel"</button>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn AddUserDialog() -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let app: Option<ListedApp> = session.app();
    let rules = app
        .as_ref()
        .map(|app| app.password_rules.clone())
        .unwrap_or_default();
    let user_names = app.as_ref().is_some_and(|app| app.user_names_enabled);
    let fields = app.map(|app| app.meta_data).unwrap_or_default();
    let handle = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let values: Vec<RwSignal<String>> = fields
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let problems = Memo::new(move |_| {
        password.with(|text| {
            if text.is_empty() {
                Vec::new()
            } else {
                rules.problems(text)
            }
        })
    });
    let handle_problem = move || {
        let text = handle.get();
        let text = text.trim();
        if text.is_empty()
            || text.contains('@') && text.split('@').all(|part| !part.is_empty())
            || user_names && !text.contains('@')
        {
            None
        } else if user_names {
            Some("Enter an e-mail address or a user name.")
        } else {
            Some("Enter an e-mail address: this app does not use user names.")
        }
    };
    let field_list = fields.clone();
    let value_list = values.clone();
    let submit = move |_| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let mut meta = serde_json::Map::new();
        for (field, value) in field_list.iter().zip(&value_list) {
            let value = value.get_untracked();
            if field.required && value.trim().is_empty() {
                error.set(Some(format!("{} is required.", field.field_name)));
                return;
            }
            if !value.trim().is_empty() {
                insert_path(
                    &mut meta,
                    &field.path,
                    serde_json::Value::String(value.trim().to_owned()),
                );
            }
        }
        busy.set(true);
        error.set(None);
        let request = AddUser {
            app,
            handle: handle.get_untracked().trim().to_owned(),
            password: SecretInput::new(password.get_untracked()),
            meta_data: if meta.is_empty() {
                String::new()
            } else {
                serde_json::Value::Object(meta).to_string()
            },
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(_) => {
                    dialogs.close();
                    session.refresh();
                }
                Err(failure) => {
                    session.refresh();
                    error.set(Some(failure.message));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="dialog" role="dialog" aria-modal="true" aria-labelledby="add-title">
            <h2 id="add-title">"Add a user"</h2>
            <label>"Handle"<input type="text" aria-label="Handle" bind:value=handle placeholder="name@example.com" /></label>
            {move || handle_problem().map(|message| view! { <p class="error">{message}</p> })}
            <label>"Password"<input type="password" aria-label="Password" autocomplete="new-password" bind:value=password /></label>
            {move || {
                let missing = problems.get();
                (!missing.is_empty()).then(|| view! { <p class="error">{format!("Needs {}.", missing.join(", "))}</p> })
            }}
            {fields.into_iter().zip(values).map(|(field, value)| {
                let label = if field.required { format!("{} (required)", field.field_name) } else { field.field_name.clone() };
                view! { <label>{label}<input type="text" aria-label=field.field_name.clone() bind:value=value /></label> }
            }).collect_view()}
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <div class="actions">
                <button
                    class="primary"
                    on:click=submit
                    disabled=move || busy.get() || handle.with(|h| h.trim().is_empty()) || password.with(String::is_empty)
                        || !problems.with(Vec::is_empty) || handle_problem().is_some()
                >"Add user"</button>
                <button on:click=move |_| dialogs.close()>"Cancel"</button>
            </div>
        </section>
    }
}

/// Sets `value` at a dot-notation `path` (`profile.team`) inside `object`.
pub fn insert_path(
    object: &mut serde_json::Map<String, serde_json::Value>,
    path: &str,
    value: serde_json::Value,
) {
    let mut parts = path.split('.').filter(|part| !part.is_empty()).peekable();
    let mut current = object;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            current.insert(part.to_owned(), value);
            return;
        }
        let slot = current
            .entry(part.to_owned())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if !slot.is_object() {
            *slot = serde_json::Value::Object(Default::default());
        }
        let serde_json::Value::Object(next) = slot else {
            return;
        };
        current = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::value_at;
    use serde_json::json;

    #[test]
    fn dot_paths_nest() {
        let mut object = serde_json::Map::new();
        insert_path(&mut object, "profile.team", json!("blue"));
        insert_path(&mut object, "city", json!("Oslo"));
        let value = serde_json::Value::Object(object);
        assert_eq!(value, json!({"profile": {"team": "blue"}, "city": "Oslo"}));
        assert_eq!(value_at(&value, "profile.team").as_deref(), Some("blue"));
        assert_eq!(value_at(&value, "profile.missing"), None);
    }
}
