//! The value stream model: what a `.tributary` file and a `tributary/1` JSON document hold.
//!
//! These types are the single source of truth for the exchange format (its JSON Schema is
//! generated from them) and for the desktop app's IPC types (generated with ts-rs).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The `format` tag every exchange document carries.
pub const FORMAT: &str = "tributary/1";

/// One workshop's or one architect's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Always `"tributary/1"`.
    pub format: String,
    pub name: String,
    /// ISO 4217 code of the currency every amount is in.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The unit every duration in the model is given in (working time).
    #[serde(default)]
    pub time_unit: TimeUnit,
    #[serde(default)]
    pub calendar: Calendar,
    #[serde(default)]
    pub finance: Finance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    #[serde(default)]
    pub streams: Vec<Stream>,
    #[serde(default)]
    pub pbcs: Vec<Pbc>,
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    #[serde(default)]
    pub integrations: Vec<Integration>,
    #[serde(default)]
    pub scenarios: Vec<Scenario>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    /// How each stream's measured statuses read as flow states and stages (telemetry).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<StreamMapping>,
}

fn default_currency() -> String {
    "EUR".to_owned()
}

/// The unit the user thinks in. All durations in a model are working time in this unit.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    #[default]
    Hours,
    Days,
    Weeks,
}

impl TimeUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        }
    }

    /// Short suffix for tables and charts ("h", "d").
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "min",
            TimeUnit::Hours => "h",
            TimeUnit::Days => "d",
            TimeUnit::Weeks => "wk",
        }
    }
}

impl std::str::FromStr for TimeUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "minutes" => Ok(TimeUnit::Minutes),
            "hours" => Ok(TimeUnit::Hours),
            "days" => Ok(TimeUnit::Days),
            "weeks" => Ok(TimeUnit::Weeks),
            other => Err(format!(
                "unknown time unit {other:?} (expected minutes, hours, days or weeks)"
            )),
        }
    }
}

/// The work calendar that converts between time units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    pub hours_per_day: f64,
    pub days_per_week: f64,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            hours_per_day: 8.0,
            days_per_week: 5.0,
        }
    }
}

impl Calendar {
    pub fn hours_per_week(&self) -> f64 {
        self.hours_per_day * self.days_per_week
    }

    /// How many `unit`s make one working week.
    pub fn units_per_week(&self, unit: TimeUnit) -> f64 {
        match unit {
            TimeUnit::Minutes => self.hours_per_week() * 60.0,
            TimeUnit::Hours => self.hours_per_week(),
            TimeUnit::Days => self.days_per_week,
            TimeUnit::Weeks => 1.0,
        }
    }

    /// Converts a duration given in `unit` to working weeks.
    pub fn to_weeks(&self, value: f64, unit: TimeUnit) -> f64 {
        value / self.units_per_week(unit)
    }

    /// Converts a duration from one unit to another through the calendar.
    pub fn convert(&self, value: f64, from: TimeUnit, to: TimeUnit) -> f64 {
        self.to_weeks(value, from) * self.units_per_week(to)
    }
}

/// Settings for the business case of scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Finance {
    /// Annual discount rate for NPV, as a fraction (0.08 = 8 %).
    pub discount_rate: f64,
    /// Years of benefit counted in NPV.
    pub horizon_years: u32,
}

impl Default for Finance {
    fn default() -> Self {
        Finance {
            discount_rate: 0.08,
            horizon_years: 5,
        }
    }
}

/// How cost of delay accrues over time (Reinertsen; Black Swan Farming).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "profile", rename_all = "snake_case", deny_unknown_fields)]
pub enum Urgency {
    /// Constant cost of delay from week 0.
    #[default]
    Standard,
    /// Urgent and long-lived: constant cost of delay, and the peak is lost if late.
    Urgent,
    /// Nothing is lost until the date; from then on the full cost of delay accrues each week.
    FixedDate {
        /// Calendar date (YYYY-MM-DD), for display.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        date: Option<String>,
        /// Weeks from the start of the plan until the date; used in sequencing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        deadline_week: Option<f64>,
    },
    /// Low now, rising later: the weekly cost of delay grows linearly from 0 to its full
    /// value over `ramp_weeks` (26 if not given), then stays there.
    Intangible {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        ramp_weeks: Option<f64>,
    },
}

