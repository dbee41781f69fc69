//! Views: where stages sit on the diagrams of a file (read into stage positions), the diagram
//! Tributary draws of each stream (stages laid out as on the map, PBCs below the stages they
//! serve), and keeping views and organisations free of references to removed concepts.

use std::collections::{HashMap, HashSet};

use tributary_core::layout;
use tributary_core::model::{Model, Position, Stream};

use crate::doc::{Content, Doc, LangString, Node, pick_text};
use crate::fields::normalize;
use crate::kept::Links;

/// The view property that marks a view as Tributary's diagram of a stream (its value: the id).
pub const DIAGRAM_KEY: &str = "Tributary diagram";
/// Stage nodes sit this far right and down of their map position, inside the stream's node.
pub const PAD_X: f64 = 40.0;
pub const PAD_Y: f64 = 60.0;
const STAGE_W: u64 = 200;
const STAGE_H: u64 = 100;
const PBC_H: u64 = 70;

pub fn is_diagram_key(key: &str) -> bool {
    normalize(key) == normalize(DIAGRAM_KEY)
}

fn diagrams(doc: &Doc) -> impl Iterator<Item = &Node> {
    doc.views
        .iter()
        .flat_map(|v| v.nodes())
        .filter(|n| n.name == "diagrams")
        .flat_map(|d| d.nodes())
        .filter(|n| n.name == "view")
}

pub fn count_views(doc: &Doc) -> usize {
    diagrams(doc).count()
}

pub fn count_items(n: &Node) -> usize {
    n.nodes()
        .map(|c| {
            usize::from(c.name == "item" && c.attr("identifierRef").is_some()) + count_items(c)
        })
        .sum()
}

/// The stream id a view is Tributary's diagram of, if it is one.
fn diagram_of(doc: &Doc, view: &Node, lang: Option<&str>) -> Option<String> {
    let props = view.nodes().find(|n| n.name == "properties")?;
    props
        .nodes()
        .filter(|p| p.name == "property")
        .find_map(|p| {
            let key = doc.key_of(p.attr("propertyDefinitionRef")?, lang)?;
            if !is_diagram_key(&key) {
                return None;
            }
            let values: Vec<LangString> = p
                .nodes()
                .filter(|v| v.name == "value")
                .map(|v| LangString {
                    lang: v.attr("xml:lang").map(str::to_owned),
                    text: v.text(),
                })
                .collect();
            pick_text(&values, lang)
        })
}

fn visit<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
    for c in n.nodes().filter(|c| c.name == "node") {
        out.push(c);
        visit(c, out);
    }
}

fn coordinate(n: &Node, name: &str) -> Option<f64> {
    n.attr(name)?.trim().parse().ok()
}

/// Where a node of an element is: the stream the view is the diagram of, x, y.
type Place = (Option<String>, f64, f64);

pub struct Found {
    pub diagrams: Vec<(String, String)>,
    /// (stream index, stage index, position).
    pub positions: Vec<(usize, usize, Position)>,
}

/// Stage positions from the views: Tributary's own diagram of the stream first, else the
/// first view that shows the stage.
pub fn stage_positions(doc: &Doc, lang: Option<&str>, links: &Links, model: &Model) -> Found {
    let streams: HashSet<&str> = model.streams.iter().map(|s| s.id.as_str()).collect();
    let mut found = Found {
        diagrams: Vec::new(),
        positions: Vec::new(),
    };
    // Element id to (stream the view is the diagram of, x, y), in view order.
    let mut at: HashMap<&str, Vec<Place>> = HashMap::new();
    for view in diagrams(doc) {
        let of = diagram_of(doc, view, lang).filter(|s| streams.contains(s.as_str()));
        if let (Some(s), Some(id)) = (&of, view.attr("identifier"))
            && !found.diagrams.iter().any(|(d, _)| d == s)
        {
            found.diagrams.push((s.clone(), id.to_owned()));
        }
        let mut nodes = Vec::new();
        visit(view, &mut nodes);
        for n in nodes {
            if let (Some(e), Some(x), Some(y)) =
                (n.attr("elementRef"), coordinate(n, "x"), coordinate(n, "y"))
            {
                at.entry(e).or_default().push((of.clone(), x, y));
            }
        }
    }
    let elements: HashMap<(&str, &str), &str> = links
        .stages
        .iter()
        .map(|l| ((l.stream.as_str(), l.stage.as_str()), l.element.as_str()))
        .collect();
    for (si, s) in model.streams.iter().enumerate() {
        for (i, st) in s.stages.iter().enumerate() {
            let Some(element) = elements.get(&(s.id.as_str(), st.id.as_str())) else {
                continue;
            };
            let Some(places) = at.get(element) else {
                continue;
            };
            let own = places
                .iter()
                .find(|(of, _, _)| of.as_deref() == Some(s.id.as_str()));
            let p = match own {
                Some((_, x, y)) => Position {
                    x: x - PAD_X,
                    y: y - PAD_Y,
                },
                None => Position {
                    x: places[0].1,
                    y: places[0].2,
                },
            };
            found.positions.push((si, i, p));
        }
    }
    found
}

