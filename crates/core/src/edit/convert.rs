//! Converting a model to another time unit: every duration multiplied by one factor of the
//! work calendar (8 h x 5 d: 1 day = 8 hours, 1 week = 5 days), in one undo step.

use crate::model::*;

use super::Delta;

/// The deltas that change the time unit to `to` and convert every duration.
pub fn plan(model: &Model, to: TimeUnit) -> Vec<Delta> {
    let from = model.time_unit;
    if from == to {
        return Vec::new();
    }
    let f = model.calendar.convert(1.0, from, to);
    let mut settings = model.settings();
    settings.time_unit = to;
    let mut out = vec![Delta::Settings {
        before: Box::new(model.settings()),
        after: Box::new(settings),
    }];
    for s in &model.streams {
        for (i, st) in s.stages.iter().enumerate() {
            out.push(Delta::of(
                Some(&s.id),
                Some((i, st)),
                Some((i, &stage(st, f))),
            ));
        }
    }
    out.extend(each(&model.assignments, |a| Assignment {
        process_time: a.process_time * f,
        wait_time: a.wait_time * f,
        ..a.clone()
    }));
    out.extend(each(&model.integrations, |x| Integration {
        latency: x.latency * f,
        interval: x.interval.map(|t| t * f),
        ..x.clone()
    }));
    out.extend(each(&model.scenarios, |s| Scenario {
        changes: s.changes.iter().map(|c| change(c, f)).collect(),
        ..s.clone()
    }));
    out
}

/// A delta for every item of a list that `convert` changes.
fn each<T: crate::entity::Entity>(list: &[T], convert: impl Fn(&T) -> T) -> Vec<Delta> {
    list.iter()
        .enumerate()
        .filter_map(|(i, x)| {
            let y = convert(x);
            (y != *x).then(|| Delta::of(None, Some((i, x)), Some((i, &y))))
        })
        .collect()
}

fn stage(st: &Stage, f: f64) -> Stage {
    Stage {
        process_time: st.process_time * f,
        wait_time: st.wait_time * f,
        uncertainty: st.uncertainty.as_ref().map(|u| Uncertainty {
            process: u.process.as_ref().map(|d| distribution(d, f)),
            wait: u.wait.as_ref().map(|d| distribution(d, f)),
            ..u.clone()
        }),
        ..st.clone()
    }
}

fn distribution(d: &Distribution, f: f64) -> Distribution {
    match d {
        Distribution::Fixed { value } => Distribution::Fixed { value: value * f },
        Distribution::Uniform { min, max } => Distribution::Uniform {
            min: min * f,
            max: max * f,
        },
        Distribution::Triangular { min, mode, max } => Distribution::Triangular {
            min: min * f,
            mode: mode * f,
            max: max * f,
        },
        Distribution::Lognormal { median, p90 } => Distribution::Lognormal {
            median: median * f,
            p90: p90 * f,
        },
        Distribution::Empirical { values } => Distribution::Empirical {
            values: values.iter().map(|v| v * f).collect(),
        },
    }
}

/// A scenario change with its durations converted (weeks of investment stay weeks).
fn change(c: &Change, f: f64) -> Change {
    let scale = |v: &Option<f64>| v.map(|v| v * f);
    match c {
        Change::SwapPbc {
            from,
            to,
            stream,
            process_time,
            wait_time,
        } => Change::SwapPbc {
            from: from.clone(),
            to: to.clone(),
            stream: stream.clone(),
            process_time: scale(process_time),
            wait_time: scale(wait_time),
        },
        Change::AssignPbc {
            pbc,
            stream,
            stage,
            process_time,
            wait_time,
        } => Change::AssignPbc {
            pbc: pbc.clone(),
            stream: stream.clone(),
            stage: stage.clone(),
            process_time: process_time * f,
            wait_time: wait_time * f,
        },
        Change::SetStage {
            stream,
            stage,
            process_time,
            wait_time,
            pca,
            capacity,
        } => Change::SetStage {
            stream: stream.clone(),
            stage: stage.clone(),
            process_time: scale(process_time),
            wait_time: scale(wait_time),
            pca: *pca,
            capacity: *capacity,
        },
        Change::SetIntegration {
            integration,
            style,
            latency,
            interval,
            calls_per_item,
        } => Change::SetIntegration {
            integration: integration.clone(),
            style: *style,
            latency: scale(latency),
            interval: scale(interval),
            calls_per_item: *calls_per_item,
        },
        other => other.clone(),
    }
}
