//! The PBC x stage dependency matrix of the whole model (time added per cell, a live sum per
//! PBC), and each PBC's time added and lead-time impact per stream.

use rust_xlsxwriter::{Worksheet, XlsxError};
use tributary_core::Model;
use tributary_core::matrix::DependencyMatrix;

use super::{Formats, cell, formula};
use crate::pages::words::{kind_name, lifecycle_name};

pub fn matrix_sheet(
    ws: &mut Worksheet,
    model: &Model,
    dm: &DependencyMatrix,
    f: &Formats,
) -> Result<(), XlsxError> {
    let u = model.time_unit.suffix();
    let fixed = ["PBC", "Kind", "Lifecycle", "Domain"];
    for (c, h) in fixed.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    let stream_name = |id: &str| model.stream(id).map_or(id.to_owned(), |s| s.name.clone());
    let first_col = fixed.len() as u16;
    for (k, st) in dm.stages.iter().enumerate() {
        ws.write_string_with_format(
            0,
            first_col + k as u16,
            format!("{} / {}", stream_name(&st.stream), st.name),
            &f.header,
        )?;
        ws.set_column_width(first_col + k as u16, 14)?;
    }
    let total_col = first_col + dm.stages.len() as u16;
    ws.write_string_with_format(0, total_col, format!("Time added ({u})"), &f.header)?;
    ws.set_column_width(total_col, 14)?;
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 1)?;
    ws.set_column_width(0, 30)?;
    for c in 1..4 {
        ws.set_column_width(c, 12)?;
    }
    for c in &dm.cells {
        let (row, col) = (c.row + 1, first_col + c.column as u16);
        ws.write_number_with_format(row, col, c.time_added(), &f.number)?;
    }
    let row_total = dm.time_added_by_row();
    for (r, p) in dm.pbcs.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &p.name)?;
        ws.write_string(row, 1, kind_name(p.kind))?;
        ws.write_string(row, 2, lifecycle_name(p.lifecycle))?;
        ws.write_string(
            row,
            3,
            model
                .pbc(&p.id)
                .and_then(|x| x.domain.as_deref())
                .unwrap_or(""),
        )?;
        if dm.stages.is_empty() {
            ws.write_number_with_format(row, total_col, 0.0, &f.total_number)?;
        } else {
            ws.write_formula_with_format(
                row,
                total_col,
                formula(
                    format!(
                        "=SUM({}:{})",
                        cell(row, first_col),
                        cell(row, total_col - 1)
                    ),
                    row_total[r],
                ),
                &f.total_number,
            )?;
        }
    }
    let note = dm.pbcs.len() as u32 + 2;
    ws.write_string_with_format(
        note,
        0,
        format!("Each cell: the time ({u}) the PBC adds at the stage, process + wait. Blank: the PBC does not serve the stage."),
        &f.note,
    )?;
    Ok(())
}

pub fn impact_sheet(
    ws: &mut Worksheet,
    model: &Model,
    dm: &DependencyMatrix,
    f: &Formats,
) -> Result<(), XlsxError> {
    let u = model.time_unit.suffix();
    let cur = &model.currency;
    let header = [
        "PBC".to_owned(),
        "Stream".into(),
        "Stages served".into(),
        format!("Process time added ({u})"),
        format!("Wait time added ({u})"),
        format!("Time added ({u})"),
        format!("Lead time impact ({u})"),
        format!("Annual run cost ({cur})"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        ws.set_column_width(c as u16, if c < 2 { 28 } else { 15 })?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 1)?;
    for (k, i) in dm.impacts.iter().enumerate() {
        let r = k as u32 + 1;
        let p = model.pbc(&i.pbc);
        ws.write_string(r, 0, p.map_or(i.pbc.as_str(), |p| p.name.as_str()))?;
        ws.write_string(
            r,
            1,
            model
                .stream(&i.stream)
                .map_or(i.stream.as_str(), |s| s.name.as_str()),
        )?;
        ws.write_number(r, 2, f64::from(i.stages))?;
        ws.write_number_with_format(r, 3, i.process_time, &f.number)?;
        ws.write_number_with_format(r, 4, i.wait_time, &f.number)?;
        ws.write_formula_with_format(
            r,
            5,
            formula(format!("={}+{}", cell(r, 3), cell(r, 4)), i.time_added()),
            &f.number,
        )?;
        ws.write_number_with_format(r, 6, i.lead_time_impact, &f.number)?;
        ws.write_number_with_format(r, 7, p.map_or(0.0, |p| p.annual_run_cost), &f.money)?;
    }
    let note = dm.impacts.len() as u32 + 2;
    ws.write_string_with_format(
        note,
        0,
        "Lead time impact: how much shorter the stream's lead time would be if the PBC added no time (less than the time added where a parallel branch sets the pace).",
        &f.note,
    )?;
    Ok(())
}
