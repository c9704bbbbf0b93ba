//! Running commands loudly: each step prints what it runs, and a failure names the step.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where project-local tools (wasm-opt from npm) are installed.
pub fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// Cargo's target folder.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// A tool installed with npm into `.tools`.
pub fn npm_tool(name: &str) -> PathBuf {
    tools_dir().join("node_modules").join(".bin").join(name)
}

pub fn cargo_bin_dir() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"))
}

pub fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(args).current_dir(root());
    command
}

/// A tool installed by `setup`, found in cargo's bin folder even when that is not on PATH.
pub fn tool(name: &str) -> Command {
    let installed = cargo_bin_dir()
        .map(|dir| dir.join(name))
        .filter(|path| path.exists());
    Command::new(installed.unwrap_or_else(|| PathBuf::from(name)))
}

/// Puts cargo's bin folder and the project's npm tools first on PATH, so trunk finds the
/// installed wasm-bindgen and wasm-opt instead of trying to download them.
pub fn with_tools_on_path(command: &mut Command) {
    let mut paths: Vec<PathBuf> = cargo_bin_dir().into_iter().collect();
    paths.push(tools_dir().join("node_modules").join(".bin"));
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    if let Ok(joined) = std::env::join_paths(paths) {
        command.env("PATH", joined);
    }
}

pub fn run(step: &str, command: &mut Command) -> Result<(), String> {
    println!("\n==> {step}\n    $ {}", describe(command));
    let status = command
        .status()
        .map_err(|error| format!("{step}: could not start `{}`: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// Runs a `cargo test` command, passing its output through, and ends with one plain
/// line that sums every test binary's "test result" (the last binary alone may be an
/// empty doc-test run, which would read as "no test ran").
pub fn run_tests(step: &str, command: &mut Command) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    println!("\n==> {step}\n    $ {}", describe(command));
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("{step}: could not start `{}`: {error}", describe(command)))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(counts) = line.strip_prefix("test result: ") {
                passed += count_before(counts, " passed");
                failed += count_before(counts, " failed");
            }
        }
    }
    let status = child.wait().map_err(|error| format!("{step}: {error}"))?;
    println!("\ntests: {passed} passed, {failed} failed");
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

/// The number just before `label` in a "test result" line: `ok. 12 passed; 0 failed`.
fn count_before(text: &str, label: &str) -> u64 {
    text.find(label)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

/// Whether `program` can be started (`program --version` exits successfully).
pub fn answers(program: &mut Command) -> bool {
    program
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

/// The trimmed standard output of a command that succeeded.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Wraps `command` so it runs in a session bus with an unlocked, throw-away
/// gnome-keyring, and under a virtual display when there is no real one.
pub fn in_desktop_session(command: &mut Command) -> Result<(), String> {
    let keyring_home =
        std::env::temp_dir().join(format!("gatehouse-test-keyring-{}", std::process::id()));
    std::fs::create_dir_all(&keyring_home)
        .map_err(|error| format!("could not create {}: {error}", keyring_home.display()))?;
    let program: OsString = command.get_program().to_owned();
    let args: Vec<OsString> = command.get_args().map(OsString::from).collect();

    // gnome-keyring reads the password on stdin and creates/unlocks the login keyring.
    let script = "printf 'gatehouse-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$@\"";
    let mut wrapped =
        if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
            Command::new("dbus-run-session")
        } else {
            let mut xvfb = Command::new("xvfb-run");
            xvfb.args([
                "--auto-servernum",
                "--server-args=-screen 0 1400x900x24",
                "dbus-run-session",
            ]);
            xvfb
        };
    wrapped
        .args(["--", "sh", "-c", script, "sh"])
        .arg(program)
        .args(args);
    wrapped
        .current_dir(root())
        .env("XDG_DATA_HOME", &keyring_home);
    with_tools_on_path(&mut wrapped);
    *command = wrapped;
    Ok(())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::count_before;

    #[test]
    fn test_result_lines_are_counted() {
        let line = "FAILED. 12 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(count_before(line, " passed"), 12);
        assert_eq!(count_before(line, " failed"), 3);
        assert_eq!(count_before("ok. 0 passed; 0 failed;", " passed"), 0);
    }
}
