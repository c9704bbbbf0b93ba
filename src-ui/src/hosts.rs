//! Hosts: the first-launch welcome and the host form.

use crate::dialogs::{ConfirmAction, Pending};
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    ChooseCaFile, ErrorCode, ForgetLocalData, Host, RemoveHost, SaveHost, SecretInput, SecretPlace,
    StartDemoHost, TestHost,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Shown when no host is saved: the demo host, or a form for a real one.
#[component]
pub fn Welcome() -> impl IntoView {
    let session = SessionCtx::expect();
    let starting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let try_demo = move |_| {
        starting.set(true);
        error.set(None);
        spawn_local(async move {
            match ipc::call(StartDemoHost {}).await {
                Ok(host) => {
                    let id = host.id.clone();
                    session.hosts.update(|hosts| upsert(hosts, host));
                    session.open_host(id, None, Vec::new());
                }
                Err(failure) => error.set(Some(failure.message)),
            }
            starting.set(false);
        });
    };
    view! {
        <section class="welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Welcome to Gatehouse"</h2>
            <p>
                "Manage the JWT users of the apps on a Cosync JWT host. Add your host with its "
                "server secret, or look around first on a local demo host with thousands of "
                "made-up users."
            </p>
            <div class="actions">
                <button class="primary" on:click=try_demo disabled=move || starting.get()>
                    "Try the local demo host"
                </button>
                <button on:click=move |_| session.host_form.set(Some(None))>"Add a host"</button>
            </div>
            <Show when=move || starting.get()>
                <p role="status">"Starting the demo host…"</p>
            </Show>
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </section>
    }
}

/// Replaces the host with the same id, or appends it.
pub fn upsert(hosts: &mut Vec<Host>, host: Host) {
    match hosts.iter_mut().find(|existing| existing.id == host.id) {
        Some(existing) => *existing = host,
        None => hosts.push(host),
    }
}

