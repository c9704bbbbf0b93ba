//! The Activity tab: the host's own log of the app (every change made from any
//! console), read from the host a page at a time, with its filters. Online only.

use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{ActivityPage, ActivityStatus, ActivityType, ErrorCode, QueryActivity};
use leptos::prelude::*;
use leptos::task::spawn_local;

const PAGE: u32 = 50;

/// `Page 2 of 7`, for `total` entries in pages of `PAGE`.
pub fn page_text(page: u32, total: u32) -> String {
    let pages = total.div_ceil(PAGE).max(1);
    format!("Page {} of {pages}", page + 1)
}

#[component]
pub fn ActivityTab() -> impl IntoView {
    let session = SessionCtx::expect();
    let log_type = RwSignal::new(ActivityType::All);
    let status = RwSignal::new(ActivityStatus::All);
    let from = RwSignal::new(None::<i64>);
    let to = RwSignal::new(None::<i64>);
    let action = RwSignal::new(String::new());
    let page = RwSignal::new(0u32);
    let answer = RwSignal::new(None::<ActivityPage>);
    let error = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    Effect::new(move |_| {
        session.data_version.track();
        let offline = session.offline.get();
        let request = session.opened_untracked().map(|app| QueryActivity {
            app,
            page: page.get(),
            limit: PAGE,
            log_type: log_type.get(),
            status: status.get(),
            from: from.get(),
            to: to.get(),
            action: action.get(),
        });
        if let Some(offline) = offline {
            answer.set(None);
            error.set(Some(format!(
                "The activity log is kept by the host and read from it, and the host is offline ({}). It shows again once the host answers.",
                offline.reason
            )));
            return;
        }
        let Some(request) = request else {
            return;
        };
        loading.set(true);
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(found) => {
                    error.set(None);
                    answer.set(Some(found));
                }
                Err(failure) => {
                    answer.set(None);
                    error.set(Some(if failure.code == ErrorCode::HostUnreachable {
                        format!(
                            "The activity log is read from the host, which does not answer: {}",
                            failure.message
                        )
                    } else {
                        format!(
                            "The host's activity log could not be read: {}",
                            failure.message
                        )
                    }));
                }
            }
            loading.set(false);
        });
    });
    view! {
        <div class="toolbar">
            <select aria-label="Log type" on:change=move |event| {
                page.set(0);
                log_type.set(match event_target_value(&event).as_str() {
                    "app" => ActivityType::App,
                    "user" => ActivityType::User,
                    _ => ActivityType::All,
                });
            }>
                <option value="all">"Apps and users"</option>
                <option value="user">"Users"</option>
                <option value="app">"App settings"</option>
            </select>
            <select aria-label="Outcome" on:change=move |event| {
                page.set(0);
                status.set(match event_target_value(&event).as_str() {
                    "success" => ActivityStatus::Success,
                    "error" => ActivityStatus::Error,
                    _ => ActivityStatus::All,
                });
            }>
                <option value="all">"Any outcome"</option>
                <option value="success">"Success"</option>
                <option value="error">"Error"</option>
            </select>
            <input type="search" aria-label="Action" placeholder="Action, e.g. addUser"
                on:change=move |event| { page.set(0); action.set(event_target_value(&event)); } />
            <label class="inline">"From"
                <input type="date" aria-label="Activity from" on:change=move |event| {
                    page.set(0);
                    from.set(format::parse_date(&event_target_value(&event), false));
                } />
            </label>
            <label class="inline">"To"
                <input type="date" aria-label="Activity to" on:change=move |event| {
                    page.set(0);
                    to.set(format::parse_date(&event_target_value(&event), true));
                } />
            </label>
            <span class="counts">{move || answer.with(|a| a.as_ref().map(|a| format!(
                "{} entries · {}", format::count(a.total), page_text(a.page, a.total)
            )))}</span>
            <button on:click=move |_| page.update(|p| *p = p.saturating_sub(1))
                disabled=move || page.get() == 0 || loading.get()>"Previous page"</button>
            <button on:click=move |_| page.update(|p| *p += 1)
                disabled=move || {
                    let total = answer.with(|a| a.as_ref().map_or(0, |a| a.total));
                    (page.get() + 1) * PAGE >= total || loading.get()
                }>"Next page"</button>
        </div>
        {move || error.get().map(|message| view! { <p class="notice" role="status">{message}</p> })}
        <div class="list-panel">
            <table class="simple-table" aria-label="Activity">
                <thead><tr><th>"Time"</th><th>"Action"</th><th>"Handle"</th><th>"Outcome"</th><th>"Type"</th><th>"Value"</th></tr></thead>
                <tbody>
                    {move || answer.get().map(|a| a.rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.at.map(format::date_time).unwrap_or_default()}</td>
                            <td>{row.action}</td>
                            <td>{row.handle.unwrap_or_default()}</td>
                            <td>{row.status}</td>
                            <td>{row.log_type}</td>
                            <td class="value">{row.value}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_from_one() {
        assert_eq!(page_text(0, 0), "Page 1 of 1");
        assert_eq!(page_text(0, 50), "Page 1 of 1");
        assert_eq!(page_text(1, 51), "Page 2 of 2");
    }
}
