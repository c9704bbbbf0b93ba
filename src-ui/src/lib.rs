//! Gatehouse's user interface. Views are declarative; formatting and validation live in
//! plain functions tested natively; the backend is reached only through [`ipc`].

mod about;
pub mod ipc;

use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="app-bar">
            <h1>"Gatehouse"</h1>
        </header>
        <main>
            <about::About />
        </main>
    }
}
