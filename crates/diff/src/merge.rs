//! Three-way merge of models. Items are matched by key in every list; a change on one side is
//! taken, the same change on both is taken once, and fields (in their JSON form) merge one by
//! one, so edits to different items or different fields of one item combine. The same field
//! changed to two values, or an item changed on one side and deleted on the other, is a
//! conflict: the merged model holds ours, and the conflict says what theirs was. Lists keep a
//! stable order (`order.rs`), and the result always validates (`repair.rs`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tributary_core::entity::{Entity, Key};
use tributary_core::{Model, Settings, each_entity};
use ts_rs::TS;

use crate::conflict::{Conflict, Reason};
use crate::diff::fields;
use crate::lists::{HashMap, HashSet, index, key_text, list_of, map, set};
use crate::order;
use crate::repair;
use crate::text::{Words, label};
use crate::value::{child_lists, from_own, identities, json, object, own};

/// A merged model and the conflicts it settled for ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Merge {
    pub model: Model,
    pub conflicts: Vec<Conflict>,
}

/// Merges `theirs` into `ours`, both made from `base`.
pub fn merge(base: &Model, ours: &Model, theirs: &Model) -> Merge {
    let mut cx = Cx::new(base, ours, theirs);
    let mut out = Model::new(ours.name.clone());
    out.format.clone_from(&ours.format);
    out.set_settings(merge_settings(&mut cx));
    macro_rules! kind {
        ($t:ty) => {
            merge_kind::<$t>(&mut out, &mut cx);
        };
    }
    each_entity!(kind);
    repair::make_valid(&mut out, &mut cx);
    Merge {
        model: out,
        conflicts: cx.conflicts,
    }
}

/// The three models, names for the texts, and what the merge found so far.
pub(crate) struct Cx<'m> {
    pub base: &'m Model,
    pub ours: &'m Model,
    pub theirs: &'m Model,
    /// Names as ours has them, else as theirs has them.
    pub words: Words<'m>,
    pub conflicts: Vec<Conflict>,
    /// Containers (streams) merged field by field, whose items are merged next.
    merged: HashSet<String>,
}

/// Where an item is: its kind's names, its stream and key.
pub(crate) struct At<'a> {
    pub kind: &'static str,
    pub list: &'static str,
    pub stream: Option<&'a str>,
    pub key: Vec<String>,
    pub name: String,
}

/// A field (or an element of a list field) that both sides changed differently.
struct Clash {
    field: String,
    element: Option<String>,
    reason: Reason,
    base: Option<Value>,
    ours: Option<Value>,
    theirs: Option<Value>,
}

