// Release builds on Windows must not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// mimalloc rather than the system allocator: a sync allocates and frees hundreds of
// thousands of small records on several threads, which glibc serves ~20 % slower and
// keeps in per-thread arenas (the process grew by ~370 MB with each re-sync of 100k users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    gatehouse_desktop::run();
}
