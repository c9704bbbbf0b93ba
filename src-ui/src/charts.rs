//! The charts of the Insights tab: new users per day, week or month, users by last
//! login, the onboarding mix, active against suspended, and invitations by status.
//!
//! Every figure is a count the offline copy answers through the same queries as the
//! tables, so a bar's number is exactly the rows its click shows. The bars are SVG
//! elements of the page, not a picture: each is a button with an accessible name,
//! takes its colours from the theme's CSS variables (no inline style under the CSP),
//! and each chart has a table of its numbers as its text alternative. Charting crates
//! render to a string or a canvas, which gives up all three.

use crate::format;
use crate::insights::{Target, count};
use crate::ipc;
use crate::session::SessionCtx;
use gatehouse_types::AppRef;
use gatehouse_types::{
    InviteStatus, LastLoginFilter, Onboarding, QueryInvites, QueryUsers, Range, UserColumn,
    UserFilter, UserStatus,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

const DAY_MS: i64 = 86_400_000;
/// Periods in the new-users chart.
const PERIODS: usize = 12;
/// The drawing's height, in SVG units, and the room for labels under the bars.
const HEIGHT: f64 = 160.0;
const LABELS: f64 = 28.0;
/// The drawing's width, in SVG units; the bars share it.
const WIDTH: f64 = 400.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

/// The `[start, end)` bounds of the `n` periods up to the one holding `last` (Unix
/// milliseconds, UTC), oldest first. Weeks start on Monday.
pub fn period_bounds(period: Period, last: i64, n: usize) -> Vec<(i64, i64)> {
    let day = last.div_euclid(DAY_MS);
    let mut bounds = Vec::with_capacity(n);
    match period {
        Period::Day | Period::Week => {
            let (start, len) = if period == Period::Day {
                (day, 1)
            } else {
                // 1970-01-01 was a Thursday: three days after a Monday.
                (day - (day + 3).rem_euclid(7), 7)
            };
            for k in (0..n as i64).rev() {
                let from = start - k * len;
                bounds.push((from * DAY_MS, (from + len) * DAY_MS));
            }
        }
        Period::Month => {
            let (year, month, _) = format::civil_from_days(day);
            let index = year * 12 + i64::from(month) - 1;
            let start_of = |index: i64| {
                let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
                format::days_from_civil(year, month, 1) * DAY_MS
            };
            for k in (0..n as i64).rev() {
                bounds.push((start_of(index - k), start_of(index - k + 1)));
            }
        }
    }
    bounds
}

/// A period's label: `2026-11` for a month, `11-23` for a day or a week's Monday.
pub fn period_label(period: Period, start: i64) -> String {
    let date = format::date_time(start);
    match period {
        Period::Month => date[..7].to_owned(),
        Period::Day | Period::Week => date[5..10].to_owned(),
    }
}

/// One group of bars: its label, and per series the count and what its click shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub values: Vec<Option<u32>>,
    pub targets: Vec<Option<Target>>,
}

impl Bar {
    fn one(label: impl Into<String>, target: Target) -> Self {
        Bar {
            label: label.into(),
            values: vec![None],
            targets: vec![Some(target)],
        }
    }
}

fn users(filter: UserFilter) -> Target {
    Target::Users(filter)
}

/// The bars of users by last login at `now`: active in the last 1, 7, 30 and 90 days,
/// and never.
pub fn last_login_bars(now: i64) -> Vec<Bar> {
    let within = |days: i64| {
        users(UserFilter {
            last_login: LastLoginFilter::Within(Range {
                from: Some(now - days * DAY_MS),
                to: None,
            }),
            ..UserFilter::default()
        })
    };
    vec![
        Bar::one("1 day", within(1)),
        Bar::one("7 days", within(7)),
        Bar::one("30 days", within(30)),
        Bar::one("90 days", within(90)),
        Bar::one(
            "never",
            users(UserFilter {
                last_login: LastLoginFilter::Never,
                ..UserFilter::default()
            }),
        ),
    ]
}

pub fn onboarding_bars() -> Vec<Bar> {
    let by = |onboarding| {
        users(UserFilter {
            onboarding: Some(onboarding),
            ..UserFilter::default()
        })
    };
    vec![
        Bar::one("signup", by(Onboarding::Signup)),
        Bar::one("invitation", by(Onboarding::Invite)),
        Bar::one("added by admin", by(Onboarding::Admin)),
        Bar::one("other", by(Onboarding::Other)),
    ]
}

pub fn status_bars() -> Vec<Bar> {
    let by = |status| {
        users(UserFilter {
            status: Some(status),
            ..UserFilter::default()
        })
    };
    vec![
        Bar::one("active", by(UserStatus::Active)),
        Bar::one("suspended", by(UserStatus::Suspended)),
    ]
}

pub fn new_user_bars(period: Period, last: i64) -> Vec<Bar> {
    period_bounds(period, last, PERIODS)
        .into_iter()
        .map(|(from, to)| {
            Bar::one(
                period_label(period, from),
                users(UserFilter {
                    created: Range {
                        from: Some(from),
                        to: Some(to - 1),
                    },
                    ..UserFilter::default()
                }),
            )
        })
        .collect()
}

