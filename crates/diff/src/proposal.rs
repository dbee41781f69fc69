//! A colleague's copy as a proposal: the differences that a scenario can hold (stage times,
//! %C&A and capacity, stream demand and cost of delay, PBCs on stages, run costs) become the
//! changes of one scenario of the current model, so that the proposal is judged by its
//! business case before anyone accepts it. What a scenario cannot hold is listed with why.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tributary_core::{Change, Model, Pbc, Scenario, scenario};
use ts_rs::TS;

use crate::diff::{FieldChange, ItemDiff, Status, items};
use crate::text::label;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Proposal {
    /// The scenario of their changes, to add to the model.
    pub scenario: Scenario,
    /// PBCs they added that the scenario puts on stages: they join the model serving no
    /// stage, so the baseline's figures do not change.
    pub new_pbcs: Vec<Pbc>,
    /// The scenario's changes, one line each.
    pub included: Vec<String>,
    /// The differences a scenario cannot hold.
    pub left_out: Vec<LeftOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct LeftOut {
    /// The difference, as the diff says it.
    pub text: String,
    /// Why a scenario cannot hold it.
    pub reason: String,
}

/// `theirs`'s differences from `ours` as scenario `id` named `name`.
pub fn proposal(ours: &Model, theirs: &Model, id: &str, name: &str) -> Proposal {
    let mut p = Builder {
        ours,
        theirs,
        changes: Vec::new(),
        new_pbcs: Vec::new(),
        left_out: Vec::new(),
    };
    let (settings, items) = items(ours, theirs);
    if !settings.is_empty() {
        let parts: Vec<&str> = settings.iter().map(|f| f.text.as_str()).collect();
        p.leave(
            &format!("model: {}", parts.join(", ")),
            "a scenario does not change the model's settings",
        );
    }
    for d in &items {
        p.item(d);
    }
    for d in items
        .iter()
        .filter(|d| d.kind == "PBC" && d.status == Status::Added)
    {
        if !p.new_pbcs.iter().any(|x| d.key.first() == Some(&x.id)) {
            p.leave(&d.text, "it serves no stage of this model in their copy, so a scenario has nothing to put it on");
        }
    }
    let mut with_pbcs = ours.clone();
    with_pbcs.pbcs.extend(p.new_pbcs.iter().cloned());
    Proposal {
        included: p
            .changes
            .iter()
            .map(|c| scenario::describe(&with_pbcs, c))
            .collect(),
        scenario: Scenario {
            id: id.to_owned(),
            name: name.to_owned(),
            description: None,
            changes: p.changes,
        },
        new_pbcs: p.new_pbcs,
        left_out: p.left_out,
    }
}

struct Builder<'m> {
    ours: &'m Model,
    theirs: &'m Model,
    changes: Vec<Change>,
    new_pbcs: Vec<Pbc>,
    left_out: Vec<LeftOut>,
}

fn number(f: &FieldChange) -> Option<f64> {
    f.after.as_ref().and_then(Value::as_f64)
}

