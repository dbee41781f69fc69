//! Rules a model must keep before any number is computed from it.
//!
//! Every finding names its place twice: as a path into the exchange document
//! (`streams[0].stages[2].wait_time`) and in words (`stage "assess" of stream "s"`), so both a
//! script and a person can find it. The per-item checks are public so that edits can check
//! just the item they touch.

use std::collections::{HashMap, HashSet};

use crate::entity::Entity;
use crate::error::{Error, Problem, Result, Severity};
use crate::graph::Flow;
use crate::model::*;

/// Collects problems. Each is said twice: precisely, with its path and ids, for the command
/// line and scripts; and plainly, with the names people gave and what is allowed, for the app.
#[derive(Default, Debug)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// The item being checked as people know it (`“Credit check”`), for the plain words.
    subject: String,
}

/// How a field is called in the app.
fn label(field: &str) -> &str {
    match field {
        "process_time" => "The process time",
        "wait_time" => "The wait time",
        "pca" => "%C&A",
        "capacity" => "The number of people",
        "demand_per_week" => "The demand a week",
        "cost_of_delay_per_week" => "The cost of delay a week",
        "annual_run_cost" => "The run cost a year",
        "latency" => "The latency",
        "interval" => "The interval between runs",
        "calls_per_item" => "The number of calls per item",
        "duration_weeks" => "The duration",
        "amount" => "The investment",
        "job_size" => "The job size",
        "ramp_weeks" => "The ramp",
        "deadline_week" => "The deadline",
        "business_value" => "The business value",
        "time_criticality" => "The time criticality",
        "risk_reduction" => "The risk reduction",
        other => other,
    }
}

impl Report {
    fn push(&mut self, severity: Severity, path: String, message: String) {
        let plain = message.clone();
        self.problems.push(Problem {
            severity,
            path,
            message,
            field: None,
            plain,
        });
    }

    /// A problem with a field, said plainly as `plain`.
    fn field(&mut self, path: &str, field: &str, message: String, plain: String) {
        self.problems.push(Problem {
            severity: Severity::Error,
            path: format!("{path}.{field}"),
            message,
            field: Some(field.to_owned()),
            plain,
        });
    }

    /// The item the next checks are about, as people know it.
    pub fn about(&mut self, subject: impl Into<String>) {
        self.subject = subject.into();
    }

    fn of(&self, field: &str) -> String {
        if self.subject.is_empty() {
            label(field).to_owned()
        } else {
            format!("{} of {}", label(field), self.subject)
        }
    }

    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, path.into(), message.into());
    }

    pub fn warn(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, path.into(), message.into());
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// `Err(Error::Invalid)` when any problem is an error.
    pub fn into_result(self) -> Result<Vec<Problem>> {
        if self.has_errors() {
            Err(Error::Invalid(self.problems))
        } else {
            Ok(self.problems)
        }
    }

    fn not_a_number(&mut self, path: &str, who: &str, field: &str) {
        let plain = format!("{} is not a number.", self.of(field));
        self.field(
            path,
            field,
            format!("{who}: {field} is not a number"),
            plain,
        );
    }

    fn time(&mut self, path: &str, who: &str, field: &str, v: f64) {
        if !v.is_finite() {
            self.not_a_number(path, who, field);
        } else if v < 0.0 {
            let plain = format!("{} cannot be negative.", self.of(field));
            let message = format!("{who}: {field} is {v}; a time cannot be negative");
            self.field(path, field, message, plain);
        }
    }

    fn non_negative(&mut self, path: &str, who: &str, field: &str, v: f64) {
        if !v.is_finite() {
            self.not_a_number(path, who, field);
        } else if v < 0.0 {
            let plain = format!("{} cannot be negative.", self.of(field));
            let message = format!("{who}: {field} is {v}; it cannot be negative");
            self.field(path, field, message, plain);
        }
    }

    fn positive(&mut self, path: &str, who: &str, field: &str, v: f64) {
        if !(v.is_finite() && v > 0.0) {
            let plain = format!("{} must be more than 0.", self.of(field));
            let message = format!("{who}: {field} is {v}; it must be greater than 0");
            self.field(path, field, message, plain);
        }
    }

    fn pca(&mut self, path: &str, who: &str, field: &str, v: f64) {
        if !(v.is_finite() && v > 0.0 && v <= 1.0) {
            let plain = format!("{} is between 0 and 100 % (more than 0).", self.of(field));
            let message = format!(
                "{who}: {field} is {v}; %C&A is a share of items in (0, 1] (0.9 means 90 %)"
            );
            self.field(path, field, message, plain);
        }
    }

    fn id(&mut self, path: &str, kind: &str, id: &str) {
        if id.trim().is_empty() {
            self.error(format!("{path}.id"), format!("a {kind} has an empty id"));
        } else if id.trim() != id {
            self.error(
                format!("{path}.id"),
                format!("{kind} id {id:?} starts or ends with white space"),
            );
        }
    }

    fn name(&mut self, path: &str, who: &str, name: &str) {
        if name.trim().is_empty() {
            let plain = "A name cannot be empty.".to_owned();
            self.field(path, "name", format!("{who} has an empty name"), plain);
        }
    }
}

