//! The check of each item's events against each other and against what the file holds: in time
//! order (the export's own order among equal times) every event must leave the status the one
//! before entered. An item that does not is repaired by a rule of [`crate::repair`] or
//! quarantined; events already stored are recognised by their key (time, from, to) and left
//! alone, so that a re-import adds nothing.

use std::collections::HashMap;

use rayon::prelude::*;
use tributary_core::telemetry::StoredEvent;

use crate::error::{Location, Result};
use crate::event::Event;
use crate::formats::{Control, Export, Phase};
use crate::repair::{Quarantine, Repair, Rule};
use crate::time::format_instant;

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    Clean,
    Repaired,
    Quarantined,
}

/// The outcome of the check of every item of an export.
pub(crate) struct Checked {
    /// Per item, the indices of its new events in order (empty when quarantined).
    pub order: Vec<Vec<usize>>,
    pub fate: Vec<Fate>,
    /// Per event: dropped as a duplicate of another.
    pub dropped: Vec<bool>,
    pub repairs: Vec<Repair>,
    pub quarantined: Vec<Quarantine>,
    /// Events of the export that the file holds already.
    pub existing: u64,
    /// Every repair and quarantine as (place, what), for `--strict`.
    pub problems: Vec<(Location, String)>,
}

/// One event of an item's chain: stored already, or of this export.
#[derive(Clone, Copy)]
enum Link<'a> {
    Stored(&'a StoredEvent),
    New(usize),
}

/// The outcome for one item.
#[derive(Default)]
struct Outcome {
    order: Vec<usize>,
    dups: Vec<usize>,
    moved: Option<(usize, i64)>,
    existing: u64,
    /// (rule, place, what was done)
    repairs: Vec<(Rule, Location, String)>,
    quarantine: Option<(Location, String)>,
}

fn show(s: &str) -> &str {
    if s.is_empty() { "(created)" } else { s }
}

/// Checks every item: in chunks on all cores (items are independent), applied in item order.
pub(crate) fn check(
    export: &mut Export,
    stored: &HashMap<String, Vec<StoredEvent>>,
    control: Control<'_>,
) -> Result<Checked> {
    let n_items = export.items.len();
    let mut per_item: Vec<Vec<usize>> = vec![Vec::new(); n_items];
    for (i, e) in export.events.iter().enumerate() {
        per_item[e.item as usize].push(i);
    }
    let flagged: HashMap<u32, (Location, String)> = export
        .quarantine
        .iter()
        .map(|(i, l, m)| (*i, (l.clone(), m.clone())))
        .collect();
    let counts: Vec<u64> = per_item.iter().map(|v| v.len() as u64).collect();
    let ev = &export.events;
    let items = &export.items;
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(n_items);
    for (start, chunk) in per_item.chunks_mut(50_000).enumerate() {
        control.check()?;
        control.report(Phase::Checking, (start * 50_000) as u64, n_items as u64);
        let base = start * 50_000;
        let part: Vec<Outcome> = chunk
            .par_iter_mut()
            .enumerate()
            .map(|(k, idx)| {
                let n = base + k;
                if let Some((loc, why)) = flagged.get(&(n as u32)) {
                    return Outcome {
                        quarantine: Some((loc.clone(), why.clone())),
                        ..Outcome::default()
                    };
                }
                let old = stored
                    .get(items[n].id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                check_item(ev, std::mem::take(idx), old, &items[n].id)
            })
            .collect();
        outcomes.extend(part);
    }
    control.report(Phase::Checking, n_items as u64, n_items as u64);
    Ok(gather(export, outcomes, &counts))
}

/// The items' outcomes as one [`Checked`]; creations moved back are applied to the events.
fn gather(export: &mut Export, outcomes: Vec<Outcome>, counts: &[u64]) -> Checked {
    let mut c = Checked {
        order: Vec::with_capacity(outcomes.len()),
        fate: Vec::with_capacity(outcomes.len()),
        dropped: vec![false; export.events.len()],
        repairs: Vec::new(),
        quarantined: Vec::new(),
        existing: 0,
        problems: Vec::new(),
    };
    let mut by_parser: HashMap<u32, Vec<Repair>> = HashMap::new();
    for (item, r) in export.repairs.drain(..) {
        by_parser.entry(item).or_default().push(r);
    }
    for (n, o) in outcomes.into_iter().enumerate() {
        let id = export.items[n].id.clone();
        for &d in &o.dups {
            c.dropped[d] = true;
        }
        if let Some((i, at)) = o.moved {
            export.parsed.events[i].at = at;
        }
        c.existing += o.existing;
        let parser = by_parser.remove(&(n as u32)).unwrap_or_default();
        if let Some((loc, reason)) = o.quarantine {
            let events = counts[n];
            c.problems.push((loc.clone(), reason.clone()));
            c.quarantined.push(Quarantine {
                item_id: id,
                location: loc.to_string(),
                reason,
                events,
            });
            c.fate.push(Fate::Quarantined);
            c.order.push(Vec::new());
            continue;
        }
        let fate = if o.repairs.is_empty() && parser.is_empty() {
            Fate::Clean
        } else {
            Fate::Repaired
        };
        for r in parser {
            c.problems.push((
                Location::At(format!("item {}", r.item_id)),
                r.detail.clone(),
            ));
            c.repairs.push(r);
        }
        merge_repairs(&id, o.repairs, &mut c);
        c.fate.push(fate);
        c.order.push(o.order);
    }
    c
}

/// One report line per item and rule, its details joined.
fn merge_repairs(id: &str, repairs: Vec<(Rule, Location, String)>, c: &mut Checked) {
    let mut by_rule: Vec<(Rule, Vec<String>)> = Vec::new();
    for (rule, loc, what) in repairs {
        c.problems.push((loc.clone(), what.clone()));
        let line = format!("{loc}: {what}");
        match by_rule.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, v)) => v.push(line),
            None => by_rule.push((rule, vec![line])),
        }
    }
    for (rule, lines) in by_rule {
        const SHOWN: usize = 5;
        let mut detail = lines
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if lines.len() > SHOWN {
            detail.push_str(&format!("; and {} more", lines.len() - SHOWN));
        }
        c.repairs.push(Repair {
            item_id: id.to_owned(),
            rule,
            detail,
        });
    }
}

