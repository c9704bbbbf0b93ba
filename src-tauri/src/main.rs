// Release builds on Windows must not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    tune_webkit();
    gatehouse_desktop::run();
}

/// WebKitGTK settings the app changes, through the environment its web process inherits.
#[cfg(target_os = "linux")]
const WEBKIT_DEFAULTS: [(&str, &str); 3] = [
    // JavaScriptCore first interprets WebAssembly and compiles a function only once it
    // is hot, so the first screen — every line of which runs once — is drawn by the
    // interpreter. Compiling the whole (1 MB) module when it loads brings the first rows
    // ~0.2 s sooner.
    ("JSC_useWasmIPInt", "0"),
    ("JSC_useWasmLLInt", "0"),
    // Skia paints on the CPU rather than through GL. Text and boxes gain nothing from
    // GPU painting, whose caches cost the web process ~30 MB more with the table shown
    // and grow by ~40 MB over a few dozen searches where GL runs in software (VMs,
    // remote desktops). Compositing the painted layers still uses GL.
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
];

/// Sets each of `WEBKIT_DEFAULTS` the user has not set: their values win.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn tune_webkit() {
    for (name, value) in WEBKIT_DEFAULTS {
        if std::env::var_os(name).is_none() {
            // SAFETY: the first thing `main` does, before any other thread exists, so
            // nothing can read the environment while it changes.
            unsafe { std::env::set_var(name, value) };
        }
    }
}
