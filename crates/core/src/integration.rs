//! Where integration costs time (REFERENCE.md section 7).
//!
//! An integration attached to a stage (or to the hand-off into it) adds to that stage's
//! times by its style:
//! - a batch or file transfer running every T of working time, taking R to run, adds
//!   T/2 + R to the wait (items arrive spread over the interval, so they wait half of it);
//! - a synchronous call of latency L made k times per item adds k x L to the process time;
//! - an event adds its latency L to the wait.
//!
//! An integration attached to nothing adds nothing.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::format::{duration, number};
use crate::model::{Integration, IntegrationStyle, Model};

/// The time one integration adds per item where it is attached.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Delay {
    pub process_time: f64,
    pub wait_time: f64,
}

impl Delay {
    pub fn lead_time(&self) -> f64 {
        self.process_time + self.wait_time
    }
}

impl Integration {
    /// How many calls a synchronous integration makes per item.
    pub fn calls(&self) -> f64 {
        self.calls_per_item.unwrap_or(1.0)
    }

    /// The time this integration adds per item at the stage it is attached to (attached
    /// or not: see [`Attached`] for where it counts).
    pub fn delay(&self) -> Delay {
        match self.style {
            IntegrationStyle::Batch => Delay {
                process_time: 0.0,
                wait_time: self.interval.unwrap_or(0.0) / 2.0 + self.latency,
            },
            IntegrationStyle::SyncApi => Delay {
                process_time: self.calls() * self.latency,
                wait_time: 0.0,
            },
            IntegrationStyle::Events => Delay {
                process_time: 0.0,
                wait_time: self.latency,
            },
        }
    }

    /// The integration's name for people: its own, or "From → To" by PBC name.
    pub fn label(&self, model: &Model) -> String {
        if let Some(n) = self.name.as_deref().filter(|n| !n.trim().is_empty()) {
            return n.to_owned();
        }
        let name = |id: &str| model.pbc(id).map_or(id.to_owned(), |p| p.name.clone());
        format!("{} → {}", name(&self.from), name(&self.to))
    }

    /// How the delay comes about, in a few words: "a batch every 8 h, running 30 min".
    pub fn mechanism(&self, model: &Model) -> String {
        let t = |v: f64| duration(v, model.time_unit, &model.calendar);
        let latency = t(self.latency);
        match self.style {
            IntegrationStyle::Batch => match self.interval {
                Some(every) => format!("a batch every {}, running {latency}", t(every)),
                None => format!("a batch running {latency}"),
            },
            IntegrationStyle::SyncApi => {
                let k = self.calls();
                let calls = if k == 1.0 { "call" } else { "calls" };
                format!("{} {calls} of {latency} each", number(k))
            }
            IntegrationStyle::Events => format!("events of {latency}"),
        }
    }
}

/// One integration's part in a stage's times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct IntegrationPart {
    pub id: String,
    /// Its name for people ("Underwriting → Offers").
    pub label: String,
    pub style: IntegrationStyle,
    /// The stage handing over, where it sits on a hand-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub after: Option<String>,
    pub process_time: f64,
    pub wait_time: f64,
    /// One line for people: "Waiting for Underwriting → Offers (a batch every 8 h,
    /// running 30 min): 4.5 h".
    pub explanation: String,
}

impl IntegrationPart {
    pub fn of(model: &Model, x: &Integration) -> IntegrationPart {
        let d = x.delay();
        let t = |v: f64| duration(v, model.time_unit, &model.calendar);
        let label = x.label(model);
        let how = x.mechanism(model);
        let explanation = if x.style == IntegrationStyle::SyncApi {
            format!("Calling {label} ({how}): {}", t(d.process_time))
        } else {
            format!("Waiting for {label} ({how}): {}", t(d.wait_time))
        };
        IntegrationPart {
            id: x.id.clone(),
            label,
            style: x.style,
            after: x.at.as_ref().and_then(|a| a.after.clone()),
            process_time: d.process_time,
            wait_time: d.wait_time,
            explanation,
        }
    }

