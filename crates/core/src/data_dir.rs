//! Where Gatehouse keeps its host list and caches, shared by the app and the CLI.

use std::path::PathBuf;

/// Overrides the data folder; flags win over it, it wins over the platform default.
pub const DATA_DIR_ENV: &str = "GATEHOUSE_DATA_DIR";

#[derive(Debug, thiserror::Error)]
#[error(
    "no data folder could be found for this user; set {DATA_DIR_ENV} to a folder Gatehouse may write to"
)]
pub struct NoDataDir;

/// The data folder: `explicit` (a command-line flag), else `GATEHOUSE_DATA_DIR`, else the
/// platform's data folder + `gatehouse`.
pub fn resolve(explicit: Option<PathBuf>) -> Result<PathBuf, NoDataDir> {
    if let Some(dir) = explicit {
        return Ok(dir);
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|dir| dir.join("gatehouse"))
        .ok_or(NoDataDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_folder_wins() {
        let dir = resolve(Some(PathBuf::from("/tmp/elsewhere"))).unwrap();
        assert_eq!(dir, PathBuf::from("/tmp/elsewhere"));
    }
}
