//! REFERENCE.md section 6, worked examples E12-E15, against the numbers printed there (E16,
//! over a stored delivery log, is tested in the api crate).

use tributary_telemetry::event::EventRow;
use tributary_telemetry::flow::{self, DayRange, FlowOptions};
use tributary_telemetry::forecast::{self, Question};
use tributary_telemetry::history;
use tributary_telemetry::stats::percentile;
use tributary_telemetry::time::parse_day;
use tributary_telemetry::{Mapping, MappingToml};

use crate::common::*;

pub fn row(item: &str, at: &str, from: &str, to: &str) -> EventRow {
    EventRow {
        item_id: item.into(),
        item_type: "Story".into(),
        timestamp: at.into(),
        from_state: from.into(),
        to_state: to.into(),
        blocked: None,
    }
}

pub fn mapping(text: &str) -> Mapping {
    Mapping::from_toml(text).unwrap()
}

const SIMPLE: &str = r#"
[states]
"Backlog" = "new"
"Committed" = "waiting"
"Build" = "active"
"Test" = "active"
"Done" = "done"
"#;

#[test]
fn e12_percentiles_interpolate_between_closest_ranks() {
    let v = [4.0, 5.0, 5.0, 5.0, 5.0, 5.0];
    assert_eq!(percentile(&v, 0.10), Some(4.5));
    assert_eq!(percentile(&v, 0.50), Some(5.0));
    assert_eq!(percentile(&v, 0.85), Some(5.0));
    // The same through flow times: six items committed at midnight and done 4 or 5 days later.
    let mut rows = Vec::new();
    for (i, d) in [4, 5, 5, 5, 5, 5].iter().enumerate() {
        let id = format!("I{i}");
        rows.push(row(&id, "2018-01-01", "", "Committed"));
        rows.push(row(
            &id,
            &format!("2018-01-0{}", 1 + d),
            "Committed",
            "Done",
        ));
    }
    let h = history::from_rows("s", &rows).unwrap();
    let r = flow::compute(&h, &mapping(SIMPLE), None, FlowOptions::default()).unwrap();
    assert_eq!(r.cycle_time.count, 6);
    assert_close(r.cycle_time.p50, 5.0);
    assert_close(r.cycle_time.p85, 5.0);
    assert_close(r.cycle_time.min, 4.0);
    assert_eq!(r.cycle_time.unit, "days");
}

#[test]
fn e13_throughput_counts_days_with_none_as_zero() {
    let mut rows = Vec::new();
    for (n, day) in ["07", "07", "08", "08", "09", "09"].iter().enumerate() {
        let id = format!("I{n}");
        rows.push(row(&id, "2018-01-02", "", "Committed"));
        rows.push(row(
            &id,
            &format!("2018-01-{day}T10:00:00Z"),
            "Committed",
            "Done",
        ));
    }
    let h = history::from_rows("s", &rows).unwrap();
    let m = mapping(SIMPLE);
    let range = DayRange {
        from: parse_day("2018-01-05").unwrap(),
        to: parse_day("2018-01-09").unwrap(),
    };
    assert_eq!(flow::daily_throughput(&h, &m, range), vec![0, 0, 2, 2, 2]);
    let r = flow::compute(
        &h,
        &m,
        None,
        FlowOptions {
            from: Some(range.from),
            to: Some(range.to),
        },
    )
    .unwrap();
    let days: Vec<(&str, u64)> = r
        .throughput_per_day
        .iter()
        .map(|d| (d.date.as_str(), d.count))
        .collect();
    assert_eq!(
        days,
        [
            ("2018-01-05", 0),
            ("2018-01-06", 0),
            ("2018-01-07", 2),
            ("2018-01-08", 2),
            ("2018-01-09", 2)
        ]
    );
    assert_eq!(r.throughput.total, 6);
    assert!(approx(r.throughput.mean_per_day, 1.2));
}

