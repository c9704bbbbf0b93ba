//! The only door to the backend: the one place that touches `window.__TAURI__`.
//!
//! Every call is typed by its request struct (`gatehouse_types::Command`), sends it as
//! the single argument `req`, and decodes both the answer and the rejection; nothing here
//! assumes the shape of a `JsValue`.

use gatehouse_types::{ApiError, Command, ErrorCode, REQUEST_ARG};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Invokes `C::NAME` with `req` and decodes its answer.
pub async fn call<C: Command>(req: C) -> Result<C::Output, ApiError> {
    let args = encode(&Args { req })?;
    match tauri_invoke(C::NAME, args).await {
        Ok(answer) => serde_wasm_bindgen::from_value(answer).map_err(|error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("unexpected answer from {}: {error}", C::NAME),
            )
        }),
        Err(rejection) => Err(decode_rejection(C::NAME, rejection)),
    }
}

#[derive(Serialize)]
struct Args<C> {
    req: C,
}

const _: () = assert!(
    matches!(REQUEST_ARG.as_bytes(), b"req"),
    "Args must name its field after REQUEST_ARG"
);

fn encode<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    // JSON-compatible: maps become plain objects, which Tauri's IPC expects.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("could not encode a request: {error}"),
            )
        })
}

/// A command rejects with a serialized `ApiError`; Tauri itself rejects with a string
/// (unknown command, permission denied).
fn decode_rejection(command: &str, rejection: JsValue) -> ApiError {
    if let Ok(error) = serde_wasm_bindgen::from_value::<ApiError>(rejection.clone()) {
        return error;
    }
    let detail = rejection
        .as_string()
        .unwrap_or_else(|| format!("{rejection:?}"));
    ApiError::new(ErrorCode::Internal, format!("{command} failed: {detail}"))
}
