//! A merge's result always validates. Changes that are each fine can break a rule together (an
//! assignment to a stage the other side deleted, two new edges that make a loop): each error
//! is traced to the item it is about, and the items there that the merge took from theirs go
//! back to ours, each one a conflict. Ours is valid, so this ends, at worst, at ours.

use serde_json::Value;
use tributary_core::entity::Entity;
use tributary_core::validate::validate;
use tributary_core::{Model, Severity, Stream, each_entity};

use crate::conflict::Reason;
use crate::lists::{key_is, key_text, list_of, pair, places};
use crate::merge::{At, Cx};
use crate::value::{json, own, texts};

/// An item by kind, stream and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub kind: &'static str,
    pub stream: Option<String>,
    pub key: Vec<String>,
}

/// Rounds of reverting before falling back to ours whole.
const ROUNDS: usize = 8;

pub(crate) fn make_valid(out: &mut Model, cx: &mut Cx<'_>) {
    for _ in 0..ROUNDS {
        let errors: Vec<(String, String)> = validate(out)
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.path, p.message))
            .collect();
        if errors.is_empty() {
            return;
        }
        let differing = differing(out, cx.ours);
        let mut picked: Vec<(Unit, String)> = Vec::new();
        for (path, message) in &errors {
            let units =
                locate(out, path).map_or_else(Vec::new, |u| candidates(&u, out, &differing));
            let units = if units.is_empty() {
                differing.clone()
            } else {
                units
            };
            for u in units {
                if !picked.iter().any(|(p, _)| *p == u) {
                    picked.push((u, message.clone()));
                }
            }
        }
        for (u, detail) in picked {
            revert(out, &u, &detail, cx);
        }
    }
    let at = At {
        kind: "model",
        list: "",
        stream: None,
        key: Vec::new(),
        name: cx.ours.name.clone(),
    };
    let mut c = cx.conflict(&at, Reason::Invalid, [None, None, None]);
    c.text = "theirs' changes could not be made to fit with ours; kept ours whole".into();
    cx.push(c);
    *out = cx.ours.clone();
}

/// Every item in which `out` and `ours` differ (a stream by its own fields).
fn differing(out: &Model, ours: &Model) -> Vec<Unit> {
    let mut units = Vec::new();
    macro_rules! kind {
        ($t:ty) => {
            differing_of::<$t>(out, ours, &mut units);
        };
    }
    each_entity!(kind);
    units
}

fn differing_of<T: Entity>(out: &Model, ours: &Model, units: &mut Vec<Unit>) {
    let mut spots: Vec<Option<&str>> = places::<T>(out);
    for p in places::<T>(ours) {
        if !spots.contains(&p) {
            spots.push(p);
        }
    }
    for place in spots {
        let (a, b) = (list_of::<T>(out, place), list_of::<T>(ours, place));
        if a == b {
            continue;
        }
        let p = pair(a, b);
        let unit = |x: &T| Unit {
            kind: T::KIND,
            stream: place.map(str::to_owned),
            key: key_text(x.key()),
        };
        units.extend(p.only_a.iter().map(|&i| unit(&a[i])));
        units.extend(p.only_b.iter().map(|&j| unit(&b[j])));
        units.extend(
            p.both
                .iter()
                .filter(|(i, j)| a[*i] != b[*j] && own(&a[*i]) != own(&b[*j]))
                .map(|(i, _)| unit(&a[*i])),
        );
    }
}

/// The item a validation path is about: `streams[0].stages[2].wait_time` is a stage.
fn locate(model: &Model, path: &str) -> Option<Unit> {
    let mut found = None;
    macro_rules! inside {
        ($t:ty) => {
            if found.is_none() && <$t as Entity>::IN_STREAM {
                found = locate_in::<$t>(model, path);
            }
        };
    }
    macro_rules! top {
        ($t:ty) => {
            if found.is_none() && !<$t as Entity>::IN_STREAM {
                found = locate_in::<$t>(model, path);
            }
        };
    }
    each_entity!(inside);
    each_entity!(top);
    found
}

/// `list[7]...` -> 7 and what follows.
fn index_after<'p>(path: &'p str, list: &str) -> Option<(usize, &'p str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let end = rest.find(']')?;
    Some((rest[..end].parse().ok()?, &rest[end + 1..]))
}

