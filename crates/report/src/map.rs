//! The value stream map as a picture, in the grammar lean practitioners read without a legend
//! (Rother & Shook; Martin & Osterling): process boxes with their data boxes, a queue
//! triangle carrying the wait before each stage, push arrows, the timeline ladder along the
//! bottom (wait on the upper rung, process time on the lower) with the totals and the summary
//! box at its right end. PBCs sit as chips in the box body; the bottleneck is outlined and
//! labelled; kaizen bursts mark the stages a scenario changes.
//!
//! Columns come from [`tributary_core::layout::grid`]. A long stream wraps into bands of at
//! most `columns_per_band` columns; each band carries its own stretch of the ladder, and the
//! last one ends with the totals and the summary box.

use std::collections::HashMap;

use tributary_core::format::{number, percent};
use tributary_core::layout::{self, Grid};
use tributary_core::metrics::{StageMetrics, StreamMetrics};
use tributary_core::model::{Change, Model, PbcKind, Scenario, Stream};

use crate::fonts::{self, Weight};
use crate::scene::{Anchor, Group, Scene, Stroke, colour};

pub const GAP: f64 = 40.0;
pub const BOX_W: f64 = 104.0;
pub const COL_W: f64 = GAP + BOX_W;
const PAD: f64 = 16.0;
const TOP: f64 = 38.0;
const TAG: f64 = 14.0;
const HEAD_H: f64 = 26.0;
const BODY_H: f64 = 40.0;
const DATA_LINE: f64 = 9.6;
const ROW_H: f64 = TAG + HEAD_H + BODY_H + 4.0 + 5.0 * DATA_LINE + 6.0 + 6.0;
const LADDER_H: f64 = 46.0;
pub const SUMMARY_W: f64 = 140.0;
const SUMMARY_GAP: f64 = 58.0;

/// What the map shows of one stage.
struct Stage {
    id: String,
    name: String,
    team: Option<String>,
    /// (name, kind) of each PBC serving the stage.
    pbcs: Vec<(String, PbcKind)>,
    process: f64,
    wait: f64,
    lead: f64,
    pca: f64,
    capacity: Option<f64>,
    utilisation: Option<f64>,
    critical: bool,
    /// Numbers of the scenario changes that act on this stage (1-based).
    kaizen: Vec<usize>,
}

impl Stage {
    /// The stage as the map shows it, from the model and the engine's figures.
    fn of(
        model: &Model,
        st: &tributary_core::Stage,
        m: &StageMetrics,
        kaizen: Vec<usize>,
    ) -> Stage {
        Stage {
            id: st.id.clone(),
            name: st.name.clone(),
            team: st.team.clone(),
            pbcs: m
                .pbcs
                .iter()
                .map(|id| match model.pbc(id) {
                    Some(p) => (p.name.clone(), p.kind),
                    None => (id.clone(), PbcKind::Modern),
                })
                .collect(),
            process: m.process_time,
            wait: m.wait_time,
            lead: m.lead_time,
            pca: m.pca,
            capacity: m.capacity,
            utilisation: m.utilisation,
            critical: m.on_critical_path,
            kaizen,
        }
    }
}

/// The push arrows as (from, to) stage indices: the stream's edges, or a line.
fn edges(stream: &Stream, index: &HashMap<&str, usize>) -> Vec<(usize, usize)> {
    if stream.edges.is_empty() {
        (1..stream.stages.len()).map(|i| (i - 1, i)).collect()
    } else {
        stream
            .edges
            .iter()
            .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?)))
            .collect()
    }
}

/// The numbers of the scenario changes acting on each stage (1-based, as the legend lists
/// them), and the legend's line for each change that acts on a stage of the stream.
fn kaizen(
    model: &Model,
    stream: &Stream,
    scenario: Option<&Scenario>,
    index: &HashMap<&str, usize>,
) -> (Vec<Vec<usize>>, Vec<String>) {
    let mut kaizen: Vec<Vec<usize>> = vec![Vec::new(); stream.stages.len()];
    let mut notes = Vec::new();
    for change in scenario.iter().flat_map(|sc| &sc.changes) {
        let hit = stages_changed(model, stream, change, index);
        if hit.is_empty() {
            continue;
        }
        notes.push(tributary_core::scenario::describe(model, change));
        for i in hit {
            kaizen[i].push(notes.len());
        }
    }
    (kaizen, notes)
}

