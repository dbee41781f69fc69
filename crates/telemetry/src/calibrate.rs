//! Calibrating the map from measured flow: each stage's measured active time becomes its
//! process time and its measured waiting time (blocked included) its wait time, written into
//! the baseline or into a scenario as one [`Command::Batch`] (one undo step).
//!
//! Measured times are elapsed calendar time; the map holds working time in the model's unit.
//! A calendar week of elapsed time counts as one working week of the model's calendar, so
//! elapsed hours are scaled by `hours_per_day x days_per_week / 168` (8 x 5: one calendar day
//! = 5.71 working hours). The stage's own time is set so that own + what its PBCs add equals
//! the measured value (never below 0). Values are rounded to 2 decimals of the model's unit.

use serde::{Deserialize, Serialize};
use tributary_core::edit::Command;
use tributary_core::{Change, Model, Scenario, TimeUnit};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::flow::FlowReport;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    #[default]
    Median,
    Mean,
}

impl Statistic {
    pub fn as_str(self) -> &'static str {
        match self {
            Statistic::Median => "median",
            Statistic::Mean => "mean",
        }
    }
}

impl std::str::FromStr for Statistic {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "median" => Ok(Statistic::Median),
            "mean" => Ok(Statistic::Mean),
            other => Err(format!("unknown statistic {other:?} (median or mean)")),
        }
    }
}

