//! A seeded generator of realistic, clearly labelled SYNTHETIC telemetry for one stream: a
//! Jira-like workflow with rework, blocked spells, reopened and canceled items, and a
//! deployment pipeline with incidents. For tests, benchmarks and the example models; never
//! presented as measured data (every title says "synthetic").

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::event::EventRow;
use crate::time::{MS_PER_DAY, MS_PER_HOUR, format_instant, weekday_from_monday};

/// The workflow, in order, with each status's flow state.
pub const WORKFLOW: &[(&str, &str)] = &[
    ("Backlog", "new"),
    ("Selected", "waiting"),
    ("Analysis", "active"),
    ("Ready for Dev", "waiting"),
    ("In Development", "active"),
    ("Code Review", "waiting"),
    ("In Test", "active"),
    ("Ready to Release", "waiting"),
    ("Done", "done"),
    ("Won't Do", "canceled"),
];

/// Raw item types, their share and their flow item kind.
pub const TYPES: &[(&str, f64, &str)] = &[
    ("Story", 0.60, "feature"),
    ("Bug", 0.25, "defect"),
    ("Tech Debt", 0.10, "debt"),
    ("Risk", 0.05, "risk"),
];

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub seed: u64,
    /// Items to create.
    pub items: usize,
    /// UTC day number the history starts on.
    pub start_day: i64,
    /// Mean arrivals per calendar day (Poisson).
    pub arrivals_per_day: f64,
    /// Events after this instant are not yet known (the export's moment); `None`: all.
    pub end: Option<i64>,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            seed: 7,
            items: 400,
            // 2025-01-06, a Monday
            start_day: 20_094,
            arrivals_per_day: 3.0,
            end: None,
        }
    }
}

struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Log-normal duration in ms with the given median (hours) and spread.
    fn hours(&mut self, median_h: f64, sigma: f64) -> i64 {
        // Box-Muller: one standard normal from two uniforms.
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let h = (median_h.ln() + sigma * z).exp();
        (h * MS_PER_HOUR as f64) as i64
    }

    fn exp_gap(&mut self, rate_per_day: f64) -> i64 {
        let u = self.uniform().max(f64::MIN_POSITIVE);
        (-u.ln() / rate_per_day * MS_PER_DAY as f64) as i64
    }
}

/// Items and their events.
pub fn events(opts: &GenOptions) -> Vec<EventRow> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(opts.seed),
    };
    let mut rows = Vec::new();
    let mut arrival = opts.start_day * MS_PER_DAY + 9 * MS_PER_HOUR;
    for n in 1..=opts.items {
        arrival += g.exp_gap(opts.arrivals_per_day);
        let item_type = g.item_type();
        let mut w = Writer {
            rows: &mut rows,
            id: format!("GEN-{n}"),
            item_type,
        };
        item(&mut g, &mut w, arrival);
    }
    if let Some(end) = opts.end {
        rows.retain(|r| {
            crate::time::parse_instant(&r.timestamp, &crate::time::Zone::default(), false)
                .is_ok_and(|at| at <= end)
        });
    }
    // Exports list events by time; the sort is stable, so an item's own order among equal
    // times is kept.
    rows.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    rows
}

impl Gen {
    /// A type drawn by the shares of `TYPES`.
    fn item_type(&mut self) -> &'static str {
        let r = self.uniform();
        let mut acc = 0.0;
        for (t, share, _) in TYPES {
            acc += share;
            if r < acc {
                return t;
            }
        }
        TYPES[0].0
    }
}

/// Writes one item's events.
struct Writer<'a> {
    rows: &'a mut Vec<EventRow>,
    id: String,
    item_type: &'static str,
}

impl Writer<'_> {
    fn push(&mut self, at: i64, from: &str, to: &str, blocked: Option<bool>) {
        self.rows.push(EventRow {
            item_id: self.id.clone(),
            item_type: self.item_type.to_owned(),
            timestamp: format_instant(at),
            from_state: from.to_owned(),
            to_state: to.to_owned(),
            blocked,
        });
    }
}

/// Work happens on weekdays: a step that ends on a weekend moves to Monday.
fn weekday(at: i64) -> i64 {
    let d = at.div_euclid(MS_PER_DAY);
    let wd = weekday_from_monday(d);
    if wd >= 5 {
        at + (7 - wd) * MS_PER_DAY
    } else {
        at
    }
}

/// One item from its arrival: triage (or Won't Do), analysis, then rounds of development,
/// review and test until it is done (and perhaps reopened once).
fn item(g: &mut Gen, w: &mut Writer<'_>, arrival: i64) {
    let mut t = arrival;
    w.push(t, "", "Backlog", None);
    t += g.hours(72.0, 1.0);
    if g.chance(0.06) {
        w.push(t, "Backlog", "Won't Do", None);
        return;
    }
    t = weekday(t);
    w.push(t, "Backlog", "Selected", None);
    t = weekday(t + g.hours(30.0, 0.8));
    w.push(t, "Selected", "Analysis", None);
    t = weekday(t + g.hours(10.0, 0.7));
    w.push(t, "Analysis", "Ready for Dev", None);
    t = weekday(t + g.hours(40.0, 0.9));
    let mut rounds = 0;
    let mut reopened = false;
    loop {
        t = development(g, w, t, rounds);
        w.push(t, "Code Review", "In Test", None);
        t = weekday(t + g.hours(9.0, 0.7));
        if g.chance(0.12) && rounds < 2 {
            // Test finds a defect: back to development (the item moves backwards).
            w.push(t, "In Test", "Ready for Dev", None);
            t = weekday(t + g.hours(12.0, 0.7));
            rounds += 1;
            continue;
        }
        w.push(t, "In Test", "Ready to Release", None);
        t = weekday(t + g.hours(20.0, 0.8));
        w.push(t, "Ready to Release", "Done", None);
        if !reopened && g.chance(0.03) {
            // Reopened after done.
            reopened = true;
            t = weekday(t + g.hours(48.0, 0.5));
            w.push(t, "Done", "Ready for Dev", None);
            t = weekday(t + g.hours(8.0, 0.5));
            rounds = 2;
            continue;
        }
        return;
    }
}

