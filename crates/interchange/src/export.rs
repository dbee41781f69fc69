//! From a Tributary model (and what an import kept) to an exchange document. Kept concepts are
//! updated only where the model says something else than they do; new entities get new
//! elements; concepts of entities the model no longer has are removed, with what refers to
//! them. A model that never came from a file is the same path from an empty document.

use std::collections::{HashMap, HashSet};

use tributary_core::entity::Entity;
use tributary_core::model::*;
use tributary_core::validate;

use crate::doc::{Concept, Doc, LangString, Property, PropertyDefinition, set_picked};
use crate::error::Result;
use crate::fields::{self, DataKind, Field};
use crate::import::{Reader, documentation_of, name_of};
use crate::kept::{AssignmentLink, EdgeLink, Kept, Links, StageLink, SystemLink};
use crate::view;

pub fn build_doc(model: &Model, kept: Option<&Kept>) -> Result<Doc> {
    validate::ensure_valid(model)?;
    let mut x = Exporter::new(model, kept);
    x.settings();
    for s in &model.streams {
        x.stream(s);
    }
    for p in &model.pbcs {
        x.pbc(p);
    }
    for a in &model.assignments {
        x.assignment(a);
    }
    for i in &model.integrations {
        x.integration(i);
    }
    for i in &model.initiatives {
        x.initiative(i);
    }
    for s in &model.scenarios {
        x.scenario(s);
    }
    x.remove_dead();
    x.diagrams();
    Ok(x.doc)
}

#[derive(Clone, Copy)]
enum Target {
    Root,
    Element(usize),
    Relationship(usize),
}

struct Exporter<'m> {
    model: &'m Model,
    doc: Doc,
    old: Links,
    links: Links,
    lang: Option<String>,
    ids: HashSet<String>,
    el_at: HashMap<String, usize>,
    rel_at: HashMap<String, usize>,
    alive: HashSet<String>,
    /// The old links by key, and the new ones written so far, for lookups in large models.
    by: OldLinks,
    stage_els: HashMap<(String, String), String>,
    pbc_els: HashMap<String, String>,
    stream_els: HashMap<String, String>,
    systems_of: HashMap<String, Vec<String>>,
    definitions: HashMap<String, String>,
}

#[derive(Default)]
struct OldLinks {
    streams: HashMap<String, String>,
    pbcs: HashMap<String, String>,
    integrations: HashMap<String, String>,
    initiatives: HashMap<String, String>,
    initiative_streams: HashMap<String, String>,
    scenarios: HashMap<String, String>,
    diagrams: HashMap<String, String>,
    stages: HashMap<(String, String), StageLink>,
    edges: HashMap<(String, String, String), String>,
    assignments: HashMap<(String, String, String), String>,
    systems: HashMap<String, Vec<SystemLink>>,
}

fn by_key(v: &[(String, String)]) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for (k, e) in v {
        m.entry(k.clone()).or_insert_with(|| e.clone());
    }
    m
}

impl OldLinks {
    fn of(l: &Links) -> OldLinks {
        let mut systems: HashMap<String, Vec<SystemLink>> = HashMap::new();
        for s in &l.systems {
            systems.entry(s.pbc.clone()).or_default().push(s.clone());
        }
        let key3 = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        OldLinks {
            streams: by_key(&l.streams),
            pbcs: by_key(&l.pbcs),
            integrations: by_key(&l.integrations),
            initiatives: by_key(&l.initiatives),
            initiative_streams: by_key(&l.initiative_streams),
            scenarios: by_key(&l.scenarios),
            diagrams: by_key(&l.diagrams),
            stages: l
                .stages
                .iter()
                .map(|s| ((s.stream.clone(), s.stage.clone()), s.clone()))
                .collect(),
            edges: l
                .edges
                .iter()
                .map(|e| (key3(&e.stream, &e.from, &e.to), e.relationship.clone()))
                .collect(),
            assignments: l
                .assignments
                .iter()
                .map(|a| (key3(&a.pbc, &a.stream, &a.stage), a.relationship.clone()))
                .collect(),
            systems,
        }
    }
}