/// Checks a whole model. Errors make it unusable for numbers; warnings do not.
pub fn validate(model: &Model) -> Report {
    let mut r = Report::default();
    if model.format != FORMAT {
        r.error(
            "format",
            format!(
                "format is {:?}; this version of Tributary reads {FORMAT:?}",
                model.format
            ),
        );
    }
    check_settings(&mut r, &model.settings());

    let index = Index::new(model);
    macro_rules! check_list {
        ($t:ty) => {
            if !<$t as Entity>::IN_STREAM {
                check_list::<$t>(&mut r, model, &index);
            }
        };
    }
    crate::each_entity!(check_list);
    r
}

/// Checks every item of one of the model's lists, and that no two share a key.
fn check_list<T: Entity>(r: &mut Report, model: &Model, index: &Index<'_>) {
    let mut seen = HashSet::new();
    for (i, x) in T::list(model, None).into_iter().flatten().enumerate() {
        let path = format!("{}[{i}]", T::LIST);
        if !seen.insert(x.key()) {
            let (at, message) = x.duplicate(&path);
            r.error(at, message);
        }
        x.check(r, &path, index, None);
    }
}

/// Fails with every error found; returns the warnings otherwise.
pub fn ensure_valid(model: &Model) -> Result<Vec<Problem>> {
    validate(model).into_result()
}

/// Lookups for reference checks: hash sets when checking a whole model, direct scans when an
/// edit checks the one item it touches (building sets of a large model would cost more than
/// the edit).
pub struct Index<'a> {
    pub model: &'a Model,
    sets: Option<Sets<'a>>,
}

struct Sets<'a> {
    stages: HashMap<&'a str, HashSet<&'a str>>,
    /// PBC id -> name (a model may hold thousands; assignments name them in messages).
    pbcs: HashMap<&'a str, &'a str>,
}

