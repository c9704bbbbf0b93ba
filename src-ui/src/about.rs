//! The About panel: what the backend reports of itself.

use crate::ipc;
use gatehouse_types::{AppInfo, AppInfoDto, KeyringStatus};
use leptos::prelude::*;

/// The keyring line in plain words.
pub fn keyring_text(status: &KeyringStatus) -> String {
    match status {
        KeyringStatus::Available => "available".to_owned(),
        KeyringStatus::Unavailable { reason } => format!("unavailable: {reason}"),
    }
}

#[component]
pub fn About() -> impl IntoView {
    let info = LocalResource::new(|| ipc::call(AppInfo {}));
    view! {
        <section class="about" aria-label="About Gatehouse">
            <h2>"About"</h2>
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

fn details(info: AppInfoDto) -> impl IntoView {
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
        </dl>
        <Show when=move || unavailable>
            <p class="notice" role="status">
                "Server secrets you enter are kept for this session only."
            </p>
        </Show>
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
