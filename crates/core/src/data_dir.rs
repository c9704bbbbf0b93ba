//! Where Gatehouse keeps its host list and caches, shared by the app and the CLI, and how
//! it writes there: folders 0700 and files 0600 on Unix (the host list names every host,
//! the caches hold every user), files replaced atomically, and a file that cannot be read
//! set aside under another name rather than deleted.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Creates `dir`, and any missing folder above it, for the user only (0700 on Unix).
/// An existing `dir` that others may enter is narrowed, so a folder made by an older
/// release is closed too; when that is not allowed (someone else's folder, chosen with
/// `GATEHOUSE_DATA_DIR`) it is left as it is, since it can still be written in.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    narrow(dir, 0o700);
    Ok(())
}

/// Creates `path` empty and for the user only (0600 on Unix) unless it exists, and
/// narrows an existing one. For files another library writes in place (SQLite, the UI
/// settings store): they keep the mode of the file they find, and SQLite gives its
/// `-wal` and `-shm` files the main file's mode.
pub fn ensure_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?;
    narrow(path, 0o600);
    Ok(())
}

/// Replaces `path` with `bytes`: written to a temporary file beside it, created 0600,
/// then renamed over it, so a reader in another process (the app and the CLI share the
/// folder) sees the old or the new content, never half, and nobody else ever can.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_private_file(path, bytes, true)
}

/// [`write_private_file`] without waiting for the disk: what it writes survives the
/// process ending at any moment, not a power cut. For a file rewritten at every change
/// of a bulk action (the journal of changes sent), where a wait per write would add
/// seconds.
pub fn write_private_file_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_private_file(path, bytes, false)
}

fn replace_private_file(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    // Two writers in one process must not share a temporary file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let mut tmp_name = name.to_owned();
    tmp_name.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = path.with_file_name(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        if durable { file.sync_all() } else { Ok(()) }
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

/// Renames a file that could not be read to `<name>.damaged-<unix seconds>` beside it
/// (never over another file), so the user's data is kept for them to look at, and
/// answers the new path.
pub fn set_aside(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for attempt in 0u32..100 {
        let mut target = name.to_owned();
        target.push(format!(".damaged-{seconds}"));
        if attempt > 0 {
            target.push(format!("-{attempt}"));
        }
        let target = path.with_file_name(target);
        if target.exists() {
            continue;
        }
        std::fs::rename(path, &target)?;
        return Ok(target);
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many damaged copies already set aside",
    ))
}

/// Takes group and other permissions away from `path` when it has any. Best effort: the
/// callers have already created or written it, which is what they need.
fn narrow(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o777 != mode
        {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_folder_wins() {
        let dir = resolve(Some(PathBuf::from("/tmp/elsewhere"))).unwrap();
        assert_eq!(dir, PathBuf::from("/tmp/elsewhere"));
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn folders_are_made_0700_and_wider_ones_narrowed() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("data").join("cache").join("host");
        create_private_dir(&deep).unwrap();
        for dir in [
            root.path().join("data"),
            root.path().join("data/cache"),
            deep,
        ] {
            assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        }
        let old = root.path().join("old");
        std::fs::create_dir(&old).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&old).unwrap();
        assert_eq!(mode(&old), 0o700, "a folder of an older release is closed");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_written_0600_whatever_was_there() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.json");
        write_private_file(&path, b"one").unwrap();
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600, "the replacement is the user's only");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left behind");

        let store = dir.path().join("store.sqlite");
        ensure_private_file(&store).unwrap();
        assert_eq!(mode(&store), 0o600);
        std::fs::write(&store, b"kept").unwrap();
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o664)).unwrap();
        ensure_private_file(&store).unwrap();
        assert_eq!(mode(&store), 0o600);
        assert_eq!(
            std::fs::read(&store).unwrap(),
            b"kept",
            "the content is kept"
        );
    }

    #[test]
    fn a_file_set_aside_keeps_its_bytes_and_never_overwrites_another() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts.json");
        std::fs::write(&path, b"first").unwrap();
        let first = set_aside(&path).unwrap();
        std::fs::write(&path, b"second").unwrap();
        let second = set_aside(&path).unwrap();
        assert_ne!(first, second);
        assert!(!path.exists());
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(&second).unwrap(), b"second");
        let name = first.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("hosts.json.damaged-"), "{name}");
    }
}
