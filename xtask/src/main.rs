//! `cargo xtask …`: the two commands of the README, and their parts.
//!
//! Everything a fresh Debian/Ubuntu machine lacks is installed here, step by step, each
//! step saying what it does; nothing is downloaded at build or run time by anything else.

mod cross;
mod install;
mod licenses;
mod setup;
mod shell;

use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <command>

  run [--release]   install what is missing, build the UI, launch Gatehouse
  test              install what is missing (test tools too), then fmt, clippy
                    (native and wasm32), every unit, integration and end-to-end test
  setup [--test]    only install what is missing
  ui [--release]    only build the UI with trunk
  bench [--users N] build the release UI and app, then measure the desktop app at
                    100,000 users, or N (figures for BENCHMARKS.md)
  bundle [--debug]  build the release app (or take the debug build) and package it as
                    .deb and .rpm under target/<profile>/bundle/
  icons             generate every icon in icons/ from icons/source.png
  licenses          write the third-party license list the About panel shows
  check-targets     clippy of the app and the CLI for Windows and macOS (installs
                    MinGW, the Rust targets and Zig when missing)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["run", rest @ ..] => run(rest.contains(&"--release")),
        ["test"] => test(),
        ["setup"] => setup::ensure(setup::Purpose::Run),
        ["setup", "--test"] => setup::ensure(setup::Purpose::Test),
        ["ui", rest @ ..] => build_ui(rest.contains(&"--release")),
        ["bench"] => bench(None),
        ["bench", "--users", n] => match n.replace('_', "").parse::<u64>() {
            Ok(users) if users >= 1_000 => bench(Some(users)),
            _ => {
                eprintln!("--users takes a count of at least 1000, not {n}");
                return ExitCode::from(2);
            }
        },
        ["bundle", rest @ ..] => {
            bundle(!rest.contains(&"--debug"), &["deb", "rpm"], Build::Fresh).map(|_| ())
        }
        ["icons"] => icons(),
        ["check-targets"] => cross::check_targets(),
        ["licenses"] => licenses::write(),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: {error}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<(), String>;

fn run(release: bool) -> Outcome {
    setup::ensure(setup::Purpose::Run)?;
    build_ui(release)?;
    let mut cargo = shell::cargo(&["run", "--package", "gatehouse"]);
    if release {
        cargo.arg("--release");
    }
    shell::run("launch Gatehouse", &mut cargo)
}

