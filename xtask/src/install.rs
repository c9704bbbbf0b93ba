//! The package as a user gets it: `cargo xtask test` installs the `.deb` it just built
//! into this machine with apt (which pulls what it declares it depends on), checks
//! `/usr/bin/gatehouse --version`, runs the first-launch test against the installed
//! binary, and removes the package again, whatever the test's outcome.

use crate::setup::as_root;
use crate::shell::{self, output};
use std::path::{Path, PathBuf};

const INSTALLED: &str = "/usr/bin/gatehouse";

pub fn smoke_test(bundles: &Path) -> Result<(), String> {
    let deb = newest_deb(&bundles.join("deb"))?;
    let package = output(
        std::process::Command::new("dpkg-deb")
            .args(["-f"])
            .arg(&deb)
            .arg("Package"),
    )
    .ok_or_else(|| format!("{} is not a readable .deb", deb.display()))?;
    let mut install = as_root("apt-get");
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .arg(&deb);
    shell::run(
        &format!("install the package {}", deb.display()),
        &mut install,
    )?;
    let tested = check_installed();
    let mut remove = as_root("apt-get");
    remove
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["remove", "-y", "-qq", &package]);
    let removed = shell::run(&format!("remove the package {package}"), &mut remove);
    tested.and(removed)
}

fn check_installed() -> Result<(), String> {
    let version = output(std::process::Command::new(INSTALLED).arg("--version"))
        .ok_or_else(|| format!("{INSTALLED} --version failed"))?;
    let expected = format!("gatehouse {}", env!("CARGO_PKG_VERSION"));
    if version != expected {
        return Err(format!(
            "{INSTALLED} --version printed {version:?}, not {expected:?}"
        ));
    }
    println!("    {INSTALLED} --version: {version}");
    let mut test = shell::cargo(&["test", "--workspace", "--test", "demo"]);
    shell::in_desktop_session(&mut test)?;
    // After wrapping: the wrapper is a new command and keeps no environment of its own.
    test.env("GATEHOUSE_APP_BINARY", INSTALLED);
    shell::run("the first launch, against the installed package", &mut test)
}

fn newest_deb(folder: &Path) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(folder)
        .map_err(|error| format!("no packages in {}: {error}", folder.display()))?;
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "deb"))
        .max_by_key(|entry| entry.metadata().and_then(|m| m.modified()).ok())
        .map(|entry| entry.path())
        .ok_or_else(|| format!("no .deb in {}", folder.display()))
}
