//! The properties Tributary knows, described once per entity: the key it writes, the spellings
//! it accepts ("Process Time (h)", "PT", "process_time"), how a value is read and written.
//! Import, export and the spreadsheet reader all work from these tables.

use tributary_core::model::*;

/// How a property is declared in the exchange file's `propertyDefinition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    Number,
    Text,
}

impl DataKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DataKind::Number => "number",
            DataKind::Text => "string",
        }
    }
}

pub struct Field<T> {
    /// The key written on export.
    pub key: &'static str,
    /// Other spellings accepted on import, compared after [`normalize`].
    pub aliases: &'static [&'static str],
    pub kind: DataKind,
    /// Written for a new entity even at its default, so the figure shows in the other tool.
    pub always: bool,
    pub get: fn(&T) -> Option<String>,
    pub set: fn(&mut T, &str) -> Result<(), String>,
}

impl<T> Field<T> {
    pub fn matches(&self, key: &str) -> bool {
        let k = normalize(key);
        k == normalize(self.key) || self.aliases.contains(&k.as_str())
    }
}

pub fn find<'f, T>(fields: &'f [Field<T>], key: &str) -> Option<&'f Field<T>> {
    fields.iter().find(|f| f.matches(key))
}

/// Lower case letters and digits only, with a unit in brackets dropped:
/// "Process Time (h)" and "process_time" both become "processtime"; "%C&A" becomes "ca".
pub fn normalize(key: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for ch in key.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// The key of the property that carries a Tributary id.
pub const ID_KEY: &str = "Tributary id";

pub fn is_id_key(key: &str) -> bool {
    matches!(normalize(key).as_str(), "tributaryid")
}

/// Shortest text that reads back to the same number.
pub fn fmt(v: f64) -> String {
    format!("{v}")
}

/// Reads a number as people type it: "1,5", "1.234,5", "€ 120,000", "12 000", "1e3".
pub fn parse_number(raw: &str) -> Result<f64, String> {
    let bad = || format!("{raw:?} is not a number");
    let mut s: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E'))
        .collect();
    // A currency code or unit ("EUR", "per year") leaves stray letters; keep an exponent only
    // where it sits between digits.
    if s.contains(['e', 'E']) && !looks_like_exponent(&s) {
        s.retain(|c| c != 'e' && c != 'E');
    }
    if !raw.chars().any(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let s = match (s.rfind('.'), s.rfind(',')) {
        (Some(d), Some(c)) if c > d => s.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => s.replace(',', ""),
        (None, Some(c))
            if s.matches(',').count() == 1
                && (s.len() - c - 1 != 3
                    || matches!(s[..c].trim_start_matches(['-', '+']), "" | "0")) =>
        {
            s.replace(',', ".")
        }
        (None, Some(_)) => s.replace(',', ""),
        _ => s,
    };
    let v: f64 = s.parse().map_err(|_| bad())?;
    if v.is_finite() { Ok(v) } else { Err(bad()) }
}

fn looks_like_exponent(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b'e' || c == b'E')
            && i > 0
            && b[i - 1].is_ascii_digit()
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == b'-' || *n == b'+')
    }) && s.matches(['e', 'E']).count() == 1
}

/// A share as a fraction: "90 %", "90" and "0.9" are all 0.9.
pub fn parse_share(raw: &str) -> Result<f64, String> {
    let v = parse_number(raw)?;
    Ok(if raw.contains('%') || v > 1.0 {
        v / 100.0
    } else {
        v
    })
}

fn opt_number(raw: &str) -> Result<Option<f64>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_number(raw).map(Some)
    }
}

fn opt_text(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

pub fn parse_kind(raw: &str) -> Result<PbcKind, String> {
    match normalize(raw).as_str() {
        "legacy" | "old" | "mainframe" | "cots" => Ok(PbcKind::Legacy),
        "modern" | "new" | "cloudnative" | "custom" | "microservice" | "microservices" => {
            Ok(PbcKind::Modern)
        }
        "saas" | "cloud" | "softwareasaservice" | "cloudservice" => Ok(PbcKind::Saas),
        _ => Err(format!("{raw:?} is not a kind (legacy, modern or saas)")),
    }
}

pub fn kind_str(k: PbcKind) -> &'static str {
    match k {
        PbcKind::Legacy => "legacy",
        PbcKind::Modern => "modern",
        PbcKind::Saas => "saas",
    }
}

