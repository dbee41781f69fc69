//! The initiatives in CD3 order: CD3 and WSJF as formulas on their inputs, the place of each in
//! the best sequence with its delay cost, the total, and a CD3 bar chart.

use std::collections::HashMap;

use rust_xlsxwriter::{Chart, ChartFormat, ChartSolidFill, ChartType, Worksheet, XlsxError};
use tributary_core::Model;
use tributary_core::cod::{self, Prioritization, Ranked};
use tributary_core::model::Initiative;

use super::{Formats, NAVY, cell, formula};

pub fn initiatives_sheet(
    ws: &mut Worksheet,
    model: &Model,
    sheet: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_column_width(1, 32)?;
    if model.initiatives.is_empty() {
        ws.write_string_with_format(0, 0, "The model has no initiatives.", &f.note)?;
        return Ok(());
    }
    let p = cod::prioritize(&model.initiatives);
    header(ws, &model.currency, f)?;
    let by_id: HashMap<&str, &Initiative> = model
        .initiatives
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let wsjf_rank: HashMap<&str, u32> = p.wsjf.iter().map(|r| (r.id.as_str(), r.rank)).collect();
    // id -> (position in the best sequence, week done, delay cost)
    let seq: HashMap<&str, (usize, f64, f64)> = p
        .best
        .order
        .iter()
        .enumerate()
        .map(|(k, id)| {
            (
                id.as_str(),
                (k + 1, p.best.completion_weeks[k], p.best.delay_costs[k]),
            )
        })
        .collect();
    for (k, r) in p.cd3.iter().enumerate() {
        let Some(i) = by_id.get(r.id.as_str()) else {
            continue;
        };
        let row = k as u32 + 1;
        initiative_row(ws, model, row, r, i, f)?;
        if i.wsjf.is_some()
            && let Some(rank) = wsjf_rank.get(r.id.as_str())
        {
            ws.write_number(row, 11, f64::from(*rank))?;
        }
        if let Some((pos, week, cost)) = seq.get(r.id.as_str()) {
            ws.write_number(row, 12, *pos as f64)?;
            ws.write_number_with_format(row, 13, *week, &f.number)?;
            ws.write_number_with_format(row, 14, *cost, &f.money)?;
        }
    }
    total_and_chart(ws, &p, sheet, f)
}

fn header(ws: &mut Worksheet, cur: &str, f: &Formats) -> Result<(), XlsxError> {
    let header = [
        "CD3 rank".to_owned(),
        "Initiative".into(),
        "Stream".into(),
        format!("Cost of delay a week ({cur})"),
        "Duration (weeks)".into(),
        "CD3".into(),
        "Business value".into(),
        "Time criticality".into(),
        "Risk reduction".into(),
        "Job size".into(),
        "WSJF".into(),
        "WSJF rank".into(),
        "Best sequence".into(),
        "Done in week".into(),
        format!("Delay cost ({cur})"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        if c != 1 {
            ws.set_column_width(c as u16, 12)?;
        }
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

/// The initiative's inputs, CD3 and (with WSJF inputs) WSJF as formulas on them.
fn initiative_row(
    ws: &mut Worksheet,
    model: &Model,
    row: u32,
    r: &Ranked,
    i: &Initiative,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.write_number(row, 0, f64::from(r.rank))?;
    ws.write_string(row, 1, &i.name)?;
    ws.write_string(
        row,
        2,
        i.stream
            .as_deref()
            .map(|s| model.stream(s).map_or(s, |x| x.name.as_str()))
            .unwrap_or(""),
    )?;
    ws.write_number_with_format(row, 3, i.cost_of_delay_per_week, &f.money)?;
    ws.write_number_with_format(row, 4, i.duration_weeks, &f.number)?;
    ws.write_formula_with_format(
        row,
        5,
        formula(format!("={}/{}", cell(row, 3), cell(row, 4)), r.score),
        &f.number,
    )?;
    if let Some(w) = i.wsjf {
        ws.write_number(row, 6, w.business_value)?;
        ws.write_number(row, 7, w.time_criticality)?;
        ws.write_number(row, 8, w.risk_reduction)?;
        ws.write_number(row, 9, w.job_size)?;
        ws.write_formula_with_format(
            row,
            10,
            formula(
                format!(
                    "=({}+{}+{})/{}",
                    cell(row, 6),
                    cell(row, 7),
                    cell(row, 8),
                    cell(row, 9)
                ),
                cod::wsjf(i).unwrap_or(0.0),
            ),
            &f.number,
        )?;
    }
    Ok(())
}

/// The best sequence's total delay cost under the rows, and the CD3 chart below.
fn total_and_chart(
    ws: &mut Worksheet,
    p: &Prioritization,
    sheet: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let n = p.cd3.len() as u32;
    let t = n + 1;
    ws.write_string_with_format(t, 1, "Total delay cost of the best sequence", &f.total_text)?;
    ws.write_formula_with_format(
        t,
        14,
        formula(
            format!("=SUM({}:{})", cell(1, 14), cell(n, 14)),
            p.best.total_delay_cost,
        ),
        &f.total_money,
    )?;
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .title()
        .set_name("CD3: cost of delay per week of work, highest first");
    chart
        .add_series()
        .set_name("CD3")
        .set_categories((sheet, 1, 1, n, 1))
        .set_values((sheet, 1, 5, n, 5))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(NAVY)))
        .set_gap(60);
    chart.y_axis().set_reverse();
    chart.legend().set_hidden();
    chart.set_width(620).set_height((120 + 24 * n).min(1400));
    ws.insert_chart(t + 3, 1, &chart)?;
    Ok(())
}
