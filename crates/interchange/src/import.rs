//! The mapping from an exchange document to a Tributary model (see `docs/interchange.md`):
//! value streams composed of value streams become streams of stages in flow order, the chosen
//! element types become PBCs, the relationships between them become assignments, known
//! properties become fields. Everything is also left in the document, which is kept whole.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use tributary_core::model::*;
use tributary_core::validate::{self, Index};

use crate::doc::{Concept, Doc, pick_text};
use crate::error::{Error, Result};
use crate::fields::{self, Field};
use crate::kept::{AssignmentLink, EdgeLink, Links, Mapping, Report, StageLink, SystemLink, count};
use crate::view;

pub struct Built {
    pub model: Model,
    pub links: Links,
    pub report: Report,
}

/// Relationship types that put a stage in a stream.
const MEMBERSHIP: [&str; 2] = ["Composition", "Aggregation"];
/// Relationship types that give the order of stages.
const FLOW: [&str; 2] = ["Flow", "Triggering"];
/// Relationship types between a PBC (or its system) and a stage that become assignments.
const ASSIGNING: [&str; 3] = ["Serving", "Realization", "Assignment"];

/// Checks what every later step relies on: unique identifiers and relationships whose ends
/// are in the file.
pub fn check_doc(doc: &Doc) -> Result<()> {
    let mut ids = HashSet::new();
    for c in doc.elements.iter().chain(&doc.relationships) {
        if !ids.insert(c.id.as_str()) {
            return Err(Error::DuplicateId(c.id.clone()));
        }
    }
    for r in &doc.relationships {
        for (end, id) in [("source", &r.source), ("target", &r.target)] {
            match id {
                Some(id) if ids.contains(id.as_str()) => {}
                Some(id) => {
                    return Err(Error::MissingEnd {
                        relationship: r.id.clone(),
                        kind: r.kind.clone(),
                        end,
                        target: id.clone(),
                    });
                }
                None => {
                    return Err(Error::MissingEnd {
                        relationship: r.id.clone(),
                        kind: r.kind.clone(),
                        end,
                        target: String::new(),
                    });
                }
            }
        }
    }
    Ok(())
}

pub fn build(doc: &Doc, mapping: &Mapping) -> Result<Built> {
    check_doc(doc)?;
    let mut b = Builder::new(doc, mapping);
    b.streams();
    b.pbcs();
    b.assignments();
    b.integrations();
    b.initiatives();
    b.scenarios();
    b.positions();
    b.finish()
}

/// The name an element is read with: in the user's language, else a stand-in, since every
/// Tributary entity needs one.
pub fn name_of(c: &Concept, lang: Option<&str>) -> String {
    match pick_text(&c.names, lang) {
        Some(n) if !n.trim().is_empty() => n,
        _ => format!("(unnamed {})", c.kind),
    }
}

pub fn documentation_of(c: &Concept, lang: Option<&str>) -> Option<String> {
    pick_text(&c.documentation, lang).filter(|d| !d.is_empty())
}

/// Applies the known properties to `target`, one at a time; a value that does not read, or
/// that breaks a rule the rest kept, is left out with a warning (it stays in the file).
pub fn apply<'f, T: Clone + 'f>(
    target: &mut T,
    props: &[(String, String)],
    table: impl Iterator<Item = &'f Field<T>> + Clone,
    errors: &dyn Fn(&T) -> Vec<String>,
    who: &str,
    warnings: &mut Vec<String>,
) {
    for (key, value) in props {
        let Some(f) = table.clone().find(|f| f.matches(key)) else {
            continue;
        };
        let before = target.clone();
        let had = errors(target);
        let why = match (f.set)(target, value) {
            Err(m) => Some(m),
            Ok(()) => errors(target).into_iter().find(|e| !had.contains(e)),
        };
        if let Some(why) = why {
            *target = before;
            warnings.push(format!(
                "{who}: property {key:?} = {value:?} is not used: {why}"
            ));
        }
    }
}

fn messages(r: validate::Report) -> Vec<String> {
    r.problems
        .into_iter()
        .filter(|p| p.severity == tributary_core::Severity::Error)
        .map(|p| p.message)
        .collect()
}

pub fn stage_errors(s: &Stage) -> Vec<String> {
    let mut r = validate::Report::default();
    validate::check_stage(&mut r, "", "", s);
    messages(r)
}

