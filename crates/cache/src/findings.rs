//! The findings no column filter can express: near-duplicate handles and users missing
//! a required metadata field. Both read the live users table, so they see every change
//! made since the index was built, and both answer a set of ids that a [`UserQuery`]
//! narrows to (see [`UserQuery::set`]).
//!
//! [`UserQuery`]: crate::UserQuery
//! [`UserQuery::set`]: crate::UserQuery::set

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, OnceLock};

use rusqlite::OptionalExtension;
use unicode_security::confusable_detection::skeleton;

use crate::actions::LIVE;
use crate::engine;
use crate::error::Result;
use crate::query::{UserQuery, Window};
use crate::records::{Onboarding, UserRow};
use crate::rows::get_user;
use crate::store::{Cache, lock};

/// The near-duplicate groups (ids) last found, and the file's count of writes then.
pub(crate) type GroupsMemo = std::sync::Mutex<Option<(i64, Arc<Vec<Vec<String>>>)>>;

/// A set of users a finding names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserSet {
    /// Users whose handle equals another's under [`handle_key`].
    NearDuplicateHandles,
    /// Users for whom one of these metadata paths (dot notation) is absent, null or an
    /// empty string.
    MissingMetadata(Vec<String>),
}

/// The key under which two handles count as the same person: Unicode lower case, then
/// without a `+tag` in the local part, without dots in a Gmail local part, and with
/// confusable characters folded (UTS #39 skeleton, so `раypal` (Cyrillic) meets
/// `paypal`, and `0` meets `o`).
pub fn handle_key(handle: &str) -> String {
    let (mut key, mut plain) = (String::new(), String::new());
    key_of_lowercase(&handle.trim().to_lowercase(), &mut key, &mut plain);
    key
}

/// The skeleton, lower-cased, of each ASCII character: most handles are ASCII, and
/// their skeleton is the concatenation of their characters' (NFD changes no ASCII
/// text), which spares the normalization passes of the full algorithm.
fn ascii_skeletons() -> &'static [String] {
    static TABLE: OnceLock<Vec<String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0u8..128)
            .map(|b| {
                skeleton(char::from(b).encode_utf8(&mut [0; 4]))
                    .collect::<String>()
                    .to_lowercase()
            })
            .collect()
    })
}

/// Writes the [`handle_key`] of an already lower-cased handle into `key`; `plain` is
/// scratch space, kept by the caller so that a million handles allocate nothing.
fn key_of_lowercase(lower: &str, key: &mut String, plain: &mut String) {
    key.clear();
    plain.clear();
    let (local, domain) = match lower.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (lower, None),
    };
    let local = local.split_once('+').map_or(local, |(before, _)| before);
    match domain {
        Some("gmail.com" | "googlemail.com") => {
            plain.extend(local.chars().filter(|&c| c != '.'));
            plain.push_str("@gmail.com");
        }
        Some(domain) => {
            plain.push_str(local);
            plain.push('@');
            plain.push_str(domain);
        }
        None => plain.push_str(local),
    }
    if plain.is_ascii() {
        let table = ascii_skeletons();
        for b in plain.bytes() {
            key.push_str(&table[usize::from(b)]);
        }
    } else {
        key.extend(skeleton(plain).flat_map(char::to_lowercase));
    }
}

/// A hash of each handle's key, computed on two threads: at a million handles the keys
/// are most of a finding's time.
fn key_hashes(handles: &[(usize, &str)]) -> Vec<u64> {
    let hash_all = |part: &[(usize, &str)]| {
        let hasher = BuildHasherDefault::<DefaultHasher>::default();
        let (mut key, mut plain) = (String::new(), String::new());
        part.iter()
            .map(|(_, handle)| {
                key_of_lowercase(handle, &mut key, &mut plain);
                hasher.hash_one(&key)
            })
            .collect::<Vec<u64>>()
    };
    let (first, second) = handles.split_at(handles.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| hash_all(second));
        let mut hashes = hash_all(first);
        match later.join() {
            Ok(rest) => hashes.extend(rest),
            Err(_) => hashes.extend(hash_all(second)),
        }
        hashes
    })
}

