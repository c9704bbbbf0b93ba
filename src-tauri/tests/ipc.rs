//! Commands through Tauri's real IPC path (serialization, ACL, state) on the mock
//! runtime: no display needed.

mod common;

use common::invoke;
use gatehouse_core::ScriptedStart;
use gatehouse_types::{AppInfo, COMMAND_NAMES, Command};
use serde_json::json;
use tauri::test::MockRuntime;
use tauri::{App, WebviewWindow};

fn app(data_dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    common::mock_app(data_dir, "gatehouse-ipc-test", ScriptedStart::default())
}

#[test]
fn app_info_answers_through_ipc() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(data_dir.path());
    let answer =
        invoke(&window, gatehouse_types::LoadAppInfo::NAME, json!({})).expect("app_info succeeds");
    let info: AppInfo =
        serde_json::from_value(answer).expect("the answer decodes as the UI will decode it");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, data_dir.path().display().to_string());
}

#[test]
fn every_declared_command_is_registered_and_permitted() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(data_dir.path());
    for name in COMMAND_NAMES {
        // A wrong request shape reaches the handler and fails to decode; an unknown or
        // forbidden command fails before that, with a message naming the problem.
        let answer = invoke(&window, name, json!("not a request"));
        let message = answer
            .expect_err("a string is no command's request")
            .to_string();
        assert!(
            !message.contains("not found"),
            "{name} is not registered: {message}"
        );
        assert!(
            !message.contains("not allowed"),
            "{name} is not permitted to the main window: {message}"
        );
    }
}

#[test]
fn an_undeclared_command_is_refused() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(data_dir.path());
    let answer = invoke(&window, "delete_everything", json!({}));
    let message = answer
        .expect_err("only declared commands may run")
        .to_string();
    assert!(
        message.contains("not found"),
        "refused for another reason: {message}"
    );
}

#[test]
fn a_registered_command_is_refused_where_it_is_not_permitted() {
    // Only the main window's capability permits Gatehouse's commands. Another window
    // asking for one is refused by the ACL — which holds only while build.rs hands the
    // command list to the app manifest: without it, app commands skip the ACL and this
    // call would succeed.
    let data_dir = tempfile::tempdir().unwrap();
    let (app, _window) = app(data_dir.path());
    let other = tauri::WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .expect("a second window on the mock runtime");
    let answer = invoke(&other, gatehouse_types::LoadAppInfo::NAME, json!({}));
    let message = answer
        .expect_err("a window without the capability may not call app_info")
        .to_string();
    assert!(
        message.contains("not allowed"),
        "refused for another reason: {message}"
    );
}
