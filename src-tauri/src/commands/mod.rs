//! Command handlers: each takes its request struct from `gatehouse-types` as `req`,
//! delegates, and answers its `Output` or an `ApiError`.

pub mod actions;
pub mod activity;
pub mod apps;
pub mod audit;
pub mod bulk;
pub mod changes;
pub mod hosts;
pub mod info;
pub mod lists;
pub mod sync;
pub mod users;
