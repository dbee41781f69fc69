//! Generators for tests and benchmarks (feature `testkit`): random valid models for property
//! tests, and large deterministic models for benchmarks.

use proptest::prelude::*;

use crate::entity::Entity;
use crate::model::*;

/// A random valid model: 1-3 streams of 1-8 stages, some with forward-only edges (so the
/// graph is acyclic), some PBCs assigned here and there.
pub fn arb_model() -> impl Strategy<Value = Model> {
    let stage = (
        0.0..50.0f64,
        0.0..200.0f64,
        0.05..=1.0f64,
        prop::option::of(0.5..5.0f64),
    );
    let stream = (
        prop::collection::vec(stage, 1..8),
        any::<bool>(),
        prop::collection::vec((0usize..8, 0usize..8), 0..10),
        0.0..100.0f64,
        0.0..10_000.0f64,
    );
    let pbcs = prop::collection::vec((0.0..1e6f64, any::<bool>()), 0..4);
    let assigns = prop::collection::vec(
        (0usize..4, 0usize..3, 0usize..8, 0.0..5.0f64, 0.0..30.0f64),
        0..10,
    );
    (prop::collection::vec(stream, 1..4), pbcs, assigns).prop_map(|(streams, pbcs, assigns)| {
        let mut m = Model::new("random");
        for (si, (stages, branchy, edges, demand, cod)) in streams.into_iter().enumerate() {
            let n = stages.len();
            m.streams.push(Stream {
                id: format!("s{si}"),
                name: format!("Stream {si}"),
                trigger: None,
                value: None,
                demand_per_week: demand,
                cost_of_delay_per_week: cod,
                urgency: Urgency::Standard,
                stages: stages.into_iter().enumerate().map(random_stage).collect(),
                edges: if branchy && n > 1 {
                    forward_edges(n, edges)
                } else {
                    Vec::new()
                },
                arrivals: branchy.then_some(Arrivals::Fixed),
            });
        }
        m.pbcs = pbcs
            .iter()
            .enumerate()
            .map(|(i, p)| random_pbc(i, *p))
            .collect();
        add_assignments(&mut m, assigns);
        add_integrations(&mut m);
        m
    })
}

/// An integration between each PBC and the next, of each style in turn, mostly attached to
/// a stage (on a hand-off where the stage has one before it), so their times count.
fn add_integrations(m: &mut Model) {
    let styles = [
        IntegrationStyle::Batch,
        IntegrationStyle::SyncApi,
        IntegrationStyle::Events,
    ];
    for i in 1..m.pbcs.len() {
        let seed = m.pbcs[i].annual_run_cost;
        let style = styles[i % 3];
        let stream = &m.streams[i % m.streams.len()];
        let st = (seed as usize) % stream.stages.len();
        let after = crate::graph::Flow::of(stream)
            .ok()
            .and_then(|f| f.preds[st].first().copied());
        let x = Integration {
            interval: (style == IntegrationStyle::Batch).then_some(1.0 + seed % 40.0),
            calls_per_item: (style == IntegrationStyle::SyncApi).then_some(1.0 + seed % 4.0),
            at: (seed % 5.0 >= 1.0).then(|| IntegrationAt {
                stream: stream.id.clone(),
                stage: stream.stages[st].id.clone(),
                after: after.map(|a| stream.stages[a].id.clone()),
            }),
            ..Integration::new(
                format!("i{i}"),
                format!("p{}", i - 1),
                format!("p{i}"),
                style,
                (seed % 100.0) / 100.0,
            )
        };
        m.integrations.push(x);
    }
}

fn random_stage((i, (pt, wt, pca, cap)): (usize, (f64, f64, f64, Option<f64>))) -> Stage {
    Stage {
        id: format!("st{i}"),
        name: format!("Stage {i}"),
        process_time: pt,
        wait_time: wt,
        pca,
        capacity: cap,
        team: None,
        position: None,
        // some stages carry simulation inputs, so they round-trip too
        uncertainty: (pt > 25.0).then(|| Uncertainty {
            process: Some(Distribution::Triangular {
                min: pt / 2.0,
                mode: pt,
                max: pt * 2.0,
            }),
            wait: (wt > 100.0).then(|| Distribution::Empirical {
                values: vec![wt / 2.0, wt, wt * 1.5],
            }),
            wip_limit: Some(3),
            rework_to: None,
        }),
        // and some a note, with characters a file must keep as typed
        note: (wt > 150.0).then(|| format!("note «{i}» \"quoted\"\nsecond line")),
    }
}

/// A spine keeps every one of `n` stages connected; extra forward edges make branches, so
/// the graph never loops.
fn forward_edges(n: usize, extra: Vec<(usize, usize)>) -> Vec<Edge> {
    let edge = |a: usize, b: usize| Edge {
        from: format!("st{a}"),
        to: format!("st{b}"),
    };
    let mut es: Vec<Edge> = (1..n).map(|i| edge(i - 1, i)).collect();
    for (a, b) in extra {
        let (a, b) = (a % n, b % n);
        if a < b && !es.contains(&edge(a, b)) {
            es.push(edge(a, b));
        }
    }
    es
}

fn random_pbc(i: usize, (cost, legacy): (f64, bool)) -> Pbc {
    Pbc {
        id: format!("p{i}"),
        name: format!("PBC {i}"),
        domain: None,
        team: None,
        kind: if legacy {
            PbcKind::Legacy
        } else {
            PbcKind::Modern
        },
        lifecycle: Lifecycle::Tolerate,
        annual_run_cost: cost,
        systems: vec![],
    }
}

