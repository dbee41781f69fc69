//! Reads an ArchiMate exchange file into a [`Doc`], streaming: each element and relationship is
//! read as a small tree, turned into a [`Concept`] and dropped, so memory follows what is kept,
//! not the size of the text. A DTD or an entity other than the five of XML is refused outright,
//! never expanded.

use std::io::{BufRead, Read};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::decode::{Utf8Stream, utf8_stream};
use crate::doc::{Concept, Content, Doc, LangString, Node, Property, PropertyDefinition, XSI};
use crate::error::{At, Error, Result};

/// The largest file read unless the caller says otherwise (the 200 MB files of big
/// repositories fit with room to spare).
pub const DEFAULT_LIMIT: u64 = 1 << 30;
/// Views nest nodes in nodes; deeper than this is not a diagram.
const MAX_DEPTH: usize = 256;

const READ_NAMESPACES: [&str; 3] = [
    "http://www.opengroup.org/xsd/archimate/3.0/",
    "http://www.opengroup.org/xsd/archimate/3.1/",
    "http://www.opengroup.org/xsd/archimate/3.2/",
];

/// Reads a whole exchange document from `bytes`; errors carry line and column.
pub fn parse_bytes(bytes: &[u8], limit: u64) -> Result<Doc> {
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { limit });
    }
    let stream = utf8_stream(bytes, limit)?;
    let lines = (stream.encoding == encoding_rs::UTF_8).then_some((bytes, stream.bom));
    Parser::new(stream, lines, limit).document()
}

/// Reads from any reader; errors carry the byte offset in the decoded text.
pub fn parse_reader<'a, R: Read + 'a>(input: R, limit: u64) -> Result<Doc> {
    Parser::new(utf8_stream(input, limit)?, None, limit).document()
}

/// A start tag with its names sorted out.
struct Start {
    name: String,
    /// The namespace the element's name is in.
    ns: Option<String>,
    attributes: Vec<(String, String)>,
    empty: bool,
    at: u64,
}

enum Step {
    Start(Start),
    End,
    Text(String),
    Eof,
}

struct Parser<'a> {
    reader: NsReader<Box<dyn BufRead + 'a>>,
    buf: Vec<u8>,
    exceeded: std::rc::Rc<std::cell::Cell<bool>>,
    limit_hit: bool,
    limit: u64,
    lines: Option<(&'a [u8], usize)>,
    /// The namespace of the root: elements in it go by their local names.
    archimate: Option<String>,
}

