//! Core against a running emulator over real HTTP.

mod actions;
mod hosts;
mod offline;
mod support;
mod sync;
