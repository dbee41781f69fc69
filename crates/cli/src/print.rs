//! Tables for people. Numbers follow the house style: no spurious decimals, money grouped,
//! shares as percentages with one decimal, totals last.

use comfy_table::presets::NOTHING;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement, Table};
use tributary_api::engine::cod::{Prioritization, SequenceMethod};
use tributary_api::engine::format::{money, number, percent};
use tributary_api::engine::matrix::DependencyMatrix;
use tributary_api::engine::metrics::{ModelMetrics, StreamMetrics};
use tributary_api::engine::scenario::Comparison;
use tributary_api::engine::{Model, Problem, Severity};

/// A plain table; the first `text` columns align left, the rest (numbers) right.
pub(crate) fn table(text: usize, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    for i in text..header.len() {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// A table indented by two spaces, with no trailing blanks.
pub(crate) fn indented(t: &Table) -> String {
    let mut s = String::new();
    for line in t.to_string().lines() {
        s.push_str(&format!("  {}\n", line.trim_end()));
    }
    s
}

/// Label and value pairs, the labels padded to one width.
pub(crate) fn rows(out: &mut String, rows: &[(&str, String)]) {
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in rows {
        out.push_str(&format!("  {k:<width$}  {v}\n"));
    }
}

pub fn metrics(model: &Model, m: &ModelMetrics, scenario: Option<&str>) -> String {
    let mut out = String::new();
    let u = m.unit.suffix();
    let title = match scenario {
        Some(id) => format!("{} · scenario {id:?}", model.name),
        None => format!("{} · baseline", model.name),
    };
    out.push_str(&format!("{title}\n"));
    for s in &m.streams {
        out.push('\n');
        stream(&mut out, s, u, &m.currency);
    }
    if m.streams.len() > 1 {
        out.push('\n');
        rows(
            &mut out,
            &[
                ("All streams", String::new()),
                (
                    "Cost of delay a year",
                    money(m.annual_delay_cost, &m.currency),
                ),
                ("PBC run cost a year", money(m.annual_run_cost, &m.currency)),
            ],
        );
    }
    out
}

fn stream(out: &mut String, s: &StreamMetrics, u: &str, currency: &str) {
    out.push_str(&format!("{} (stream {:?})\n", s.name, s.id));
    let mut facts = stream_facts(s, u, currency);
    if s.stages.is_empty() {
        facts.truncate(0);
        facts.push(("Stages", "none yet".into()));
    }
    rows(out, &facts);
    for w in &s.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    if s.stages.is_empty() {
        return;
    }
    out.push('\n');
    out.push_str(&stages_table(s));
}

/// A stream's headline figures.
fn stream_facts(s: &StreamMetrics, u: &str, currency: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "Lead time",
            format!(
                "{} {u}  ({} weeks; {} {u} with rework)",
                number(s.lead_time),
                number(s.lead_time_weeks),
                number(s.expected_lead_time)
            ),
        ),
        ("Process time", format!("{} {u}", number(s.process_time))),
        ("Wait time", format!("{} {u}", number(s.wait_time))),
        ("Flow efficiency", percent(s.flow_efficiency)),
        ("Rolled %C&A", percent(s.rolled_pca)),
        (
            "Throughput",
            format!(
                "{} items a week; WIP {}{}",
                number(s.throughput_per_week),
                number(s.wip),
                s.takt_time
                    .map(|t| format!("; takt {} {u}", number(t)))
                    .unwrap_or_default()
            ),
        ),
        (
            "Bottleneck",
            s.bottleneck
                .as_ref()
                .map_or("—".into(), |b| b.explanation.clone()),
        ),
        (
            "Cost of delay",
            format!(
                "{} an item; {} a year",
                money(s.delay_cost_per_item, currency),
                money(s.annual_delay_cost, currency)
            ),
        ),
    ]
}

/// Each stage's times, %C&A and load, with the critical path's totals.
fn stages_table(s: &StreamMetrics) -> String {
    let mut t = table(
        1,
        &["Stage", "Process", "Wait", "Lead", "%C&A", "Util.", "PBCs"],
    );
    for st in &s.stages {
        let mark = if st.on_critical_path {
            ""
        } else {
            " (off path)"
        };
        t.add_row(vec![
            format!("{}{mark}", st.name),
            number(st.process_time),
            number(st.wait_time),
            number(st.lead_time),
            percent(st.pca),
            st.utilisation.map_or("—".into(), percent),
            st.pbcs.len().to_string(),
        ]);
    }
    t.add_row(vec![
        Cell::new("Total (critical path)").add_attribute(Attribute::Bold),
        Cell::new(number(s.process_time)).add_attribute(Attribute::Bold),
        Cell::new(number(s.wait_time)).add_attribute(Attribute::Bold),
        Cell::new(number(s.lead_time)).add_attribute(Attribute::Bold),
        Cell::new(percent(s.rolled_pca)).add_attribute(Attribute::Bold),
        Cell::new(""),
        Cell::new(""),
    ]);
    indented(&t)
}

pub fn comparison(c: &Comparison) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Scenario {:?} ({}) against the baseline\n\n",
        c.scenario_id, c.scenario_name
    ));
    if c.changes.is_empty() {
        out.push_str("Changes: none\n");
    } else {
        out.push_str("Changes:\n");
        for ch in &c.changes {
            out.push_str(&format!("  - {ch}\n"));
        }
    }
    for n in &c.notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    out.push('\n');
    out.push_str(&streams_table(c));
    out.push('\n');
    business_case(&mut out, c);
    out
}

