//! The words people read: an item by its name ("stage Credit scoring"), a field's change with
//! its unit ("wait 50 h -> 20 h"), a scenario's changes as the scenario page says them. Any
//! field reads, by its name and value; the fields below read better.

use serde_json::{Map, Value};
use tributary_core::format::{money, number, percent};
use tributary_core::{Change, Model, scenario};

use crate::value::identities;

/// Names and units from the two models being compared (the later one first).
pub(crate) struct Words<'m> {
    pub before: &'m Model,
    pub after: &'m Model,
}

/// Texts longer than this say that they changed, not what they say.
const SHORT: usize = 40;

impl<'m> Words<'m> {
    pub fn new(before: &'m Model, after: &'m Model) -> Self {
        Words { before, after }
    }

    fn models(&self) -> [&'m Model; 2] {
        [self.after, self.before]
    }

    pub fn stream_name(&self, id: &str) -> String {
        self.models()
            .iter()
            .find_map(|m| m.stream(id))
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    }

    pub fn stage_name(&self, stream: &str, id: &str) -> String {
        self.models()
            .iter()
            .find_map(|m| m.stream(stream).and_then(|s| s.stage(id)))
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    }

    pub fn pbc_name(&self, id: &str) -> String {
        self.models()
            .iter()
            .find_map(|m| m.pbc(id))
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    }

    /// " (Mortgage decision)" where the models have more than one stream.
    fn in_stream(&self, stream: Option<&str>) -> String {
        let many = self.before.streams.len() > 1 || self.after.streams.len() > 1;
        match stream {
            Some(s) if many => format!(" ({})", self.stream_name(s)),
            _ => String::new(),
        }
    }

    /// The item's own name: its `name` field, or what its key names.
    pub fn name(
        &self,
        kind: &str,
        stream: Option<&str>,
        key: &[String],
        item: &Map<String, Value>,
    ) -> String {
        if let Some(n) = item.get("name").and_then(Value::as_str) {
            return n.to_owned();
        }
        let part = |i: usize| key.get(i).map_or("", String::as_str);
        match kind {
            "assignment" => format!(
                "{} at {}",
                self.pbc_name(part(0)),
                self.stage_name(part(1), part(2))
            ),
            "edge" => {
                let s = stream.unwrap_or_default();
                format!(
                    "{} -> {}",
                    self.stage_name(s, part(0)),
                    self.stage_name(s, part(1))
                )
            }
            "mapping" => self.stream_name(part(0)),
            _ => key.join(" "),
        }
    }

    /// The item as a sentence begins: "stage Credit scoring", "PBC Cloud scoring at Credit
    /// scoring", "flow Intake -> KYC".
    pub fn subject(&self, kind: &str, stream: Option<&str>, name: &str, key: &[String]) -> String {
        match kind {
            "assignment" => {
                let s = key.get(1).map(String::as_str);
                format!("PBC {name}{}", self.in_stream(s))
            }
            "edge" => format!("flow {name}{}", self.in_stream(stream)),
            "mapping" => format!("telemetry mapping of {name}"),
            _ => format!("{kind} {name}{}", self.in_stream(stream)),
        }
    }