/// Everything the map needs, gathered from the model and the engine's numbers.
pub struct MapInput {
    stream_name: String,
    trigger: Option<String>,
    value: Option<String>,
    unit: &'static str,
    stages: Vec<Stage>,
    /// (from, to) stage indices.
    edges: Vec<(usize, usize)>,
    grid: Grid,
    bottleneck: Option<usize>,
    lead_time: f64,
    process_time: f64,
    flow_efficiency: f64,
    rolled_pca: f64,
    expected_lead_time: f64,
    /// The scenario's changes that act on stages, numbered as on the map.
    pub kaizen_notes: Vec<String>,
}

impl MapInput {
    pub fn new(
        model: &Model,
        stream: &Stream,
        metrics: &StreamMetrics,
        scenario: Option<&Scenario>,
    ) -> tributary_core::Result<MapInput> {
        let grid = layout::grid(stream)?;
        let index: HashMap<&str, usize> = stream
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let edges = edges(stream, &index);
        let (kaizen, kaizen_notes) = kaizen(model, stream, scenario, &index);
        let stages = stream
            .stages
            .iter()
            .zip(&metrics.stages)
            .zip(kaizen)
            .map(|((st, m), kaizen)| Stage::of(model, st, m, kaizen))
            .collect();
        let bottleneck = metrics
            .bottleneck
            .as_ref()
            .and_then(|b| index.get(b.id.as_str()).copied());
        Ok(MapInput {
            stream_name: stream.name.clone(),
            trigger: stream.trigger.clone(),
            value: stream.value.clone(),
            unit: model.time_unit.suffix(),
            stages,
            edges,
            grid,
            bottleneck,
            lead_time: metrics.lead_time,
            process_time: metrics.process_time,
            flow_efficiency: metrics.flow_efficiency,
            rolled_pca: metrics.rolled_pca,
            expected_lead_time: metrics.expected_lead_time,
            kaizen_notes,
        })
    }

    /// Splits the columns into bands of at most `per_band` columns; the summary box takes the
    /// room of one column at the end of the last band. Bands are balanced in length.
    pub fn bands(&self, per_band: usize) -> Vec<std::ops::Range<u32>> {
        let per_band = per_band.max(2);
        let columns = self.grid.columns as usize;
        let slots = columns + 1;
        let count = slots.div_ceil(per_band).max(1);
        let mut out = Vec::with_capacity(count);
        let mut start = 0usize;
        for b in 0..count {
            // spread the slots evenly; the summary slot belongs to the last band
            let end_slot = (slots * (b + 1)).div_ceil(count);
            let end = end_slot.min(columns);
            out.push(start as u32..end as u32);
            start = end;
        }
        out
    }

    /// The picture of one band of columns.
    pub fn band(&self, columns: std::ops::Range<u32>, first: bool, last: bool) -> Scene {
        let in_band: Vec<usize> = (0..self.stages.len())
            .filter(|&i| columns.contains(&self.grid.slots[i].column))
            .collect();
        let rows = in_band
            .iter()
            .map(|&i| self.grid.slots[i].row + 1)
            .max()
            .unwrap_or(1);
        let ncols = columns.len() as f64;
        let body_w = PAD + ncols * COL_W;
        let width = body_w
            + if last {
                SUMMARY_GAP + SUMMARY_W + PAD
            } else {
                PAD
            };
        let ladder_top = TOP + f64::from(rows) * ROW_H;
        let height = ladder_top + LADDER_H;
        let at = Place {
            start: columns.start,
        };
        // the flow arrows before the boxes, so the boxes sit on top of them
        let mut groups = vec![
            self.ends(&columns, first, last, width, body_w),
            self.flow(&columns, at, body_w),
        ];
        for &i in &in_band {
            let slot = self.grid.slots[i];
            groups.push(self.stage_group(i, at.left(slot.column), Place::box_top(slot.row)));
        }
        groups.push(self.ladder(&columns, ladder_top, |c| at.left(c), last, body_w));
        if last {
            groups.push(self.summary(
                width - PAD - SUMMARY_W,
                ladder_top + LADDER_H - SUMMARY_H - 2.0,
            ));
        }
        Scene {
            width,
            height,
            groups,
        }
    }