fn test() -> Outcome {
    setup::ensure(setup::Purpose::Test)?;
    build_ui(false)?;
    licenses::check()?;
    shell::run(
        "check formatting",
        &mut shell::cargo(&["fmt", "--all", "--check"]),
    )?;
    shell::run(
        "clippy, native",
        &mut shell::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    shell::run(
        "clippy, wasm32 (UI and types)",
        &mut shell::cargo(&[
            "clippy",
            "--package",
            "gatehouse-ui",
            "--package",
            "gatehouse-types",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut docs = shell::cargo(&["doc", "--no-deps", "--workspace"]);
    docs.env("RUSTDOCFLAGS", "-D warnings");
    shell::run("documentation (broken links are errors)", &mut docs)?;
    // One `cargo test --workspace` builds every test, the desktop binary the end-to-end
    // tests launch and the WebDriver intermediary they launch it through, with one feature
    // resolution: nothing is compiled twice. The driver is installed between build and run
    // so that scripts using `tauri-driver` from PATH get it even when a test fails.
    shell::run(
        "build every test",
        &mut shell::cargo(&["test", "--workspace", "--no-run"]),
    )?;
    setup::install_driver()?;
    let mut tests = shell::cargo(&["test", "--workspace"]);
    shell::in_desktop_session(&mut tests)?;
    shell::run_tests(
        "all tests (unit, integration, keyring, end-to-end)",
        &mut tests,
    )?;
    // Compiling for the other platforms is minutes on a fresh machine and seconds after.
    cross::check_targets()?;
    // The package of the very binary the tests just ran: bundling it takes seconds, a
    // release build would be the longest step of the run.
    let bundles = bundle(false, &["deb", "rpm"], Build::AsTested)?;
    install::smoke_test(&bundles)
}

/// Whether `bundle` builds the app first or packages the binary already there.
#[derive(PartialEq)]
enum Build {
    Fresh,
    AsTested,
}

/// Packages the app with the Tauri CLI; answers the folder the packages are in.
fn bundle(release: bool, formats: &[&str], build: Build) -> Result<std::path::PathBuf, String> {
    setup::ensure(setup::Purpose::Run)?;
    setup::ensure_tauri_cli()?;
    if build == Build::Fresh {
        build_ui(release)?;
        let mut cargo = shell::cargo(&["build", "--package", "gatehouse"]);
        if release {
            cargo.arg("--release");
        }
        shell::run("build the app", &mut cargo)?;
    }
    let mut tauri = Command::new(shell::npm_tool("tauri"));
    tauri
        .args(["bundle", "--ci", "--bundles", &formats.join(",")])
        .current_dir(shell::root().join("src-tauri"));
    if !release {
        tauri.arg("--debug");
    }
    shell::run(
        &format!("package the app ({})", formats.join(", ")),
        &mut tauri,
    )?;
    let folder = shell::target_dir()
        .join(if release { "release" } else { "debug" })
        .join("bundle");
    println!("\n    packages in {}", folder.display());
    Ok(folder)
}

/// Regenerates the icons every format wants from the one source icon.
fn icons() -> Outcome {
    setup::ensure_tauri_cli()?;
    let icons = shell::root().join("icons");
    let scratch = shell::target_dir().join("icons");
    let mut tauri = Command::new(shell::npm_tool("tauri"));
    tauri
        .arg("icon")
        .arg(icons.join("source.png"))
        .arg("--output")
        .arg(&scratch);
    shell::run("generate the icons", &mut tauri)?;
    // The sizes the Linux packages, the window, macOS (.icns) and Windows (.ico) use.
    for name in [
        "32x32.png",
        "64x64.png",
        "128x128.png",
        "icon.png",
        "icon.icns",
        "icon.ico",
    ] {
        std::fs::copy(scratch.join(name), icons.join(name))
            .map_err(|error| format!("could not copy the generated {name}: {error}"))?;
    }
    Ok(())
}

/// The desktop figures are only meaningful for what users run: the release UI inside the
/// release binary, which the bench launches instead of the debug one the tests use.
fn bench(users: Option<u64>) -> Outcome {
    setup::ensure(setup::Purpose::Test)?;
    build_ui(true)?;
    shell::run(
        "build the release app",
        &mut shell::cargo(&[
            "build",
            "--release",
            "--package",
            "gatehouse",
            "--package",
            "gatehouse-webdriver",
        ]),
    )?;
    let binary = shell::target_dir()
        .join("release")
        .join(format!("gatehouse{}", std::env::consts::EXE_SUFFIX));
    let mut bench = shell::cargo(&["bench", "--package", "gatehouse-e2e", "--bench", "desktop"]);
    shell::in_desktop_session(&mut bench)?;
    // After wrapping: the wrapper is a new command and keeps no environment of its own.
    bench.env("GATEHOUSE_APP_BINARY", binary);
    if let Some(users) = users {
        bench.env("GATEHOUSE_BENCH_USERS", users.to_string());
    }
    let size = users.map_or("100,000".to_owned(), |n| n.to_string());
    shell::run(
        &format!("desktop benchmark (release app, {size} users)"),
        &mut bench,
    )
}

fn build_ui(release: bool) -> Outcome {
    setup::check_trunk_config()?;
    shell::run(
        "fetch crates for the offline UI build",
        &mut shell::cargo(&["fetch", "--locked"]),
    )?;
    let mut trunk = shell::tool("trunk");
    trunk.arg("build").current_dir(shell::root().join("src-ui"));
    if release {
        // For the wasm only (the variables reach trunk's cargo, not the app's): a third
        // smaller module, which the web view loads and compiles at every start.
        trunk
            .arg("--release")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s")
            .env("CARGO_PROFILE_RELEASE_LTO", "fat")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1");
    }
    shell::with_tools_on_path(&mut trunk);
    shell::run("build the UI with trunk", &mut trunk)
}