/// Fills every value of `bars` that has a target.
fn fill(session: SessionCtx, bars: RwSignal<Vec<Bar>>) {
    let Some(app) = session.opened_untracked() else {
        return;
    };
    let asked = bars.get_untracked();
    for (index, bar) in asked.into_iter().enumerate() {
        for (series, target) in bar.targets.into_iter().enumerate() {
            let Some(target) = target else { continue };
            let app = app.clone();
            spawn_local(async move {
                let value = count(app, target.clone()).await;
                bars.update(|bars| {
                    // A newer set of bars replaced these meanwhile: leave it alone.
                    if let Some(bar) = bars.get_mut(index)
                        && bar.targets.get(series) == Some(&Some(target))
                    {
                        bar.values[series] = value;
                    }
                });
            });
        }
    }
}

/// The invitations sent up to the end of each of the last months, by their status
/// today.
fn invitation_bars(session: SessionCtx, bars: RwSignal<Vec<Bar>>, last: i64) {
    let Some(app) = session.opened_untracked() else {
        return;
    };
    let bounds = period_bounds(Period::Month, last, 6);
    bars.set(
        bounds
            .iter()
            .map(|&(from, to)| Bar {
                label: period_label(Period::Month, from),
                values: vec![None, None],
                targets: vec![Some(Target::Invitations { before: to - 1 }), None],
            })
            .collect(),
    );
    for (index, (_, to)) in bounds.into_iter().enumerate() {
        for (series, &status) in InviteStatus::ALL.iter().enumerate() {
            let request = QueryInvites {
                app: app.clone(),
                text: String::new(),
                status: Some(status),
                created_before: Some(to - 1),
                offset: 0,
                limit: 0,
            };
            spawn_local(async move {
                let value = ipc::call(request).await.ok().map(|page| page.matching);
                bars.update(|bars| {
                    if let Some(bar) = bars.get_mut(index) {
                        bar.values[series] = value;
                    }
                });
            });
        }
    }
}

/// The newest creation time among the cached users, if any.
async fn newest_user(app: AppRef) -> Option<i64> {
    let page = ipc::call(QueryUsers {
        app,
        filter: UserFilter {
            sort: UserColumn::CreatedAt,
            descending: true,
            ..UserFilter::default()
        },
        offset: 0,
        limit: 1,
    })
    .await
    .ok()?;
    page.rows.first().map(|row| row.created_at)
}

#[component]
pub fn Charts(on_show: Callback<Target>) -> impl IntoView {
    let session = SessionCtx::expect();
    let period = RwSignal::new(Period::Month);
    let new_users = RwSignal::new(Vec::<Bar>::new());
    let logins = RwSignal::new(Vec::<Bar>::new());
    let onboarding = RwSignal::new(Vec::<Bar>::new());
    let statuses = RwSignal::new(Vec::<Bar>::new());
    let invitations = RwSignal::new(Vec::<Bar>::new());
    Effect::new(move |_| {
        session.data_version.track();
        let period = period.get();
        let now = js_sys::Date::now() as i64;
        logins.set(last_login_bars(now));
        fill(session, logins);
        onboarding.set(onboarding_bars());
        fill(session, onboarding);
        statuses.set(status_bars());
        fill(session, statuses);
        let Some(app) = session.opened_untracked() else {
            return;
        };
        // The periods end at the newest user, so an app whose users came in long ago
        // still shows its curve.
        spawn_local(async move {
            let last = newest_user(app).await.unwrap_or(now);
            new_users.set(new_user_bars(period, last));
            fill(session, new_users);
            invitation_bars(session, invitations, now);
        });
    });
    view! {
        <div class="charts">
            <BarChart title="New users" series=&["users"] bars=new_users on_show>
                <select aria-label="New users per" on:change=move |event| {
                    period.set(match event_target_value(&event).as_str() {
                        "day" => Period::Day,
                        "week" => Period::Week,
                        _ => Period::Month,
                    });
                }>
                    <option value="month" selected=true>"per month"</option>
                    <option value="week">"per week"</option>
                    <option value="day">"per day"</option>
                </select>
            </BarChart>
            <BarChart title="Users by last login" series=&["users"] bars=logins on_show />
            <BarChart title="Onboarding" series=&["users"] bars=onboarding on_show />
            <BarChart title="Active and suspended" series=&["users"] bars=statuses on_show />
            <BarChart title="Invitations sent, by status today" series=&["pending", "accepted"] bars=invitations on_show />
        </div>
    }
}