impl<'m> Cx<'m> {
    fn new(base: &'m Model, ours: &'m Model, theirs: &'m Model) -> Cx<'m> {
        Cx {
            base,
            ours,
            theirs,
            words: Words::new(theirs, ours),
            conflicts: Vec::new(),
            merged: set(0),
        }
    }

    pub fn at<'a, T: Entity>(&self, stream: Option<&'a str>, x: &T) -> At<'a> {
        let key = key_text(x.key());
        let name = self.words.name(T::KIND, stream, &key, &own(x));
        At {
            kind: T::KIND,
            list: T::LIST,
            stream,
            key,
            name,
        }
    }

    pub fn subject(&self, at: &At<'_>) -> String {
        self.words.subject(at.kind, at.stream, &at.name, &at.key)
    }

    pub fn push(&mut self, c: Conflict) {
        self.conflicts.push(c);
    }

    /// A conflict at `at` with its values; the caller fills in the text.
    pub fn conflict(&self, at: &At<'_>, reason: Reason, values: [Option<Value>; 3]) -> Conflict {
        let [base, ours, theirs] = values;
        Conflict {
            kind: at.kind.to_owned(),
            list: at.list.to_owned(),
            stream: at.stream.map(str::to_owned),
            key: at.key.clone(),
            name: at.name.clone(),
            field: None,
            element: None,
            reason,
            detail: None,
            base,
            ours,
            theirs,
            theirs_after: None,
            theirs_index: None,
            text: String::new(),
        }
    }

    /// What a side did to an item since the base, in words.
    fn edits<T: Entity>(&self, base: &T, side: &T) -> String {
        let f = fields(&own(base), &own(side), &self.words);
        if f.is_empty() {
            "changed what it holds".into()
        } else {
            f.iter()
                .map(|f| f.text.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    fn deleted<T: Entity>(&mut self, stream: Option<&str>, b: &T, o: Option<&T>, t: Option<&T>) {
        let x = o.or(t).unwrap_or(b);
        let at = self.at(stream, x);
        let subject = self.subject(&at);
        let (reason, text) = match (o, t) {
            (Some(o), _) => (
                Reason::DeletedByTheirs,
                format!(
                    "{subject}: ours {}; theirs deleted it; kept ours",
                    self.edits(b, o)
                ),
            ),
            (_, Some(t)) => (
                Reason::DeletedByOurs,
                format!(
                    "{subject}: ours deleted it; theirs {}; kept it deleted",
                    self.edits(b, t)
                ),
            ),
            _ => return,
        };
        let mut c = self.conflict(&at, reason, [Some(json(b)), o.map(json), t.map(json)]);
        let in_theirs = list_of::<T>(self.theirs, stream);
        let i = t.and_then(|t| in_theirs.iter().position(|y| y.same(t)));
        c.theirs_index = i.map(|i| i as u32);
        c.theirs_after = i
            .and_then(|i| i.checked_sub(1))
            .map(|p| key_text(in_theirs[p].key()));
        c.text = text;
        self.push(c);
    }

    fn clash(&mut self, at: &At<'_>, k: Clash) {
        let subject = self.subject(at);
        let what = match &k.element {
            Some(_) => format!("a {}", singular(&label(&k.field))),
            None => label(&k.field),
        };
        let value = |v: &Option<Value>| match (&k.element, v) {
            (Some(_), Some(v)) => self.words.element(v),
            (Some(_), None) => "none".into(),
            (None, v) => self.words.value(&k.field, v.as_ref()),
        };
        let text = match k.reason {
            Reason::Order => format!("{subject}: {what} reordered on both sides; kept ours"),
            _ => format!(
                "{subject}: {what} changed on both sides (ours: {}; theirs: {}; before: {}); kept ours",
                value(&k.ours),
                value(&k.theirs),
                value(&k.base)
            ),
        };
        let mut c = self.conflict(at, k.reason, [k.base, k.ours, k.theirs]);
        c.field = Some(k.field);
        c.element = k.element;
        c.text = text;
        self.push(c);
    }
}

fn singular(s: &str) -> String {
    s.strip_suffix('s').unwrap_or(s).to_owned()
}

// ---- settings and lists ---------------------------------------------------------------------

fn merge_settings(cx: &mut Cx<'_>) -> Settings {
    let (b, o, t) = (cx.base.settings(), cx.ours.settings(), cx.theirs.settings());
    if o == t || b == t {
        return o;
    }
    if b == o {
        return t;
    }
    let at = At {
        kind: "settings",
        list: "settings",
        stream: None,
        key: Vec::new(),
        name: cx.ours.name.clone(),
    };
    let merged = merge_fields(Some(&object(&b)), &object(&o), &object(&t));
    let settings = serde_json::from_value(Value::Object(merged.0)).unwrap_or_else(|_| o.clone());
    for k in merged.1 {
        cx.clash(&at, k);
    }
    settings
}

/// Merges kind `T`: the model's list, or, in each stream merged field by field, its list.
fn merge_kind<T: Entity>(out: &mut Model, cx: &mut Cx<'_>) {
    let places: Vec<Option<String>> = if T::IN_STREAM {
        out.streams
            .iter()
            .filter(|s| cx.merged.contains(&s.id))
            .map(|s| Some(s.id.clone()))
            .collect()
    } else {
        vec![None]
    };
    for place in places {
        let p = place.as_deref();
        let (b, o, t) = (
            list_of::<T>(cx.base, p),
            list_of::<T>(cx.ours, p),
            list_of::<T>(cx.theirs, p),
        );
        let merged = if o == t || b == t {
            o.to_vec()
        } else if b == o {
            t.to_vec()
        } else {
            merge_list(p, b, o, t, cx)
        };
        if let Some(list) = T::list_mut(out, p) {
            *list = merged;
        }
    }
}

/// Where a merged item comes from.
enum Pick<'l, T> {
    Ours(&'l T),
    Theirs(&'l T),
    Merged(T),
}

impl<T: Clone> Pick<'_, T> {
    fn item(self) -> T {
        match self {
            Pick::Ours(x) | Pick::Theirs(x) => x.clone(),
            Pick::Merged(x) => x,
        }
    }
}

/// Merges one list. Keys are hashed once, to find each item's place in the base; the rest
/// works on numbers: a base item is its place, an item only the sides have comes after them,
/// numbered in the order of its key (so that the merged order does not depend on which side
/// is ours).
fn merge_list<'l, T: Entity>(
    stream: Option<&str>,
    b: &'l [T],
    o: &'l [T],
    t: &'l [T],
    cx: &mut Cx<'_>,
) -> Vec<T> {
    let ib = index(b);
    let at = |l: &'l [T]| {
        l.iter()
            .map(|x| ib.get(&x.key()).copied())
            .collect::<Vec<_>>()
    };
    let (o_at, t_at) = (at(o), at(t));
    let place = |side_at: &[Option<usize>]| {
        let mut v = vec![None; b.len()];
        for (j, i) in side_at.iter().enumerate() {
            if let Some(i) = i {
                v[*i] = Some(j);
            }
        }
        v
    };
    let (in_o, in_t) = (place(&o_at), place(&t_at));
    let added = Added::of(o, &o_at, t, &t_at, b.len());
    let mut picks: Vec<Option<Pick<'l, T>>> = Vec::with_capacity(b.len() + added.keys.len());
    for (i, x) in b.iter().enumerate() {
        let side = |v: &[Option<usize>], l: &'l [T]| v[i].map(|j| &l[j]);
        picks.push(pick(stream, Some(x), side(&in_o, o), side(&in_t, t), cx));
    }
    for (oj, tj) in &added.from {
        picks.push(pick(stream, None, oj.map(|j| &o[j]), tj.map(|j| &t[j]), cx));
    }
    let mut keep = set(picks.len());
    keep.extend(
        picks
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_some())
            .map(|(id, _)| id),
    );
    let ids = |side_at: &[Option<usize>], which: usize| -> Vec<usize> {
        side_at
            .iter()
            .enumerate()
            .map(|(j, i)| i.unwrap_or_else(|| added.id(which, j)))
            .collect()
    };
    let base_ids: Vec<usize> = (0..b.len()).collect();
    let ordered = order::merge(&base_ids, &ids(&o_at, 0), &ids(&t_at, 1), &keep);
    if let Some((ko, kt)) = ordered.conflict {
        let key_of = |id: usize| {
            if id < b.len() {
                b[id].key()
            } else {
                added.keys[id - b.len()]
            }
        };
        let keys = |v: Vec<usize>| v.into_iter().map(key_of).collect::<Vec<_>>();
        list_order_conflict::<T>(stream, &keys(ko), &keys(kt), cx);
    }
    ordered
        .keys
        .into_iter()
        .filter_map(|id| picks[id].take().map(Pick::item))
        .collect()
}

