//! The tables as CSV (the `csv` crate): stages with their metrics, the dependency matrix (one
//! row per PBC and stage it serves), the initiatives with their rankings, and the scenario
//! comparisons. Numbers are written in full precision, durations in the model's time unit,
//! money in its currency, shares as fractions (0.068783, not 6.9 %), for further analysis.

use std::collections::HashMap;

use tributary_core::Model;
use tributary_core::cod;
use tributary_core::matrix;
use tributary_core::metrics;
use tributary_core::scenario;

use crate::error::{ReportError, Result};

/// Which table to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Stages,
    Matrix,
    Initiatives,
    Comparison,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Stages,
        Table::Matrix,
        Table::Initiatives,
        Table::Comparison,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Stages => "stages",
            Table::Matrix => "matrix",
            Table::Initiatives => "initiatives",
            Table::Comparison => "comparison",
        }
    }
}

impl std::str::FromStr for Table {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Table, String> {
        Table::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                format!("unknown table {s:?} (expected stages, matrix, initiatives or comparison)")
            })
    }
}

fn n(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(n).unwrap_or_default()
}

/// One table as CSV bytes. `stream` limits the stages, matrix and comparison rows to one
/// stream.
pub fn csv_table(model: &Model, table: Table, stream: Option<&str>) -> Result<Vec<u8>> {
    if let Some(id) = stream {
        crate::pages::find_stream(model, id)?;
    }
    let keep = |id: &str| stream.is_none_or(|s| s == id);
    let mut w = csv::Writer::from_writer(Vec::new());
    match table {
        Table::Stages => stages(&mut w, model, &keep)?,
        Table::Matrix => matrix(&mut w, model, &keep)?,
        Table::Initiatives => initiatives(&mut w, model)?,
        Table::Comparison => comparison(&mut w, model, &keep)?,
    }
    w.into_inner()
        .map_err(|e| ReportError::Csv(csv::Error::from(e.into_error())))
}

type Writer = csv::Writer<Vec<u8>>;

/// Each stage of each stream with its metrics.
fn stages(w: &mut Writer, model: &Model, keep: &dyn Fn(&str) -> bool) -> Result<()> {
    let unit = model.time_unit.as_str();
    w.write_record([
        "stream_id",
        "stream",
        "stage_id",
        "stage",
        "team",
        "unit",
        "process_time",
        "wait_time",
        "lead_time",
        "pbc_process_time",
        "pbc_wait_time",
        "flow_efficiency",
        "pca",
        "capacity",
        "utilisation",
        "expected_lead_time",
        "on_critical_path",
        "pbcs",
    ])?;
    let mm = metrics::compute(model)?;
    for (stream, sm) in model.streams.iter().zip(&mm.streams) {
        if !keep(&stream.id) {
            continue;
        }
        for (st, m) in stream.stages.iter().zip(&sm.stages) {
            w.write_record([
                stream.id.clone(),
                stream.name.clone(),
                st.id.clone(),
                st.name.clone(),
                st.team.clone().unwrap_or_default(),
                unit.to_owned(),
                n(m.process_time),
                n(m.wait_time),
                n(m.lead_time),
                n(m.pbc_process_time),
                n(m.pbc_wait_time),
                n(m.flow_efficiency),
                n(m.pca),
                opt(m.capacity),
                opt(m.utilisation),
                n(m.expected_lead_time),
                m.on_critical_path.to_string(),
                m.pbcs.join(";"),
            ])?;
        }
    }
    Ok(())
}

/// One row per PBC and stage it serves, with the PBC's lead-time impact on the stream.
fn matrix(w: &mut Writer, model: &Model, keep: &dyn Fn(&str) -> bool) -> Result<()> {
    let unit = model.time_unit.as_str();
    w.write_record([
        "pbc_id",
        "pbc",
        "kind",
        "lifecycle",
        "domain",
        "stream_id",
        "stage_id",
        "stage",
        "unit",
        "process_time",
        "wait_time",
        "pbc_lead_time_impact_on_stream",
    ])?;
    let dm = matrix::dependency_matrix(model)?;
    let impact: HashMap<(&str, &str), f64> = dm
        .impacts
        .iter()
        .map(|i| ((i.pbc.as_str(), i.stream.as_str()), i.lead_time_impact))
        .collect();
    for c in &dm.cells {
        let p = &dm.pbcs[c.row as usize];
        let st = &dm.stages[c.column as usize];
        if !keep(&st.stream) {
            continue;
        }
        let full = model.pbc(&p.id);
        w.write_record([
            p.id.clone(),
            p.name.clone(),
            serde_name(&p.kind),
            serde_name(&p.lifecycle),
            full.and_then(|x| x.domain.clone()).unwrap_or_default(),
            st.stream.clone(),
            st.id.clone(),
            st.name.clone(),
            unit.to_owned(),
            n(c.process_time),
            n(c.wait_time),
            opt(impact.get(&(p.id.as_str(), st.stream.as_str())).copied()),
        ])?;
    }
    Ok(())
}

