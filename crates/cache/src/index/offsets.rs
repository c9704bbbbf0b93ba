//! Where each row's bytes begin in a column of the index, in 4 bytes a row rather than 8
//! (8 MB at a million users for the text and the ids together).
//!
//! An offset is kept as its low 32 bits; the rows at which each further 4 GiB begins are
//! listed aside. Below 4 GiB of text — some fifty million users — that list is empty and
//! an offset costs one load.

/// Nondecreasing byte offsets, one per row plus the end.
#[derive(Debug, Default)]
pub(crate) struct Offsets {
    low: Vec<u32>,
    /// `wraps[k]` is the first row whose offset is at least `(k + 1) << 32`.
    wraps: Vec<u32>,
}

impl Offsets {
    pub(crate) fn with_capacity(n: usize) -> Offsets {
        Offsets {
            low: Vec::with_capacity(n),
            wraps: Vec::new(),
        }
    }

    /// Appends the next offset, which is not below the last one.
    pub(crate) fn push(&mut self, at: usize) {
        let high = (at as u64 >> 32) as usize;
        while self.wraps.len() < high {
            // Rows are counted in u32 throughout the index (its sort orders).
            self.wraps.push(self.low.len() as u32);
        }
        self.low.push(at as u32);
    }

    pub(crate) fn get(&self, r: usize) -> usize {
        let low = self.low[r] as u64;
        if self.wraps.is_empty() {
            return low as usize;
        }
        let high = self.wraps.partition_point(|&w| w as usize <= r) as u64;
        ((high << 32) | low) as usize
    }

    pub(crate) fn len(&self) -> usize {
        self.low.len()
    }

    /// The first row in `rows` whose offset is above `at`, or `rows.end`: offsets are
    /// sorted, so a binary search.
    pub(crate) fn first_above(&self, rows: std::ops::Range<usize>, at: usize) -> usize {
        let (mut lo, mut hi) = (rows.start, rows.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.get(mid) <= at {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        (self.low.capacity() + self.wraps.capacity()) * 4
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.low.shrink_to_fit();
    }

    /// The two columns an image stores.
    pub(crate) fn parts(&self) -> (&[u32], &[u32]) {
        (&self.low, &self.wraps)
    }

    /// Offsets from an image's two columns, if they hold together: the wraps sorted and
    /// within the rows. Whether the offsets cover their column is [`Offsets::cover`]'s.
    pub(crate) fn from_parts(low: Vec<u32>, wraps: Vec<u32>) -> Option<Offsets> {
        let sorted = wraps.windows(2).all(|pair| pair[0] <= pair[1]);
        let within = wraps.last().is_none_or(|&w| w as usize <= low.len());
        (sorted && within).then_some(Offsets { low, wraps })
    }

    /// Starts at 0, never decreases, ends at `len`: what an index read from outside must
    /// prove before it slices a column by these offsets.
    pub(crate) fn cover(&self, len: usize) -> bool {
        let n = self.len();
        n > 0
            && self.get(0) == 0
            && self.get(n - 1) == len
            && (1..n).all(|r| self.get(r - 1) <= self.get(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn offsets_past_four_gibibytes_read_back_whole() {
        let four = 1usize << 32;
        let at = [0, 10, four - 1, four, four + 5, 2 * four + 1, 2 * four + 1];
        let mut offsets = Offsets::default();
        for &a in &at {
            offsets.push(a);
        }
        for (r, &a) in at.iter().enumerate() {
            assert_eq!(offsets.get(r), a, "row {r}");
        }
        assert!(offsets.cover(2 * four + 1));
        assert!(!offsets.cover(2 * four));
        assert_eq!(offsets.first_above(0..at.len(), four - 1), 3);
        assert_eq!(offsets.first_above(0..at.len(), 2 * four + 1), at.len());
    }

    #[test]
    fn small_offsets_take_four_bytes_a_row_and_no_wraps() {
        let mut offsets = Offsets::with_capacity(3);
        [0, 7, 9].into_iter().for_each(|a| offsets.push(a));
        assert_eq!(offsets.parts(), (&[0, 7, 9][..], &[][..]));
        assert_eq!(offsets.first_above(0..3, 7), 2);
        assert_eq!(offsets.first_above(1..3, 0), 1);
    }

    #[test]
    fn parts_that_do_not_hold_together_are_refused() {
        assert!(Offsets::from_parts(vec![0, 1], vec![2, 1]).is_none());
        assert!(Offsets::from_parts(vec![0, 1], vec![3]).is_none());
        assert!(Offsets::from_parts(vec![0, 1], vec![1]).is_some());
    }
}
