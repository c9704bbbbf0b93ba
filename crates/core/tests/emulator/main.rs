//! Core against a running emulator over real HTTP.

mod actions;
mod offline;
mod support;
mod sync;
