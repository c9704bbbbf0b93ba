//! The host list, `hosts.json` in the data folder: names, URLs, ids, CA files and the
//! plain-http permission. Never a secret: those live in the keyring.
//!
//! The file is read again before every change and replaced atomically, because the
//! desktop app and the CLI may both change it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::data_dir;
use crate::error::{Error, Result};

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
        format!("host:{}", self.id)
    }
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

/// The host list on disk.
#[derive(Debug, Clone)]
pub struct HostList {
    path: PathBuf,
}

impl HostList {
    /// The host list of the data folder `data_dir`.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        HostList {
            path: data_dir.join(HOSTS_FILE),
        }
    }

    /// The hosts, in the order they were added. A missing file is an empty list.
    pub fn load(&self) -> Result<Vec<HostEntry>> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.failure(e.to_string())),
        };
        let file: HostsFile = serde_json::from_slice(&bytes)
            .map_err(|e| self.failure(format!("it is not a valid host list ({e})")))?;
        if file.version > FORMAT_VERSION {
            return Err(self.failure("it was written by a newer Gatehouse".into()));
        }
        Ok(file.hosts)
    }

    /// Reads the list, lets `change` edit it, and writes it back atomically.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<HostEntry>) -> Result<T>) -> Result<T> {
        let mut hosts = self.load()?;
        let out = change(&mut hosts)?;
        self.save(&hosts)?;
        Ok(out)
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
    fn a_damaged_list_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(HOSTS_FILE), b"{not json").unwrap();
        let err = HostList::in_data_dir(dir.path()).load().unwrap_err();
        assert_eq!(err.code(), "hosts_file");
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
