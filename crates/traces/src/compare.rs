//! Drawn beside measured: services map onto PBCs through the `systems` each PBC lists (exact
//! name first, then ignoring case); calls between services become calls between PBCs; each
//! integration's drawn latency and each PBC's assumed process time stand beside what the
//! traces say, with the gap, a flag past the threshold, and the integrations ranked by the
//! time they cost.
//!
//! Units: traces measure wall-clock time. A call's latency is time the system works, so it
//! counts one to one as working time (1 s measured = 1 s of the model's working time),
//! converted into the model's `time_unit` through its calendar (8 h a day, 5 days a week by
//! default). Only durations longer than a working day (batch runs overnight) would read
//! differently; `docs/traces.md` says so.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tributary_core::{IntegrationStyle, Model, TimeUnit};
use ts_rs::TS;

use crate::stats::{DurationFigures, Sketch};
use crate::summary::TraceSummary;

/// Which figure of a distribution stands for "the measured value".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TraceStatistic")]
pub enum Statistic {
    #[default]
    P50,
    P85,
    P95,
    P99,
    Mean,
}

impl Statistic {
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::P50 => "p50",
            Statistic::P85 => "p85",
            Statistic::P95 => "p95",
            Statistic::P99 => "p99",
            Statistic::Mean => "mean",
        }
    }

    pub fn of(self, f: &DurationFigures) -> f64 {
        match self {
            Statistic::P50 => f.p50_ms,
            Statistic::P85 => f.p85_ms,
            Statistic::P95 => f.p95_ms,
            Statistic::P99 => f.p99_ms,
            Statistic::Mean => f.mean_ms,
        }
    }
}