/// Development (with a blocked spell now and then in the first round) and code review (which
/// sends it back now and then); returns when review is over.
fn development(g: &mut Gen, w: &mut Writer<'_>, mut t: i64, rounds: u32) -> i64 {
    w.push(t, "Ready for Dev", "In Development", None);
    let mut dev = g.hours(20.0, 0.8);
    if rounds == 0 && g.chance(0.30) {
        // A blocked spell during development.
        let at = t + dev / 3;
        w.push(at, "In Development", "In Development", Some(true));
        let spell = g.hours(36.0, 0.7);
        w.push(at + spell, "In Development", "In Development", Some(false));
        dev += spell;
    }
    t = weekday(t + dev);
    w.push(t, "In Development", "Code Review", None);
    t = weekday(t + g.hours(8.0, 0.9));
    if g.chance(0.20) && rounds < 2 {
        // Review sends it back.
        w.push(t, "Code Review", "In Development", None);
        t = weekday(t + g.hours(6.0, 0.6));
        w.push(t, "In Development", "Code Review", None);
        t = weekday(t + g.hours(4.0, 0.6));
    }
    t
}

/// The events as the neutral events CSV, with a title that says they are synthetic.
pub fn events_csv(rows: &[EventRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "item_id",
        "item_type",
        "timestamp",
        "from_state",
        "to_state",
        "title",
        "blocked",
    ];
    let _ = w.write_record(header);
    for r in rows {
        let title = format!("Synthetic item {} (generated)", r.item_id);
        let blocked = r.blocked.map_or("", |b| if b { "true" } else { "false" });
        let _ = w.write_record([
            r.item_id.as_str(),
            r.item_type.as_str(),
            r.timestamp.as_str(),
            r.from_state.as_str(),
            r.to_state.as_str(),
            title.as_str(),
            blocked,
        ]);
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// The mapping of the generated workflow as TOML; `stages` maps statuses to stage ids of the
/// model the data is attached to.
pub fn mapping_toml(stages: &[(String, String)]) -> String {
    let mut out = String::from(
        "# Mapping of the SYNTHETIC telemetry made by `cargo run -p tributary-telemetry --example generate`.\n[states]\n",
    );
    for (s, f) in WORKFLOW {
        out.push_str(&format!("{s:?} = {f:?}\n"));
    }
    out.push_str("\n[stages]\n");
    if stages.is_empty() {
        out.push_str("# \"In Development\" = \"build\"   (status = a stage id of the stream)\n");
    }
    for (status, stage) in stages {
        out.push_str(&format!("{status:?} = {stage:?}\n"));
    }
    out.push_str("\n[types]\n");
    for (t, _, k) in TYPES {
        out.push_str(&format!("{t:?} = {k:?}\n"));
    }
    out
}

/// Deployments on weekdays over the days of `rows`, with changes and a few incidents, as the
/// deployments CSV.
pub fn deployments_csv(seed: u64, from_day: i64, to_day: i64) -> String {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "type",
        "id",
        "timestamp",
        "environment",
        "status",
        "commit_timestamp",
        "deployment_id",
        "resolved_timestamp",
    ]);
    let mut n = 0;
    for day in from_day..=to_day {
        if weekday_from_monday(day) >= 5 {
            continue;
        }
        n += 1;
        let at = day * MS_PER_DAY + 15 * MS_PER_HOUR + g.hours(1.0, 0.5);
        let id = format!("deploy-{n}");
        let ok = !g.chance(0.05);
        let _ = w.write_record([
            "deployment",
            &id,
            &format_instant(at),
            "production",
            if ok { "success" } else { "failure" },
            "",
            "",
            "",
        ]);
        if !ok {
            continue;
        }
        for c in 0..(1 + (g.uniform() * 3.0) as usize) {
            let committed = at - g.hours(20.0, 0.9);
            let _ = w.write_record([
                "change",
                &format!(
                    "{:08x}{c}",
                    (seed as usize).wrapping_mul(31).wrapping_add(n * 7 + c)
                ),
                &format_instant(at),
                "",
                "",
                &format_instant(committed),
                &id,
                "",
            ]);
        }
        if g.chance(0.08) {
            let opened = at + g.hours(6.0, 0.8);
            let resolved = opened + g.hours(3.0, 0.9);
            let _ = w.write_record([
                "incident",
                &format!("inc-{n}"),
                &format_instant(opened),
                "",
                "",
                "",
                &id,
                &format_instant(resolved),
            ]);
        }
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
