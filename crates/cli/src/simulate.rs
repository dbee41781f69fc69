//! `tributary simulate`: Monte Carlo runs of work items through a stream, for the baseline or
//! a scenario beside it. The work is done through the api; this module parses the
//! options and prints (tables for people, `--json` for machines).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use comfy_table::{Attribute, Cell};
use tributary_api::engine::format::{grouped, money, money_short, number, percent};
use tributary_api::engine::{Arrivals, Model, Problem};
use tributary_api::simulate::{
    Estimate, SimComparison, SimControl, SimOptions as Options, SimResult, Simulation,
    StreamSimComparison, StreamSimulation, Summary,
};
use tributary_api::{self as api, ApiError};

use crate::print::{indented, rows, table};
use crate::{json, out};

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A .tributary model file or a tributary/1 JSON model.
    pub file: PathBuf,
    /// Simulate this scenario beside the baseline, with the same random numbers.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Only this stream (default: every stream).
    #[arg(long)]
    pub stream: Option<String>,
    /// Items measured per run.
    #[arg(long, default_value_t = Options::default().items)]
    pub items: u32,
    /// Independent runs; their spread gives the ± figures.
    #[arg(long, default_value_t = Options::default().runs)]
    pub runs: u32,
    /// Seed of the random numbers: the same seed gives the same result.
    #[arg(long, default_value_t = Options::default().seed)]
    pub seed: u64,
    /// Items simulated before measuring starts (default: enough for the stream to fill up,
    /// and at least a tenth of --items).
    #[arg(long)]
    pub warmup: Option<u32>,
    /// Print the full result as JSON (histogram, WIP over time, every stage).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SimulateArgs) -> Result<ExitCode, ApiError> {
    let model = api::load_model(&a.file)?;
    let options = Options {
        items: a.items,
        runs: a.runs,
        seed: a.seed,
        warmup: a.warmup,
        stream: a.stream.clone(),
        ..Options::default()
    };
    let result =
        api::simulate::simulate(&model, a.scenario.as_deref(), &options, &SimControl::new())
            .map_err(|e| api::in_file(&a.file, e))?;
    match result {
        SimResult::Baseline { simulation } if a.json => json(&simulation),
        SimResult::Baseline { simulation } => out(&self::simulation(&model, &simulation)),
        SimResult::Comparison { comparison } if a.json => json(&comparison),
        SimResult::Comparison { comparison } => out(&self::comparison(&model, &comparison)),
    }
}

/// "98.2 ± 0.4" (two standard errors, about a 95 % interval), or just the value.
fn plus_minus(value: f64, std_error: Option<f64>) -> String {
    match std_error {
        Some(se) if se > 0.0 => format!("{} ± {}", number(value), number(2.0 * se)),
        _ => number(value),
    }
}

fn est(e: &Estimate) -> String {
    plus_minus(e.value, e.std_error)
}

fn arrivals(a: Arrivals) -> &'static str {
    match a {
        Arrivals::Poisson => "Poisson arrivals",
        Arrivals::Fixed => "arrivals at a fixed interval",
    }
}

fn header(out: &mut String, runs: u32, items: u32, seed: u64, streams: &[&StreamSimulation]) {
    let kinds: Vec<&str> = {
        let mut k: Vec<&str> = streams.iter().map(|s| arrivals(s.arrivals)).collect();
        k.dedup();
        k
    };
    out.push_str(&format!(
        "{runs} runs x {} items, seed {seed}, {}; ± is two standard errors over the runs\n",
        grouped(f64::from(items)),
        kinds.join(" / ")
    ));
}

fn warnings(out: &mut String, problems: &[Problem]) {
    for p in problems {
        out.push_str(&format!("  warning: {}\n", p.message));
    }
}

