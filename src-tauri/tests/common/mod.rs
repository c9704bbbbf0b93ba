//! The app on Tauri's mock runtime, and calls through its real IPC path.

use gatehouse_core::ScriptedStart;
use gatehouse_core::secrets::Keyring;
use gatehouse_desktop::AppState;
use gatehouse_types::REQUEST_ARG;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

/// The app over `data_dir`, with its own keyring service name, and its main window.
pub fn mock_app(
    data_dir: &std::path::Path,
    keyring_service: &str,
    scripted: ScriptedStart,
) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let state = AppState::new(data_dir.to_owned(), Keyring::new(keyring_service), scripted);
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

/// Calls `command` with `req` as the page does; `Err` is the command's error answer.
pub fn invoke(
    window: &WebviewWindow<MockRuntime>,
    command: &str,
    req: Value,
) -> Result<Value, Value> {
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
