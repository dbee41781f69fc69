//! Deliveries for the DORA keys: the deployments CSV (deployments, changes and incidents in
//! one file), and what the pipeline formats share (the production environment, one change per
//! commit at its first deployment).

use std::collections::HashMap;
use std::io::BufRead;

use super::csv_util::{self, field, line_of};
use super::{Context, Export};
use crate::error::{Location, Result};
use crate::event::{Change, Deployment, Incident};
use crate::time::parse_instant;

pub const PRODUCTION: &str = "production";

/// Adds the change a successful deployment shipped, unless the same commit was deployed
/// earlier (a commit runs through several pipelines, or is deployed again): its lead time ends
/// at its first deployment. `commits` maps each commit to its change.
pub(crate) fn first_deployment(out: &mut Export, commits: &mut HashMap<String, usize>, c: Change) {
    match commits.get(&c.id) {
        Some(&i) => {
            if c.deployed_at < out.changes[i].deployed_at {
                out.changes[i] = c;
            }
        }
        None => {
            commits.insert(c.id.clone(), out.changes.len());
            out.changes.push(c);
        }
    }
}

const REQUIRED: &[&str] = &["type", "id", "timestamp"];
const KNOWN: &[&str] = &[
    "type",
    "id",
    "timestamp",
    "environment",
    "status",
    "commit_timestamp",
    "deployment_id",
    "resolved_timestamp",
];

/// `type,id,timestamp,environment,status,commit_timestamp,deployment_id,resolved_timestamp`;
/// `type` is deployment, change or incident. See docs/telemetry.md.
pub(crate) fn parse_csv(input: &mut dyn BufRead, cx: &Context<'_>, out: &mut Export) -> Result<()> {
    let mut rdr = csv_util::reader(input);
    let cols = csv_util::columns(&mut rdr, cx, REQUIRED, KNOWN)?;
    let mut rec = csv::StringRecord::new();
    let mut seen: HashMap<(String, String), (u64, csv::StringRecord)> = HashMap::new();
    while rdr
        .read_record(&mut rec)
        .map_err(|e| csv_util::error(cx, e))?
    {
        out.begin_row();
        let row = Row {
            rec: &rec,
            cols: &cols,
            cx,
            loc: Location::Line(line_of(&rec)),
        };
        if let Some(first) = row.repeats(&mut seen)? {
            let what = format!(
                "{} {:?} repeats line {first}",
                row.get("type").to_ascii_lowercase(),
                row.get("id")
            );
            out.duplicate_row(row.loc.clone(), what);
            continue;
        }
        row.read(out)?;
    }
    Ok(())
}

/// One row of the deployments CSV.
struct Row<'r> {
    rec: &'r csv::StringRecord,
    cols: &'r HashMap<String, usize>,
    cx: &'r Context<'r>,
    loc: Location,
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        field(self.rec, self.cols, name)
    }

    fn err(&self, message: String) -> crate::error::Error {
        self.cx.err(self.loc.clone(), message)
    }

    /// A time column, `None` when empty.
    fn time(&self, name: &str) -> Result<Option<i64>> {
        let t = self.get(name);
        if t.is_empty() {
            return Ok(None);
        }
        parse_instant(t, &self.cx.zone, false)
            .map(Some)
            .map_err(|m| self.err(format!("{name}: {m}")))
    }

    /// The line of an earlier row this one repeats exactly; a row with the key of an earlier
    /// one but other values is refused, naming both lines.
    fn repeats(
        &self,
        seen: &mut HashMap<(String, String), (u64, csv::StringRecord)>,
    ) -> Result<Option<u64>> {
        let kind = self.get("type").to_ascii_lowercase();
        let mut id = self.get("id").to_owned();
        if kind == "change" {
            id = format!("{id} deployed {}", self.get("timestamp"));
        }
        let line = line_of(self.rec);
        match seen.get(&(kind.clone(), id.clone())) {
            Some((l, first)) if first.iter().eq(self.rec.iter()) => Ok(Some(*l)),
            Some((l, _)) => Err(self.err(format!(
                "{kind} {:?} repeats line {l} with other values",
                self.get("id")
            ))),
            None => {
                seen.insert((kind, id), (line, self.rec.clone()));
                Ok(None)
            }
        }
    }

    fn read(&self, out: &mut Export) -> Result<()> {
        let id = self.get("id");
        if id.is_empty() {
            return Err(self.err("id is empty".into()));
        }
        let Some(at) = self.time("timestamp")? else {
            return Err(self.err("timestamp is empty".into()));
        };
        let deployment_id = Some(self.get("deployment_id"))
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        match self.get("type").to_ascii_lowercase().as_str() {
            "deployment" => self.deployment(id, at, out),
            "change" => {
                let Some(committed_at) = self.time("commit_timestamp")? else {
                    return Err(self.err(format!("change {id:?}: commit_timestamp is empty")));
                };
                out.changes.push(Change {
                    id: id.to_owned(),
                    committed_at,
                    deployed_at: at,
                    deployment_id,
                    author: None,
                    location: self.loc.clone(),
                });
                Ok(())
            }
            "incident" => {
                let resolved_at = self.time("resolved_timestamp")?;
                if resolved_at.is_some_and(|r| r < at) {
                    return Err(
                        self.err(format!("incident {id:?} is resolved before it was opened"))
                    );
                }
                out.incidents.push(Incident {
                    id: id.to_owned(),
                    opened_at: at,
                    resolved_at,
                    deployment_id,
                    location: self.loc.clone(),
                });
                Ok(())
            }
            other => Err(self.err(format!(
                "type {other:?}: a row is a deployment, change or incident"
            ))),
        }
    }

    fn deployment(&self, id: &str, at: i64, out: &mut Export) -> Result<()> {
        let succeeded = match self.get("status").to_ascii_lowercase().as_str() {
            "" | "success" | "succeeded" => true,
            "failure" | "failed" => false,
            other => {
                return Err(self.err(format!(
                    "status {other:?}: a deployment's status is success or failure"
                )));
            }
        };
        let env = self.get("environment");
        out.deployments.push(Deployment {
            id: id.to_owned(),
            at,
            environment: if env.is_empty() {
                PRODUCTION.into()
            } else {
                env.to_owned()
            },
            succeeded,
            location: self.loc.clone(),
        });
        Ok(())
    }
}