/// A bar chart of groups of bars, one bar per series, with its table of numbers.
#[component]
fn BarChart(
    title: &'static str,
    series: &'static [&'static str],
    bars: RwSignal<Vec<Bar>>,
    on_show: Callback<Target>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let drawing = move || {
        bars.with(|bars| {
            let max = bars
                .iter()
                .flat_map(|bar| bar.values.iter().flatten())
                .copied()
                .max()
                .unwrap_or(0)
                .max(1);
            let slot = WIDTH / bars.len().max(1) as f64;
            let gap = (slot * 0.2).min(12.0);
            let bar_width = (slot - gap) / series.len() as f64;
            let drawn = bars
                .iter()
                .enumerate()
                .map(|(index, bar)| {
                    let x0 = index as f64 * slot + gap / 2.0;
                    let columns = bar
                        .values
                        .iter()
                        .zip(&bar.targets)
                        .enumerate()
                        .map(|(s, (value, target))| {
                            let value = value.unwrap_or(0);
                            let height = f64::from(value) / f64::from(max) * (HEIGHT - LABELS - 14.0);
                            let y = HEIGHT - LABELS - height;
                            let name = format!(
                                "{title}, {}, {}: {}",
                                bar.label,
                                series.get(s).copied().unwrap_or_default(),
                                format::count(value)
                            );
                            let target = target.clone();
                            let clickable = target.is_some() && value > 0;
                            let show = move || {
                                if let Some(target) = target.clone() {
                                    on_show.run(target);
                                }
                            };
                            let show_key = show.clone();
                            let label = name.clone();
                            view! {
                                <rect class=format!("bar s{s}") class:clickable=clickable
                                    x=format!("{:.1}", x0 + s as f64 * bar_width) y=format!("{y:.1}")
                                    width=format!("{:.1}", bar_width - 1.0) height=format!("{:.1}", height.max(1.0))
                                    role=clickable.then_some("button") tabindex=clickable.then_some("0")
                                    aria-label=label
                                    on:click=move |_| if clickable { show() }
                                    on:keydown=move |event| {
                                        if clickable && (event.key() == "Enter" || event.key() == " ") {
                                            event.prevent_default();
                                            show_key();
                                        }
                                    }>
                                    <title>{name}</title>
                                </rect>
                            }
                        })
                        .collect_view();
                    view! {
                        <g>
                            {columns}
                            <text class="axis" x=format!("{:.1}", x0 + (slot - gap) / 2.0)
                                y=format!("{:.1}", HEIGHT - LABELS + 12.0) text-anchor="middle">{bar.label.clone()}</text>
                        </g>
                    }
                })
                .collect_view();
            view! {
                <svg class="chart" role="group" aria-label=title
                    viewBox=format!("0 0 {WIDTH:.0} {HEIGHT:.0}") preserveAspectRatio="xMinYMin meet">
                    <line class="axis" x1="0" x2=format!("{WIDTH:.0}")
                        y1=format!("{:.0}", HEIGHT - LABELS) y2=format!("{:.0}", HEIGHT - LABELS) />
                    {drawn}
                </svg>
            }
        })
    };
    let table = move || {
        bars.with(|bars| {
            let rows = bars
                .iter()
                .map(|bar| {
                    let cells = bar
                        .values
                        .iter()
                        .map(|value| view! { <td>{value.map(format::count).unwrap_or_else(|| "…".into())}</td> })
                        .collect_view();
                    view! { <tr><th scope="row">{bar.label.clone()}</th>{cells}</tr> }
                })
                .collect_view();
            view! {
                <table class="simple-table" aria-label=format!("{title} (numbers)")>
                    <thead><tr><th>""</th>{series.iter().map(|s| view! { <th>{*s}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    };
    view! {
        <figure class="chart-card">
            <figcaption><h3>{title}</h3>{children.map(|children| children())}</figcaption>
            {drawing}
            <details>
                <summary>"Numbers"</summary>
                {table}
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_over_the_year_end() {
        // 2026-02-10
        let last = format::parse_date("2026-02-10", false).unwrap();
        let bounds = period_bounds(Period::Month, last, 3);
        let labels: Vec<String> = bounds
            .iter()
            .map(|&(from, _)| period_label(Period::Month, from))
            .collect();
        assert_eq!(labels, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(bounds[0].1, bounds[1].0, "periods touch");
        assert_eq!(
            bounds[2].1,
            format::parse_date("2026-03-01", false).unwrap()
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-12-02 is a Wednesday; its week starts on Monday 2026-11-30.
        let last = format::parse_date("2026-12-02", false).unwrap() + 5 * 3_600_000;
        let bounds = period_bounds(Period::Week, last, 2);
        assert_eq!(period_label(Period::Week, bounds[1].0), "11-30");
        assert_eq!(period_label(Period::Week, bounds[0].0), "11-23");
        assert_eq!(bounds[1].1 - bounds[1].0, 7 * DAY_MS);
    }

    #[test]
    fn days_hold_their_last_moment() {
        let last = format::parse_date("2026-12-02", true).unwrap();
        let bounds = period_bounds(Period::Day, last, 1);
        assert!(bounds[0].0 <= last && last < bounds[0].1);
    }

    #[test]
    fn every_user_bar_opens_users() {
        for bar in last_login_bars(0)
            .into_iter()
            .chain(onboarding_bars())
            .chain(status_bars())
        {
            assert!(
                matches!(bar.targets[..], [Some(Target::Users(_))]),
                "{bar:?}"
            );
        }
    }
}
