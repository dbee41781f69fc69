//! Between rows and the model: reading a whole model, and writing the deltas of an edit.
//!
//! Each list keeps the user's order in an `ord` column. Ords only need to sort: a deleted
//! row leaves a gap, an append takes the last ord + 1, and only an insert or move inside a
//! list renumbers the rows after it.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tributary_core::edit::{Delta, Placed};
use tributary_core::*;

use crate::error::{Error, Result};
use crate::schema::classify;

/// A text column holding a serde enum or JSON value.
fn decode<T: DeserializeOwned>(path: &Path, what: &str, text: &str, json: bool) -> Result<T> {
    let parsed = if json {
        serde_json::from_str(text)
    } else {
        serde_json::from_value(serde_json::Value::String(text.to_owned()))
    };
    parsed.map_err(|e| Error::Corrupt {
        path: path.to_owned(),
        detail: format!("{what} holds {text:?}, which this version does not understand ({e})"),
    })
}

/// The text a serde enum serialises to (`"legacy"`).
fn tag<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("enums in the model serialise to strings, got {other:?}"),
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| unreachable!("model data serialises: {e}"))
}

/// Urgency as four columns: profile, date, deadline week, ramp weeks.
fn urgency_columns(u: &Urgency) -> (&'static str, Option<&str>, Option<f64>, Option<f64>) {
    match u {
        Urgency::Standard => ("standard", None, None, None),
        Urgency::Urgent => ("urgent", None, None, None),
        Urgency::FixedDate {
            date,
            deadline_week,
        } => ("fixed_date", date.as_deref(), *deadline_week, None),
        Urgency::Intangible { ramp_weeks } => ("intangible", None, None, *ramp_weeks),
    }
}

fn urgency_from(
    path: &Path,
    profile: &str,
    date: Option<String>,
    deadline_week: Option<f64>,
    ramp_weeks: Option<f64>,
) -> Result<Urgency> {
    Ok(match profile {
        "standard" => Urgency::Standard,
        "urgent" => Urgency::Urgent,
        "fixed_date" => Urgency::FixedDate {
            date,
            deadline_week,
        },
        "intangible" => Urgency::Intangible { ramp_weeks },
        other => {
            return Err(Error::Corrupt {
                path: path.to_owned(),
                detail: format!("an urgency profile is {other:?}"),
            });
        }
    })
}