/// A value stream: the stages from a customer's request to the value delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    pub id: String,
    pub name: String,
    /// What starts the stream (a customer's request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trigger: Option<String>,
    /// The value delivered at its end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<String>,
    /// Items entering the stream per week.
    #[serde(default)]
    pub demand_per_week: f64,
    /// Money lost per week that one item of this stream is late.
    #[serde(default)]
    pub cost_of_delay_per_week: f64,
    #[serde(default)]
    pub urgency: Urgency,
    /// Stages in the order they are drawn; with no `edges`, also the order work flows.
    pub stages: Vec<Stage>,
    /// The flow between stages. Empty: the stages form a line in the listed order.
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// How items arrive, for simulation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub arrivals: Option<Arrivals>,
}

/// One step of a value stream. Times are the stage's own work; each PBC assigned to the
/// stage adds its contribution on top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub name: String,
    /// Hands-on (value-adding) time per item.
    pub process_time: f64,
    /// Time an item waits before or within the stage.
    pub wait_time: f64,
    /// Percent complete and accurate: the share of items passed on without rework, in (0, 1].
    #[serde(default = "one")]
    pub pca: f64,
    /// People or servers working the stage in parallel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub capacity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub team: Option<String>,
    /// Where the stage sits on the canvas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<Position>,
    /// How the stage varies, for simulation. Flow metrics use the fixed times above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uncertainty: Option<Uncertainty>,
    /// What the workshop said about the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// A stage's variation, used by the simulator: times drawn from distributions, a WIP
/// limit, and where failed items go back to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Process time per item (replaces the fixed `process_time` in simulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub process: Option<Distribution>,
    /// Wait time per item before the stage (replaces the fixed `wait_time` in simulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wait: Option<Distribution>,
    /// At most this many items in the stage (queue and work) at once; upstream holds the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wip_limit: Option<u32>,
    /// An item failing %C&A goes back to this earlier stage (default: redoes this stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rework_to: Option<String>,
}

/// A distribution of durations, in the model's time unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Distribution {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Log-normal given by its median and 90th percentile (p90 > median > 0).
    Lognormal {
        median: f64,
        p90: f64,
    },
    /// Observed values, drawn with equal probability.
    Empirical {
        values: Vec<f64>,
    },
}

/// How items arrive at a stream, at its `demand_per_week` rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum Arrivals {
    /// Random arrivals (exponential gaps).
    #[default]
    Poisson,
    /// One item every 1/rate, exactly.
    Fixed,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// Work flows from stage `from` to stage `to` (ids within the same stream).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

/// A Packaged Business Capability: a self-contained business module with an owner and a run cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Pbc {
    pub id: String,
    pub name: String,
    /// Business domain (bounded context).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub team: Option<String>,
    #[serde(default)]
    pub kind: PbcKind,
    #[serde(default)]
    pub lifecycle: Lifecycle,
    /// Annual run cost, counted while the PBC serves at least one stage.
    #[serde(default)]
    pub annual_run_cost: f64,
    /// Microservices or systems behind the capability.
    #[serde(default)]
    pub systems: Vec<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum PbcKind {
    Legacy,
    #[default]
    Modern,
    Saas,
}

/// Gartner's TIME model for application portfolios.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    #[default]
    Tolerate,
    Invest,
    Migrate,
    Eliminate,
}

/// A PBC serving a stage, with the time it contributes there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub pbc: String,
    pub stream: String,
    pub stage: String,
    /// Process time this PBC adds at the stage.
    #[serde(default)]
    pub process_time: f64,
    /// Wait time this PBC adds at the stage (e.g. manual re-keying, a nightly batch).
    #[serde(default)]
    pub wait_time: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// How two PBCs exchange data, and where in a stream that costs time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    pub id: String,
    /// The PBC that calls or sends.
    pub from: String,
    /// The PBC that answers or receives.
    pub to: String,
    pub style: IntegrationStyle,
    /// Time of one exchange, in the model's time unit: a call's round trip, an event's
    /// delivery, a batch's run time.
    #[serde(default)]
    pub latency: f64,
    /// A batch's working time between runs (T): items wait T/2 for it on average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub interval: Option<f64>,
    /// How many times a synchronous call is made per item (1 when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub calls_per_item: Option<f64>,
    /// Where the integration costs time. Attached to nothing, it adds nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub at: Option<IntegrationAt>,
    /// A name for people ("nightly clearing file"); without one it is "From → To".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// Where an integration bites: a stage of a stream, or the hand-off into it from `after`.
/// Its wait counts before `stage` (where a value stream map draws the queue); a synchronous
/// call's time counts in `stage`'s process time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct IntegrationAt {
    pub stream: String,
    pub stage: String,
    /// The stage handing over: the hand-off `after` -> `stage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationStyle {
    SyncApi,
    Events,
    Batch,
}

