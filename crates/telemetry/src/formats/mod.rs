//! The import formats. Each parser reads one export and adds to a [`Parsed`]: items and events
//! in the neutral log, or deliveries. Parsers only read; checking the order of events and
//! storing them is [`crate::import`]'s job.

mod actions;
mod azure;
mod csv_util;
mod delivery;
mod events_csv;
mod export;
mod github;
mod gitlab;
mod jira;
mod jira_csv;
mod json;
mod pipelines;
mod sniff;
mod stage_dates;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Location, Result};
use crate::mapping::Mapping;
use crate::time::Zone;

pub(crate) use csv_util::raw_preview;
pub use export::{Export, Page};
pub use sniff::guess;

/// The formats `tributary telemetry import --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The neutral log: `item_id,item_type,timestamp,from_state,to_state[,title][,blocked]`.
    EventsCsv,
    /// Jira issues JSON with `expand=changelog`.
    JiraJson,
    /// Jira Data Center's data pipeline `issue_history` CSV.
    JiraHistoryCsv,
    /// Jira's plain issue CSV export: created and resolved dates only.
    JiraCsv,
    /// One column per workflow stage holding the date the item entered it.
    StageDatesCsv,
    /// Azure DevOps work item updates (`_apis/wit/workitems/{id}/updates`).
    AzureDevopsJson,
    /// GitLab resource state and label events.
    GitlabEventsJson,
    /// GitHub issue events with project column moves.
    GithubTimelineJson,
    /// GitHub Actions workflow runs of a deployment workflow.
    GithubActionsJson,
    /// GitLab pipelines of a deployment pipeline.
    GitlabPipelinesJson,
    /// Deployments, changes and incidents in one CSV.
    DeploymentsCsv,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::EventsCsv,
        Format::JiraJson,
        Format::JiraHistoryCsv,
        Format::JiraCsv,
        Format::StageDatesCsv,
        Format::AzureDevopsJson,
        Format::GitlabEventsJson,
        Format::GithubTimelineJson,
        Format::GithubActionsJson,
        Format::GitlabPipelinesJson,
        Format::DeploymentsCsv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::EventsCsv => "events-csv",
            Format::JiraJson => "jira-json",
            Format::JiraHistoryCsv => "jira-history-csv",
            Format::JiraCsv => "jira-csv",
            Format::StageDatesCsv => "stage-dates-csv",
            Format::AzureDevopsJson => "azure-devops-json",
            Format::GitlabEventsJson => "gitlab-events-json",
            Format::GithubTimelineJson => "github-timeline-json",
            Format::GithubActionsJson => "github-actions-json",
            Format::GitlabPipelinesJson => "gitlab-pipelines-json",
            Format::DeploymentsCsv => "deployments-csv",
        }
    }

    /// Whether the format holds deliveries (deployments, changes, incidents) rather than
    /// work items.
    pub fn is_delivery(self) -> bool {
        matches!(
            self,
            Format::GithubActionsJson | Format::GitlabPipelinesJson | Format::DeploymentsCsv
        )
    }

    pub fn is_csv(self) -> bool {
        self.as_str().ends_with("-csv")
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown format {s:?} (one of {})", names.join(", "))
            })
    }
}

/// Where a long job is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the input; `done` and `total` are bytes.
    Reading,
    /// Checking events against what is stored; counts are items.
    Checking,
    /// Writing to the model file; counts are records.
    Writing,
    /// Fetching from a tracker's API; counts are items (issues, work items, runs), of a total
    /// that is 0 while unknown.
    Fetching,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "ImportProgress")]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
}

/// Progress reports and cancellation for a long import. The app passes a callback that
/// forwards to its progress channel and a flag its Cancel button sets.
#[derive(Clone, Copy, Default)]
pub struct Control<'a> {
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    pub cancel: Option<&'a AtomicBool>,
}

impl Control<'_> {
    pub fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    pub fn report(&self, phase: Phase, done: u64, total: u64) {
        if let Some(p) = self.progress {
            p(Progress { phase, done, total });
        }
    }

    pub fn check(&self) -> Result<()> {
        if self.cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// What a parser needs besides the bytes.
pub struct Context<'a> {
    pub path: &'a Path,
    /// How to read times without an offset.
    pub zone: Zone,
    /// Keep names of people (assignee, actor, author).
    pub personal: bool,
    /// The stream's mapping, for formats whose item types are labels (GitHub, GitLab).
    pub mapping: &'a Mapping,
    pub control: Control<'a>,
    /// What to read of exports that hold more than one thing.
    pub select: &'a Select,
}