impl<'a> Index<'a> {
    /// For checking many references at once.
    pub fn new(model: &'a Model) -> Index<'a> {
        let stages = model
            .streams
            .iter()
            .map(|s| {
                let ids = s.stages.iter().map(|st| st.id.as_str()).collect();
                (s.id.as_str(), ids)
            })
            .collect();
        let pbcs = model
            .pbcs
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        Index {
            model,
            sets: Some(Sets { stages, pbcs }),
        }
    }

    /// For checking a handful of references.
    pub fn direct(model: &'a Model) -> Index<'a> {
        Index { model, sets: None }
    }

    fn has_stream(&self, id: &str) -> bool {
        match &self.sets {
            Some(s) => s.stages.contains_key(id),
            None => self.model.stream(id).is_some(),
        }
    }

    fn has_stage(&self, stream: &str, stage: &str) -> bool {
        match &self.sets {
            Some(s) => s.stages.get(stream).is_some_and(|s| s.contains(stage)),
            None => self
                .model
                .stream(stream)
                .is_some_and(|s| s.stage(stage).is_some()),
        }
    }

    fn has_pbc(&self, id: &str) -> bool {
        self.pbc_name(id).is_some()
    }

    /// The name of PBC `id`, if there is one.
    pub fn pbc_name(&self, id: &str) -> Option<&'a str> {
        match &self.sets {
            Some(s) => s.pbcs.get(id).copied(),
            None => self.model.pbc(id).map(|p| p.name.as_str()),
        }
    }

    /// Checks a (stream, stage) reference; reports the first missing part.
    fn stage_ref(&self, r: &mut Report, path: &str, who: &str, stream: &str, stage: &str) {
        if !self.has_stream(stream) {
            r.error(
                format!("{path}.stream"),
                format!("{who}: stream {stream:?} does not exist"),
            );
        } else if !self.has_stage(stream, stage) {
            r.error(
                format!("{path}.stage"),
                format!("{who}: stream {stream:?} has no stage {stage:?}"),
            );
        }
    }

    fn pbc_ref(&self, r: &mut Report, path: &str, field: &str, who: &str, pbc: &str) {
        if !self.has_pbc(pbc) {
            r.error(
                format!("{path}.{field}"),
                format!("{who}: PBC {pbc:?} does not exist"),
            );
        }
    }
}

pub fn check_settings(r: &mut Report, s: &Settings) {
    if s.name.trim().is_empty() {
        r.error("name", "the model has an empty name");
    }
    let c = &s.currency;
    if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        r.error(
            "currency",
            format!("currency is {c:?}; use a three-letter ISO 4217 code such as EUR or USD"),
        );
    }
    let h = s.calendar.hours_per_day;
    if !(h.is_finite() && h > 0.0 && h <= 24.0) {
        r.error(
            "calendar.hours_per_day",
            format!("hours_per_day is {h}; it must be more than 0 and at most 24"),
        );
    }
    let d = s.calendar.days_per_week;
    if !(d.is_finite() && d > 0.0 && d <= 7.0) {
        r.error(
            "calendar.days_per_week",
            format!("days_per_week is {d}; it must be more than 0 and at most 7"),
        );
    }
    let rate = s.finance.discount_rate;
    if !(rate.is_finite() && rate > -1.0 && rate <= 1.0) {
        r.error(
            "finance.discount_rate",
            format!("discount_rate is {rate}; give it as a fraction (0.08 for 8 %)"),
        );
    }
    let years = s.finance.horizon_years;
    if !(1..=50).contains(&years) {
        r.error(
            "finance.horizon_years",
            format!("horizon_years is {years}; it must be between 1 and 50"),
        );
    }
}

/// Checks a stream's own fields, its stages and its flow graph.
pub fn check_stream(r: &mut Report, path: &str, s: &Stream) {
    let who = format!("stream {:?}", s.id);
    r.about(format!("“{}”", s.name));
    r.id(path, "stream", &s.id);
    r.name(path, &who, &s.name);
    r.non_negative(path, &who, "demand_per_week", s.demand_per_week);
    r.non_negative(
        path,
        &who,
        "cost_of_delay_per_week",
        s.cost_of_delay_per_week,
    );
    check_urgency(r, &format!("{path}.urgency"), &who, &s.urgency);
    if s.stages.is_empty() {
        r.warn(format!("{path}.stages"), format!("{who} has no stages yet"));
    }
    let mut ids = HashSet::new();
    for (i, st) in s.stages.iter().enumerate() {
        let p = format!("{path}.stages[{i}]");
        if !ids.insert(st.id.as_str()) {
            r.error(
                format!("{p}.id"),
                format!("{who} has two stages with the id {:?}", st.id),
            );
        }
        check_stage(r, &p, &s.id, st);
    }
    let mut seen = HashSet::new();
    for (i, e) in s.edges.iter().enumerate() {
        if !seen.insert(e) {
            r.error(
                format!("{path}.edges[{i}]"),
                format!("{who} has the edge {:?} -> {:?} twice", e.from, e.to),
            );
        }
    }
    let flow = Flow::of(s);
    if let Ok(flow) = &flow {
        check_rework(r, path, &who, s, flow);
    }
    if let Err(e) = flow {
        r.error(format!("{path}.edges"), e.to_string());
    } else if !s.edges.is_empty() {
        let connected: HashSet<&str> = s
            .edges
            .iter()
            .flat_map(|e| [e.from.as_str(), e.to.as_str()])
            .collect();
        for (i, st) in s.stages.iter().enumerate() {
            if s.stages.len() > 1 && !connected.contains(st.id.as_str()) {
                r.warn(
                    format!("{path}.stages[{i}]"),
                    format!(
                        "stage {:?} of {who} is not connected to any other stage; it counts as a path of its own",
                        st.id
                    ),
                );
            }
        }
    }
}

