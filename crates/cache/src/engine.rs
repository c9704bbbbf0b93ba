//! Answering a user query from a snapshot: a bitset of matching base rows (substring
//! search over the haystack, then the filters), the base rows in order (a walk over a
//! precomputed permutation), merged with the matching overlay rows.

use std::cmp::Ordering;
use std::collections::HashSet;

use crate::index::{BaseIndex, Perm, bit};
use crate::live::{DeltaRow, Snapshot};
use crate::query::{UserColumn, UserQuery, compare};
use crate::records::Onboarding;
use crate::scan::matches;
use crate::text::{any_contains, fold};

/// Below this many matches, sorting the matches beats walking a million-row order.
/// Tests lower it so that small random data takes every path.
const SORT_MATCHES_BELOW: usize = if cfg!(test) { 8 } else { 2_048 };

/// The ids and onboarding of a window, with the counts.
pub(crate) struct Answer {
    pub rows: Vec<(String, Onboarding)>,
    pub total: usize,
    pub matching: usize,
}

/// Runs `q` on a snapshot; `window` is `(offset, limit)`, `None` meaning every match.
/// `only`, when given, keeps the users with these ids alone.
pub(crate) fn run(
    snap: &Snapshot,
    q: &UserQuery,
    window: Option<(usize, usize)>,
    only: Option<&HashSet<String>>,
) -> Answer {
    let base = &*snap.base;
    let needle = fold(&q.text);
    let dead = base.dead_words();
    let mut bits = matches(base, &needle, q, &dead);
    if let Some(only) = only {
        let mut keep = vec![0u64; bits.len()];
        for r in only.iter().filter_map(|id| base.row_of_id(id)) {
            keep[r / 64] |= 1 << (r % 64);
        }
        for (word, keep) in bits.iter_mut().zip(keep) {
            *word &= keep;
        }
    }
    let base_matching: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
    let alive = base.len() - dead.iter().map(|w| w.count_ones() as usize).sum::<usize>();

    let mut delta: Vec<&DeltaRow> = snap
        .delta
        .iter()
        .filter(|d| q.passes(&d.cols()) && any_contains(&d.fields, &needle))
        .filter(|d| only.is_none_or(|only| only.contains(&d.id)))
        .collect();
    let order = |a: Ordering| if q.descending { a.reverse() } else { a };
    delta.sort_unstable_by(|a, b| order(compare(q.sort, &a.cols(), &b.cols())));

    let matching = base_matching + delta.len();
    let (offset, limit) = window.unwrap_or((0, matching));
    let need = offset.saturating_add(limit).min(matching);
    let base_rows = ordered(base, &bits, base_matching, q, need);

    let mut rows = Vec::with_capacity(need.saturating_sub(offset));
    let (mut i, mut j) = (0, 0);
    while i + j < need {
        let take_base = match (base_rows.get(i), delta.get(j)) {
            (Some(&r), Some(d)) => {
                order(compare(q.sort, &base.cols(r as usize), &d.cols())) == Ordering::Less
            }
            (Some(_), None) => true,
            (None, _) => false,
        };
        let skip = i + j < offset;
        if take_base {
            let r = base_rows[i] as usize;
            i += 1;
            if !skip {
                let id = String::from_utf8_lossy(base.id(r)).into_owned();
                rows.push((id, Onboarding::from_u8(base.onboarding(r))));
            }
        } else {
            let Some(d) = delta.get(j) else { break };
            j += 1;
            if !skip {
                rows.push((d.id.clone(), Onboarding::from_u8(d.cols().onboarding)));
            }
        }
    }
    Answer {
        rows,
        total: alive + snap.delta.len(),
        matching,
    }
}

/// The first `need` matching base rows in query order.
fn ordered(base: &BaseIndex, bits: &[u64], count: usize, q: &UserQuery, need: usize) -> Vec<u32> {
    if need == 0 {
        return Vec::new();
    }
    if count < SORT_MATCHES_BELOW {
        let mut rows: Vec<u32> = Vec::with_capacity(count);
        for (k, &w) in bits.iter().enumerate() {
            let mut word = w;
            while word != 0 {
                rows.push((k * 64 + word.trailing_zeros() as usize) as u32);
                word &= word - 1;
            }
        }
        let cmp =
            |a: &u32, b: &u32| compare(q.sort, &base.cols(*a as usize), &base.cols(*b as usize));
        rows.sort_unstable_by(|a, b| if q.descending { cmp(b, a) } else { cmp(a, b) });
        rows.truncate(need);
        return rows;
    }
    let perm = match q.sort {
        UserColumn::Handle => Perm::Handle,
        UserColumn::UserName => Perm::UserName,
        UserColumn::CreatedAt => Perm::Created,
        UserColumn::LastLogin => Perm::LastLogin,
        UserColumn::LoginProvider => Perm::Provider,
        UserColumn::Status => {
            return grouped(base, bits, q, need, 2, |r| u8::from(!base.is_active(r)));
        }
        UserColumn::Onboarding => return grouped(base, bits, q, need, 4, |r| base.onboarding(r)),
    };
    let perm = base.perm(perm);
    let mut out = Vec::with_capacity(need);
    let hit = |r: &&u32| bit(bits, **r as usize);
    if q.descending {
        out.extend(perm.iter().rev().filter(hit).take(need));
    } else {
        out.extend(perm.iter().filter(hit).take(need));
    }
    out
}

/// Orders by a small group number, then id: one walk over the id order per group, for
/// columns that actions change in place and so cannot have a precomputed order.
fn grouped(
    base: &BaseIndex,
    bits: &[u64],
    q: &UserQuery,
    need: usize,
    groups: u8,
    group: impl Fn(usize) -> u8,
) -> Vec<u32> {
    let by_id = base.perm(Perm::Id);
    let mut out = Vec::with_capacity(need);
    let order: Vec<u8> = if q.descending {
        (0..groups).rev().collect()
    } else {
        (0..groups).collect()
    };
    for g in order {
        let left = need - out.len();
        let hit = |r: &&u32| bit(bits, **r as usize) && group(**r as usize) == g;
        if q.descending {
            out.extend(by_id.iter().rev().filter(hit).take(left));
        } else {
            out.extend(by_id.iter().filter(hit).take(left));
        }
        if out.len() == need {
            break;
        }
    }
    out
}
