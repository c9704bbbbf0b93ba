//! The Insights tab: findings an administrator can act on, computed from the offline
//! copy (so they work offline), each with its count, why it matters, and `Show <finding>`,
//! which opens the Users tab filtered to exactly those users.

use crate::charts::Charts;
use crate::format;
use crate::ipc;
use crate::lists::ListAsk;
use crate::session::SessionCtx;
use gatehouse_types::AppRef;
use gatehouse_types::{
    AnonymousFilter, LastLoginFilter, LoadThresholds, NearDuplicates, QueryInvites,
    QueryNearDuplicates, QuerySignups, QueryUsers, Range, SaveThresholds, Thresholds, UserFilter,
    UserFinding, UserStatus,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// A signup code expires this long after it was sent.
pub const SIGNUP_CODE_LIFETIME_MS: i64 = 48 * 3600 * 1000;

/// The near-duplicate groups a finding lists before "and N more".
const GROUPS_SHOWN: usize = 5;

/// Where a finding's records are, filtered to exactly them.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Users(UserFilter),
    /// Pending invitations sent at or before this time.
    Invitations {
        before: i64,
    },
    /// Pending signups started at or before this time.
    Signups {
        before: i64,
    },
}

/// One finding: its name, the button's name, why it matters, and where its records are.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub name: &'static str,
    pub show: &'static str,
    pub why: String,
    pub target: Target,
}

/// What the findings are computed for: the time (Unix milliseconds), the thresholds and
/// the metadata paths the app declares required.
#[derive(Clone, Debug, PartialEq)]
pub struct Basis {
    pub now: i64,
    pub thresholds: Thresholds,
    pub required: Vec<String>,
}

fn users(filter: UserFilter) -> Target {
    Target::Users(filter)
}

/// The findings, in the order the tab lists them.
pub fn findings(basis: &Basis) -> Vec<Finding> {
    let Basis {
        now,
        thresholds,
        required,
    } = basis;
    let now = *now;
    let days_ago = |days: u32| now - i64::from(days) * DAY_MS;
    let before = |days: u32| Range {
        from: None,
        to: Some(days_ago(days)),
    };
    let Thresholds {
        dormant_days,
        never_days,
        anonymous_days,
        invite_days,
    } = *thresholds;
    vec![
        Finding {
            name: "Dormant users",
            show: "Show dormant users",
            why: format!(
                "Logged in before, but not in the last {dormant_days} days: accounts nobody may be watching."
            ),
            target: users(UserFilter {
                last_login: LastLoginFilter::Within(before(dormant_days)),
                ..UserFilter::default()
            }),
        },
        Finding {
            name: "Never logged in",
            show: "Show users who never logged in",
            why: format!(
                "Created more than {never_days} days ago and never used: invitations gone wrong or accounts to clean up."
            ),
            target: users(UserFilter {
                last_login: LastLoginFilter::Never,
                created: before(never_days),
                ..UserFilter::default()
            }),
        },
        Finding {
            name: "Stale invitations",
            show: "Show stale invitations",
            why: format!(
                "Pending for more than {invite_days} days: the invitee may never have seen the mail. Resend or revoke."
            ),
            target: Target::Invitations {
                before: days_ago(invite_days),
            },
        },
        Finding {
            name: "Expired signups",
            show: "Show expired signups",
            why: "Started more than 48 hours ago and never completed: the code has expired, so the person cannot finish."
                .to_owned(),
            target: Target::Signups {
                before: now - SIGNUP_CODE_LIFETIME_MS,
            },
        },
        Finding {
            name: "Near-duplicate handles",
            show: "Show near-duplicate handles",
            why: "Handles equal but for case, a +tag, Gmail dots or look-alike characters: often one person with two accounts, or an impostor."
                .to_owned(),
            target: users(UserFilter {
                finding: Some(UserFinding::NearDuplicateHandles),
                sort: gatehouse_types::UserColumn::Handle,
                descending: false,
                ..UserFilter::default()
            }),
        },
        Finding {
            name: "Missing required metadata",
            show: "Show users missing required metadata",
            why: if required.is_empty() {
                "The app declares no required metadata field, so no user can miss one.".to_owned()
            } else {
                format!(
                    "Without {}, their next login fails (error 604) until the field is filled in.",
                    required.join(", ")
                )
            },
            target: users(UserFilter {
                finding: Some(UserFinding::MissingMetadata {
                    paths: required.clone(),
                }),
                ..UserFilter::default()
            }),
        },
        Finding {
            name: "Old anonymous users",
            show: "Show old anonymous users",
            why: format!(
                "Anonymous sessions older than {anonymous_days} days: they rarely come back and fill the list."
            ),
            target: users(UserFilter {
                anonymous: AnonymousFilter::Only,
                created: before(anonymous_days),
                ..UserFilter::default()
            }),
        },
        Finding {
            name: "Suspended users",
            show: "Show suspended users",
            why: "They cannot log in: check each is meant to stay suspended.".to_owned(),
            target: users(UserFilter {
                status: Some(UserStatus::Suspended),
                ..UserFilter::default()
            }),
        },
    ]
}

