//! Random edits of a model, made the way a user makes them: commands planned and applied by
//! the engine (a command the engine refuses is skipped), so every edited model is one a
//! person could have made from the base.

use proptest::prelude::*;
use tributary_core::edit::{self, Command};
use tributary_core::*;

#[derive(Debug, Clone)]
pub enum Op {
    Wait(usize, usize, f64),
    Process(usize, usize, f64),
    Rename(usize, usize, u8),
    AddStage(usize, usize, f64),
    DeleteStage(usize, usize),
    MoveStage(usize, usize, usize),
    Connect(usize, usize, usize),
    Demand(usize, f64),
    AddPbc(u8, f64),
    DeletePbc(usize),
    RunCost(usize, f64),
    Assign(usize, usize, usize, f64),
    Unassign(usize),
    AssignmentWait(usize, f64),
    AddScenario(usize, usize, f64),
    DeleteStream(usize),
    RemoveChange(usize),
    Currency(bool),
}

pub fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..8;
    prop_oneof![
        (i(), i(), 0.0..100.0f64).prop_map(|(a, b, v)| Op::Wait(a, b, v.round())),
        (i(), i(), 0.0..20.0f64).prop_map(|(a, b, v)| Op::Process(a, b, v.round())),
        (i(), i(), 0u8..3).prop_map(|(a, b, n)| Op::Rename(a, b, n)),
        (i(), i(), 0.0..50.0f64).prop_map(|(a, b, v)| Op::AddStage(a, b, v.round())),
        (i(), i()).prop_map(|(a, b)| Op::DeleteStage(a, b)),
        (i(), i(), i()).prop_map(|(a, b, c)| Op::MoveStage(a, b, c)),
        (i(), i(), i()).prop_map(|(a, b, c)| Op::Connect(a, b, c)),
        (i(), 0.0..200.0f64).prop_map(|(a, v)| Op::Demand(a, v.round())),
        (0u8..4, 0.0..1e5f64).prop_map(|(n, v)| Op::AddPbc(n, v.round())),
        i().prop_map(Op::DeletePbc),
        (i(), 0.0..1e5f64).prop_map(|(a, v)| Op::RunCost(a, v.round())),
        (i(), i(), i(), 0.0..10.0f64).prop_map(|(a, b, c, v)| Op::Assign(a, b, c, v.round())),
        i().prop_map(Op::Unassign),
        (i(), 0.0..40.0f64).prop_map(|(a, v)| Op::AssignmentWait(a, v.round())),
        (i(), i(), 0.0..50.0f64).prop_map(|(a, b, v)| Op::AddScenario(a, b, v.round())),
        i().prop_map(Op::DeleteStream),
        i().prop_map(Op::RemoveChange),
        any::<bool>().prop_map(Op::Currency),
    ]
}

/// A random model with a scenario of a few changes, for edits to work on.
pub fn base() -> impl Strategy<Value = Model> {
    tributary_core::testkit::arb_model().prop_map(|mut m| {
        let mut changes: Vec<Change> = m.streams[0]
            .stages
            .iter()
            .take(3)
            .map(|st| Change::SetStage {
                stream: m.streams[0].id.clone(),
                stage: st.id.clone(),
                process_time: None,
                wait_time: Some(st.wait_time / 2.0),
                pca: Some(1.0),
                capacity: None,
            })
            .collect();
        changes.push(Change::Investment {
            name: "Work".into(),
            amount: 1e5,
            duration_weeks: 4.0,
        });
        m.scenarios.push(Scenario {
            id: "future".into(),
            name: "Future".into(),
            description: None,
            changes,
        });
        m
    })
}

pub fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 0..6)
}

fn pick<T>(list: &[T], i: usize) -> Option<&T> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