/// Rework goes back to a stage that comes before, never forward or nowhere.
fn check_rework(r: &mut Report, path: &str, who: &str, s: &Stream, flow: &Flow) {
    for (i, st) in s.stages.iter().enumerate() {
        let Some(to) = st.uncertainty.as_ref().and_then(|u| u.rework_to.as_deref()) else {
            continue;
        };
        let at = format!("{path}.stages[{i}].uncertainty.rework_to");
        match s.stages.iter().position(|x| x.id == to) {
            None => r.error(
                at,
                format!(
                    "stage {:?} of {who} sends rework to stage {to:?}, which does not exist",
                    st.id
                ),
            ),
            Some(j) if !flow.reaches(j, i) => r.error(
                at,
                format!(
                    "stage {:?} of {who} sends rework to stage {to:?}, which does not come before it",
                    st.id
                ),
            ),
            Some(_) => {}
        }
    }
}

pub fn check_stage(r: &mut Report, path: &str, stream: &str, st: &Stage) {
    let who = format!("stage {:?} of stream {stream:?}", st.id);
    r.about(format!("“{}”", st.name));
    r.id(path, "stage", &st.id);
    r.name(path, &who, &st.name);
    r.time(path, &who, "process_time", st.process_time);
    r.time(path, &who, "wait_time", st.wait_time);
    r.pca(path, &who, "pca", st.pca);
    if let Some(c) = st.capacity {
        r.positive(path, &who, "capacity", c);
    }
    if let Some(u) = &st.uncertainty {
        let up = format!("{path}.uncertainty");
        if let Some(d) = &u.process {
            check_distribution(r, &up, &who, "process", d);
        }
        if let Some(d) = &u.wait {
            check_distribution(r, &up, &who, "wait", d);
        }
        if u.wip_limit == Some(0) {
            r.error(
                format!("{up}.wip_limit"),
                format!("{who}: wip_limit is 0; a stage must be able to hold at least one item"),
            );
        }
    }
    if let Some(p) = st.position
        && !(p.x.is_finite() && p.y.is_finite())
    {
        r.error(
            format!("{path}.position"),
            format!("{who}: position is not a pair of numbers"),
        );
    }
}

/// A distribution's parameters must describe durations: finite, not negative, in order.
pub fn check_distribution(r: &mut Report, path: &str, who: &str, field: &str, d: &Distribution) {
    let at = format!("{path}.{field}");
    let bad = |r: &mut Report, why: String| r.error(at.clone(), format!("{who}: {field} {why}"));
    let ok = |v: f64| v.is_finite() && v >= 0.0;
    match d {
        Distribution::Fixed { value } => {
            if !ok(*value) {
                bad(r, format!("is fixed at {value}; a time cannot be negative"));
            }
        }
        Distribution::Uniform { min, max } => {
            if !(ok(*min) && ok(*max) && min <= max) {
                bad(
                    r,
                    format!("is uniform from {min} to {max}; it needs 0 <= min <= max"),
                );
            }
        }
        Distribution::Triangular { min, mode, max } => {
            if !(ok(*min) && ok(*mode) && ok(*max) && min <= mode && mode <= max) {
                bad(
                    r,
                    format!(
                        "is triangular ({min}, {mode}, {max}); it needs 0 <= min <= mode <= max"
                    ),
                );
            }
        }
        Distribution::Lognormal { median, p90 } => {
            if !(median.is_finite() && p90.is_finite() && *median > 0.0 && p90 > median) {
                bad(
                    r,
                    format!(
                        "is log-normal with median {median} and 90th percentile {p90}; it needs 0 < median < p90"
                    ),
                );
            }
        }
        Distribution::Empirical { values } => {
            if values.is_empty() {
                bad(r, "has no observed values".into());
            } else if let Some(v) = values.iter().find(|v| !ok(**v)) {
                bad(
                    r,
                    format!("has the observed value {v}; a time cannot be negative"),
                );
            }
        }
    }
}

pub fn check_pbc(r: &mut Report, path: &str, p: &Pbc) {
    let who = format!("PBC {:?}", p.id);
    r.about(format!("“{}”", p.name));
    r.id(path, "PBC", &p.id);
    r.name(path, &who, &p.name);
    r.non_negative(path, &who, "annual_run_cost", p.annual_run_cost);
}