/// The checks of one item, in order: duplicates, what is stored, the creation, the chain.
fn check_item(ev: &[Event], mut idx: Vec<usize>, old: &[StoredEvent], id: &str) -> Outcome {
    idx.sort_unstable_by_key(|&i| (ev[i].at, i));
    let mut out = Outcome::default();
    let keep = drop_duplicates(ev, idx, id, &mut out);
    let keep: Vec<usize> = keep
        .into_iter()
        .filter(|&i| {
            let e = &ev[i];
            let stored = old
                .iter()
                .any(|s| s.at == e.at && s.from == e.from && s.to == e.to);
            out.existing += u64::from(stored);
            !stored
        })
        .collect();
    let mut chain = merge(ev, old, &keep);
    if let Err(q) = creation(ev, &mut chain, id, &mut out) {
        out.quarantine = Some(q);
        return out;
    }
    if let Err(q) = chained(ev, &chain, id, out.moved) {
        out.quarantine = Some(q);
        return out;
    }
    out.order = chain
        .iter()
        .filter_map(|l| match l {
            Link::New(i) => Some(*i),
            Link::Stored(_) => None,
        })
        .collect();
    out
}

/// Drops events that repeat an earlier one: same time, from and to (the key the file keeps
/// events by, so two such events could not both be stored).
fn drop_duplicates(ev: &[Event], idx: Vec<usize>, id: &str, out: &mut Outcome) -> Vec<usize> {
    let mut keep: Vec<usize> = Vec::with_capacity(idx.len());
    let mut group = 0;
    for i in idx {
        let e = &ev[i];
        if keep.last().is_none_or(|&l| ev[l].at != e.at) {
            group = keep.len();
        }
        let first = keep[group..]
            .iter()
            .find(|&&k| ev[k].from == e.from && ev[k].to == e.to);
        match first {
            Some(&k) => {
                out.dups.push(i);
                out.repairs.push((
                    Rule::DuplicateDropped,
                    e.location.clone(),
                    format!(
                        "item {id:?}: this repeats the event of {} ({} -> {} at {})",
                        ev[k].location,
                        show(&e.from),
                        e.to,
                        format_instant(e.at)
                    ),
                ));
            }
            None => keep.push(i),
        }
    }
    keep
}

