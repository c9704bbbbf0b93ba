//! The in-memory user index: compact columns, one folded haystack and precomputed sort
//! orders, built from the users table when the cache opens and after each swap.
//!
//! Layout: row `r`'s searchable text is `hay[row_start[r]..row_start[r + 1]]`, the folded
//! handle, user name and metadata values each followed by NUL (folding turns a NUL in the
//! data into U+FFFD, so the handle and the name end at the row's first two NULs). Status, onboarding and
//! liveness are atomics so that an action can change a row in place while other threads
//! query; everything else is immutable once built.

use foldhash::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering as AtomicOrdering};

use crate::records::Onboarding;
use crate::sig::{self, Sig};

/// `last_login` of a user who never logged in: before every real time.
pub(crate) const NEVER: i64 = i64::MIN;

/// The sort orders kept as permutations; status and onboarding are walked by group over
/// the id order instead, because actions change them in place. The first three are made
/// with the index (the id order finds rows, the handle order is the default); the others
/// when a query first sorts by them, a tenth of a second at a million users, so that an
/// app never sorted by them does not hold them (12 MB at a million users).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Perm {
    Id = 0,
    Handle = 1,
    UserName = 2,
    Created = 3,
    LastLogin = 4,
    Provider = 5,
}

/// One row's sortable and filterable columns, borrowed from the index or a delta row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cols<'a> {
    pub id: &'a [u8],
    pub handle: &'a [u8],
    pub name: &'a [u8],
    pub provider: &'a [u8],
    pub created: i64,
    pub last_login: i64,
    pub active: bool,
    pub onboarding: u8,
    pub anon: bool,
}

pub(crate) struct BaseIndex {
    pub(crate) hay: Vec<u8>,
    pub(crate) row_start: Offsets,
    ids: Vec<u8>,
    id_start: Offsets,
    created: Vec<i64>,
    last_login: Vec<i64>,
    provider: Vec<u32>,
    providers: Vec<Vec<u8>>,
    /// Row signatures by word: `sigs[k][r]` is word `k` of row `r`'s signature, so a
    /// search reads only the words its needle has bits in.
    pub(crate) sigs: [Vec<u64>; sig::WORDS],
    /// How many rows have each signature bit set.
    sig_counts: Vec<u32>,
    anon: Vec<u64>,
    active: Vec<AtomicU64>,
    dead: Vec<AtomicU64>,
    onboarding: Vec<AtomicU8>,
    perms: [Vec<u32>; BUILT_PERMS],
    later_perms: [OnceLock<Vec<u32>>; 3],
}

/// The sort orders made with the index: [`Perm::Id`], [`Perm::Handle`], [`Perm::UserName`].
const BUILT_PERMS: usize = 3;

pub(crate) fn words(n: usize) -> usize {
    n.div_ceil(64)
}

pub(crate) fn bit(words: &[u64], i: usize) -> bool {
    words[i / 64] >> (i % 64) & 1 == 1
}

fn set_bit(words: &mut [u64], i: usize) {
    words[i / 64] |= 1 << (i % 64);
}

mod build;
mod image;
mod offsets;

use offsets::Offsets;

pub(crate) use build::OnboardingFacts;
pub(crate) use image::{ImageKey, image_path, remove_abandoned_writes};

impl BaseIndex {
    /// Renumbers providers so that their numbers sort like their names.
    fn intern_providers(&mut self, ids: HashMap<Vec<u8>, u32>) {
        let mut names: Vec<(Vec<u8>, u32)> = ids.into_iter().collect();
        names.sort();
        let mut rank = vec![0u32; names.len()];
        for (new, (_, old)) in names.iter().enumerate() {
            rank[*old as usize] = new as u32;
        }
        for p in &mut self.provider {
            *p = rank[*p as usize];
        }
        self.providers = names.into_iter().map(|(name, _)| name).collect();
    }