    /// Trigger and customer across the top, joined by the information flow.
    fn ends(
        &self,
        columns: &std::ops::Range<u32>,
        first: bool,
        last: bool,
        width: f64,
        body_w: f64,
    ) -> Group {
        let mut top = Group::new(format!("ends-{}", columns.start), "label");
        let top_y = 2.0;
        let mut flow_from = PAD;
        if first {
            let label = self.trigger.as_deref().unwrap_or("Customer request");
            end_box(&mut top, PAD, top_y, "TRIGGER", label);
            flow_from = PAD + END_W;
        }
        let mut flow_to = body_w;
        if last {
            let x = width - PAD - SUMMARY_W;
            let label = self.value.as_deref().unwrap_or("Value delivered");
            end_box(&mut top, x + SUMMARY_W - END_W, top_y, "CUSTOMER", label);
            flow_to = x + SUMMARY_W - END_W;
        }
        if flow_to > flow_from + 20.0 {
            let y = top_y + END_H / 2.0;
            top.line(
                &[[flow_from + 4.0, y], [flow_to - 4.0, y]],
                Stroke::dashed(colour::RULE, 0.8, 2.0, 2.0),
            );
            top.text(
                (flow_from + flow_to) / 2.0,
                y - 3.0,
                if first && last {
                    format!("{}: flow of work left to right", self.stream_name)
                } else if first {
                    "flow of work continues on the next band".to_owned()
                } else {
                    "continued from the band above".to_owned()
                },
                6.0,
                Weight::Regular,
                colour::MUTED,
                Anchor::Middle,
            );
        }
        top
    }

    /// The push arrows between the band's stages, and the connectors to the bands before
    /// and after.
    fn flow(&self, columns: &std::ops::Range<u32>, at: Place, body_w: f64) -> Group {
        let mut flow = Group::new(format!("flow-{}", columns.start), "flow");
        for &(a, b) in &self.edges {
            let (sa, sb) = (self.grid.slots[a], self.grid.slots[b]);
            let a_in = columns.contains(&sa.column);
            let b_in = columns.contains(&sb.column);
            match (a_in, b_in) {
                (true, true) => {
                    let pts = arrow_path(at, sa, sb);
                    flow.arrow(&pts, colour::INK, 1.1, true);
                }
                (false, true) if sa.column < columns.start => {
                    let y = Place::arrow_y(sb.row);
                    let x0 = PAD - 8.0;
                    flow.poly(
                        &circle(x0, y, 2.5),
                        Some(colour::WHITE),
                        Stroke::solid(colour::INK, 0.8),
                    );
                    flow.arrow(
                        &[[x0 + 2.5, y], [at.left(sb.column) + GAP, y]],
                        colour::INK,
                        1.1,
                        true,
                    );
                }
                (true, false) if sb.column >= columns.end => {
                    let y = Place::arrow_y(sa.row);
                    let x1 = body_w + 6.0;
                    flow.line(
                        &[[at.left(sa.column) + COL_W, y], [x1 - 2.5, y]],
                        Stroke::dashed(colour::INK, 1.1, 3.0, 1.6),
                    );
                    flow.poly(
                        &circle(x1, y, 2.5),
                        Some(colour::WHITE),
                        Stroke::solid(colour::INK, 0.8),
                    );
                }
                _ => {}
            }
        }
        flow
    }

    /// One stage: the queue before it, its process box with its marks, its data box.
    fn stage_group(&self, i: usize, left: f64, y0: f64) -> Group {
        let s = &self.stages[i];
        let mut g = Group::new(format!("stage-{i}"), "stage");
        g.stage = Some(s.id.clone());
        let bx = left + GAP;
        self.queue(&mut g, s, left, y0);
        self.process_box(&mut g, s, bx, y0);
        if self.bottleneck == Some(i) {
            bottleneck_mark(&mut g, bx, y0);
        }
        if !s.kaizen.is_empty() {
            kaizen_burst(&mut g, &s.kaizen, bx, y0);
        }
        self.data_box(&mut g, s, bx, y0);
        g
    }

    /// The queue before the stage: the warning triangle with the wait.
    fn queue(&self, g: &mut Group, s: &Stage, left: f64, y0: f64) {
        let u = self.unit;
        let cx = left + GAP / 2.0;
        let ty = y0 + 8.0;
        g.poly(
            &[[cx, ty], [cx + 10.0, ty + 17.0], [cx - 10.0, ty + 17.0]],
            Some(colour::QUEUE),
            Stroke::solid(colour::QUEUE_EDGE, 0.8),
        );
        g.text(
            cx,
            ty + 14.5,
            "I",
            7.5,
            Weight::Bold,
            colour::QUEUE_EDGE,
            Anchor::Middle,
        );
        g.text(
            cx,
            ty + 27.0,
            format!("{} {u}", number(s.wait)),
            6.6,
            Weight::SemiBold,
            colour::INK,
            Anchor::Middle,
        );
    }

