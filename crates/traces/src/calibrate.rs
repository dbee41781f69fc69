//! Calibrating the map from traces: each integration whose calls were measured gets the
//! measured latency, and (on request) each PBC that serves exactly one stage gets its
//! measured own time per trace as the process time it adds there. Planned as one
//! `Command::Batch` (one undo step); the caller applies it. Pure: nothing is changed here.
//!
//! Values are in the model's unit (see [`crate::compare`] for the conversion), rounded to six
//! significant digits: latencies of milliseconds are tiny in hours and must not round to 0.

use serde::{Deserialize, Serialize};
use tributary_core::edit::Command;
use tributary_core::{Model, TimeUnit};
use ts_rs::TS;

use crate::compare::{CompareOptions, Statistic, compare};
use crate::error::{Error, Result};
use crate::summary::TraceSummary;

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(rename = "TraceCalibrateOptions")]
pub struct CalibrateOptions {
    pub statistic: Statistic,
    /// Also set the process time PBCs add at the stage they serve.
    pub pbc_times: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LatencyChange {
    pub integration: String,
    pub before: f64,
    pub after: f64,
    #[ts(type = "number")]
    pub calls: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PbcTimeChange {
    pub pbc: String,
    pub stream: String,
    pub stage: String,
    pub before: f64,
    pub after: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TraceCalibration {
    pub unit: TimeUnit,
    pub statistic: Statistic,
    /// The edit: one undo step.
    pub command: Command,
    pub latencies: Vec<LatencyChange>,
    pub pbc_times: Vec<PbcTimeChange>,
    /// What was left as it is, and why.
    pub skipped: Vec<String>,
}

/// Rounds to six significant digits.
pub fn round6(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 5 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Plans the calibration of `model` from `summary`.
pub fn plan(
    model: &Model,
    summary: &TraceSummary,
    opts: CalibrateOptions,
) -> Result<TraceCalibration> {
    let cmp = compare(
        model,
        summary,
        CompareOptions {
            statistic: opts.statistic,
            ..CompareOptions::default()
        },
    );
    let mut commands = Vec::new();
    let mut latencies = Vec::new();
    let mut skipped = Vec::new();
    for check in &cmp.integrations {
        let (Some(gap), Some(i)) = (
            &check.latency,
            model.integrations.iter().find(|i| i.id == check.id),
        ) else {
            skipped.push(format!(
                "integration {:?}: the traces show no call between {:?} and {:?}",
                check.id, check.from, check.to
            ));
            continue;
        };
        let after = round6(gap.measured);
        latencies.push(LatencyChange {
            integration: i.id.clone(),
            before: i.latency,
            after,
            calls: check.calls,
        });
        let mut changed = i.clone();
        changed.latency = after;
        commands.push(Command::UpdateIntegration {
            integration: changed,
        });
    }
    let pbc_times = if opts.pbc_times {
        plan_pbc_times(model, &cmp, &mut commands, &mut skipped)
    } else {
        Vec::new()
    };
    if commands.is_empty() {
        return Err(Error::NoData(format!(
            "nothing to calibrate: no integration or PBC of the model was measured ({})",
            if skipped.is_empty() {
                "map services to PBCs by listing them in the PBCs' systems".to_owned()
            } else {
                skipped.join("; ")
            }
        )));
    }
    let label = format!(
        "Calibrate from traces ({} of {} spans{})",
        opts.statistic.as_str(),
        summary.counts.used,
        summary
            .window
            .as_ref()
            .map(|w| format!(", {}..{}", w.from, w.to))
            .unwrap_or_default()
    );
    Ok(TraceCalibration {
        unit: model.time_unit,
        statistic: opts.statistic,
        command: Command::Batch { label, commands },
        latencies,
        pbc_times,
        skipped,
    })
}

/// A PBC's measured own time goes to its one assignment; with several stages the traces do
/// not say which stage a call belongs to, so it is left as it is.
fn plan_pbc_times(
    model: &Model,
    cmp: &crate::compare::TraceComparison,
    commands: &mut Vec<Command>,
    skipped: &mut Vec<String>,
) -> Vec<PbcTimeChange> {
    let mut out = Vec::new();
    for p in &cmp.pbcs {
        let mine: Vec<_> = model
            .assignments
            .iter()
            .filter(|a| a.pbc == p.pbc)
            .collect();
        let [a] = mine.as_slice() else {
            skipped.push(format!(
                "PBC {:?} serves {} stages; traces do not say which stage a call belongs to",
                p.pbc,
                mine.len()
            ));
            continue;
        };
        let after = round6(p.measured);
        out.push(PbcTimeChange {
            pbc: p.pbc.clone(),
            stream: a.stream.clone(),
            stage: a.stage.clone(),
            before: a.process_time,
            after,
        });
        let mut changed = (*a).clone();
        changed.process_time = after;
        commands.push(Command::UpdateAssignment {
            assignment: changed,
        });
    }
    out
}