    fn unit(&self) -> &'static str {
        self.after.time_unit.suffix()
    }

    fn currency(&self) -> &str {
        &self.after.currency
    }

    fn number_of(&self, field: &str, x: f64) -> String {
        match field {
            "process_time" | "wait_time" | "latency" => format!("{} {}", number(x), self.unit()),
            "pca" | "discount_rate" => percent(x),
            "annual_run_cost" => format!("{} a year", money(x, self.currency())),
            "cost_of_delay_per_week" => format!("{} a week", money(x, self.currency())),
            "amount" => money(x, self.currency()),
            "demand_per_week" => format!("{} a week", number(x)),
            "duration_weeks" | "deadline_week" | "ramp_weeks" => format!("{} weeks", number(x)),
            "hours_per_day" => format!("{} h", number(x)),
            "days_per_week" => format!("{} days", number(x)),
            _ => number(x),
        }
    }

    /// A value as people read it: "none" for nothing.
    pub fn value(&self, field: &str, v: Option<&Value>) -> String {
        match v {
            None | Some(Value::Null) => "none".into(),
            Some(Value::Number(n)) => self.number_of(field, n.as_f64().unwrap_or(0.0)),
            Some(Value::String(s)) if s.chars().count() <= SHORT && !s.contains('\n') => s.clone(),
            Some(Value::String(_)) => "a text".into(),
            Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.into(),
            Some(Value::Array(xs)) => match xs.len() {
                0 => "none".into(),
                _ if xs.iter().all(|x| x.is_string() || x.is_number()) => xs
                    .iter()
                    .map(|x| self.value(field, Some(x)))
                    .collect::<Vec<_>>()
                    .join(", "),
                n => format!("{n} items"),
            },
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, x)| format!("{} {}", label(k), self.value(k, Some(x))))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// One field's change: "wait 50 h -> 20 h", "renamed to Risk scoring", "change 2
    /// removed (Invest EUR 280,000 in AVM rollout)".
    pub fn field(&self, field: &str, before: Option<&Value>, after: Option<&Value>) -> String {
        let label = label(field);
        match (before, after) {
            (_, Some(Value::String(n))) if field == "name" => format!("renamed to {n}"),
            (Some(Value::Array(a)), Some(Value::Array(b))) => self.elements(field, a, b),
            (Some(Value::Object(a)), Some(Value::Object(b))) => self.leaves(&label, a, b),
            (Some(Value::String(a)), Some(Value::String(b))) if long(a) || long(b) => {
                format!("{label} changed")
            }
            (None | Some(Value::Null), Some(b)) if is_long(b) => format!("{label} added"),
            (Some(a), None | Some(Value::Null)) if is_long(a) => format!("{label} removed"),
            _ => format!(
                "{label} {} -> {}",
                self.value(field, before),
                self.value(field, after)
            ),
        }
    }

    /// The fields of a nested value that differ: "calendar hours per day 8 h -> 7.5 h".
    fn leaves(&self, label: &str, a: &Map<String, Value>, b: &Map<String, Value>) -> String {
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.iter()
            .filter(|k| a.get(k.as_str()) != b.get(k.as_str()))
            .map(|k| {
                let part = self.field(k, a.get(k.as_str()), b.get(k.as_str()));
                format!("{label} {part}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A list inside an item, element by element.
    fn elements(&self, field: &str, a: &[Value], b: &[Value]) -> String {
        let (ia, ib) = (identities(a), identities(b));
        let one = singular(&label(field));
        let mut parts = Vec::new();
        for (i, id) in ia.iter().enumerate() {
            if !ib.contains(id) {
                parts.push(format!("{one} {} removed ({})", i + 1, self.element(&a[i])));
            }
        }
        for (j, id) in ib.iter().enumerate() {
            match ia.iter().position(|x| x == id) {
                None => parts.push(format!("{one} {} added ({})", j + 1, self.element(&b[j]))),
                Some(i) if a[i] != b[j] => {
                    parts.push(format!("{one} {} now {}", j + 1, self.element(&b[j])))
                }
                Some(_) => {}
            }
        }
        if parts.is_empty() {
            parts.push(format!("{} reordered", label(field)));
        }
        parts.join(", ")
    }

    /// One element of a list: a scenario's change as the scenario page says it.
    pub fn element(&self, v: &Value) -> String {
        if let Ok(change) = serde_json::from_value::<Change>(v.clone()) {
            return scenario::describe(self.after, &change);
        }
        self.value("", Some(v))
    }
}

/// A field's name as people say it.
pub(crate) fn label(field: &str) -> String {
    match field {
        "process_time" => "process".into(),
        "wait_time" => "wait".into(),
        "pca" => "%C&A".into(),
        "annual_run_cost" => "run cost".into(),
        "cost_of_delay_per_week" => "cost of delay".into(),
        "demand_per_week" => "demand".into(),
        f => f.replace('_', " "),
    }
}

fn singular(label: &str) -> String {
    label.strip_suffix('s').unwrap_or(label).to_owned()
}

fn long(s: &str) -> bool {
    s.chars().count() > SHORT || s.contains('\n')
}

fn is_long(v: &Value) -> bool {
    v.as_str().is_some_and(long)
}

/// "1 stage", "2 stages".
pub(crate) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
