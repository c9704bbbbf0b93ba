//! The `Keyboard shortcuts` sheet (`?` or F1): every shortcut of the window in one list.

use crate::dialogs::DialogCtx;
use leptos::prelude::*;

/// Every shortcut: the keys, and what they do. The one list the sheet shows.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl/Cmd + F", "Search the tab shown"),
    ("Ctrl/Cmd + R", "Sync the open app"),
    ("↑ / ↓", "Move through the users"),
    ("Page Up / Page Down", "Move a page of users"),
    ("Home / End", "First / last user"),
    ("Enter", "Show the highlighted user's metadata"),
    (
        "Delete",
        "Delete the ticked users (or the highlighted one), after confirming",
    ),
    (
        "Ctrl/Cmd + A",
        "Tick every user that matches the search and filters",
    ),
    ("Esc", "Close a dialog, the host form or a report"),
    ("? or F1", "This list"),
];

/// Whether a key press opens the sheet: F1 anywhere, `?` outside text fields (where it
/// is typed).
pub fn opens_sheet(key: &str, in_text_field: bool) -> bool {
    key == "F1" || (key == "?" && !in_text_field)
}

#[component]
pub fn ShortcutsSheet() -> impl IntoView {
    let dialogs = expect_context::<DialogCtx>();
    view! {
        <section class="dialog shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <table class="simple-table" aria-label="Shortcuts">
                <thead><tr><th>"Keys"</th><th>"Does"</th></tr></thead>
                <tbody>
                    {SHORTCUTS.iter().map(|(keys, what)| view! {
                        <tr><td><kbd>{*keys}</kbd></td><td>{*what}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button on:click=move |_| dialogs.close()>"Close"</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_mark_is_typed_in_fields_and_opens_the_sheet_elsewhere() {
        assert!(opens_sheet("?", false));
        assert!(!opens_sheet("?", true));
        assert!(opens_sheet("F1", true));
        assert!(!opens_sheet("a", false));
    }

    #[test]
    fn every_shortcut_is_described() {
        assert!(
            SHORTCUTS
                .iter()
                .all(|(keys, what)| !keys.is_empty() && !what.is_empty())
        );
        assert!(SHORTCUTS.iter().any(|(keys, _)| keys.contains("F1")));
    }
}