impl<'a> Parser<'a> {
    fn new(stream: Utf8Stream<'a>, lines: Option<(&'a [u8], usize)>, limit: u64) -> Parser<'a> {
        let mut reader = NsReader::from_reader(stream.reader);
        reader.config_mut().check_end_names = true;
        Parser {
            reader,
            buf: Vec::with_capacity(4096),
            exceeded: stream.exceeded,
            limit_hit: false,
            limit,
            lines,
            archimate: None,
        }
    }

    /// Where `offset` (in the decoded text) is, as a line when the input is at hand.
    fn at(&self, offset: u64) -> At {
        let Some((bytes, bom)) = self.lines else {
            return At::Byte(offset);
        };
        let end = (offset as usize + bom).min(bytes.len());
        let before = &bytes[bom.min(end)..end];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
        At::Line { line, column }
    }

    fn xml_error(&mut self, e: quick_xml::Error) -> Error {
        if self.exceeded.get() {
            self.limit_hit = true;
            return Error::TooLarge { limit: self.limit };
        }
        let at = self.at(self.reader.error_position());
        Error::NotXml {
            at,
            message: e.to_string(),
        }
    }

    fn next(&mut self) -> Result<Step> {
        loop {
            self.buf.clear();
            let pos = self.reader.buffer_position();
            let (ns, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok((ns, ev)) => (ns_string(&ns), ev.into_owned()),
                Err(e) => return Err(self.xml_error(e)),
            };
            let step = match event {
                Event::Start(s) => Step::Start(self.start(&s, ns, false, pos)?),
                Event::Empty(s) => Step::Start(self.start(&s, ns, true, pos)?),
                Event::End(_) => Step::End,
                Event::Text(t) => Step::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Step::Text(t.xml10_content().into_owned()),
                Event::GeneralRef(r) => Step::Text(self.reference(&r, pos)?),
                Event::DocType(_) => return Err(Error::Dtd { at: self.at(pos) }),
                Event::Eof => Step::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            };
            return Ok(step);
        }
    }

    fn reference(&self, r: &quick_xml::events::BytesRef, pos: u64) -> Result<String> {
        let name = r.xml10_content().into_owned();
        let bad = || Error::Entity {
            name: name.clone(),
            at: self.at(pos),
        };
        if r.is_char_ref() {
            return match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c.to_string()),
                _ => Err(bad()),
            };
        }
        match name.as_str() {
            "amp" => Ok("&".into()),
            "lt" => Ok("<".into()),
            "gt" => Ok(">".into()),
            "quot" => Ok("\"".into()),
            "apos" => Ok("'".into()),
            _ => Err(bad()),
        }
    }

    fn start(&self, s: &BytesStart, ns: Option<String>, empty: bool, at: u64) -> Result<Start> {
        let qname = s.name().as_ref().to_owned();
        let local = s.local_name().as_ref().to_owned();
        let name = match (&ns, &self.archimate) {
            (Some(n), Some(a)) if n == a => local,
            (Some(n), None) if READ_NAMESPACES.contains(&n.as_str()) => local,
            _ => qname,
        };
        let mut attributes = Vec::new();
        for attr in s.attributes() {
            let attr = attr.map_err(|e| Error::NotXml {
                at: self.at(at),
                message: e.to_string(),
            })?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.attribute_error(e, at))?
                .into_owned();
            let key = attr.key;
            let (res, local) = self.reader.resolver().resolve_attribute(key);
            let is_xsi = matches!(&res, ResolveResult::Bound(n) if n.as_ref() == XSI);
            let key = if is_xsi {
                format!("xsi:{}", local.as_ref())
            } else {
                key.as_ref().to_owned()
            };
            attributes.push((key, value));
        }
        Ok(Start {
            name,
            ns,
            attributes,
            empty,
            at,
        })
    }

    fn attribute_error(&self, e: quick_xml::Error, at: u64) -> Error {
        match e {
            quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(
                _,
                name,
            )) => Error::Entity {
                name,
                at: self.at(at),
            },
            other => Error::NotXml {
                at: self.at(at),
                message: other.to_string(),
            },
        }
    }

    /// Reads the rest of the element `start` opened, as a tree.
    fn node(&mut self, start: Start, depth: usize) -> Result<Node> {
        if depth > MAX_DEPTH {
            return Err(Error::Structure {
                what: format!("<{}>", start.name),
                at: self.at(start.at),
                message: format!("elements nest more than {MAX_DEPTH} deep"),
            });
        }
        let mut node = Node {
            name: start.name,
            attributes: start.attributes,
            children: Vec::new(),
        };
        if start.empty {
            return Ok(node);
        }
        loop {
            match self.next()? {
                Step::Start(s) => {
                    let child = self.node(s, depth + 1)?;
                    node.children.push(Content::Node(child));
                }
                Step::Text(t) => match node.children.last_mut() {
                    Some(Content::Text(prev)) => prev.push_str(&t),
                    _ => node.children.push(Content::Text(t)),
                },
                Step::End => break,
                Step::Eof => return Err(self.truncated()),
            }
        }
        // Indentation between child elements is not content; text-only elements keep theirs.
        if node.children.iter().any(|c| matches!(c, Content::Node(_))) {
            node.children
                .retain(|c| !matches!(c, Content::Text(t) if t.trim().is_empty()));
        }
        Ok(node)
    }

    fn truncated(&self) -> Error {
        Error::NotXml {
            at: self.at(self.reader.buffer_position()),
            message: "the file ends in the middle of an element".into(),
        }
    }

    fn document(mut self) -> Result<Doc> {
        let root = loop {
            match self.next() {
                Ok(Step::Start(s)) => break s,
                Ok(Step::Text(t)) if t.trim().is_empty() => continue,
                Ok(Step::Text(_)) | Ok(Step::End) => {
                    return Err(Error::NotXml {
                        at: self.at(0),
                        message: "there is text before the first element".into(),
                    });
                }
                Ok(Step::Eof) => {
                    return Err(Error::NotXml {
                        at: self.at(0),
                        message: "the file holds no XML element".into(),
                    });
                }
                Err(e) => return Err(self.fix_limit(e)),
            }
        };
        let result = self.model(root);
        result.map_err(|e| self.fix_limit(e))
    }

    fn fix_limit(&self, e: Error) -> Error {
        match e {
            Error::TooLarge { .. } | Error::Io(_) | Error::NotXml { .. } if self.limit_hit => {
                Error::TooLarge { limit: self.limit }
            }
            other => other,
        }
    }

    fn model(&mut self, root: Start) -> Result<Doc> {
        let ns = root.ns.clone();
        check_version(&root.name, ns.as_deref())?;
        self.archimate = ns;
        let mut doc = Doc::default();
        for (k, v) in &root.attributes {
            match k.as_str() {
                "identifier" => doc.id = v.clone(),
                "xmlns" => {}
                _ => doc.attributes.push((k.clone(), v.clone())),
            }
        }
        if doc.id.is_empty() {
            return Err(Error::Structure {
                what: "<model>".into(),
                at: self.at(root.at),
                message: "the model has no identifier".into(),
            });
        }
        if root.empty {
            return Ok(doc);
        }
        self.sections(&mut doc)?;
        Ok(doc)
    }

    fn sections(&mut self, doc: &mut Doc) -> Result<()> {
        loop {
            let s = match self.next()? {
                Step::Start(s) => s,
                Step::Text(_) => continue,
                Step::End => break,
                Step::Eof => return Err(self.truncated()),
            };
            match s.name.as_str() {
                "elements" => self.concepts(s, "element", &mut doc.elements)?,
                "relationships" => self.concepts(s, "relationship", &mut doc.relationships)?,
                "propertyDefinitions" => self.definitions(s, &mut doc.property_definitions)?,
                "name" => doc.names.push(lang_string(&self.node(s, 1)?)),
                "documentation" => doc.documentation.push(lang_string(&self.node(s, 1)?)),
                "properties" => doc.properties = properties(&self.node(s, 1)?),
                "metadata" => doc.metadata = Some(self.node(s, 1)?),
                "organizations" => doc.organizations.push(self.node(s, 1)?),
                "views" => doc.views = Some(self.node(s, 1)?),
                _ => doc.extra.push(self.node(s, 1)?),
            }
        }
        // Nothing may follow the root but comments and white space.
        loop {
            match self.next()? {
                Step::Eof => return Ok(()),
                Step::Text(t) if t.trim().is_empty() => {}
                _ => {
                    return Err(Error::NotXml {
                        at: self.at(self.reader.buffer_position()),
                        message: "there is more after the end of <model>".into(),
                    });
                }
            }
        }
    }

    /// Reads `<elements>` or `<relationships>`, one small tree at a time.
    fn concepts(&mut self, section: Start, item: &str, out: &mut Vec<Concept>) -> Result<()> {
        if section.empty {
            return Ok(());
        }
        loop {
            match self.next()? {
                Step::Start(s) => {
                    let at = s.at;
                    let node = self.node(s, 2)?;
                    if node.name != item {
                        continue;
                    }
                    out.push(concept(node).map_err(|message| Error::Structure {
                        what: format!("<{item}>"),
                        at: self.at(at),
                        message,
                    })?);
                }
                Step::Text(_) => {}
                Step::End => return Ok(()),
                Step::Eof => return Err(self.truncated()),
            }
        }
    }

    fn definitions(&mut self, section: Start, out: &mut Vec<PropertyDefinition>) -> Result<()> {
        let at = section.at;
        let node = self.node(section, 1)?;
        for d in node.nodes().filter(|n| n.name == "propertyDefinition") {
            let Some(id) = d.attr("identifier") else {
                return Err(Error::Structure {
                    what: "<propertyDefinition>".into(),
                    at: self.at(at),
                    message: "a property definition has no identifier".into(),
                });
            };
            out.push(PropertyDefinition {
                id: id.to_owned(),
                kind: d.attr("type").unwrap_or("string").to_owned(),
                names: d
                    .nodes()
                    .filter(|n| n.name == "name")
                    .map(lang_string)
                    .collect(),
            });
        }
        Ok(())
    }
}