pub fn check_assignment(r: &mut Report, path: &str, a: &Assignment, index: &Index) {
    let who = format!(
        "assignment of PBC {:?} to stage {:?} of stream {:?}",
        a.pbc, a.stage, a.stream
    );
    let m = index.model;
    let pbc = index.pbc_name(&a.pbc).unwrap_or(a.pbc.as_str());
    let stage = m
        .stream(&a.stream)
        .and_then(|s| s.stage(&a.stage))
        .map_or(a.stage.as_str(), |s| s.name.as_str());
    r.about(format!("“{pbc}” at “{stage}”"));
    index.pbc_ref(r, path, "pbc", &who, &a.pbc);
    index.stage_ref(r, path, &who, &a.stream, &a.stage);
    r.time(path, &who, "process_time", a.process_time);
    r.time(path, &who, "wait_time", a.wait_time);
}

pub fn check_integration(r: &mut Report, path: &str, x: &Integration, index: &Index) {
    let who = format!("integration {:?}", x.id);
    let name = |id: &str| index.pbc_name(id).unwrap_or(id).to_owned();
    r.about(format!(
        "the integration from “{}” to “{}”",
        name(&x.from),
        name(&x.to)
    ));
    r.id(path, "integration", &x.id);
    index.pbc_ref(r, path, "from", &who, &x.from);
    index.pbc_ref(r, path, "to", &who, &x.to);
    if x.from == x.to {
        r.error(
            format!("{path}.to"),
            format!("{who}: PBC {:?} is integrated with itself", x.from),
        );
    }
    check_integration_figures(r, path, &who, x);
    if x.style != IntegrationStyle::Batch && x.interval.is_some() {
        r.warn(
            format!("{path}.interval"),
            format!("{who}: only a batch runs at an interval; the interval is left out"),
        );
    }
    if let Some(at) = &x.at {
        check_attachment(r, &format!("{path}.at"), &who, at, index);
    }
}

/// An integration's times, as it is or as a scenario makes it.
fn check_integration_figures(r: &mut Report, path: &str, who: &str, x: &Integration) {
    r.time(path, who, "latency", x.latency);
    if let Some(t) = x.interval {
        r.positive(path, who, "interval", t);
    } else if x.style == IntegrationStyle::Batch && x.at.is_some() {
        r.warn(
            format!("{path}.interval"),
            format!("{who}: a batch without an interval between runs adds only its run time"),
        );
    }
    if let Some(k) = x.calls_per_item {
        r.positive(path, who, "calls_per_item", k);
    }
}

/// The stage an integration is attached to exists, and so does the hand-off into it.
fn check_attachment(r: &mut Report, path: &str, who: &str, at: &IntegrationAt, index: &Index) {
    index.stage_ref(r, path, who, &at.stream, &at.stage);
    let (Some(after), Some(stream)) = (&at.after, index.model.stream(&at.stream)) else {
        return;
    };
    let (Some(a), Some(b)) = (stream.index_of(after), stream.index_of(&at.stage)) else {
        if stream.stage(after).is_none() {
            r.error(
                format!("{path}.after"),
                format!("{who}: stream {:?} has no stage {after:?}", at.stream),
            );
        }
        return;
    };
    // A warning, not an error: reordering or disconnecting stages must not fail for it,
    // and the wait counts before `stage` either way.
    let hands_over = Flow::of(stream).is_ok_and(|f| f.preds[b].contains(&a));
    if !hands_over {
        r.warn(
            format!("{path}.after"),
            format!(
                "{who}: stage {after:?} does not hand over to {:?} in stream {:?}; its time \
                 counts before {:?}",
                at.stage, at.stream, at.stage
            ),
        );
    }
}

pub fn check_scenario(r: &mut Report, path: &str, s: &Scenario, index: &Index) {
    let who = format!("scenario {:?}", s.id);
    r.about(format!("a change of “{}”", s.name));
    r.id(path, "scenario", &s.id);
    r.name(path, &who, &s.name);
    for (i, c) in s.changes.iter().enumerate() {
        check_change(r, &format!("{path}.changes[{i}]"), &who, c, index);
    }
}