/// A named variant of the baseline: the baseline with its changes applied on read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One change a scenario makes to the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Replace PBC `from` by PBC `to` wherever `from` serves (in one stream, or everywhere).
    /// New times, where given, replace the contribution of each swapped assignment.
    SwapPbc {
        from: String,
        to: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        stream: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        process_time: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        wait_time: Option<f64>,
    },
    /// Add a PBC at a stage.
    AssignPbc {
        pbc: String,
        stream: String,
        stage: String,
        #[serde(default)]
        process_time: f64,
        #[serde(default)]
        wait_time: f64,
    },
    /// Remove a PBC from a stage.
    UnassignPbc {
        pbc: String,
        stream: String,
        stage: String,
    },
    /// Change a stage's own times, %C&A or capacity.
    SetStage {
        stream: String,
        stage: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        process_time: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        wait_time: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        pca: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        capacity: Option<f64>,
    },
    /// Change a stream's demand or cost of delay.
    SetStream {
        stream: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        demand_per_week: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        cost_of_delay_per_week: Option<f64>,
    },
    /// Change a PBC's annual run cost.
    SetPbcRunCost { pbc: String, annual_run_cost: f64 },
    /// Change how an integration works: "replace the nightly batch by events".
    SetIntegration {
        integration: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        style: Option<IntegrationStyle>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        latency: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        interval: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        calls_per_item: Option<f64>,
    },
    /// Money spent to make the scenario real, and how long the work takes. Benefits start
    /// when the longest investment is done.
    Investment {
        name: String,
        amount: f64,
        #[serde(default)]
        duration_weeks: f64,
    },
}

/// A candidate piece of work, ranked by CD3 and WSJF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    /// The stream it improves, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    pub cost_of_delay_per_week: f64,
    pub duration_weeks: f64,
    #[serde(default)]
    pub urgency: Urgency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub wsjf: Option<Wsjf>,
    /// The scenario that makes the initiative real: its cost of delay is then that
    /// scenario's delay cost saved (a year / 52), not typed twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scenario: Option<String>,
}

/// SAFe's relative scores (typically on a Fibonacci scale).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Wsjf {
    pub business_value: f64,
    pub time_criticality: f64,
    /// Risk reduction and/or opportunity enablement.
    pub risk_reduction: f64,
    pub job_size: f64,
}

/// The model-wide settings, as one unit for edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub name: String,
    pub currency: String,
    pub time_unit: TimeUnit,
    pub calendar: Calendar,
    pub finance: Finance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
}

impl Model {
    /// An empty model with default settings.
    pub fn new(name: impl Into<String>) -> Model {
        Model {
            format: FORMAT.to_owned(),
            name: name.into(),
            currency: default_currency(),
            time_unit: TimeUnit::default(),
            calendar: Calendar::default(),
            finance: Finance::default(),
            author: None,
            description: None,
            streams: Vec::new(),
            pbcs: Vec::new(),
            assignments: Vec::new(),
            integrations: Vec::new(),
            scenarios: Vec::new(),
            initiatives: Vec::new(),
            mappings: Vec::new(),
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            name: self.name.clone(),
            currency: self.currency.clone(),
            time_unit: self.time_unit,
            calendar: self.calendar,
            finance: self.finance,
            author: self.author.clone(),
            description: self.description.clone(),
        }
    }

    pub fn set_settings(&mut self, s: Settings) {
        self.name = s.name;
        self.currency = s.currency;
        self.time_unit = s.time_unit;
        self.calendar = s.calendar;
        self.finance = s.finance;
        self.author = s.author;
        self.description = s.description;
    }

    pub fn stream(&self, id: &str) -> Option<&Stream> {
        self.streams.iter().find(|s| s.id == id)
    }

    pub fn pbc(&self, id: &str) -> Option<&Pbc> {
        self.pbcs.iter().find(|p| p.id == id)
    }

