//! The About panel: what the backend reports of itself.

use crate::ipc;
use gatehouse_types::{AppInfo, KeyringStatus, LoadAppInfo, LoadTheme, SaveTheme, Theme};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The keyring line in plain words.
pub fn keyring_text(status: &KeyringStatus) -> String {
    match status {
        KeyringStatus::Available => "available".to_owned(),
        KeyringStatus::Unavailable { reason } => format!("unavailable: {reason}"),
    }
}

/// Shows `theme` in the page: `data-theme` on the root element picks the colours
/// (`style.css`); `System` leaves it to the OS's light or dark setting.
pub fn apply_theme(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        Theme::Light => root.set_attribute("data-theme", "light"),
        Theme::Dark => root.set_attribute("data-theme", "dark"),
    };
}

/// The remembered theme, applied at start.
pub fn restore_theme(theme: RwSignal<Theme>) {
    spawn_local(async move {
        if let Ok(saved) = ipc::call(LoadTheme {}).await {
            theme.set(saved);
            apply_theme(saved);
        }
    });
}

#[component]
pub fn About() -> impl IntoView {
    let info = LocalResource::new(|| ipc::call(LoadAppInfo {}));
    let dialogs = expect_context::<crate::dialogs::DialogCtx>();
    let theme = RwSignal::new(Theme::System);
    restore_theme(theme);
    let choose = move |event| {
        let value = event_target_value(&event);
        let Some(chosen) = Theme::ALL.into_iter().find(|t| t.label() == value) else {
            return;
        };
        theme.set(chosen);
        apply_theme(chosen);
        spawn_local(async move {
            let _ = ipc::call(SaveTheme { theme: chosen }).await;
        });
    };
    view! {
        <section class="about" aria-label="About Gatehouse">
            <h2>"About"</h2>
            <div class="toolbar">
                <label class="inline">"Theme"
                    <select aria-label="Theme" on:change=choose prop:value=move || theme.get().label()>
                        {Theme::ALL.iter().map(|t| view! { <option value=t.label()>{t.label()}</option> }).collect_view()}
                    </select>
                </label>
                <button on:click=move |_| dialogs.open(crate::dialogs::Dialog::Shortcuts)>"Keyboard shortcuts"</button>
            </div>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || info.get().map(|result| match result {
                    Ok(info) => details(info).into_any(),
                    Err(error) => view! {
                        <p class="error" role="alert">{error.message}</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// Every third-party crate the app and its UI ship, with its license (`cargo xtask
/// licenses` writes the list from `Cargo.lock`; `cargo xtask test` checks it).
const LICENSES: &str = include_str!("../third-party-licenses.txt");

fn details(info: AppInfo) -> impl IntoView {
    let keyring = keyring_text(&info.keyring);
    let unavailable = matches!(info.keyring, KeyringStatus::Unavailable { .. });
    view! {
        <dl>
            <dt id="about-version">"Version"</dt>
            <dd aria-labelledby="about-version">{info.version}</dd>
            <dt id="about-data">"Data folder"</dt>
            <dd aria-labelledby="about-data">{info.data_dir}</dd>
            <dt id="about-keyring">"Keyring"</dt>
            <dd aria-labelledby="about-keyring">{keyring}</dd>
            <dt id="about-backend">"Keyring backend"</dt>
            <dd aria-labelledby="about-backend">{info.keyring_backend}</dd>
            <dt id="about-license">"License"</dt>
            <dd aria-labelledby="about-license">{info.license}</dd>
            <dt id="about-log">"Log folder"</dt>
            <dd aria-labelledby="about-log">{info.log_dir.clone().unwrap_or_else(|| "no log file".to_owned())}</dd>
        </dl>
        {info.log_dir.is_some().then(|| view! { <OpenLogFolderButton /> })}
        <details class="licenses">
            <summary>{format!("Third-party licenses ({} components)", LICENSES.lines().count())}</summary>
            <pre aria-label="Third-party licenses">{LICENSES}</pre>
        </details>
        <Show when=move || unavailable>
            <p class="notice" role="status">
                "Server secrets you enter are kept for this session only."
            </p>
        </Show>
    }
}

/// Shows the log folder in the system's file manager; a failure is said beside it.
#[component]
fn OpenLogFolderButton() -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let open = move |_| {
        spawn_local(async move {
            if let Err(error) = ipc::call(gatehouse_types::OpenLogFolder {}).await {
                failed.set(Some(error.message));
            }
        });
    };
    view! {
        <button on:click=open>"Open log folder"</button>
        {move || failed.get().map(|message| view! { <span class="error" role="status">{message}</span> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_keyring_says_why() {
        let text = keyring_text(&KeyringStatus::Unavailable {
            reason: "locked".into(),
        });
        assert_eq!(text, "unavailable: locked");
    }
}
