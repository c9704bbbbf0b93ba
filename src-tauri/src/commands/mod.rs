//! Command handlers: each takes its request struct from `gatehouse-types` as `req`,
//! delegates, and answers its `Output` or an `ApiError`.

pub mod actions;
pub mod apps;
pub mod bulk;
pub mod hosts;
pub mod info;
pub mod lists;
pub mod sync;
pub mod users;

use gatehouse_types::{ApiError, ErrorCode};

/// A blocking call (keyring, disk) moved off the async runtime's workers.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        ApiError::new(
            ErrorCode::Internal,
            format!("a background task failed: {error}"),
        )
    })
}