fn ns_string(ns: &ResolveResult) -> Option<String> {
    match ns {
        ResolveResult::Bound(n) => Some(n.as_ref().to_owned()),
        _ => None,
    }
}

fn check_version(root: &str, ns: Option<&str>) -> Result<()> {
    let local = root.rsplit(':').next().unwrap_or(root);
    let reads = "Tributary reads ArchiMate 3.0, 3.1 and 3.2 exchange files (namespace http://www.opengroup.org/xsd/archimate/3.0/)";
    match ns {
        Some(n) if local == "model" && READ_NAMESPACES.contains(&n) => Ok(()),
        Some(n) if n.starts_with("http://www.opengroup.org/xsd/archimate") => {
            Err(Error::Version(format!(
                "the file is in the namespace {n:?}, an ArchiMate 2.1 or older exchange format; {reads}. Open it in Archi or your tool and export it as ArchiMate 3.x"
            )))
        }
        Some(n) => Err(Error::Version(format!(
            "the root element <{root}> is in the namespace {n:?}, not an ArchiMate exchange namespace; {reads}"
        ))),
        None => Err(Error::Version(format!(
            "the root element <{root}> has no namespace, so this is not an ArchiMate exchange file; {reads}"
        ))),
    }
}

fn lang_string(n: &Node) -> LangString {
    LangString {
        lang: n.attr("xml:lang").map(str::to_owned),
        text: n.text(),
    }
}

