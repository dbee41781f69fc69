//! The scenarios' business cases side by side (annual benefit, NPV and IRR as formulas on
//! the cash flows), then each scenario's effect stream by stream.

use rust_xlsxwriter::Worksheet;
use tributary_core::Model;
use tributary_core::metrics::ModelMetrics;
use tributary_core::scenario::{self, Comparison};

use super::{Formats, cell, formula};
use crate::error::Result;

pub fn scenarios_sheet(
    ws: &mut Worksheet,
    model: &Model,
    mm: &ModelMetrics,
    f: &Formats,
) -> Result<()> {
    ws.set_column_width(0, 36)?;
    if model.scenarios.is_empty() {
        ws.write_string_with_format(0, 0, "The model has no scenarios.", &f.note)?;
        return Ok(());
    }
    let comparisons: Vec<Comparison> = model
        .scenarios
        .iter()
        .map(|s| scenario::compare_with(model, mm, s))
        .collect::<tributary_core::Result<_>>()?;
    let note = business_case(ws, model, &comparisons, f)?;
    by_stream(ws, model, &comparisons, note + 2, f)
}

/// The business case of each scenario, a column each; returns the row of the note under it.
fn business_case(
    ws: &mut Worksheet,
    model: &Model,
    comparisons: &[Comparison],
    f: &Formats,
) -> Result<u32> {
    let cur = &model.currency;
    let years = model.finance.horizon_years;
    ws.write_string_with_format(0, 0, "Business case", &f.header)?;
    for (k, c) in comparisons.iter().enumerate() {
        ws.write_string_with_format(0, k as u16 + 1, &c.scenario_name, &f.header)?;
        ws.set_column_width(k as u16 + 1, 18)?;
    }
    ws.set_freeze_panes(1, 1)?;
    let labels_top = [
        format!("Investment at t = 0 ({cur})"),
        format!("Delay cost saved a year ({cur})"),
        format!("Run cost saved a year ({cur})"),
        format!("Annual benefit ({cur})"),
        "Discount rate".into(),
        "Benefits start after (weeks)".into(),
    ];
    for (k, l) in labels_top.iter().enumerate() {
        ws.write_string(k as u32 + 1, 0, l)?;
    }
    let flow0 = labels_top.len() as u32 + 1;
    for t in 0..=years {
        ws.write_string(flow0 + t, 0, format!("Cash flow year {t} ({cur})"))?;
    }
    let npv_row = flow0 + years + 1;
    ws.write_string_with_format(npv_row, 0, format!("NPV ({cur})"), &f.total_text)?;
    ws.write_string_with_format(npv_row + 1, 0, "IRR", &f.total_text)?;
    ws.write_string_with_format(npv_row + 2, 0, "Payback (years)", &f.total_text)?;
    for (k, c) in comparisons.iter().enumerate() {
        case_column(ws, k as u16 + 1, c, flow0, npv_row, years, f)?;
    }
    let note = npv_row + 4;
    ws.write_string_with_format(
        note,
        0,
        "Convention: the investment falls at t = 0 (not discounted); each year's benefit at that year's end. Excel's NPV() discounts its first value by one period, so NPV = NPV(rate, years 1..n) + year 0.",
        &f.note,
    )?;
    Ok(note)
}

/// One scenario's business case in column `col`: the cash flows from row `flow0`, NPV, IRR
/// and payback from row `npv_row`.
fn case_column(
    ws: &mut Worksheet,
    col: u16,
    c: &Comparison,
    flow0: u32,
    npv_row: u32,
    years: u32,
    f: &Formats,
) -> Result<()> {
    ws.write_number_with_format(1, col, c.investment, &f.money)?;
    ws.write_number_with_format(2, col, c.annual_delay_cost_saved, &f.money)?;
    ws.write_number_with_format(3, col, c.annual_run_cost_saved, &f.money)?;
    ws.write_formula_with_format(
        4,
        col,
        formula(
            format!("={}+{}", cell(2, col), cell(3, col)),
            c.annual_benefit,
        ),
        &f.money,
    )?;
    ws.write_number_with_format(5, col, c.discount_rate, &f.percent)?;
    ws.write_number_with_format(6, col, c.build_weeks, &f.number)?;
    ws.write_formula_with_format(
        flow0,
        col,
        formula(format!("=-{}", cell(1, col)), -c.investment),
        &f.money,
    )?;
    for (t, v) in c.cash_flows.iter().enumerate().skip(1) {
        ws.write_number_with_format(flow0 + t as u32, col, *v, &f.money)?;
    }
    let benefits = format!("{}:{}", cell(flow0 + 1, col), cell(flow0 + years, col));
    ws.write_formula_with_format(
        npv_row,
        col,
        formula(
            format!("=NPV({},{benefits})+{}", cell(5, col), cell(flow0, col)),
            c.npv,
        ),
        &f.total_money,
    )?;
    match c.irr {
        Some(irr) => {
            ws.write_formula_with_format(
                npv_row + 1,
                col,
                formula(
                    format!("=IRR({}:{})", cell(flow0, col), cell(flow0 + years, col)),
                    irr,
                ),
                &f.total_percent,
            )?;
        }
        None => {
            ws.write_string_with_format(npv_row + 1, col, "none", &f.total_text)?;
        }
    }
    match c.payback_years {
        Some(p) => ws.write_number_with_format(npv_row + 2, col, p, &f.total_number)?,
        None => ws.write_string_with_format(npv_row + 2, col, "never", &f.total_text)?,
    };
    Ok(())
}

/// Each scenario's effect on each stream, from row `top`.
fn by_stream(
    ws: &mut Worksheet,
    model: &Model,
    comparisons: &[Comparison],
    top: u32,
    f: &Formats,
) -> Result<()> {
    let cur = &model.currency;
    let u = model.time_unit.suffix();
    let header = [
        "Scenario".to_owned(),
        "Stream".into(),
        format!("Lead time before ({u})"),
        format!("Lead time after ({u})"),
        format!("Lead time saved ({u})"),
        "Flow efficiency before".into(),
        "Flow efficiency after".into(),
        format!("Cost of delay a year before ({cur})"),
        format!("Cost of delay a year after ({cur})"),
        format!("Cost of delay saved a year ({cur})"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &f.header)?;
    }
    ws.set_row_height(top, 45)?;
    let mut r = top + 1;
    for c in comparisons {
        for s in &c.streams {
            ws.write_string(r, 0, &c.scenario_name)?;
            ws.write_string(r, 1, &s.name)?;
            ws.write_number_with_format(r, 2, s.baseline.lead_time, &f.number)?;
            ws.write_number_with_format(r, 3, s.scenario.lead_time, &f.number)?;
            ws.write_formula_with_format(
                r,
                4,
                formula(format!("={}-{}", cell(r, 2), cell(r, 3)), s.lead_time_saved),
                &f.number,
            )?;
            ws.write_number_with_format(r, 5, s.baseline.flow_efficiency, &f.percent)?;
            ws.write_number_with_format(r, 6, s.scenario.flow_efficiency, &f.percent)?;
            ws.write_number_with_format(r, 7, s.baseline.annual_delay_cost, &f.money)?;
            ws.write_number_with_format(r, 8, s.scenario.annual_delay_cost, &f.money)?;
            ws.write_formula_with_format(
                r,
                9,
                formula(
                    format!("={}-{}", cell(r, 7), cell(r, 8)),
                    s.annual_delay_cost_saved,
                ),
                &f.money,
            )?;
            r += 1;
        }
    }
    Ok(())
}
