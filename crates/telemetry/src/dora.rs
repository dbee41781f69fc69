//! The DORA four keys from delivery data (REFERENCE.md section 6).
//!
//! - Deployment frequency: successful production deployments per UTC day of the window, zero
//!   days included, and the median per ISO week over the weeks wholly inside the window.
//! - Lead time for changes: median of deploy time - commit time over the changes deployed in
//!   the window; values <= 0 are ignored (and counted).
//! - Change failure rate: successful production deployments in the window that caused an
//!   incident / those deployments. `None` when no incident was ever imported (unknown, not 0).
//! - Time to restore: median of resolved - opened over the incidents opened in the window and
//!   resolved; open ones are counted.
//!
//! "Production" is an environment named production or prod (any case).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::flow::{DayCount, DayRange, Window};
use crate::stats::median;
use crate::time::{MS_PER_HOUR, day_of, format_day};

pub use tributary_core::telemetry::{ChangeRow, Deliveries, DeploymentRow, IncidentRow};

pub fn is_production(env: &str) -> bool {
    let e = env.trim();
    e.eq_ignore_ascii_case("production") || e.eq_ignore_ascii_case("prod")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeploymentFrequency {
    pub deployments: u64,
    pub per_day: Vec<DayCount>,
    pub mean_per_day: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub median_per_week: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeadTimeForChanges {
    /// Changes deployed in the window with a positive lead time.
    pub changes: u64,
    /// Changes left out because deploy time <= commit time.
    pub ignored: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub median_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub median_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeFailureRate {
    pub deployments: u64,
    pub caused_incident: u64,
    /// `None` when no incident data exists (unknown rather than 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TimeToRestore {
    pub incidents: u64,
    /// Opened in the window and not resolved.
    pub open: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub median_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DoraReport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    pub window: Window,
    pub deployment_frequency: DeploymentFrequency,
    pub lead_time_for_changes: LeadTimeForChanges,
    pub change_failure_rate: ChangeFailureRate,
    pub time_to_restore: TimeToRestore,
    pub notes: Vec<String>,
}

/// The four keys over `from..=to` (default: the span of the delivery data).
pub fn compute(
    d: &Deliveries,
    stream: Option<&str>,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<DoraReport> {
    let range = DayRange::resolve(from, to, d.span()).map_err(|e| match e {
        Error::NoData(_) => Error::NoData(
            "there is no delivery data; import deployments with `tributary telemetry import --format github-actions-json | gitlab-pipelines-json | deployments-csv`".into(),
        ),
        e => e,
    })?;
    let mut notes = Vec::new();
    let prod: Vec<&DeploymentRow> = d
        .deployments
        .iter()
        .filter(|x| x.succeeded && is_production(&x.environment) && range.contains(day_of(x.at)))
        .collect();
    let deployment_frequency = frequency(&prod, range, &mut notes);
    let lead_time_for_changes = lead_time(d, range, &mut notes);
    let change_failure_rate = failure_rate(d, &prod, &mut notes);
    let time_to_restore = restore_time(d, range);
    if prod.is_empty() {
        notes.push(format!(
            "no successful production deployment between {} and {}",
            format_day(range.from),
            format_day(range.to)
        ));
    }
    Ok(DoraReport {
        stream: stream.map(str::to_owned),
        window: range.into(),
        deployment_frequency,
        lead_time_for_changes,
        change_failure_rate,
        time_to_restore,
        notes,
    })
}

/// Successful production deployments per day of the window, and the median per whole week.
fn frequency(
    prod: &[&DeploymentRow],
    range: DayRange,
    notes: &mut Vec<String>,
) -> DeploymentFrequency {
    let n = range.len();
    let mut per_day = vec![0u64; n];
    for x in prod {
        per_day[(day_of(x.at) - range.from) as usize] += 1;
    }
    let weeks = crate::time::weekly(range.from, &per_day);
    let full: Vec<f64> = weeks
        .iter()
        .filter(|w| w.1 == 7)
        .map(|w| w.2 as f64)
        .collect();
    if full.is_empty() {
        notes.push("the window holds no whole week: no median per week".into());
    }
    DeploymentFrequency {
        deployments: prod.len() as u64,
        per_day: per_day
            .iter()
            .enumerate()
            .map(|(i, c)| DayCount {
                date: format_day(range.from + i as i64),
                count: *c,
            })
            .collect(),
        mean_per_day: prod.len() as f64 / n as f64,
        median_per_week: median(&full),
    }
}

/// Deploy time less commit time of the changes deployed in the window (values <= 0 ignored).
fn lead_time(d: &Deliveries, range: DayRange, notes: &mut Vec<String>) -> LeadTimeForChanges {
    let mut leads = Vec::new();
    let mut ignored = 0;
    for c in &d.changes {
        if !range.contains(day_of(c.deployed_at)) {
            continue;
        }
        let lt = c.deployed_at - c.committed_at;
        if lt <= 0 {
            ignored += 1;
        } else {
            leads.push(lt as f64 / MS_PER_HOUR as f64);
        }
    }
    if d.changes.is_empty() {
        notes.push("no changes with commit times: lead time for changes is unknown".into());
    }
    let median_hours = median(&leads);
    LeadTimeForChanges {
        changes: leads.len() as u64,
        ignored,
        median_hours,
        median_days: median_hours.map(|h| h / 24.0),
    }
}

/// The production deployments an incident names as its cause, of all of them; unknown
/// without incident data.
fn failure_rate(
    d: &Deliveries,
    prod: &[&DeploymentRow],
    notes: &mut Vec<String>,
) -> ChangeFailureRate {
    let caused: HashSet<(&str, &str)> = d
        .incidents
        .iter()
        .filter_map(|i| {
            i.deployment_id
                .as_deref()
                .map(|dep| (i.stream.as_str(), dep))
        })
        .collect();
    let failed = prod
        .iter()
        .filter(|x| caused.contains(&(x.stream.as_str(), x.id.as_str())))
        .count() as u64;
    let rate = if d.incidents.is_empty() {
        notes.push(
            "no incident data: the change failure rate and time to restore are unknown".into(),
        );
        None
    } else if prod.is_empty() {
        None
    } else {
        Some(failed as f64 / prod.len() as f64)
    };
    ChangeFailureRate {
        deployments: prod.len() as u64,
        caused_incident: failed,
        rate,
    }
}

/// Resolved less opened of the incidents opened in the window; open ones counted.
fn restore_time(d: &Deliveries, range: DayRange) -> TimeToRestore {
    let mut restore = Vec::new();
    let mut open = 0;
    for i in &d.incidents {
        if !range.contains(day_of(i.opened_at)) {
            continue;
        }
        match i.resolved_at {
            Some(r) => restore.push((r - i.opened_at) as f64 / MS_PER_HOUR as f64),
            None => open += 1,
        }
    }
    TimeToRestore {
        incidents: restore.len() as u64 + open,
        open,
        median_hours: median(&restore),
    }
}