impl std::str::FromStr for Statistic {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "p50" | "median" => Ok(Statistic::P50),
            "p85" => Ok(Statistic::P85),
            "p95" => Ok(Statistic::P95),
            "p99" => Ok(Statistic::P99),
            "mean" => Ok(Statistic::Mean),
            other => Err(format!(
                "unknown statistic {other:?} (p50, p85, p95, p99 or mean)"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceCompareOptions")]
pub struct CompareOptions {
    pub statistic: Statistic,
    /// A measured value is flagged when it exceeds the drawn one by more than this share
    /// (0.5: more than 1.5 x drawn) or falls below drawn / (1 + threshold) (two thirds), or
    /// when the model draws 0 and the traces measure more.
    pub threshold: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            statistic: Statistic::P50,
            threshold: 0.5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TraceMatchKind")]
pub enum MatchKind {
    Exact,
    IgnoringCase,
}

/// A service the traces name, and the PBC it maps to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceServiceMatch")]
pub struct ServiceMatch {
    pub service: String,
    pub pbc: String,
    pub how: MatchKind,
}

/// A service no PBC lists among its systems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceUnmappedService")]
pub struct UnmappedService {
    pub service: String,
    #[ts(type = "number")]
    pub spans: u64,
}

/// A drawn time beside the measured one, both in the model's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceGap")]
pub struct Gap {
    pub drawn: f64,
    pub measured: f64,
    /// measured - drawn.
    pub gap: f64,
    /// measured / drawn; absent when nothing is drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ratio: Option<f64>,
    pub flagged: bool,
}

/// A stage a PBC serves, with the process time the model assumes it adds there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceStageTime")]
pub struct StageTime {
    pub stream: String,
    pub stage: String,
    pub time: Gap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TracePbc")]
pub struct PbcMeasured {
    pub pbc: String,
    pub name: String,
    pub services: Vec<String>,
    #[ts(type = "number")]
    pub spans: u64,
    #[ts(type = "number")]
    pub errors: u64,
    pub error_share: f64,
    /// Own time per trace (its services' spans' own time summed per trace), in ms. With
    /// several services, over each (service, trace): `combined`.
    pub own_per_trace: DurationFigures,
    pub combined: bool,
    /// The chosen statistic of `own_per_trace`, in the model's unit.
    pub measured: f64,
    pub stages: Vec<StageTime>,
}

/// Calls from the services of one PBC to those of another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TracePbcCall")]
pub struct PbcCall {
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub calls: u64,
    #[ts(type = "number")]
    pub errors: u64,
    pub error_share: f64,
    /// Latency of a call (the callee span's duration), in ms; merged over service pairs
    /// when several make up the PBC pair (`combined`).
    pub inclusive: DurationFigures,
    pub combined: bool,
    /// The chosen statistic of `inclusive`, in the model's unit.
    pub measured: f64,
    /// All calls together, in the model's unit: the time this interface cost.
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceIntegration")]
pub struct IntegrationCheck {
    pub id: String,
    pub from: String,
    pub to: String,
    pub style: IntegrationStyle,
    /// Drawn latency beside measured; absent when the traces show no call between the PBCs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub latency: Option<Gap>,
    /// The calls were measured from `to` to `from` (the model draws the other way).
    pub reversed: bool,
    #[ts(type = "number")]
    pub calls: u64,
    pub error_share: f64,
    /// The time all measured calls cost, in the model's unit.
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TraceComparison {
    pub unit: TimeUnit,
    pub statistic: Statistic,
    pub threshold: f64,
    pub services: Vec<ServiceMatch>,
    pub unmapped: Vec<UnmappedService>,
    pub pbcs: Vec<PbcMeasured>,
    pub calls: Vec<PbcCall>,
    pub integrations: Vec<IntegrationCheck>,
    /// Ids of the measured integrations, the costliest first (total time of their calls).
    pub slowest: Vec<String>,
    /// Calls between PBCs that no integration of the model draws, costliest first.
    pub undrawn: Vec<PbcCall>,
    pub notes: Vec<String>,
}

/// Milliseconds of wall-clock time in the model's unit, one to one as working time.
pub fn ms_to_unit(model: &Model, ms: f64) -> f64 {
    model
        .calendar
        .convert(ms / 3_600_000.0, TimeUnit::Hours, model.time_unit)
}

fn gap(drawn: f64, measured: f64, threshold: f64) -> Gap {
    let flagged = if drawn > 0.0 {
        measured > drawn * (1.0 + threshold) || measured < drawn / (1.0 + threshold)
    } else {
        measured > 0.0
    };
    Gap {
        drawn,
        measured,
        gap: measured - drawn,
        ratio: (drawn > 0.0).then(|| measured / drawn),
        flagged,
    }
}

/// Maps each service to a PBC: a PBC listing the exact name, else one listing it in
/// another case. A name listed by several PBCs goes to the first, with a note.
fn map_services(
    model: &Model,
    summary: &TraceSummary,
    notes: &mut Vec<String>,
) -> (Vec<ServiceMatch>, Vec<UnmappedService>) {
    let mut matched = Vec::new();
    let mut unmapped = Vec::new();
    for s in &summary.services {
        let exact: Vec<&str> = pbcs_listing(model, |sys| sys == s.service);
        let (found, how) = if exact.is_empty() {
            let lower = s.service.to_lowercase();
            let loose = pbcs_listing(model, |sys| sys.to_lowercase() == lower);
            (loose, MatchKind::IgnoringCase)
        } else {
            (exact, MatchKind::Exact)
        };
        match found.first() {
            Some(pbc) => {
                if found.len() > 1 {
                    notes.push(format!(
                        "service {:?} is listed by PBCs {}: measured under {pbc:?}",
                        s.service,
                        found.join(", ")
                    ));
                }
                matched.push(ServiceMatch {
                    service: s.service.clone(),
                    pbc: (*pbc).to_owned(),
                    how,
                });
            }
            None => unmapped.push(UnmappedService {
                service: s.service.clone(),
                spans: s.spans,
            }),
        }
    }
    unmapped.sort_by(|a, b| {
        b.spans
            .cmp(&a.spans)
            .then_with(|| a.service.cmp(&b.service))
    });
    (matched, unmapped)
}

fn pbcs_listing(model: &Model, hit: impl Fn(&str) -> bool) -> Vec<&str> {
    model
        .pbcs
        .iter()
        .filter(|p| p.systems.iter().any(|sys| hit(sys)))
        .map(|p| p.id.as_str())
        .collect()
}

/// Sets the model beside the traces.
pub fn compare(model: &Model, summary: &TraceSummary, opts: CompareOptions) -> TraceComparison {
    let mut notes = Vec::new();
    let (services, unmapped) = map_services(model, summary, &mut notes);
    let pbc_of: HashMap<&str, &str> = services
        .iter()
        .map(|m| (m.service.as_str(), m.pbc.as_str()))
        .collect();
    let pbcs = measure_pbcs(model, summary, &pbc_of, opts);
    let calls = pbc_calls(model, summary, &pbc_of, opts, &mut notes);
    let integrations = check_integrations(model, &calls, opts);
    let mut ranked: Vec<&IntegrationCheck> = integrations
        .iter()
        .filter(|i| i.latency.is_some())
        .collect();
    ranked.sort_by(|a, b| b.total.total_cmp(&a.total).then_with(|| a.id.cmp(&b.id)));
    let slowest = ranked.iter().map(|i| i.id.clone()).collect();
    let mut undrawn: Vec<PbcCall> = calls
        .iter()
        .filter(|c| {
            !model
                .integrations
                .iter()
                .any(|i| (i.from == c.from && i.to == c.to) || (i.from == c.to && i.to == c.from))
        })
        .cloned()
        .collect();
    undrawn.sort_by(|a, b| b.total.total_cmp(&a.total));
    TraceComparison {
        unit: model.time_unit,
        statistic: opts.statistic,
        threshold: opts.threshold,
        services,
        unmapped,
        pbcs,
        calls,
        integrations,
        slowest,
        undrawn,
        notes,
    }
}

fn measure_pbcs(
    model: &Model,
    summary: &TraceSummary,
    pbc_of: &HashMap<&str, &str>,
    opts: CompareOptions,
) -> Vec<PbcMeasured> {
    let mut out = Vec::new();
    for p in &model.pbcs {
        let mine: Vec<_> = summary
            .services
            .iter()
            .filter(|s| pbc_of.get(s.service.as_str()) == Some(&p.id.as_str()))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let (own, combined) = match mine.as_slice() {
            [one] => (one.own_per_trace.clone(), false),
            many => (
                Sketch::merge(many.iter().map(|s| &s.own_per_trace_sketch)).figures(),
                true,
            ),
        };
        let measured = ms_to_unit(model, opts.statistic.of(&own));
        let used: u64 = mine.iter().map(|s| s.used).sum();
        let errors: u64 = mine.iter().map(|s| s.errors).sum();
        let stages = model
            .assignments
            .iter()
            .filter(|a| a.pbc == p.id)
            .map(|a| StageTime {
                stream: a.stream.clone(),
                stage: a.stage.clone(),
                time: gap(a.process_time, measured, opts.threshold),
            })
            .collect();
        out.push(PbcMeasured {
            pbc: p.id.clone(),
            name: p.name.clone(),
            services: mine.iter().map(|s| s.service.clone()).collect(),
            spans: mine.iter().map(|s| s.spans).sum(),
            errors,
            error_share: if used == 0 {
                0.0
            } else {
                errors as f64 / used as f64
            },
            own_per_trace: own,
            combined,
            measured,
            stages,
        });
    }
    out
}

fn pbc_calls(
    model: &Model,
    summary: &TraceSummary,
    pbc_of: &HashMap<&str, &str>,
    opts: CompareOptions,
    notes: &mut Vec<String>,
) -> Vec<PbcCall> {
    let mut groups: BTreeMap<(&str, &str), Vec<&crate::summary::CallFigures>> = BTreeMap::new();
    let mut inside = 0u64;
    for c in &summary.calls {
        let (Some(f), Some(t)) = (pbc_of.get(c.from.as_str()), pbc_of.get(c.to.as_str())) else {
            continue;
        };
        if f == t {
            inside += c.calls;
            continue;
        }
        groups.entry((f, t)).or_default().push(c);
    }
    if inside > 0 {
        notes.push(format!(
            "{inside} calls between services of the same PBC are inside the PBC, not integrations"
        ));
    }
    groups
        .into_iter()
        .map(|((f, t), list)| {
            let (inclusive, combined) = match list.as_slice() {
                [one] => (one.inclusive.clone(), false),
                many => (
                    Sketch::merge(many.iter().map(|c| &c.inclusive_sketch)).figures(),
                    true,
                ),
            };
            let calls: u64 = list.iter().map(|c| c.calls).sum();
            let errors: u64 = list.iter().map(|c| c.errors).sum();
            PbcCall {
                from: f.to_owned(),
                to: t.to_owned(),
                calls,
                errors,
                error_share: if calls == 0 {
                    0.0
                } else {
                    errors as f64 / calls as f64
                },
                measured: ms_to_unit(model, opts.statistic.of(&inclusive)),
                total: ms_to_unit(model, inclusive.total_ms),
                inclusive,
                combined,
            }
        })
        .collect()
}

fn check_integrations(
    model: &Model,
    calls: &[PbcCall],
    opts: CompareOptions,
) -> Vec<IntegrationCheck> {
    model
        .integrations
        .iter()
        .map(|i| {
            let forward = calls.iter().find(|c| c.from == i.from && c.to == i.to);
            let back = calls.iter().find(|c| c.from == i.to && c.to == i.from);
            let (found, reversed) = match (forward, back) {
                (Some(c), _) => (Some(c), false),
                (None, Some(c)) => (Some(c), true),
                (None, None) => (None, false),
            };
            IntegrationCheck {
                id: i.id.clone(),
                from: i.from.clone(),
                to: i.to.clone(),
                style: i.style,
                latency: found.map(|c| gap(i.latency, c.measured, opts.threshold)),
                reversed,
                calls: found.map_or(0, |c| c.calls),
                error_share: found.map_or(0.0, |c| c.error_share),
                total: found.map_or(0.0, |c| c.total),
            }
        })
        .collect()
}