impl<'m> Exporter<'m> {
    fn new(model: &'m Model, kept: Option<&Kept>) -> Exporter<'m> {
        let (doc, old, lang) = match kept {
            Some(k) => (k.doc.clone(), k.links.clone(), k.mapping.language.clone()),
            None => (
                Doc {
                    id: "id-model".into(),
                    ..Doc::default()
                },
                Links::default(),
                None,
            ),
        };
        let mut ids: HashSet<String> = doc
            .elements
            .iter()
            .chain(&doc.relationships)
            .map(|c| c.id.clone())
            .chain(doc.property_definitions.iter().map(|d| d.id.clone()))
            .chain([doc.id.clone()])
            .collect();
        for n in doc.views.iter().chain(&doc.organizations) {
            view::identifiers(n, &mut ids);
        }
        let by = OldLinks::of(&old);
        Exporter {
            model,
            el_at: doc
                .elements
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect(),
            rel_at: doc
                .relationships
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect(),
            doc,
            old,
            links: Links::default(),
            lang,
            ids,
            alive: HashSet::new(),
            by,
            stage_els: HashMap::new(),
            pbc_els: HashMap::new(),
            stream_els: HashMap::new(),
            systems_of: HashMap::new(),
            definitions: HashMap::new(),
        }
    }

    fn reader(&self) -> Reader<'_> {
        Reader {
            doc: &self.doc,
            lang: self.lang.as_deref(),
        }
    }

