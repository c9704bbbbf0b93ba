//! The findings no column filter can express: near-duplicate handles and users missing
//! a required metadata field. Both read the live users table, so they see every change
//! made since the index was built, and both answer a set of ids that a [`UserQuery`]
//! narrows to (see [`UserQuery::set`]).
//!
//! [`UserQuery`]: crate::UserQuery
//! [`UserQuery::set`]: crate::UserQuery::set

use std::collections::{HashMap, HashSet};

use unicode_security::confusable_detection::skeleton;

use crate::error::Result;
use crate::store::Cache;

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
    let lower = handle.trim().to_lowercase();
    let (local, domain) = match lower.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (lower.as_str(), None),
    };
    let local = local.split_once('+').map_or(local, |(before, _)| before);
    let mut key = match domain {
        Some("gmail.com" | "googlemail.com") => format!("{}@gmail.com", local.replace('.', "")),
        Some(domain) => format!("{local}@{domain}"),
        None => local.to_owned(),
    };
    key = skeleton(&key).collect::<String>();
    key.to_lowercase()
}

/// Groups handles (with their ids) that share a [`handle_key`]; only groups of two or
/// more, each sorted by handle, the groups by their first handle.
pub fn group_near_duplicates(
    users: impl IntoIterator<Item = (String, String)>,
) -> Vec<Vec<(String, String)>> {
    let mut by_key: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (id, handle) in users {
        by_key
            .entry(handle_key(&handle))
            .or_default()
            .push((id, handle));
    }
    let mut groups: Vec<Vec<(String, String)>> = by_key
        .into_values()
        .filter(|group| group.len() > 1)
        .map(|mut group| {
            group.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
            group
        })
        .collect();
    groups.sort_by(|a, b| a[0].1.cmp(&b[0].1));
    groups
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
    /// Every group of users whose handles are near duplicates of each other, as
    /// `(id, handle)` pairs.
    pub fn near_duplicate_handles(&self) -> Result<Vec<Vec<(String, String)>>> {
        let conn = self.read_conn();
        let mut stmt = conn.prepare_cached("SELECT id, handle FROM users")?;
        let users = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        drop(conn);
        Ok(group_near_duplicates(users))
    }

    /// The ids of users missing at least one of `paths` in their metadata: the field
    /// absent, null or an empty string. Metadata that is not JSON counts as missing all.
    pub fn users_missing_metadata(&self, paths: &[String]) -> Result<HashSet<String>> {
        let mut ids = HashSet::new();
        if paths.is_empty() {
            return Ok(ids);
        }
        let conn = self.read_conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM users WHERE CASE WHEN json_valid(meta_data) \
             THEN coalesce(json_extract(meta_data, ?1), '') = '' ELSE 1 END",
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
                .near_duplicate_handles()?
                .into_iter()
                .flatten()
                .map(|(id, _)| id)
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
    fn groups_hold_two_or_more_sorted() {
        let users = [
            ("1", "bob@x.io"),
            ("2", "Bob@x.io"),
            ("3", "carl@x.io"),
            ("4", "b.o.b@gmail.com"),
            ("5", "bob+a@gmail.com"),
            ("6", "dan@x.io"),
        ]
        .map(|(id, h)| (id.to_owned(), h.to_owned()));
        let groups = group_near_duplicates(users);
        let handles: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|(_, h)| h.as_str()).collect())
            .collect();
        assert_eq!(
            handles,
            vec![
                vec!["Bob@x.io", "bob@x.io"],
                vec!["b.o.b@gmail.com", "bob+a@gmail.com"]
            ]
        );
    }

    #[test]
    fn json_paths_quote_every_label() {
        assert_eq!(json_path("profile.team"), "$.\"profile\".\"team\"");
    }
}