/// How many records `target` names, from the offline copy: what a finding's card and a
/// chart's bar say.
pub async fn count(app: AppRef, target: Target) -> Option<u32> {
    let pending_before = |before| ListAsk {
        app: app.clone(),
        text: String::new(),
        status: Some("pending".to_owned()),
        created_before: Some(before),
        offset: 0,
        limit: 0,
    };
    let matching = match target {
        Target::Users(filter) => {
            let request = QueryUsers {
                app: app.clone(),
                filter,
                offset: 0,
                limit: 0,
            };
            ipc::call(request).await.ok()?.matching
        }
        Target::Invitations { before } => {
            ipc::call(QueryInvites::from(pending_before(before)))
                .await
                .ok()?
                .matching
        }
        Target::Signups { before } => {
            ipc::call(QuerySignups::from(pending_before(before)))
                .await
                .ok()?
                .matching
        }
    };
    Some(matching)
}

#[component]
pub fn InsightsTab(on_show: Callback<Target>) -> impl IntoView {
    let session = SessionCtx::expect();
    let thresholds = RwSignal::new(Thresholds::default());
    // The app's remembered thresholds replace the defaults once they come.
    let loaded = RwSignal::new(false);
    if let Some(app) = session.opened_untracked() {
        spawn_local(async move {
            if let Ok(saved) = ipc::call(LoadThresholds { app }).await {
                thresholds.set(saved);
            }
            loaded.set(true);
        });
    }
    let remember = move || {
        let Some(app) = session.opened_untracked() else {
            return;
        };
        let request = SaveThresholds {
            app,
            thresholds: thresholds.get_untracked(),
        };
        spawn_local(async move {
            let _ = ipc::call(request).await;
        });
    };
    let list = Memo::new(move |_| {
        let required = session
            .app()
            .map(|app| {
                app.meta_data
                    .into_iter()
                    .filter(|field| field.required)
                    .map(|field| field.path)
                    .collect()
            })
            .unwrap_or_default();
        findings(&Basis {
            now: js_sys::Date::now() as i64,
            thresholds: thresholds.get(),
            required,
        })
    });
    let counts = RwSignal::new(Vec::<Option<u32>>::new());
    let groups = RwSignal::new(NearDuplicates::default());
    Effect::new(move |_| {
        session.data_version.track();
        let all = list.get();
        counts.set(vec![None; all.len()]);
        let Some(app) = session.opened_untracked() else {
            return;
        };
        for (index, finding) in all.into_iter().enumerate() {
            let app = app.clone();
            spawn_local(async move {
                let found = count(app, finding.target).await;
                counts.update(|counts| {
                    if let Some(slot) = counts.get_mut(index) {
                        *slot = found;
                    }
                });
            });
        }
        spawn_local(async move {
            if let Ok(found) = ipc::call(QueryNearDuplicates { app }).await {
                groups.set(found);
            }
        });
    });
    let days = |label: &'static str, get: fn(&Thresholds) -> u32, put: fn(&mut Thresholds, u32)| {
        view! {
            <label class="inline">{label}
                <input type="number" min="1" aria-label=label
                    prop:value=move || thresholds.with(|t| get(t).to_string())
                    on:change=move |event| {
                        if let Ok(days) = event_target_value(&event).trim().parse::<u32>() {
                            thresholds.update(|t| put(t, days.clamp(1, 36_500)));
                            if loaded.get_untracked() {
                                remember();
                            }
                        }
                    } />
            </label>
        }
    };
    view! {
        // The tab is taller than the window: it scrolls inside the panel, under the tabs
        // and above the footer.
        <div class="scroll-panel">
        <p class="muted">"Computed from the offline copy; it works offline."</p>
        <div class="toolbar">
            {days("Dormant after days", |t| t.dormant_days, |t, d| t.dormant_days = d)}
            {days("Never logged in after days", |t| t.never_days, |t, d| t.never_days = d)}
            {days("Invitations stale after days", |t| t.invite_days, |t, d| t.invite_days = d)}
            {days("Anonymous older than days", |t| t.anonymous_days, |t, d| t.anonymous_days = d)}
        </div>
        <ul class="findings" aria-label="Findings">
            {move || list.get().into_iter().enumerate().map(|(index, finding)| {
                let target = finding.target.clone();
                let near_duplicates = matches!(
                    &finding.target,
                    Target::Users(UserFilter { finding: Some(UserFinding::NearDuplicateHandles), .. })
                );
                let count = move || counts.with(|c| c.get(index).copied().flatten());
                view! {
                    <li class="finding">
                        <h3>{finding.name}" "
                            <span class="count">{move || count().map(format::count).unwrap_or_else(|| "…".into())}</span>
                        </h3>
                        <p class="muted">{finding.why.clone()}</p>
                        {near_duplicates.then(|| view! { <GroupList groups /> })}
                        <button on:click=move |_| on_show.run(target.clone())
                            disabled=move || count() == Some(0)>{finding.show}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h2 class="section">"Charts"</h2>
        <Charts on_show />
        </div>
    }
}

/// The first near-duplicate groups, each on one line, and how many more there are.
#[component]
fn GroupList(groups: RwSignal<NearDuplicates>) -> impl IntoView {
    move || {
        groups.with(|found| {
            let shown = found.groups.len().min(GROUPS_SHOWN);
            let more = (found.total_groups as usize).saturating_sub(shown);
            (shown > 0).then(|| {
                view! {
                    <ul class="groups" aria-label="Near-duplicate groups">
                        {found.groups.iter().take(GROUPS_SHOWN).map(|group| view! { <li>{group.join(" · ")}</li> }).collect_view()}
                        {(more > 0).then(|| view! { <li class="muted">{format!("and {} more groups", format::count(more as u32))}</li> })}
                    </ul>
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(required: &[&str]) -> Basis {
        Basis {
            now: 100 * DAY_MS,
            thresholds: Thresholds {
                dormant_days: 90,
                never_days: 30,
                anonymous_days: 7,
                invite_days: 14,
            },
            required: required.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn user_filter(finding: &Finding) -> &UserFilter {
        match &finding.target {
            Target::Users(filter) => filter,
            other => panic!("{} is not a users finding: {other:?}", finding.name),
        }
    }

    #[test]
    fn each_finding_filters_before_its_threshold() {
        let all = findings(&basis(&["profile.team"]));
        let names: Vec<&str> = all.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "Dormant users",
                "Never logged in",
                "Stale invitations",
                "Expired signups",
                "Near-duplicate handles",
                "Missing required metadata",
                "Old anonymous users",
                "Suspended users"
            ]
        );
        assert_eq!(
            user_filter(&all[0]).last_login,
            LastLoginFilter::Within(Range {
                from: None,
                to: Some(10 * DAY_MS)
            })
        );
        assert_eq!(user_filter(&all[1]).last_login, LastLoginFilter::Never);
        assert_eq!(user_filter(&all[1]).created.to, Some(70 * DAY_MS));
        assert_eq!(
            all[2].target,
            Target::Invitations {
                before: 86 * DAY_MS
            }
        );
        assert_eq!(
            all[3].target,
            Target::Signups {
                before: 98 * DAY_MS
            }
        );
        assert_eq!(
            user_filter(&all[4]).finding,
            Some(UserFinding::NearDuplicateHandles)
        );
        assert_eq!(
            user_filter(&all[5]).finding,
            Some(UserFinding::MissingMetadata {
                paths: vec!["profile.team".to_owned()]
            })
        );
        assert_eq!(user_filter(&all[6]).anonymous, AnonymousFilter::Only);
        assert_eq!(user_filter(&all[6]).created.to, Some(93 * DAY_MS));
        assert_eq!(user_filter(&all[7]).status, Some(UserStatus::Suspended));
        assert_eq!(all[7].show, "Show suspended users");
    }

    #[test]
    fn an_app_without_required_fields_says_so() {
        let all = findings(&basis(&[]));
        assert!(
            all[5].why.contains("declares no required"),
            "{}",
            all[5].why
        );
    }
}