    /// The process box: name in the top bar, owner and PBC chips in the body.
    fn process_box(&self, g: &mut Group, s: &Stage, bx: f64, y0: f64) {
        let head_fill = if s.critical { colour::NAVY } else { "#5d6f88" };
        g.rect(
            bx,
            y0,
            BOX_W,
            HEAD_H + BODY_H,
            Some(colour::WHITE),
            Stroke::solid(colour::NAVY, 0.8),
            0.0,
        );
        g.rect(bx, y0, BOX_W, HEAD_H, Some(head_fill), None, 0.0);
        let name = fonts::wrap(&s.name, BOX_W - 10.0, 7.4, Weight::SemiBold, 2);
        let first_base = if name.len() > 1 { y0 + 11.0 } else { y0 + 16.0 };
        for (k, line) in name.iter().enumerate() {
            g.text(
                bx + BOX_W / 2.0,
                first_base + k as f64 * 9.0,
                line.clone(),
                7.4,
                Weight::SemiBold,
                colour::WHITE,
                Anchor::Middle,
            );
        }
        let team = s.team.as_deref().unwrap_or("owner not recorded");
        g.text(
            bx + 5.0,
            y0 + HEAD_H + 9.0,
            fonts::fit(team, BOX_W - 10.0, 6.2, Weight::Regular),
            6.2,
            Weight::Regular,
            colour::MUTED,
            Anchor::Start,
        );
        self.chips(g, &s.pbcs, bx + 4.0, y0 + HEAD_H + 13.0);
    }

    /// The data box under the process box: PT, LT, %C&A, and people and load where known.
    fn data_box(&self, g: &mut Group, s: &Stage, bx: f64, y0: f64) {
        let u = self.unit;
        let mut rows: Vec<(&str, String)> = vec![
            ("PT", format!("{} {u}", number(s.process))),
            ("LT", format!("{} {u}", number(s.lead))),
            ("%C&A", percent(s.pca)),
        ];
        if let Some(c) = s.capacity {
            rows.push(("People", number(c)));
        }
        if let Some(ut) = s.utilisation {
            rows.push(("Load", percent(ut)));
        }
        let dy = y0 + HEAD_H + BODY_H + 4.0;
        let dh = rows.len() as f64 * DATA_LINE + 4.0;
        g.rect(
            bx,
            dy,
            BOX_W,
            dh,
            Some(colour::FAINT),
            Stroke::solid(colour::RULE, 0.6),
            0.0,
        );
        for (k, (label, value)) in rows.into_iter().enumerate() {
            let base = dy + 9.0 + k as f64 * DATA_LINE;
            g.text(
                bx + 5.0,
                base,
                label,
                6.4,
                Weight::Regular,
                colour::MUTED,
                Anchor::Start,
            );
            g.text(
                bx + BOX_W - 5.0,
                base,
                value,
                6.4,
                Weight::Medium,
                colour::INK,
                Anchor::End,
            );
        }
    }