    fn build_perms(&mut self) {
        let n = self.len();
        let mut by_id: Vec<u32> = (0..n as u32).collect();
        by_id.sort_unstable_by(|&a, &b| self.id(a as usize).cmp(self.id(b as usize)));
        let rank = ranks(&by_id);
        let this = &*self;
        let rank = &rank;
        // Found once rather than at each of the sorts' ~20 comparisons a row.
        let handles: Vec<&[u8]> = (0..n).map(|r| this.handle(r)).collect();
        let names: Vec<&[u8]> = (0..n).map(|r| this.name(r)).collect();
        let (handles, names) = (&handles, &names);
        // Two workers: the string sorts dominate the build and this machine has two cores.
        let (handle, name) = std::thread::scope(|s| {
            let handle = s.spawn(|| sort_by_text(n, rank, |r| handles[r]));
            let name = sort_by_text(n, rank, |r| names[r]);
            (handle.join(), name)
        });
        let handle = handle.unwrap_or_else(|_| sort_by_text(n, rank, |r| handles[r]));
        self.perms = [by_id, handle, name];
    }

    /// One of the orders made on first use, by its column and then by id.
    fn sort_later(&self, p: Perm) -> Vec<u32> {
        let n = self.len();
        let rank = ranks(&self.perms[Perm::Id as usize]);
        match p {
            Perm::Created => sort_by_int(n, &rank, |r| self.created[r]),
            Perm::LastLogin => sort_by_int(n, &rank, |r| self.last_login[r]),
            _ => sort_by_int(n, &rank, |r| i64::from(self.provider[r])),
        }
    }

    /// The estimated share of rows whose signature covers `needle`, taking its bits as
    /// independent.
    pub(crate) fn sig_share(&self, needle: &Sig) -> f64 {
        let n = self.len().max(1) as f64;
        let mut share = 1.0;
        for (k, &word) in needle.iter().enumerate() {
            let mut w = word;
            while w != 0 {
                share *= f64::from(self.sig_counts[k * 64 + w.trailing_zeros() as usize]) / n;
                w &= w - 1;
            }
        }
        share
    }

    pub(crate) fn len(&self) -> usize {
        self.created.len()
    }

    pub(crate) fn perm(&self, p: Perm) -> &[u32] {
        match (p as usize).checked_sub(BUILT_PERMS) {
            None => &self.perms[p as usize],
            Some(later) => self.later_perms[later].get_or_init(|| self.sort_later(p)),
        }
    }

    pub(crate) fn id(&self, r: usize) -> &[u8] {
        &self.ids[self.id_start.get(r)..self.id_start.get(r + 1)]
    }

    /// Row `r`'s searchable text: its folded fields, each followed by NUL.
    pub(crate) fn text(&self, r: usize) -> &[u8] {
        &self.hay[self.row_start.get(r)..self.row_start.get(r + 1)]
    }

    fn handle(&self, r: usize) -> &[u8] {
        first_field(self.text(r))
    }

    fn name(&self, r: usize) -> &[u8] {
        let text = self.text(r);
        let rest = text.get(first_field(text).len() + 1..).unwrap_or_default();
        first_field(rest)
    }