/// The items that only the sides hold, one per key in key order, with where each side has it.
struct Added<'l> {
    keys: Vec<Key<'l>>,
    /// For each key, its index in ours and in theirs.
    from: Vec<(Option<usize>, Option<usize>)>,
    /// The number of base items, after which the added ones are numbered.
    after: usize,
    /// A side's index -> the added item's number, for each side.
    ids: [HashMap<usize, usize>; 2],
}

impl<'l> Added<'l> {
    fn of<T: Entity>(
        o: &'l [T],
        o_at: &[Option<usize>],
        t: &'l [T],
        t_at: &[Option<usize>],
        after: usize,
    ) -> Added<'l> {
        let mut found: Vec<(Key<'l>, usize, usize)> = Vec::new();
        for (side, (l, at)) in [(o, o_at), (t, t_at)].into_iter().enumerate() {
            found.extend(
                at.iter()
                    .enumerate()
                    .filter(|(_, i)| i.is_none())
                    .map(|(j, _)| (l[j].key(), side, j)),
            );
        }
        found.sort();
        let mut a = Added {
            keys: Vec::new(),
            from: Vec::new(),
            after,
            ids: [map(0), map(0)],
        };
        for (key, side, j) in found {
            if a.keys.last() != Some(&key) {
                a.keys.push(key);
                a.from.push((None, None));
            }
            let n = a.keys.len() - 1;
            if let Some(slot) = a.from.last_mut() {
                if side == 0 {
                    slot.0 = Some(j)
                } else {
                    slot.1 = Some(j)
                }
            }
            a.ids[side].insert(j, after + n);
        }
        a
    }

