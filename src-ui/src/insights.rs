//! The Insights tab: findings an administrator can act on, computed from the offline
//! copy (so they work offline), each with its count, why it matters, and `Show <finding>`,
//! which opens the Users tab filtered to exactly those users.

use crate::dialogs::ids;
use crate::format;
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::{
    AnonymousFilter, LastLoginFilter, LoadThresholds, QueryUsers, Range, SaveThresholds,
    Thresholds, UserFilter, UserStatus,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// One finding: its name, the button's name, why it matters, and the filter that keeps
/// exactly its users.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub name: &'static str,
    pub show: &'static str,
    pub why: String,
    pub filter: UserFilter,
}

/// The findings for the time `now` (unix milliseconds) and the thresholds in days.
pub fn findings(now: i64, dormant_days: i64, never_days: i64, anonymous_days: i64) -> Vec<Finding> {
    let before = |days: i64| Range {
        from: None,
        to: Some(now - days * DAY_MS),
    };
    vec![
        Finding {
            name: "Dormant users",
            show: "Show dormant users",
            why: format!(
                "Logged in before, but not in the last {dormant_days} days: accounts nobody may be watching."
            ),
            filter: UserFilter {
                last_login: LastLoginFilter::Within(before(dormant_days)),
                ..UserFilter::default()
            },
        },
        Finding {
            name: "Never logged in",
            show: "Show users who never logged in",
            why: format!(
                "Created more than {never_days} days ago and never used: invitations gone wrong or accounts to clean up."
            ),
            filter: UserFilter {
                last_login: LastLoginFilter::Never,
                created: before(never_days),
                ..UserFilter::default()
            },
        },
        Finding {
            name: "Old anonymous users",
            show: "Show old anonymous users",
            why: format!(
                "Anonymous sessions older than {anonymous_days} days: they rarely come back and fill the list."
            ),
            filter: UserFilter {
                anonymous: AnonymousFilter::Only,
                created: before(anonymous_days),
                ..UserFilter::default()
            },
        },
        Finding {
            name: "Suspended users",
            show: "Show suspended users",
            why: "They cannot log in: check each is meant to stay suspended.".to_owned(),
            filter: UserFilter {
                status: Some(UserStatus::Suspended),
                ..UserFilter::default()
            },
        },
    ]
}

#[component]
pub fn InsightsTab(on_show: Callback<UserFilter>) -> impl IntoView {
    let session = SessionCtx::expect();
    let defaults = Thresholds::default();
    let dormant = RwSignal::new(i64::from(defaults.dormant_days));
    let never = RwSignal::new(i64::from(defaults.never_days));
    let anonymous = RwSignal::new(i64::from(defaults.anonymous_days));
    // The app's remembered thresholds replace the defaults once they come.
    let loaded = RwSignal::new(false);
    if let Some((host_id, app_id)) = ids(session) {
        spawn_local(async move {
            if let Ok(saved) = ipc::call(LoadThresholds { host_id, app_id }).await {
                dormant.set(i64::from(saved.dormant_days));
                never.set(i64::from(saved.never_days));
                anonymous.set(i64::from(saved.anonymous_days));
            }
            loaded.set(true);
        });
    }
    let remember = move || {
        let Some((host_id, app_id)) = ids(session) else {
            return;
        };
        let days = |v: RwSignal<i64>| u32::try_from(v.get_untracked()).unwrap_or(1);
        let request = SaveThresholds {
            host_id,
            app_id,
            thresholds: Thresholds {
                dormant_days: days(dormant),
                never_days: days(never),
                anonymous_days: days(anonymous),
            },
        };
        spawn_local(async move {
            let _ = ipc::call(request).await;
        });
    };
    let counts = RwSignal::new(Vec::<Option<u32>>::new());
    let list = Memo::new(move |_| {
        findings(
            js_sys::Date::now() as i64,
            dormant.get(),
            never.get(),
            anonymous.get(),
        )
    });
    Effect::new(move |_| {
        session.data_version.track();
        let all = list.get();
        counts.set(vec![None; all.len()]);
        let Some((host_id, app_id)) = ids(session) else {
            return;
        };
        for (index, finding) in all.into_iter().enumerate() {
            let request = QueryUsers {
                host_id: host_id.clone(),
                app_id: app_id.clone(),
                filter: finding.filter,
                offset: 0,
                limit: 0,
            };
            spawn_local(async move {
                if let Ok(page) = ipc::call(request).await {
                    counts.update(|counts| {
                        if let Some(slot) = counts.get_mut(index) {
                            *slot = Some(page.matching);
                        }
                    });
                }
            });
        }
    });
    let days = |label: &'static str, value: RwSignal<i64>| {
        view! {
            <label class="inline">{label}
                <input type="number" min="1" aria-label=label prop:value=move || value.get().to_string()
                    on:change=move |event| {
                        if let Ok(days) = event_target_value(&event).trim().parse::<i64>() {
                            value.set(days.clamp(1, 36_500));
                            if loaded.get_untracked() {
                                remember();
                            }
                        }
                    } />
            </label>
        }
    };
    view! {
        <p class="muted">"Computed from the offline copy; it works offline."</p>
        <div class="toolbar">
            {days("Dormant after days", dormant)}
            {days("Never logged in after days", never)}
            {days("Anonymous older than days", anonymous)}
        </div>
        <ul class="findings" aria-label="Findings">
            {move || list.get().into_iter().enumerate().map(|(index, finding)| {
                let filter = finding.filter.clone();
                let count = move || counts.with(|c| c.get(index).copied().flatten());
                view! {
                    <li class="finding">
                        <h3>{finding.name}" "
                            <span class="count">{move || count().map(format::count).unwrap_or_else(|| "…".into())}</span>
                        </h3>
                        <p class="muted">{finding.why.clone()}</p>
                        <button on:click=move |_| on_show.run(filter.clone())
                            disabled=move || count() == Some(0)>{finding.show}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_finding_filters_before_its_threshold() {
        let now = 100 * DAY_MS;
        let all = findings(now, 90, 30, 7);
        assert_eq!(all.len(), 4);
        assert_eq!(
            all[0].filter.last_login,
            LastLoginFilter::Within(Range {
                from: None,
                to: Some(10 * DAY_MS)
            })
        );
        assert_eq!(all[1].filter.last_login, LastLoginFilter::Never);
        assert_eq!(all[1].filter.created.to, Some(70 * DAY_MS));
        assert_eq!(all[2].filter.anonymous, AnonymousFilter::Only);
        assert_eq!(all[2].filter.created.to, Some(93 * DAY_MS));
        assert_eq!(all[3].filter.status, Some(UserStatus::Suspended));
        assert_eq!(all[3].show, "Show suspended users");
    }
}