/// The command an op makes on `m`, if it names something there.
fn command(m: &Model, op: &Op) -> Option<Command> {
    let stage_of = |s: usize, st: usize| {
        let stream = pick(&m.streams, s)?;
        Some((stream, pick(&stream.stages, st)?))
    };
    Some(match op {
        Op::Wait(s, st, v) => update_stage(stage_of(*s, *st)?, |x| x.wait_time = *v),
        Op::Process(s, st, v) => update_stage(stage_of(*s, *st)?, |x| x.process_time = *v),
        Op::Rename(s, st, n) => {
            update_stage(stage_of(*s, *st)?, |x| x.name = format!("{} v{n}", x.name))
        }
        Op::AddStage(s, at, v) => {
            let stream = pick(&m.streams, *s)?;
            let stage = Stage {
                id: String::new(),
                name: format!("New {}", stream.stages.len()),
                process_time: 1.0,
                wait_time: *v,
                pca: 1.0,
                capacity: None,
                team: None,
                position: None,
                uncertainty: None,
                note: None,
            };
            let connect_from = pick(&stream.stages, *at).map(|x| x.id.clone());
            Command::AddStage {
                stream: stream.id.clone(),
                stage,
                index: Some(*at as u32),
                connect_from,
            }
        }
        Op::DeleteStage(s, st) => {
            let (stream, stage) = stage_of(*s, *st)?;
            Command::DeleteStage {
                stream: stream.id.clone(),
                id: stage.id.clone(),
            }
        }
        Op::MoveStage(s, st, to) => {
            let (stream, stage) = stage_of(*s, *st)?;
            Command::MoveStage {
                stream: stream.id.clone(),
                id: stage.id.clone(),
                index: *to as u32,
            }
        }
        Op::Connect(s, a, b) => {
            let stream = pick(&m.streams, *s)?;
            let (a, b) = (pick(&stream.stages, *a)?, pick(&stream.stages, *b)?);
            Command::Connect {
                stream: stream.id.clone(),
                from: a.id.clone(),
                to: b.id.clone(),
            }
        }
        Op::Demand(s, v) => {
            let mut stream = pick(&m.streams, *s)?.header();
            stream.demand_per_week = *v;
            Command::UpdateStream { stream }
        }
        Op::AddPbc(n, cost) => Command::AddPbc {
            pbc: Pbc {
                id: format!("new-{n}"),
                name: format!("New PBC {n}"),
                domain: None,
                team: None,
                kind: PbcKind::Saas,
                lifecycle: Lifecycle::Invest,
                annual_run_cost: *cost,
                systems: vec![format!("system {n}")],
            },
        },
        Op::DeletePbc(p) => Command::DeletePbc {
            id: pick(&m.pbcs, *p)?.id.clone(),
        },
        Op::RunCost(p, v) => {
            let mut pbc = pick(&m.pbcs, *p)?.clone();
            pbc.annual_run_cost = *v;
            Command::UpdatePbc { pbc }
        }
        Op::Assign(p, s, st, v) => {
            let pbc = pick(&m.pbcs, *p)?;
            let (stream, stage) = stage_of(*s, *st)?;
            Command::Assign {
                assignment: Assignment {
                    pbc: pbc.id.clone(),
                    stream: stream.id.clone(),
                    stage: stage.id.clone(),
                    process_time: *v,
                    wait_time: 1.0,
                    note: None,
                },
            }
        }
        Op::Unassign(a) => {
            let a = pick(&m.assignments, *a)?;
            Command::Unassign {
                pbc: a.pbc.clone(),
                stream: a.stream.clone(),
                stage: a.stage.clone(),
            }
        }
        Op::AssignmentWait(a, v) => {
            let mut a = pick(&m.assignments, *a)?.clone();
            a.wait_time = *v;
            Command::UpdateAssignment { assignment: a }
        }
        Op::AddScenario(s, st, v) => {
            let (stream, stage) = stage_of(*s, *st)?;
            let change = Change::SetStage {
                stream: stream.id.clone(),
                stage: stage.id.clone(),
                process_time: None,
                wait_time: Some(*v),
                pca: None,
                capacity: None,
            };
            match m.scenarios.first() {
                Some(sc) => Command::UpsertChange {
                    scenario: sc.id.clone(),
                    change,
                },
                None => Command::AddScenario {
                    scenario: Scenario {
                        id: "future".into(),
                        name: "Future".into(),
                        description: None,
                        changes: vec![change],
                    },
                },
            }
        }
        Op::DeleteStream(s) => {
            if m.streams.len() < 2 {
                return None;
            }
            Command::DeleteStream {
                id: pick(&m.streams, *s)?.id.clone(),
            }
        }
        Op::RemoveChange(i) => {
            let sc = m.scenarios.first()?;
            (!sc.changes.is_empty()).then_some(())?;
            Command::RemoveChange {
                scenario: sc.id.clone(),
                index: (*i % sc.changes.len()) as u32,
            }
        }
        Op::Currency(usd) => {
            let mut settings = m.settings();
            settings.currency = if *usd { "USD" } else { "GBP" }.into();
            Command::SetSettings { settings }
        }
    })
}

fn update_stage((stream, stage): (&Stream, &Stage), f: impl FnOnce(&mut Stage)) -> Command {
    let mut new = stage.clone();
    f(&mut new);
    Command::UpdateStage {
        stream: stream.id.clone(),
        stage: new,
    }
}

/// `m` with the ops applied, each as the engine plans it.
pub fn edited(m: &Model, ops: &[Op]) -> Model {
    let mut out = m.clone();
    for op in ops {
        let Some(cmd) = command(&out, op) else {
            continue;
        };
        if let Ok(d) = edit::plan(&out, &cmd) {
            let mut next = out.clone();
            if edit::apply(&mut next, &d).is_ok() && validate::ensure_valid(&next).is_ok() {
                out = next;
            }
        }
    }
    out
}
