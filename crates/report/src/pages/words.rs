//! The words and signs the pages share: durations with their unit, signed amounts, the arrow
//! of a change, the names of the model's enums, lists in prose.

use tributary_core::format::{number, percent};
use tributary_core::model::{Lifecycle, PbcKind, Urgency};
use tributary_core::scenario::Difference;

pub fn dur(v: f64, u: &str) -> String {
    format!("{} {u}", number(v))
}

/// A signed amount with a true minus sign: "+3.2", "−3.2".
pub fn signed(v: f64, body: &str) -> String {
    if v < 0.0 {
        format!("−{body}")
    } else if v > 0.0 {
        format!("+{body}")
    } else {
        body.to_owned()
    }
}

/// The change the engine measured, in words: an arrow, the signed amount (formatted by
/// `amount`), and the relative change. `lower_is_better` decides the tone.
pub fn change(
    d: Difference,
    amount: impl Fn(f64) -> String,
    lower_is_better: bool,
) -> (String, &'static str) {
    if d.unchanged() {
        return ("→ no change".to_owned(), "neutral");
    }
    let arrow = if d.change < 0.0 { "↓" } else { "↑" };
    let rel = d
        .relative
        .map(|r| format!(" ({})", signed(d.change, &percent(r.abs()))))
        .unwrap_or_default();
    let good = (d.change < 0.0) == lower_is_better;
    (
        format!("{arrow} {}{rel}", signed(d.change, &amount(d.change.abs()))),
        if good { "good" } else { "bad" },
    )
}

/// good, bad or neutral by the sign of an amount of money.
pub fn tone_of(v: f64) -> &'static str {
    if v > 0.0 {
        "good"
    } else if v < 0.0 {
        "bad"
    } else {
        "neutral"
    }
}

/// "" for one, "s" for more.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "1 item", "588 items".
pub fn items(n: u64) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

/// "a, b and c", or "a, b, c and 4 more".
pub fn list(items: &[&str], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).copied().collect();
    let more = items.len().saturating_sub(max);
    match (shown.len(), more) {
        (0, _) => String::new(),
        (1, 0) => shown[0].to_owned(),
        (_, 0) => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        (_, m) => format!("{} and {m} more", shown.join(", ")),
    }
}

pub fn kind_name(k: PbcKind) -> &'static str {
    match k {
        PbcKind::Legacy => "legacy",
        PbcKind::Modern => "modern",
        PbcKind::Saas => "SaaS",
    }
}

pub fn lifecycle_name(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Tolerate => "tolerate",
        Lifecycle::Invest => "invest",
        Lifecycle::Migrate => "migrate",
        Lifecycle::Eliminate => "eliminate",
    }
}

pub fn urgency_name(u: &Urgency) -> String {
    match u {
        Urgency::Standard => "standard".into(),
        Urgency::Urgent => "urgent".into(),
        Urgency::FixedDate {
            date,
            deadline_week,
        } => match (date, deadline_week) {
            (Some(d), _) => format!("fixed date {d}"),
            (None, Some(w)) => format!("fixed date, week {}", number(*w)),
            _ => "fixed date".into(),
        },
        Urgency::Intangible { .. } => "intangible".into(),
    }
}
