//! One stream's sheet: its stages with their times (lead time and flow efficiency as
//! formulas), the totals along the critical path, the annual cost of delay worked out from
//! its inputs, and the stacked wait and process chart.

use std::collections::HashMap;

use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Worksheet};
use tributary_core::metrics::{StreamMetrics, WEEKS_PER_YEAR};
use tributary_core::{Model, Stream};

use super::{Formats, GREY, NAVY, cell, formula};
use crate::error::Result;

/// Where a stream sheet keeps its totals, for the overview's links.
pub struct StreamLinks {
    pub sheet: String,
    pub name: String,
    pub lead: (u32, u16, f64),
    pub process: (u32, u16, f64),
    pub flow: (u32, u16, f64),
    pub annual: (u32, u16, f64),
}

/// Column of "On critical path" (the totals sum the rows marked yes).
const CRITICAL: u16 = 12;

pub fn stream_sheet(
    ws: &mut Worksheet,
    model: &Model,
    stream: &Stream,
    sm: &StreamMetrics,
    sheet: &str,
    f: &Formats,
) -> Result<StreamLinks> {
    header(ws, model.time_unit.suffix(), f)?;
    stage_rows(ws, model, stream, sm, f)?;
    let n = sm.stages.len() as u32;
    let t = n + 1;
    totals(ws, sm, t, f)?;
    let b = t + 2;
    cost_of_delay(ws, model, sm, t, b, f)?;
    if n > 0 {
        ws.insert_chart(b + 8, 1, &time_chart(sheet, n, model.time_unit.suffix()))?;
    }
    Ok(StreamLinks {
        sheet: sheet.to_owned(),
        name: sm.name.clone(),
        lead: (t, 5, sm.lead_time),
        process: (t, 3, sm.process_time),
        flow: (t, 8, sm.flow_efficiency),
        annual: (b + 4, 3, sm.annual_delay_cost),
    })
}

fn header(ws: &mut Worksheet, u: &str, f: &Formats) -> Result<()> {
    let header = [
        "#".to_owned(),
        "Stage".into(),
        "Team".into(),
        format!("Process time ({u})"),
        format!("Wait time ({u})"),
        format!("Lead time ({u})"),
        format!("of which PBC process ({u})"),
        format!("of which PBC wait ({u})"),
        "Flow efficiency".into(),
        "%C&A".into(),
        "Capacity (people)".into(),
        "Utilisation".into(),
        "On critical path".into(),
        "PBCs".into(),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 2)?;
    let widths = [
        5.0, 28.0, 18.0, 12.0, 12.0, 12.0, 13.0, 13.0, 11.0, 9.0, 10.0, 11.0, 10.0, 30.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// One row per stage, from row 1.
fn stage_rows(
    ws: &mut Worksheet,
    model: &Model,
    stream: &Stream,
    sm: &StreamMetrics,
    f: &Formats,
) -> Result<()> {
    let team: HashMap<&str, &str> = stream
        .stages
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.team.as_deref()?)))
        .collect();
    for (i, st) in sm.stages.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &st.name)?;
        ws.write_string(r, 2, team.get(st.id.as_str()).copied().unwrap_or(""))?;
        ws.write_number_with_format(r, 3, st.process_time, &f.number)?;
        ws.write_number_with_format(r, 4, st.wait_time, &f.number)?;
        ws.write_formula_with_format(
            r,
            5,
            formula(format!("={}+{}", cell(r, 3), cell(r, 4)), st.lead_time),
            &f.number,
        )?;
        ws.write_number_with_format(r, 6, st.pbc_process_time, &f.number)?;
        ws.write_number_with_format(r, 7, st.pbc_wait_time, &f.number)?;
        ws.write_formula_with_format(
            r,
            8,
            formula(
                format!("=IF({l}>0,{p}/{l},0)", l = cell(r, 5), p = cell(r, 3)),
                st.flow_efficiency,
            ),
            &f.percent,
        )?;
        ws.write_number_with_format(r, 9, st.pca, &f.percent)?;
        if let Some(c) = st.capacity {
            ws.write_number_with_format(r, 10, c, &f.number)?;
        }
        if let Some(ut) = st.utilisation {
            ws.write_number_with_format(r, 11, ut, &f.percent)?;
        }
        ws.write_string(r, CRITICAL, if st.on_critical_path { "yes" } else { "no" })?;
        let pbcs: Vec<String> = st
            .pbcs
            .iter()
            .map(|id| model.pbc(id).map_or(id.clone(), |p| p.name.clone()))
            .collect();
        ws.write_string(r, 13, pbcs.join(", "))?;
    }
    Ok(())
}