fn add_assignments(m: &mut Model, assigns: Vec<(usize, usize, usize, f64, f64)>) {
    for (p, s, st, pt, wt) in assigns {
        if m.pbcs.is_empty() {
            break;
        }
        let pbc = format!("p{}", p % m.pbcs.len());
        let stream = &m.streams[s % m.streams.len()];
        let stage = stream.stages[st % stream.stages.len()].id.clone();
        let a = Assignment {
            pbc,
            stream: stream.id.clone(),
            stage,
            process_time: pt,
            wait_time: wt,
            note: None,
        };
        if !m.assignments.iter().any(|x| x.key() == a.key()) {
            m.assignments.push(a);
        }
    }
}

/// A large model for benchmarks, the same on every run: `streams` streams of
/// `stages_per_stream` stages in a line, `pbcs` PBCs, and `assignments` assignments spread
/// over the stages, plus one scenario that swaps the first PBC for the second and halves
/// the wait at the first stage of every stream.
pub fn large_model(
    streams: usize,
    stages_per_stream: usize,
    pbcs: usize,
    assignments: usize,
) -> Model {
    let mut m = Model::new("Generated benchmark model");
    // a small linear congruential sequence keeps the numbers varied and reproducible
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    for s in 0..streams {
        m.streams
            .push(large_stream(s, stages_per_stream, &mut next));
    }
    m.pbcs = (0..pbcs).map(|p| large_pbc(p, &mut next)).collect();
    spread_assignments(&mut m, stages_per_stream, assignments, &mut next);
    if pbcs >= 2 && streams > 0 {
        m.scenarios.push(large_scenario(&m));
    }
    m
}

fn large_stream(s: usize, stages: usize, next: &mut impl FnMut() -> f64) -> Stream {
    let demand = 5.0 + 50.0 * next();
    let cod = 100.0 + 5_000.0 * next();
    Stream {
        id: format!("stream-{s}"),
        name: format!("Stream {s}"),
        trigger: Some("Customer request".into()),
        value: Some("Value delivered".into()),
        demand_per_week: demand,
        cost_of_delay_per_week: cod,
        urgency: Urgency::Standard,
        stages: (0..stages)
            .map(|k| Stage {
                id: format!("stage-{k}"),
                name: format!("Stage {k}"),
                process_time: 0.25 + 4.0 * next(),
                wait_time: 40.0 * next(),
                pca: 0.8 + 0.2 * next(),
                capacity: Some(1.0 + (4.0 * next()).floor()),
                team: Some(format!("Team {}", k % 7)),
                position: Some(Position {
                    x: 260.0 * k as f64,
                    y: 0.0,
                }),
                uncertainty: None,
                note: None,
            })
            .collect(),
        edges: Vec::new(),
        arrivals: None,
    }
}

fn large_pbc(p: usize, next: &mut impl FnMut() -> f64) -> Pbc {
    Pbc {
        id: format!("pbc-{p}"),
        name: format!("Capability {p}"),
        domain: Some(format!("Domain {}", p % 40)),
        team: Some(format!("Team {}", p % 60)),
        kind: [PbcKind::Legacy, PbcKind::Modern, PbcKind::Saas][p % 3],
        lifecycle: [
            Lifecycle::Tolerate,
            Lifecycle::Invest,
            Lifecycle::Migrate,
            Lifecycle::Eliminate,
        ][p % 4],
        annual_run_cost: (10_000.0 + 500_000.0 * next()).round(),
        systems: vec![format!("svc-{p}-a"), format!("svc-{p}-b")],
    }
}

/// `wanted` assignments spread over every stage of every stream, without repeats.
fn spread_assignments(
    m: &mut Model,
    stages_per_stream: usize,
    wanted: usize,
    next: &mut impl FnMut() -> f64,
) {
    let (pbcs, total_stages) = (m.pbcs.len(), m.streams.len() * stages_per_stream);
    let mut k = 0usize;
    while m.assignments.len() < wanted && total_stages > 0 && pbcs > 0 {
        let slot = k % total_stages;
        let pbc = (k / total_stages + k * 7) % pbcs;
        k += 1;
        m.assignments.push(Assignment {
            pbc: format!("pbc-{pbc}"),
            stream: format!("stream-{}", slot / stages_per_stream),
            stage: format!("stage-{}", slot % stages_per_stream),
            process_time: (2.0 * next() * 100.0).round() / 100.0,
            wait_time: (8.0 * next() * 100.0).round() / 100.0,
            note: None,
        });
        if k > wanted * 4 {
            break;
        }
    }
    // keys are unique by construction only if (pbc, slot) pairs do not repeat; drop repeats
    let mut seen = std::collections::HashSet::new();
    m.assignments
        .retain(|a| seen.insert((a.pbc.clone(), a.stream.clone(), a.stage.clone())));
}

/// Swaps the first PBC for the second and halves the wait at the first stage of every stream.
fn large_scenario(m: &Model) -> Scenario {
    let mut changes = vec![Change::SwapPbc {
        from: "pbc-0".into(),
        to: "pbc-1".into(),
        stream: None,
        process_time: Some(0.1),
        wait_time: Some(0.0),
    }];
    for s in &m.streams {
        if let Some(first) = s.stages.first() {
            changes.push(Change::SetStage {
                stream: s.id.clone(),
                stage: first.id.clone(),
                process_time: None,
                wait_time: Some(first.wait_time / 2.0),
                pca: None,
                capacity: None,
            });
        }
    }
    changes.push(Change::Investment {
        name: "Platform".into(),
        amount: 1_500_000.0,
        duration_weeks: 12.0,
    });
    Scenario {
        id: "future".into(),
        name: "Future state".into(),
        description: None,
        changes,
    }
}