/// A position where the map would put the stage anyway says nothing: it is left out, so that
/// a map drawn by Tributary reads back as it was.
pub fn drop_grid_positions(s: &mut Stream) {
    let mut bare = s.clone();
    for st in &mut bare.stages {
        st.position = None;
    }
    let Ok(grid) = layout::positions(&bare) else {
        return;
    };
    for (st, g) in s.stages.iter_mut().zip(grid) {
        if st.position == Some(g) {
            st.position = None;
        }
    }
}

/// What a stream's diagram shows, by exchange identifiers.
pub struct Drawing<'a> {
    pub view: String,
    pub stream: &'a Stream,
    pub stream_element: String,
    /// Element of each stage, in the stream's order.
    pub stages: Vec<String>,
    /// (from stage index, to stage index, relationship).
    pub flows: Vec<(usize, usize, String)>,
    /// (PBC element, [(stage index, relationship)]).
    pub pbcs: Vec<(String, Vec<(usize, String)>)>,
    /// Property definition of [`DIAGRAM_KEY`].
    pub definition: String,
}

fn px(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.round() as u64
    } else {
        0
    }
}

fn element_node(id: String, element: &str, x: u64, y: u64, w: u64, h: u64) -> Node {
    Node::new("node")
        .with_attr("identifier", id)
        .with_attr("xsi:type", "Element")
        .with_attr("elementRef", element)
        .with_attr("x", x.to_string())
        .with_attr("y", y.to_string())
        .with_attr("w", w.to_string())
        .with_attr("h", h.to_string())
}

/// Tributary's diagram of a stream: the stream's node holding its stages where the map puts
/// them, the flows between them, and each PBC below the first stage it serves.
pub fn draw(d: &Drawing) -> Node {
    let positions = layout::positions(d.stream).unwrap_or_default();
    let place: Vec<(u64, u64)> = positions
        .iter()
        .map(|p| (px(p.x + PAD_X), px(p.y + PAD_Y)))
        .collect();
    let right = place
        .iter()
        .map(|p| p.0 + STAGE_W)
        .max()
        .unwrap_or(PAD_X as u64 + STAGE_W);
    let bottom = place
        .iter()
        .map(|p| p.1 + STAGE_H)
        .max()
        .unwrap_or(PAD_Y as u64 + STAGE_H);
    let node_id = |e: &str| format!("{}-{e}", d.view);
    let mut container = element_node(
        node_id(&d.stream_element),
        &d.stream_element,
        20,
        20,
        right + 20,
        bottom,
    );
    for (i, e) in d.stages.iter().enumerate() {
        let (x, y) = place
            .get(i)
            .copied()
            .unwrap_or((PAD_X as u64, PAD_Y as u64));
        container = container.with_child(element_node(node_id(e), e, x, y, STAGE_W, STAGE_H));
    }
    let mut view = Node::new("view")
        .with_attr("identifier", d.view.clone())
        .with_attr("xsi:type", "Diagram")
        .with_child(Node::new("name").with_text(d.stream.name.clone()))
        .with_child(
            Node::new("properties").with_child(
                Node::new("property")
                    .with_attr("propertyDefinitionRef", d.definition.clone())
                    .with_child(Node::new("value").with_text(d.stream.id.clone())),
            ),
        )
        .with_child(container);
    // PBCs under the same column stack, whatever row their first stage is in.
    let mut stacked: HashMap<u64, u64> = HashMap::new();
    let mut connections = Vec::new();
    for (e, serves) in &d.pbcs {
        let Some(&(first, _)) = serves.iter().min_by_key(|(i, _)| *i) else {
            continue;
        };
        let (x, _) = place.get(first).copied().unwrap_or((PAD_X as u64, 0));
        let k = stacked.entry(x).or_insert(0);
        let y = bottom + 80 + *k * (PBC_H + 30);
        *k += 1;
        view = view.with_child(element_node(node_id(e), e, x, y, STAGE_W, PBC_H));
        for (i, rel) in serves {
            connections.push((rel.clone(), node_id(e), node_id(&d.stages[*i])));
        }
    }
    for (a, b, rel) in &d.flows {
        connections.push((rel.clone(), node_id(&d.stages[*a]), node_id(&d.stages[*b])));
    }
    for (rel, s, t) in connections {
        view = view.with_child(
            Node::new("connection")
                .with_attr("identifier", format!("{}-{rel}", d.view))
                .with_attr("xsi:type", "Relationship")
                .with_attr("relationshipRef", rel)
                .with_attr("source", s)
                .with_attr("target", t),
        );
    }
    view
}