fn locate_in<T: Entity>(model: &Model, path: &str) -> Option<Unit> {
    let (stream, i) = if T::IN_STREAM {
        let (s, rest) = index_after(path, <Stream as Entity>::LIST)?;
        let (i, _) = index_after(rest.strip_prefix('.')?, T::LIST)?;
        (Some(model.streams.get(s)?.id.as_str()), i)
    } else {
        (None, index_after(path, T::LIST)?.0)
    };
    let x = list_of::<T>(model, stream).get(i)?;
    Some(Unit {
        kind: T::KIND,
        stream: stream.map(str::to_owned),
        key: key_text(x.key()),
    })
}

/// What to take back to ours for an error about `u`: `u` if theirs changed it; in a stream's
/// flow, everything theirs changed in that stream; else what `u` names that theirs changed.
fn candidates(u: &Unit, out: &Model, differing: &[Unit]) -> Vec<Unit> {
    let mut c: Vec<Unit> = differing.iter().filter(|d| *d == u).cloned().collect();
    if u.kind == <Stream as Entity>::KIND {
        let id = u.key.first();
        c.extend(
            differing
                .iter()
                .filter(|d| d.stream.as_ref() == id)
                .cloned(),
        );
        return c;
    }
    let mut names = Vec::new();
    texts(&item_json(out, u).unwrap_or(Value::Null), &mut names);
    let named = |s: &str| names.iter().any(|n| n == s);
    c.extend(
        differing
            .iter()
            .filter(|d| *d != u)
            .filter(|d| d.key.first().is_some_and(|k| named(k)))
            .filter(|d| {
                d.stream
                    .as_deref()
                    .is_none_or(|s| named(s) || d.stream == u.stream)
            })
            .cloned(),
    );
    c
}

fn item_json(model: &Model, u: &Unit) -> Option<Value> {
    let mut found = None;
    macro_rules! kind {
        ($t:ty) => {
            if found.is_none() && <$t as Entity>::KIND == u.kind {
                found = list_of::<$t>(model, u.stream.as_deref())
                    .iter()
                    .find(|x| key_is(x.key(), &u.key))
                    .map(json);
            }
        };
    }
    each_entity!(kind);
    found
}

fn revert(out: &mut Model, u: &Unit, detail: &str, cx: &mut Cx<'_>) {
    macro_rules! kind {
        ($t:ty) => {
            if <$t as Entity>::KIND == u.kind {
                revert_as::<$t>(out, u, detail, cx);
            }
        };
    }
    each_entity!(kind);
}

/// Puts ours' version of the item back (or removes it, if ours has none), a stream keeping
/// the items it holds now.
fn revert_as<T: Entity>(out: &mut Model, u: &Unit, detail: &str, cx: &mut Cx<'_>) {
    let stream = u.stream.as_deref();
    let find = |l: &[T]| l.iter().position(|x| key_is(x.key(), &u.key));
    let ours_list = list_of::<T>(cx.ours, stream);
    let ours = find(ours_list).map(|i| &ours_list[i]);
    let theirs = find(list_of::<T>(cx.theirs, stream)).map(|i| &list_of::<T>(cx.theirs, stream)[i]);
    let Some(list) = T::list_mut(out, stream) else {
        return;
    };
    let at = find(list);
    match (at, ours) {
        (Some(p), Some(x)) => {
            let mut y = x.clone();
            y.keep_from(list[p].clone());
            list[p] = y;
        }
        (Some(p), None) => {
            list.remove(p);
        }
        (None, Some(x)) => {
            // after the item ours has before it, where that is in the list
            let i = find(ours_list).unwrap_or(0);
            let before = ours_list[..i]
                .iter()
                .rev()
                .find_map(|b| list.iter().position(|y| y.same(b)));
            list.insert(before.map_or(0, |p| p + 1), x.clone());
        }
        (None, None) => return,
    }
    let shown = ours.or(theirs);
    let Some(x) = shown else { return };
    let place = cx.at(stream, x);
    let mut c = cx.conflict(
        &place,
        Reason::Invalid,
        [None, ours.map(json), theirs.map(json)],
    );
    c.detail = Some(detail.to_owned());
    c.text = format!(
        "{}: theirs' change does not fit with ours ({detail}); kept ours",
        cx.subject(&place)
    );
    cx.push(c);
}