pub fn check_change(r: &mut Report, path: &str, scenario: &str, c: &Change, index: &Index) {
    let who = format!("{scenario}, change {}", describe_kind(c));
    match c {
        Change::SwapPbc { .. } => check_swap(r, path, &who, c, index),
        Change::AssignPbc {
            pbc,
            stream,
            stage,
            process_time,
            wait_time,
        } => {
            index.pbc_ref(r, path, "pbc", &who, pbc);
            index.stage_ref(r, path, &who, stream, stage);
            r.time(path, &who, "process_time", *process_time);
            r.time(path, &who, "wait_time", *wait_time);
        }
        Change::UnassignPbc { pbc, stream, stage } => {
            index.pbc_ref(r, path, "pbc", &who, pbc);
            index.stage_ref(r, path, &who, stream, stage);
        }
        Change::SetStage { .. } => check_set_stage(r, path, &who, c, index),
        Change::SetStream {
            stream,
            demand_per_week,
            cost_of_delay_per_week,
        } => {
            if !index.has_stream(stream) {
                r.error(
                    format!("{path}.stream"),
                    format!("{who}: stream {stream:?} does not exist"),
                );
            }
            if let Some(v) = demand_per_week {
                r.non_negative(path, &who, "demand_per_week", *v);
            }
            if let Some(v) = cost_of_delay_per_week {
                r.non_negative(path, &who, "cost_of_delay_per_week", *v);
            }
        }
        Change::SetPbcRunCost {
            pbc,
            annual_run_cost,
        } => {
            index.pbc_ref(r, path, "pbc", &who, pbc);
            r.non_negative(path, &who, "annual_run_cost", *annual_run_cost);
        }
        Change::SetIntegration { .. } => check_set_integration(r, path, &who, c, index),
        Change::Investment {
            name,
            amount,
            duration_weeks,
        } => {
            if name.trim().is_empty() {
                r.error(format!("{path}.name"), format!("{who} has an empty name"));
            }
            r.non_negative(path, &who, "amount", *amount);
            r.time(path, &who, "duration_weeks", *duration_weeks);
        }
    }
}

/// The integration as the change leaves it must make sense on its own.
fn check_set_integration(r: &mut Report, path: &str, who: &str, c: &Change, index: &Index) {
    let Change::SetIntegration {
        integration,
        style,
        latency,
        interval,
        calls_per_item,
    } = c
    else {
        return;
    };
    let Some(x) = index.model.integration(integration) else {
        r.error(
            format!("{path}.integration"),
            format!("{who}: integration {integration:?} does not exist"),
        );
        return;
    };
    let changed = Integration {
        style: style.unwrap_or(x.style),
        latency: latency.unwrap_or(x.latency),
        interval: interval.or(x.interval),
        calls_per_item: calls_per_item.or(x.calls_per_item),
        ..x.clone()
    };
    check_integration_figures(r, path, who, &changed);
}

fn check_swap(r: &mut Report, path: &str, who: &str, c: &Change, index: &Index) {
    let Change::SwapPbc {
        from,
        to,
        stream,
        process_time,
        wait_time,
    } = c
    else {
        return;
    };
    index.pbc_ref(r, path, "from", who, from);
    index.pbc_ref(r, path, "to", who, to);
    if from == to {
        r.error(path, format!("{who}: swaps PBC {from:?} for itself"));
    }
    if let Some(s) = stream
        && !index.has_stream(s)
    {
        r.error(
            format!("{path}.stream"),
            format!("{who}: stream {s:?} does not exist"),
        );
    }
    if let Some(v) = process_time {
        r.time(path, who, "process_time", *v);
    }
    if let Some(v) = wait_time {
        r.time(path, who, "wait_time", *v);
    }
}

fn check_set_stage(r: &mut Report, path: &str, who: &str, c: &Change, index: &Index) {
    let Change::SetStage {
        stream,
        stage,
        process_time,
        wait_time,
        pca,
        capacity,
    } = c
    else {
        return;
    };
    index.stage_ref(r, path, who, stream, stage);
    if let Some(v) = process_time {
        r.time(path, who, "process_time", *v);
    }
    if let Some(v) = wait_time {
        r.time(path, who, "wait_time", *v);
    }
    if let Some(v) = pca {
        r.pca(path, who, "pca", *v);
    }
    if let Some(v) = capacity {
        r.positive(path, who, "capacity", *v);
    }
}

/// The change's kind as the exchange format spells it.
pub fn describe_kind(c: &Change) -> &'static str {
    match c {
        Change::SwapPbc { .. } => "swap_pbc",
        Change::AssignPbc { .. } => "assign_pbc",
        Change::UnassignPbc { .. } => "unassign_pbc",
        Change::SetStage { .. } => "set_stage",
        Change::SetStream { .. } => "set_stream",
        Change::SetPbcRunCost { .. } => "set_pbc_run_cost",
        Change::Investment { .. } => "investment",
        Change::SetIntegration { .. } => "set_integration",
    }
}

