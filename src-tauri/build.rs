//! Builds the Tauri context: the app's permission manifest comes from the one list of
//! command names in `gatehouse-types`, so every command is ACL-checked.

use std::path::Path;

fn main() {
    ensure_frontend_exists();
    let manifest = tauri_build::AppManifest::new().commands(gatehouse_types::COMMAND_NAMES);
    let attributes = tauri_build::Attributes::new()
        .config_path("tauri.conf.json")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}

/// `generate_context!` embeds the built UI and fails to compile while it is missing. On a
/// fresh clone the UI has not been built yet, so a page saying how to build it stands in:
/// `cargo clippy --workspace` and the library tests must not depend on trunk.
fn ensure_frontend_exists() {
    let dist = Path::new("../src-ui/dist");
    println!("cargo:rerun-if-changed=../src-ui/dist/index.html");
    if dist.join("index.html").exists() {
        return;
    }
    let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Gatehouse</title></head>\
        <body><h1>Gatehouse</h1><p>The user interface has not been built. \
        Run <code>cargo xtask run</code>.</p></body></html>";
    if let Err(error) =
        std::fs::create_dir_all(dist).and_then(|()| std::fs::write(dist.join("index.html"), page))
    {
        panic!("could not write a placeholder UI in src-ui/dist: {error}");
    }
}
