//! Errors: the library's own, and the host's two error body shapes on the wire.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What can go wrong when starting, seeding or storing outside a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("storage: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("key: {0}")]
    Key(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
}

/// A failure answered to an HTTP client, in one of the host's two shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// `{"code": N, "message": …}` with HTTP 400.
    Code(u16),
    /// `{"status": "Fails", "message": …}` with the given HTTP status.
    Fails(u16, String),
    /// The host's own internal error: HTTP 501 with code 500.
    Internal(String),
}

impl ApiError {
    pub fn fails(message: impl Into<String>) -> Self {
        ApiError::Fails(400, message.into())
    }
}

/// The host's message for each numeric code of spec §3.
pub fn message(code: u16) -> &'static str {
    match code {
        400 => "invalid app token",
        401 => "app no longer exists",
        402 => "app is suspended",
        403 => "missing parameter",
        404 => "user account is suspended",
        405 => "invalid access token",
        406 => "app does not support invitation",
        407 => "app does not support signup",
        408 => "app does not support google two-factor",
        409 => "app does not support phone two-factor",
        410 => "user has no verified phone",
        411 => "signup code expired",
        412 => "phone number already in use",
        413 => "app is migrated",
        414 => "app does not support anonymous login",
        415 => "app does not support Apple login",
        416 => "app does not support Google login",
        500 => "internal server error",
        501 => "access token expired",
        600 => "invalid login credentials",
        601 => "handle already registered",
        602 => "invalid data",
        603 => "account does not exist",
        604 => "invalid metadata",
        605 => "user name already assigned",
        606 => "app does not support user names",
        607 => "user name does not exist",
        608 => "account has not been verified",
        609 => "invalid locale",
        610 => "email account already exists",
        611 => "apple account already exists",
        612 => "google account already exists",
        613 => "token is invalid",
        _ => "error",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Code(code) => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({"code": code, "message": message(code)})),
            )
                .into_response(),
            ApiError::Fails(status, msg) => (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                axum::Json(json!({"status": "Fails", "message": msg})),
            )
                .into_response(),
            ApiError::Internal(detail) => {
                eprintln!("cosync-emulator: internal error: {detail}");
                (
                    StatusCode::NOT_IMPLEMENTED,
                    axum::Json(json!({"code": 500, "message": message(500)})),
                )
                    .into_response()
            }
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}
