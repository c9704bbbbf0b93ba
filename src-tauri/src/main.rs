// Release builds on Windows must not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use gatehouse_core::ScriptedStart;
use gatehouse_core::scripted::SERVER_SECRET_ENV;

const USAGE: &str = "usage: gatehouse [--version | --help]

Gatehouse manages the JWT users of the apps on a Cosync JWT host. Started without
arguments it opens its window; GATEHOUSE_HOST_URL, GATEHOUSE_SERVER_SECRET and
GATEHOUSE_APP open a host and app directly (see the README).
";

fn main() {
    // Answered before anything starts: no window, no WebKit, no data folder.
    match std::env::args().nth(1).as_deref() {
        Some("--version" | "-V") => {
            println!("gatehouse {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Some("--help" | "-h") => {
            print!("{USAGE}");
            return;
        }
        _ => {}
    }
    #[cfg(target_os = "linux")]
    tune_webkit();
    let scripted = ScriptedStart::from_env();
    forget_secret_variable();
    gatehouse_desktop::run(scripted);
}

/// Takes `GATEHOUSE_SERVER_SECRET` out of the environment once read, so that no process
/// the app starts (WebKit's web and network processes, a file dialog's helper) inherits
/// it. On Linux the text the process was started with is also blanked, so it does not
/// stay readable in `/proc/<pid>/environ` either.
#[allow(unsafe_code)]
fn forget_secret_variable() {
    if std::env::var_os(SERVER_SECRET_ENV).is_none() {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: called from `main` before any other thread exists; it only writes zeros
    // over the value bytes of one `NAME=value` string the environment array points to,
    // which stays a valid, shorter C string.
    unsafe {
        blank_start_environment(SERVER_SECRET_ENV)
    };
    // SAFETY: as above, no other thread can read the environment while it changes.
    unsafe { std::env::remove_var(SERVER_SECRET_ENV) };
}

/// Overwrites the value of `name` in the environment strings the kernel laid out at
/// start (what `/proc/<pid>/environ` shows).
///
/// # Safety
/// No other thread may use the environment meanwhile.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
unsafe fn blank_start_environment(name: &str) {
    use std::ffi::{CStr, c_char};
    unsafe extern "C" {
        static mut environ: *mut *mut c_char;
    }
    let prefix = format!("{name}=");
    // SAFETY: `environ` is a null-terminated array of C strings (the caller rules out
    // concurrent changes); each value written is within its own string.
    unsafe {
        let mut entry = environ;
        while !entry.is_null() && !(*entry).is_null() {
            let text = CStr::from_ptr(*entry).to_bytes();
            if let Some(value) = text.strip_prefix(prefix.as_bytes()) {
                std::ptr::write_bytes((*entry).add(prefix.len()), 0, value.len());
            }
            entry = entry.add(1);
        }
    }
}

/// WebKitGTK settings the app changes, through the environment its web process inherits.
#[cfg(target_os = "linux")]
const WEBKIT_DEFAULTS: [(&str, &str); 4] = [
    // JavaScriptCore first interprets WebAssembly and compiles a function only once it
    // is hot, so the first screen — every line of which runs once — is drawn by the
    // interpreter. Compiling the whole (1 MB) module when it loads brings the first rows
    // ~0.2 s sooner.
    ("JSC_useWasmIPInt", "0"),
    ("JSC_useWasmLLInt", "0"),
    // Skia paints on the CPU rather than through GL. Text and boxes gain nothing from
    // GPU painting, whose caches cost the web process ~30 MB more with the table shown
    // and grow by ~40 MB over a few dozen searches where GL runs in software (VMs,
    // remote desktops). (And see the next line.)
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
    // Nor are the painted layers composited through GL: a page of text and boxes has no
    // layers worth it, and where GL runs in software the web process then loads neither
    // LLVM nor a GL context. Measured at a million users (BENCHMARKS.md, desktop): the
    // web process 215 → 145 MB, keystroke to painted rows p95 32 → 26 ms, frames during
    // a sync p99 52 → 27 ms. Its one cost, a page that often started ~0.5 s later, was
    // the window's being shown before the page existed (`desktop::shown_once_loaded`).
    // A user who sets the variable (to 0 for GL compositing) decides.
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
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