    pub fn integration(&self, id: &str) -> Option<&Integration> {
        self.integrations.iter().find(|x| x.id == id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The stream's telemetry mapping (empty when it has none).
    pub fn mapping(&self, stream: &str) -> Mapping {
        self.mappings
            .iter()
            .find(|m| m.stream == stream)
            .map(|m| m.mapping.clone())
            .unwrap_or_default()
    }
}

impl Stage {
    /// A stage with these times and nothing else set: %C&A 100 %, no capacity, team,
    /// position, variation or note. Code that makes stages starts here
    /// (`Stage { pca: 0.9, ..Stage::new(..) }`), so a new field is added in one place.
    pub fn new(id: impl Into<String>, name: impl Into<String>, process: f64, wait: f64) -> Stage {
        Stage {
            id: id.into(),
            name: name.into(),
            process_time: process,
            wait_time: wait,
            pca: 1.0,
            capacity: None,
            team: None,
            position: None,
            uncertainty: None,
            note: None,
        }
    }
}

impl Pbc {
    /// A PBC with a name and nothing else set: no domain or team, the default kind and
    /// lifecycle, no run cost or systems.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Pbc {
        Pbc {
            id: id.into(),
            name: name.into(),
            domain: None,
            team: None,
            kind: PbcKind::default(),
            lifecycle: Lifecycle::default(),
            annual_run_cost: 0.0,
            systems: Vec::new(),
        }
    }
}

impl Integration {
    /// An integration of this style and latency, attached to nothing.
    pub fn new(
        id: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
        style: IntegrationStyle,
        latency: f64,
    ) -> Integration {
        Integration {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            style,
            latency,
            interval: None,
            calls_per_item: None,
            at: None,
            name: None,
            note: None,
        }
    }
}

impl Initiative {
    /// An initiative with a cost of delay and a duration, and nothing else set.
    pub fn new(id: impl Into<String>, name: impl Into<String>, cod: f64, weeks: f64) -> Initiative {
        Initiative {
            id: id.into(),
            name: name.into(),
            stream: None,
            cost_of_delay_per_week: cod,
            duration_weeks: weeks,
            urgency: Urgency::Standard,
            wsjf: None,
            scenario: None,
        }
    }
}

impl Stream {
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// Where stage `id` is in the list of stages.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    /// The same stream without its stages and edges: what a stream-level edit changes.
    pub fn header(&self) -> Stream {
        Stream {
            id: self.id.clone(),
            name: self.name.clone(),
            trigger: self.trigger.clone(),
            value: self.value.clone(),
            demand_per_week: self.demand_per_week,
            cost_of_delay_per_week: self.cost_of_delay_per_week,
            urgency: self.urgency.clone(),
            stages: Vec::new(),
            edges: Vec::new(),
            arrivals: self.arrivals,
        }
    }
}

/// Kersten's flow states. New is not yet committed; waiting and active are in progress.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    New,
    Waiting,
    Active,
    Done,
    Canceled,
}

impl FlowState {
    pub const ALL: [FlowState; 5] = [
        FlowState::New,
        FlowState::Waiting,
        FlowState::Active,
        FlowState::Done,
        FlowState::Canceled,
    ];

    /// Waiting or active: the item is committed to and not finished.
    pub fn in_progress(self) -> bool {
        matches!(self, FlowState::Waiting | FlowState::Active)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlowState::New => "new",
            FlowState::Waiting => "waiting",
            FlowState::Active => "active",
            FlowState::Done => "done",
            FlowState::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<FlowState> {
        FlowState::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// The Flow Framework's item kinds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema, TS,
)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Feature,
    Defect,
    Risk,
    Debt,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Feature,
        ItemKind::Defect,
        ItemKind::Risk,
        ItemKind::Debt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Feature => "feature",
            ItemKind::Defect => "defect",
            ItemKind::Risk => "risk",
            ItemKind::Debt => "debt",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StateMap {
    pub status: String,
    pub state: FlowState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StageMap {
    pub status: String,
    /// A stage id of the stream.
    pub stage: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct TypeMap {
    pub item_type: String,
    pub kind: ItemKind,
}

/// How a stream's raw statuses and item types read: each status maps to a flow state (and,
/// optionally, to a stage of the stream), each item type to a flow item kind. Lists keep the
/// order the user gave; the order of `states` is the workflow order the cumulative flow
/// diagram uses. Nothing is guessed: what is not mapped is listed with its counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub states: Vec<StateMap>,
    #[serde(default)]
    pub stages: Vec<StageMap>,
    #[serde(default)]
    pub types: Vec<TypeMap>,
}

impl Mapping {
    pub fn state_of(&self, status: &str) -> Option<FlowState> {
        self.states
            .iter()
            .find(|m| m.status == status)
            .map(|m| m.state)
    }

    pub fn stage_of(&self, status: &str) -> Option<&str> {
        self.stages
            .iter()
            .find(|m| m.status == status)
            .map(|m| m.stage.as_str())
    }

    pub fn kind_of(&self, item_type: &str) -> Option<ItemKind> {
        self.types
            .iter()
            .find(|m| m.item_type == item_type)
            .map(|m| m.kind)
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.stages.is_empty() && self.types.is_empty()
    }
}

/// A stream's telemetry mapping, as the model keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct StreamMapping {
    pub stream: String,
    pub mapping: Mapping,
}