    /// A new identifier from a readable hint, valid as an XML ID and unused.
    fn fresh(&mut self, hint: &str) -> String {
        let mut base = String::from("id-");
        for ch in hint.chars() {
            base.push(
                if ch.is_ascii_alphanumeric() || ch == '-' || ch == '_' || ch == '.' {
                    ch
                } else {
                    '-'
                },
            );
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn element(&mut self, linked: Option<String>, kind: &str, hint: &str) -> (usize, bool) {
        if let Some(id) = linked
            && let Some(&i) = self.el_at.get(&id)
        {
            self.alive.insert(id);
            return (i, false);
        }
        let id = self.fresh(hint);
        self.doc.elements.push(Concept::new(id.clone(), kind));
        self.el_at.insert(id.clone(), self.doc.elements.len() - 1);
        self.alive.insert(id);
        (self.doc.elements.len() - 1, true)
    }

    /// The linked relationship when it still joins the same two elements, else a new one.
    fn relationship(
        &mut self,
        linked: Option<String>,
        kind: &str,
        ends: (&str, &str),
    ) -> (usize, bool) {
        if let Some(id) = linked
            && let Some(&i) = self.rel_at.get(&id)
        {
            let r = &self.doc.relationships[i];
            let (s, t) = (r.source.as_deref(), r.target.as_deref());
            if (s, t) == (Some(ends.0), Some(ends.1)) || (s, t) == (Some(ends.1), Some(ends.0)) {
                self.alive.insert(id);
                return (i, false);
            }
        }
        let id = self.fresh(&format!(
            "{}-{}",
            kind.to_lowercase(),
            ends.1.trim_start_matches("id-")
        ));
        self.doc
            .relationships
            .push(Concept::relationship(id.clone(), kind, ends.0, ends.1));
        self.rel_at
            .insert(id.clone(), self.doc.relationships.len() - 1);
        self.alive.insert(id);
        (self.doc.relationships.len() - 1, true)
    }

    fn concept(&mut self, t: Target) -> Option<&mut Concept> {
        match t {
            Target::Element(i) => self.doc.elements.get_mut(i),
            Target::Relationship(i) => self.doc.relationships.get_mut(i),
            Target::Root => None,
        }
    }

    fn props_mut(&mut self, t: Target) -> Option<&mut Vec<Property>> {
        match t {
            Target::Root => Some(&mut self.doc.properties),
            _ => self.concept(t).map(|c| &mut c.properties),
        }
    }

    fn sync_name(&mut self, t: Target, want: Option<&str>, new: bool) {
        let lang = self.lang.clone();
        let Some(c) = self.concept(t) else { return };
        match want {
            Some(w) if new => c.names = vec![LangString::plain(w)],
            Some(w) if name_of(c, lang.as_deref()) != w => {
                set_picked(&mut c.names, lang.as_deref(), Some(w))
            }
            _ => {}
        }
    }

    fn sync_doc(&mut self, t: Target, want: Option<&str>) {
        let lang = self.lang.clone();
        let Some(c) = self.concept(t) else { return };
        if documentation_of(c, lang.as_deref()).as_deref() != want {
            set_picked(&mut c.documentation, lang.as_deref(), want);
        }
    }

    /// The definition for a field's key: one the file has under an accepted spelling, or new.
    fn definition(&mut self, key: &str, matches: &dyn Fn(&str) -> bool, kind: DataKind) -> String {
        if let Some(d) = self.definitions.get(key) {
            return d.clone();
        }
        let id = self.find_or_make_definition(key, matches, kind);
        self.definitions.insert(key.to_owned(), id.clone());
        id
    }

    fn find_or_make_definition(
        &mut self,
        key: &str,
        matches: &dyn Fn(&str) -> bool,
        kind: DataKind,
    ) -> String {
        let lang = self.lang.clone();
        if let Some(d) =
            self.doc.property_definitions.iter().find(|d| {
                crate::doc::pick_text(&d.names, lang.as_deref()).is_some_and(|n| matches(&n))
            })
        {
            return d.id.clone();
        }
        let id = self.fresh(&format!("propid-{}", crate::import::slug(key)));
        self.doc.property_definitions.push(PropertyDefinition {
            id: id.clone(),
            kind: kind.as_str().to_owned(),
            names: vec![LangString::plain(key)],
        });
        id
    }

    /// Writes a field where the model's value differs from what the element says now (and,
    /// for a new element, the figures people look for even at their defaults).
    fn sync_fields<'f, T: 'f>(
        &mut self,
        t: Target,
        model: &T,
        derived: &T,
        table: impl Iterator<Item = &'f Field<T>>,
        new: bool,
    ) {
        for f in table {
            let want = (f.get)(model);
            if want == (f.get)(derived) && !(new && f.always) {
                continue;
            }
            self.set_property(t, f.key, &|k| f.matches(k), f.kind, want.as_deref());
        }
    }

    fn set_property(
        &mut self,
        t: Target,
        key: &str,
        matches: &dyn Fn(&str) -> bool,
        kind: DataKind,
        want: Option<&str>,
    ) {
        let lang = self.lang.clone();
        let Some(slot) = self.props_mut(t) else {
            return;
        };
        let mut props = std::mem::take(slot);
        let found = props.iter().position(|p| {
            self.doc
                .key_of(&p.definition, lang.as_deref())
                .is_some_and(|k| matches(&k))
        });
        match (want, found) {
            (None, _) => props.retain(|p| {
                !self
                    .doc
                    .key_of(&p.definition, lang.as_deref())
                    .is_some_and(|k| matches(&k))
            }),
            (Some(v), Some(i)) => set_picked(&mut props[i].values, lang.as_deref(), Some(v)),
            (Some(v), None) => {
                let definition = self.definition(key, matches, kind);
                props.push(Property {
                    definition,
                    values: vec![LangString::plain(v)],
                });
            }
        }
        if let Some(slot) = self.props_mut(t) {
            *slot = props;
        }
    }

    fn set_id(&mut self, t: Target, id: &str) {
        self.set_property(
            t,
            fields::ID_KEY,
            &fields::is_id_key,
            DataKind::Text,
            Some(id),
        );
    }

    fn settings(&mut self) {
        let m = self.model;
        let derived = self.reader().settings(&mut Vec::new());
        let fresh = self.doc.names.is_empty();
        if fresh || derived.name != m.name {
            let lang = self.lang.clone();
            set_picked(&mut self.doc.names, lang.as_deref(), Some(&m.name));
        }
        if derived.description != m.description {
            let lang = self.lang.clone();
            set_picked(
                &mut self.doc.documentation,
                lang.as_deref(),
                m.description.as_deref(),
            );
        }
        self.sync_fields(Target::Root, m, &derived, fields::MODEL.iter(), fresh);
    }

    fn stream(&mut self, s: &'m Stream) {
        let linked = self.by.streams.get(&s.id).cloned();
        let (i, new) = self.element(linked, "ValueStream", &format!("stream-{}", s.id));
        let t = Target::Element(i);
        let derived = self
            .reader()
            .stream(&self.doc.elements[i], s.id.clone(), &mut Vec::new());
        self.sync_name(t, Some(&s.name), new);
        self.sync_fields(t, s, &derived, fields::stream_fields(), new);
        if new {
            self.set_id(t, &s.id);
        }
        let stream_el = self.doc.elements[i].id.clone();
        self.links.streams.push((s.id.clone(), stream_el.clone()));
        self.stream_els.insert(s.id.clone(), stream_el.clone());
        let mut stage_els = Vec::new();
        for st in &s.stages {
            stage_els.push(self.stage(s, st, &stream_el));
        }
        for e in effective_edges(s) {
            let at = |id: &str| s.stages.iter().position(|x| x.id == id);
            let (Some(a), Some(b)) = (at(&e.from), at(&e.to)) else {
                continue;
            };
            let linked = self
                .by
                .edges
                .get(&(s.id.clone(), e.from.clone(), e.to.clone()))
                .cloned();
            let (r, _) = self.relationship(linked, "Flow", (&stage_els[a], &stage_els[b]));
            self.links.edges.push(EdgeLink {
                stream: s.id.clone(),
                from: e.from.clone(),
                to: e.to.clone(),
                relationship: self.doc.relationships[r].id.clone(),
            });
        }
    }

    fn stage(&mut self, s: &Stream, st: &Stage, stream_el: &str) -> String {
        let old = self.by.stages.get(&(s.id.clone(), st.id.clone())).cloned();
        let (i, new) = self.element(
            old.as_ref().map(|l| l.element.clone()),
            "ValueStream",
            &format!("stage-{}-{}", s.id, st.id),
        );
        let t = Target::Element(i);
        let derived = self
            .reader()
            .stage(&self.doc.elements[i], st.id.clone(), &mut Vec::new());
        self.sync_name(t, Some(&st.name), new);
        self.sync_fields(t, st, &derived, fields::STAGE.iter(), new);
        if new {
            self.set_id(t, &st.id);
        }
        let element = self.doc.elements[i].id.clone();
        self.stage_els
            .insert((s.id.clone(), st.id.clone()), element.clone());
        let (r, _) = self.relationship(
            old.map(|l| l.composition),
            "Composition",
            (stream_el, &element),
        );
        self.links.stages.push(StageLink {
            stream: s.id.clone(),
            stage: st.id.clone(),
            element: element.clone(),
            composition: self.doc.relationships[r].id.clone(),
        });
        element
    }

    fn pbc(&mut self, p: &Pbc) {
        let linked = self.by.pbcs.get(&p.id).cloned();
        let (i, new) = self.element(linked, "Capability", &format!("pbc-{}", p.id));
        let t = Target::Element(i);
        let mut derived = self
            .reader()
            .pbc(&self.doc.elements[i], p.id.clone(), &mut Vec::new());
        derived.systems = p.systems.clone();
        self.sync_name(t, Some(&p.name), new);
        self.sync_fields(t, p, &derived, fields::PBC.iter(), new);
        if new {
            self.set_id(t, &p.id);
        }
        let pbc_el = self.doc.elements[i].id.clone();
        self.links.pbcs.push((p.id.clone(), pbc_el.clone()));
        self.pbc_els.insert(p.id.clone(), pbc_el.clone());
        let mut unused: Vec<SystemLink> = self.by.systems.get(&p.id).cloned().unwrap_or_default();
        for name in &p.systems {
            let old = unused
                .iter()
                .position(|l| &l.name == name)
                .map(|k| unused.remove(k));
            let (c, new) = self.element(
                old.as_ref().map(|l| l.element.clone()),
                "ApplicationComponent",
                &format!("system-{}-{name}", p.id),
            );
            self.sync_name(Target::Element(c), Some(name), new);
            let comp = self.doc.elements[c].id.clone();
            self.systems_of
                .entry(pbc_el.clone())
                .or_default()
                .push(comp.clone());
            let (r, _) =
                self.relationship(old.map(|l| l.realization), "Realization", (&comp, &pbc_el));
            self.links.systems.push(SystemLink {
                pbc: p.id.clone(),
                name: name.clone(),
                element: comp,
                realization: self.doc.relationships[r].id.clone(),
            });
        }
    }

    fn stage_element(&self, stream: &str, stage: &str) -> Option<String> {
        self.stage_els
            .get(&(stream.to_owned(), stage.to_owned()))
            .cloned()
    }

    fn assignment(&mut self, a: &Assignment) {
        let (Some(pbc_el), Some(stage_el)) = (
            self.pbc_els.get(&a.pbc).cloned(),
            self.stage_element(&a.stream, &a.stage),
        ) else {
            return;
        };
        let linked = self
            .by
            .assignments
            .get(&(a.pbc.clone(), a.stream.clone(), a.stage.clone()))
            .cloned();
        let linked = linked.filter(|id| self.assignment_still_fits(id, &pbc_el, &stage_el));
        let (r, new) = self.relationship(linked, "Serving", (&pbc_el, &stage_el));
        let t = Target::Relationship(r);
        let derived =
            self.reader()
                .assignment(&self.doc.relationships[r], a.key(), &mut Vec::new());
        self.sync_fields(t, a, &derived, fields::ASSIGNMENT.iter(), new);
        self.sync_doc(t, a.note.as_deref());
        self.links.assignments.push(AssignmentLink {
            pbc: a.pbc.clone(),
            stream: a.stream.clone(),
            stage: a.stage.clone(),
            relationship: self.doc.relationships[r].id.clone(),
        });
    }

    /// A kept assignment may join the stage to a system of the PBC rather than the PBC.
    fn assignment_still_fits(&mut self, id: &str, pbc_el: &str, stage_el: &str) -> bool {
        let Some(&i) = self.rel_at.get(id) else {
            return false;
        };
        let r = &self.doc.relationships[i];
        let ends = [
            r.source.clone().unwrap_or_default(),
            r.target.clone().unwrap_or_default(),
        ];
        let systems = self
            .systems_of
            .get(pbc_el)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let ok = ends.contains(&stage_el.to_owned())
            && ends.iter().any(|e| e == pbc_el || systems.contains(e));
        if ok && !ends.contains(&pbc_el.to_owned()) {
            // Joined through a system: keep it as it is.
            self.alive.insert(id.to_owned());
        }
        ok
    }

    fn integration(&mut self, x: &Integration) {
        let (Some(from), Some(to)) = (
            self.pbc_els.get(&x.from).cloned(),
            self.pbc_els.get(&x.to).cloned(),
        ) else {
            return;
        };
        let linked = self.by.integrations.get(&x.id).cloned();
        let (r, new) = self.relationship(linked, "Flow", (&from, &to));
        let t = Target::Relationship(r);
        let ends = (x.from.as_str(), x.to.as_str());
        let derived = self.reader().integration(
            &self.doc.relationships[r],
            x.id.clone(),
            ends,
            &mut Vec::new(),
        );
        self.sync_name(t, x.name.as_deref(), new);
        self.sync_fields(t, x, &derived, fields::INTEGRATION.iter(), new);
        self.sync_doc(t, x.note.as_deref());
        if new {
            self.set_id(t, &x.id);
        }
        self.links
            .integrations
            .push((x.id.clone(), self.doc.relationships[r].id.clone()));
    }

    fn initiative(&mut self, x: &Initiative) {
        let linked = self.by.initiatives.get(&x.id).cloned();
        let (i, new) = self.element(linked, "WorkPackage", &format!("initiative-{}", x.id));
        let t = Target::Element(i);
        let derived =
            self.reader()
                .initiative(&self.doc.elements[i], x.id.clone(), &mut Vec::new());
        self.sync_name(t, Some(&x.name), new);
        self.sync_fields(t, x, &derived, fields::initiative_fields(), new);
        if new {
            self.set_id(t, &x.id);
        }
        let wp = self.doc.elements[i].id.clone();
        self.links.initiatives.push((x.id.clone(), wp.clone()));
        if let Some(stream_el) = x
            .stream
            .as_ref()
            .and_then(|s| self.stream_els.get(s.as_str()).cloned())
        {
            let linked = self.by.initiative_streams.get(&x.id).cloned();
            let (r, _) = self.relationship(linked, "Association", (&wp, &stream_el));
            self.links
                .initiative_streams
                .push((x.id.clone(), self.doc.relationships[r].id.clone()));
        }
    }

    fn scenario(&mut self, s: &Scenario) {
        let linked = self.by.scenarios.get(&s.id).cloned();
        let (i, new) = self.element(linked, "Plateau", &format!("scenario-{}", s.id));
        let t = Target::Element(i);
        let derived = self
            .reader()
            .scenario(&self.doc.elements[i], s.id.clone(), &mut Vec::new());
        self.sync_name(t, Some(&s.name), new);
        self.sync_doc(t, s.description.as_deref());
        self.sync_fields(t, s, &derived, fields::SCENARIO.iter(), new);
        if new {
            self.set_id(t, &s.id);
        }
        self.links
            .scenarios
            .push((s.id.clone(), self.doc.elements[i].id.clone()));
    }

    /// Concepts that stood for entities the model no longer has.
    fn remove_dead(&mut self) {
        let o = &self.old;
        let linked: HashSet<String> = o
            .streams
            .iter()
            .chain(&o.pbcs)
            .chain(&o.integrations)
            .chain(&o.initiatives)
            .chain(&o.initiative_streams)
            .chain(&o.scenarios)
            .map(|(_, e)| e.clone())
            .chain(
                o.stages
                    .iter()
                    .flat_map(|l| [l.element.clone(), l.composition.clone()]),
            )
            .chain(o.edges.iter().map(|l| l.relationship.clone()))
            .chain(
                o.systems
                    .iter()
                    .flat_map(|l| [l.element.clone(), l.realization.clone()]),
            )
            .chain(o.assignments.iter().map(|l| l.relationship.clone()))
            .collect();
        let dead: HashSet<&String> = linked
            .iter()
            .filter(|id| !self.alive.contains(*id))
            .collect();
        self.doc.elements.retain(|c| !dead.contains(&c.id));
        self.doc.relationships.retain(|c| !dead.contains(&c.id));
        loop {
            let ids: HashSet<String> = self
                .doc
                .elements
                .iter()
                .chain(&self.doc.relationships)
                .map(|c| c.id.clone())
                .collect();
            let before = self.doc.relationships.len();
            self.doc.relationships.retain(|r| {
                r.source.as_ref().is_some_and(|s| ids.contains(s))
                    && r.target.as_ref().is_some_and(|t| ids.contains(t))
            });
            if self.doc.relationships.len() == before {
                break;
            }
        }
        let gone: HashSet<String> = self
            .old
            .diagrams
            .iter()
            .filter(|(s, _)| self.model.stream(s).is_none())
            .map(|(_, v)| v.clone())
            .collect();
        view::remove_views(&mut self.doc, &gone);
        view::prune(&mut self.doc);
    }

    /// Tributary's diagram of each stream it drew before, and of each new stream.
    fn diagrams(&mut self) {
        let had = self.doc.property_definitions.len();
        let definition = self.definition(view::DIAGRAM_KEY, &view::is_diagram_key, DataKind::Text);
        for s in &self.model.streams {
            let old = self.by.diagrams.get(&s.id).cloned();
            let was_linked = self.by.streams.contains_key(&s.id);
            let view_id = match old {
                Some(v) => v,
                None if !was_linked => self.fresh(&format!("view-{}", s.id)),
                None => continue,
            };
            let drawing = self.drawing(s, view_id.clone(), definition.clone());
            let node = view::draw(&drawing);
            view::put_view(&mut self.doc, node);
            self.links.diagrams.push((s.id.clone(), view_id));
        }
        // A definition made for diagrams that were not drawn would be noise in the file.
        if self.links.diagrams.is_empty() && self.doc.property_definitions.len() > had {
            self.doc.property_definitions.retain(|d| d.id != definition);
        }
    }

    fn drawing(&self, s: &'m Stream, view: String, definition: String) -> view::Drawing<'m> {
        let stages: Vec<String> = s
            .stages
            .iter()
            .map(|st| self.stage_element(&s.id, &st.id).unwrap_or_default())
            .collect();
        let flows = self
            .links
            .edges
            .iter()
            .filter(|l| l.stream == s.id)
            .filter_map(|l| {
                let a = s.stages.iter().position(|x| x.id == l.from)?;
                let b = s.stages.iter().position(|x| x.id == l.to)?;
                Some((a, b, l.relationship.clone()))
            })
            .collect();
        let mut pbcs: Vec<(String, Vec<(usize, String)>)> = Vec::new();
        for l in self.links.assignments.iter().filter(|l| l.stream == s.id) {
            let Some(i) = s.stages.iter().position(|x| x.id == l.stage) else {
                continue;
            };
            let Some(el) = self.pbc_els.get(&l.pbc).cloned() else {
                continue;
            };
            // Only relationships that join the PBC itself can be drawn between its node and the stage's.
            let r = &self.doc.relationships[self.rel_at[&l.relationship]];
            if r.source.as_deref() != Some(&el) && r.target.as_deref() != Some(&el) {
                continue;
            }
            match pbcs.iter_mut().find(|(e, _)| *e == el) {
                Some((_, v)) => v.push((i, l.relationship.clone())),
                None => pbcs.push((el, vec![(i, l.relationship.clone())])),
            }
        }
        view::Drawing {
            view,
            stream: s,
            stream_element: self
                .stream_els
                .get(s.id.as_str())
                .cloned()
                .unwrap_or_default(),
            stages,
            flows,
            pbcs,
            definition,
        }
    }
}

/// The flow as drawn: the edges, or the listed order when there are none.
pub fn effective_edges(s: &Stream) -> Vec<Edge> {
    if !s.edges.is_empty() {
        return s.edges.clone();
    }
    s.stages
        .windows(2)
        .map(|w| Edge {
            from: w[0].id.clone(),
            to: w[1].id.clone(),
        })
        .collect()
}
