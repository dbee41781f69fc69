//! Monte Carlo forecasts from daily throughput (Vacanti, *When Will It Be Done?*).
//!
//! The samples are the items done on each day of the history window, zero days included.
//! - "When will N items be done": each trial draws days' throughput at random, with
//!   replacement, until the sum reaches N; its result is the number of days drawn. The answer
//!   at confidence c is the smallest whole number of days within which at least c % of the
//!   trials finished (the c-th percentile of the days needed, inverse of the empirical
//!   distribution, so 85 % is a later date than 50 %). Day 1 is the day after the window.
//! - "How many in D days": each trial sums D draws. The answer at confidence c is the largest
//!   X with P(result >= X) >= c: 85 % confidence reads "at least X items".
//!
//! Trials use ChaCha8 seeded with the given seed (portable: the same seed gives the same
//! forecast on every machine), drawing a day's index with `random_range` on `u32`.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::flow::{DayRange, MAX_WINDOW_DAYS, Window, daily_throughput};
use crate::history::History;
use crate::mapping::Mapping;
use crate::time::format_day;

pub const DEFAULT_TRIALS: u32 = 10_000;
pub const DEFAULT_SEED: u64 = 20_180_105;
/// Days of history a forecast uses when no window is given.
pub const DEFAULT_HISTORY_DAYS: i64 = 90;
/// The confidences answered, in percent.
pub const CONFIDENCES: [u32; 4] = [50, 70, 85, 95];
/// The longest horizon a trial may run to (100 years of days).
pub const MAX_DAYS: u64 = MAX_WINDOW_DAYS as u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    /// When will this many items be done?
    When { items: u32 },
    /// How many items in this many days?
    HowMany { days: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Bin {
    pub value: u64,
    pub trials: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Forecast {
    /// "when" or "how_many".
    pub question: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub items: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub days: Option<u32>,
    /// "days" for "when", "items" for "how_many".
    pub unit: String,
    pub trials: u32,
    pub seed: u64,
    /// The history window the daily samples come from.
    pub window: Window,
    /// Items done in the window.
    pub history_items: u64,
    /// Confidence in percent ("50", "70", "85", "95") -> answer.
    pub percentiles: BTreeMap<String, u64>,
    /// For "when": confidence -> the calendar date (day 1 = the day after the window).
    pub dates: BTreeMap<String, String>,
    /// How many trials gave each result, for the forecast histogram.
    pub histogram: Vec<Bin>,
}

/// Runs the trials and returns each trial's result (days needed, or items done).
pub fn simulate(samples: &[u32], q: Question, trials: u32, seed: u64) -> Result<Vec<u64>> {
    if samples.is_empty() {
        return Err(Error::NoData("the history window has no days".into()));
    }
    if trials == 0 {
        return Err(Error::Invalid(
            "the number of trials must be at least 1".into(),
        ));
    }
    if samples.len() > u32::MAX as usize {
        return Err(Error::Invalid("the history window is too long".into()));
    }
    let total: u64 = samples.iter().map(|&s| s as u64).sum();
    let n = samples.len() as u32;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(trials as usize);
    match q {
        Question::When { items } => {
            if items == 0 {
                return Err(Error::Invalid(
                    "the number of items must be at least 1".into(),
                ));
            }
            if total == 0 {
                return Err(Error::NoData(
                    "no item was done in the history window, so it cannot say when items will be done; choose a window with completed items".into(),
                ));
            }
            let expected = items as f64 * samples.len() as f64 / total as f64;
            if expected > MAX_DAYS as f64 {
                return Err(Error::Invalid(format!(
                    "at the window's pace ({total} items in {} days) {items} items take about {expected:.0} days: more than {MAX_DAYS}",
                    samples.len()
                )));
            }
            for _ in 0..trials {
                let (mut sum, mut days) = (0u64, 0u64);
                while sum < items as u64 {
                    sum += samples[rng.random_range(0..n) as usize] as u64;
                    days += 1;
                    if days > MAX_DAYS * 10 {
                        return Err(Error::Invalid(format!(
                            "a trial needed more than {} days; the window's throughput is too low for {items} items",
                            MAX_DAYS * 10
                        )));
                    }
                }
                out.push(days);
            }
        }
        Question::HowMany { days } => {
            if days == 0 {
                return Err(Error::Invalid(
                    "the number of days must be at least 1".into(),
                ));
            }
            if days as u64 > MAX_DAYS {
                return Err(Error::Invalid(format!(
                    "{days} days is more than {MAX_DAYS}"
                )));
            }
            for _ in 0..trials {
                let mut sum = 0u64;
                for _ in 0..days {
                    sum += samples[rng.random_range(0..n) as usize] as u64;
                }
                out.push(sum);
            }
        }
    }
    Ok(out)
}

/// How many of `trials` results must meet a confidence of `pct` percent: ceil(pct x T / 100).
fn needed(pct: u32, trials: usize) -> usize {
    ((pct as usize * trials).div_ceil(100)).max(1)
}

/// The answer at `pct` percent confidence from trial results (see the module docs).
pub fn answer(q: Question, results: &[u64], pct: u32) -> Option<u64> {
    if results.is_empty() || pct == 0 || pct > 100 {
        return None;
    }
    let mut v = results.to_vec();
    let k = needed(pct, v.len()) - 1;
    match q {
        Question::When { .. } => v.sort_unstable(),
        Question::HowMany { .. } => v.sort_unstable_by(|a, b| b.cmp(a)),
    }
    v.get(k).copied()
}

/// A forecast from daily throughput samples; `window` is where they come from.
pub fn forecast(
    samples: &[u32],
    window: DayRange,
    q: Question,
    trials: u32,
    seed: u64,
) -> Result<Forecast> {
    let results = simulate(samples, q, trials, seed)?;
    let mut sorted = results.clone();
    sorted.sort_unstable();
    let mut percentiles = BTreeMap::new();
    let mut dates = BTreeMap::new();
    for c in CONFIDENCES {
        if let Some(a) = answer(q, &sorted, c) {
            percentiles.insert(c.to_string(), a);
            if let Question::When { .. } = q {
                dates.insert(c.to_string(), format_day(window.to + a as i64));
            }
        }
    }
    let mut histogram: Vec<Bin> = Vec::new();
    for v in sorted {
        match histogram.last_mut() {
            Some(b) if b.value == v => b.trials += 1,
            _ => histogram.push(Bin {
                value: v,
                trials: 1,
            }),
        }
    }
    let (question, items, days, unit) = match q {
        Question::When { items } => ("when", Some(items), None, "days"),
        Question::HowMany { days } => ("how_many", None, Some(days), "items"),
    };
    Ok(Forecast {
        question: question.into(),
        items,
        days,
        unit: unit.into(),
        trials,
        seed,
        window: window.into(),
        history_items: samples.iter().map(|&s| s as u64).sum(),
        percentiles,
        dates,
        histogram,
    })
}

/// The default history window: the last [`DEFAULT_HISTORY_DAYS`] days of data (not before
/// the first day with data), or `from..=to` where given.
pub fn history_window(h: &History, from: Option<i64>, to: Option<i64>) -> Result<DayRange> {
    let span = h.span().ok_or_else(|| {
        Error::NoData(format!(
            "stream {:?} has no work-item telemetry; import some with `tributary telemetry import`",
            h.stream
        ))
    })?;
    let end = to.unwrap_or(span.1);
    let start = from.unwrap_or_else(|| (end - DEFAULT_HISTORY_DAYS + 1).max(span.0.min(end)));
    DayRange::resolve(Some(start), Some(end), None)
}

/// A forecast for a stream from its history under its mapping.
pub fn forecast_stream(
    h: &History,
    m: &Mapping,
    q: Question,
    from: Option<i64>,
    to: Option<i64>,
    trials: u32,
    seed: u64,
) -> Result<Forecast> {
    let window = history_window(h, from, to)?;
    let samples = daily_throughput(h, m, window);
    if samples.iter().all(|&s| s == 0) {
        return Err(Error::NoData(format!(
            "no item of stream {:?} was done between {} and {}: a forecast needs completed items in its history window (choose another with --from and --to, or map a status to done)",
            h.stream,
            format_day(window.from),
            format_day(window.to)
        )));
    }
    forecast(&samples, window, q, trials, seed)
}

/// The probability mass of each sample value: (value, probability).
fn pmf(samples: &[u32]) -> Vec<(u64, f64)> {
    let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
    for &s in samples {
        *counts.entry(s).or_default() += 1;
    }
    let n = samples.len() as f64;
    counts
        .into_iter()
        .map(|(v, c)| (v as u64, c as f64 / n))
        .collect()
}

/// The exact distribution behind "when": `P(done within d days)` for d = 1..=max_days, by
/// dynamic programming over partial sums. Independent of chance; used to check the Monte
/// Carlo and for charts that want exact probabilities.
pub fn when_exact_cdf(samples: &[u32], items: u32, max_days: usize) -> Vec<f64> {
    let n = items as usize;
    let p = pmf(samples);
    let mut open = vec![0.0f64; n.max(1)];
    open[0] = 1.0;
    let mut done = 0.0;
    let mut cdf = Vec::with_capacity(max_days);
    if n == 0 {
        return vec![1.0; max_days];
    }
    for _ in 0..max_days {
        let mut next = vec![0.0f64; n];
        for (s, &mass) in open.iter().enumerate() {
            if mass == 0.0 {
                continue;
            }
            for &(v, pv) in &p {
                let t = s + v as usize;
                if t >= n {
                    done += mass * pv;
                } else {
                    next[t] += mass * pv;
                }
            }
        }
        open = next;
        cdf.push(done);
    }
    cdf
}

/// The exact distribution behind "how many": `P(sum of D draws = x)` for x = 0.. .
pub fn how_many_exact_pmf(samples: &[u32], days: u32) -> Vec<f64> {
    let p = pmf(samples);
    let mut dist = vec![1.0f64];
    for _ in 0..days {
        let max = dist.len() - 1 + p.last().map_or(0, |x| x.0 as usize);
        let mut next = vec![0.0f64; max + 1];
        for (s, &mass) in dist.iter().enumerate() {
            for &(v, pv) in &p {
                next[s + v as usize] += mass * pv;
            }
        }
        dist = next;
    }
    dist
}