    pub fn lead_time(&self) -> f64 {
        self.process_time + self.wait_time
    }
}

/// The integrations attached to each (stream, stage), in the model's order.
#[derive(Default)]
pub struct Attached<'a> {
    /// stream id -> stage id -> integrations
    map: HashMap<&'a str, HashMap<&'a str, Vec<&'a Integration>>>,
}

impl<'a> Attached<'a> {
    pub fn of(model: &'a Model) -> Attached<'a> {
        let mut map: HashMap<&str, HashMap<&str, Vec<&Integration>>> = HashMap::new();
        for x in &model.integrations {
            if let Some(at) = &x.at {
                map.entry(at.stream.as_str())
                    .or_default()
                    .entry(at.stage.as_str())
                    .or_default()
                    .push(x);
            }
        }
        Attached { map }
    }

    pub fn at(&self, stream: &str, stage: &str) -> &[&'a Integration] {
        self.map
            .get(stream)
            .and_then(|m| m.get(stage))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IntegrationAt;

    fn at(stage: &str) -> Option<IntegrationAt> {
        Some(IntegrationAt {
            stream: "s".into(),
            stage: stage.into(),
            after: None,
        })
    }

    #[test]
    fn each_style_adds_its_own_kind_of_time() {
        // E17: every 8 h, running 0.5 h: 8 / 2 + 0.5 = 4.5 h of wait
        let batch = Integration {
            interval: Some(8.0),
            ..Integration::new("b", "a", "c", IntegrationStyle::Batch, 0.5)
        };
        assert_eq!(
            batch.delay(),
            Delay {
                process_time: 0.0,
                wait_time: 4.5
            }
        );
        // E18: 3 calls of 45 s = 0.0125 h: 0.0375 h of process time
        let sync = Integration {
            calls_per_item: Some(3.0),
            ..Integration::new("c", "a", "c", IntegrationStyle::SyncApi, 0.0125)
        };
        assert!((sync.delay().process_time - 0.0375).abs() < 1e-15);
        assert_eq!(sync.delay().wait_time, 0.0);
        // one call when not told otherwise; events wait their latency
        assert_eq!(
            Integration::new("d", "a", "c", IntegrationStyle::SyncApi, 0.2)
                .delay()
                .process_time,
            0.2
        );
        let events = Integration::new("e", "a", "c", IntegrationStyle::Events, 0.01);
        assert_eq!(events.delay().wait_time, 0.01);
        assert_eq!(events.delay().lead_time(), 0.01);
    }

    #[test]
    fn only_attached_integrations_are_found_at_a_stage() {
        let mut m = Model::new("m");
        m.integrations = vec![
            Integration {
                at: at("x"),
                ..Integration::new("1", "a", "b", IntegrationStyle::Events, 1.0)
            },
            Integration::new("2", "a", "b", IntegrationStyle::Events, 1.0),
            Integration {
                at: at("x"),
                ..Integration::new("3", "a", "b", IntegrationStyle::Events, 1.0)
            },
        ];
        let a = Attached::of(&m);
        let ids: Vec<&str> = a.at("s", "x").iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert!(a.at("s", "y").is_empty());
    }

    #[test]
    fn explanations_say_what_the_time_is_for() {
        let mut m = Model::new("m");
        let nightly = Integration {
            interval: Some(8.0),
            name: Some("nightly clearing file".into()),
            ..Integration::new("b", "uw", "offers", IntegrationStyle::Batch, 0.5)
        };
        assert_eq!(
            IntegrationPart::of(&m, &nightly).explanation,
            "Waiting for nightly clearing file (a batch every 8 h, running 30 min): 4.5 h"
        );
        m.pbcs
            .push(crate::model::Pbc::new("auth", "Legacy authorisation"));
        let call = Integration {
            calls_per_item: Some(3.0),
            ..Integration::new("c", "care", "auth", IntegrationStyle::SyncApi, 0.0125)
        };
        assert_eq!(
            IntegrationPart::of(&m, &call).explanation,
            "Calling care → Legacy authorisation (3 calls of 45 s each): 2.25 min"
        );
    }
}