pub fn stream_errors(s: &Stream) -> Vec<String> {
    let mut r = validate::Report::default();
    validate::check_stream(&mut r, "", s);
    messages(r)
}

pub fn pbc_errors(p: &Pbc) -> Vec<String> {
    let mut r = validate::Report::default();
    validate::check_pbc(&mut r, "", p);
    messages(r)
}

fn times_errors(pairs: &[(&str, f64)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(_, v)| !(v.is_finite() && *v >= 0.0))
        .map(|(k, v)| format!("{k} is {v}; a time cannot be negative"))
        .collect()
}

pub fn assignment_errors(a: &Assignment) -> Vec<String> {
    times_errors(&[("process_time", a.process_time), ("wait_time", a.wait_time)])
}

pub fn integration_errors(x: &Integration) -> Vec<String> {
    let mut out = times_errors(&[("latency", x.latency)]);
    for (k, v) in [
        ("interval", x.interval),
        ("calls per item", x.calls_per_item),
    ] {
        if let Some(v) = v.filter(|v| !(v.is_finite() && *v > 0.0)) {
            out.push(format!("{k} is {v}; it must be greater than 0"));
        }
    }
    out
}

/// Rules of an initiative apart from its WSJF scores, which are checked once all are read.
pub fn initiative_errors(x: &Initiative) -> Vec<String> {
    let mut r = validate::Report::default();
    let empty = Model::new("x");
    let mut y = x.clone();
    y.wsjf = None;
    y.stream = None;
    validate::check_initiative(&mut r, "", &y, &Index::direct(&empty));
    messages(r)
}

pub fn settings_errors(m: &Model) -> Vec<String> {
    let mut r = validate::Report::default();
    validate::check_settings(&mut r, &m.settings());
    messages(r)
}

/// Per-entity readers, shared with export, which compares what it would write with what the
/// kept element already says.
pub struct Reader<'d> {
    pub doc: &'d Doc,
    pub lang: Option<&'d str>,
}

impl<'d> Reader<'d> {
    pub fn props(&self, c: &Concept) -> Vec<(String, String)> {
        self.doc.properties_of(&c.properties, self.lang)
    }

