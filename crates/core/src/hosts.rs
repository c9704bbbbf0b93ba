//! The host list, `hosts.json` in the data folder: names, URLs, ids, CA files and the
//! plain-http permission. Never a secret: those live in the keyring.
//!
//! The file is read again before every change and replaced atomically, because the
//! desktop app and the CLI may both change it. A file that cannot be read is set aside
//! (renamed, never deleted) and the list starts empty, so one bad byte does not stop
//! every command.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::data_dir;
use crate::error::{Error, Result};
use crate::notices::Notices;

/// The file name of the host list inside the data folder.
pub const HOSTS_FILE: &str = "hosts.json";

/// The fixed id of the embedded demo host, whatever port it listens on.
pub const DEMO_HOST_ID: &str = "demo";

const FORMAT_VERSION: u32 = 1;

/// One saved host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostEntry {
    /// What the user calls it.
    pub name: String,
    /// The normalised base URL.
    pub url: String,
    /// Derived from the URL ([`host_id`]), or [`DEMO_HOST_ID`]; names the keyring entry
    /// and the cache folder.
    pub id: String,
    /// A PEM file of extra CA certificates for this host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// Plain `http://` to a host that is not on this machine was explicitly allowed.
    #[serde(default)]
    pub allow_http: bool,
}

impl HostEntry {
    /// An entry for `url` named `name`, its id derived from the URL.
    pub fn new(name: &str, url: &str) -> Result<Self> {
        let url = cosync_client::normalize_base_url(url)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::InvalidInput("the host needs a name".into()));
        }
        Ok(HostEntry {
            name: name.to_owned(),
            id: id_of_normalized(&url),
            url,
            ca_file: None,
            allow_http: false,
        })
    }

    /// Whether this is the embedded demo host.
    pub fn is_demo(&self) -> bool {
        self.id == DEMO_HOST_ID
    }

    /// The keyring account of this host's server secret.
    pub fn keyring_account(&self) -> String {
        keyring_account(&self.id)
    }
}

/// The keyring account (product.md §1: `host:<id>`) of the host with id `host_id`.
pub fn keyring_account(host_id: &str) -> String {
    format!("host:{host_id}")
}

/// The id of the host at `url`: the URL normalised (scheme and host lower-cased,
/// default port and trailing slash dropped), then the first 16 hex digits of its
/// SHA-256, so the same origin always finds the same cache.
pub fn host_id(url: &str) -> Result<String> {
    Ok(id_of_normalized(&cosync_client::normalize_base_url(url)?))
}

fn id_of_normalized(url: &str) -> String {
    let digest = Sha256::digest(url.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct HostsFile {
    version: u32,
    #[serde(default)]
    hosts: Vec<HostEntry>,
}

/// Only the version, read first: a list from a newer release may not parse as this
/// release's list, and must not be taken for a damaged one.
#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// What the file holds.
enum Read {
    Hosts(Vec<HostEntry>),
    /// Written by a newer release: left as it is, neither used nor replaced.
    Newer,
}

/// The host list on disk.
#[derive(Debug, Clone)]
pub struct HostList {
    path: PathBuf,
    notices: Notices,
}

impl HostList {
    /// The host list of the data folder `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        HostList {
            path: data_dir.join(HOSTS_FILE),
            notices: Notices::default(),
        }
    }

    /// Tells what happened to the file through `notices`.
    pub(crate) fn with_notices(mut self, notices: Notices) -> Self {
        self.notices = notices;
        self
    }

    /// The hosts, in the order they were added. A missing file is an empty list; so is a
    /// damaged one, which is set aside first, and one from a newer release, which is left
    /// as it is; both with a notice.
    pub fn load(&self) -> Result<Vec<HostEntry>> {
        match self.read()? {
            Read::Hosts(hosts) => Ok(hosts),
            Read::Newer => {
                self.notices.push(format!(
                    "The host list {} was written by a newer version of Gatehouse. It was \
                     left as it is and its hosts are not shown: update Gatehouse to use \
                     them. Hosts cannot be added or changed until then.",
                    self.path.display()
                ));
                Ok(Vec::new())
            }
        }
    }

    /// Reads the list, lets `change` edit it, and writes it back atomically. A list from
    /// a newer release is refused rather than overwritten.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<HostEntry>) -> Result<T>) -> Result<T> {
        let mut hosts = match self.read()? {
            Read::Hosts(hosts) => hosts,
            Read::Newer => {
                return Err(self.failure(
                    "it was written by a newer version of Gatehouse; update Gatehouse to \
                     change the hosts"
                        .into(),
                ));
            }
        };
        let out = change(&mut hosts)?;
        self.save(&hosts)?;
        Ok(out)
    }

    fn read(&self) -> Result<Read> {
        // Another process may set the same damaged file aside between our read and our
        // rename; then the file is read again.
        for _ in 0..3 {
            let bytes = match std::fs::read(&self.path) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(Read::Hosts(Vec::new()));
                }
                Err(e) => return Err(self.failure(e.to_string())),
            };
            if serde_json::from_slice::<VersionOnly>(&bytes)
                .is_ok_and(|file| file.version > FORMAT_VERSION)
            {
                return Ok(Read::Newer);
            }
            let problem = match serde_json::from_slice::<HostsFile>(&bytes) {
                Ok(file) => return Ok(Read::Hosts(file.hosts)),
                Err(e) => e,
            };
            match data_dir::set_aside(&self.path) {
                Ok(aside) => {
                    self.notices.push(format!(
                        "The host list {HOSTS_FILE} could not be read ({problem}); it was set \
                         aside as {} and Gatehouse started with no hosts. Add your hosts \
                         again.",
                        aside.display()
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(self.failure(format!(
                        "it is not a valid host list ({problem}) and could not be set aside \
                         ({e})"
                    )));
                }
            }
        }
        Err(self.failure("it keeps changing while it is read".into()))
    }

    fn save(&self, hosts: &[HostEntry]) -> Result<()> {
        let file = HostsFile {
            version: FORMAT_VERSION,
            hosts: hosts.to_vec(),
        };
        let text = serde_json::to_vec_pretty(&file)
            .map_err(|e| self.failure(format!("it could not be encoded ({e})")))?;
        if let Some(dir) = self.path.parent() {
            data_dir::create_private_dir(dir).map_err(|e| Error::io(dir, e))?;
        }
        data_dir::write_private_file(&self.path, &text).map_err(|e| Error::io(&self.path, e))
    }

    fn failure(&self, detail: String) -> Error {
        Error::HostsFile {
            path: self.path.clone(),
            detail,
        }
    }
}

