//! Finding the base rows that match a query's text and filters, as a bitset.
//!
//! Two strategies, chosen per needle from how often its signature bits occur:
//! - rare needles: test each row's signature (and the cheap column filters) and compare
//!   bytes only in the few rows that pass;
//! - common needles, whose signature rules out little: one `memmem` pass over the whole
//!   haystack, mapping hits to rows and skipping to the next row after each.
//!
//! The rows are split in two halves searched on two threads.

use memchr::memmem::Finder;

use crate::index::{BaseIndex, words};
use crate::query::{Anonymous, LastLogin, StatusFilter, UserQuery};
use crate::sig;

/// Below this many rows one thread is quicker than two.
/// Tests lower it so that small random data takes the parallel path.
const PARALLEL_FROM: usize = if cfg!(test) { 64 } else { 1 << 16 };

/// The signature path wins when it leaves fewer than this share of rows to compare.
const SIG_SHARE: f64 = 0.08;

/// The bitset of live base rows that contain the needle and pass the filters.
pub(crate) fn matches(base: &BaseIndex, needle: &str, q: &UserQuery, dead: &[u64]) -> Vec<u64> {
    let n = base.len();
    let mut bits = vec![0u64; words(n)];
    let finder = Finder::new(needle.as_bytes());
    let needle_sig = sig::of(needle.as_bytes());
    let by_sig = needle.is_empty()
        || sig::decides(needle.as_bytes())
        || base.sig_share(&needle_sig) < SIG_SHARE
        || cfg!(test) && needle.len().is_multiple_of(2);
    let fill = |lo: usize, hi: usize, out: &mut [u64]| {
        if by_sig {
            fill_by_sig(base, &finder, &needle_sig, q, dead, lo, hi, out);
        } else {
            fill_by_scan(base, &finder, q, dead, lo, hi, out);
        }
    };
    let mid = (n / 2).next_multiple_of(64);
    if n < PARALLEL_FROM || mid >= n {
        fill(0, n, &mut bits);
        return bits;
    }
    let (lo, hi) = bits.split_at_mut(mid / 64);
    let fill = &fill;
    std::thread::scope(|s| {
        s.spawn(move || fill(mid, n, hi));
        fill(0, mid, lo);
    });
    bits
}

/// Whether the query filters on columns that need a look at each row (the others are
/// whole-word bitset operations).
fn per_row_filters(q: &UserQuery) -> bool {
    q.onboarding.is_some() || q.created.is_some() || q.last_login != LastLogin::Any
}

fn row_passes(base: &BaseIndex, q: &UserQuery, r: usize) -> bool {
    q.passes_parts(
        base.is_active(r),
        base.onboarding(r),
        base.is_anon(r),
        base.created(r),
        base.last_login(r),
    )
}

/// Rows of word `w` that are live, below `hi`, and pass the bitset filters.
fn word_mask(base: &BaseIndex, q: &UserQuery, dead: &[u64], w: usize, hi: usize) -> u64 {
    let mut m = !dead[w];
    if (w + 1) * 64 > hi {
        m &= (1u64 << (hi - w * 64)) - 1;
    }
    match q.status {
        Some(StatusFilter::Active) => m &= base.active_word(w),
        Some(StatusFilter::Suspended) => m &= !base.active_word(w),
        None => {}
    }
    match q.anonymous {
        Anonymous::Include => {}
        Anonymous::Exclude => m &= !base.anon_word(w),
        Anonymous::Only => m &= base.anon_word(w),
    }
    m
}

/// Fills `out` (the words of rows `lo..hi`, `lo` a multiple of 64) a word of rows at a
/// time, cheapest test first: liveness and bitset filters, the signature words the
/// needle uses, the per-row filters, then the bytes.
#[allow(clippy::too_many_arguments)]
fn fill_by_sig(
    base: &BaseIndex,
    finder: &Finder<'_>,
    needle_sig: &sig::Sig,
    q: &UserQuery,
    dead: &[u64],
    lo: usize,
    hi: usize,
    out: &mut [u64],
) {
    let w0 = lo / 64;
    let needle = finder.needle();
    let decided = needle.is_empty() || sig::decides(needle);
    let per_row = per_row_filters(q);
    let sig_words: Vec<(&[u64], u64)> = (0..sig::WORDS)
        .filter(|&k| needle_sig[k] != 0)
        .map(|k| (&base.sigs[k][..], needle_sig[k]))
        .collect();
    let n = base.len();
    for (k, slot) in out.iter_mut().enumerate() {
        let w = w0 + k;
        let mut m = word_mask(base, q, dead, w, hi);
        let rows = w * 64..((w + 1) * 64).min(n);
        // Branch-free over the 64 rows of the word: one pass per signature word used.
        for &(col, v) in &sig_words {
            if m == 0 {
                break;
            }
            let mut covered = 0u64;
            for (b, &x) in col[rows.clone()].iter().enumerate() {
                covered |= u64::from(x & v == v) << b;
            }
            m &= covered;
        }
        let mut todo = if per_row || !decided { m } else { 0 };
        while todo != 0 {
            let b = todo.trailing_zeros() as usize;
            todo &= todo - 1;
            let r = w * 64 + b;
            let keep = (!per_row || row_passes(base, q, r))
                && (decided || finder.find(base.text(r)).is_some());
            if !keep {
                m &= !(1 << b);
            }
        }
        *slot = m;
    }
}

/// Fills `out` like [`fill_by_sig`] with one pass of `memmem` over the rows' text.
fn fill_by_scan(
    base: &BaseIndex,
    finder: &Finder<'_>,
    q: &UserQuery,
    dead: &[u64],
    lo: usize,
    hi: usize,
    out: &mut [u64],
) {
    let w0 = lo / 64;
    let starts = &base.row_start;
    let end = starts.get(hi);
    let mut pos = starts.get(lo);
    let mut row = lo;
    while let Some(hit) = finder.find(&base.hay[pos..end]) {
        let at = pos + hit;
        // Hits come in order, so gallop forward from the last row instead of a full
        // binary search: dense hits then cost O(1) each.
        let mut step = 1;
        while row + step < hi && starts.get(row + step) <= at {
            row += step;
            step *= 2;
        }
        let upper = (row + step).min(hi);
        row = starts.first_above(row..upper, at) - 1;
        out[row / 64 - w0] |= 1 << (row % 64);
        row += 1;
        if row >= hi {
            break;
        }
        pos = starts.get(row);
    }
    let per_row = per_row_filters(q);
    for (k, slot) in out.iter_mut().enumerate() {
        let w = w0 + k;
        *slot &= word_mask(base, q, dead, w, hi);
        let mut todo = if per_row { *slot } else { 0 };
        while todo != 0 {
            let b = todo.trailing_zeros() as usize;
            todo &= todo - 1;
            if !row_passes(base, q, w * 64 + b) {
                *slot &= !(1 << b);
            }
        }
    }
}
