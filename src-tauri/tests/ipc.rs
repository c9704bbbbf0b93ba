//! Commands through Tauri's real IPC path (serialization, ACL, state) on the mock
//! runtime: no display needed.

use gatehouse_core::ScriptedStart;
use gatehouse_core::secrets::Keyring;
use gatehouse_desktop::AppState;
use gatehouse_types::{AppInfoDto, COMMAND_NAMES, Command, REQUEST_ARG};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

fn app(data_dir: &std::path::Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::new(
        data_dir.to_owned(),
        Keyring::new("gatehouse-ipc-test"),
        ScriptedStart::default(),
    );
    let app = gatehouse_desktop::builder(mock_builder(), state)
        .build(gatehouse_desktop::context())
        .expect("the app builds on the mock runtime");
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap(),
    };
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, command: &str, req: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(json!({ REQUEST_ARG: req })),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_owned(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_answers_through_ipc() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(data_dir.path());
    let answer =
        invoke(&window, gatehouse_types::AppInfo::NAME, json!({})).expect("app_info succeeds");
    let info: AppInfoDto =
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