/// Groups rows (their index and lower-cased handle) whose [`handle_key`]s are equal:
/// only groups of two or more, sorted by key, each in the order given.
///
/// A first pass keeps only a hash of each key, so a million handles cost one sort of
/// integers; the keys are built again and compared for the few rows whose hash repeats.
fn group_by_key(handles: &[(usize, &str)]) -> Vec<(String, Vec<usize>)> {
    let hashes = key_hashes(handles);
    let mut sorted = hashes.clone();
    sorted.sort_unstable();
    let repeated: HashSet<u64> = sorted
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
    let (mut key, mut plain) = (String::new(), String::new());
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for ((row, handle), hash) in handles.iter().zip(hashes) {
        if repeated.contains(&hash) {
            key_of_lowercase(handle, &mut key, &mut plain);
            groups.entry(key.clone()).or_default().push(*row);
        }
    }
    let mut groups: Vec<(String, Vec<usize>)> = groups
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

/// The near-duplicate groups of a cache: the first ones with their handles, and how
/// many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearDuplicates {
    /// `(id, handle)` of each user, each group sorted by handle, the groups by key.
    pub groups: Vec<Vec<(String, String)>>,
    /// How many groups there are, shown or not.
    pub total_groups: usize,
    /// How many users are in a group.
    pub users: usize,
}

/// A JSON path for SQLite from dot notation, every label quoted so that no character
/// in a field's name is read as path syntax.
fn json_path(dotted: &str) -> String {
    let mut path = String::from("$");
    for label in dotted.split('.') {
        path.push_str(".\"");
        path.push_str(&label.replace('"', "\\\""));
        path.push('"');
    }
    path
}

impl Cache {
    /// The ids of the live users in near-duplicate groups, group by group: found again
    /// only when the file changed since they were last found.
    fn near_duplicate_ids(&self) -> Arc<Vec<Vec<String>>> {
        let writes = crate::schema::writes(&self.read_conn()).ok();
        let memo = &self.inner.near_duplicates;
        if let (Some(writes), Some((at, groups))) = (writes, lock(memo).as_ref())
            && *at == writes
        {
            return Arc::clone(groups);
        }
        let groups = Arc::new(self.find_near_duplicate_ids());
        if let Some(writes) = writes {
            *lock(memo) = Some((writes, Arc::clone(&groups)));
        }
        groups
    }

    fn find_near_duplicate_ids(&self) -> Vec<Vec<String>> {
        let snap = self.inner.live.snapshot();
        let base = &*snap.base;
        let mut ids: Vec<&[u8]> = Vec::with_capacity(base.len() + snap.delta.len());
        let mut handles: Vec<(usize, &str)> = Vec::with_capacity(ids.capacity());
        let rows = (0..base.len())
            .filter(|&r| !base.is_dead(r))
            .map(|r| base.cols(r))
            .chain(snap.delta.iter().map(|d| d.cols()));
        for cols in rows {
            // The index holds handles lower-cased, as the key wants them.
            if let Ok(handle) = std::str::from_utf8(cols.handle) {
                handles.push((ids.len(), handle));
                ids.push(cols.id);
            }
        }
        group_by_key(&handles)
            .into_iter()
            .map(|(_, mut rows)| {
                // A group reads in handle order, whatever order the index holds it in.
                rows.sort_by(|&a, &b| handles[a].1.cmp(handles[b].1).then(ids[a].cmp(ids[b])));
                rows.into_iter()
                    .map(|row| String::from_utf8_lossy(ids[row]).into_owned())
                    .collect()
            })
            .collect()
    }

    /// A window of the near-duplicate finding: the users the rest of the query keeps,
    /// group after group (groups in key order, each in handle order), so that every
    /// group is listed together whatever column the table sorts by.
    pub(crate) fn query_near_duplicates(&self, query: &UserQuery) -> Result<Window<UserRow>> {
        let groups = self.near_duplicate_ids();
        let mut named: HashSet<String> = groups.iter().flatten().cloned().collect();
        if query.changed_since_last_sync {
            let changed = self.changed_user_ids()?;
            named.retain(|id| changed.contains(id));
        }
        let rest = UserQuery {
            set: None,
            changed_since_last_sync: false,
            ..query.clone()
        };
        let snap = self.inner.live.snapshot();
        let answer = engine::run(&snap, &rest, None, Some(&named));
        let kept: HashMap<String, Onboarding> = answer.rows.into_iter().collect();
        let ordered: Vec<(&String, Onboarding)> = groups
            .iter()
            .flatten()
            .filter_map(|id| kept.get(id).map(|&onboarding| (id, onboarding)))
            .collect();
        let conn = self.read_conn();
        let mut rows = Vec::new();
        for &(id, onboarding) in ordered.iter().skip(query.offset).take(query.limit) {
            if let Some(user) = get_user(&conn, LIVE.users, id)? {
                rows.push(UserRow { user, onboarding });
            }
        }
        Ok(Window {
            rows,
            total: answer.total,
            matching: ordered.len(),
        })
    }

