//! Installs what a fresh Debian/Ubuntu machine lacks, and only that.

use crate::shell::{self, answers, output, root};
use std::process::Command;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Test,
}

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132.0.0";
/// The Tauri CLI, for bundling only: the npm package ships the native binary and
/// downloads nothing else for `.deb` and `.rpm`.
const TAURI_CLI_VERSION: &str = "2.12.6";
/// Zig, as macOS's C compiler for `check-targets`.
const ZIG_VERSION: &str = "0.17.1";

/// WebKitGTK 4.1 and what Tauri links against.
const RUN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libdbus-1-dev",
    "libwebkit2gtk-4.1-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "gnome-keyring",
];

/// A virtual display, a session bus, a keyring, and WebKit's WebDriver.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "dbus-x11",
    "webkit2gtk-driver",
    "libsecret-tools",
];

pub fn ensure(purpose: Purpose) -> Result<(), String> {
    let mut packages: Vec<&str> = RUN_PACKAGES.to_vec();
    if purpose == Purpose::Test {
        packages.extend_from_slice(TEST_PACKAGES);
    }
    if !answers(Command::new("npm").arg("--version")) {
        packages.extend_from_slice(&["nodejs", "npm"]);
    }
    ensure_debian_packages(&packages)?;
    ensure_wasm_target()?;
    ensure_cargo_tool(
        "trunk",
        TRUNK_VERSION,
        &["install", "--locked", &format!("trunk@{TRUNK_VERSION}")],
    )?;
    let bindgen = wasm_bindgen_version()?;
    // `--locked` would ask for a webpki-roots the registry no longer serves; the
    // fallback resolver picks versions our rustc builds instead.
    ensure_cargo_tool(
        "wasm-bindgen",
        &bindgen,
        &["install", &format!("wasm-bindgen-cli@{bindgen}")],
    )?;
    ensure_wasm_opt()
}

/// Puts the project's WebDriver intermediary (`crates/webdriver`, which the test build
/// makes) in cargo's bin folder as `tauri-driver`, where WebDriver clients and scripts look
/// for it, in place of the upstream tool of that name: why is in the crate's header.
pub fn install_driver() -> Result<(), String> {
    let name = format!("tauri-driver{}", std::env::consts::EXE_SUFFIX);
    let built = shell::target_dir().join("debug").join(&name);
    let bin =
        shell::cargo_bin_dir().ok_or("no cargo bin folder: neither CARGO_HOME nor HOME is set")?;
    let installed = bin.join(&name);
    let bytes = std::fs::read(&built)
        .map_err(|error| format!("the built driver {} is missing: {error}", built.display()))?;
    if std::fs::read(&installed).is_ok_and(|current| current == bytes) {
        return Ok(());
    }
    // Beside it, then renamed over it: a driver that is running keeps its old file.
    let fresh = bin.join(format!(".{name}.new"));
    std::fs::create_dir_all(&bin)
        .and_then(|()| std::fs::copy(&built, &fresh))
        .and_then(|_| std::fs::rename(&fresh, &installed))
        .map_err(|error| format!("could not install {}: {error}", installed.display()))?;
    println!(
        "\n==> installed the WebDriver intermediary as {}",
        installed.display()
    );
    Ok(())
}

fn ensure_debian_packages(packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| !debian_package_installed(package))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !answers(Command::new("apt-get").arg("--version")) {
        return Err(format!(
            "these system packages are missing and this is not a Debian/Ubuntu machine: {}.\n\
             Install their equivalents with your package manager, then run this again.",
            missing.join(" ")
        ));
    }
    let apt = |args: &[&str]| {
        let mut command = as_root("apt-get");
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    let how_by_hand = format!(
        "could not install system packages; install them by hand:\n    sudo apt-get install --no-install-recommends {}",
        missing.join(" ")
    );
    shell::run("refresh the package lists", &mut apt(&["update", "-qq"]))
        .map_err(|_| how_by_hand.clone())?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    shell::run(
        &format!("install system packages: {}", missing.join(" ")),
        &mut install,
    )
    .map_err(|_| how_by_hand)
}

/// `program` run as root: directly when this process is root, else through sudo.
pub fn as_root(program: &str) -> Command {
    if output(Command::new("id").arg("-u")).as_deref() == Some("0") {
        return Command::new(program);
    }
    let mut command = Command::new("sudo");
    command.arg(program);
    command
}

fn debian_package_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${db:Status-Status}", package])).as_deref()
        == Some("installed")
}

fn ensure_wasm_target() -> Result<(), String> {
    ensure_rust_target("wasm32-unknown-unknown")
}

/// Adds a Rust target with rustup unless it is installed.
pub fn ensure_rust_target(target: &str) -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == target) {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", target]).current_dir(root());
    shell::run(&format!("add the {target} target"), &mut add)
        .map_err(|_| format!("could not add the {target} target; run `rustup target add {target}`"))
}

