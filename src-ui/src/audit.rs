//! The audit log view: every change sent from this data folder (the app or the CLI),
//! newest first, filtered by host, app, action, outcome, date and handle; `Verify`
//! checks the hash chain; the filtered entries export as CSV or JSON.

use crate::format;
use crate::ipc;
use gatehouse_types::{
    AuditAction, AuditFilter, AuditOutcome, AuditPage, AuditRow, ExportAudit, ExportFormat,
    QueryAudit, VerifyAudit,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Entries shown at first, and added by `Show more`.
const STEP: u32 = 200;

/// Who sent it, from where and with what: `alice on build-01 (CLI)`.
pub fn sender(row: &AuditRow) -> String {
    let through = if row.interface == "cli" { "CLI" } else { "app" };
    format!("{} on {} ({through})", row.os_user, row.machine)
}

/// The outcome and the host's words, in one cell.
pub fn outcome_text(row: &AuditRow) -> String {
    match &row.message {
        Some(message) if !message.is_empty() => format!("{}: {message}", row.outcome.label()),
        _ => row.outcome.label().to_owned(),
    }
}

fn parse_choice<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, value: &str) -> Option<T> {
    all.iter().copied().find(|item| label(*item) == value)
}

#[component]
pub fn AuditView(on_close: Callback<()>) -> impl IntoView {
    let filter = RwSignal::new(AuditFilter::default());
    let limit = RwSignal::new(STEP);
    let page = RwSignal::new(None::<AuditPage>);
    let error = RwSignal::new(None::<String>);
    let verdict = RwSignal::new(None::<(String, bool)>);
    let exported = RwSignal::new(None::<(String, bool)>);
    Effect::new(move |_| {
        let request = QueryAudit {
            filter: filter.get(),
            offset: 0,
            limit: limit.get(),
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(answer) => {
                    error.set(None);
                    page.set(Some(answer));
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    });
    let verify = move |_| {
        verdict.set(Some(("Checking every entry…".into(), false)));
        spawn_local(async move {
            match ipc::call(VerifyAudit {}).await {
                Ok(answer) => verdict.set(Some((answer.message, !answer.intact))),
                Err(failure) => verdict.set(Some((failure.message, true))),
            }
        });
    };
    let export = move |format: ExportFormat| {
        let request = ExportAudit {
            filter: filter.get_untracked(),
            format,
            path: None,
        };
        spawn_local(async move {
            match ipc::call(request).await {
                Ok(Some(done)) => exported.set(Some((
                    format!(
                        "Exported {} entries to {}",
                        format::count(done.rows),
                        done.path
                    ),
                    false,
                ))),
                Ok(None) => {}
                Err(failure) => {
                    exported.set(Some((format!("Export failed: {}", failure.message), true)))
                }
            }
        });
    };
    let set = move |change: fn(&mut AuditFilter, String)| {
        move |event: leptos::ev::Event| {
            let value = event_target_value(&event);
            limit.set(STEP);
            filter.update(|f| change(f, value));
        }
    };
    let options = move |pick: fn(&AuditPage) -> &Vec<gatehouse_types::Named>| {
        page.with(|p| {
            p.as_ref().map(|p| {
                pick(p)
                    .iter()
                    .map(|n| {
                        let label = if n.name.is_empty() {
                            n.id.clone()
                        } else {
                            n.name.clone()
                        };
                        view! { <option value=n.id.clone()>{label}</option> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="dialog audit" role="dialog" aria-modal="true" aria-labelledby="audit-title"
            on:keydown=move |event| if event.key() == "Escape" { on_close.run(()) }>
            <h2 id="audit-title">"Audit log"</h2>
            <p class="muted">
                "Every change sent from this computer by Gatehouse or gatehouse-cli. Entries are chained by hash: "
                "Verify finds one that was changed, removed or reordered."
            </p>
            <div class="toolbar">
                <input type="search" class="search" aria-label="Search audit log" placeholder="Handle"
                    on:input=move |event| {
                        let value = event_target_value(&event);
                        limit.set(STEP);
                        filter.update(|f| f.handle = value);
                    } />
                <select aria-label="Host filter" on:change=set(|f, v| f.host = Some(v).filter(|v| !v.is_empty()))>
                    <option value="">"All hosts"</option>
                    {move || options(|p| &p.hosts)}
                </select>
                <select aria-label="App filter" on:change=set(|f, v| f.app = Some(v).filter(|v| !v.is_empty()))>
                    <option value="">"All apps"</option>
                    {move || options(|p| &p.apps)}
                </select>
                <select aria-label="Action filter" on:change=set(|f, v| {
                    f.action = parse_choice(&AuditAction::ALL, AuditAction::label, &v)
                })>
                    <option value="">"All actions"</option>
                    {AuditAction::ALL.iter().map(|a| view! { <option value=a.label()>{a.label()}</option> }).collect_view()}
                </select>
                <select aria-label="Outcome filter" on:change=set(|f, v| {
                    f.outcome = parse_choice(&AuditOutcome::ALL, AuditOutcome::label, &v)
                })>
                    <option value="">"All outcomes"</option>
                    {AuditOutcome::ALL.iter().map(|o| view! { <option value=o.label()>{o.label()}</option> }).collect_view()}
                </select>
                <label class="inline">"From"
                    <input type="date" aria-label="From date" on:change=set(|f, v| f.since = format::parse_date(&v, false)) />
                </label>
                <label class="inline">"To"
                    <input type="date" aria-label="To date" on:change=set(|f, v| f.until = format::parse_date(&v, true).map(|end| end + 1)) />
                </label>
            </div>
            <div class="toolbar">
                <button on:click=verify>"Verify"</button>
                <details class="export">
                    <summary role="button" aria-label="Export audit log">"Export"</summary>
                    <div class="menu">
                        <button on:click=move |_| export(ExportFormat::Csv)>"CSV…"</button>
                        <button on:click=move |_| export(ExportFormat::Json)>"JSON…"</button>
                    </div>
                </details>
                <span class="counts">{move || page.with(|p| p.as_ref().map(|p| format!(
                    "{} of {} entries", format::count(p.page.matching), format::count(p.page.total)
                )))}</span>
            </div>
            {move || verdict.get().map(|(text, broken)| view! {
                <p class=if broken { "error verdict" } else { "verdict" } role="status">{text}</p>
            })}
            {move || exported.get().map(|(text, failed)| view! {
                <p class=if failed { "error" } else { "muted" } role="status">{text}</p>
            })}
            {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <div class="list-panel audit-entries">
                <table class="simple-table" aria-label="Audit entries">
                    <thead><tr>
                        <th>"Time"</th><th>"Action"</th><th>"Handles"</th><th>"Outcome"</th>
                        <th>"Host"</th><th>"App"</th><th>"By"</th><th>"Took"</th>
                    </tr></thead>
                    <tbody>
                        {move || page.get().map(|p| p.page.rows.into_iter().map(|row| {
                            let outcome_class = format!("outcome {}", row.outcome.label());
                            view! {
                                <tr>
                                    <td>{format::date_time(row.at)}</td>
                                    <td>{row.action.label()}</td>
                                    <td>{row.targets.join(", ")}</td>
                                    <td class=outcome_class>{outcome_text(&row)}</td>
                                    <td>{row.host_name.clone()}</td>
                                    <td>{if row.app_name.is_empty() { row.app.clone() } else { row.app_name.clone() }}</td>
                                    <td>{sender(&row)}</td>
                                    <td>{format!("{} ms", row.duration_ms)}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
                {move || page.with(|p| p.as_ref().is_some_and(|p| p.page.total == 0)).then(|| view! {
                    <p class="muted">"Nothing has been sent from this computer yet."</p>
                })}
                {move || page.with(|p| p.as_ref().is_some_and(|p| p.page.matching > limit.get())).then(|| view! {
                    <button on:click=move |_| limit.update(|l| *l += STEP)>"Show more"</button>
                })}
            </div>
            <div class="actions">
                <button on:click=move |_| on_close.run(())>"Close"</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(interface: &str, message: Option<&str>) -> AuditRow {
        AuditRow {
            seq: 1,
            at: 0,
            os_user: "alice".into(),
            machine: "build-01".into(),
            interface: interface.into(),
            host: "https://h/".into(),
            host_name: "H".into(),
            app: "a1".into(),
            app_name: "Shop".into(),
            action: AuditAction::Suspend,
            targets: vec!["bob@x.io".into()],
            outcome: AuditOutcome::Refused,
            message: message.map(Into::into),
            duration_ms: 3,
        }
    }

    #[test]
    fn a_row_names_its_sender_and_the_hosts_words() {
        assert_eq!(sender(&row("cli", None)), "alice on build-01 (CLI)");
        assert_eq!(sender(&row("app", None)), "alice on build-01 (app)");
        assert_eq!(
            outcome_text(&row("app", Some("no such user"))),
            "refused: no such user"
        );
        assert_eq!(outcome_text(&row("app", None)), "refused");
    }

    #[test]
    fn a_choice_is_found_by_its_label() {
        assert_eq!(
            parse_choice(&AuditAction::ALL, AuditAction::label, "Reset password"),
            Some(AuditAction::ResetPassword)
        );
        assert_eq!(
            parse_choice(&AuditOutcome::ALL, AuditOutcome::label, ""),
            None
        );
    }
}