    /// Every group of users whose handles are near duplicates of each other: the first
    /// `limit` groups with their handles, and the counts.
    pub fn near_duplicate_handles(&self, limit: usize) -> Result<NearDuplicates> {
        let groups = self.near_duplicate_ids();
        let conn = self.read_conn();
        let mut stmt = conn.prepare_cached("SELECT handle FROM users WHERE id = ?1")?;
        let mut shown = Vec::with_capacity(limit.min(groups.len()));
        for ids in groups.iter().take(limit) {
            let mut group = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(handle) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                    group.push((id.clone(), handle));
                }
            }
            group.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            shown.push(group);
        }
        Ok(NearDuplicates {
            groups: shown,
            total_groups: groups.len(),
            users: groups.iter().map(Vec::len).sum(),
        })
    }

    /// The ids of users missing at least one of `paths` in their metadata: the field
    /// absent, null or an empty string.
    pub fn users_missing_metadata(&self, paths: &[String]) -> Result<HashSet<String>> {
        let mut ids = HashSet::new();
        if paths.is_empty() {
            return Ok(ids);
        }
        let conn = self.read_conn();
        // Gatehouse writes every metadata value from a parsed one, so it is JSON: no
        // `json_valid` pass first (it would parse each row twice). A damaged file fails
        // the query with SQLite's "malformed JSON", said like any cache error.
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM users WHERE coalesce(json_extract(meta_data, ?1), '') = ''",
        )?;
        for path in paths {
            let rows = stmt.query_map([json_path(path)], |r| r.get::<_, String>(0))?;
            for id in rows {
                ids.insert(id?);
            }
        }
        Ok(ids)
    }

    /// The ids a [`UserSet`] names.
    pub(crate) fn user_set(&self, set: &UserSet) -> Result<HashSet<String>> {
        match set {
            UserSet::NearDuplicateHandles => Ok(self
                .near_duplicate_ids()
                .iter()
                .flatten()
                .cloned()
                .collect()),
            UserSet::MissingMetadata(paths) => self.users_missing_metadata(paths),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(handle: &str) -> String {
        handle_key(handle)
    }

    #[test]
    fn case_plus_tags_gmail_dots_and_confusables_fold_together() {
        assert_eq!(key("Ann@Example.com"), key("ann@example.com"));
        assert_eq!(key("ann+shop@example.com"), key("ann@example.com"));
        assert_eq!(key("a.n.n@gmail.com"), key("ann@gmail.com"));
        assert_eq!(key("a.n.n+x@googlemail.com"), key("ann@gmail.com"));
        // Cyrillic а (U+0430) looks like Latin a.
        assert_eq!(key("\u{430}nn@example.com"), key("ann@example.com"));
    }

    #[test]
    fn what_differs_stays_apart() {
        // Dots matter outside Gmail; another domain is another person.
        assert_ne!(key("a.nn@example.com"), key("ann@example.com"));
        assert_ne!(key("ann@example.com"), key("ann@example.org"));
        assert_ne!(key("anna@example.com"), key("ann@example.com"));
    }

    #[test]
    fn groups_hold_two_or_more_in_key_order() {
        let handles = [
            "bob@x.io",
            "carl@x.io",
            "b.o.b@gmail.com",
            "bob+a@gmail.com",
            "b\u{43e}b@x.io",
            "dan@x.io",
        ];
        let rows: Vec<(usize, &str)> = handles.iter().copied().enumerate().collect();
        let groups: Vec<Vec<usize>> = group_by_key(&rows).into_iter().map(|(_, g)| g).collect();
        assert_eq!(groups, vec![vec![2, 3], vec![0, 4]]);
    }

    #[test]
    fn the_ascii_table_agrees_with_the_full_skeleton() {
        for handle in [
            "l1i|@x.io",
            "rn0o@x.io",
            "plain.name+tag@example.com",
            "a_b-c@x.io",
        ] {
            let (mut fast, mut plain) = (String::new(), String::new());
            key_of_lowercase(handle, &mut fast, &mut plain);
            let local = handle.split('+').next().unwrap_or(handle);
            let full = if handle.contains('+') {
                format!("{local}@{}", handle.rsplit_once('@').unwrap().1)
            } else {
                handle.to_owned()
            };
            let slow: String = skeleton(&full).flat_map(char::to_lowercase).collect();
            assert_eq!(fast, slow, "{handle}");
        }
    }

    #[test]
    fn json_paths_quote_every_label() {
        assert_eq!(json_path("profile.team"), "$.\"profile\".\"team\"");
    }
}
