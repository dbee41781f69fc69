//! The initiatives: ranked by CD3 beside WSJF, the CD3 bars (those on this stream marked),
//! and the best sequence with its delay cost against the listed order.

use std::collections::HashMap;

use serde::Serialize;
use tributary_core::cod::{Prioritization, SequenceMethod};
use tributary_core::format::{money, number};
use tributary_core::model::Initiative;

use super::Subject;
use super::words::urgency_name;

/// Most bars in the CD3 chart.
const CD3_BARS: usize = 15;

#[derive(Debug, Serialize)]
pub struct InitiativesData {
    pub headline: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub bars: Vec<(String, f64, String, bool)>,
    pub bar_max: f64,
    pub sequence: Vec<Vec<String>>,
    pub sequence_note: String,
    pub empty: bool,
}

pub fn initiatives_data(s: &Subject, p: &Prioritization) -> InitiativesData {
    let Some(top) = p.cd3.first().filter(|_| !s.model.initiatives.is_empty()) else {
        return InitiativesData {
            headline: "No initiatives are recorded yet".into(),
            header: Vec::new(),
            rows: Vec::new(),
            bars: Vec::new(),
            bar_max: 1.0,
            sequence: Vec::new(),
            sequence_note: "Add initiatives with a cost of delay per week and a duration to rank them by CD3 and WSJF.".into(),
            empty: true,
        };
    };
    let by_id: HashMap<&str, &Initiative> = s
        .model
        .initiatives
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let bars: Vec<(String, f64, String, bool)> = p
        .cd3
        .iter()
        .take(CD3_BARS)
        .map(|r| {
            let here = by_id.get(r.id.as_str()).and_then(|i| i.stream.as_deref())
                == Some(s.stream.id.as_str());
            (r.name.clone(), r.score, number(r.score), here)
        })
        .collect();
    InitiativesData {
        headline: format!(
            "Do {} first: it has the highest cost of delay per week of work (CD3 {})",
            top.name,
            number(top.score)
        ),
        header: [
            "CD3 rank",
            "Initiative",
            "Stream",
            "Cost of delay a week",
            "Weeks",
            "CD3",
            "WSJF",
            "WSJF rank",
            "Urgency",
        ]
        .map(String::from)
        .to_vec(),
        rows: ranked_rows(s, p, &by_id),
        bar_max: bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9),
        bars,
        sequence: sequence(s, p, &by_id),
        sequence_note: sequence_note(s, p),
        empty: false,
    }
}

/// One row per initiative, in CD3 order, with its WSJF beside.
fn ranked_rows(
    s: &Subject,
    p: &Prioritization,
    by_id: &HashMap<&str, &Initiative>,
) -> Vec<Vec<String>> {
    let model = s.model;
    let wsjf: HashMap<&str, (u32, f64)> = p
        .wsjf
        .iter()
        .map(|r| (r.id.as_str(), (r.rank, r.score)))
        .collect();
    let stream_name = |id: &Option<String>| {
        id.as_ref()
            .map(|id| model.stream(id).map_or(id.clone(), |s| s.name.clone()))
            .unwrap_or_else(|| "—".into())
    };
    p.cd3
        .iter()
        .filter_map(|r| {
            let i = by_id.get(r.id.as_str())?;
            let w = wsjf.get(r.id.as_str());
            Some(vec![
                r.rank.to_string(),
                r.name.clone(),
                stream_name(&i.stream),
                money(i.cost_of_delay_per_week, s.currency()),
                number(i.duration_weeks),
                number(r.score),
                w.map_or("—".into(), |(_, s)| number(*s)),
                w.map_or("—".into(), |(k, _)| k.to_string()),
                urgency_name(&i.urgency),
            ])
        })
        .collect()
}

/// The best sequence: position, initiative, the week it is done and its delay cost.
fn sequence(
    s: &Subject,
    p: &Prioritization,
    by_id: &HashMap<&str, &Initiative>,
) -> Vec<Vec<String>> {
    p.best
        .order
        .iter()
        .zip(&p.best.completion_weeks)
        .zip(&p.best.delay_costs)
        .enumerate()
        .map(|(k, ((id, w), c))| {
            vec![
                (k + 1).to_string(),
                by_id
                    .get(id.as_str())
                    .map_or(id.clone(), |i| i.name.clone()),
                format!("week {}", number(*w)),
                money(*c, s.currency()),
            ]
        })
        .collect()
}

/// How the best sequence was found, and what it saves against the listed order.
fn sequence_note(s: &Subject, p: &Prioritization) -> String {
    let cur = s.currency();
    let saved = p.listed_sequence.total_delay_cost - p.best.total_delay_cost;
    let how = match p.best.method {
        SequenceMethod::SmithRule => {
            "highest CD3 first, which is optimal when cost of delay is constant (Smith's rule)"
        }
        SequenceMethod::Exhaustive => "every order tried, deadlines and ramps included",
        SequenceMethod::LocalSearch => {
            "CD3 order improved by swapping neighbours; good, not proven best"
        }
        SequenceMethod::AsGiven => "as listed",
    };
    format!(
        "Best sequence ({how}): total delay cost {}, against {} in the listed order{}.",
        money(p.best.total_delay_cost, cur),
        money(p.listed_sequence.total_delay_cost, cur),
        if saved > 0.5 {
            format!(", {} less", money(saved, cur))
        } else {
            String::new()
        }
    )
}