/// Each stream's lead time, flow efficiency and delay cost, before and after.
fn streams_table(c: &Comparison) -> String {
    let u = c.unit.suffix();
    let mut t = table(
        1,
        &[
            "Stream",
            "Lead time",
            "Flow efficiency",
            "Delay cost a year",
        ],
    );
    for s in &c.streams {
        t.add_row(vec![
            s.name.clone(),
            format!(
                "{} -> {} {u}",
                number(s.baseline.lead_time),
                number(s.scenario.lead_time)
            ),
            format!(
                "{} -> {}",
                percent(s.baseline.flow_efficiency),
                percent(s.scenario.flow_efficiency)
            ),
            format!(
                "{} -> {}",
                money(s.baseline.annual_delay_cost, &c.currency),
                money(s.scenario.annual_delay_cost, &c.currency)
            ),
        ]);
    }
    indented(&t)
}

/// The scenario's business case.
fn business_case(out: &mut String, c: &Comparison) {
    let cur = &c.currency;
    rows(
        out,
        &[
            (
                "Delay cost saved a year",
                money(c.annual_delay_cost_saved, cur),
            ),
            ("Run cost saved a year", money(c.annual_run_cost_saved, cur)),
            ("Annual benefit", money(c.annual_benefit, cur)),
            (
                "Investment",
                if c.build_weeks > 0.0 {
                    format!(
                        "{} (benefits start after {} weeks)",
                        money(c.investment, cur),
                        number(c.build_weeks)
                    )
                } else {
                    money(c.investment, cur)
                },
            ),
            (
                "Payback",
                c.payback_years
                    .map_or("never".into(), |y| format!("{} years", number(y))),
            ),
            (
                "NPV",
                format!(
                    "{} ({} discount rate, {} years)",
                    money(c.npv, cur),
                    percent(c.discount_rate),
                    c.horizon_years
                ),
            ),
            ("IRR", c.irr.map_or("none".into(), percent)),
        ],
    );
}

pub fn prioritization(model: &Model, p: &Prioritization) -> String {
    let mut out = String::new();
    if model.initiatives.is_empty() {
        return "The model has no initiatives to rank.\n".into();
    }
    let cur = &model.currency;
    let find = |id: &str| model.initiatives.iter().find(|i| i.id == id);
    out.push_str("Ranked by CD3 (cost of delay per week / duration in weeks)\n\n");
    let mut t = table(
        2,
        &["#", "Initiative", "Cost of delay a week", "Weeks", "CD3"],
    );
    for r in &p.cd3 {
        let i = find(&r.id);
        t.add_row(vec![
            r.rank.to_string(),
            r.name.clone(),
            i.map_or(String::new(), |i| money(i.cost_of_delay_per_week, cur)),
            i.map_or(String::new(), |i| number(i.duration_weeks)),
            number(r.score),
        ]);
    }
    out.push_str(&indented(&t));
    if !p.wsjf.is_empty() {
        out.push_str(
            "\nRanked by WSJF ((value + time criticality + risk reduction) / job size)\n\n",
        );
        let mut t = table(2, &["#", "Initiative", "WSJF"]);
        for r in &p.wsjf {
            t.add_row(vec![r.rank.to_string(), r.name.clone(), number(r.score)]);
        }
        for line in t.to_string().lines() {
            out.push_str(&format!("  {}\n", line.trim_end()));
        }
    }
    let names: Vec<String> = p
        .best
        .order
        .iter()
        .map(|id| find(id).map_or(id.clone(), |i| i.name.clone()))
        .collect();
    let how = match p.best.method {
        SequenceMethod::SmithRule => "highest CD3 first, which is optimal here",
        SequenceMethod::Exhaustive => "every order tried",
        SequenceMethod::LocalSearch => "CD3 order improved by swaps",
        SequenceMethod::AsGiven => "as listed",
    };
    out.push_str(&format!(
        "\nBest sequence ({how}): {}\n",
        names.join(" -> ")
    ));
    out.push_str(&format!(
        "  Total delay cost {}, against {} in the listed order\n",
        money(p.best.total_delay_cost, cur),
        money(p.listed_sequence.total_delay_cost, cur)
    ));
    out
}

pub fn matrix(model: &Model, m: &DependencyMatrix) -> String {
    let u = model.time_unit.suffix();
    if m.impacts.is_empty() {
        return "No PBC serves any stage yet.\n".into();
    }
    let mut out = format!(
        "{} PBCs x {} stages, {} assignments\n\n",
        m.pbcs.len(),
        m.stages.len(),
        m.cells.len()
    );
    let mut t = table(
        2,
        &["PBC", "Stream", "Stages", "Time added", "Lead time impact"],
    );
    let pbc_name = |id: &str| model.pbc(id).map_or(id.to_owned(), |p| p.name.clone());
    let stream_name = |id: &str| model.stream(id).map_or(id.to_owned(), |s| s.name.clone());
    for i in &m.impacts {
        t.add_row(vec![
            pbc_name(&i.pbc),
            stream_name(&i.stream),
            i.stages.to_string(),
            format!("{} {u}", number(i.process_time + i.wait_time)),
            format!("{} {u}", number(i.lead_time_impact)),
        ]);
    }
    out.push_str(&indented(&t));
    out
}

pub fn problems(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return "OK: no problems found.\n".into();
    }
    let mut out = String::new();
    for p in problems {
        out.push_str(&format!("{p}\n"));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    out.push_str(&format!(
        "{} error(s), {} warning(s)\n",
        errors,
        problems.len() - errors
    ));
    out
}

/// "1 stream", "2 streams".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Text with the control characters a name may carry (escape, bell, NUL) shown as escapes,
/// so that nothing read from a model or an export can drive the terminal. Line breaks and
/// tabs stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}