pub fn check_initiative(r: &mut Report, path: &str, x: &Initiative, index: &Index) {
    let who = format!("initiative {:?}", x.id);
    r.about(format!("“{}”", x.name));
    r.id(path, "initiative", &x.id);
    r.name(path, &who, &x.name);
    r.non_negative(
        path,
        &who,
        "cost_of_delay_per_week",
        x.cost_of_delay_per_week,
    );
    r.positive(path, &who, "duration_weeks", x.duration_weeks);
    if let Some(s) = &x.stream
        && !index.has_stream(s)
    {
        r.error(
            format!("{path}.stream"),
            format!("{who}: stream {s:?} does not exist"),
        );
    }
    check_urgency(r, &format!("{path}.urgency"), &who, &x.urgency);
    if let Some(s) = &x.scenario
        && index.model.scenario(s).is_none()
    {
        r.error(
            format!("{path}.scenario"),
            format!("{who}: scenario {s:?} does not exist"),
        );
    }
    if let Some(w) = &x.wsjf {
        let p = format!("{path}.wsjf");
        r.non_negative(&p, &who, "business_value", w.business_value);
        r.non_negative(&p, &who, "time_criticality", w.time_criticality);
        r.non_negative(&p, &who, "risk_reduction", w.risk_reduction);
        r.positive(&p, &who, "job_size", w.job_size);
    }
}

fn check_urgency(r: &mut Report, path: &str, who: &str, u: &Urgency) {
    match u {
        Urgency::FixedDate {
            date,
            deadline_week,
        } => {
            if let Some(d) = date
                && !is_iso_date(d)
            {
                r.error(
                    format!("{path}.date"),
                    format!("{who}: date {d:?} is not a date in the form YYYY-MM-DD"),
                );
            }
            if let Some(w) = deadline_week {
                r.time(path, who, "deadline_week", *w);
            }
        }
        Urgency::Intangible {
            ramp_weeks: Some(w),
        } => r.positive(path, who, "ramp_weeks", *w),
        _ => {}
    }
}

/// A telemetry mapping names a stream of the model, stages of that stream, and each status
/// and item type once.
pub fn check_mapping(r: &mut Report, path: &str, m: &StreamMapping, index: &Index<'_>) {
    let Some(stream) = index.model.stream(&m.stream) else {
        r.error(
            format!("{path}.stream"),
            format!(
                "a telemetry mapping names stream {:?}, which does not exist",
                m.stream
            ),
        );
        return;
    };
    for (i, x) in m.mapping.stages.iter().enumerate() {
        if stream.stage(&x.stage).is_none() {
            let ids: Vec<&str> = stream.stages.iter().map(|s| s.id.as_str()).collect();
            r.error(
                format!("{path}.mapping.stages[{i}]"),
                format!(
                    "[stages] {:?} = {:?}: stream {:?} has no such stage (its stages: {})",
                    x.status,
                    x.stage,
                    stream.id,
                    ids.join(", ")
                ),
            );
        }
    }
    let twice = |r: &mut Report, table: &str, names: Vec<&str>| {
        let mut seen = HashSet::new();
        for (i, n) in names.into_iter().enumerate() {
            if !seen.insert(n) {
                r.error(
                    format!("{path}.mapping.{table}[{i}]"),
                    format!("the mapping names {n:?} twice in [{table}]"),
                );
            }
        }
    };
    twice(
        r,
        "states",
        m.mapping.states.iter().map(|x| x.status.as_str()).collect(),
    );
    twice(
        r,
        "stages",
        m.mapping.stages.iter().map(|x| x.status.as_str()).collect(),
    );
    twice(
        r,
        "types",
        m.mapping
            .types
            .iter()
            .map(|x| x.item_type.as_str())
            .collect(),
    );
}