    /// PBC chips, in up to two rows; what does not fit is counted in a last chip.
    fn chips(&self, g: &mut Group, pbcs: &[(String, PbcKind)], x0: f64, y0: f64) {
        const H: f64 = 10.0;
        const SIZE: f64 = 5.8;
        let max_x = x0 + BOX_W - 8.0;
        let mut x = x0;
        let mut row = 0;
        for (k, (name, kind)) in pbcs.iter().enumerate() {
            let label = fonts::fit(name, BOX_W - 16.0, SIZE, Weight::Medium);
            let w = fonts::width(&label, SIZE, Weight::Medium) + 7.0;
            if x + w > max_x && x > x0 {
                row += 1;
                x = x0;
            }
            let remaining = pbcs.len() - k;
            let more_w = 18.0;
            let last_row = row == 1;
            if row > 1 || (last_row && remaining > 1 && x + w + more_w > max_x) {
                // no room: say how many are left
                let y = y0
                    + if row > 1 {
                        H + 2.0
                    } else {
                        f64::from(row) * (H + 2.0)
                    };
                let x = if row > 1 { x0 } else { x };
                g.rect(
                    x,
                    y,
                    more_w,
                    H,
                    Some(colour::WHITE),
                    Stroke::solid(colour::MUTED, 0.5),
                    2.0,
                );
                g.text(
                    x + more_w / 2.0,
                    y + 7.0,
                    format!("+{remaining}"),
                    SIZE,
                    Weight::Medium,
                    colour::MUTED,
                    Anchor::Middle,
                );
                return;
            }
            let y = y0 + f64::from(row) * (H + 2.0);
            let (fill, edge) = match kind {
                PbcKind::Legacy => (colour::LEGACY, colour::LEGACY_EDGE),
                PbcKind::Modern => (colour::MODERN, colour::MODERN_EDGE),
                PbcKind::Saas => (colour::SAAS, colour::MODERN_EDGE),
            };
            g.rect(x, y, w, H, Some(fill), Stroke::solid(edge, 0.5), 2.0);
            g.text(
                x + 3.5,
                y + 7.0,
                label,
                SIZE,
                Weight::Medium,
                colour::INK,
                Anchor::Start,
            );
            x += w + 3.0;
        }
    }

    /// The timeline ladder under the band: the critical path's wait on the upper rung and
    /// process time on the lower; stages off it get a dashed rung.
    fn ladder(
        &self,
        columns: &std::ops::Range<u32>,
        top: f64,
        left: impl Fn(u32) -> f64,
        last: bool,
        body_w: f64,
    ) -> Group {
        let mut g = Group::new(format!("ladder-{}", columns.start), "ladder");
        let u = self.unit;
        let up = top + 16.0;
        let down = up + 16.0;
        let stroke = Stroke::solid(colour::INK, 0.9);
        let mut pts: Vec<[f64; 2]> = Vec::new();
        let critical: HashMap<u32, usize> = (0..self.stages.len())
            .filter(|&i| self.stages[i].critical)
            .map(|i| (self.grid.slots[i].column, i))
            .collect();
        for c in columns.clone() {
            let x = left(c);
            match critical.get(&c) {
                Some(&i) => {
                    let s = &self.stages[i];
                    pts.push([x, up]);
                    pts.push([x + GAP, up]);
                    pts.push([x + GAP, down]);
                    pts.push([x + COL_W, down]);
                    pts.push([x + COL_W, up]);
                    rung_labels(&mut g, x, up, down, s, u);
                }
                None => {
                    if !pts.is_empty() {
                        g.line(&pts, stroke.clone());
                        pts.clear();
                    }
                    g.line(
                        &[[x, up], [x + COL_W, up]],
                        Stroke::dashed(colour::RULE, 0.8, 1.5, 1.5),
                    );
                }
            }
        }
        if !pts.is_empty() {
            g.line(&pts, stroke);
        }
        self.ladder_end(&mut g, body_w, up, down, last);
        g
    }

    /// The ladder's right end: the totals in bold on the last band, else "continues".
    fn ladder_end(&self, g: &mut Group, end: f64, up: f64, down: f64, last: bool) {
        let u = self.unit;
        if last {
            // totals at the right end of the ladder, bold
            g.line(
                &[[end, up], [end + 8.0, up]],
                Stroke::solid(colour::INK, 0.9),
            );
            g.text(
                end + 10.0,
                up + 2.5,
                format!("{} {u}", number(self.lead_time)),
                7.4,
                Weight::Bold,
                colour::INK,
                Anchor::Start,
            );
            g.text(
                end + 10.0,
                down + 2.5,
                format!("{} {u}", number(self.process_time)),
                7.4,
                Weight::Bold,
                colour::INK,
                Anchor::Start,
            );
            g.text(
                end + 10.0,
                up - 7.0,
                "LT",
                5.8,
                Weight::Regular,
                colour::MUTED,
                Anchor::Start,
            );
            g.text(
                end + 10.0,
                down + 11.0,
                "PT",
                5.8,
                Weight::Regular,
                colour::MUTED,
                Anchor::Start,
            );
        } else {
            g.text(
                end + 2.0,
                down + 9.0,
                "continues →",
                6.0,
                Weight::Regular,
                colour::MUTED,
                Anchor::End,
            );
        }
    }