/// The totals along the critical path, on row `t`, as formulas over the stage rows.
fn totals(ws: &mut Worksheet, sm: &StreamMetrics, t: u32, f: &Formats) -> Result<()> {
    let (first, last) = (1, t - 1);
    let range = |c: u16| format!("{}:{}", cell(first, c), cell(last, c));
    let crit = range(CRITICAL);
    let on_path = |c: u16, v: f64| formula(format!("=SUMIF({crit},\"yes\",{})", range(c)), v);
    for c in [0, 2, 6, 7, 10, 11, 12, 13] {
        ws.write_string_with_format(t, c, "", &f.total_text)?;
    }
    ws.write_string_with_format(t, 1, "Total along the critical path", &f.total_text)?;
    ws.write_formula_with_format(t, 3, on_path(3, sm.process_time), &f.total_number)?;
    ws.write_formula_with_format(t, 4, on_path(4, sm.wait_time), &f.total_number)?;
    ws.write_formula_with_format(
        t,
        5,
        formula(format!("={}+{}", cell(t, 3), cell(t, 4)), sm.lead_time),
        &f.total_number,
    )?;
    ws.write_formula_with_format(
        t,
        8,
        formula(
            format!("=IF({l}>0,{p}/{l},0)", l = cell(t, 5), p = cell(t, 3)),
            sm.flow_efficiency,
        ),
        &f.total_percent,
    )?;
    ws.write_formula_with_format(
        t,
        9,
        formula(format!("=PRODUCT({})", range(9)), sm.rolled_pca),
        &f.total_percent,
    )?;
    Ok(())
}

/// The stream's cost of delay from row `b`, as formulas on its inputs.
fn cost_of_delay(
    ws: &mut Worksheet,
    model: &Model,
    sm: &StreamMetrics,
    t: u32,
    b: u32,
    f: &Formats,
) -> Result<()> {
    let cur = &model.currency;
    let labels = [
        "Demand (items a week)".to_owned(),
        format!("Cost of delay per item-week ({cur})"),
        format!("Working {} in a week", model.time_unit.as_str()),
        "Lead time in weeks".to_owned(),
        format!("Annual cost of delay ({cur})"),
    ];
    for (k, label) in labels.iter().enumerate() {
        ws.write_string(b + k as u32, 1, label)?;
    }
    let per_week = model.calendar.units_per_week(model.time_unit);
    ws.write_number_with_format(b, 3, sm.demand_per_week, &f.number)?;
    ws.write_number_with_format(b + 1, 3, sm.cost_of_delay_per_week, &f.money)?;
    ws.write_number_with_format(b + 2, 3, per_week, &f.number)?;
    ws.write_formula_with_format(
        b + 3,
        3,
        formula(
            format!("={}/{}", cell(t, 5), cell(b + 2, 3)),
            sm.lead_time_weeks,
        ),
        &f.number,
    )?;
    ws.write_formula_with_format(
        b + 4,
        3,
        formula(
            format!(
                "={}*{WEEKS_PER_YEAR}*{}*{}",
                cell(b, 3),
                cell(b + 1, 3),
                cell(b + 3, 3)
            ),
            sm.annual_delay_cost,
        ),
        &f.total_money,
    )?;
    ws.write_string_with_format(
        b + 6,
        1,
        "Totals run along the critical path (the longest path through the flow). Flow efficiency = process time / lead time.",
        &f.note,
    )?;
    Ok(())
}

/// Where the time goes: wait and process per stage, stacked, from zero.
fn time_chart(sheet: &str, n: u32, u: &str) -> Chart {
    let (first, last) = (1, n);
    let mut chart = Chart::new(ChartType::BarStacked);
    chart.title().set_name(&format!(
        "Where the time goes ({u}): wait and process per stage"
    ));
    chart
        .add_series()
        .set_name("Process time")
        .set_categories((sheet, first, 1, last, 1))
        .set_values((sheet, first, 3, last, 3))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(NAVY)))
        .set_gap(60);
    chart
        .add_series()
        .set_name("Wait time")
        .set_categories((sheet, first, 1, last, 1))
        .set_values((sheet, first, 4, last, 4))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(GREY)));
    chart.y_axis().set_reverse();
    let h = (120 + 22 * n).min(1600);
    chart.set_width(620).set_height(h);
    chart
}