/// The stored events and the new ones in time order (stored first among equal times).
fn merge<'a>(ev: &[Event], old: &'a [StoredEvent], keep: &[usize]) -> Vec<Link<'a>> {
    let mut chain: Vec<Link<'a>> = Vec::with_capacity(old.len() + keep.len());
    let (mut a, mut b) = (0, 0);
    while a < old.len() || b < keep.len() {
        let take_old = match (old.get(a), keep.get(b)) {
            (Some(s), Some(&i)) => s.at <= ev[i].at,
            (Some(_), None) => true,
            _ => false,
        };
        if take_old {
            chain.push(Link::Stored(&old[a]));
            a += 1;
        } else {
            chain.push(Link::New(keep[b]));
            b += 1;
        }
    }
    chain
}

fn at(ev: &[Event], l: Link<'_>, moved: Option<(usize, i64)>) -> i64 {
    match l {
        Link::Stored(s) => s.at,
        Link::New(i) => match moved {
            Some((m, t)) if m == i => t,
            _ => ev[i].at,
        },
    }
}

fn from_of<'a>(ev: &'a [Event], l: Link<'a>) -> &'a str {
    match l {
        Link::Stored(s) => &s.from,
        Link::New(i) => &ev[i].from,
    }
}

fn to_of<'a>(ev: &'a [Event], l: Link<'a>) -> &'a str {
    match l {
        Link::Stored(s) => &s.to,
        Link::New(i) => &ev[i].to,
    }
}

fn loc_of(ev: &[Event], l: Link<'_>) -> Location {
    match l {
        Link::Stored(s) => Location::Stored { import: s.import },
        Link::New(i) => ev[i].location.clone(),
    }
}

/// The item's creation must come first: a second creation quarantines the item; a creation
/// after a change is moved back to it, or dropped (the rules of [`Rule`]).
fn creation(
    ev: &[Event],
    chain: &mut Vec<Link<'_>>,
    id: &str,
    out: &mut Outcome,
) -> Result<(), (Location, String)> {
    let created: Vec<usize> = (0..chain.len())
        .filter(|&k| from_of(ev, chain[k]).is_empty())
        .collect();
    if let [first, second, ..] = created[..] {
        let (a, b) = (chain[first], chain[second]);
        return Err((
            loc_of(ev, b),
            format!(
                "item {id:?} is created again at {}, after its creation at {} ({}); two items with one id?",
                format_instant(at(ev, b, None)),
                format_instant(at(ev, a, None)),
                loc_of(ev, a)
            ),
        ));
    }
    let Some(&p) = created.first().filter(|&&p| p > 0) else {
        return Ok(());
    };
    let (c, first) = (chain[p], chain[0]);
    let Link::New(ci) = c else {
        return Err((
            loc_of(ev, first),
            format!(
                "item {id:?} changes at {} ({}), before its creation at {} ({})",
                format_instant(at(ev, first, None)),
                loc_of(ev, first),
                format_instant(at(ev, c, None)),
                loc_of(ev, c)
            ),
        ));
    };
    let (t0, t1) = (ev[ci].at, at(ev, first, None));
    chain.remove(p);
    if ev[ci].to == from_of(ev, first) {
        chain.insert(0, c);
        out.moved = Some((ci, t1));
        out.repairs.push((
            Rule::CreatedMovedBack,
            ev[ci].location.clone(),
            format!(
                "created at {} but it changes from {:?} at {} ({}): the creation moves back to then",
                format_instant(t0),
                ev[ci].to,
                format_instant(t1),
                loc_of(ev, first)
            ),
        ));
    } else {
        out.repairs.push((
            Rule::StartsAtFirstChange,
            ev[ci].location.clone(),
            format!(
                "created at {} into {:?}, but it changes from {:?} earlier, at {} ({}): the item starts at that change",
                format_instant(t0),
                ev[ci].to,
                from_of(ev, first),
                format_instant(t1),
                loc_of(ev, first)
            ),
        ));
    }
    Ok(())
}

/// Each event leaves the status the one before entered.
fn chained(
    ev: &[Event],
    chain: &[Link<'_>],
    id: &str,
    moved: Option<(usize, i64)>,
) -> Result<(), (Location, String)> {
    for w in chain.windows(2) {
        let (a, b) = (w[0], w[1]);
        if from_of(ev, b) == to_of(ev, a) {
            continue;
        }
        return Err((
            loc_of(ev, b),
            format!(
                "item {id:?} moves from {:?} to {:?} at {}, but the event before it ({}, at {}) left it in {:?}; are events out of order or missing?",
                from_of(ev, b),
                to_of(ev, b),
                format_instant(at(ev, b, moved)),
                loc_of(ev, a),
                format_instant(at(ev, a, moved)),
                to_of(ev, a)
            ),
        ));
    }
    Ok(())
}