    fn id(&self, side: usize, j: usize) -> usize {
        self.ids[side].get(&j).copied().unwrap_or(self.after)
    }
}

fn list_order_conflict<T: Entity>(
    stream: Option<&str>,
    ours: &[Key<'_>],
    theirs: &[Key<'_>],
    cx: &mut Cx<'_>,
) {
    let as_json = |ks: &[Key<'_>]| Value::Array(ks.iter().map(|k| json(&key_text(*k))).collect());
    let name = stream.map_or_else(
        || T::LIST.to_owned(),
        |s| format!("{} of {}", T::LIST, cx.words.stream_name(s)),
    );
    let at = At {
        kind: T::KIND,
        list: T::LIST,
        stream,
        key: Vec::new(),
        name: name.clone(),
    };
    let mut c = cx.conflict(
        &at,
        Reason::Order,
        [None, Some(as_json(ours)), Some(as_json(theirs))],
    );
    c.text = format!("{name}: reordered on both sides; kept ours' order");
    cx.push(c);
}

/// One item's merge: where it comes from, or `None` when the merge deletes it.
fn pick<'l, T: Entity>(
    stream: Option<&str>,
    b: Option<&'l T>,
    o: Option<&'l T>,
    t: Option<&'l T>,
    cx: &mut Cx<'_>,
) -> Option<Pick<'l, T>> {
    match (b, o, t) {
        (_, Some(o), Some(t)) if o == t => Some(Pick::Ours(o)),
        (_, None, None) => None,
        (b, o, t) if b == o => t.map(Pick::Theirs),
        (b, o, t) if b == t => o.map(Pick::Ours),
        (b, Some(o), Some(t)) => Some(Pick::Merged(merge_item(stream, b, o, t, cx))),
        (Some(b), o, t) => {
            cx.deleted(stream, b, o, t);
            o.map(Pick::Ours)
        }
        (None, o, _) => o.map(Pick::Ours),
    }
}

/// Both sides changed the item: its fields merge one by one.
fn merge_item<T: Entity>(stream: Option<&str>, b: Option<&T>, o: &T, t: &T, cx: &mut Cx<'_>) -> T {
    let (merged, clashes) = merge_fields(b.map(own).as_ref(), &own(o), &own(t));
    let at = cx.at(stream, o);
    let Some(item) = from_own::<T>(merged) else {
        // the fields do not make an item together (a variant's fields from two variants)
        let mut c = cx.conflict(
            &at,
            Reason::BothChanged,
            [b.map(json), Some(json(o)), Some(json(t))],
        );
        c.text = format!(
            "{}: changed on both sides in ways that do not combine; kept ours",
            cx.subject(&at)
        );
        cx.push(c);
        return o.clone();
    };
    for k in clashes {
        cx.clash(&at, k);
    }
    if child_lists().iter().any(|l| object(o).contains_key(*l)) {
        cx.merged
            .insert(at.key.first().cloned().unwrap_or_default());
    }
    item
}

// ---- values ---------------------------------------------------------------------------------

type Merged<T> = (T, Vec<Clash>);

/// Field by field; a field both changed differently keeps ours and is a clash.
fn merge_fields(
    b: Option<&Map<String, Value>>,
    o: &Map<String, Value>,
    t: &Map<String, Value>,
) -> Merged<Map<String, Value>> {
    let mut names: Vec<&String> = o
        .keys()
        .chain(t.keys())
        .chain(b.into_iter().flat_map(|b| b.keys()))
        .collect();
    names.sort();
    names.dedup();
    let mut out = Map::new();
    let mut clashes = Vec::new();
    for f in names {
        let bv = b.and_then(|b| b.get(f));
        let (v, mut c) = merge_field(f, bv, o.get(f), t.get(f));
        if let Some(v) = v {
            out.insert(f.clone(), v);
        }
        clashes.append(&mut c);
    }
    (out, clashes)
}

fn merge_field(
    f: &str,
    b: Option<&Value>,
    o: Option<&Value>,
    t: Option<&Value>,
) -> Merged<Option<Value>> {
    if o == t || b == t {
        return (o.cloned(), Vec::new());
    }
    if b == o {
        return (t.cloned(), Vec::new());
    }
    if let (None | Some(Value::Array(_)), Some(Value::Array(o)), Some(Value::Array(t))) = (b, o, t)
    {
        let empty = Vec::new();
        let b = match b {
            Some(Value::Array(b)) => b,
            _ => &empty,
        };
        let (v, c) = merge_elements(f, b, o, t);
        return (Some(Value::Array(v)), c);
    }
    let clash = Clash {
        field: f.to_owned(),
        element: None,
        reason: Reason::BothChanged,
        base: b.cloned(),
        ours: o.cloned(),
        theirs: t.cloned(),
    };
    (o.cloned(), vec![clash])
}

/// A list inside an item (a scenario's changes), element by element, matched by identity.
fn merge_elements(f: &str, b: &[Value], o: &[Value], t: &[Value]) -> Merged<Vec<Value>> {
    let (ib, io, it) = (identities(b), identities(o), identities(t));
    let find = |ids: &[String], l: &'_ [Value], id: &str| {
        ids.iter().position(|x| x == id).map(|i| l[i].clone())
    };
    let mut all: Vec<&String> = io.iter().chain(&it).chain(&ib).collect();
    let mut seen = set(all.len());
    all.retain(|k| seen.insert(*k));
    let mut chosen: HashMap<&str, Value> = map(all.len());
    let mut clashes = Vec::new();
    for id in all {
        let (xb, xo, xt) = (find(&ib, b, id), find(&io, o, id), find(&it, t, id));
        let (v, reason) = pick_element(xb.as_ref(), xo.as_ref(), xt.as_ref());
        if let Some(reason) = reason {
            clashes.push(Clash {
                field: f.to_owned(),
                element: Some(id.clone()),
                reason,
                base: xb.clone(),
                ours: xo.clone(),
                theirs: xt.clone(),
            });
        }
        if let Some(v) = v {
            chosen.insert(id.as_str(), v);
        }
    }
    let mut keep: HashSet<&str> = set(chosen.len());
    keep.extend(chosen.keys().copied());
    let (sb, so, st) = (strs(&ib), strs(&io), strs(&it));
    let ordered = order::merge(&sb, &so, &st, &keep);
    if let Some((ko, kt)) = ordered.conflict {
        let ids = |ks: Vec<&str>| {
            Value::Array(
                ks.into_iter()
                    .map(|k| Value::String(k.to_owned()))
                    .collect(),
            )
        };
        clashes.push(Clash {
            field: f.to_owned(),
            element: None,
            reason: Reason::Order,
            base: None,
            ours: Some(ids(ko)),
            theirs: Some(ids(kt)),
        });
    }
    let out = ordered
        .keys
        .into_iter()
        .filter_map(|k| chosen.remove(k))
        .collect();
    (out, clashes)
}

/// One element of a list inside an item, from its base, ours and theirs: the value kept, and
/// the reason it is a conflict if it is one (ours is then kept).
fn pick_element(
    b: Option<&Value>,
    o: Option<&Value>,
    t: Option<&Value>,
) -> (Option<Value>, Option<Reason>) {
    let ours = o.cloned();
    match (b, o, t) {
        (_, Some(x), Some(y)) if x == y => (ours, None),
        (b, o, t) if b == o => (t.cloned(), None),
        (b, _, t) if b == t => (ours, None),
        (b, Some(Value::Object(x)), Some(Value::Object(y))) => {
            let bo = match b {
                Some(Value::Object(m)) => Some(m),
                _ => None,
            };
            let (m, c) = merge_fields(bo, x, y);
            if c.is_empty() {
                (Some(Value::Object(m)), None)
            } else {
                (ours, Some(Reason::BothChanged))
            }
        }
        (_, Some(_), None) => (ours, Some(Reason::DeletedByTheirs)),
        (_, None, Some(_)) => (None, Some(Reason::DeletedByOurs)),
        _ => (ours, Some(Reason::BothChanged)),
    }
}

fn strs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}
