//! `cargo xtask check-targets`: clippy of the desktop app, the CLI and everything they
//! use, for Windows (`x86_64-pc-windows-gnu`) and macOS (`aarch64-apple-darwin`), so code
//! that only those platforms compile — their keyring backends, window code, `cfg`
//! branches — cannot rot unseen on Linux.
//!
//! Only compiling is checked (no linking): build scripts that compile C do so with
//! MinGW for Windows and Zig for macOS. macOS is checked without the `notifications`
//! feature: its notification crate compiles Objective-C against the SDK's Cocoa
//! headers, which only a Mac has.

use crate::setup;
use crate::shell;
use std::path::{Path, PathBuf};

/// Zig as the macOS C compiler for cc-rs, minus the flags cc-rs adds for Apple's clang
/// that Zig does not take (Zig gets the target from `-target`).
const ZIG_CC: &str = r#"
import os, sys
args, skip = [], False
for arg in sys.argv[1:]:
    if skip:
        skip = False
    elif arg == "-arch":
        skip = True
    elif not arg.startswith(("--target=", "-mmacosx-version-min", "-mmacos-version-min")):
        args.append(arg)
os.execv(sys.executable, [sys.executable, "-m", "ziglang", "cc", "-target", "aarch64-macos", *args])
"#;

const ZIG_AR: &str = r#"
import os, sys
os.execv(sys.executable, [sys.executable, "-m", "ziglang", "ar", *sys.argv[1:]])
"#;

pub fn check_targets() -> Result<(), String> {
    setup::ensure_cross_tools()?;
    let (cc, ar) = zig_wrappers()?;
    let mut windows = clippy("x86_64-pc-windows-gnu", &[]);
    shell::run("clippy for Windows (x86_64-pc-windows-gnu)", &mut windows)?;
    let mut macos = clippy("aarch64-apple-darwin", &["--no-default-features"]);
    macos
        .env("CC_aarch64_apple_darwin", cc)
        .env("AR_aarch64_apple_darwin", ar);
    shell::run("clippy for macOS (aarch64-apple-darwin)", &mut macos)
}

fn clippy(target: &str, features: &[&str]) -> std::process::Command {
    let mut cargo = shell::cargo(&[
        "clippy",
        "--target",
        target,
        "--package",
        "gatehouse",
        "--package",
        "gatehouse-cli",
    ]);
    cargo.args(features).args(["--", "-D", "warnings"]);
    cargo
}

/// Writes the `cc` and `ar` wrappers, run by the Python that has Zig.
fn zig_wrappers() -> Result<(PathBuf, PathBuf), String> {
    let dir = shell::tools_dir().join("zig");
    std::fs::create_dir_all(&dir)
        .map_err(|error| format!("could not create {}: {error}", dir.display()))?;
    let python = shell::tools_dir().join("venv").join("bin").join("python3");
    let cc = write_script(&dir.join("cc"), &python, ZIG_CC)?;
    let ar = write_script(&dir.join("ar"), &python, ZIG_AR)?;
    Ok((cc, ar))
}

fn write_script(path: &Path, python: &Path, body: &str) -> Result<PathBuf, String> {
    let text = format!("#!{}\n{}", python.display(), body.trim_start());
    std::fs::write(path, text)
        .map_err(|error| format!("could not write {}: {error}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| format!("could not make {} executable: {error}", path.display()))?;
    }
    Ok(path.to_path_buf())
}