/// Reads the whole model.
pub fn load(conn: &Connection, path: &Path) -> Result<Model> {
    let err = |e| classify(path, e);
    let mut m = conn
        .query_row(
            "SELECT name, currency, time_unit, hours_per_day, days_per_week, discount_rate,
                    horizon_years, author, description FROM settings WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, f64>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()
        .map_err(err)?
        .map(
            |(name, currency, unit, hpd, dpw, rate, years, author, description)| {
                let mut m = Model::new(name);
                m.currency = currency;
                m.calendar = Calendar {
                    hours_per_day: hpd,
                    days_per_week: dpw,
                };
                m.finance = Finance {
                    discount_rate: rate,
                    horizon_years: u32::try_from(years).unwrap_or(0),
                };
                m.author = author;
                m.description = description;
                (m, unit)
            },
        )
        .ok_or_else(|| Error::Corrupt {
            path: path.to_owned(),
            detail: "the model settings are missing".into(),
        })
        .and_then(|(mut m, unit)| {
            m.time_unit = decode(path, "settings.time_unit", &unit, false)?;
            Ok(m)
        })?;

    // streams
    let mut index: HashMap<String, usize> = HashMap::new();
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, name, trigger_event, value_delivered, demand_per_week,
                        cost_of_delay_per_week, urgency, urgency_date, deadline_week, ramp_weeks,
                        arrivals
                 FROM streams ORDER BY ord, id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let get = |r: &Row| -> rusqlite::Result<_> {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, f64>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<f64>>(8)?,
                    r.get::<_, Option<f64>>(9)?,
                    r.get::<_, Option<String>>(10)?,
                ))
            };
            let (id, name, trigger, value, demand, cod, urg, date, dw, rw, arrivals) =
                get(r).map_err(err)?;
            let arrivals = arrivals
                .map(|a| decode(path, &format!("the arrivals of stream {id:?}"), &a, false))
                .transpose()?;
            index.insert(id.clone(), m.streams.len());
            m.streams.push(Stream {
                id,
                name,
                trigger,
                value,
                demand_per_week: demand,
                cost_of_delay_per_week: cod,
                urgency: urgency_from(path, &urg, date, dw, rw)?,
                stages: Vec::new(),
                edges: Vec::new(),
                arrivals,
            });
        }
    }
    let orphan = |what: &str, stream: &str| Error::Corrupt {
        path: path.to_owned(),
        detail: format!("{what} belongs to stream {stream:?}, which is not in the file"),
    };
    {
        let mut stmt = conn
            .prepare(
                "SELECT stream_id, id, name, process_time, wait_time, pca, capacity, team, x, y,
                        uncertainty
                 FROM stages ORDER BY stream_id, ord, id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let stream: String = r.get(0).map_err(err)?;
            let x: Option<f64> = r.get(8).map_err(err)?;
            let y: Option<f64> = r.get(9).map_err(err)?;
            let id: String = r.get(1).map_err(err)?;
            let uncertainty: Option<String> = r.get(10).map_err(err)?;
            let uncertainty = uncertainty
                .map(|u| {
                    decode(
                        path,
                        &format!("the uncertainty of stage {id:?} of stream {stream:?}"),
                        &u,
                        true,
                    )
                })
                .transpose()?;
            let stage = Stage {
                id,
                name: r.get(2).map_err(err)?,
                process_time: r.get(3).map_err(err)?,
                wait_time: r.get(4).map_err(err)?,
                pca: r.get(5).map_err(err)?,
                capacity: r.get(6).map_err(err)?,
                team: r.get(7).map_err(err)?,
                position: x.zip(y).map(|(x, y)| Position { x, y }),
                uncertainty,
            };
            let i = *index
                .get(&stream)
                .ok_or_else(|| orphan("a stage", &stream))?;
            m.streams[i].stages.push(stage);
        }
    }
    {
        let mut stmt = conn
            .prepare("SELECT stream_id, from_stage, to_stage FROM edges ORDER BY stream_id, ord")
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let stream: String = r.get(0).map_err(err)?;
            let i = *index
                .get(&stream)
                .ok_or_else(|| orphan("an edge", &stream))?;
            m.streams[i].edges.push(Edge {
                from: r.get(1).map_err(err)?,
                to: r.get(2).map_err(err)?,
            });
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, name, domain, team, kind, lifecycle, annual_run_cost, systems
                 FROM pbcs ORDER BY ord, id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let id: String = r.get(0).map_err(err)?;
            let kind: String = r.get(4).map_err(err)?;
            let lifecycle: String = r.get(5).map_err(err)?;
            let systems: String = r.get(7).map_err(err)?;
            m.pbcs.push(Pbc {
                name: r.get(1).map_err(err)?,
                domain: r.get(2).map_err(err)?,
                team: r.get(3).map_err(err)?,
                kind: decode(path, &format!("the kind of PBC {id:?}"), &kind, false)?,
                lifecycle: decode(
                    path,
                    &format!("the lifecycle of PBC {id:?}"),
                    &lifecycle,
                    false,
                )?,
                annual_run_cost: r.get(6).map_err(err)?,
                systems: decode(path, &format!("the systems of PBC {id:?}"), &systems, true)?,
                id,
            });
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "SELECT pbc_id, stream_id, stage_id, process_time, wait_time, note
                 FROM assignments ORDER BY ord, pbc_id, stream_id, stage_id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            m.assignments.push(Assignment {
                pbc: r.get(0).map_err(err)?,
                stream: r.get(1).map_err(err)?,
                stage: r.get(2).map_err(err)?,
                process_time: r.get(3).map_err(err)?,
                wait_time: r.get(4).map_err(err)?,
                note: r.get(5).map_err(err)?,
            });
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, from_pbc, to_pbc, style, latency, note
                 FROM integrations ORDER BY ord, id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let id: String = r.get(0).map_err(err)?;
            let style: String = r.get(3).map_err(err)?;
            m.integrations.push(Integration {
                from: r.get(1).map_err(err)?,
                to: r.get(2).map_err(err)?,
                style: decode(
                    path,
                    &format!("the style of integration {id:?}"),
                    &style,
                    false,
                )?,
                latency: r.get(4).map_err(err)?,
                note: r.get(5).map_err(err)?,
                id,
            });
        }
    }
    {
        let mut stmt = conn
            .prepare("SELECT id, name, description, changes FROM scenarios ORDER BY ord, id")
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let id: String = r.get(0).map_err(err)?;
            let changes: String = r.get(3).map_err(err)?;
            m.scenarios.push(Scenario {
                name: r.get(1).map_err(err)?,
                description: r.get(2).map_err(err)?,
                changes: decode(
                    path,
                    &format!("the changes of scenario {id:?}"),
                    &changes,
                    true,
                )?,
                id,
            });
        }
    }
    {
        let mut stmt = conn
            .prepare(
                "SELECT id, name, stream_id, cost_of_delay_per_week, duration_weeks, urgency,
                        urgency_date, deadline_week, ramp_weeks, business_value,
                        time_criticality, risk_reduction, job_size
                 FROM initiatives ORDER BY ord, id",
            )
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let urg: String = r.get(5).map_err(err)?;
            let wsjf = (
                r.get::<_, Option<f64>>(9).map_err(err)?,
                r.get::<_, Option<f64>>(10).map_err(err)?,
                r.get::<_, Option<f64>>(11).map_err(err)?,
                r.get::<_, Option<f64>>(12).map_err(err)?,
            );
            m.initiatives.push(Initiative {
                id: r.get(0).map_err(err)?,
                name: r.get(1).map_err(err)?,
                stream: r.get(2).map_err(err)?,
                cost_of_delay_per_week: r.get(3).map_err(err)?,
                duration_weeks: r.get(4).map_err(err)?,
                urgency: urgency_from(
                    path,
                    &urg,
                    r.get(6).map_err(err)?,
                    r.get(7).map_err(err)?,
                    r.get(8).map_err(err)?,
                )?,
                wsjf: match wsjf {
                    (Some(b), Some(t), Some(rr), Some(j)) => Some(Wsjf {
                        business_value: b,
                        time_criticality: t,
                        risk_reduction: rr,
                        job_size: j,
                    }),
                    _ => None,
                },
            });
        }
    }
    Ok(m)
}