    pub fn tributary_id(&self, c: &Concept) -> Option<String> {
        self.props(c)
            .into_iter()
            .find(|(k, _)| fields::is_id_key(k))
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub fn stage(&self, c: &Concept, id: String, w: &mut Vec<String>) -> Stage {
        let mut s = Stage::new(id, name_of(c, self.lang), 0.0, 0.0);
        let who = format!("stage {:?} ({})", s.name, c.id);
        apply(
            &mut s,
            &self.props(c),
            fields::STAGE.iter(),
            &stage_errors,
            &who,
            w,
        );
        s
    }

    pub fn stream(&self, c: &Concept, id: String, w: &mut Vec<String>) -> Stream {
        let mut s = Stream {
            id,
            name: name_of(c, self.lang),
            trigger: None,
            value: None,
            demand_per_week: 0.0,
            cost_of_delay_per_week: 0.0,
            urgency: Urgency::Standard,
            stages: Vec::new(),
            edges: Vec::new(),
            arrivals: None,
        };
        let who = format!("stream {:?} ({})", s.name, c.id);
        apply(
            &mut s,
            &self.props(c),
            fields::stream_fields(),
            &stream_errors,
            &who,
            w,
        );
        s
    }

    pub fn pbc(&self, c: &Concept, id: String, w: &mut Vec<String>) -> Pbc {
        let mut p = Pbc::new(id, name_of(c, self.lang));
        let who = format!("PBC {:?} ({})", p.name, c.id);
        apply(
            &mut p,
            &self.props(c),
            fields::PBC.iter(),
            &pbc_errors,
            &who,
            w,
        );
        p
    }

    pub fn assignment(
        &self,
        r: &Concept,
        [pbc, stream, stage]: [&str; 3],
        w: &mut Vec<String>,
    ) -> Assignment {
        let mut a = Assignment {
            pbc: pbc.to_owned(),
            stream: stream.to_owned(),
            stage: stage.to_owned(),
            process_time: 0.0,
            wait_time: 0.0,
            note: documentation_of(r, self.lang),
        };
        let who = format!("relationship {} ({})", r.id, r.kind);
        apply(
            &mut a,
            &self.props(r),
            fields::ASSIGNMENT.iter(),
            &assignment_errors,
            &who,
            w,
        );
        a
    }

    pub fn integration(
        &self,
        r: &Concept,
        id: String,
        ends: (&str, &str),
        w: &mut Vec<String>,
    ) -> Integration {
        let mut x = Integration {
            name: pick_text(&r.names, self.lang).filter(|n| !n.trim().is_empty()),
            note: documentation_of(r, self.lang),
            ..Integration::new(id, ends.0, ends.1, IntegrationStyle::SyncApi, 0.0)
        };
        let who = format!("flow {}", r.id);
        apply(
            &mut x,
            &self.props(r),
            fields::INTEGRATION.iter(),
            &integration_errors,
            &who,
            w,
        );
        x
    }

    pub fn initiative(&self, c: &Concept, id: String, w: &mut Vec<String>) -> Initiative {
        let mut x = Initiative::new(id, name_of(c, self.lang), 0.0, 0.0);
        let who = format!("work package {:?} ({})", x.name, c.id);
        apply(
            &mut x,
            &self.props(c),
            fields::initiative_fields(),
            &initiative_errors,
            &who,
            w,
        );
        if let Some(s) = x.wsjf
            && !(s.job_size > 0.0
                && [s.business_value, s.time_criticality, s.risk_reduction]
                    .iter()
                    .all(|v| *v >= 0.0))
        {
            w.push(format!(
                "{who}: the WSJF scores are left out: they need a job size above 0"
            ));
            x.wsjf = None;
        }
        x
    }

    pub fn scenario(&self, c: &Concept, id: String, w: &mut Vec<String>) -> Scenario {
        let mut s = Scenario {
            id,
            name: name_of(c, self.lang),
            description: documentation_of(c, self.lang),
            changes: Vec::new(),
        };
        let who = format!("plateau {:?} ({})", s.name, c.id);
        apply(
            &mut s,
            &self.props(c),
            fields::SCENARIO.iter(),
            &|_| Vec::new(),
            &who,
            w,
        );
        s
    }

    /// The model's own settings, from the model's name, documentation and properties (and
    /// the Dublin Core creator when no property names the author).
    pub fn settings(&self, w: &mut Vec<String>) -> Model {
        let doc = self.doc;
        let name = pick_text(&doc.names, self.lang)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Imported model".to_owned());
        let mut m = Model::new(name);
        m.description = pick_text(&doc.documentation, self.lang).filter(|d| !d.is_empty());
        let props = doc.properties_of(&doc.properties, self.lang);
        apply(
            &mut m,
            &props,
            fields::MODEL.iter(),
            &settings_errors,
            "the model",
            w,
        );
        if m.author.is_none() {
            m.author = doc.metadata.as_ref().and_then(|md| {
                md.nodes()
                    .find(|n| n.name.ends_with(":creator") || n.name == "creator")
                    .map(|n| n.text().trim().to_owned())
                    .filter(|t| !t.is_empty())
            });
        }
        m
    }
}

/// Readable, unique ids within one scope: the Tributary id a file carries, else the name's slug.
#[derive(Default)]
pub struct Ids(HashSet<String>);

impl Ids {
    pub fn take(&mut self, wanted: Option<String>, name: &str, fallback: &str) -> String {
        if let Some(w) = wanted
            && self.0.insert(w.clone())
        {
            return w;
        }
        let base = match slug(name) {
            s if s.is_empty() => fallback.to_owned(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Stage order: the flow's topological order, ties broken by the order of the compositions
/// (Kahn's algorithm taking the earliest ready stage). Where the listed order already follows
/// the flow it is kept as it is.
pub fn flow_order(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut next = vec![Vec::new(); n];
    for &(a, b) in edges {
        indegree[b] += 1;
        next[a].push(b);
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &j in &next[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(Reverse(j));
            }
        }
    }
    order
}

fn reaches(next: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; next.len()];
    let mut stack = vec![from];
    while let Some(i) = stack.pop() {
        if i == to {
            return true;
        }
        if !std::mem::replace(&mut seen[i], true) {
            stack.extend(&next[i]);
        }
    }
    false
}

fn flows_by_source(doc: &Doc) -> HashMap<&str, Vec<(usize, &Concept)>> {
    let mut m: HashMap<&str, Vec<(usize, &Concept)>> = HashMap::new();
    for (i, r) in doc.relationships.iter().enumerate() {
        if FLOW.contains(&r.kind.as_str()) {
            m.entry(r.source.as_deref().unwrap_or_default())
                .or_default()
                .push((i, r));
        }
    }
    m
}

struct Builder<'d> {
    r: Reader<'d>,
    mapping: &'d Mapping,
    el: HashMap<&'d str, &'d Concept>,
    model: Model,
    links: Links,
    warnings: Vec<String>,
    used: HashSet<&'d str>,
    /// Stage element to the (stream index, stage id) it became.
    stage_of: HashMap<&'d str, Vec<(usize, String)>>,
    stream_of: HashMap<&'d str, usize>,
    pbc_of: HashMap<&'d str, String>,
    /// System element to the PBCs it realises.
    system_of: HashMap<&'d str, Vec<String>>,
    /// Flow and triggering relationships by source element, with their place in the file.
    flows_from: HashMap<&'d str, Vec<(usize, &'d Concept)>>,
}

impl<'d> Builder<'d> {
    fn new(doc: &'d Doc, mapping: &'d Mapping) -> Builder<'d> {
        let r = Reader {
            doc,
            lang: mapping.language.as_deref(),
        };
        let mut warnings = Vec::new();
        let model = r.settings(&mut warnings);
        Builder {
            r,
            mapping,
            el: doc.elements.iter().map(|c| (c.id.as_str(), c)).collect(),
            model,
            links: Links::default(),
            warnings,
            used: HashSet::new(),
            stage_of: HashMap::new(),
            stream_of: HashMap::new(),
            pbc_of: HashMap::new(),
            system_of: HashMap::new(),
            flows_from: flows_by_source(doc),
        }
    }

