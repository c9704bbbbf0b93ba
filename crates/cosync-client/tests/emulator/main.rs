//! The client against the emulator, over real HTTP on loopback.
//!
//! One test binary (several would each link the emulator). Each test starts its own
//! in-memory host, so tests run in parallel without sharing state.

mod apps;
mod faults;
mod invites;
mod paging;
mod support;
mod tls;
mod users;
