// Release builds on Windows must not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// mimalloc rather than the system allocator: a sync allocates and frees hundreds of
// thousands of small records on several threads, which glibc serves ~20 % slower and
// keeps in per-thread arenas (the process grew by ~370 MB with each re-sync of 100k users).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    #[cfg(target_os = "linux")]
    compile_the_ui_up_front();
    gatehouse_desktop::run();
}

/// WebKitGTK's JavaScriptCore first interprets WebAssembly and compiles a function only
/// once it is hot, so the first screen — every line of which runs once — is drawn by the
/// interpreter. Compiling the whole (1 MB) module when it loads brings the first rows
/// ~0.2 s sooner. The web process inherits these variables; values the user set win.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn compile_the_ui_up_front() {
    for option in ["JSC_useWasmIPInt", "JSC_useWasmLLInt"] {
        if std::env::var_os(option).is_none() {
            // SAFETY: the first thing `main` does, before any other thread exists, so
            // nothing can read the environment while it changes.
            unsafe { std::env::set_var(option, "0") };
        }
    }
}
