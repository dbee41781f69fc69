//! Timestamps and days. Every instant is stored as UTC milliseconds since the Unix epoch; days
//! are UTC calendar days counted from 1970-01-01, so that "the items done on a day" does not
//! depend on where the program runs.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 86_400_000;

/// How to read a date-time that carries no UTC offset.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    /// Whether the user named the zone; if not, a date-time without an offset is refused in
    /// formats that always carry one (the neutral CSV).
    explicit: bool,
}

impl Default for Zone {
    fn default() -> Self {
        Zone {
            tz: TimeZone::UTC,
            explicit: false,
        }
    }
}

impl Zone {
    /// A named IANA time zone ("Europe/Berlin") or "UTC".
    pub fn named(name: &str) -> Result<Zone, String> {
        let tz = TimeZone::get(name).map_err(|e| {
            format!("unknown time zone {name:?} (use an IANA name such as Europe/Berlin): {e}")
        })?;
        Ok(Zone { tz, explicit: true })
    }

    pub fn is_explicit(&self) -> bool {
        self.explicit
    }

    pub fn name(&self) -> String {
        self.tz.iana_name().unwrap_or("UTC").to_owned()
    }

    fn civil(&self, dt: DateTime, text: &str) -> Result<i64, String> {
        let z: ZonedDateTime = dt
            .to_zoned_datetime(self.tz.clone())
            .map_err(|e| format!("{text:?} is not a time in {}: {e}", self.name()))?;
        Ok(z.timestamp().as_millisecond())
    }
}

/// Parses an instant: RFC 3339 / ISO 8601 with an offset (`2024-03-01T09:00:00+01:00`,
/// `2024-03-01T09:00:00.000+0100`, `...Z`), or a plain date (`2024-03-01`, midnight in the
/// zone, UTC unless the user named one). A date-time without an offset is read in the zone
/// when `naive_ok` or the zone was named, and refused otherwise.
pub fn parse_instant(text: &str, zone: &Zone, naive_ok: bool) -> Result<i64, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("the time is empty".into());
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    if s.len() == 10
        && let Ok(d) = s.parse::<Date>()
    {
        return zone.civil(d.to_datetime(jiff::civil::Time::midnight()), s);
    }
    if let Ok(dt) = s.parse::<DateTime>() {
        if naive_ok || zone.explicit {
            return zone.civil(dt, s);
        }
        return Err(format!(
            "{s:?} has no UTC offset; write it as RFC 3339 (2024-03-01T09:00:00+01:00 or ...Z), or name the time zone it is in"
        ));
    }
    Err(format!(
        "{s:?} is not a date or time (expected RFC 3339 such as 2024-03-01T09:00:00Z, or a date such as 2024-03-01)"
    ))
}

/// Parses the dates of Jira's CSV export ("03/Jan/24 9:12 AM", "03/Jan/2024 09:12",
/// "2024-01-03 09:12"), which are in the exporting user's time zone, as well as ISO forms.
pub fn parse_jira_date(text: &str, zone: &Zone) -> Result<i64, String> {
    let s = text.trim();
    if let Ok(ms) = parse_instant(s, zone, true) {
        return Ok(ms);
    }
    const PATTERNS: &[&str] = &[
        "%d/%b/%y %I:%M %p",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%m/%d/%Y %I:%M %p",
    ];
    for p in PATTERNS {
        if let Ok(tm) = jiff::fmt::strtime::parse(p, s)
            && let Ok(dt) = tm.to_datetime()
        {
            return zone.civil(dt, s);
        }
    }
    Err(format!(
        "{s:?} is not a date Tributary can read (expected Jira's 03/Jan/24 9:12 AM, or 2024-01-03 09:12, or RFC 3339)"
    ))
}

/// The UTC day an instant falls on.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY)
}

/// Parses `YYYY-MM-DD` into a UTC day number.
pub fn parse_day(text: &str) -> Result<i64, String> {
    let d: Date = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a date (expected YYYY-MM-DD)"))?;
    let z = d
        .to_zoned_datetime(TimeZone::UTC)
        .map_err(|e| format!("{text:?}: {e}"))?;
    Ok(day_of(z.timestamp().as_millisecond()))
}

/// A UTC day number as `YYYY-MM-DD` (proleptic Gregorian; H. Hinnant's civil-from-days,
/// which is much faster than a time-zone-aware conversion and matters for 100,000 items).
pub fn format_day(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The weekday of a UTC day, Monday = 0.
pub fn weekday_from_monday(day: i64) -> i64 {
    // 1970-01-01 was a Thursday (3 days after Monday).
    (day + 3).rem_euclid(7)
}

/// An instant as RFC 3339 in UTC.
pub fn format_instant(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_string(),
        Err(_) => format!("{ms} ms"),
    }
}

/// Milliseconds as days.
pub fn days(ms: i64) -> f64 {
    ms as f64 / MS_PER_DAY as f64
}

/// Sums daily counts into ISO weeks (Monday to Sunday): `(monday, days covered, total)` for
/// each week the days `from..from + per_day.len()` touch, in order. Weeks cut by the window
/// have fewer than 7 days covered.
pub fn weekly(from: i64, per_day: &[u64]) -> Vec<(i64, u32, u64)> {
    let mut weeks: Vec<(i64, u32, u64)> = Vec::new();
    for (i, c) in per_day.iter().enumerate() {
        let day = from + i as i64;
        let monday = day - weekday_from_monday(day);
        match weeks.last_mut() {
            Some(w) if w.0 == monday => {
                w.1 += 1;
                w.2 += c;
            }
            _ => weeks.push((monday, 1, *c)),
        }
    }
    weeks
}
