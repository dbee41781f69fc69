//! The mortgage example's generated telemetry, imported with the engine, and its measured flow
//! in the report's plain data. Shared by the tests and the benchmark (`#[path]`).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::OnceLock;

use tributary_core::model::Model;
use tributary_report::{MeasuredFlow, MeasuredStage, StageTimes, WeekThroughput};
use tributary_telemetry::{self as telemetry, FlowReport, MappingToml};

/// The engine's figures in the report's plain data, field by field (tributary-api does the
/// same for the app and the CLI; its own tests check that path end to end).
pub fn measured_of(flow: &FlowReport) -> MeasuredFlow {
    let c = &flow.cycle_time;
    MeasuredFlow {
        window_from: flow.window.from.clone(),
        window_to: flow.window.to.clone(),
        window_days: flow.window.days,
        items_done: flow.counts.done,
        items_timed: c.count,
        cycle_p50: c.p50.unwrap(),
        cycle_p70: c.p70.unwrap(),
        cycle_p85: c.p85.unwrap(),
        cycle_p95: c.p95.unwrap(),
        throughput_per_week: flow
            .throughput_per_week
            .iter()
            .map(|w| WeekThroughput {
                week_start: w.week_start.clone(),
                days: w.days,
                count: w.count,
            })
            .collect(),
        throughput_median_per_week: flow.throughput.median_per_week,
        flow_efficiency: flow.flow_efficiency,
        wip: flow.wip,
        wip_beyond_p85: flow.aging_wip.iter().filter(|a| a.beyond_p85).count() as u64,
        stages: flow
            .stages
            .iter()
            .map(|st| MeasuredStage {
                name: st.name.clone(),
                items: st.items,
                drawn: st.drawn.as_ref().map(|d| StageTimes {
                    process: d.process_time,
                    wait: d.wait_time,
                    lead: d.lead_time,
                }),
                process_p50: st.measured.process_p50,
                wait_p50: st.measured.wait_p50,
                lead_p50: st.measured.lead_p50,
                lead_p85: st.measured.lead_p85,
                gap: st.gap.as_ref().map(|g| StageTimes {
                    process: g.process_time,
                    wait: g.wait_time,
                    lead: g.lead_time,
                }),
                flagged: st.gap.as_ref().is_some_and(|g| g.flagged),
            })
            .collect(),
        gap_threshold: telemetry::flow::GAP_THRESHOLD,
        sources: vec!["events.csv (events-csv, imported 2026-11-02)".into()],
        notes: flow.notes.clone(),
    }
}

/// The mortgage example with its generated telemetry imported, and the engine's measured
/// flow of it (computed once for all the tests).
pub fn mortgage_measured() -> &'static (Model, FlowReport) {
    static ONCE: OnceLock<(Model, FlowReport)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join("assets/examples/mortgage.json")).unwrap();
        let model = tributary_core::exchange::from_json(&text).unwrap();
        let tel = root.join("assets/examples/mortgage.telemetry");
        let opts = telemetry::ImportOptions::new(
            "mortgage",
            telemetry::Format::EventsCsv,
            "2026-11-02T09:00:00Z",
        );
        let mapping =
            telemetry::Mapping::from_toml(&std::fs::read_to_string(tel.join("map.toml")).unwrap())
                .unwrap();
        let parsed = telemetry::import::parse(
            &tel.join("events.csv"),
            &opts,
            &mapping,
            telemetry::Control::default(),
        )
        .unwrap();
        let history = telemetry::history::of_parsed("mortgage", &parsed);
        let flow = telemetry::flow::compute(
            &history,
            &mapping,
            Some(&model),
            telemetry::FlowOptions::default(),
        )
        .unwrap();
        (model, flow)
    })
}