/// `YYYY-MM-DD` with a real month and day (leap years included).
pub fn is_iso_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::from_json;

    const E1: &str = r#"{"format":"tributary/1","name":"E1","currency":"EUR","time_unit":"hours",
      "calendar":{"hours_per_day":8,"days_per_week":5},
      "streams":[{"id":"s","name":"E1","demand_per_week":20,"cost_of_delay_per_week":500,
      "stages":[{"id":"a","name":"A","process_time":2,"wait_time":6,"pca":0.9},
                {"id":"b","name":"B","process_time":1,"wait_time":2}]}]}"#;

    fn model() -> Model {
        from_json(E1).unwrap()
    }

    fn errors(m: &Model) -> Vec<Problem> {
        validate(m)
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect()
    }

    #[test]
    fn a_sound_model_has_no_errors() {
        assert!(errors(&model()).is_empty());
    }

    #[test]
    fn negative_time_is_named_by_path_and_item() {
        let mut m = model();
        m.streams[0].stages[1].wait_time = -3.0;
        let e = errors(&m);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "streams[0].stages[1].wait_time");
        assert!(e[0].message.contains("stage \"b\" of stream \"s\""));
        assert!(e[0].message.contains("-3"));
    }

    #[test]
    fn pca_outside_zero_one_is_refused() {
        for bad in [0.0, -0.1, 1.01, f64::NAN] {
            let mut m = model();
            m.streams[0].stages[0].pca = bad;
            let e = errors(&m);
            assert_eq!(e.len(), 1, "pca {bad}");
            assert_eq!(e[0].path, "streams[0].stages[0].pca");
        }
        let mut m = model();
        m.streams[0].stages[0].pca = 1.0;
        assert!(errors(&m).is_empty());
    }

    #[test]
    fn duplicate_ids_and_dangling_references_are_found() {
        let mut m = model();
        m.streams[0].stages[1].id = "a".into();
        m.assignments.push(Assignment {
            pbc: "ghost".into(),
            stream: "s".into(),
            stage: "a".into(),
            process_time: 0.0,
            wait_time: 1.0,
            note: None,
        });
        let e = errors(&m);
        let paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"streams[0].stages[1].id"), "{paths:?}");
        assert!(paths.contains(&"assignments[0].pbc"), "{paths:?}");
    }

    #[test]
    fn a_cycle_is_an_error_on_the_edges() {
        let mut m = model();
        m.streams[0].edges = vec![
            Edge {
                from: "a".into(),
                to: "b".into(),
            },
            Edge {
                from: "b".into(),
                to: "a".into(),
            },
        ];
        let e = errors(&m);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "streams[0].edges");
        assert!(e[0].message.contains("a -> b -> a"), "{}", e[0].message);
    }

    #[test]
    fn calendar_and_currency_are_checked() {
        let mut m = model();
        m.calendar.hours_per_day = 25.0;
        m.currency = "euro".into();
        let e = errors(&m);
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("23-01-01"));
    }
}

#[cfg(test)]
mod uncertainty_tests {
    use super::*;
    use crate::exchange::parse;

    fn with(stage_extra: &str) -> Vec<Problem> {
        let m = parse(&format!(
            r#"{{"format":"tributary/1","name":"m","streams":[{{"id":"s","name":"S","stages":[
              {{"id":"a","name":"A","process_time":1,"wait_time":1}},
              {{"id":"b","name":"B","process_time":1,"wait_time":1{stage_extra}}}]}}]}}"#
        ))
        .unwrap();
        validate(&m)
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect()
    }

    #[test]
    fn sound_distributions_pass() {
        assert!(
            with(
                r#","uncertainty":{"process":{"type":"triangular","min":1,"mode":2,"max":4},
            "wait":{"type":"lognormal","median":4,"p90":12},"wip_limit":3,"rework_to":"a"}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn inverted_or_negative_parameters_are_named() {
        let e = with(r#","uncertainty":{"process":{"type":"uniform","min":5,"max":2}}"#);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "streams[0].stages[1].uncertainty.process");
        let e = with(r#","uncertainty":{"wait":{"type":"lognormal","median":4,"p90":2}}"#);
        assert!(
            e[0].message.contains("0 < median < p90"),
            "{}",
            e[0].message
        );
        let e = with(r#","uncertainty":{"wait":{"type":"empirical","values":[1,-2]}}"#);
        assert!(e[0].message.contains("-2"), "{}", e[0].message);
    }

    #[test]
    fn rework_goes_back_not_forward() {
        let e = with(r#","uncertainty":{"rework_to":"zz"}"#);
        assert!(e[0].message.contains("does not exist"));
        let m = parse(
            r#"{"format":"tributary/1","name":"m","streams":[{"id":"s","name":"S","stages":[
              {"id":"a","name":"A","process_time":1,"wait_time":1,"uncertainty":{"rework_to":"b"}},
              {"id":"b","name":"B","process_time":1,"wait_time":1}]}]}"#,
        )
        .unwrap();
        let r = validate(&m);
        assert!(r.has_errors());
        assert!(r.problems[0].message.contains("does not come before it"));
    }
}