    /// The summary box at the end of the ladder.
    fn summary(&self, x: f64, y: f64) -> Group {
        let mut g = Group::new("summary", "summary");
        let u = self.unit;
        g.rect(
            x,
            y,
            SUMMARY_W,
            SUMMARY_H,
            Some(colour::WHITE),
            Stroke::solid(colour::NAVY, 1.0),
            0.0,
        );
        g.rect(x, y, SUMMARY_W, 14.0, Some(colour::NAVY), None, 0.0);
        g.text(
            x + 6.0,
            y + 9.8,
            "SUMMARY",
            6.6,
            Weight::Bold,
            colour::WHITE,
            Anchor::Start,
        );
        let rows = [
            ("Lead time", format!("{} {u}", number(self.lead_time))),
            ("Process time", format!("{} {u}", number(self.process_time))),
            ("Activity ratio", percent(self.flow_efficiency)),
            ("Rolled %C&A", percent(self.rolled_pca)),
            (
                "LT with rework",
                format!("{} {u}", number(self.expected_lead_time)),
            ),
        ];
        for (k, (label, value)) in rows.into_iter().enumerate() {
            let base = y + 25.0 + k as f64 * 10.5;
            let weight = if k < 3 { Weight::Bold } else { Weight::Medium };
            g.text(
                x + 6.0,
                base,
                label,
                6.8,
                Weight::Regular,
                colour::MUTED,
                Anchor::Start,
            );
            g.text(
                x + SUMMARY_W - 6.0,
                base,
                value,
                6.8,
                weight,
                colour::INK,
                Anchor::End,
            );
        }
        g
    }

    /// The whole map as one picture (for SVG and PNG): a title, the bands stacked, a legend.
    pub fn picture(&self, per_band: usize, caption: &str) -> Scene {
        let bands = self.bands(per_band);
        let count = bands.len();
        let scenes: Vec<Scene> = bands
            .into_iter()
            .enumerate()
            .map(|(k, cols)| self.band(cols, k == 0, k + 1 == count))
            .collect();
        let width = scenes.iter().map(|s| s.width).fold(520.0, f64::max);
        let mut groups = Vec::new();
        let mut title = Group::new("title", "label");
        title.text(
            PAD,
            22.0,
            format!("Value stream map · {}", self.stream_name),
            13.0,
            Weight::SemiBold,
            colour::NAVY,
            Anchor::Start,
        );
        title.text(
            PAD,
            36.0,
            caption.to_owned(),
            7.5,
            Weight::Regular,
            colour::MUTED,
            Anchor::Start,
        );
        groups.push(title);
        let mut y = 46.0;
        for scene in scenes {
            groups.extend(scene.groups.into_iter().map(|g| offset(g, 0.0, y)));
            y += scene.height + 10.0;
        }
        let mut legend = Group::new("legend", "label");
        self.legend(&mut legend, PAD, y + 4.0, width - 2.0 * PAD);
        groups.push(legend);
        Scene {
            width,
            // the legend's last line, its descenders and a margin
            height: y + 4.0 + self.legend_last_baseline() + 6.0,
            groups,
        }
    }

    /// Where the legend's last line of text sits, below the legend's top.
    fn legend_last_baseline(&self) -> f64 {
        // the key at 7, the abbreviations 11 below it, then each planned change 9 apart
        match self.kaizen_notes.len() {
            0 => 18.0,
            n => 29.0 + 9.0 * (n - 1) as f64,
        }
    }

    /// The key to the map's marks, on one line, then the numbered planned changes.
    pub fn legend(&self, g: &mut Group, x: f64, y: f64, width: f64) {
        self.marks(g, x, y);
        let base = y + 7.0;
        g.text(x, base + 11.0, "PT process time · LT lead time (wait + process) · %C&A percent complete and accurate · People: capacity · Load: utilisation", 6.0, Weight::Regular, colour::MUTED, Anchor::Start);
        self.kaizen_key(g, x, base, width);
    }