impl Builder<'_> {
    fn leave(&mut self, text: &str, reason: &str) {
        self.left_out.push(LeftOut {
            text: text.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// Leaves out the fields a scenario cannot set, and a move.
    fn rest(&mut self, d: &ItemDiff, settable: &[&str], what: &str) {
        let subject = d.text.split(':').next().unwrap_or_default().to_owned();
        for f in d
            .fields
            .iter()
            .filter(|f| !settable.contains(&f.field.as_str()))
        {
            let reason = format!("a scenario changes {what}, not its {}", label(&f.field));
            self.leave(&format!("{subject}: {}", f.text), &reason);
        }
        if d.moved {
            self.leave(
                &format!("{subject}: moved"),
                "a scenario does not reorder a list",
            );
        }
    }

    fn item(&mut self, d: &ItemDiff) {
        let part = |i: usize| d.key.get(i).cloned().unwrap_or_default();
        match (d.kind.as_str(), d.status) {
            ("stage", Status::Changed) => self.stage(d, part(0)),
            ("stream", Status::Changed) => self.stream(d, part(0)),
            ("PBC", Status::Changed) => {
                if let Some(cost) = d
                    .fields
                    .iter()
                    .find(|f| f.field == "annual_run_cost")
                    .and_then(number)
                {
                    self.changes.push(Change::SetPbcRunCost {
                        pbc: part(0),
                        annual_run_cost: cost,
                    });
                }
                self.rest(d, &["annual_run_cost"], "a PBC's run cost");
            }
            ("PBC", Status::Added) => {} // taken when a stage gets it, below
            ("PBC", Status::Removed) => self.leave(
                &d.text,
                "a scenario does not delete PBCs; it takes this one off the stages it served",
            ),
            ("assignment", _) => self.assignment(d, [part(0), part(1), part(2)]),
            ("stage" | "stream", _) => {
                self.leave(&d.text, "a scenario cannot add or remove stages or streams")
            }
            ("edge", _) => self.leave(
                &d.text,
                "a scenario does not change the flow between stages",
            ),
            _ => self.leave(&d.text, &format!("a scenario does not change {}s", d.kind)),
        }
    }

    fn stage(&mut self, d: &ItemDiff, stage: String) {
        let get = |name: &str| d.fields.iter().find(|f| f.field == name);
        let process_time = get("process_time").and_then(number);
        let wait_time = get("wait_time").and_then(number);
        let pca = get("pca").and_then(number);
        let capacity = get("capacity").and_then(number);
        if get("capacity").is_some() && capacity.is_none() {
            self.leave(
                &d.text,
                "a scenario can set a stage's capacity, not remove it",
            );
        }
        if process_time.is_some() || wait_time.is_some() || pca.is_some() || capacity.is_some() {
            self.changes.push(Change::SetStage {
                stream: d.stream.clone().unwrap_or_default(),
                stage,
                process_time,
                wait_time,
                pca,
                capacity,
            });
        }
        self.rest(
            d,
            &["process_time", "wait_time", "pca", "capacity"],
            "a stage's times, %C&A and capacity",
        );
    }

    fn stream(&mut self, d: &ItemDiff, stream: String) {
        let get = |name: &str| d.fields.iter().find(|f| f.field == name).and_then(number);
        let (demand_per_week, cost_of_delay_per_week) =
            (get("demand_per_week"), get("cost_of_delay_per_week"));
        if demand_per_week.is_some() || cost_of_delay_per_week.is_some() {
            self.changes.push(Change::SetStream {
                stream,
                demand_per_week,
                cost_of_delay_per_week,
            });
        }
        self.rest(
            d,
            &["demand_per_week", "cost_of_delay_per_week"],
            "a stream's demand and cost of delay",
        );
    }

    fn assignment(&mut self, d: &ItemDiff, [pbc, stream, stage]: [String; 3]) {
        let on_stage = self
            .ours
            .stream(&stream)
            .and_then(|s| s.stage(&stage))
            .is_some();
        if !on_stage {
            return self.leave(&d.text, "the stage is not in this model");
        }
        if d.status == Status::Removed {
            self.changes
                .push(Change::UnassignPbc { pbc, stream, stage });
            return;
        }
        let Some(a) = self
            .theirs
            .assignments
            .iter()
            .find(|a| a.pbc == pbc && a.stream == stream && a.stage == stage)
        else {
            return;
        };
        if self.ours.pbc(&pbc).is_none() && !self.new_pbcs.iter().any(|p| p.id == pbc) {
            match self.theirs.pbc(&pbc) {
                Some(p) => self.new_pbcs.push(p.clone()),
                None => return self.leave(&d.text, "the PBC is in neither model"),
            }
        }
        let times = d.status == Status::Added
            || d.fields
                .iter()
                .any(|f| f.field == "process_time" || f.field == "wait_time");
        if times {
            self.changes.push(Change::AssignPbc {
                pbc,
                stream,
                stage,
                process_time: a.process_time,
                wait_time: a.wait_time,
            });
        }
        self.rest(
            d,
            &["process_time", "wait_time"],
            "a PBC's times at a stage",
        );
    }
}