/// Adds a host (`editing` is `None`) or edits one. The secret field is write-only: it is
/// never filled from the backend, and left empty it keeps the stored secret.
#[component]
pub fn HostForm(editing: Option<String>) -> impl IntoView {
    let session = SessionCtx::expect();
    let existing = editing.as_ref().and_then(|id| {
        session
            .hosts
            .with_untracked(|hosts| hosts.iter().find(|host| &host.id == id).cloned())
    });
    let name = RwSignal::new(
        existing
            .as_ref()
            .map(|host| host.name.clone())
            .unwrap_or_default(),
    );
    let url = RwSignal::new(
        existing
            .as_ref()
            .map(|host| host.url.clone())
            .unwrap_or_default(),
    );
    let ca_file = RwSignal::new(
        existing
            .as_ref()
            .and_then(|host| host.ca_file.clone())
            .unwrap_or_default(),
    );
    let allow_http = RwSignal::new(existing.as_ref().is_some_and(|host| host.allow_http));
    let secret = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let has_secret = existing
        .as_ref()
        .is_some_and(|host| host.secret != SecretPlace::Missing);
    let id = editing.clone();

    let typed_secret = move || {
        let text = secret.get_untracked();
        (!text.is_empty()).then(|| SecretInput::new(text))
    };
    let optional = |text: String| (!text.trim().is_empty()).then(|| text.trim().to_owned());

    let choose_ca_file = move |_| {
        spawn_local(async move {
            match ipc::call(ChooseCaFile {}).await {
                Ok(Some(path)) => ca_file.set(path),
                Ok(None) => {}
                Err(error) => message.set(Some((false, error.message))),
            }
        });
    };
    // After a failed test (by `Test connection` or by `Save host`), `Save anyway` stores
    // the host as typed.
    let untested_allowed = RwSignal::new(false);
    let test = {
        let id = id.clone();
        move |_| {
            busy.set(true);
            let request = TestHost {
                id: id.clone(),
                url: url.get_untracked(),
                secret: typed_secret(),
                ca_file: optional(ca_file.get_untracked()),
                allow_http: allow_http.get_untracked(),
            };
            spawn_local(async move {
                let outcome = ipc::call(request).await;
                message.set(Some(match outcome {
                    Ok(text) => {
                        untested_allowed.set(false);
                        (true, text)
                    }
                    Err(error) => {
                        untested_allowed.set(error.code != ErrorCode::InvalidInput);
                        (false, error.message)
                    }
                }));
                busy.set(false);
            });
        }
    };
    let save = {
        let id = id.clone();
        move |untested: bool| {
            busy.set(true);
            let request = SaveHost {
                id: id.clone(),
                name: name.get_untracked(),
                url: url.get_untracked(),
                secret: typed_secret(),
                ca_file: optional(ca_file.get_untracked()),
                allow_http: allow_http.get_untracked(),
                untested,
            };
            spawn_local(async move {
                match ipc::call(request).await {
                    Ok(saved) => {
                        secret.set(String::new());
                        let host_id = saved.host.id.clone();
                        session.hosts.update(|hosts| upsert(hosts, saved.host));
                        session.host_form.set(None);
                        if let Some(notice) = saved.notice {
                            session.error.set(Some(notice));
                        }
                        session.open_host(host_id, None, Vec::new());
                    }
                    Err(error) => {
                        untested_allowed.set(error.code != ErrorCode::InvalidInput);
                        message.set(Some((false, error.message)));
                    }
                }
                busy.set(false);
            });
        }
    };
    let confirming = RwSignal::new(None::<Pending>);
    let (confirm_busy, confirm_error) = (RwSignal::new(false), RwSignal::new(None::<String>));
    let host_name = existing
        .as_ref()
        .map(|host| host.name.clone())
        .unwrap_or_default();
    let remove = {
        let id = id.clone();
        let host_name = host_name.clone();
        move |_| {
            let Some(id) = id.clone() else { return };
            let run = Callback::new(move |()| {
                let id = id.clone();
                confirm_busy.set(true);
                spawn_local(async move {
                    match ipc::call(RemoveHost { id: id.clone() }).await {
                        Ok(()) => {
                            confirming.set(None);
                            session
                                .hosts
                                .update(|hosts| hosts.retain(|host| host.id != id));
                            session.host_form.set(None);
                            if session.host_id.get_untracked().as_deref() == Some(id.as_str()) {
                                session.host_id.set(None);
                                session.app_id.set(None);
                                session.apps.set(Vec::new());
                            }
                        }
                        // Told in the dialog where the user confirmed; the host stays.
                        Err(error) => confirm_error.set(Some(error.message)),
                    }
                    confirm_busy.set(false);
                });
            });
            confirm_error.set(None);
            confirming.set(Some(Pending {
                title: format!("Remove the host {host_name}?"),
                text: "Its server secret is deleted from the keyring and its offline copy from this computer. Nothing changes on the host.".to_owned(),
                run,
            }));
        }
    };
    let forget = {
        let id = id.clone();
        let host_name = host_name.clone();
        move |_| {
            let Some(id) = id.clone() else { return };
            let run = Callback::new(move |()| {
                let id = id.clone();
                confirming.set(None);
                spawn_local(async move {
                    let outcome = ipc::call(ForgetLocalData { id }).await;
                    message.set(Some(match outcome {
                        Ok(()) => (
                            true,
                            "Local data deleted. The next sync downloads it again.".to_owned(),
                        ),
                        Err(error) => (false, error.message),
                    }));
                    session.refresh();
                });
            });
            confirm_error.set(None);
            confirming.set(Some(Pending {
                title: format!("Forget the local data of {host_name}?"),
                text: "The offline copy of every app of this host is deleted from this computer. The host keeps everything; the next sync downloads it again.".to_owned(),
                run,
            }));
        }
    };
    let editing_existing = editing.is_some();
    let title = if editing_existing {
        "Edit host"
    } else {
        "Add a host"
    };
    // A saved secret is only ever sent to the URL it was saved with: the backend asks
    // for it again when the URL changes, and the hint says so before it is asked.
    let saved_url = existing.as_ref().map(|host| host.url.clone());
    let secret_hint = move || match &saved_url {
        Some(saved) if has_secret && url.with(|typed| typed.trim() == saved.as_str()) => {
            "Leave empty to keep the stored secret"
        }
        Some(_) if has_secret => "The URL changed: paste the server secret for the new address",
        _ => "Paste the host's server secret",
    };

    view! {
        <div class="dialog-backdrop">
            <section class="dialog host-form" role="dialog" aria-modal="true" aria-labelledby="host-form-title">
                <h2 id="host-form-title">{title}</h2>
                <label>"Name"<input type="text" aria-label="Name" bind:value=name placeholder="Production" /></label>
                <label>"URL"<input type="url" aria-label="URL" bind:value=url placeholder="https://rest.cosync.net" /></label>
                <label>
                    "Server secret"
                    <input type="password" aria-label="Server secret" autocomplete="off" bind:value=secret placeholder=secret_hint />
                </label>
                <label>
                    "CA certificate"
                    <span class="with-button">
                        <input type="text" aria-label="CA certificate" bind:value=ca_file placeholder="Optional: path to a PEM file" />
                        <button type="button" on:click=choose_ca_file>"Choose file"</button>
                    </span>
                </label>
                <label class="check">
                    <input type="checkbox" bind:checked=allow_http />
                    "Allow plain http:// to a remote host (the secret would travel unencrypted)"
                </label>
                {move || message.get().map(|(ok, text)| {
                    let class = if ok { "notice ok" } else { "error" };
                    view! { <p class=class role="status">{text}</p> }
                })}
                <div class="actions">
                    <button on:click=test disabled=move || busy.get()>"Test connection"</button>
                    <button class="primary" on:click={let save = save.clone(); move |_| save(false)} disabled=move || busy.get()>"Save host"</button>
                    <Show when=move || untested_allowed.get()>
                        <button on:click={let save = save.clone(); move |_| save(true)} disabled=move || busy.get()
                            title="Store the host as typed, although its test failed">"Save anyway"</button>
                    </Show>
                    <Show when=move || editing_existing>
                        <button on:click=forget.clone()>"Forget local data"</button>
                        <button class="danger" on:click=remove.clone()>"Remove host"</button>
                    </Show>
                    <button on:click=move |_| session.host_form.set(None)>"Cancel"</button>
                </div>
            </section>
            <ConfirmAction pending=confirming busy=confirm_busy error=confirm_error />
        </div>
    }
}