#[test]
fn e14_cumulative_flow_counts_items_at_a_state_or_later() {
    // A reaches every state; B and C are committed; D only arrives. This is E14's history.
    let rows = vec![
        row("A", "2018-01-01T09:00:00Z", "", "Backlog"),
        row("B", "2018-01-02T09:00:00Z", "", "Backlog"),
        row("C", "2018-01-03T09:00:00Z", "", "Backlog"),
        row("A", "2018-01-03T10:00:00Z", "Backlog", "Committed"),
        row("B", "2018-01-03T11:00:00Z", "Backlog", "Committed"),
        row("D", "2018-01-04T09:00:00Z", "", "Backlog"),
        row("C", "2018-01-04T10:00:00Z", "Backlog", "Committed"),
        row("A", "2018-01-04T11:00:00Z", "Committed", "Build"),
        row("A", "2018-01-05T11:00:00Z", "Build", "Test"),
        row("A", "2018-01-06T11:00:00Z", "Test", "Done"),
    ];
    let h = history::from_rows("s", &rows).unwrap();
    let r = flow::compute(&h, &mapping(SIMPLE), None, FlowOptions::default()).unwrap();
    assert_eq!(
        r.cfd.statuses,
        ["Backlog", "Committed", "Build", "Test", "Done"]
    );
    let got: Vec<(&str, Vec<u64>)> = r
        .cfd
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.counts.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("2018-01-01", vec![1, 0, 0, 0, 0]),
            ("2018-01-02", vec![2, 0, 0, 0, 0]),
            ("2018-01-03", vec![3, 2, 0, 0, 0]),
            ("2018-01-04", vec![4, 3, 1, 0, 0]),
            ("2018-01-05", vec![4, 3, 1, 1, 0]),
            ("2018-01-06", vec![4, 3, 1, 1, 1]),
        ]
    );
}

/// E15 with daily samples {0, 2}: P(done within d days) = 1 - 2^-d exactly.
#[test]
fn e15_when_exact_distribution() {
    let cdf = forecast::when_exact_cdf(&[0, 2], 2, 5);
    let want = [0.5, 0.75, 0.875, 0.9375, 0.96875];
    for (g, w) in cdf.iter().zip(want) {
        assert!(approx(*g, w), "{g} != {w}");
    }
}

/// The Monte Carlo against E15's exact probabilities. With 10,000 trials the empirical
/// P(done within d) has a standard error sqrt(p (1 - p) / 10,000) <= 0.005; the tolerance is
/// 0.02 (4 standard errors: a false alarm about once in 16,000 runs, and the seed is fixed).
/// The 85 % and 95 % answers sit at least 0.0125 (5 standard errors of 0.0024) from a
/// boundary, so they are exact. P(done within 1 day) is exactly 0.5, right on the 50 %
/// boundary: the exact answer is 1 day; a simulation gives 1 or 2 depending on the draw.
#[test]
fn e15_when_monte_carlo_within_tolerance() {
    let results = forecast::simulate(&[0, 2], Question::When { items: 2 }, 10_000, 42).unwrap();
    let n = results.len() as f64;
    for (d, p) in [0.5, 0.75, 0.875, 0.9375, 0.96875].iter().enumerate() {
        let within = results.iter().filter(|&&r| r <= d as u64 + 1).count() as f64 / n;
        assert!((within - p).abs() < 0.02, "day {}: {within} vs {p}", d + 1);
    }
    let q = Question::When { items: 2 };
    assert_eq!(forecast::answer(q, &results, 85), Some(3));
    assert_eq!(forecast::answer(q, &results, 95), Some(5));
    let fifty = forecast::answer(q, &results, 50).unwrap();
    assert!(fifty == 1 || fifty == 2, "{fifty}");
    // The exact inverse of the exact distribution gives E15's 1 day.
    let cdf = forecast::when_exact_cdf(&[0, 2], 2, 10);
    let exact = |c: f64| cdf.iter().position(|&p| p >= c - 1e-12).unwrap() + 1;
    assert_eq!((exact(0.5), exact(0.85), exact(0.95)), (1, 3, 5));
}

