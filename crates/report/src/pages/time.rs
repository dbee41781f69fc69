//! Where the time goes: wait and process time per stage as bars from zero on one scale, the
//! critical path and the bottleneck marked; a long stream shows its longest stages and the
//! rest together.

use serde::Serialize;
use tributary_core::format::{number, percent};
use tributary_core::metrics::{StageGroup, StageMetrics};

use super::Subject;
use super::axis::{ticks, ticks_max};
use super::words::dur;

/// Most rows of the chart (the last one may stand for the other stages together).
const CHART_ROWS: usize = 24;

#[derive(Debug, Serialize)]
pub struct TimeRow {
    pub name: String,
    pub process: f64,
    pub wait: f64,
    pub process_s: String,
    pub wait_s: String,
    pub lead_s: String,
    pub share_s: String,
    pub critical: bool,
    pub bottleneck: bool,
}

#[derive(Debug, Serialize)]
pub struct TimeChart {
    pub headline: String,
    pub subtitle: String,
    pub rows: Vec<TimeRow>,
    pub max: f64,
    pub ticks: Vec<(f64, String)>,
    pub note: Option<String>,
}

pub fn time_chart(s: &Subject) -> TimeChart {
    let sm = &s.sm;
    let longest = sm.longest_stages(CHART_ROWS - 1);
    let mut rows: Vec<TimeRow> = longest
        .shown
        .iter()
        .map(|&i| stage_row(s, &sm.stages[i]))
        .collect();
    let mut note = None;
    if longest.rest.stages > 0 {
        rows.push(rest_row(s, &longest.rest));
        note = Some(format!(
            "The {} stages with the longest lead time are shown in flow order; every stage is listed in the appendix.",
            longest.shown.len()
        ));
    }
    let max = rows.iter().map(|r| r.process + r.wait).fold(0.0, f64::max);
    let ticks = ticks(max).into_iter().map(|t| (t, number(t))).collect();
    let waiting = percent(sm.wait_share());
    let headline = match sm.longest_wait() {
        Some(t) if sm.wait_time > 0.0 => format!(
            "Waiting is {waiting} of the lead time; the longest queue is before {} ({})",
            t.name,
            dur(t.wait_time, s.unit())
        ),
        _ => format!("Waiting is {waiting} of the lead time"),
    };
    TimeChart {
        headline,
        subtitle: format!(
            "Where the time goes: wait and process time per stage, in {} (bars from zero, one scale)",
            s.model.time_unit.as_str()
        ),
        rows,
        max: ticks_max(max),
        ticks,
        note,
    }
}

fn stage_row(s: &Subject, st: &StageMetrics) -> TimeRow {
    let sm = &s.sm;
    let u = s.unit();
    TimeRow {
        name: st.name.clone(),
        process: st.process_time,
        wait: st.wait_time,
        process_s: dur(st.process_time, u),
        wait_s: dur(st.wait_time, u),
        lead_s: dur(st.lead_time, u),
        share_s: if sm.lead_time > 0.0 && st.on_critical_path {
            percent(sm.share_of_lead_time(st.lead_time))
        } else {
            String::new()
        },
        critical: st.on_critical_path,
        bottleneck: sm.bottleneck.as_ref().is_some_and(|b| b.id == st.id),
    }
}

/// The stages the chart has no room for, as one row.
fn rest_row(s: &Subject, rest: &StageGroup) -> TimeRow {
    let u = s.unit();
    TimeRow {
        name: format!("The other {} stages together", rest.stages),
        process: rest.process_time,
        wait: rest.wait_time,
        process_s: dur(rest.process_time, u),
        wait_s: dur(rest.wait_time, u),
        lead_s: dur(rest.lead_time, u),
        share_s: String::new(),
        critical: false,
        bottleneck: false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Two stages wait 40 h each: the page names the first, as the bottleneck does.
    #[test]
    fn on_a_tie_the_longest_queue_is_the_bottleneck() {
        let model = tributary_core::exchange::from_json(
            r#"{"format":"tributary/1","name":"Tie","streams":[{"id":"s","name":"S",
            "demand_per_week":1,"stages":[
            {"id":"a","name":"Triage","process_time":1,"wait_time":40},
            {"id":"b","name":"Review","process_time":2,"wait_time":40}]}]}"#,
        )
        .unwrap();
        let s = super::super::subject(&model, "s", None).unwrap();
        assert_eq!(s.sm.bottleneck.as_ref().unwrap().name, "Triage");
        // 80 h of 83 h waiting
        assert_eq!(
            time_chart(&s).headline,
            "Waiting is 96.4 % of the lead time; the longest queue is before Triage (40 h)"
        );
    }
}