    pub(crate) fn cols(&self, r: usize) -> Cols<'_> {
        Cols {
            id: self.id(r),
            handle: self.handle(r),
            name: self.name(r),
            provider: &self.providers[self.provider[r] as usize],
            created: self.created[r],
            last_login: self.last_login[r],
            active: self.is_active(r),
            onboarding: self.onboarding(r),
            anon: bit(&self.anon, r),
        }
    }

    /// Word `w` of the active bitset (rows `64w..64w+64`).
    pub(crate) fn active_word(&self, w: usize) -> u64 {
        self.active[w].load(AtomicOrdering::Relaxed)
    }

    /// Word `w` of the anonymous bitset.
    pub(crate) fn anon_word(&self, w: usize) -> u64 {
        self.anon[w]
    }

    pub(crate) fn is_anon(&self, r: usize) -> bool {
        bit(&self.anon, r)
    }

    pub(crate) fn created(&self, r: usize) -> i64 {
        self.created[r]
    }

    pub(crate) fn last_login(&self, r: usize) -> i64 {
        self.last_login[r]
    }

    pub(crate) fn is_active(&self, r: usize) -> bool {
        self.active[r / 64].load(AtomicOrdering::Relaxed) >> (r % 64) & 1 == 1
    }

    pub(crate) fn onboarding(&self, r: usize) -> u8 {
        self.onboarding[r].load(AtomicOrdering::Relaxed)
    }

    /// A snapshot of the liveness bits (a dead row was removed or superseded by a delta row).
    pub(crate) fn dead_words(&self) -> Vec<u64> {
        self.dead
            .iter()
            .map(|w| w.load(AtomicOrdering::Relaxed))
            .collect()
    }

    /// The row of a live user, by id.
    pub(crate) fn row_of_id(&self, id: &str) -> Option<usize> {
        let by_id = self.perm(Perm::Id);
        let i = by_id.partition_point(|&r| self.id(r as usize) < id.as_bytes());
        let r = *by_id.get(i)? as usize;
        (self.id(r) == id.as_bytes() && !self.is_dead(r)).then_some(r)
    }

    pub(crate) fn is_dead(&self, r: usize) -> bool {
        self.dead[r / 64].load(AtomicOrdering::Relaxed) >> (r % 64) & 1 == 1
    }

    pub(crate) fn kill(&self, r: usize) {
        self.dead[r / 64].fetch_or(1 << (r % 64), AtomicOrdering::Relaxed);
    }

    pub(crate) fn set_active(&self, r: usize, active: bool) {
        let mask = 1u64 << (r % 64);
        if active {
            self.active[r / 64].fetch_or(mask, AtomicOrdering::Relaxed);
        } else {
            self.active[r / 64].fetch_and(!mask, AtomicOrdering::Relaxed);
        }
    }

    pub(crate) fn set_onboarding(&self, r: usize, o: Onboarding) {
        self.onboarding[r].store(o.to_u8(), AtomicOrdering::Relaxed);
    }

    /// Heap bytes held, for the memory budget.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.heap_by_part().iter().map(|(_, bytes)| bytes).sum()
    }

    /// Heap bytes held by each part of the index, for the memory budget's breakdown.
    pub(crate) fn heap_by_part(&self) -> [(&'static str, usize); 8] {
        [
            ("folded text (handle, name, metadata)", self.hay.capacity()),
            ("ids", self.ids.capacity()),
            (
                "text and id offsets",
                self.row_start.heap_bytes() + self.id_start.heap_bytes(),
            ),
            (
                "created and last login",
                (self.created.capacity() + self.last_login.capacity()) * 8,
            ),
            (
                "provider numbers and names",
                self.provider.capacity() * 4 + self.providers.iter().map(Vec::len).sum::<usize>(),
            ),
            (
                "search signatures",
                self.sigs.iter().map(|c| c.capacity() * 8).sum::<usize>(),
            ),
            (
                "status, onboarding, anonymous and removed bits",
                self.onboarding.capacity()
                    + (self.anon.capacity() + self.active.capacity() + self.dead.capacity()) * 8,
            ),
            (
                "sort orders (id, handle, user name; others once sorted by)",
                self.perms
                    .iter()
                    .chain(self.later_perms.iter().filter_map(OnceLock::get))
                    .map(|p| p.capacity() * 4)
                    .sum::<usize>(),
            ),
        ]
    }
}

/// Each row's place in `order`, a permutation of the rows: the tie-break of every sort.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (i, &r) in order.iter().enumerate() {
        rank[r as usize] = i as u32;
    }
    rank
}

/// The text up to the first NUL (all of it when there is none).
fn first_field(text: &[u8]) -> &[u8] {
    let end = memchr::memchr(0, text).unwrap_or(text.len());
    &text[..end]
}

fn sort_by_int(n: usize, rank: &[u32], key: impl Fn(usize) -> i64) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n as u32).collect();
    p.sort_unstable_by_key(|&r| (key(r as usize), rank[r as usize]));
    p
}

fn sort_by_text<'a>(n: usize, rank: &[u32], text: impl Fn(usize) -> &'a [u8]) -> Vec<u32> {
    let mut p: Vec<u32> = (0..n as u32).collect();
    p.sort_unstable_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        text(a).cmp(text(b)).then(rank[a].cmp(&rank[b]))
    });
    p
}
