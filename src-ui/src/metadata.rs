//! The metadata of one user: the app's declared fields first, then other keys, a raw
//! JSON view, and editing checked against the app's required fields.

use crate::dialogs::DialogCtx;
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    MetaField, Metadata, QueryUserHistory, QueryUserMetadata, UpdateMetadata, UserHistory, UserRow,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The names of the required fields that `value` lacks or leaves empty.
pub fn missing_required(fields: &[MetaField], value: &serde_json::Value) -> Vec<String> {
    fields
        .iter()
        .filter(|field| field.required)
        .filter(|field| {
            value_at(value, &field.path).is_none_or(|text| text.trim().is_empty() || text == "null")
        })
        .map(|field| field.field_name.clone())
        .collect()
}

/// The value at a dot-notation path, as text.
pub fn value_at(object: &serde_json::Value, path: &str) -> Option<String> {
    let mut current = object;
    for part in path.split('.').filter(|part| !part.is_empty()) {
        current = current.get(part)?;
    }
    Some(match current {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}

/// Every value of `object` that no declared field shows, by its dot path (`profile.city`
/// when only `profile.team` is declared), in key order. Objects are walked
/// into; anything else (text, numbers, arrays) is one value.
pub fn undeclared_values(
    fields: &[MetaField],
    object: &serde_json::Value,
) -> Vec<(String, String)> {
    fn walk(
        value: &serde_json::Value,
        path: &str,
        declared: &[&str],
        out: &mut Vec<(String, String)>,
    ) {
        // A declared path shows its whole value, nested keys and all.
        let shown = |path: &str| {
            declared.iter().any(|d| {
                path == *d
                    || path
                        .strip_prefix(*d)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        };
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    let inner_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    if !shown(&inner_path) {
                        walk(inner, &inner_path, declared, out);
                    }
                }
            }
            serde_json::Value::String(text) if !path.is_empty() => {
                out.push((path.to_owned(), text.clone()))
            }
            other if !path.is_empty() => out.push((path.to_owned(), other.to_string())),
            _ => {}
        }
    }
    let declared: Vec<&str> = fields.iter().map(|field| field.path.as_str()).collect();
    let mut out = Vec::new();
    walk(object, "", &declared, &mut out);
    out
}

#[component]
pub fn MetadataDialog(row: UserRow) -> impl IntoView {
    let session = SessionCtx::expect();
    let dialogs = expect_context::<DialogCtx>();
    let loaded = RwSignal::new(None::<Metadata>);
    let raw = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let offline = move || session.offline.get().is_some();
    let fields = session.app().map(|app| app.meta_data).unwrap_or_default();
    let required: Vec<MetaField> = fields
        .iter()
        .filter(|field| field.required)
        .cloned()
        .collect();
    if let Some(app) = session.opened_untracked() {
        let request = QueryUserMetadata {
            app,
            user_id: row.id.clone(),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(dto) => {
                    draft.set(dto.json.clone());
                    loaded.set(Some(dto));
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    }
    let handle = row.handle.clone();
    let save = move |_| {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let text = draft.get_untracked();
        let value = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
        {
            Ok(object) => serde_json::Value::Object(object),
            Err(problem) => {
                error.set(Some(format!("Metadata must be a JSON object: {problem}.")));
                return;
            }
        };
        let missing = missing_required(&required, &value);
        if !missing.is_empty() {
            error.set(Some(format!(
                "Required by the app: {}.",
                missing.join(", ")
            )));
            return;
        }
        let request = UpdateMetadata {
            app,
            handle: handle.clone(),
            json: text.clone(),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(()) => {
                    editing.set(false);
                    error.set(None);
                    loaded.update(|dto| {
                        if let Some(dto) = dto {
                            dto.json = text
                        }
                    });
                    session.refresh();
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    };
    let title = format!("Metadata for {}", row.handle);
    let heading = title.clone();
    view! {
        <section class="dialog metadata" role="dialog" aria-modal="true" aria-label=title>
            <h2>{heading}</h2>
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            {move || loaded.get().map(|dto| {
                let value: serde_json::Value = serde_json::from_str(&dto.json).unwrap_or_default();
                if editing.get() {
                    view! { <textarea aria-label="Metadata JSON" rows="12" bind:value=draft></textarea> }.into_any()
                } else if raw.get() {
                    view! { <pre class="json">{dto.json.clone()}</pre> }.into_any()
                } else {
                    let declared: Vec<_> = fields.iter().map(|field| (field.field_name.clone(), value_at(&value, &field.path).unwrap_or_else(|| "—".into()))).collect();
                    let others = undeclared_values(&fields, &value);
                    view! {
                        <dl class="fields">
                            {declared.into_iter().chain(others).map(|(name, text)| view! { <dt>{name}</dt><dd>{text}</dd> }).collect_view()}
                        </dl>
                    }.into_any()
                }
            })}
            <UserHistoryPart handle=row.handle.clone() />
            <div class="actions">
                <Show when=move || !editing.get() fallback=move || view! {
                    <button class="primary" on:click=save.clone()>"Save metadata"</button>
                    <button on:click=move |_| editing.set(false)>"Cancel"</button>
                }>
                    <button on:click=move |_| raw.update(|raw| *raw = !*raw)>"Raw JSON"</button>
                    <button
                        on:click=move |_| editing.set(true)
                        disabled=offline
                        title=move || if offline() { "Offline: editing needs the host" } else { "" }
                    >"Edit metadata"</button>
                    <button on:click=move |_| dialogs.close()>"Close"</button>
                </Show>
            </div>
        </section>
    }
}

/// The user's history, loaded when opened: what syncs found, what was sent from this
/// computer, what the host logged; newest first.
#[component]
fn UserHistoryPart(handle: String) -> impl IntoView {
    let session = SessionCtx::expect();
    let history = RwSignal::new(None::<Result<UserHistory, String>>);
    let asked = StoredValue::new(false);
    let label = format!("History of {handle}");
    let load = move || {
        if asked.get_value() {
            return;
        }
        asked.set_value(true);
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let request = QueryUserHistory {
            app,
            handle: handle.clone(),
        };
        spawn_local(async move {
            history.set(Some(
                ipc::call(request).await.map_err(|failure| failure.message),
            ));
        });
    };
    view! {
        <details class="history" on:toggle=move |_| load()>
            <summary>"History"</summary>
            {move || match history.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(dto)) => view! {
                    {dto.host_log_missing.map(|why| view! {
                        <p class="muted">{format!("The host's log is not included: {why}")}</p>
                    })}
                    {dto.lines.is_empty().then(|| view! { <p class="muted">"Nothing recorded about this user yet."</p> })}
                    <ul class="history-lines" aria-label=label.clone()>
                        {dto.lines.into_iter().map(|line| view! {
                            <li>
                                <span class="muted">{format::date_time(line.at)}</span>
                                " · " <strong>{line.source.label()}</strong> " · " {line.text}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_key_the_declared_fields_do_not_show_is_listed_by_its_path() {
        let field = |path: &str| MetaField {
            path: path.into(),
            field_name: path.into(),
            required: false,
        };
        let fields = [field("profile.team"), field("plan")];
        let value = json!({
            "profile": {"team": "blue", "city": "Oslo", "address": {"zip": 150}},
            "plan": {"tier": "gold"},
            "tags": ["a", "b"],
            "age": 41
        });
        assert_eq!(
            undeclared_values(&fields, &value),
            vec![
                ("age".to_owned(), "41".to_owned()),
                ("profile.address.zip".to_owned(), "150".to_owned()),
                ("profile.city".to_owned(), "Oslo".to_owned()),
                ("tags".to_owned(), r#"["a","b"]"#.to_owned()),
            ],
            "a declared path shows its whole value (plan.tier stays with plan)"
        );
        assert!(undeclared_values(&fields, &json!(null)).is_empty());
    }

    #[test]
    fn required_fields_must_be_filled() {
        let field = |path: &str, required| MetaField {
            path: path.into(),
            field_name: path.into(),
            required,
        };
        let fields = [
            field("profile.team", true),
            field("city", false),
            field("plan", true),
        ];
        let value = json!({"profile": {"team": "blue"}, "plan": ""});
        assert_eq!(
            missing_required(&fields, &value),
            vec!["plan"],
            "empty counts as missing; optional fields do not"
        );
    }
}