pub fn parse_lifecycle(raw: &str) -> Result<Lifecycle, String> {
    match normalize(raw).as_str() {
        "tolerate" | "t" => Ok(Lifecycle::Tolerate),
        "invest" | "i" => Ok(Lifecycle::Invest),
        "migrate" | "m" => Ok(Lifecycle::Migrate),
        "eliminate" | "e" | "retire" | "sunset" => Ok(Lifecycle::Eliminate),
        _ => Err(format!(
            "{raw:?} is not a TIME lifecycle (tolerate, invest, migrate or eliminate)"
        )),
    }
}

pub fn lifecycle_str(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Tolerate => "tolerate",
        Lifecycle::Invest => "invest",
        Lifecycle::Migrate => "migrate",
        Lifecycle::Eliminate => "eliminate",
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
    serde_json::from_str(raw).map_err(|e| format!("it is not the JSON Tributary writes: {e}"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

const PROCESS: &[&str] = &[
    "processtime",
    "processingtime",
    "pt",
    "touchtime",
    "handsontime",
    "valueaddedtime",
    "worktime",
    "activetime",
];
const WAIT: &[&str] = &[
    "waittime",
    "waitingtime",
    "wt",
    "queuetime",
    "delay",
    "delaytime",
    "idletime",
];
const OWNER: &[&str] = &[
    "owner",
    "team",
    "ownerteam",
    "owningteam",
    "responsibleteam",
];

pub static STAGE: &[Field<Stage>] = &[
    Field {
        key: "Process time",
        aliases: PROCESS,
        kind: DataKind::Number,
        always: true,
        get: |s| Some(fmt(s.process_time)),
        set: |s, v| {
            s.process_time = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Wait time",
        aliases: WAIT,
        kind: DataKind::Number,
        always: true,
        get: |s| Some(fmt(s.wait_time)),
        set: |s, v| {
            s.wait_time = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "%C&A",
        aliases: &[
            "pca",
            "percentca",
            "pctca",
            "pcta",
            "completeandaccurate",
            "completeaccurate",
            "percentcompleteandaccurate",
            "percentcompleteaccurate",
        ],
        kind: DataKind::Number,
        always: true,
        get: |s| Some(fmt(s.pca)),
        set: |s, v| {
            s.pca = parse_share(v)?;
            Ok(())
        },
    },
    Field {
        key: "Capacity",
        aliases: &["people", "servers", "headcount", "fte", "staff", "workers"],
        kind: DataKind::Number,
        always: false,
        get: |s| s.capacity.map(fmt),
        set: |s, v| {
            s.capacity = opt_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Owner",
        aliases: OWNER,
        kind: DataKind::Text,
        always: false,
        get: |s| s.team.clone(),
        set: |s, v| {
            s.team = opt_text(v);
            Ok(())
        },
    },
    Field {
        key: "Tributary uncertainty",
        aliases: &["uncertainty"],
        kind: DataKind::Text,
        always: false,
        get: |s| s.uncertainty.as_ref().and_then(to_json),
        set: |s, v| {
            s.uncertainty = Some(parse_json(v)?);
            Ok(())
        },
    },
];

pub fn parse_urgency_profile(raw: &str, old: &Urgency) -> Result<Urgency, String> {
    Ok(match normalize(raw).as_str() {
        "standard" => Urgency::Standard,
        "urgent" | "expedite" => Urgency::Urgent,
        "fixeddate" => match old {
            f @ Urgency::FixedDate { .. } => f.clone(),
            _ => Urgency::FixedDate {
                date: None,
                deadline_week: None,
            },
        },
        "intangible" => match old {
            i @ Urgency::Intangible { .. } => i.clone(),
            _ => Urgency::Intangible { ramp_weeks: None },
        },
        _ => {
            return Err(format!(
                "{raw:?} is not an urgency (standard, urgent, fixed_date or intangible)"
            ));
        }
    })
}

pub fn urgency_str(u: &Urgency) -> &'static str {
    match u {
        Urgency::Standard => "standard",
        Urgency::Urgent => "urgent",
        Urgency::FixedDate { .. } => "fixed_date",
        Urgency::Intangible { .. } => "intangible",
    }
}

fn set_deadline_date(u: &mut Urgency, v: &str) {
    let date = opt_text(v);
    match u {
        Urgency::FixedDate { date: d, .. } => *d = date,
        _ => {
            *u = Urgency::FixedDate {
                date,
                deadline_week: None,
            }
        }
    }
}

fn set_deadline_week(u: &mut Urgency, v: Option<f64>) {
    match u {
        Urgency::FixedDate { deadline_week, .. } => *deadline_week = v,
        _ => {
            *u = Urgency::FixedDate {
                date: None,
                deadline_week: v,
            }
        }
    }
}

fn set_ramp(u: &mut Urgency, v: Option<f64>) {
    *u = Urgency::Intangible { ramp_weeks: v };
}

fn deadline_date(u: &Urgency) -> Option<String> {
    match u {
        Urgency::FixedDate { date, .. } => date.clone(),
        _ => None,
    }
}

fn deadline_week(u: &Urgency) -> Option<String> {
    match u {
        Urgency::FixedDate { deadline_week, .. } => deadline_week.map(fmt),
        _ => None,
    }
}

fn ramp_weeks(u: &Urgency) -> Option<String> {
    match u {
        Urgency::Intangible { ramp_weeks } => ramp_weeks.map(fmt),
        _ => None,
    }
}

/// The four urgency properties of an entity with an `urgency` field.
macro_rules! urgency_fields {
    ($t:ty) => {
        [
            Field::<$t> {
                key: "Urgency",
                aliases: &["urgencyprofile", "codprofile"],
                kind: DataKind::Text,
                always: false,
                get: |x| Some(urgency_str(&x.urgency).to_owned()),
                set: |x, v| {
                    x.urgency = parse_urgency_profile(v, &x.urgency)?;
                    Ok(())
                },
            },
            Field::<$t> {
                key: "Deadline date",
                aliases: &["deadline", "fixeddate", "duedate"],
                kind: DataKind::Text,
                always: false,
                get: |x| deadline_date(&x.urgency),
                set: |x, v| {
                    set_deadline_date(&mut x.urgency, v);
                    Ok(())
                },
            },
            Field::<$t> {
                key: "Deadline week",
                aliases: &[],
                kind: DataKind::Number,
                always: false,
                get: |x| deadline_week(&x.urgency),
                set: |x, v| {
                    set_deadline_week(&mut x.urgency, opt_number(v)?);
                    Ok(())
                },
            },
            Field::<$t> {
                key: "Ramp weeks",
                aliases: &[],
                kind: DataKind::Number,
                always: false,
                get: |x| ramp_weeks(&x.urgency),
                set: |x, v| {
                    set_ramp(&mut x.urgency, opt_number(v)?);
                    Ok(())
                },
            },
        ]
    };
}

const COST_OF_DELAY: &[&str] = &["costofdelay", "cod", "codperweek", "costofdelayweekly"];

static STREAM_URGENCY: [Field<Stream>; 4] = urgency_fields!(Stream);
static INITIATIVE_URGENCY: [Field<Initiative>; 4] = urgency_fields!(Initiative);

pub static STREAM_OWN: &[Field<Stream>] = &[
    Field {
        key: "Trigger",
        aliases: &["startevent", "triggeringevent"],
        kind: DataKind::Text,
        always: false,
        get: |s| s.trigger.clone(),
        set: |s, v| {
            s.trigger = opt_text(v);
            Ok(())
        },
    },
    Field {
        key: "Value",
        aliases: &["valuedelivered", "outcome", "valueproposition"],
        kind: DataKind::Text,
        always: false,
        get: |s| s.value.clone(),
        set: |s, v| {
            s.value = opt_text(v);
            Ok(())
        },
    },
    Field {
        key: "Demand per week",
        aliases: &["demand", "itemsperweek", "arrivalsperweek", "volumeperweek"],
        kind: DataKind::Number,
        always: true,
        get: |s| Some(fmt(s.demand_per_week)),
        set: |s, v| {
            s.demand_per_week = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Cost of delay per week",
        aliases: COST_OF_DELAY,
        kind: DataKind::Number,
        always: true,
        get: |s| Some(fmt(s.cost_of_delay_per_week)),
        set: |s, v| {
            s.cost_of_delay_per_week = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Arrivals",
        aliases: &["arrivalpattern"],
        kind: DataKind::Text,
        always: false,
        get: |s| {
            s.arrivals
                .and_then(|a| to_json(&a))
                .map(|j| j.trim_matches('"').to_owned())
        },
        set: |s, v| {
            s.arrivals = Some(parse_json(&format!("{:?}", normalize(v)))?);
            Ok(())
        },
    },
];

pub fn stream_fields() -> impl Iterator<Item = &'static Field<Stream>> + Clone {
    STREAM_OWN.iter().chain(STREAM_URGENCY.iter())
}

pub static PBC: &[Field<Pbc>] = &[
    Field {
        key: "Domain",
        aliases: &["businessdomain", "boundedcontext", "area"],
        kind: DataKind::Text,
        always: false,
        get: |p| p.domain.clone(),
        set: |p, v| {
            p.domain = opt_text(v);
            Ok(())
        },
    },
    Field {
        key: "Owner",
        aliases: OWNER,
        kind: DataKind::Text,
        always: false,
        get: |p| p.team.clone(),
        set: |p, v| {
            p.team = opt_text(v);
            Ok(())
        },
    },
    Field {
        key: "Kind",
        aliases: &["pbckind", "pbctype", "sourcing", "technology"],
        kind: DataKind::Text,
        always: true,
        get: |p| Some(kind_str(p.kind).to_owned()),
        set: |p, v| {
            p.kind = parse_kind(v)?;
            Ok(())
        },
    },
    Field {
        key: "Lifecycle",
        aliases: &[
            "time",
            "timecategory",
            "gartnertime",
            "lifecyclestatus",
            "disposition",
        ],
        kind: DataKind::Text,
        always: true,
        get: |p| Some(lifecycle_str(p.lifecycle).to_owned()),
        set: |p, v| {
            p.lifecycle = parse_lifecycle(v)?;
            Ok(())
        },
    },
    Field {
        key: "Annual run cost",
        aliases: &[
            "runcost",
            "yearlyruncost",
            "annualcost",
            "costperyear",
            "runcostperyear",
            "annualruncosts",
            "runcosts",
            "operatingcost",
        ],
        kind: DataKind::Number,
        always: true,
        get: |p| Some(fmt(p.annual_run_cost)),
        set: |p, v| {
            p.annual_run_cost = parse_number(v)?;
            Ok(())
        },
    },
];

pub static ASSIGNMENT: &[Field<Assignment>] = &[
    Field {
        key: "Process time",
        aliases: PROCESS,
        kind: DataKind::Number,
        always: false,
        get: |a| Some(fmt(a.process_time)),
        set: |a, v| {
            a.process_time = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Wait time",
        aliases: WAIT,
        kind: DataKind::Number,
        always: false,
        get: |a| Some(fmt(a.wait_time)),
        set: |a, v| {
            a.wait_time = parse_number(v)?;
            Ok(())
        },
    },
];

pub static INTEGRATION: &[Field<Integration>] = &[
    Field {
        key: "Integration style",
        aliases: &["style", "integration"],
        kind: DataKind::Text,
        always: true,
        get: |x| to_json(&x.style).map(|j| j.trim_matches('"').to_owned()),
        set: |x, v| {
            let s = match normalize(v).as_str() {
                "syncapi" | "sync" | "api" | "synchronous" | "rest" => IntegrationStyle::SyncApi,
                "events" | "event" | "eventdriven" | "async" | "messaging" => {
                    IntegrationStyle::Events
                }
                "batch" | "file" | "filetransfer" | "etl" => IntegrationStyle::Batch,
                _ => return Err(format!("{v:?} is not a style (sync_api, events or batch)")),
            };
            x.style = s;
            Ok(())
        },
    },
    Field {
        key: "Latency",
        aliases: &[],
        kind: DataKind::Number,
        always: true,
        get: |x| Some(fmt(x.latency)),
        set: |x, v| {
            x.latency = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Interval",
        aliases: &["batchinterval", "every", "schedule"],
        kind: DataKind::Number,
        always: false,
        get: |x| x.interval.map(fmt),
        set: |x, v| {
            x.interval = opt_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Calls per item",
        aliases: &["calls", "callsperitem"],
        kind: DataKind::Number,
        always: false,
        get: |x| x.calls_per_item.map(fmt),
        set: |x, v| {
            x.calls_per_item = opt_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Attached to",
        aliases: &["attachedto"],
        kind: DataKind::Text,
        always: false,
        get: |x| x.at.as_ref().map(write_attachment),
        set: |x, v| {
            x.at = read_attachment(v)?;
            Ok(())
        },
    },
];

/// Where an integration is attached, as one property: "stream/stage", or
/// "stream/after->stage" on a hand-off (ids, as Tributary writes them).
pub fn write_attachment(at: &IntegrationAt) -> String {
    match &at.after {
        Some(a) => format!("{}/{a}->{}", at.stream, at.stage),
        None => format!("{}/{}", at.stream, at.stage),
    }
}

pub fn read_attachment(raw: &str) -> Result<Option<IntegrationAt>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || format!("{raw:?} is not \"stream/stage\" or \"stream/from->stage\"");
    let (stream, rest) = raw.split_once('/').ok_or_else(bad)?;
    let (after, stage) = match rest.split_once("->") {
        Some((a, s)) => (Some(a.trim().to_owned()), s.trim()),
        None => (None, rest.trim()),
    };
    if stream.trim().is_empty() || stage.is_empty() || after.as_deref() == Some("") {
        return Err(bad());
    }
    Ok(Some(IntegrationAt {
        stream: stream.trim().to_owned(),
        stage: stage.to_owned(),
        after,
    }))
}

fn wsjf_mut(x: &mut Initiative) -> &mut Wsjf {
    x.wsjf.get_or_insert(Wsjf {
        business_value: 0.0,
        time_criticality: 0.0,
        risk_reduction: 0.0,
        job_size: 0.0,
    })
}

pub static INITIATIVE_OWN: &[Field<Initiative>] = &[
    Field {
        key: "Cost of delay per week",
        aliases: COST_OF_DELAY,
        kind: DataKind::Number,
        always: true,
        get: |x| Some(fmt(x.cost_of_delay_per_week)),
        set: |x, v| {
            x.cost_of_delay_per_week = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Duration weeks",
        aliases: &["duration", "durationinweeks", "weeks"],
        kind: DataKind::Number,
        always: true,
        get: |x| Some(fmt(x.duration_weeks)),
        set: |x, v| {
            x.duration_weeks = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "WSJF business value",
        aliases: &["businessvalue", "userbusinessvalue"],
        kind: DataKind::Number,
        always: false,
        get: |x| x.wsjf.map(|w| fmt(w.business_value)),
        set: |x, v| {
            wsjf_mut(x).business_value = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "WSJF time criticality",
        aliases: &["timecriticality"],
        kind: DataKind::Number,
        always: false,
        get: |x| x.wsjf.map(|w| fmt(w.time_criticality)),
        set: |x, v| {
            wsjf_mut(x).time_criticality = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "WSJF risk reduction",
        aliases: &[
            "riskreduction",
            "riskreductionopportunityenablement",
            "rroe",
        ],
        kind: DataKind::Number,
        always: false,
        get: |x| x.wsjf.map(|w| fmt(w.risk_reduction)),
        set: |x, v| {
            wsjf_mut(x).risk_reduction = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "WSJF job size",
        aliases: &["jobsize"],
        kind: DataKind::Number,
        always: false,
        get: |x| x.wsjf.map(|w| fmt(w.job_size)),
        set: |x, v| {
            wsjf_mut(x).job_size = parse_number(v)?;
            Ok(())
        },
    },
];

pub fn initiative_fields() -> impl Iterator<Item = &'static Field<Initiative>> + Clone {
    INITIATIVE_OWN.iter().chain(INITIATIVE_URGENCY.iter())
}

pub static SCENARIO: &[Field<Scenario>] = &[Field {
    key: "Tributary changes",
    aliases: &[],
    kind: DataKind::Text,
    always: true,
    get: |s| to_json(&s.changes),
    set: |s, v| {
        s.changes = parse_json(v)?;
        Ok(())
    },
}];

pub static MODEL: &[Field<Model>] = &[
    Field {
        key: "Currency",
        aliases: &[],
        kind: DataKind::Text,
        always: true,
        get: |m| Some(m.currency.clone()),
        set: |m, v| {
            m.currency = v.trim().to_ascii_uppercase();
            Ok(())
        },
    },
    Field {
        key: "Time unit",
        aliases: &["timeunit", "unit"],
        kind: DataKind::Text,
        always: true,
        get: |m| Some(m.time_unit.as_str().to_owned()),
        set: |m, v| {
            m.time_unit = match normalize(v).as_str() {
                "minutes" | "minute" | "min" => TimeUnit::Minutes,
                "hours" | "hour" | "h" => TimeUnit::Hours,
                "days" | "day" | "d" => TimeUnit::Days,
                "weeks" | "week" | "wk" | "w" => TimeUnit::Weeks,
                _ => return Err(format!("{v:?} is not minutes, hours, days or weeks")),
            };
            Ok(())
        },
    },
    Field {
        key: "Hours per day",
        aliases: &[],
        kind: DataKind::Number,
        always: true,
        get: |m| Some(fmt(m.calendar.hours_per_day)),
        set: |m, v| {
            m.calendar.hours_per_day = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Days per week",
        aliases: &[],
        kind: DataKind::Number,
        always: true,
        get: |m| Some(fmt(m.calendar.days_per_week)),
        set: |m, v| {
            m.calendar.days_per_week = parse_number(v)?;
            Ok(())
        },
    },
    Field {
        key: "Discount rate",
        aliases: &[],
        kind: DataKind::Number,
        always: true,
        get: |m| Some(fmt(m.finance.discount_rate)),
        set: |m, v| {
            m.finance.discount_rate = parse_share(v)?;
            Ok(())
        },
    },
    Field {
        key: "Horizon years",
        aliases: &["horizon"],
        kind: DataKind::Number,
        always: true,
        get: |m| Some(m.finance.horizon_years.to_string()),
        set: |m, v| {
            let n = parse_number(v)?;
            if n.fract() != 0.0 || !(0.0..=1000.0).contains(&n) {
                return Err(format!("{v:?} is not a whole number of years"));
            }
            m.finance.horizon_years = n as u32;
            Ok(())
        },
    },
    Field {
        key: "Author",
        aliases: &["creator"],
        kind: DataKind::Text,
        always: false,
        get: |m| m.author.clone(),
        set: |m, v| {
            m.author = opt_text(v);
            Ok(())
        },
    },
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_are_matched_forgivingly() {
        let f = |k| find(STAGE, k).map(|f| f.key);
        assert_eq!(f("Process Time (h)"), Some("Process time"));
        assert_eq!(f("process_time"), Some("Process time"));
        assert_eq!(f("PT"), Some("Process time"));
        assert_eq!(f("Waiting time [days]"), Some("Wait time"));
        assert_eq!(f("%C/A"), Some("%C&A"));
        assert_eq!(f("Percent Complete & Accurate"), Some("%C&A"));
        assert_eq!(f("Colour"), None);
    }

    #[test]
    fn numbers_are_read_as_people_write_them() {
        assert_eq!(parse_number("1,5").unwrap(), 1.5);
        assert_eq!(parse_number("1.234,5").unwrap(), 1234.5);
        assert_eq!(parse_number("1,234.5").unwrap(), 1234.5);
        assert_eq!(parse_number("€ 120,000").unwrap(), 120000.0);
        assert_eq!(parse_number("120000 EUR").unwrap(), 120000.0);
        assert_eq!(parse_number("2.5e3").unwrap(), 2500.0);
        assert_eq!(parse_number("-3").unwrap(), -3.0);
        assert!(parse_number("two hours").is_err());
    }

    #[test]
    fn shares_are_percent_or_fraction() {
        assert_eq!(parse_share("90%").unwrap(), 0.9);
        assert_eq!(parse_share("90").unwrap(), 0.9);
        assert_eq!(parse_share("0.9").unwrap(), 0.9);
        assert_eq!(parse_share("1").unwrap(), 1.0);
    }

    #[test]
    fn every_written_value_reads_back() {
        let mut s = Stage {
            id: "a".into(),
            name: "A".into(),
            process_time: 0.1 + 0.2,
            wait_time: 1e-7,
            pca: 0.97,
            capacity: Some(2.5),
            team: Some("Ops".into()),
            position: None,
            uncertainty: Some(Uncertainty {
                wip_limit: Some(3),
                ..Default::default()
            }),
            note: None,
        };
        let original = s.clone();
        for f in STAGE {
            let v = (f.get)(&original).unwrap();
            (f.set)(&mut s, &v).unwrap();
        }
        assert_eq!(s, original);
    }
}