    /// The key to the marks, each drawn beside its words, on one line from (x, y).
    fn marks(&self, g: &mut Group, x: f64, y: f64) {
        let mut cx = x;
        let base = y + 7.0;
        let size = 6.4;
        let item = |g: &mut Group, cx: &mut f64, label: &str| {
            g.text(
                *cx,
                base,
                label.to_owned(),
                size,
                Weight::Regular,
                colour::MUTED,
                Anchor::Start,
            );
            *cx += fonts::width(label, size, Weight::Regular) + 12.0;
        };
        g.poly(
            &[[cx + 4.0, y], [cx + 9.0, y + 9.0], [cx - 1.0, y + 9.0]],
            Some(colour::QUEUE),
            Stroke::solid(colour::QUEUE_EDGE, 0.6),
        );
        cx += 12.0;
        item(g, &mut cx, "queue: wait before the stage");
        for (fill, edge, label) in [
            (colour::LEGACY, colour::LEGACY_EDGE, "legacy PBC"),
            (colour::MODERN, colour::MODERN_EDGE, "modern PBC"),
            (colour::SAAS, colour::MODERN_EDGE, "SaaS PBC"),
        ] {
            g.rect(
                cx,
                y + 1.0,
                12.0,
                7.0,
                Some(fill),
                Stroke::solid(edge, 0.5),
                1.5,
            );
            cx += 15.0;
            item(g, &mut cx, label);
        }
        g.rect(cx, y + 1.0, 12.0, 7.0, Some("#5d6f88"), None, 0.0);
        cx += 15.0;
        item(g, &mut cx, "stage off the critical path");
        if self.bottleneck.is_some() {
            g.rect(
                cx,
                y + 1.0,
                12.0,
                7.0,
                None,
                Stroke::solid(colour::BAD, 1.6),
                0.0,
            );
            cx += 15.0;
            item(g, &mut cx, "bottleneck");
        }
    }

    /// The numbered planned changes under the key, from the line after `base`.
    fn kaizen_key(&self, g: &mut Group, x: f64, base: f64, width: f64) {
        for (k, note) in self.kaizen_notes.iter().enumerate() {
            let by = base + 22.0 + k as f64 * 9.0;
            g.poly(
                &burst(x + 4.0, by - 2.2, 4.5, 2.8, 8),
                Some(colour::WHITE),
                Stroke::solid(colour::PLANNED, 0.7),
            );
            g.text(
                x + 12.0,
                by,
                fonts::fit(
                    &format!("{}  {note}", k + 1),
                    width - 14.0,
                    6.4,
                    Weight::Regular,
                ),
                6.4,
                Weight::Regular,
                colour::INK,
                Anchor::Start,
            );
        }
    }
}

/// Where things sit in a band whose first column is `start`.
#[derive(Debug, Clone, Copy)]
struct Place {
    start: u32,
}

impl Place {
    /// The left edge of a column (its queue triangle; the box starts `GAP` further).
    fn left(self, col: u32) -> f64 {
        PAD + f64::from(col - self.start) * COL_W
    }

    fn box_top(row: u32) -> f64 {
        TOP + f64::from(row) * ROW_H + TAG
    }

    /// The height at which flow arrows meet the boxes of a row.
    fn arrow_y(row: u32) -> f64 {
        Place::box_top(row) + HEAD_H + BODY_H * 0.5
    }
}

/// The arrow from one stage to the next within a band: straight, stepped to another row, or
/// above the boxes in between when it skips columns.
fn arrow_path(at: Place, sa: layout::Slot, sb: layout::Slot) -> Vec<[f64; 2]> {
    let x0 = at.left(sa.column) + COL_W;
    let x1 = at.left(sb.column) + GAP;
    let (y0, y1) = (Place::arrow_y(sa.row), Place::arrow_y(sb.row));
    if sb.column == sa.column + 1 {
        if (y0 - y1).abs() < 0.1 {
            vec![[x0, y0], [x1, y1]]
        } else {
            let xm = at.left(sb.column) + 6.0;
            vec![[x0, y0], [xm, y0], [xm, y1], [x1, y1]]
        }
    } else {
        // skips columns: run above the boxes in between
        let yc = TOP + f64::from(sa.row.min(sb.row)) * ROW_H + 3.0;
        let xm = at.left(sb.column) + 6.0;
        vec![
            [x0, y0],
            [x0 + 6.0, y0],
            [x0 + 6.0, yc],
            [xm, yc],
            [xm, y1],
            [x1, y1],
        ]
    }
}

/// The bottleneck's mark: a red outline round the box and a flag above it.
fn bottleneck_mark(g: &mut Group, bx: f64, y0: f64) {
    g.rect(
        bx - 1.0,
        y0 - 1.0,
        BOX_W + 2.0,
        HEAD_H + BODY_H + 2.0,
        None,
        Stroke::solid(colour::BAD, 2.0),
        0.0,
    );
    let ty = y0 - 4.0;
    g.poly(
        &[[bx, ty], [bx + 4.0, ty - 7.0], [bx + 8.0, ty]],
        Some(colour::BAD),
        None,
    );
    g.text(
        bx + 11.0,
        ty,
        "BOTTLENECK",
        6.2,
        Weight::Bold,
        colour::BAD,
        Anchor::Start,
    );
}