/// What `cargo xtask check-targets` compiles with: the Windows and macOS Rust targets,
/// MinGW (Debian's `gcc-mingw-w64-x86-64`) for Windows C code, and Zig (PyPI's
/// `ziglang`, in a virtual environment under `.tools/`) as the C compiler for macOS.
pub fn ensure_cross_tools() -> Result<(), String> {
    ensure_debian_packages(&["gcc-mingw-w64-x86-64", "python3-venv"])?;
    ensure_rust_target("x86_64-pc-windows-gnu")?;
    ensure_rust_target("aarch64-apple-darwin")?;
    let venv = shell::tools_dir().join("venv");
    let python = venv.join("bin").join("python3");
    let has_zig = || {
        output(Command::new(&python).args(["-m", "ziglang", "version"]))
            .is_some_and(|version| version == ZIG_VERSION)
    };
    if !has_zig() {
        if !python.exists() {
            let mut create = Command::new("python3");
            create.args(["-m", "venv"]).arg(&venv);
            shell::run("create a Python environment for Zig", &mut create)?;
        }
        let mut pip = Command::new(&python);
        pip.args(["-m", "pip", "install", "--quiet"])
            .arg(format!("ziglang=={ZIG_VERSION}"));
        shell::run("install Zig (PyPI package ziglang)", &mut pip)?;
    }
    Ok(())
}

/// Installs `binary` with `cargo <install_args>` unless that exact version is there:
/// it answers `--version` with it, or cargo lists it as installed.
fn ensure_cargo_tool(binary: &str, version: &str, install_args: &[&str]) -> Result<(), String> {
    let mut probe = shell::tool(binary);
    probe.arg("--version");
    if output(&mut probe).is_some_and(|text| text.split_whitespace().any(|word| word == version)) {
        return Ok(());
    }
    let installed = output(&mut shell::cargo(&["install", "--list"])).unwrap_or_default();
    let crate_name = install_args
        .iter()
        .find_map(|arg| arg.split_once('@'))
        .map(|(name, _)| name);
    let listed = crate_name.is_some_and(|name| {
        installed
            .lines()
            .any(|line| line.starts_with(&format!("{name} v{version}:")))
    });
    if listed && shell::cargo_bin_dir().is_some_and(|dir| dir.join(binary).exists()) {
        return Ok(());
    }
    let mut install = shell::cargo(install_args);
    install.env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", "fallback");
    shell::run(
        &format!("install {binary} {version} (a few minutes, once)"),
        &mut install,
    )
    .map_err(|error| {
        format!(
            "{error}; install it by hand with `cargo {}`",
            install_args.join(" ")
        )
    })
}

/// wasm-opt from npm's binaryen, into the project's `.tools`: Debian's is too old.
fn ensure_wasm_opt() -> Result<(), String> {
    ensure_npm_tool(
        "wasm-opt",
        "--version",
        &format!(
            "version {}",
            BINARYEN_VERSION.split('.').next().unwrap_or_default()
        ),
        &format!("binaryen@{BINARYEN_VERSION}"),
    )
}

/// The Tauri CLI from npm, into the project's `.tools`.
pub fn ensure_tauri_cli() -> Result<(), String> {
    ensure_npm_tool(
        "tauri",
        "--version",
        TAURI_CLI_VERSION,
        &format!("@tauri-apps/cli@{TAURI_CLI_VERSION}"),
    )
}

/// Installs `package` with npm into `.tools` unless its `binary` answers `version_arg`
/// with text containing `version`.
fn ensure_npm_tool(
    binary: &str,
    version_arg: &str,
    version: &str,
    package: &str,
) -> Result<(), String> {
    let installed = shell::npm_tool(binary);
    if output(Command::new(&installed).arg(version_arg)).is_some_and(|text| text.contains(version))
    {
        return Ok(());
    }
    let tools = shell::tools_dir();
    std::fs::create_dir_all(&tools)
        .map_err(|error| format!("could not create {}: {error}", tools.display()))?;
    let mut npm = Command::new("npm");
    npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tools)
        .arg(package);
    shell::run(
        &format!("install {binary} (npm package {package})"),
        &mut npm,
    )
    .map_err(|error| format!("{error}; install Node.js and npm, then run this again"))
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("could not read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version = lines
                .next()
                .and_then(|line| line.trim().strip_prefix("version = \""));
            if let Some(version) = version.and_then(|rest| rest.strip_suffix('"')) {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".to_owned())
}

/// Trunk must name the same wasm-bindgen as Cargo.lock, or it would try to download it.
pub fn check_trunk_config() -> Result<(), String> {
    let version = wasm_bindgen_version()?;
    let config = std::fs::read_to_string(root().join("src-ui").join("Trunk.toml"))
        .map_err(|error| format!("could not read src-ui/Trunk.toml: {error}"))?;
    if config.contains(&format!("wasm_bindgen = \"{version}\"")) {
        Ok(())
    } else {
        Err(format!(
            "src-ui/Trunk.toml must say `wasm_bindgen = \"{version}\"` under [tools], as Cargo.lock does"
        ))
    }
}
