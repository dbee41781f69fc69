//! Each kind of item a model keeps in a list, described once.
//!
//! An [`Entity`] says what identifies an item (its key), where its list lives in a model, and
//! how edits of it are checked. Everything that walks the items of a model generically is
//! derived from that description: planning, applying and inverting edits ([`crate::edit`]),
//! the store's rows, diffs and merges. Adding a kind of item is one `impl` here, one variant of
//! [`Delta`] and one arm in [`each_delta!`](crate::each_delta).

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::edit::{Delta, Edit};
use crate::model::*;
use crate::validate::{self, Index, Report};

/// What identifies an item within its list: its id, or an edge's two stages, or an
/// assignment's PBC, stream and stage. Unused parts are empty.
pub type Key<'a> = [&'a str; 3];

/// A kind of item kept in a list of the model.
pub trait Entity:
    Clone + PartialEq + Debug + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The kind, as deltas spell it and people read it ("stage", "PBC").
    const KIND: &'static str;
    /// The list's name in the exchange document ("stages"), for paths in messages.
    const LIST: &'static str;
    /// Stages and edges live in a stream; every other kind in the model itself.
    const IN_STREAM: bool = false;

    fn key(&self) -> Key<'_>;

    /// The list the item lives in: the model's, or the stream's for stages and edges.
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>>;
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>>;

    fn into_delta(edit: Edit<Self>) -> Delta;

    /// Checks the item's own fields and references (a stage's or an edge's within `stream`).
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, stream: Option<&str>);

    /// Where and how to say that two items of the list share this item's key.
    fn duplicate(&self, path: &str) -> (String, String) {
        (
            format!("{path}.id"),
            format!("two {}s share the id {:?}", Self::KIND, self.key()[0]),
        )
    }

    /// When an item is replaced by an edit, what of the old one the new one keeps: a stream
    /// edit changes the stream's own fields and keeps its stages and edges.
    fn keep_from(&mut self, _old: Self) {}

    fn same(&self, other: &Self) -> bool {
        self.key() == other.key()
    }

    /// The item a key names, in words: `stage "kyc" in stream "mortgage"`.
    fn describe(key: Key<'_>, stream: Option<&str>) -> String {
        match stream {
            Some(s) => format!("{} {:?} in stream {s:?}", Self::KIND, key[0]),
            None => format!("{} {:?}", Self::KIND, key[0]),
        }
    }
}

/// An entity with an id of its own, which an add may leave empty to have one made.
pub trait Identified: Entity {
    /// What a missing id is made from ("Credit scoring" -> "credit-scoring").
    const FALLBACK: &'static str;
    fn id(&self) -> &str;
    fn id_mut(&mut self) -> &mut String;
    fn id_source(&self) -> String;
}

fn top<'m, T>(list: &'m Vec<T>, stream: Option<&str>) -> Option<&'m Vec<T>> {
    stream.is_none().then_some(list)
}

fn top_mut<'m, T>(list: &'m mut Vec<T>, stream: Option<&str>) -> Option<&'m mut Vec<T>> {
    stream.is_none().then_some(list)
}

fn stream_of<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Stream> {
    stream.and_then(|id| model.stream(id))
}

fn stream_of_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Stream> {
    let id = stream?;
    model.streams.iter_mut().find(|s| s.id == id)
}

/// The `Identified` impl of an entity whose id is `id` and whose name makes new ids.
macro_rules! identified {
    ($t:ty, $fallback:literal) => {
        impl Identified for $t {
            const FALLBACK: &'static str = $fallback;
            fn id(&self) -> &str {
                &self.id
            }
            fn id_mut(&mut self) -> &mut String {
                &mut self.id
            }
            fn id_source(&self) -> String {
                self.name.clone()
            }
        }
    };
}

impl Entity for Stream {
    const KIND: &'static str = "stream";
    const LIST: &'static str = "streams";
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.streams, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.streams, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Stream(edit)
    }
    fn check(&self, r: &mut Report, path: &str, _: &Index<'_>, _: Option<&str>) {
        validate::check_stream(r, path, self);
    }
    fn keep_from(&mut self, old: Self) {
        self.stages = old.stages;
        self.edges = old.edges;
    }
}
identified!(Stream, "stream");

impl Entity for Stage {
    const KIND: &'static str = "stage";
    const LIST: &'static str = "stages";
    const IN_STREAM: bool = true;
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        stream_of(model, stream).map(|s| &s.stages)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        stream_of_mut(model, stream).map(|s| &mut s.stages)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Stage(edit)
    }
    fn check(&self, r: &mut Report, path: &str, _: &Index<'_>, stream: Option<&str>) {
        validate::check_stage(r, path, stream.unwrap_or_default(), self);
    }
}
identified!(Stage, "stage");

impl Entity for Edge {
    const KIND: &'static str = "edge";
    const LIST: &'static str = "edges";
    const IN_STREAM: bool = true;
    fn key(&self) -> Key<'_> {
        [&self.from, &self.to, ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        stream_of(model, stream).map(|s| &s.edges)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        stream_of_mut(model, stream).map(|s| &mut s.edges)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Edge(edit)
    }
    /// An edge is checked with the whole flow of its stream (no loops), when it is planned.
    fn check(&self, _: &mut Report, _: &str, _: &Index<'_>, _: Option<&str>) {}
    fn describe(key: Key<'_>, stream: Option<&str>) -> String {
        format!(
            "edge {:?} -> {:?} in stream {:?}",
            key[0],
            key[1],
            stream.unwrap_or_default()
        )
    }
}

impl Entity for Pbc {
    const KIND: &'static str = "PBC";
    const LIST: &'static str = "pbcs";
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.pbcs, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.pbcs, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Pbc(edit)
    }
    fn check(&self, r: &mut Report, path: &str, _: &Index<'_>, _: Option<&str>) {
        validate::check_pbc(r, path, self);
    }
}
identified!(Pbc, "pbc");