/// Puts `view` in place of the view with its identifier, or after the others.
pub fn put_view(doc: &mut Doc, view: Node) {
    let views = doc.views.get_or_insert_with(|| Node::new("views"));
    if !views.nodes().any(|n| n.name == "diagrams") {
        views.children.push(Content::Node(Node::new("diagrams")));
    }
    let id = view.attr("identifier").map(str::to_owned);
    for c in &mut views.children {
        let Content::Node(d) = c else { continue };
        if d.name != "diagrams" {
            continue;
        }
        for v in &mut d.children {
            if let Content::Node(n) = v
                && n.name == "view"
                && n.attr("identifier").map(str::to_owned) == id
            {
                *n = view;
                return;
            }
        }
        d.children.push(Content::Node(view));
        return;
    }
}

/// Removes the views with these identifiers.
pub fn remove_views(doc: &mut Doc, ids: &HashSet<String>) {
    if let Some(v) = &mut doc.views {
        for c in &mut v.children {
            if let Content::Node(d) = c {
                d.children.retain(|n| !matches!(n, Content::Node(n) if n.name == "view" && n.attr("identifier").is_some_and(|i| ids.contains(i))));
            }
        }
    }
}

/// Attributes that refer to a concept, a view or a property definition.
const REFS: [&str; 6] = [
    "elementRef",
    "relationshipRef",
    "identifierRef",
    "ref",
    "viewRef",
    "propertyDefinitionRef",
];

/// Every identifier declared in a tree.
pub fn identifiers(n: &Node, out: &mut HashSet<String>) {
    if let Some(id) = n.attr("identifier") {
        out.insert(id.to_owned());
    }
    for c in n.nodes() {
        identifiers(c, out);
    }
}

/// Drops what refers to an identifier no longer in the document: diagram nodes of removed
/// elements, their connections, organisation items. Repeats until nothing more goes.
pub fn prune(doc: &mut Doc) {
    loop {
        let mut ids: HashSet<String> = doc
            .elements
            .iter()
            .chain(&doc.relationships)
            .map(|c| c.id.clone())
            .chain(doc.property_definitions.iter().map(|d| d.id.clone()))
            .collect();
        for n in doc.views.iter().chain(&doc.organizations) {
            identifiers(n, &mut ids);
        }
        let mut removed = false;
        for n in doc.views.iter_mut().chain(doc.organizations.iter_mut()) {
            removed |= prune_node(n, &ids);
        }
        if !removed {
            return;
        }
    }
}

fn dangling(n: &Node, ids: &HashSet<String>) -> bool {
    let refers = n
        .attributes
        .iter()
        .any(|(k, v)| REFS.contains(&k.as_str()) && !ids.contains(v));
    let ends = n.name == "connection"
        && ["source", "target"]
            .iter()
            .any(|k| n.attr(k).is_some_and(|v| !ids.contains(v)));
    refers || ends
}

fn prune_node(n: &mut Node, ids: &HashSet<String>) -> bool {
    let before = n.children.len();
    n.children
        .retain(|c| !matches!(c, Content::Node(c) if dangling(c, ids)));
    let mut removed = n.children.len() != before;
    for c in &mut n.children {
        if let Content::Node(c) = c {
            removed |= prune_node(c, ids);
        }
    }
    removed
}

/// Renames identifiers throughout the trees (and the references to them).
pub fn rename_in(n: &mut Node, map: &HashMap<String, String>) {
    for (k, v) in &mut n.attributes {
        if (k == "identifier" || k == "source" || k == "target" || REFS.contains(&k.as_str()))
            && let Some(new) = map.get(v.as_str())
        {
            *v = new.clone();
        }
    }
    for c in &mut n.children {
        if let Content::Node(c) = c {
            rename_in(c, map);
        }
    }
}