/// A kaizen burst on the box's corner, numbered with the scenario changes acting there.
fn kaizen_burst(g: &mut Group, kaizen: &[usize], bx: f64, y0: f64) {
    let label = kaizen
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let size = if label.len() > 3 { 5.0 } else { 6.0 };
    let w = fonts::width(&label, size, Weight::Bold);
    let outer = (w / 2.0 + 6.0).clamp(9.5, 15.0);
    let (kx, ky) = (bx + BOX_W - outer + 4.0, y0 - 4.0);
    g.poly(
        &burst(kx, ky, outer, outer * 0.68, 12),
        Some(colour::WHITE),
        Stroke::solid(colour::PLANNED, 1.0),
    );
    let label = fonts::fit(&label, 2.0 * outer * 0.68 - 2.0, size, Weight::Bold);
    g.text(
        kx,
        ky + size * 0.36,
        label,
        size,
        Weight::Bold,
        colour::PLANNED,
        Anchor::Middle,
    );
}

/// A critical stage's wait above the ladder's upper rung and its process time under the lower.
fn rung_labels(g: &mut Group, x: f64, up: f64, down: f64, s: &Stage, u: &str) {
    g.text(
        x + GAP / 2.0,
        up - 4.0,
        format!("{} {u}", number(s.wait)),
        6.6,
        Weight::Regular,
        colour::INK,
        Anchor::Middle,
    );
    g.text(
        x + GAP + BOX_W / 2.0,
        down + 9.0,
        format!("{} {u}", number(s.process)),
        6.6,
        Weight::Regular,
        colour::INK,
        Anchor::Middle,
    );
}

const END_W: f64 = 150.0;
const END_H: f64 = 28.0;
const SUMMARY_H: f64 = 78.0;

/// A trigger or customer box: a small caption and the text (two lines at most).
fn end_box(g: &mut Group, x: f64, y: f64, caption: &str, label: &str) {
    g.rect(
        x,
        y,
        END_W,
        END_H,
        Some(colour::WHITE),
        Stroke::solid(colour::MUTED, 0.8),
        3.0,
    );
    g.text(
        x + 6.0,
        y + 8.0,
        caption.to_owned(),
        5.6,
        Weight::Bold,
        colour::MUTED,
        Anchor::Start,
    );
    for (k, line) in fonts::wrap(label, END_W - 12.0, 6.8, Weight::Medium, 2)
        .into_iter()
        .enumerate()
    {
        g.text(
            x + 6.0,
            y + 16.5 + k as f64 * 8.0,
            line,
            6.8,
            Weight::Medium,
            colour::INK,
            Anchor::Start,
        );
    }
}

/// The indices of the stages of `stream` a change acts on.
fn stages_changed(
    model: &Model,
    stream: &Stream,
    change: &Change,
    index: &HashMap<&str, usize>,
) -> Vec<usize> {
    tributary_core::scenario::stages_of_change(model, change)
        .into_iter()
        .filter(|(s, _)| *s == stream.id)
        .filter_map(|(_, st)| index.get(st.as_str()).copied())
        .collect()
}

/// A star with `n` points (a kaizen burst).
fn burst(cx: f64, cy: f64, outer: f64, inner: f64, n: usize) -> Vec<[f64; 2]> {
    (0..2 * n)
        .map(|k| {
            let a = std::f64::consts::PI * k as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            let r = if k % 2 == 0 { outer } else { inner };
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect()
}

/// A small circle as a polygon (connectors between bands).
fn circle(cx: f64, cy: f64, r: f64) -> Vec<[f64; 2]> {
    (0..12)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / 12.0;
            [cx + r * a.cos(), cy + r * a.sin()]
        })
        .collect()
}

/// Moves every shape of a group by (dx, dy).
pub fn offset(mut g: Group, dx: f64, dy: f64) -> Group {
    use crate::scene::Shape;
    for s in &mut g.shapes {
        match s {
            Shape::Rect { x, y, .. } | Shape::Text { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Shape::Line { points, .. } | Shape::Poly { points, .. } => {
                for p in points {
                    p[0] += dx;
                    p[1] += dy;
                }
            }
        }
    }
    g
}