pub fn simulation(model: &Model, sim: &Simulation) -> String {
    let mut out = format!("{} · baseline, simulated\n", model.name);
    let streams: Vec<&StreamSimulation> = sim.streams.iter().collect();
    header(&mut out, sim.runs, sim.items, sim.seed, &streams);
    let u = sim.unit.suffix();
    for s in &sim.streams {
        out.push('\n');
        out.push_str(&format!(
            "{} (stream {:?}; measured after {} warm-up items)\n",
            s.name,
            s.id,
            grouped(f64::from(s.warmup_items))
        ));
        simulated_facts(&mut out, s, u, &sim.currency);
        out.push('\n');
        out.push_str(&stage_table(s, u));
    }
    if !sim.warnings.is_empty() {
        out.push('\n');
        warnings(&mut out, &sim.warnings);
    }
    out
}

/// A simulated stream's figures as ranges.
fn simulated_facts(out: &mut String, s: &StreamSimulation, u: &str, cur: &str) {
    let lt = &s.lead_time;
    let fe = &s.flow_efficiency;
    rows(
        out,
        &[
            (
                "Lead time",
                format!(
                    "p50 {} · p85 {} · p95 {} {u}  (mean {} {u}; paper map {} {u}, {} {u} with rework)",
                    number(lt.p50),
                    number(lt.p85),
                    number(lt.p95),
                    plus_minus(lt.mean, lt.std_error),
                    number(s.analytic_lead_time),
                    number(s.analytic_expected_lead_time)
                ),
            ),
            (
                "Throughput",
                format!(
                    "{} items a week (demand {}); WIP {}",
                    est(&s.throughput_per_week),
                    number(s.demand_per_week),
                    est(&s.wip)
                ),
            ),
            (
                "Flow efficiency",
                format!(
                    "p50 {} · p85 {} · p95 {}",
                    percent(fe.p50),
                    percent(fe.p85),
                    percent(fe.p95)
                ),
            ),
            (
                "Reworked",
                format!("{} of items", percent(s.reworked_share.value)),
            ),
            (
                "Cost of delay",
                format!(
                    "{} to {} an item (p50 to p95); {} a year at the mean ({} at p85)",
                    money(s.delay_cost_per_item.p50, cur),
                    money(s.delay_cost_per_item.p95, cur),
                    money_short(s.annual_delay_cost.mean, cur),
                    money_short(s.annual_delay_cost.p85, cur)
                ),
            ),
        ],
    );
}

/// Each stage's servers, utilisation, queue and passes.
fn stage_table(s: &StreamSimulation, u: &str) -> String {
    let mut t = table(
        1,
        &["Stage", "Servers", "Util.", "Queue", "Queue time", "Passes"],
    );
    for st in &s.stages {
        t.add_row(vec![
            st.name.clone(),
            st.servers.map_or("—".into(), |k| k.to_string()),
            st.utilisation.map_or("—".into(), |e| percent(e.value)),
            number(st.queue_length.value),
            format!("{} {u}", number(st.queue_time.value)),
            number(st.visits_per_item.value),
        ]);
    }
    indented(&t)
}

pub fn comparison(model: &Model, c: &SimComparison) -> String {
    let mut out = format!(
        "{} · scenario {:?} ({}) against the baseline, simulated with the same random numbers\n",
        model.name, c.scenario_id, c.scenario_name
    );
    let streams: Vec<&StreamSimulation> = c.streams.iter().map(|s| &s.baseline).collect();
    header(&mut out, c.runs, c.items, c.seed, &streams);
    for n in &c.notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    for s in &c.streams {
        out.push('\n');
        stream_comparison(&mut out, s, c.unit.suffix(), &c.currency);
    }
    if !c.warnings.is_empty() {
        out.push('\n');
        warnings(&mut out, &c.warnings);
    }
    out
}

fn stream_comparison(out: &mut String, s: &StreamSimComparison, u: &str, cur: &str) {
    out.push_str(&format!(
        "{} (stream {:?}): {}\n\n",
        s.name, s.id, s.headline
    ));
    out.push_str(&figures_table(s, u, cur));
    let saved = &s.annual_delay_cost_saved;
    out.push('\n');
    rows(
        out,
        &[(
            "Delay cost saved a year",
            format!(
                "{} at the mean{}; {} at p50, {} at p85, {} at p95",
                money_short(saved.mean, cur),
                s.annual_delay_cost_saved_std_error
                    .filter(|se| *se > 0.0)
                    .map(|se| format!(" (± {})", money_short(2.0 * se, cur)))
                    .unwrap_or_default(),
                money_short(saved.p50, cur),
                money_short(saved.p85, cur),
                money_short(saved.p95, cur)
            ),
        )],
    );
    out.push('\n');
    out.push_str(&utilisation_table(s, u));
}

