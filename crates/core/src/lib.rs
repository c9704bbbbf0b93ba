//! What the desktop app and `gatehouse-cli` share: where data lives, the secrets in the
//! OS keyring, and (as they land) hosts, sync, actions and export. Nothing here knows
//! about Tauri or the web view.

pub mod data_dir;
pub mod secrets;
pub mod sensitive;

pub use sensitive::Sensitive;
