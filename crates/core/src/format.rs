//! How numbers read in tables, explanations and reports: no spurious decimals, compact money
//! (EUR 1.2m), percentages with one decimal (6.9 %). Shared so the CLI and the reports agree.

/// A plain number with at most two decimals, trailing zeros dropped: 40, 2.36, 0.5; below 1,
/// two significant digits so small times do not read as zero: 0.017.
pub fn number(v: f64) -> String {
    let a = v.abs();
    if a > 0.0 && a < 1.0 {
        let decimals = (2 - a.log10().floor() as i32 - 1).clamp(2, 6) as usize;
        return fixed(v, decimals);
    }
    fixed(v, 2)
}

/// `v` with at most `decimals` decimals, trailing zeros dropped, and no "-0".
pub fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

/// A share as a percentage with one decimal: 0.068783 -> "6.9 %".
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return "—".to_owned();
    }
    format!("{:.1} %", share * 100.0)
}

/// Thousands separated by commas, no decimals: 1228500 -> "1,228,500".
pub fn grouped(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_owned();
    }
    let rounded = v.round();
    let neg = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Money in full: "EUR 1,228,500".
pub fn money(v: f64, currency: &str) -> String {
    format!("{currency} {}", grouped(v))
}

/// Money, compact for headlines: "EUR 1.2m", "EUR 416k", "EUR 950".
pub fn money_short(v: f64, currency: &str) -> String {
    if !v.is_finite() {
        return format!("{currency} —");
    }
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    // Millions and billions keep their decimal ("EUR 4.0m"): a board reads 4.0m as precise
    // to a hundred thousand, where 4m reads as a rough guess.
    let body = if a >= 1e9 {
        format!("{:.1}bn", a / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}m", a / 1e6)
    } else if a >= 1e4 {
        format!("{}k", fixed(a / 1e3, 0))
    } else if a >= 1e3 {
        format!("{}k", fixed(a / 1e3, 1))
    } else {
        fixed(a, 0)
    };
    format!("{currency} {sign}{body}")
}

/// A duration given in `unit`, said in the largest unit in which it is at least 1 (down to
/// seconds): 0.0125 h -> "45 s", 0.0375 h -> "2.25 min", 4.5 h -> "4.5 h". Days and weeks are
/// working days and weeks of `calendar`.
pub fn duration(v: f64, unit: crate::model::TimeUnit, calendar: &crate::model::Calendar) -> String {
    use crate::model::TimeUnit::*;
    let order = [Weeks, Days, Hours, Minutes];
    let start = order.iter().position(|u| *u == unit).unwrap_or(2);
    for u in &order[start..] {
        let x = calendar.convert(v, unit, *u);
        if x.abs() >= 1.0 || v == 0.0 {
            return format!("{} {}", number(x), u.suffix());
        }
    }
    let seconds = calendar.convert(v, unit, Minutes) * 60.0;
    format!("{} s", number(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_spurious_decimals() {
        assert_eq!(number(40.0), "40");
        assert_eq!(number(2.3625), "2.36");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(0.0167), "0.017");
        assert_eq!(number(0.52), "0.52");
        assert_eq!(number(0.0), "0");
        assert_eq!(percent(0.068783), "6.9 %");
    }

    #[test]
    fn money_reads_like_a_board_pack() {
        assert_eq!(money(1_228_500.0, "EUR"), "EUR 1,228,500");
        assert_eq!(money(-416_000.4, "EUR"), "EUR -416,000");
        assert_eq!(money(999.0, "USD"), "USD 999");
        assert_eq!(money_short(1_228_500.0, "EUR"), "EUR 1.2m");
        assert_eq!(money_short(416_000.0, "EUR"), "EUR 416k");
        assert_eq!(money_short(2_500.0, "EUR"), "EUR 2.5k");
        assert_eq!(money_short(-3_000_000.0, "EUR"), "EUR -3.0m");
    }

    #[test]
    fn durations_in_the_unit_people_would_say() {
        use crate::model::{Calendar, TimeUnit};
        let cal = Calendar::default();
        assert_eq!(duration(0.0125, TimeUnit::Hours, &cal), "45 s");
        assert_eq!(duration(0.0375, TimeUnit::Hours, &cal), "2.25 min");
        assert_eq!(duration(4.5, TimeUnit::Hours, &cal), "4.5 h");
        assert_eq!(duration(0.0, TimeUnit::Hours, &cal), "0 h");
        // half a working day of 8 h is 4 h
        assert_eq!(duration(0.5, TimeUnit::Days, &cal), "4 h");
        assert_eq!(duration(2.0, TimeUnit::Weeks, &cal), "2 wk");
    }
}
