//! Time stamps as the host writes them, and ObjectId-like record ids.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// ISO-8601 in UTC with milliseconds, the shape JavaScript's `toISOString` gives.
pub fn iso(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

pub fn now_iso() -> String {
    iso(now_ms())
}

/// Parses a full ISO-8601 time or a bare date (midnight UTC).
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

static SEQ: AtomicU64 = AtomicU64::new(0);

/// A 24-hex-digit id: the creation second, then a sequence that never goes back
/// (seeded from the clock in microseconds, so it keeps growing across restarts).
pub fn object_id(created_ms: i64) -> String {
    let now_us = u64::try_from(Utc::now().timestamp_micros()).unwrap_or(0);
    let prev = SEQ
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |p| {
            Some(p.saturating_add(1).max(now_us))
        })
        .unwrap_or(0);
    let seq = prev.saturating_add(1).max(now_us);
    let secs = u32::try_from(created_ms.div_euclid(1000)).unwrap_or(0);
    format!("{secs:08x}{seq:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_dates_round_trip() {
        let a = object_id(now_ms());
        let b = object_id(now_ms());
        assert!(b > a, "ids must grow in creation order: {a} then {b}");
        assert_eq!(a.len(), 24);
        let t = 1_700_000_000_123;
        assert_eq!(parse(&iso(t)), Some(t));
        assert_eq!(parse("2024-01-02"), Some(1_704_153_600_000));
    }
}