    fn is(&self, id: &str, types: &[String]) -> bool {
        self.el.get(id).is_some_and(|c| types.contains(&c.kind))
    }

    fn rels(&self, kinds: &'static [&'static str]) -> impl Iterator<Item = &'d Concept> + use<'d> {
        let doc = self.r.doc;
        doc.relationships
            .iter()
            .filter(move |r| kinds.contains(&r.kind.as_str()))
    }

    fn ends(r: &'d Concept) -> (&'d str, &'d str) {
        (
            r.source.as_deref().unwrap_or_default(),
            r.target.as_deref().unwrap_or_default(),
        )
    }

    /// Stream elements and their stage elements with the membership relationship.
    fn memberships(&self) -> Vec<(&'d str, Vec<(&'d str, &'d str)>)> {
        let mut out: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for r in self.rels(&MEMBERSHIP) {
            let (s, t) = Self::ends(r);
            if s == t
                || !self.is(s, &self.mapping.stream_types)
                || !self.is(t, &self.mapping.stage_types)
            {
                continue;
            }
            let i = *at.entry(s).or_insert_with(|| {
                out.push((s, Vec::new()));
                out.len() - 1
            });
            if !out[i].1.iter().any(|(c, _)| *c == t) {
                out[i].1.push((t, r.id.as_str()));
            }
        }
        let children: HashSet<&str> = out
            .iter()
            .flat_map(|(_, c)| c.iter().map(|x| x.0))
            .collect();
        out.retain(|(s, _)| !children.contains(s));
        // Streams in the order of their elements.
        let order: HashMap<&str, usize> = self
            .r
            .doc
            .elements
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        out.sort_by_key(|(s, _)| order.get(s).copied().unwrap_or(usize::MAX));
        out
    }

    fn streams(&mut self) {
        let mut ids = Ids::default();
        for (element, members) in self.memberships() {
            let c = self.el[element];
            let id = ids.take(self.r.tributary_id(c), &name_of(c, self.r.lang), "stream");
            let stream = self.r.stream(c, id, &mut self.warnings);
            self.links
                .streams
                .push((stream.id.clone(), element.to_owned()));
            self.used.insert(element);
            self.stream_of.insert(element, self.model.streams.len());
            self.model.streams.push(stream);
            self.stages(element, &members);
        }
    }

    /// The stages of the stream last added, ordered by their flow.
    fn stages(&mut self, stream_el: &str, members: &[(&'d str, &'d str)]) {
        let si = self.model.streams.len() - 1;
        let stream_id = self.model.streams[si].id.clone();
        let mut ids = Ids::default();
        let mut stages = Vec::new();
        for (el, _) in members {
            let c = self.el[el];
            let id = ids.take(self.r.tributary_id(c), &name_of(c, self.r.lang), "stage");
            stages.push(self.r.stage(c, id, &mut self.warnings));
        }
        let (edges, edge_rels) = self.flow_edges(stream_el, members);
        let order = flow_order(stages.len(), &edges);
        let rank: HashMap<usize, usize> = order.iter().enumerate().map(|(r, &i)| (i, r)).collect();
        let mut slots: Vec<Option<Stage>> = stages.into_iter().map(Some).collect();
        let ordered: Vec<Stage> = order.iter().filter_map(|&i| slots[i].take()).collect();
        let id_at = |i: usize| ordered[rank[&i]].id.clone();
        let mut model_edges: Vec<Edge> = edges
            .iter()
            .map(|&(a, b)| Edge {
                from: id_at(a),
                to: id_at(b),
            })
            .collect();
        for (&(a, b), rel) in edges.iter().zip(&edge_rels) {
            self.links.edges.push(EdgeLink {
                stream: stream_id.clone(),
                from: id_at(a),
                to: id_at(b),
                relationship: (*rel).to_owned(),
            });
            self.used.insert(rel);
        }
        for &i in &order {
            let (el, comp) = members[i];
            let stage = id_at(i);
            self.links.stages.push(StageLink {
                stream: stream_id.clone(),
                stage: stage.clone(),
                element: el.to_owned(),
                composition: comp.to_owned(),
            });
            self.used.insert(el);
            self.used.insert(comp);
            self.stage_of.entry(el).or_default().push((si, stage));
        }
        // Stages in a line in their listed order need no edges: that is what no edges mean.
        let line = model_edges.len() + 1 == ordered.len()
            && model_edges
                .iter()
                .enumerate()
                .all(|(k, e)| e.from == ordered[k].id && e.to == ordered[k + 1].id);
        if line {
            model_edges.clear();
        }
        let s = &mut self.model.streams[si];
        s.stages = ordered;
        s.edges = model_edges;
    }

    /// Flow and triggering relationships between the stages of one stream, as index pairs, in
    /// file order; one that would close a loop is kept in the file and left out of the map.
    fn flow_edges(
        &mut self,
        stream_el: &str,
        members: &[(&'d str, &'d str)],
    ) -> (Vec<(usize, usize)>, Vec<&'d str>) {
        let at: HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, (e, _))| (*e, i))
            .collect();
        let mut next = vec![Vec::new(); members.len()];
        let (mut edges, mut rels) = (Vec::new(), Vec::new());
        // Only the flows out of this stream's stages, in file order.
        let mut flows: Vec<(usize, &'d Concept)> = members
            .iter()
            .flat_map(|(e, _)| self.flows_from.get(e).into_iter().flatten().copied())
            .collect();
        flows.sort_by_key(|(i, _)| *i);
        for (_, r) in flows {
            let (s, t) = Self::ends(r);
            let (Some(&a), Some(&b)) = (at.get(s), at.get(t)) else {
                continue;
            };
            if a == b || edges.contains(&(a, b)) {
                continue;
            }
            if reaches(&next, b, a) {
                self.warnings.push(format!(
                    "value stream {stream_el}: the {} {} from {:?} to {:?} would make the flow loop back; it is kept in the file but not on the map",
                    r.kind.to_lowercase(),
                    r.id,
                    name_of(self.el[s], self.r.lang),
                    name_of(self.el[t], self.r.lang)
                ));
                continue;
            }
            next[a].push(b);
            edges.push((a, b));
            rels.push(r.id.as_str());
        }
        (edges, rels)
    }

    fn pbcs(&mut self) {
        let mut systems: HashMap<&str, Vec<(&'d str, &'d str)>> = HashMap::new();
        for r in self.rels(&["Realization"]) {
            let (s, t) = Self::ends(r);
            if s != t
                && self.is(s, &self.mapping.system_types)
                && self.is(t, &self.mapping.pbc_types)
                && !self.is(t, &self.mapping.system_types)
                && !self.used.contains(t)
            {
                systems.entry(t).or_default().push((s, r.id.as_str()));
            }
        }
        let is_system: HashSet<&str> = systems.values().flatten().map(|x| x.0).collect();
        let mut ids = Ids::default();
        let doc = self.r.doc;
        for c in &doc.elements {
            let e = c.id.as_str();
            if !self.mapping.pbc_types.contains(&c.kind)
                || is_system.contains(e)
                || self.used.contains(e)
            {
                continue;
            }
            let id = ids.take(self.r.tributary_id(c), &name_of(c, self.r.lang), "pbc");
            let mut pbc = self.r.pbc(c, id.clone(), &mut self.warnings);
            for &(sys, rel) in systems.get(e).map(Vec::as_slice).unwrap_or_default() {
                let name = name_of(self.el[sys], self.r.lang);
                self.links.systems.push(SystemLink {
                    pbc: id.clone(),
                    name: name.clone(),
                    element: sys.to_owned(),
                    realization: rel.to_owned(),
                });
                pbc.systems.push(name);
                self.used.insert(sys);
                self.used.insert(rel);
                self.system_of.entry(sys).or_default().push(id.clone());
            }
            self.links.pbcs.push((id.clone(), e.to_owned()));
            self.used.insert(e);
            self.pbc_of.insert(e, id);
            self.model.pbcs.push(pbc);
        }
    }

    /// The PBC an end of a relationship stands for: the PBC itself, or one it is a system of.
    fn pbc_at(&self, id: &str) -> Option<String> {
        self.pbc_of
            .get(id)
            .or_else(|| self.system_of.get(id).and_then(|v| v.first()))
            .cloned()
    }

    fn assignments(&mut self) {
        let mut seen: HashSet<(String, String, String)> = HashSet::new();
        for r in self.rels(&ASSIGNING) {
            if self.used.contains(r.id.as_str()) {
                continue;
            }
            let (s, t) = Self::ends(r);
            let hit = [(s, t), (t, s)]
                .into_iter()
                .find_map(|(a, b)| Some((self.pbc_at(a)?, self.stage_of.get(b)?.clone())));
            let Some((pbc, stages)) = hit else { continue };
            for (si, stage) in stages {
                let stream = self.model.streams[si].id.clone();
                let key = (pbc.clone(), stream.clone(), stage.clone());
                if !seen.insert(key) {
                    self.warnings.push(format!(
                        "relationship {}: PBC {pbc:?} is already assigned to stage {stage:?} of stream {stream:?}; this one is kept in the file only",
                        r.id
                    ));
                    continue;
                }
                let a = self
                    .r
                    .assignment(r, [&pbc, &stream, &stage], &mut self.warnings);
                self.model.assignments.push(a);
                self.links.assignments.push(AssignmentLink {
                    pbc: pbc.clone(),
                    stream,
                    stage,
                    relationship: r.id.clone(),
                });
                self.used.insert(r.id.as_str());
            }
        }
    }

    fn integrations(&mut self) {
        let mut ids = Ids::default();
        for r in self.rels(&["Flow"]) {
            let (s, t) = Self::ends(r);
            let (Some(from), Some(to)) = (self.pbc_of.get(s).cloned(), self.pbc_of.get(t).cloned())
            else {
                continue;
            };
            if self.used.contains(r.id.as_str()) || from == to {
                continue;
            }
            let name =
                pick_text(&r.names, self.r.lang).unwrap_or_else(|| format!("{from} to {to}"));
            let id = ids.take(self.r.tributary_id(r), &name, "integration");
            let x = self
                .r
                .integration(r, id.clone(), (&from, &to), &mut self.warnings);
            self.links.integrations.push((id, r.id.clone()));
            self.used.insert(r.id.as_str());
            self.model.integrations.push(x);
        }
    }

    fn initiatives(&mut self) {
        let mut ids = Ids::default();
        let doc = self.r.doc;
        for c in doc.elements.iter().filter(|c| c.kind == "WorkPackage") {
            let mut w = Vec::new();
            let id = ids.take(
                self.r.tributary_id(c),
                &name_of(c, self.r.lang),
                "initiative",
            );
            let mut x = self.r.initiative(c, id.clone(), &mut w);
            // A work package with no duration is a plan item, not an initiative to rank.
            if x.duration_weeks <= 0.0 {
                continue;
            }
            self.warnings.extend(w);
            if let Some(r) = self.rels(&["Association"]).find(|r| {
                let (s, t) = Self::ends(r);
                (s == c.id && self.stream_of.contains_key(t))
                    || (t == c.id && self.stream_of.contains_key(s))
            }) {
                let (s, t) = Self::ends(r);
                let other = if s == c.id { t } else { s };
                x.stream = Some(self.model.streams[self.stream_of[other]].id.clone());
                self.links
                    .initiative_streams
                    .push((id.clone(), r.id.clone()));
                self.used.insert(r.id.as_str());
            }
            self.links.initiatives.push((id, c.id.clone()));
            self.used.insert(c.id.as_str());
            self.model.initiatives.push(x);
        }
    }

    fn scenarios(&mut self) {
        let mut ids = Ids::default();
        let doc = self.r.doc;
        for c in doc.elements.iter().filter(|c| c.kind == "Plateau") {
            let has = self
                .r
                .props(c)
                .iter()
                .any(|(k, _)| fields::SCENARIO[0].matches(k));
            if !has {
                continue;
            }
            let id = ids.take(self.r.tributary_id(c), &name_of(c, self.r.lang), "scenario");
            let s = self.r.scenario(c, id.clone(), &mut self.warnings);
            self.links.scenarios.push((id, c.id.clone()));
            self.used.insert(c.id.as_str());
            self.model.scenarios.push(s);
        }
    }

    fn positions(&mut self) {
        let found = view::stage_positions(self.r.doc, self.r.lang, &self.links, &self.model);
        self.links.diagrams = found.diagrams;
        for (si, stage, p) in found.positions {
            self.model.streams[si].stages[stage].position = Some(p);
        }
        for s in &mut self.model.streams {
            view::drop_grid_positions(s);
        }
    }

    fn finish(mut self) -> Result<Built> {
        self.drop_broken()?;
        let doc = self.r.doc;
        let unused = |c: &&Concept| !self.used.contains(c.id.as_str());
        let known = |k: &str| {
            fields::is_id_key(k)
                || fields::find(fields::STAGE, k).is_some()
                || fields::stream_fields().any(|f| f.matches(k))
                || fields::find(fields::PBC, k).is_some()
                || fields::find(fields::INTEGRATION, k).is_some()
                || fields::initiative_fields().any(|f| f.matches(k))
                || fields::find(fields::SCENARIO, k).is_some()
                || fields::find(fields::MODEL, k).is_some()
                || view::is_diagram_key(k)
        };
        let keys: Vec<String> = doc
            .elements
            .iter()
            .chain(&doc.relationships)
            .flat_map(|c| self.r.props(c))
            .chain(doc.properties_of(&doc.properties, self.r.lang))
            .map(|(k, _)| k)
            .filter(|k| !known(k))
            .collect();
        let m = &self.model;
        let report = Report {
            streams: m.streams.len(),
            stages: m.streams.iter().map(|s| s.stages.len()).sum(),
            pbcs: m.pbcs.len(),
            systems: m.pbcs.iter().map(|p| p.systems.len()).sum(),
            assignments: m.assignments.len(),
            integrations: m.integrations.len(),
            initiatives: m.initiatives.len(),
            scenarios: m.scenarios.len(),
            kept_elements: count(doc.elements.iter().filter(unused).map(|c| c.kind.as_str())),
            kept_relationships: count(
                doc.relationships
                    .iter()
                    .filter(unused)
                    .map(|c| c.kind.as_str()),
            ),
            kept_properties: count(keys.iter().map(String::as_str)),
            views: view::count_views(doc),
            organization_items: doc.organizations.iter().map(view::count_items).sum(),
            warnings: self.warnings,
        };
        Ok(Built {
            model: self.model,
            links: self.links,
            report,
        })
    }

    /// Scenarios, initiatives and integrations that refer to what the mapping left out are
    /// dropped from the model (they stay in the file); anything else wrong is an error.
    fn drop_broken(&mut self) -> Result<()> {
        for _ in 0..3 {
            let problems = validate::validate(&self.model).problems;
            let errors: Vec<_> = problems
                .into_iter()
                .filter(|p| p.severity == tributary_core::Severity::Error)
                .collect();
            if errors.is_empty() {
                return Ok(());
            }
            if self.detach_broken(&errors) {
                continue;
            }
            let mut dropped = false;
            for list in ["scenarios", "initiatives", "integrations"] {
                let bad: HashSet<usize> = errors
                    .iter()
                    .filter_map(|p| index_in(&p.path, list))
                    .collect();
                if bad.is_empty() {
                    continue;
                }
                dropped = true;
                let msgs: Vec<String> = errors
                    .iter()
                    .filter(|p| index_in(&p.path, list).is_some())
                    .map(|p| p.message.clone())
                    .collect();
                self.warnings.push(format!(
                    "left out of the model (kept in the file): {}",
                    msgs.join("; ")
                ));
                self.remove(list, &bad);
            }
            if !dropped {
                return Err(Error::Model(tributary_core::Error::Invalid(errors)));
            }
        }
        validate::ensure_valid(&self.model)?;
        Ok(())
    }

    /// An integration attached to a stage the model does not have keeps everything else:
    /// it is detached, with a warning. Whether any was.
    fn detach_broken(&mut self, errors: &[tributary_core::Problem]) -> bool {
        let mut any = false;
        for p in errors {
            let Some(i) = index_in(&p.path, "integrations") else {
                continue;
            };
            if !p.path.contains("].at") {
                continue;
            }
            if let Some(x) = self.model.integrations.get_mut(i)
                && x.at.take().is_some()
            {
                any = true;
                self.warnings
                    .push(format!("{}; it is kept, attached to no stage", p.message));
            }
        }
        any
    }

    fn remove(&mut self, list: &str, bad: &HashSet<usize>) {
        fn keep<T>(v: &mut Vec<T>, bad: &HashSet<usize>) -> Vec<usize> {
            let mut i = 0;
            let mut gone = Vec::new();
            v.retain(|_| {
                let k = !bad.contains(&i);
                if !k {
                    gone.push(i);
                }
                i += 1;
                k
            });
            gone
        }
        match list {
            "scenarios" => {
                let ids: Vec<String> = bad
                    .iter()
                    .map(|&i| self.model.scenarios[i].id.clone())
                    .collect();
                keep(&mut self.model.scenarios, bad);
                self.links.scenarios.retain(|(s, _)| !ids.contains(s));
            }
            "initiatives" => {
                let ids: Vec<String> = bad
                    .iter()
                    .map(|&i| self.model.initiatives[i].id.clone())
                    .collect();
                keep(&mut self.model.initiatives, bad);
                self.links.initiatives.retain(|(s, _)| !ids.contains(s));
                self.links
                    .initiative_streams
                    .retain(|(s, _)| !ids.contains(s));
            }
            _ => {
                let ids: Vec<String> = bad
                    .iter()
                    .map(|&i| self.model.integrations[i].id.clone())
                    .collect();
                keep(&mut self.model.integrations, bad);
                self.links.integrations.retain(|(s, _)| !ids.contains(s));
            }
        }
    }
}