/// What to read of an export that holds more than the user wants: the stage columns of a
/// stage-dates CSV, the workflows, branch and event of GitHub Actions runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Select {
    /// Stage-dates CSV: the stage columns are `from` to `to` (header names), the rest are
    /// attributes. Detected when `None`.
    pub stages: Option<(String, String)>,
    /// GitHub Actions: the deployment workflows, by name, file name (`deploy.yml`) or id.
    pub workflows: Vec<String>,
    /// GitHub Actions: only runs of this branch.
    pub branch: Option<String>,
    /// GitHub Actions: only runs started by this event (`push`, `workflow_dispatch`, ...).
    pub event: Option<String>,
}

impl Select {
    pub const NONE: Select = Select {
        stages: None,
        workflows: Vec::new(),
        branch: None,
        event: None,
    };
}

impl Context<'_> {
    pub(crate) fn err(&self, location: Location, message: impl Into<String>) -> Error {
        Error::input(self.path, location, message)
    }

    pub(crate) fn person(&self, name: Option<&str>) -> Option<String> {
        if self.personal {
            name.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        } else {
            None
        }
    }
}

/// Counts bytes for the progress bar and stops reading when the user cancels.
struct Counting<'a, R> {
    inner: R,
    read: u64,
    total: u64,
    last: u64,
    control: Control<'a>,
}

const CANCELLED: &str = "tributary: import cancelled";

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.control.cancelled() {
            return Err(std::io::Error::other(CANCELLED));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.last >= 1 << 20 || n == 0 {
            self.last = self.read;
            self.control
                .report(Phase::Reading, self.read, self.total.max(self.read));
        }
        Ok(n)
    }
}

/// Reads and parses an input file in the given format.
pub fn parse_file(format: Format, cx: &Context<'_>) -> Result<Export> {
    let path = cx.path;
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: file,
            read: 0,
            total,
            last: 0,
            control: cx.control,
        },
    );
    sniff::check(&mut reader, format, cx)?;
    let result = parse(format, &mut reader, cx);
    if cx.control.cancelled() {
        return Err(Error::Cancelled);
    }
    result
}

/// Parses an export already in memory (fetched pages, tests, the app's drag and drop).
pub fn parse_bytes(format: Format, bytes: &[u8], cx: &Context<'_>) -> Result<Export> {
    let mut reader = BufReader::new(bytes);
    sniff::check(&mut reader, format, cx)?;
    parse(format, &mut reader, cx)
}

fn parse(format: Format, reader: &mut dyn BufRead, cx: &Context<'_>) -> Result<Export> {
    let mut out = Export::default();
    match format {
        Format::EventsCsv => events_csv::parse(reader, cx, &mut out)?,
        Format::JiraJson => jira::parse_json(reader, cx, &mut out)?,
        Format::JiraHistoryCsv => jira_csv::parse_history_csv(reader, cx, &mut out)?,
        Format::JiraCsv => jira_csv::parse_issue_csv(reader, cx, &mut out)?,
        Format::StageDatesCsv => stage_dates::parse(reader, cx, &mut out)?,
        Format::AzureDevopsJson => azure::parse(reader, cx, &mut out)?,
        Format::GitlabEventsJson => gitlab::parse_events(reader, cx, &mut out)?,
        Format::GithubTimelineJson => github::parse_timeline(reader, cx, &mut out)?,
        Format::GithubActionsJson => actions::parse(reader, cx, &mut out)?,
        Format::GitlabPipelinesJson => pipelines::parse(reader, cx, &mut out)?,
        Format::DeploymentsCsv => delivery::parse_csv(reader, cx, &mut out)?,
    }
    Ok(out)
}

pub(crate) fn io(cx: &Context<'_>, source: std::io::Error) -> Error {
    if source.to_string() == CANCELLED {
        return Error::Cancelled;
    }
    Error::Io {
        path: cx.path.to_owned(),
        source,
    }
}
