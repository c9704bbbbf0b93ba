//! Turning backend values into the words and numbers the UI shows. Plain functions,
//! tested natively.

/// A Unix-millisecond timestamp as `YYYY-MM-DD HH:MM` (UTC).
pub fn date_time(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        second_of_day / 3600,
        (second_of_day % 3600) / 60
    )
}

/// The last-login cell: "never" when the user has not logged in.
pub fn last_login(millis: Option<i64>) -> String {
    millis.map(date_time).unwrap_or_else(|| "never".to_owned())
}

/// How old data is, in the largest unit that fits: "just now", "5 minutes ago", …
pub fn age(now_millis: i64, then_millis: i64) -> String {
    let seconds = (now_millis - then_millis).max(0) / 1000;
    let (amount, unit) = match seconds {
        0..=59 => return "just now".to_owned(),
        60..=3_599 => (seconds / 60, "minute"),
        3_600..=86_399 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    let plural = if amount == 1 { "" } else { "s" };
    format!("{amount} {unit}{plural} ago")
}

/// Why an action that needs the host is disabled while the host does not answer.
pub const OFFLINE: &str = "unavailable offline: the host does not answer";

/// An action's tooltip: what it does, and why it is disabled when it is.
pub fn action_title(unavailable: Option<&str>, what: &str) -> String {
    match unavailable {
        Some(why) => format!("{what} — {why}"),
        None => what.to_owned(),
    }
}

/// A count with thousands separators: 1234567 → "1,234,567".
pub fn count(value: u32) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A `YYYY-MM-DD` date input's value as the Unix milliseconds of that day's start (UTC),
/// or of the next day's start when `end_of_day` (so a "to" date includes the whole day).
pub fn parse_date(text: &str, end_of_day: bool) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day) + i64::from(end_of_day);
    Some(days * 86_400_000 - i64::from(end_of_day))
}

/// The value of a date input showing the day of `millis` (UTC), empty for none: the
/// inverse of `parse_date`.
pub fn date_input(millis: Option<i64>) -> String {
    millis
        .map(|millis| date_time(millis)[..10].to_owned())
        .unwrap_or_default()
}

/// Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian
/// calendar. Days since 1970-01-01 to (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(date_time(0), "1970-01-01 00:00");
        assert_eq!(date_time(1_709_210_096_000), "2024-02-29 12:34");
        assert_eq!(date_time(-1_000), "1969-12-31 23:59");
    }

    #[test]
    fn never_logged_in_reads_never() {
        assert_eq!(last_login(None), "never");
        assert_eq!(last_login(Some(0)), "1970-01-01 00:00");
    }

    #[test]
    fn ages_pick_the_largest_unit() {
        assert_eq!(age(10_000, 9_000), "just now");
        assert_eq!(age(61_000, 0), "1 minute ago");
        assert_eq!(age(7_200_000, 0), "2 hours ago");
        assert_eq!(age(3 * 86_400_000, 0), "3 days ago");
        assert_eq!(
            age(0, 5_000),
            "just now",
            "a clock skew is not a negative age"
        );
    }

    #[test]
    fn a_disabled_action_says_why_after_what_it_does() {
        assert_eq!(action_title(None, "Reset password"), "Reset password");
        assert_eq!(
            action_title(Some(OFFLINE), "Reset password"),
            "Reset password — unavailable offline: the host does not answer"
        );
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn date_inputs_round_trip() {
        let start = parse_date("2024-02-29", false).unwrap();
        assert_eq!(date_time(start), "2024-02-29 00:00");
        let end = parse_date("2024-02-29", true).unwrap();
        assert_eq!(date_time(end), "2024-02-29 23:59");
        assert_eq!(end - start, 86_400_000 - 1);
        assert_eq!(parse_date("2024-13-01", false), None);
        assert_eq!(parse_date("", false), None);
    }

    #[test]
    fn date_inputs_show_the_day_a_range_ends_on() {
        for day in ["2024-02-29", "1969-12-31", "2026-11-30"] {
            assert_eq!(date_input(parse_date(day, false)), day);
            assert_eq!(date_input(parse_date(day, true)), day);
        }
        assert_eq!(date_input(None), "");
    }
}
