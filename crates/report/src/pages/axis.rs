//! Chart scales: round tick values from zero, so every bar chart of the report starts at zero
//! and reads on one scale.

use tributary_core::format::number;

/// Round tick values from 0 to at least `max` (four steps).
pub fn ticks(max: f64) -> Vec<f64> {
    let top = ticks_max(max);
    let step = top / 4.0;
    (0..=4).map(|k| step * f64::from(k)).collect()
}

pub fn ticks_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    step * 4.0
}

/// Round axis values from 0 to at least `max`, at most five steps of 1, 2, 2.5 or 5 times
/// a power of ten (whole steps for counts).
pub fn axis(max: f64, whole: bool) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    // a power of ten as a multiplier or a divisor, so 0.1 steps land on 0.6, not 0.6000001
    let e = (max / 5.0).log10().floor() as i32;
    let (mul, div) = if e >= 0 {
        (10f64.powi(e), 1.0)
    } else {
        (1.0, 10f64.powi(-e))
    };
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let step = m * mul / div;
        if whole && step.fract() != 0.0 {
            continue;
        }
        let n = (max / step - 1e-9).ceil().max(1.0);
        if n <= 5.0 {
            return (0..=n as u32)
                .map(|k| m * f64::from(k) * mul / div)
                .collect();
        }
    }
    vec![0.0, max]
}

/// The axis values with their labels, and the top of the scale.
pub fn labelled_axis(max: f64, whole: bool) -> (f64, Vec<(f64, String)>) {
    let values = axis(max, whole);
    let top = values.last().copied().unwrap_or(1.0);
    (top, values.into_iter().map(|t| (t, number(t))).collect())
}

/// A finite, non-negative length for a chart (the data is the caller's).
pub fn len(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_take_at_most_five_round_steps() {
        assert_eq!(axis(44.0, true), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(axis(50.92, false), vec![0.0, 20.0, 40.0, 60.0]);
        assert_eq!(axis(80.31, false), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(axis(2.0, false), vec![0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(axis(1.0, true), vec![0.0, 1.0]);
        assert_eq!(axis(3.0, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(axis(0.0, true), vec![0.0, 1.0]);
        assert_eq!(axis(f64::NAN, false), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(50.5), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(ticks(7.0), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(0.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }
}