/// Where the measured values go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Baseline,
    /// A scenario, by name or id: updated if it exists, created otherwise.
    Scenario {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StageCalibration {
    pub stage: String,
    pub name: String,
    /// Items done in the window that passed through the stage.
    pub items: u64,
    /// The stage's own times before and after, in the model's unit.
    pub process_before: f64,
    pub process_after: f64,
    pub wait_before: f64,
    pub wait_after: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Calibration {
    pub stream: String,
    pub statistic: Statistic,
    pub target: Target,
    pub unit: TimeUnit,
    /// The edit: one undo step.
    pub command: Command,
    pub stages: Vec<StageCalibration>,
    /// Stages left as they are, and why.
    pub skipped: Vec<String>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Plans the calibration of `report.stream` from its measured flow.
pub fn plan(
    model: &Model,
    report: &FlowReport,
    statistic: Statistic,
    target: &Target,
) -> Result<Calibration> {
    let stream = model
        .stream(&report.stream)
        .ok_or_else(|| Error::Invalid(format!("stream {:?} is not in the model", report.stream)))?;
    let drawn = tributary_core::metrics::compute_stream(model, &stream.id)?;
    let mut stages = Vec::new();
    let mut skipped = Vec::new();
    for sf in &report.stages {
        match stage_plan(stream, &drawn, sf, statistic) {
            Ok(c) => stages.push(c),
            Err(why) => skipped.push(why),
        }
    }
    if stages.is_empty() {
        return Err(Error::NoData(format!(
            "no stage of stream {:?} has measured times: map statuses to its stages (a [stages] table) and choose a window in which items were done{}",
            stream.id,
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" ({})", skipped.join("; "))
            }
        )));
    }
    let label = format!(
        "Calibrate {} from measured flow ({} of {} items, {}..{})",
        stream.name,
        statistic.as_str(),
        report.counts.done_with_start,
        report.window.from,
        report.window.to
    );
    let inner = match target {
        Target::Baseline => stage_updates(stream, &stages),
        Target::Scenario { name } => {
            let description = format!(
                "Stage times of {} measured from telemetry ({} of the items done {}..{})",
                stream.name,
                statistic.as_str(),
                report.window.from,
                report.window.to
            );
            vec![scenario_command(
                model,
                name,
                description,
                set_stages(stream, &stages),
            )]
        }
    };
    Ok(Calibration {
        stream: stream.id.clone(),
        statistic,
        target: target.clone(),
        unit: model.time_unit,
        command: Command::Batch {
            label,
            commands: inner,
        },
        stages,
        skipped,
    })
}

/// One stage's calibration: the measured statistic less what its PBCs add; or why the stage
/// is left as drawn.
fn stage_plan(
    stream: &tributary_core::Stream,
    drawn: &tributary_core::metrics::StreamMetrics,
    sf: &crate::flow::StageFlow,
    statistic: Statistic,
) -> std::result::Result<StageCalibration, String> {
    let Some(stage) = stream.stage(&sf.stage) else {
        return Err(format!(
            "{:?}: not a stage of the stream any more",
            sf.stage
        ));
    };
    let (p, w) = match statistic {
        Statistic::Median => (sf.measured.process_p50, sf.measured.wait_p50),
        Statistic::Mean => (sf.measured.process_mean, sf.measured.wait_mean),
    };
    let (Some(p), Some(w)) = (p, w) else {
        return Err(format!(
            "{}: no item done in the window passed through it",
            stage.name
        ));
    };
    let (pbc_p, pbc_w) = drawn
        .stages
        .iter()
        .find(|s| s.id == stage.id)
        .map_or((0.0, 0.0), |s| (s.pbc_process_time, s.pbc_wait_time));
    let mut notes = Vec::new();
    if p < pbc_p {
        notes.push(format!(
            "its PBCs alone add {pbc_p:.2} of process time, more than the {p:.2} measured"
        ));
    }
    if w < pbc_w {
        notes.push(format!(
            "its PBCs alone add {pbc_w:.2} of wait time, more than the {w:.2} measured"
        ));
    }
    Ok(StageCalibration {
        stage: stage.id.clone(),
        name: stage.name.clone(),
        items: sf.items,
        process_before: stage.process_time,
        process_after: round2((p - pbc_p).max(0.0)),
        wait_before: stage.wait_time,
        wait_after: round2((w - pbc_w).max(0.0)),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    })
}

/// The baseline's edits: each calibrated stage updated.
fn stage_updates(stream: &tributary_core::Stream, stages: &[StageCalibration]) -> Vec<Command> {
    stages
        .iter()
        .filter_map(|c| {
            let mut s = stream.stage(&c.stage)?.clone();
            s.process_time = c.process_after;
            s.wait_time = c.wait_after;
            Some(Command::UpdateStage {
                stream: stream.id.clone(),
                stage: s,
            })
        })
        .collect()
}

/// A scenario's changes: each calibrated stage set.
fn set_stages(stream: &tributary_core::Stream, stages: &[StageCalibration]) -> Vec<Change> {
    stages
        .iter()
        .map(|c| Change::SetStage {
            stream: stream.id.clone(),
            stage: c.stage.clone(),
            process_time: Some(c.process_after),
            wait_time: Some(c.wait_after),
            pca: None,
            capacity: None,
        })
        .collect()
}

/// Adds the scenario `name`, or updates the one of that name or id: its other changes are
/// kept, its changes of the same stages replaced.
fn scenario_command(
    model: &Model,
    name: &str,
    description: String,
    changes: Vec<Change>,
) -> Command {
    let existing = model
        .scenarios
        .iter()
        .find(|s| s.name == *name || s.id == *name);
    let Some(sc) = existing else {
        return Command::AddScenario {
            scenario: Scenario {
                id: String::new(),
                name: name.to_owned(),
                description: Some(description),
                changes,
            },
        };
    };
    let mut sc = sc.clone();
    for ch in changes {
        let Change::SetStage {
            stream: st,
            stage: sg,
            process_time,
            wait_time,
            ..
        } = &ch
        else {
            continue;
        };
        let found = sc.changes.iter_mut().find(
            |c| matches!(c, Change::SetStage { stream, stage, .. } if stream == st && stage == sg),
        );
        match found {
            Some(Change::SetStage {
                process_time: p,
                wait_time: w,
                ..
            }) => {
                *p = *process_time;
                *w = *wait_time;
            }
            _ => sc.changes.push(ch),
        }
    }
    Command::UpdateScenario { scenario: sc }
}
