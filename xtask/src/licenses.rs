//! The third-party components Gatehouse bundles and their licenses, for the About panel:
//! every crate the desktop app and its UI depend on (normal dependencies, for the Linux
//! desktop and the wasm UI), from `cargo metadata`. `cargo xtask licenses` writes the
//! list; `cargo xtask test` fails when it no longer matches `Cargo.lock`.

use crate::shell;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::PathBuf;

const ROOTS: [&str; 2] = ["gatehouse", "gatehouse-ui"];

fn list_path() -> PathBuf {
    shell::root()
        .join("src-ui")
        .join("third-party-licenses.txt")
}

/// The list as it should read for the current `Cargo.lock`.
fn generate() -> Result<String, String> {
    let mut cargo = shell::cargo(&[
        "metadata",
        "--format-version",
        "1",
        "--locked",
        "--filter-platform",
        "x86_64-unknown-linux-gnu",
        "--filter-platform",
        "wasm32-unknown-unknown",
    ]);
    let out = cargo
        .output()
        .map_err(|error| format!("could not run cargo metadata: {error}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&out.stdout)
        .map_err(|error| format!("cargo metadata answered something unreadable: {error}"))?;
    let empty = Vec::new();
    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let mut queue: VecDeque<&str> = packages
        .iter()
        .filter(|(_, p)| ROOTS.contains(&p["name"].as_str().unwrap_or_default()))
        .map(|(id, _)| *id)
        .collect();
    let mut seen: BTreeSet<&str> = queue.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        let Some(node) = nodes.get(id) else { continue };
        for dep in node["deps"].as_array().unwrap_or(&empty) {
            // What ships in the app: normal dependencies, not build or test ones.
            let shipped = dep["dep_kinds"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .any(|kind| kind["kind"].is_null());
            if let Some(pkg) = dep["pkg"].as_str().filter(|_| shipped)
                && seen.insert(pkg)
            {
                queue.push_back(pkg);
            }
        }
    }
    let mut lines: BTreeSet<String> = BTreeSet::new();
    for id in seen {
        let Some(p) = packages.get(id) else { continue };
        // Our own crates (path dependencies) are the app itself.
        if p["source"].is_null() {
            continue;
        }
        let license = p["license"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| p["license_file"].as_str().map(|f| format!("see its {f}")))
            .unwrap_or_else(|| "see its repository".to_owned());
        lines.insert(format!(
            "{} {} — {license}",
            p["name"].as_str().unwrap_or_default(),
            p["version"].as_str().unwrap_or_default()
        ));
    }
    let mut text = String::new();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}

/// Writes the list.
pub fn write() -> Result<(), String> {
    let text = generate()?;
    std::fs::write(list_path(), text)
        .map_err(|error| format!("could not write {}: {error}", list_path().display()))
}

/// Fails when the committed list is not what `Cargo.lock` gives.
pub fn check() -> Result<(), String> {
    println!("\n==> the third-party license list matches Cargo.lock");
    let want = generate()?;
    let have = std::fs::read_to_string(list_path()).unwrap_or_default();
    if want == have {
        Ok(())
    } else {
        Err(format!(
            "{} is out of date with Cargo.lock: run `cargo xtask licenses` and commit it",
            list_path().display()
        ))
    }
}