impl Entity for Assignment {
    const KIND: &'static str = "assignment";
    const LIST: &'static str = "assignments";
    fn key(&self) -> Key<'_> {
        [&self.pbc, &self.stream, &self.stage]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.assignments, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.assignments, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Assignment(edit)
    }
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, _: Option<&str>) {
        validate::check_assignment(r, path, self, index);
    }
    fn describe(key: Key<'_>, _: Option<&str>) -> String {
        format!(
            "assignment of PBC {:?} to stage {:?} of stream {:?}",
            key[0], key[2], key[1]
        )
    }
    fn duplicate(&self, path: &str) -> (String, String) {
        let message = format!(
            "PBC {:?} is assigned twice to stage {:?} of stream {:?}",
            self.pbc, self.stage, self.stream
        );
        (path.to_owned(), message)
    }
}

impl Entity for Integration {
    const KIND: &'static str = "integration";
    const LIST: &'static str = "integrations";
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.integrations, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.integrations, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Integration(edit)
    }
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, _: Option<&str>) {
        validate::check_integration(r, path, self, index);
    }
}

impl Identified for Integration {
    const FALLBACK: &'static str = "integration";
    fn id(&self) -> &str {
        &self.id
    }
    fn id_mut(&mut self) -> &mut String {
        &mut self.id
    }
    /// An integration is named after the two PBCs it joins.
    fn id_source(&self) -> String {
        format!("{}-{}", self.from, self.to)
    }
}

impl Entity for Scenario {
    const KIND: &'static str = "scenario";
    const LIST: &'static str = "scenarios";
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.scenarios, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.scenarios, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Scenario(edit)
    }
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, _: Option<&str>) {
        validate::check_scenario(r, path, self, index);
    }
}
identified!(Scenario, "scenario");

impl Entity for Initiative {
    const KIND: &'static str = "initiative";
    const LIST: &'static str = "initiatives";
    fn key(&self) -> Key<'_> {
        [&self.id, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.initiatives, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.initiatives, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Initiative(edit)
    }
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, _: Option<&str>) {
        validate::check_initiative(r, path, self, index);
    }
}
identified!(Initiative, "initiative");

impl Entity for StreamMapping {
    const KIND: &'static str = "mapping";
    const LIST: &'static str = "mappings";
    fn key(&self) -> Key<'_> {
        [&self.stream, "", ""]
    }
    fn list<'m>(model: &'m Model, stream: Option<&str>) -> Option<&'m Vec<Self>> {
        top(&model.mappings, stream)
    }
    fn list_mut<'m>(model: &'m mut Model, stream: Option<&str>) -> Option<&'m mut Vec<Self>> {
        top_mut(&mut model.mappings, stream)
    }
    fn into_delta(edit: Edit<Self>) -> Delta {
        Delta::Mapping(edit)
    }
    fn check(&self, r: &mut Report, path: &str, index: &Index<'_>, _: Option<&str>) {
        validate::check_mapping(r, path, self, index);
    }
    fn duplicate(&self, path: &str) -> (String, String) {
        let message = format!("stream {:?} has two telemetry mappings", self.stream);
        (format!("{path}.stream"), message)
    }
}

/// Runs `$body` with `$edit` bound to the [`Edit`] inside a list delta, whatever its entity,
/// or `$settings` for the model settings: the one place that lists the kinds of delta.
#[macro_export]
macro_rules! each_delta {
    ($delta:expr, settings($before:pat, $after:pat) => $settings:expr, $edit:ident => $body:expr) => {
        match $delta {
            $crate::edit::Delta::Settings {
                before: $before,
                after: $after,
            } => $settings,
            $crate::edit::Delta::Stream($edit) => $body,
            $crate::edit::Delta::Stage($edit) => $body,
            $crate::edit::Delta::Edge($edit) => $body,
            $crate::edit::Delta::Pbc($edit) => $body,
            $crate::edit::Delta::Assignment($edit) => $body,
            $crate::edit::Delta::Integration($edit) => $body,
            $crate::edit::Delta::Scenario($edit) => $body,
            $crate::edit::Delta::Initiative($edit) => $body,
            $crate::edit::Delta::Mapping($edit) => $body,
        }
    };
}

/// Calls `$m!(Type)` for every kind of entity, in the order the exchange document lists them
/// (streams before the stages and edges they hold).
#[macro_export]
macro_rules! each_entity {
    ($m:ident) => {
        $m!($crate::model::Stream);
        $m!($crate::model::Stage);
        $m!($crate::model::Edge);
        $m!($crate::model::Pbc);
        $m!($crate::model::Assignment);
        $m!($crate::model::Integration);
        $m!($crate::model::Scenario);
        $m!($crate::model::Initiative);
        $m!($crate::model::StreamMapping);
    };
}