/// Finds a host by id, by name (ignoring case), or by URL.
pub fn find<'a>(hosts: &'a [HostEntry], key: &str) -> Option<&'a HostEntry> {
    let key = key.trim();
    hosts
        .iter()
        .find(|h| h.id == key)
        .or_else(|| hosts.iter().find(|h| h.name.eq_ignore_ascii_case(key)))
        .or_else(|| {
            let id = host_id(key).ok()?;
            hosts.iter().find(|h| h.id == id)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_origin_share_an_id() {
        let a = host_id("HTTPS://Rest.Cosync.net:443/").unwrap();
        let b = host_id("https://rest.cosync.net").unwrap();
        assert_eq!(a, b, "the same origin must find the same cache");
        assert_eq!(a.len(), 16);
        assert_ne!(a, host_id("https://sandbox.cosync.net").unwrap());
    }

    #[test]
    fn the_list_round_trips_and_finds_by_name_id_or_url() {
        let dir = tempfile::tempdir().unwrap();
        let list = HostList::in_data_dir(dir.path());
        assert!(list.load().unwrap().is_empty(), "no file is an empty list");
        let entry = HostEntry::new("Prod", "https://rest.cosync.net/").unwrap();
        list.update(|hosts| {
            hosts.push(entry.clone());
            Ok(())
        })
        .unwrap();
        let hosts = list.load().unwrap();
        assert_eq!(hosts, vec![entry.clone()]);
        assert_eq!(find(&hosts, "prod"), Some(&entry));
        assert_eq!(find(&hosts, &entry.id), Some(&entry));
        assert_eq!(find(&hosts, "https://REST.cosync.net"), Some(&entry));
        assert_eq!(find(&hosts, "other"), None);
    }

    #[test]
    fn a_damaged_list_is_set_aside_with_a_notice_and_the_list_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HOSTS_FILE);
        std::fs::write(&path, b"{not json").unwrap();
        let notices = Notices::default();
        let list = HostList::in_data_dir(dir.path()).with_notices(notices.clone());
        assert!(list.load().unwrap().is_empty());
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        let name = aside[0].file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("hosts.json.damaged-"), "{name}");
        assert_eq!(
            std::fs::read(&aside[0]).unwrap(),
            b"{not json",
            "the bytes are kept"
        );
        let told = notices.take();
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("could not be read"), "{}", told[0]);
        assert!(
            told[0].contains(&name),
            "the notice names the copy: {}",
            told[0]
        );
        assert!(told[0].contains("Add your hosts again"), "{}", told[0]);

        let entry = HostEntry::new("Prod", "https://rest.cosync.net/").unwrap();
        list.update(|hosts| {
            hosts.push(entry.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(list.load().unwrap(), vec![entry]);
        assert!(notices.take().is_empty(), "nothing more to say");
    }

    #[test]
    fn a_list_of_the_wrong_shape_counts_as_damaged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(HOSTS_FILE),
            br#"{"version":1,"hosts":[{"x":1}]}"#,
        )
        .unwrap();
        let list = HostList::in_data_dir(dir.path());
        assert!(list.load().unwrap().is_empty());
        assert!(!dir.path().join(HOSTS_FILE).exists(), "set aside");
    }

    #[test]
    fn a_list_from_a_newer_release_is_left_untouched_and_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HOSTS_FILE);
        let newer = br#"{"version":99,"hosts":"a shape this release does not know"}"#;
        std::fs::write(&path, newer).unwrap();
        let notices = Notices::default();
        let list = HostList::in_data_dir(dir.path()).with_notices(notices.clone());
        assert!(list.load().unwrap().is_empty(), "not fatal: no hosts");
        assert!(list.load().unwrap().is_empty());
        let told = notices.take();
        assert_eq!(told.len(), 1, "said once: {told:?}");
        assert!(told[0].contains("newer version"), "{}", told[0]);
        let err = list.update(|_| Ok(())).unwrap_err();
        assert_eq!(err.code(), "hosts_file");
        assert!(err.to_string().contains("newer"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), newer, "left untouched");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_list_is_written_for_the_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let list = HostList::in_data_dir(&data);
        list.update(|hosts| {
            hosts.push(HostEntry::new("Prod", "https://rest.cosync.net/").unwrap());
            Ok(())
        })
        .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(HOSTS_FILE)), 0o600);
    }
}
