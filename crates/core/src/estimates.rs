//! What a room's answers say together: the spread of estimates (median, quartiles, outliers)
//! and the tally of a vote. The workshop room shows these when the facilitator reveals a round;
//! the UI shows them and computes nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The spread of a set of estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "EstimateSpread")]
pub struct Spread {
    pub count: u32,
    pub min: f64,
    pub max: f64,
    /// The middle value (the mean of the two middle ones for an even count).
    pub median: f64,
    /// First and third quartiles (medians of the lower and upper halves, Tukey's hinges).
    pub lower_quartile: f64,
    pub upper_quartile: f64,
    /// Values beyond 1.5 interquartile ranges from the quartiles (Tukey's fences), in the
    /// order given.
    pub outliers: Vec<f64>,
}

/// The spread of `values` (non-finite ones are left out); `None` when there are none.
pub fn spread(values: &[f64]) -> Option<Spread> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    // hinges: the lower half and the upper half, the median left out of both for odd n
    let (lower, upper) = (&v[..n / 2], &v[n.div_ceil(2)..]);
    let (q1, q3) = if n == 1 {
        (v[0], v[0])
    } else {
        (median(lower), median(upper))
    };
    let iqr = q3 - q1;
    let (lo, hi) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    Some(Spread {
        count: n as u32,
        min: v[0],
        max: v[n - 1],
        median: median(&v),
        lower_quartile: q1,
        upper_quartile: q3,
        outliers: values
            .iter()
            .copied()
            .filter(|x| x.is_finite() && (*x < lo || *x > hi))
            .collect(),
    })
}

/// The median of sorted, non-empty `v`.
fn median(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One choice of a vote and how many chose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[ts(rename = "EstimateTally")]
pub struct Tally {
    pub choice: String,
    pub votes: u32,
}

/// Votes counted per choice, the most chosen first (ties in the order of `choices`); choices
/// nobody picked are listed with 0, votes for anything else are left out.
pub fn tally<'a>(choices: &[String], votes: impl Iterator<Item = &'a str>) -> Vec<Tally> {
    let mut out: Vec<Tally> = choices
        .iter()
        .map(|c| Tally {
            choice: c.clone(),
            votes: 0,
        })
        .collect();
    for v in votes {
        if let Some(t) = out.iter_mut().find(|t| t.choice == v) {
            t.votes += 1;
        }
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.votes));
    out
}

/// The Fibonacci scale SAFe scores WSJF on.
pub const FIBONACCI: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_of_a_room_s_estimates() {
        // sorted: 2 4 4 5 6 8 40; median 5; lower half 2 4 4 -> 4, upper half 6 8 40 -> 8;
        // IQR 4, fences 4 - 6 = -2 and 8 + 6 = 14: 40 is an outlier
        let s = spread(&[8.0, 4.0, 40.0, 2.0, 5.0, 4.0, 6.0]).unwrap();
        assert_eq!((s.count, s.min, s.max, s.median), (7, 2.0, 40.0, 5.0));
        assert_eq!((s.lower_quartile, s.upper_quartile), (4.0, 8.0));
        assert_eq!(s.outliers, [40.0]);
        // even count: 1 2 3 4 -> median 2.5, hinges 1.5 and 3.5, no outliers
        let s = spread(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(
            (s.median, s.lower_quartile, s.upper_quartile),
            (2.5, 1.5, 3.5)
        );
        assert!(s.outliers.is_empty());
        // one answer is its own median; none is no spread
        let s = spread(&[3.0]).unwrap();
        assert_eq!(
            (s.median, s.lower_quartile, s.upper_quartile),
            (3.0, 3.0, 3.0)
        );
        assert_eq!(spread(&[]), None);
        assert_eq!(spread(&[f64::NAN]), None);
    }

    #[test]
    fn a_vote_is_tallied_most_chosen_first() {
        let choices = ["intake", "assess", "approve"].map(String::from);
        let t = tally(
            &choices,
            ["approve", "assess", "approve", "nowhere"].into_iter(),
        );
        let got: Vec<(&str, u32)> = t.iter().map(|t| (t.choice.as_str(), t.votes)).collect();
        assert_eq!(got, [("approve", 2), ("assess", 1), ("intake", 0)]);
    }
}
