//! The model as an Excel workbook (rust_xlsxwriter): an overview, one sheet per stream with
//! its stages and metrics, the PBC x stage dependency matrix, the PBCs' impact, the scenarios'
//! business cases and the initiatives.
//!
//! Cells a finance reader checks are live formulas: a stage's lead time (process + wait), the
//! totals along the critical path, flow efficiency (process / lead, never an average of
//! ratios), rolled %C&A, the annual cost of delay, the annual benefit, NPV (`=NPV(rate,
//! benefits) + year 0`), IRR and CD3/WSJF. Each formula carries the engine's result as its
//! cached value, so a reader that does not recalculate still shows the right number.

mod initiatives;
mod matrix;
mod scenarios;
mod stream;

use std::collections::HashSet;

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};
use tributary_core::Model;
use tributary_core::metrics::{self, StreamMetrics};

use crate::error::Result;
use stream::StreamLinks;

const NAVY: u32 = 0x1B2F4B;
const GREY: u32 = 0xB8C0CC;

struct Formats {
    title: Format,
    header: Format,
    number: Format,
    percent: Format,
    money: Format,
    total_text: Format,
    total_number: Format,
    total_percent: Format,
    total_money: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let total = |f: Format| f.set_bold().set_border_top(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_font_color(NAVY),
            header: Format::new()
                .set_bold()
                .set_font_color(0xFFFFFF)
                .set_background_color(NAVY)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            number: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
            money: Format::new().set_num_format("#,##0"),
            total_text: total(Format::new()),
            total_number: total(Format::new().set_num_format("#,##0.00")),
            total_percent: total(Format::new().set_num_format("0.0%")),
            total_money: total(Format::new().set_num_format("#,##0")),
            note: Format::new().set_italic().set_font_color(0x5B6470),
        }
    }
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique (case-insensitively).
struct SheetNames(HashSet<String>);

impl SheetNames {
    /// A new sheet named as near `wanted` as Excel allows.
    fn add<'a>(
        &mut self,
        wb: &'a mut Workbook,
        wanted: &str,
    ) -> Result<(&'a mut Worksheet, String)> {
        let name = self.take(wanted);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        Ok((ws, name))
    }

    fn take(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| {
                if "[]:*?/\\".contains(c) || c.is_control() {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim().to_owned();
        let base: String = if clean.is_empty() {
            "Stream".into()
        } else {
            clean.chars().take(31).collect()
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.0.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        self.0.insert(name.to_lowercase());
        name
    }
}

/// A reference to another sheet's cell, quoted as Excel wants it.
fn sheet_cell(sheet: &str, row: u32, col: u16) -> String {
    format!(
        "'{}'!{}",
        sheet.replace('\'', "''"),
        row_col_to_cell(row, col)
    )
}

fn cell(row: u32, col: u16) -> String {
    row_col_to_cell(row, col)
}

/// The cached value Excel shows before recalculating: shortest exact digits.
fn cached(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "0".into()
    }
}

fn formula(text: String, result: f64) -> Formula {
    Formula::new(text).set_result(cached(result))
}

/// The whole model as an .xlsx file. With `stream`, only that stream gets a sheet (the
/// matrix, scenarios and initiatives still cover the model).
pub fn workbook(model: &Model, stream: Option<&str>) -> Result<Vec<u8>> {
    if let Some(id) = stream {
        crate::pages::find_stream(model, id)?;
    }
    let mm = metrics::compute(model)?;
    let f = Formats::new();
    let mut wb = Workbook::new();
    let mut names = SheetNames(HashSet::new());
    names.0.insert("overview".into());
    let chosen: Vec<(usize, &StreamMetrics)> = mm
        .streams
        .iter()
        .enumerate()
        .filter(|(_, s)| stream.is_none_or(|id| s.id == id))
        .collect();

    // Overview first, filled once the stream sheets exist (it links to them).
    let overview_index = 0;
    wb.add_worksheet().set_name("Overview")?;
    let mut links: Vec<StreamLinks> = Vec::new();
    for (k, sm) in &chosen {
        let (ws, name) = names.add(&mut wb, &sm.name)?;
        links.push(stream::stream_sheet(
            ws,
            model,
            &model.streams[*k],
            sm,
            &name,
            &f,
        )?);
    }
    // the engine's total: every stream's, or the one chosen
    let total = match chosen.as_slice() {
        [(_, only)] if stream.is_some() => only.annual_delay_cost,
        _ => mm.annual_delay_cost,
    };
    overview(
        wb.worksheet_from_index(overview_index)?,
        model,
        &links,
        total,
        &f,
    )?;
    let dm = tributary_core::matrix::dependency_matrix(model)?;
    matrix::matrix_sheet(names.add(&mut wb, "Dependency matrix")?.0, model, &dm, &f)?;
    matrix::impact_sheet(names.add(&mut wb, "PBC impact")?.0, model, &dm, &f)?;
    scenarios::scenarios_sheet(names.add(&mut wb, "Scenarios")?.0, model, &mm, &f)?;
    let (ws, name) = names.add(&mut wb, "Initiatives")?;
    initiatives::initiatives_sheet(ws, model, &name, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// The streams side by side, each figure a link to its stream sheet.
fn overview(
    ws: &mut Worksheet,
    model: &Model,
    links: &[StreamLinks],
    total: f64,
    f: &Formats,
) -> Result<(), XlsxError> {
    let u = model.time_unit.suffix();
    let cur = &model.currency;
    ws.write_string_with_format(0, 0, &model.name, &f.title)?;
    ws.write_string_with_format(
        1,
        0,
        format!(
            "Durations in working {} ({} h a day, {} days a week); money in {cur}.",
            model.time_unit.as_str(),
            tributary_core::format::number(model.calendar.hours_per_day),
            tributary_core::format::number(model.calendar.days_per_week)
        ),
        &f.note,
    )?;
    let header = [
        "Stream".to_owned(),
        format!("Lead time ({u})"),
        format!("Process time ({u})"),
        "Flow efficiency".into(),
        format!("Annual cost of delay ({cur})"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, h, &f.header)?;
    }
    ws.set_freeze_panes(4, 1)?;
    ws.set_column_width(0, 34)?;
    for c in 1..=4 {
        ws.set_column_width(c, 16)?;
    }
    for (k, l) in links.iter().enumerate() {
        let r = 4 + k as u32;
        ws.write_string(r, 0, &l.name)?;
        let link = |(row, col, v): (u32, u16, f64)| {
            formula(format!("={}", sheet_cell(&l.sheet, row, col)), v)
        };
        ws.write_formula_with_format(r, 1, link(l.lead), &f.number)?;
        ws.write_formula_with_format(r, 2, link(l.process), &f.number)?;
        ws.write_formula_with_format(
            r,
            3,
            formula(
                format!("=IF({l}>0,{p}/{l},0)", l = cell(r, 1), p = cell(r, 2)),
                l.flow.2,
            ),
            &f.percent,
        )?;
        ws.write_formula_with_format(r, 4, link(l.annual), &f.money)?;
    }
    let t = 4 + links.len() as u32;
    ws.write_string_with_format(t, 0, "All streams", &f.total_text)?;
    for c in 1..=3 {
        ws.write_string_with_format(t, c, "", &f.total_text)?;
    }
    if !links.is_empty() {
        ws.write_formula_with_format(
            t,
            4,
            formula(format!("=SUM({}:{})", cell(4, 4), cell(t - 1, 4)), total),
            &f.total_money,
        )?;
    } else {
        ws.write_number_with_format(t, 4, 0.0, &f.total_money)?;
    }
    Ok(())
}