fn signed(v: f64, f: &dyn Fn(f64) -> String) -> String {
    if v > 0.0 { format!("+{}", f(v)) } else { f(v) }
}

/// Baseline, scenario and change of each figure of a simulated stream.
fn figures_table(s: &StreamSimComparison, u: &str, cur: &str) -> String {
    let (b, a) = (&s.baseline, &s.scenario);
    let mut t = table(1, &["", "Baseline", "Scenario", "Change"]);
    let time = |v: f64| format!("{} {u}", number(v));
    let lead = |label: &str, f: fn(&Summary) -> f64| {
        vec![
            label.to_owned(),
            time(f(&b.lead_time)),
            time(f(&a.lead_time)),
            signed(f(&a.lead_time) - f(&b.lead_time), &time),
        ]
    };
    t.add_row(lead("Lead time p50", |s| s.p50));
    t.add_row(lead("Lead time p85", |s| s.p85));
    t.add_row(lead("Lead time p95", |s| s.p95));
    t.add_row(lead("Lead time mean", |s| s.mean));
    let thr = |s: &StreamSimulation| s.throughput_per_week.value;
    t.add_row(vec![
        "Throughput a week".into(),
        number(thr(b)),
        number(thr(a)),
        signed(thr(a) - thr(b), &|v| number(v)),
    ]);
    let fe = |s: &StreamSimulation| s.flow_efficiency.p50;
    t.add_row(vec![
        "Flow efficiency p50".into(),
        percent(fe(b)),
        percent(fe(a)),
        signed((fe(a) - fe(b)) * 100.0, &|v| format!("{} pts", number(v))),
    ]);
    let rw = |s: &StreamSimulation| s.reworked_share.value;
    t.add_row(vec![
        "Reworked".into(),
        percent(rw(b)),
        percent(rw(a)),
        signed((rw(a) - rw(b)) * 100.0, &|v| format!("{} pts", number(v))),
    ]);
    let m = |v: f64| money(v, cur);
    t.add_row(vec![
        "Delay cost an item, p85".into(),
        m(b.delay_cost_per_item.p85),
        m(a.delay_cost_per_item.p85),
        signed(a.delay_cost_per_item.p85 - b.delay_cost_per_item.p85, &m),
    ]);
    t.add_row(vec![
        Cell::new("Delay cost a year (mean)").add_attribute(Attribute::Bold),
        Cell::new(m(b.annual_delay_cost.mean)).add_attribute(Attribute::Bold),
        Cell::new(m(a.annual_delay_cost.mean)).add_attribute(Attribute::Bold),
        Cell::new(signed(
            a.annual_delay_cost.mean - b.annual_delay_cost.mean,
            &m,
        ))
        .add_attribute(Attribute::Bold),
    ]);
    indented(&t)
}

/// Each stage's utilisation and queue time, before and after.
fn utilisation_table(s: &StreamSimComparison, u: &str) -> String {
    let (b, a) = (&s.baseline, &s.scenario);
    let time = |v: f64| format!("{} {u}", number(v));
    let mut t = table(
        1,
        &[
            "Stage",
            "Util. before",
            "Util. after",
            "Queue time before",
            "Queue time after",
        ],
    );
    for (x, y) in b.stages.iter().zip(&a.stages) {
        let util = |e: Option<Estimate>| e.map_or("—".into(), |e| percent(e.value));
        t.add_row(vec![
            x.name.clone(),
            util(x.utilisation),
            util(y.utilisation),
            time(x.queue_time.value),
            time(y.queue_time.value),
        ]);
    }
    indented(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_minus_shows_two_standard_errors() {
        assert_eq!(plus_minus(98.234, Some(0.2)), "98.23 ± 0.4");
        assert_eq!(plus_minus(98.0, None), "98");
        assert_eq!(plus_minus(98.0, Some(0.0)), "98");
    }
}