/// The initiatives in CD3 order, with WSJF and their place in the best sequence.
fn initiatives(w: &mut Writer, model: &Model) -> Result<()> {
    w.write_record([
        "cd3_rank",
        "id",
        "name",
        "stream_id",
        "cost_of_delay_per_week",
        "duration_weeks",
        "cd3",
        "wsjf",
        "wsjf_rank",
        "urgency",
        "best_sequence_position",
        "completion_week",
        "delay_cost",
    ])?;
    let p = cod::prioritize(&model.initiatives);
    let by_id: HashMap<&str, &tributary_core::model::Initiative> = model
        .initiatives
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let wsjf: HashMap<&str, (u32, f64)> = p
        .wsjf
        .iter()
        .map(|r| (r.id.as_str(), (r.rank, r.score)))
        .collect();
    let seq: HashMap<&str, usize> = p
        .best
        .order
        .iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect();
    for r in &p.cd3 {
        let Some(i) = by_id.get(r.id.as_str()) else {
            continue;
        };
        let s = seq.get(r.id.as_str()).copied();
        w.write_record([
            r.rank.to_string(),
            i.id.clone(),
            i.name.clone(),
            i.stream.clone().unwrap_or_default(),
            n(i.cost_of_delay_per_week),
            n(i.duration_weeks),
            n(r.score),
            wsjf.get(r.id.as_str()).map(|x| n(x.1)).unwrap_or_default(),
            wsjf.get(r.id.as_str())
                .map(|x| x.0.to_string())
                .unwrap_or_default(),
            urgency(&i.urgency),
            s.map(|k| (k + 1).to_string()).unwrap_or_default(),
            s.map(|k| n(p.best.completion_weeks[k])).unwrap_or_default(),
            s.map(|k| n(p.best.delay_costs[k])).unwrap_or_default(),
        ])?;
    }
    Ok(())
}

/// Every scenario against the baseline, stream by stream.
fn comparison(w: &mut Writer, model: &Model, keep: &dyn Fn(&str) -> bool) -> Result<()> {
    let unit = model.time_unit.as_str();
    w.write_record([
        "scenario_id",
        "scenario",
        "stream_id",
        "stream",
        "unit",
        "currency",
        "lead_time_before",
        "lead_time_after",
        "lead_time_saved",
        "flow_efficiency_before",
        "flow_efficiency_after",
        "annual_delay_cost_before",
        "annual_delay_cost_after",
        "annual_delay_cost_saved",
        "scenario_annual_benefit",
        "scenario_investment",
        "scenario_payback_years",
        "scenario_npv",
        "scenario_irr",
        "discount_rate",
        "horizon_years",
    ])?;
    let mm = metrics::compute(model)?;
    for sc in &model.scenarios {
        let c = scenario::compare_with(model, &mm, sc)?;
        for s in &c.streams {
            if !keep(&s.id) {
                continue;
            }
            w.write_record([
                c.scenario_id.clone(),
                c.scenario_name.clone(),
                s.id.clone(),
                s.name.clone(),
                unit.to_owned(),
                model.currency.clone(),
                n(s.baseline.lead_time),
                n(s.scenario.lead_time),
                n(s.lead_time_saved),
                n(s.baseline.flow_efficiency),
                n(s.scenario.flow_efficiency),
                n(s.baseline.annual_delay_cost),
                n(s.scenario.annual_delay_cost),
                n(s.annual_delay_cost_saved),
                n(c.annual_benefit),
                n(c.investment),
                opt(c.payback_years),
                n(c.npv),
                opt(c.irr),
                n(c.discount_rate),
                c.horizon_years.to_string(),
            ])?;
        }
    }
    Ok(())
}

/// The JSON name of an enum value (snake_case), as in the exchange format.
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn urgency(u: &tributary_core::model::Urgency) -> String {
    use tributary_core::model::Urgency as U;
    match u {
        U::Standard => "standard".into(),
        U::Urgent => "urgent".into(),
        U::FixedDate { .. } => "fixed_date".into(),
        U::Intangible { .. } => "intangible".into(),
    }
}