/// Writes a whole model into empty tables.
pub fn insert_all(conn: &Connection, path: &Path, model: &Model) -> Result<()> {
    let err = |e| classify(path, e);
    let s = model.settings();
    conn.execute(
        "INSERT INTO settings (id, name, currency, time_unit, hours_per_day, days_per_week,
                               discount_rate, horizon_years, author, description)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            s.name,
            s.currency,
            s.time_unit.as_str(),
            s.calendar.hours_per_day,
            s.calendar.days_per_week,
            s.finance.discount_rate,
            s.finance.horizon_years,
            s.author,
            s.description
        ],
    )
    .map_err(err)?;
    let mut w = Writer::new(conn, path);
    for (i, st) in model.streams.iter().enumerate() {
        w.insert_stream(i as i64, st)?;
        for (k, stage) in st.stages.iter().enumerate() {
            w.insert_stage(&st.id, k as i64, stage)?;
        }
        for (k, e) in st.edges.iter().enumerate() {
            w.insert_edge(&st.id, k as i64, e)?;
        }
    }
    for (i, p) in model.pbcs.iter().enumerate() {
        w.insert_pbc(i as i64, p)?;
    }
    for (i, a) in model.assignments.iter().enumerate() {
        w.insert_assignment(i as i64, a)?;
    }
    for (i, x) in model.integrations.iter().enumerate() {
        w.insert_integration(i as i64, x)?;
    }
    for (i, x) in model.scenarios.iter().enumerate() {
        w.insert_scenario(i as i64, x)?;
    }
    for (i, x) in model.initiatives.iter().enumerate() {
        w.insert_initiative(i as i64, x)?;
    }
    Ok(())
}

/// Which list an ord belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum List {
    Streams,
    Stages(String),
    Edges(String),
    Pbcs,
    Assignments,
    Integrations,
    Scenarios,
    Initiatives,
}

/// Writes deltas with cached statements.
pub struct Writer<'c> {
    conn: &'c Connection,
    path: &'c Path,
}