fn properties(n: &Node) -> Vec<Property> {
    n.nodes()
        .filter(|p| p.name == "property")
        .map(|p| Property {
            definition: p
                .attr("propertyDefinitionRef")
                .unwrap_or_default()
                .to_owned(),
            values: p
                .nodes()
                .filter(|v| v.name == "value")
                .map(lang_string)
                .collect(),
        })
        .collect()
}

/// An `<element>` or `<relationship>` tree as a concept.
fn concept(node: Node) -> std::result::Result<Concept, String> {
    let mut c = Concept::new(String::new(), String::new());
    for (k, v) in node.attributes {
        match k.as_str() {
            "identifier" => c.id = v,
            "xsi:type" => c.kind = v.rsplit(':').next().unwrap_or(&v).to_owned(),
            "source" => c.source = Some(v),
            "target" => c.target = Some(v),
            _ => c.attributes.push((k, v)),
        }
    }
    if c.id.is_empty() {
        return Err("it has no identifier".into());
    }
    if c.kind.is_empty() {
        return Err(format!("{:?} has no xsi:type", c.id));
    }
    for child in node.children {
        let Content::Node(n) = child else { continue };
        match n.name.as_str() {
            "name" => c.names.push(lang_string(&n)),
            "documentation" => c.documentation.push(lang_string(&n)),
            "properties" => c.properties = properties(&n),
            _ => c.extra.push(n),
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SMALL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m1">
  <name xml:lang="en">Test &amp; more</name>
  <elements>
    <element identifier="e1" xsi:type="ValueStream"><name>A &#233;</name></element>
  </elements>
</model>"#;

    #[test]
    fn predefined_and_character_references_are_read() {
        let doc = parse_bytes(SMALL.as_bytes(), DEFAULT_LIMIT).unwrap();
        assert_eq!(doc.names[0].text, "Test & more");
        assert_eq!(doc.elements[0].names[0].text, "A é");
        assert_eq!(doc.elements[0].kind, "ValueStream");
    }

    #[test]
    fn a_bomb_is_refused_at_its_doctype() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m"><name>&lol2;</name></model>"#;
        let err = parse_bytes(bomb.as_bytes(), DEFAULT_LIMIT).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Dtd {
                    at: At::Line { line: 2, .. }
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn an_undeclared_entity_is_refused() {
        let text = SMALL.replace("&amp;", "&nbsp;");
        let err = parse_bytes(text.as_bytes(), DEFAULT_LIMIT).unwrap_err();
        assert!(err.to_string().contains("&nbsp;"), "{err}");
    }

    #[test]
    fn prefixed_documents_are_read_too() {
        let text = SMALL
            .replace("<model xmlns=", "<a:model xmlns:a=")
            .replace("</model>", "</a:model>")
            .replace("<name", "<a:name")
            .replace("</name>", "</a:name>")
            .replace("<element", "<a:element")
            .replace("</element", "</a:element");
        let doc = parse_bytes(text.as_bytes(), DEFAULT_LIMIT).unwrap();
        assert_eq!(doc.elements.len(), 1);
        assert_eq!(doc.names[0].text, "Test & more");
    }
}