/// `scenarios[3].changes[0]` -> 3 for list `scenarios`.
fn index_in(path: &str, list: &str) -> Option<usize> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    rest[..rest.find(']')?].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_follows_the_flow_and_keeps_a_listed_order_that_does() {
        // 0 -> 2 -> 1: the flow wins over the listing.
        assert_eq!(flow_order(3, &[(0, 2), (2, 1)]), vec![0, 2, 1]);
        // Branches 1 and 2 from 0 into 3: the listing already follows the flow.
        assert_eq!(
            flow_order(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]),
            vec![0, 1, 2, 3]
        );
        // No flow at all: the listing.
        assert_eq!(flow_order(3, &[]), vec![0, 1, 2]);
    }

    #[test]
    fn slugs_are_readable_ids() {
        assert_eq!(
            slug("Claim Registration (manual)"),
            "claim-registration-manual"
        );
        assert_eq!(slug("Prüfung & Freigabe"), "prüfung-freigabe");
        let mut ids = Ids::default();
        assert_eq!(ids.take(None, "Pay", "x"), "pay");
        assert_eq!(ids.take(None, "Pay!", "x"), "pay-2");
        assert_eq!(ids.take(Some("pay".into()), "Other", "x"), "other");
        assert_eq!(ids.take(None, "***", "stage"), "stage");
    }
}