impl<'c> Writer<'c> {
    pub fn new(conn: &'c Connection, path: &'c Path) -> Writer<'c> {
        Writer { conn, path }
    }

    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(p))
            .map_err(|e| classify(self.path, e))
    }

    fn insert_stream(&mut self, ord: i64, s: &Stream) -> Result<()> {
        let (u, d, dw, rw) = urgency_columns(&s.urgency);
        self.exec(
            "INSERT INTO streams (id, ord, name, trigger_event, value_delivered, demand_per_week,
                cost_of_delay_per_week, urgency, urgency_date, deadline_week, ramp_weeks, arrivals)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                s.id,
                ord,
                s.name,
                s.trigger,
                s.value,
                s.demand_per_week,
                s.cost_of_delay_per_week,
                u,
                d,
                dw,
                rw,
                s.arrivals.as_ref().map(tag)
            ],
        )?;
        Ok(())
    }

    fn update_stream(&mut self, s: &Stream) -> Result<()> {
        let (u, d, dw, rw) = urgency_columns(&s.urgency);
        self.exec(
            "UPDATE streams SET name = ?2, trigger_event = ?3, value_delivered = ?4,
                demand_per_week = ?5, cost_of_delay_per_week = ?6, urgency = ?7,
                urgency_date = ?8, deadline_week = ?9, ramp_weeks = ?10, arrivals = ?11
             WHERE id = ?1",
            params![
                s.id,
                s.name,
                s.trigger,
                s.value,
                s.demand_per_week,
                s.cost_of_delay_per_week,
                u,
                d,
                dw,
                rw,
                s.arrivals.as_ref().map(tag)
            ],
        )?;
        Ok(())
    }

    fn insert_stage(&mut self, stream: &str, ord: i64, s: &Stage) -> Result<()> {
        self.exec(
            "INSERT INTO stages (stream_id, id, ord, name, process_time, wait_time, pca,
                capacity, team, x, y, uncertainty)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                stream,
                s.id,
                ord,
                s.name,
                s.process_time,
                s.wait_time,
                s.pca,
                s.capacity,
                s.team,
                s.position.map(|p| p.x),
                s.position.map(|p| p.y),
                s.uncertainty.as_ref().map(json)
            ],
        )?;
        Ok(())
    }

    fn update_stage(&mut self, stream: &str, s: &Stage) -> Result<()> {
        self.exec(
            "UPDATE stages SET name = ?3, process_time = ?4, wait_time = ?5, pca = ?6,
                capacity = ?7, team = ?8, x = ?9, y = ?10, uncertainty = ?11
             WHERE stream_id = ?1 AND id = ?2",
            params![
                stream,
                s.id,
                s.name,
                s.process_time,
                s.wait_time,
                s.pca,
                s.capacity,
                s.team,
                s.position.map(|p| p.x),
                s.position.map(|p| p.y),
                s.uncertainty.as_ref().map(json)
            ],
        )?;
        Ok(())
    }

    fn insert_edge(&mut self, stream: &str, ord: i64, e: &Edge) -> Result<()> {
        self.exec(
            "INSERT INTO edges (stream_id, from_stage, to_stage, ord) VALUES (?1, ?2, ?3, ?4)",
            params![stream, e.from, e.to, ord],
        )?;
        Ok(())
    }

    fn insert_pbc(&mut self, ord: i64, p: &Pbc) -> Result<()> {
        self.exec(
            "INSERT INTO pbcs (id, ord, name, domain, team, kind, lifecycle, annual_run_cost,
                systems) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                p.id,
                ord,
                p.name,
                p.domain,
                p.team,
                tag(&p.kind),
                tag(&p.lifecycle),
                p.annual_run_cost,
                json(&p.systems)
            ],
        )?;
        Ok(())
    }

    fn update_pbc(&mut self, p: &Pbc) -> Result<()> {
        self.exec(
            "UPDATE pbcs SET name = ?2, domain = ?3, team = ?4, kind = ?5, lifecycle = ?6,
                annual_run_cost = ?7, systems = ?8 WHERE id = ?1",
            params![
                p.id,
                p.name,
                p.domain,
                p.team,
                tag(&p.kind),
                tag(&p.lifecycle),
                p.annual_run_cost,
                json(&p.systems)
            ],
        )?;
        Ok(())
    }

    fn insert_assignment(&mut self, ord: i64, a: &Assignment) -> Result<()> {
        self.exec(
            "INSERT INTO assignments (pbc_id, stream_id, stage_id, ord, process_time, wait_time,
                note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                a.pbc,
                a.stream,
                a.stage,
                ord,
                a.process_time,
                a.wait_time,
                a.note
            ],
        )?;
        Ok(())
    }

    fn update_assignment(&mut self, a: &Assignment) -> Result<()> {
        self.exec(
            "UPDATE assignments SET process_time = ?4, wait_time = ?5, note = ?6
             WHERE pbc_id = ?1 AND stream_id = ?2 AND stage_id = ?3",
            params![
                a.pbc,
                a.stream,
                a.stage,
                a.process_time,
                a.wait_time,
                a.note
            ],
        )?;
        Ok(())
    }

    fn insert_integration(&mut self, ord: i64, x: &Integration) -> Result<()> {
        self.exec(
            "INSERT INTO integrations (id, ord, from_pbc, to_pbc, style, latency, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![x.id, ord, x.from, x.to, tag(&x.style), x.latency, x.note],
        )?;
        Ok(())
    }

    fn update_integration(&mut self, x: &Integration) -> Result<()> {
        self.exec(
            "UPDATE integrations SET from_pbc = ?2, to_pbc = ?3, style = ?4, latency = ?5,
                note = ?6 WHERE id = ?1",
            params![x.id, x.from, x.to, tag(&x.style), x.latency, x.note],
        )?;
        Ok(())
    }

    fn insert_scenario(&mut self, ord: i64, x: &Scenario) -> Result<()> {
        self.exec(
            "INSERT INTO scenarios (id, ord, name, description, changes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![x.id, ord, x.name, x.description, json(&x.changes)],
        )?;
        Ok(())
    }

    fn update_scenario(&mut self, x: &Scenario) -> Result<()> {
        self.exec(
            "UPDATE scenarios SET name = ?2, description = ?3, changes = ?4 WHERE id = ?1",
            params![x.id, x.name, x.description, json(&x.changes)],
        )?;
        Ok(())
    }

    fn insert_initiative(&mut self, ord: i64, x: &Initiative) -> Result<()> {
        let (urgency, date, deadline_week, ramp_weeks) = urgency_columns(&x.urgency);
        let w = x.wsjf;
        self.exec(
            "INSERT INTO initiatives (id, ord, name, stream_id, cost_of_delay_per_week,
                duration_weeks, urgency, urgency_date, deadline_week, ramp_weeks,
                business_value, time_criticality, risk_reduction, job_size)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                x.id,
                ord,
                x.name,
                x.stream,
                x.cost_of_delay_per_week,
                x.duration_weeks,
                urgency,
                date,
                deadline_week,
                ramp_weeks,
                w.map(|w| w.business_value),
                w.map(|w| w.time_criticality),
                w.map(|w| w.risk_reduction),
                w.map(|w| w.job_size)
            ],
        )?;
        Ok(())
    }

    fn update_initiative(&mut self, x: &Initiative) -> Result<()> {
        let (urgency, date, deadline_week, ramp_weeks) = urgency_columns(&x.urgency);
        let w = x.wsjf;
        self.exec(
            "UPDATE initiatives SET name = ?2, stream_id = ?3, cost_of_delay_per_week = ?4,
                duration_weeks = ?5, urgency = ?6, urgency_date = ?7, deadline_week = ?8,
                ramp_weeks = ?9, business_value = ?10, time_criticality = ?11,
                risk_reduction = ?12, job_size = ?13 WHERE id = ?1",
            params![
                x.id,
                x.name,
                x.stream,
                x.cost_of_delay_per_week,
                x.duration_weeks,
                urgency,
                date,
                deadline_week,
                ramp_weeks,
                w.map(|w| w.business_value),
                w.map(|w| w.time_criticality),
                w.map(|w| w.risk_reduction),
                w.map(|w| w.job_size)
            ],
        )?;
        Ok(())
    }

    fn delete(&mut self, list: &List, key: &[&str]) -> Result<()> {
        let sql = match list {
            List::Streams => "DELETE FROM streams WHERE id = ?1",
            List::Stages(_) => "DELETE FROM stages WHERE stream_id = ?1 AND id = ?2",
            List::Edges(_) => {
                "DELETE FROM edges WHERE stream_id = ?1 AND from_stage = ?2 AND to_stage = ?3"
            }
            List::Pbcs => "DELETE FROM pbcs WHERE id = ?1",
            List::Assignments => {
                "DELETE FROM assignments WHERE pbc_id = ?1 AND stream_id = ?2 AND stage_id = ?3"
            }
            List::Integrations => "DELETE FROM integrations WHERE id = ?1",
            List::Scenarios => "DELETE FROM scenarios WHERE id = ?1",
            List::Initiatives => "DELETE FROM initiatives WHERE id = ?1",
        };
        self.exec(sql, rusqlite::params_from_iter(key.iter()))?;
        Ok(())
    }

    fn set_ord(&mut self, list: &List, key: &[&str], ord: i64) -> Result<()> {
        let sql = match list {
            List::Streams => "UPDATE streams SET ord = ?2 WHERE id = ?1",
            List::Stages(_) => "UPDATE stages SET ord = ?3 WHERE stream_id = ?1 AND id = ?2",
            List::Edges(_) => {
                "UPDATE edges SET ord = ?4 WHERE stream_id = ?1 AND from_stage = ?2 AND to_stage = ?3"
            }
            List::Pbcs => "UPDATE pbcs SET ord = ?2 WHERE id = ?1",
            List::Assignments => {
                "UPDATE assignments SET ord = ?4 WHERE pbc_id = ?1 AND stream_id = ?2 AND stage_id = ?3"
            }
            List::Integrations => "UPDATE integrations SET ord = ?2 WHERE id = ?1",
            List::Scenarios => "UPDATE scenarios SET ord = ?2 WHERE id = ?1",
            List::Initiatives => "UPDATE initiatives SET ord = ?2 WHERE id = ?1",
        };
        let mut values: Vec<rusqlite::types::Value> = key
            .iter()
            .map(|k| rusqlite::types::Value::Text((*k).to_owned()))
            .collect();
        values.push(rusqlite::types::Value::Integer(ord));
        self.exec(sql, rusqlite::params_from_iter(values))?;
        Ok(())
    }

    fn get_ord(&mut self, list: &List, key: &[&str]) -> Result<Option<i64>> {
        let sql = match list {
            List::Streams => "SELECT ord FROM streams WHERE id = ?1",
            List::Stages(_) => "SELECT ord FROM stages WHERE stream_id = ?1 AND id = ?2",
            List::Edges(_) => {
                "SELECT ord FROM edges WHERE stream_id = ?1 AND from_stage = ?2 AND to_stage = ?3"
            }
            List::Pbcs => "SELECT ord FROM pbcs WHERE id = ?1",
            List::Assignments => {
                "SELECT ord FROM assignments WHERE pbc_id = ?1 AND stream_id = ?2 AND stage_id = ?3"
            }
            List::Integrations => "SELECT ord FROM integrations WHERE id = ?1",
            List::Scenarios => "SELECT ord FROM scenarios WHERE id = ?1",
            List::Initiatives => "SELECT ord FROM initiatives WHERE id = ?1",
        };
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_row(rusqlite::params_from_iter(key.iter()), |r| r.get(0))
                    .optional()
            })
            .map_err(|e| classify(self.path, e))
    }

    /// Writes `deltas`, which have already been applied to `model`, so the rows match it.
    pub fn write(&mut self, model: &Model, deltas: &[Delta]) -> Result<()> {
        // lists whose order changed, with the first index to renumber from
        let mut reorder: HashMap<List, usize> = HashMap::new();
        let mut mark = |list: List, before: Option<u32>, after: Option<u32>, appended: bool| {
            let from = match (before, after) {
                (Some(b), Some(a)) if a == b => return,
                (Some(b), Some(a)) => b.min(a),
                (None, Some(_)) if appended => return,
                (None, Some(a)) => a,
                // deletions leave a gap, which sorts just as well
                (_, None) => return,
            } as usize;
            let e = reorder.entry(list).or_insert(from);
            *e = (*e).min(from);
        };
        for d in deltas {
            match d {
                Delta::Settings { after, .. } => {
                    let s = after;
                    self.exec(
                        "UPDATE settings SET name = ?1, currency = ?2, time_unit = ?3,
                            hours_per_day = ?4, days_per_week = ?5, discount_rate = ?6,
                            horizon_years = ?7, author = ?8, description = ?9 WHERE id = 1",
                        params![
                            s.name,
                            s.currency,
                            s.time_unit.as_str(),
                            s.calendar.hours_per_day,
                            s.calendar.days_per_week,
                            s.finance.discount_rate,
                            s.finance.horizon_years,
                            s.author,
                            s.description
                        ],
                    )?;
                }
                Delta::Stream { before, after } => {
                    let appended = is_append(after, model.streams.len());
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_stream(&a.item)?,
                        (None, Some(a)) => self.insert_stream(-1, &a.item)?,
                        (Some(b), None) => self.delete(&List::Streams, &[&b.item.id])?,
                        (None, None) => {}
                    }
                    mark(List::Streams, idx(before), idx(after), appended);
                }
                Delta::Stage {
                    stream,
                    before,
                    after,
                } => {
                    let len = model.stream(stream).map_or(0, |s| s.stages.len());
                    let appended = is_append(after, len);
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_stage(stream, &a.item)?,
                        (None, Some(a)) => self.insert_stage(stream, -1, &a.item)?,
                        (Some(b), None) => {
                            self.delete(&List::Stages(stream.clone()), &[stream, &b.item.id])?
                        }
                        (None, None) => {}
                    }
                    mark(
                        List::Stages(stream.clone()),
                        idx(before),
                        idx(after),
                        appended,
                    );
                }
                Delta::Edge {
                    stream,
                    before,
                    after,
                } => {
                    let len = model.stream(stream).map_or(0, |s| s.edges.len());
                    let appended = is_append(after, len);
                    if let Some(b) = before {
                        self.delete(
                            &List::Edges(stream.clone()),
                            &[stream, &b.item.from, &b.item.to],
                        )?;
                    }
                    if let Some(a) = after {
                        self.insert_edge(stream, -1, &a.item)?;
                    }
                    mark(
                        List::Edges(stream.clone()),
                        idx(before),
                        idx(after),
                        appended,
                    );
                }
                Delta::Pbc { before, after } => {
                    let appended = is_append(after, model.pbcs.len());
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_pbc(&a.item)?,
                        (None, Some(a)) => self.insert_pbc(-1, &a.item)?,
                        (Some(b), None) => self.delete(&List::Pbcs, &[&b.item.id])?,
                        (None, None) => {}
                    }
                    mark(List::Pbcs, idx(before), idx(after), appended);
                }
                Delta::Assignment { before, after } => {
                    let appended = is_append(after, model.assignments.len());
                    match (before, after) {
                        (Some(b), Some(a)) if b.item.key() == a.item.key() => {
                            self.update_assignment(&a.item)?
                        }
                        _ => {
                            if let Some(b) = before {
                                let (p, s, st) = b.item.key();
                                self.delete(&List::Assignments, &[p, s, st])?;
                            }
                            if let Some(a) = after {
                                self.insert_assignment(-1, &a.item)?;
                            }
                        }
                    }
                    mark(List::Assignments, idx(before), idx(after), appended);
                }
                Delta::Integration { before, after } => {
                    let appended = is_append(after, model.integrations.len());
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_integration(&a.item)?,
                        (None, Some(a)) => self.insert_integration(-1, &a.item)?,
                        (Some(b), None) => self.delete(&List::Integrations, &[&b.item.id])?,
                        (None, None) => {}
                    }
                    mark(List::Integrations, idx(before), idx(after), appended);
                }
                Delta::Scenario { before, after } => {
                    let appended = is_append(after, model.scenarios.len());
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_scenario(&a.item)?,
                        (None, Some(a)) => self.insert_scenario(-1, &a.item)?,
                        (Some(b), None) => self.delete(&List::Scenarios, &[&b.item.id])?,
                        (None, None) => {}
                    }
                    mark(List::Scenarios, idx(before), idx(after), appended);
                }
                Delta::Initiative { before, after } => {
                    let appended = is_append(after, model.initiatives.len());
                    match (before, after) {
                        (Some(_), Some(a)) => self.update_initiative(&a.item)?,
                        (None, Some(a)) => self.insert_initiative(-1, &a.item)?,
                        (Some(b), None) => self.delete(&List::Initiatives, &[&b.item.id])?,
                        (None, None) => {}
                    }
                    mark(List::Initiatives, idx(before), idx(after), appended);
                }
            }
        }
        // Appends got ord -1 as a placeholder; give them the next ord. Then renumber lists
        // where something was inserted or moved inside.
        self.place_appended(model, deltas)?;
        for (list, from) in reorder {
            self.renumber(model, &list, from)?;
        }
        Ok(())
    }

    /// Gives rows inserted at the end of their list (ord -1) the ord after their neighbour.
    fn place_appended(&mut self, model: &Model, deltas: &[Delta]) -> Result<()> {
        for d in deltas {
            let (list, after): (List, Option<u32>) = match d {
                Delta::Stream {
                    before: None,
                    after,
                } => (List::Streams, idx(after)),
                Delta::Stage {
                    stream,
                    before: None,
                    after,
                } => (List::Stages(stream.clone()), idx(after)),
                Delta::Edge {
                    stream,
                    before: None,
                    after,
                } => (List::Edges(stream.clone()), idx(after)),
                Delta::Pbc {
                    before: None,
                    after,
                } => (List::Pbcs, idx(after)),
                Delta::Assignment { after, .. } => (List::Assignments, idx(after)),
                Delta::Integration {
                    before: None,
                    after,
                } => (List::Integrations, idx(after)),
                Delta::Scenario {
                    before: None,
                    after,
                } => (List::Scenarios, idx(after)),
                Delta::Initiative {
                    before: None,
                    after,
                } => (List::Initiatives, idx(after)),
                _ => continue,
            };
            let Some(i) = after else { continue };
            let i = (i as usize).min(len_of(model, &list).saturating_sub(1));
            let Some(key) = key_at(model, &list, i) else {
                continue;
            };
            let k: Vec<&str> = key.iter().map(String::as_str).collect();
            if self.get_ord(&list, &k)? != Some(-1) {
                continue;
            }
            let prev = match i.checked_sub(1).and_then(|p| key_at(model, &list, p)) {
                Some(p) => {
                    let pk: Vec<&str> = p.iter().map(String::as_str).collect();
                    self.get_ord(&list, &pk)?.unwrap_or(-1)
                }
                None => -1,
            };
            self.set_ord(&list, &k, prev + 1)?;
        }
        Ok(())
    }

    /// Renumbers a list from index `from` on, continuing after the ord of the row before it.
    fn renumber(&mut self, model: &Model, list: &List, from: usize) -> Result<()> {
        let base = match from.checked_sub(1).and_then(|p| key_at(model, list, p)) {
            Some(p) => {
                let pk: Vec<&str> = p.iter().map(String::as_str).collect();
                self.get_ord(list, &pk)?.unwrap_or(-1) + 1
            }
            None => 0,
        };
        for (ord, i) in (base..).zip(from..len_of(model, list)) {
            let Some(key) = key_at(model, list, i) else {
                break;
            };
            let k: Vec<&str> = key.iter().map(String::as_str).collect();
            self.set_ord(list, &k, ord)?;
        }
        Ok(())
    }
}

