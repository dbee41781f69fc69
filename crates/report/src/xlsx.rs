//! The model as an Excel workbook (rust_xlsxwriter): an overview, one sheet per stream with
//! its stages and metrics, the PBC x stage dependency matrix, the PBCs' impact, the scenarios'
//! business cases and the initiatives.
//!
//! Cells a finance reader checks are live formulas: a stage's lead time (process + wait), the
//! totals along the critical path, flow efficiency (process / lead, never an average of
//! ratios), rolled %C&A, the annual cost of delay, the annual benefit, NPV (`=NPV(rate,
//! benefits) + year 0`), IRR and CD3/WSJF. Each formula carries the engine's result as its
//! cached value, so a reader that does not recalculate still shows the right number.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet, XlsxError,
};
use tributary_core::Model;
use tributary_core::cod;
use tributary_core::matrix;
use tributary_core::metrics::{self, StreamMetrics, WEEKS_PER_YEAR};
use tributary_core::scenario;

use crate::error::Result;

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
        let name = names.take(&sm.name);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        links.push(stream_sheet(ws, model, &model.streams[*k], sm, &name, &f)?);
    }
    {
        let ws = wb.worksheet_from_index(overview_index)?;
        overview(ws, model, &links, &f)?;
    }
    let dm = matrix::dependency_matrix(model)?;
    {
        let name = names.take("Dependency matrix");
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        matrix_sheet(ws, model, &dm, &f)?;
    }
    {
        let name = names.take("PBC impact");
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        impact_sheet(ws, model, &dm, &f)?;
    }
    {
        let name = names.take("Scenarios");
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        scenarios_sheet(ws, model, &mm, &f)?;
    }
    {
        let name = names.take("Initiatives");
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        initiatives_sheet(ws, model, &name, &f)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Where a stream sheet keeps its totals, for the overview's links.
struct StreamLinks {
    sheet: String,
    name: String,
    lead: (u32, u16, f64),
    process: (u32, u16, f64),
    flow: (u32, u16, f64),
    annual: (u32, u16, f64),
}

fn stream_sheet(
    ws: &mut Worksheet,
    model: &Model,
    stream: &tributary_core::Stream,
    sm: &StreamMetrics,
    sheet: &str,
    f: &Formats,
) -> Result<StreamLinks> {
    let u = model.time_unit.suffix();
    let cur = &model.currency;
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
    let team: HashMap<&str, &str> = stream
        .stages
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.team.as_deref()?)))
        .collect();
    let n = sm.stages.len() as u32;
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
        ws.write_string(r, 12, if st.on_critical_path { "yes" } else { "no" })?;
        let pbcs: Vec<String> = st
            .pbcs
            .iter()
            .map(|id| model.pbc(id).map_or(id.clone(), |p| p.name.clone()))
            .collect();
        ws.write_string(r, 13, pbcs.join(", "))?;
    }
    let (first, last) = (1, n);
    let range = |c: u16| format!("{}:{}", cell(first, c), cell(last, c));
    let t = n + 1;
    ws.write_string_with_format(t, 0, "", &f.total_text)?;
    ws.write_string_with_format(t, 1, "Total along the critical path", &f.total_text)?;
    ws.write_string_with_format(t, 2, "", &f.total_text)?;
    let crit = range(12);
    ws.write_formula_with_format(
        t,
        3,
        formula(
            format!("=SUMIF({crit},\"yes\",{})", range(3)),
            sm.process_time,
        ),
        &f.total_number,
    )?;
    ws.write_formula_with_format(
        t,
        4,
        formula(format!("=SUMIF({crit},\"yes\",{})", range(4)), sm.wait_time),
        &f.total_number,
    )?;
    ws.write_formula_with_format(
        t,
        5,
        formula(format!("={}+{}", cell(t, 3), cell(t, 4)), sm.lead_time),
        &f.total_number,
    )?;
    ws.write_string_with_format(t, 6, "", &f.total_text)?;
    ws.write_string_with_format(t, 7, "", &f.total_text)?;
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
    for c in 10..=13 {
        ws.write_string_with_format(t, c, "", &f.total_text)?;
    }

    // The stream's cost of delay, as formulas on its inputs.
    let per_week = model.calendar.units_per_week(model.time_unit);
    let b = t + 2;
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

    // Where the time goes: wait and process per stage, stacked, from zero.
    if n > 0 {
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
        ws.insert_chart(b + 8, 1, &chart)?;
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

fn overview(
    ws: &mut Worksheet,
    model: &Model,
    links: &[StreamLinks],
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
    let mut total = 0.0;
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
        total += l.annual.2;
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

fn kind(k: tributary_core::model::PbcKind) -> &'static str {
    match k {
        tributary_core::model::PbcKind::Legacy => "legacy",
        tributary_core::model::PbcKind::Modern => "modern",
        tributary_core::model::PbcKind::Saas => "SaaS",
    }
}

fn lifecycle(l: tributary_core::model::Lifecycle) -> &'static str {
    use tributary_core::model::Lifecycle as L;
    match l {
        L::Tolerate => "tolerate",
        L::Invest => "invest",
        L::Migrate => "migrate",
        L::Eliminate => "eliminate",
    }
}

