//! Cost of delay: CD3 and WSJF rankings of initiatives, the delay cost of a sequence, and the
//! best sequence (REFERENCE.md section 4).
//!
//! Initiatives are done one after another from week 0. How an initiative's cost of delay
//! accrues until it completes at week C depends on its urgency profile:
//! - standard and urgent: CoD x C (constant from week 0);
//! - fixed date at week D: nothing until D, then CoD per week: CoD x max(0, C - D);
//! - intangible with ramp R (26 weeks unless given): the weekly cost rises linearly from 0 to
//!   CoD over R weeks, then stays: CoD x C^2 / 2R while C <= R, else CoD x (C - R/2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::collections::HashMap;

use crate::error::Result;
use crate::metrics::WEEKS_PER_YEAR;
use crate::model::{Initiative, Model, Urgency};
use crate::scenario;

/// Ramp of an intangible cost of delay when the model gives none.
pub const DEFAULT_RAMP_WEEKS: f64 = 26.0;

/// Exhaustive search up to this many initiatives (8! = 40,320 orders).
const EXHAUSTIVE_LIMIT: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Prioritization {
    /// Highest CD3 first.
    pub cd3: Vec<Ranked>,
    /// Highest WSJF first; initiatives without WSJF scores are left out.
    pub wsjf: Vec<Ranked>,
    /// The order with the least total delay cost.
    pub best: Sequence,
    /// The CD3 order, costed.
    pub cd3_sequence: Sequence,
    /// The order the initiatives are listed in, costed, for comparison.
    pub listed_sequence: Sequence,
    /// Each initiative's cost of delay as ranked, in the listed order.
    pub costs_of_delay: Vec<CostOfDelay>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Ranked {
    pub rank: u32,
    pub id: String,
    pub name: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Sequence {
    pub order: Vec<String>,
    /// Completion week of each initiative, in `order`.
    pub completion_weeks: Vec<f64>,
    /// Delay cost of each initiative, in `order`.
    pub delay_costs: Vec<f64>,
    pub total_delay_cost: f64,
    pub method: SequenceMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum SequenceMethod {
    /// Costed as given.
    AsGiven,
    /// Every order tried.
    Exhaustive,
    /// All costs constant from week 0: highest CD3 first is optimal (Smith, 1956).
    SmithRule,
    /// Too many to try all, with deadlines or ramps: CD3 order improved by swapping
    /// neighbours while that lowers the total. Good, not proven best.
    LocalSearch,
}

/// CD3 = cost of delay per week / duration in weeks.
pub fn cd3(i: &Initiative) -> f64 {
    i.cost_of_delay_per_week / i.duration_weeks
}

/// WSJF = (business value + time criticality + risk reduction) / job size.
pub fn wsjf(i: &Initiative) -> Option<f64> {
    i.wsjf
        .map(|w| (w.business_value + w.time_criticality + w.risk_reduction) / w.job_size)
}

/// Delay cost of one initiative completing at week `c`.
pub fn delay_cost(i: &Initiative, c: f64) -> f64 {
    let cod = i.cost_of_delay_per_week;
    match &i.urgency {
        Urgency::Standard | Urgency::Urgent => cod * c,
        Urgency::FixedDate { deadline_week, .. } => match deadline_week {
            Some(d) => cod * (c - d).max(0.0),
            None => cod * c,
        },
        Urgency::Intangible { ramp_weeks } => {
            let r = ramp_weeks.unwrap_or(DEFAULT_RAMP_WEEKS);
            if c <= r {
                cod * c * c / (2.0 * r)
            } else {
                cod * (c - r / 2.0)
            }
        }
    }
}

/// Costs the initiatives done one after another in the given order (indices).
pub fn cost_sequence(items: &[Initiative], order: &[usize], method: SequenceMethod) -> Sequence {
    let mut week = 0.0;
    let mut completion_weeks = Vec::with_capacity(order.len());
    let mut delay_costs = Vec::with_capacity(order.len());
    for &i in order {
        week += items[i].duration_weeks;
        completion_weeks.push(week);
        delay_costs.push(delay_cost(&items[i], week));
    }
    Sequence {
        order: order.iter().map(|&i| items[i].id.clone()).collect(),
        total_delay_cost: delay_costs.iter().sum(),
        completion_weeks,
        delay_costs,
        method,
    }
}

fn total(items: &[Initiative], order: &[usize]) -> f64 {
    let mut week = 0.0;
    let mut sum = 0.0;
    for &i in order {
        week += items[i].duration_weeks;
        sum += delay_cost(&items[i], week);
    }
    sum
}

/// Indices ordered by a score, highest first, ties in listed order.
fn by_score_desc(scores: &[(usize, f64)]) -> Vec<usize> {
    let mut v = scores.to_vec();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().map(|(i, _)| i).collect()
}

fn ranked(items: &[Initiative], scores: &[(usize, f64)]) -> Vec<Ranked> {
    let score_of: std::collections::HashMap<usize, f64> = scores.iter().copied().collect();
    by_score_desc(scores)
        .into_iter()
        .enumerate()
        .map(|(r, i)| Ranked {
            rank: r as u32 + 1,
            id: items[i].id.clone(),
            name: items[i].name.clone(),
            score: score_of[&i],
        })
        .collect()
}

/// The order with the least total delay cost.
pub fn best_sequence(items: &[Initiative]) -> Sequence {
    let n = items.len();
    let cd3_scores: Vec<(usize, f64)> = items.iter().map(cd3).enumerate().collect();
    let cd3_order = by_score_desc(&cd3_scores);
    let constant = items
        .iter()
        .all(|i| matches!(i.urgency, Urgency::Standard | Urgency::Urgent));
    if constant {
        return cost_sequence(items, &cd3_order, SequenceMethod::SmithRule);
    }
    if n <= EXHAUSTIVE_LIMIT {
        let mut best = cd3_order.clone();
        let mut best_cost = total(items, &best);
        let mut perm: Vec<usize> = (0..n).collect();
        permutations(&mut perm, 0, &mut |p| {
            let c = total(items, p);
            if c < best_cost - 1e-9 {
                best_cost = c;
                best = p.to_vec();
            }
        });
        return cost_sequence(items, &best, SequenceMethod::Exhaustive);
    }
    let mut order = cd3_order;
    let mut cost = total(items, &order);
    let mut improved = true;
    while improved {
        improved = false;
        for k in 0..n.saturating_sub(1) {
            order.swap(k, k + 1);
            let c = total(items, &order);
            if c < cost - 1e-9 {
                cost = c;
                improved = true;
            } else {
                order.swap(k, k + 1);
            }
        }
    }
    cost_sequence(items, &order, SequenceMethod::LocalSearch)
}

/// Calls `f` with every permutation of `v[k..]` (Heap-free simple recursion; n is small).
fn permutations(v: &mut [usize], k: usize, f: &mut dyn FnMut(&[usize])) {
    if k == v.len() {
        f(v);
        return;
    }
    for i in k..v.len() {
        v.swap(k, i);
        permutations(v, k + 1, f);
        v.swap(k, i);
    }
}

/// An initiative's cost of delay as it is ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct CostOfDelay {
    pub id: String,
    pub per_week: f64,
    /// The scenario it is taken from (its delay cost saved a year / 52), when the initiative
    /// names one; else it is the figure typed for the initiative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scenario: Option<String>,
}

/// The model's initiatives as they are ranked: one that names a scenario takes its cost of
/// delay per week from that scenario's annual delay cost saved / 52 (never below 0: a scenario
/// that loses time is no cost of delay of the initiative).
pub fn linked(model: &Model) -> Result<Vec<Initiative>> {
    let mut saved: HashMap<&str, f64> = HashMap::new();
    model
        .initiatives
        .iter()
        .map(|i| {
            let Some(s) = i.scenario.as_deref() else {
                return Ok(i.clone());
            };
            let per_year = match saved.get(s) {
                Some(v) => *v,
                None => {
                    let v = scenario::compare(model, s)?.annual_delay_cost_saved;
                    *saved.entry(s).or_insert(v)
                }
            };
            Ok(Initiative {
                cost_of_delay_per_week: (per_year / WEEKS_PER_YEAR).max(0.0),
                ..i.clone()
            })
        })
        .collect()
}

/// The rankings and sequences of a model's initiatives, with scenario-linked costs of delay.
pub fn prioritize_model(model: &Model) -> Result<Prioritization> {
    let items = linked(model)?;
    let mut p = prioritize(&items);
    p.costs_of_delay = items
        .iter()
        .map(|i| CostOfDelay {
            id: i.id.clone(),
            per_week: i.cost_of_delay_per_week,
            scenario: i.scenario.clone(),
        })
        .collect();
    Ok(p)
}

pub fn prioritize(items: &[Initiative]) -> Prioritization {
    let cd3_scores: Vec<(usize, f64)> = items.iter().map(cd3).enumerate().collect();
    let wsjf_scores: Vec<(usize, f64)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, x)| wsjf(x).map(|s| (i, s)))
        .collect();
    let listed: Vec<usize> = (0..items.len()).collect();
    Prioritization {
        cd3: ranked(items, &cd3_scores),
        wsjf: ranked(items, &wsjf_scores),
        best: best_sequence(items),
        cd3_sequence: cost_sequence(items, &by_score_desc(&cd3_scores), SequenceMethod::AsGiven),
        listed_sequence: cost_sequence(items, &listed, SequenceMethod::AsGiven),
        costs_of_delay: items
            .iter()
            .map(|i| CostOfDelay {
                id: i.id.clone(),
                per_week: i.cost_of_delay_per_week,
                scenario: None,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Wsjf;

    fn item(id: &str, cod: f64, weeks: f64) -> Initiative {
        Initiative {
            id: id.into(),
            name: id.into(),
            stream: None,
            cost_of_delay_per_week: cod,
            duration_weeks: weeks,
            urgency: Urgency::Standard,
            wsjf: None,
            scenario: None,
        }
    }

    fn e5() -> Vec<Initiative> {
        vec![
            item("A", 10.0, 5.0),
            item("B", 4.0, 1.0),
            item("C", 9.0, 3.0),
        ]
    }

    fn cost_of(items: &[Initiative], ids: &str) -> f64 {
        let order: Vec<usize> = ids
            .chars()
            .map(|c| items.iter().position(|i| i.id == c.to_string()).unwrap())
            .collect();
        cost_sequence(items, &order, SequenceMethod::AsGiven).total_delay_cost
    }

    // REFERENCE.md E5.
    #[test]
    fn e5_cd3_order_and_sequence_costs() {
        let items = e5();
        let p = prioritize(&items);
        let scores: Vec<(&str, f64)> = p.cd3.iter().map(|r| (r.id.as_str(), r.score)).collect();
        assert_eq!(scores, vec![("B", 4.0), ("C", 3.0), ("A", 2.0)]);
        assert_eq!(p.best.order, vec!["B", "C", "A"]);
        assert_eq!(p.best.total_delay_cost, 130.0);
        assert_eq!(p.best.method, SequenceMethod::SmithRule);
        for (ids, want) in [
            ("ABC", 155.0),
            ("ACB", 158.0),
            ("BAC", 145.0),
            ("CAB", 143.0),
            ("CBA", 133.0),
            ("BCA", 130.0),
        ] {
            assert_eq!(cost_of(&items, ids), want, "{ids}");
        }
    }

    // REFERENCE.md E6.
    #[test]
    fn e6_wsjf_order() {
        let mut items = vec![
            item("X", 1.0, 1.0),
            item("Y", 1.0, 1.0),
            item("Z", 1.0, 1.0),
        ];
        let scores = [
            (8.0, 5.0, 3.0, 5.0),
            (3.0, 8.0, 2.0, 2.0),
            (13.0, 2.0, 8.0, 13.0),
        ];
        for (i, (bv, tc, rr, js)) in scores.into_iter().enumerate() {
            items[i].wsjf = Some(Wsjf {
                business_value: bv,
                time_criticality: tc,
                risk_reduction: rr,
                job_size: js,
            });
        }
        let p = prioritize(&items);
        let got: Vec<&str> = p.wsjf.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(got, vec!["Y", "X", "Z"]);
        assert_eq!(p.wsjf[0].score, 6.5);
        assert_eq!(p.wsjf[1].score, 3.2);
        assert!((p.wsjf[2].score - 1.769).abs() < 0.0005);
    }

    #[test]
    fn a_deadline_far_away_lets_others_go_first() {
        // F has the highest CD3 but nothing is lost before week 20; doing it last costs 0.
        let mut items = e5();
        let mut f = item("F", 100.0, 1.0);
        f.urgency = Urgency::FixedDate {
            date: None,
            deadline_week: Some(20.0),
        };
        items.push(f);
        let best = best_sequence(&items);
        assert_eq!(best.method, SequenceMethod::Exhaustive);
        assert_eq!(best.total_delay_cost, 130.0);
        assert_eq!(best.order.last().map(String::as_str), Some("F"));
        // and it beats the naive CD3 order, which puts F first
        let p = prioritize(&items);
        assert_eq!(p.cd3_sequence.order[0], "F");
        assert!(p.cd3_sequence.total_delay_cost > best.total_delay_cost);
    }

    #[test]
    fn intangible_cost_rises_then_runs_at_full_rate() {
        let mut i = item("I", 10.0, 1.0);
        i.urgency = Urgency::Intangible {
            ramp_weeks: Some(10.0),
        };
        // area under a ramp from 0 to 10 over 10 weeks: 50; then 10 a week
        assert_eq!(delay_cost(&i, 10.0), 50.0);
        assert_eq!(delay_cost(&i, 5.0), 12.5);
        assert_eq!(delay_cost(&i, 12.0), 70.0);
    }

    #[test]
    fn the_best_sequence_is_never_worse_than_any_permutation() {
        // Exhaustive check on a mixed set against brute force written out independently.
        let mut items = e5();
        let mut d = item("D", 7.0, 2.0);
        d.urgency = Urgency::FixedDate {
            date: None,
            deadline_week: Some(4.0),
        };
        items.push(d);
        let best = best_sequence(&items).total_delay_cost;
        let mut min = f64::INFINITY;
        for a in 0..4 {
            for b in 0..4 {
                for c in 0..4 {
                    for e in 0..4 {
                        let o = [a, b, c, e];
                        let mut seen = [false; 4];
                        o.iter().for_each(|&x| seen[x] = true);
                        if seen.iter().all(|s| *s) {
                            min = min.min(total(&items, &o));
                        }
                    }
                }
            }
        }
        assert_eq!(best, min);
    }
}