fn idx<T>(p: &Option<Placed<T>>) -> Option<u32> {
    p.as_ref().map(|p| p.index)
}

/// An insert at the last index of the final list is an append.
fn is_append<T>(after: &Option<Placed<T>>, final_len: usize) -> bool {
    after
        .as_ref()
        .is_some_and(|a| a.index as usize + 1 >= final_len)
}

/// The key of a list's item at index `i`, as the SQL key columns.
fn key_at(model: &Model, list: &List, i: usize) -> Option<Vec<String>> {
    match list {
        List::Streams => model.streams.get(i).map(|s| vec![s.id.clone()]),
        List::Stages(s) => model
            .stream(s)
            .and_then(|st| st.stages.get(i))
            .map(|x| vec![s.clone(), x.id.clone()]),
        List::Edges(s) => model
            .stream(s)
            .and_then(|st| st.edges.get(i))
            .map(|e| vec![s.clone(), e.from.clone(), e.to.clone()]),
        List::Pbcs => model.pbcs.get(i).map(|p| vec![p.id.clone()]),
        List::Assignments => model
            .assignments
            .get(i)
            .map(|a| vec![a.pbc.clone(), a.stream.clone(), a.stage.clone()]),
        List::Integrations => model.integrations.get(i).map(|x| vec![x.id.clone()]),
        List::Scenarios => model.scenarios.get(i).map(|x| vec![x.id.clone()]),
        List::Initiatives => model.initiatives.get(i).map(|x| vec![x.id.clone()]),
    }
}

fn len_of(model: &Model, list: &List) -> usize {
    match list {
        List::Streams => model.streams.len(),
        List::Stages(s) => model.stream(s).map_or(0, |st| st.stages.len()),
        List::Edges(s) => model.stream(s).map_or(0, |st| st.edges.len()),
        List::Pbcs => model.pbcs.len(),
        List::Assignments => model.assignments.len(),
        List::Integrations => model.integrations.len(),
        List::Scenarios => model.scenarios.len(),
        List::Initiatives => model.initiatives.len(),
    }
}