fn matrix_sheet(
    ws: &mut Worksheet,
    model: &Model,
    dm: &matrix::DependencyMatrix,
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
    let mut row_total = vec![0.0; dm.pbcs.len()];
    for c in &dm.cells {
        let v = c.process_time + c.wait_time;
        row_total[c.row as usize] += v;
        ws.write_number_with_format(c.row + 1, first_col + c.column as u16, v, &f.number)?;
    }
    for (r, p) in dm.pbcs.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &p.name)?;
        ws.write_string(row, 1, kind(p.kind))?;
        ws.write_string(row, 2, lifecycle(p.lifecycle))?;
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

fn impact_sheet(
    ws: &mut Worksheet,
    model: &Model,
    dm: &matrix::DependencyMatrix,
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
            formula(
                format!("={}+{}", cell(r, 3), cell(r, 4)),
                i.process_time + i.wait_time,
            ),
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

fn scenarios_sheet(
    ws: &mut Worksheet,
    model: &Model,
    mm: &metrics::ModelMetrics,
    f: &Formats,
) -> Result<()> {
    let cur = &model.currency;
    let u = model.time_unit.suffix();
    ws.set_column_width(0, 36)?;
    if model.scenarios.is_empty() {
        ws.write_string_with_format(0, 0, "The model has no scenarios.", &f.note)?;
        return Ok(());
    }
    let comparisons: Vec<scenario::Comparison> = model
        .scenarios
        .iter()
        .map(|s| scenario::compare_with(model, mm, s))
        .collect::<tributary_core::Result<_>>()?;
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
        let col = k as u16 + 1;
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
    }
    let note = npv_row + 4;
    ws.write_string_with_format(
        note,
        0,
        "Convention: the investment falls at t = 0 (not discounted); each year's benefit at that year's end. Excel's NPV() discounts its first value by one period, so NPV = NPV(rate, years 1..n) + year 0.",
        &f.note,
    )?;

    // Stream by stream
    let top = note + 2;
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
    for c in &comparisons {
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

fn initiatives_sheet(
    ws: &mut Worksheet,
    model: &Model,
    sheet: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    let cur = &model.currency;
    ws.set_column_width(1, 32)?;
    if model.initiatives.is_empty() {
        ws.write_string_with_format(0, 0, "The model has no initiatives.", &f.note)?;
        return Ok(());
    }
    let p = cod::prioritize(&model.initiatives);
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
    let by_id: HashMap<&str, &tributary_core::model::Initiative> = model
        .initiatives
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let wsjf_rank: HashMap<&str, u32> = p.wsjf.iter().map(|r| (r.id.as_str(), r.rank)).collect();
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
            if let Some(rank) = wsjf_rank.get(r.id.as_str()) {
                ws.write_number(row, 11, f64::from(*rank))?;
            }
        }
        if let Some((pos, week, cost)) = seq.get(r.id.as_str()) {
            ws.write_number(row, 12, *pos as f64)?;
            ws.write_number_with_format(row, 13, *week, &f.number)?;
            ws.write_number_with_format(row, 14, *cost, &f.money)?;
        }
    }
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