#[test]
fn e15_constant_throughput_is_exact_at_every_confidence() {
    let window = DayRange { from: 0, to: 4 };
    let f = forecast::forecast(
        &[2, 2, 2, 2, 2],
        window,
        Question::When { items: 10 },
        10_000,
        1,
    )
    .unwrap();
    assert_eq!(f.question, "when");
    for c in ["50", "70", "85", "95"] {
        assert_eq!(f.percentiles[c], 5, "{c}");
    }
    // Day 1 is the day after the window (1970-01-05 is the window's last day).
    assert_eq!(f.dates["85"], "1970-01-10");
    let f =
        forecast::forecast(&[2, 2, 2], window, Question::HowMany { days: 7 }, 10_000, 1).unwrap();
    assert_eq!(f.question, "how_many");
    for c in ["50", "70", "85", "95"] {
        assert_eq!(f.percentiles[c], 14, "{c}");
    }
    assert_eq!(f.histogram.len(), 1);
}

#[test]
fn how_many_follows_the_at_least_rule() {
    // 3 draws from {0, 2}: P(sum >= 6) = 1/8, >= 4: 1/2, >= 2: 7/8, >= 0: 1.
    let pmf = forecast::how_many_exact_pmf(&[0, 2], 3);
    assert!(
        approx(pmf[0], 0.125)
            && approx(pmf[2], 0.375)
            && approx(pmf[4], 0.375)
            && approx(pmf[6], 0.125)
    );
    let q = Question::HowMany { days: 3 };
    let results = forecast::simulate(&[0, 2], q, 10_000, 9).unwrap();
    // 85 %: the largest X with P(>= X) >= 0.85 is 2 (P = 0.875; 0.025 = 7 standard errors
    // from the boundary). 70 %: also 2 (P(>= 4) = 0.5). 95 %: 0.
    assert_eq!(forecast::answer(q, &results, 85), Some(2));
    assert_eq!(forecast::answer(q, &results, 70), Some(2));
    assert_eq!(forecast::answer(q, &results, 95), Some(0));
    let at_least_2 = results.iter().filter(|&&r| r >= 2).count() as f64 / 10_000.0;
    assert!((at_least_2 - 0.875).abs() < 0.02);
}

#[test]
fn day_names_agree_with_jiff() {
    use tributary_telemetry::time::{MS_PER_DAY, format_day};
    // Every 97th day from 1900 to 2200, and the leap days around 2000 and 2100.
    let check = |day: i64| {
        let ts = jiff::Timestamp::from_millisecond(day * MS_PER_DAY).unwrap();
        let want = ts
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .to_string();
        assert_eq!(format_day(day), want, "day {day}");
    };
    for day in (-25_567..84_000).step_by(97) {
        check(day);
    }
    for day in [10_956, 10_957, 11_016, 11_017, 47_481, 47_482, 47_540] {
        check(day);
    }
}

/// Summaries select order statistics instead of sorting: they must agree with the sorted
/// definition on awkward inputs (ties, two values, unsorted, negative zero).
#[test]
fn summaries_agree_with_sorted_type_7() {
    use tributary_telemetry::stats::{Summary, percentile};
    let cases: Vec<Vec<f64>> = vec![
        vec![1.0],
        vec![2.0, 1.0],
        vec![4.0, 5.0, 5.0, 5.0, 5.0, 5.0],
        vec![9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0, 0.0, 10.0],
        (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 / 10.0)
            .collect(),
    ];
    for v in cases {
        let s = Summary::of(&v);
        assert_eq!(s.count, v.len() as u64);
        for (got, p) in [
            (s.p50, 0.5),
            (s.p70, 0.7),
            (s.p85, 0.85),
            (s.p95, 0.95),
            (s.min, 0.0),
            (s.max, 1.0),
        ] {
            assert_eq!(got, percentile(&v, p), "p {p} of {v:?}");
        }
    }
    assert_eq!(Summary::of(&[]).p50, None);
    // numpy.percentile([1, 2, 3, 4], 85) = 3.55
    assert!(approx(
        Summary::of(&[4.0, 1.0, 3.0, 2.0]).p85.unwrap(),
        3.55
    ));
}
