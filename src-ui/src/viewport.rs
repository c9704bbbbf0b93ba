//! Which rows a virtualized table must render: only those in view, plus a margin so a
//! scroll of a few rows needs no new answer from the backend.

/// Height of one table row in CSS pixels; `style.css` uses the same value.
pub const ROW_HEIGHT: f64 = 32.0;

/// Rows fetched above and below the visible ones.
pub const OVERSCAN: u32 = 10;

/// The rows `[first, first + count)` to fetch and render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: u32,
    pub count: u32,
}

impl Span {
    pub fn contains(&self, other: Span) -> bool {
        other.first >= self.first && other.first + other.count <= self.first + self.count
    }
}

/// The span to render for a scroll position over `rows` rows.
pub fn span(scroll_top: f64, viewport_height: f64, rows: u32) -> Span {
    if rows == 0 {
        return Span { first: 0, count: 0 };
    }
    let first_visible = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as u32;
    let visible = (viewport_height.max(ROW_HEIGHT) / ROW_HEIGHT).ceil() as u32 + 1;
    let first = first_visible
        .saturating_sub(OVERSCAN)
        .min(rows.saturating_sub(1));
    let end = first_visible
        .saturating_add(visible)
        .saturating_add(OVERSCAN)
        .min(rows);
    Span {
        first,
        count: end.saturating_sub(first),
    }
}

/// The scroll position that brings row `index` into view, given the current one.
pub fn scroll_to_show(index: u32, scroll_top: f64, viewport_height: f64) -> Option<f64> {
    let top = f64::from(index) * ROW_HEIGHT;
    if top < scroll_top {
        Some(top)
    } else if top + ROW_HEIGHT > scroll_top + viewport_height {
        Some(top + ROW_HEIGHT - viewport_height)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_of_a_long_list_renders_a_screenful_and_a_margin() {
        let span = span(0.0, 320.0, 1_000_000);
        assert_eq!(span.first, 0);
        assert_eq!(
            span.count,
            11 + OVERSCAN,
            "10 visible rows, one partial, and the margin below"
        );
    }

    #[test]
    fn the_middle_renders_margins_both_sides() {
        let span = span(ROW_HEIGHT * 500_000.0, 320.0, 1_000_000);
        assert_eq!(span.first, 500_000 - OVERSCAN);
        assert_eq!(span.count, OVERSCAN + 11 + OVERSCAN);
    }

    #[test]
    fn the_end_is_clamped() {
        let span = span(ROW_HEIGHT * 995.0, 320.0, 1_000);
        assert_eq!(span.first + span.count, 1_000);
        assert_eq!(super::span(0.0, 320.0, 0).count, 0);
        assert_eq!(
            super::span(ROW_HEIGHT * 90.0, 320.0, 5),
            Span { first: 4, count: 1 }
        );
    }

    #[test]
    fn scrolling_to_a_row_moves_the_least() {
        assert_eq!(scroll_to_show(0, 64.0, 320.0), Some(0.0));
        assert_eq!(scroll_to_show(5, 0.0, 320.0), None);
        assert_eq!(
            scroll_to_show(10, 0.0, 320.0),
            Some(ROW_HEIGHT * 11.0 - 320.0)
        );
    }

    #[test]
    fn containment() {
        let outer = Span {
            first: 10,
            count: 50,
        };
        assert!(outer.contains(Span {
            first: 20,
            count: 10
        }));
        assert!(!outer.contains(Span {
            first: 55,
            count: 10
        }));
    }
}
