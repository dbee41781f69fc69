//! Writes a [`Doc`] as an ArchiMate 3.x exchange file, in the order the Open Group schema asks
//! for, indented, in UTF-8. Characters XML 1.0 cannot hold are replaced, never written raw.

use crate::doc::{Concept, Content, Doc, LangString, NAMESPACE, Node, Property, XSI};

pub fn write(doc: &Doc) -> String {
    let mut w = Writer {
        out: String::with_capacity(1 << 16),
    };
    w.out
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let mut attrs = vec![
        ("xmlns".to_owned(), NAMESPACE.to_owned()),
        ("identifier".to_owned(), doc.id.clone()),
    ];
    if !doc.attributes.iter().any(|(k, _)| k == "xmlns:xsi") {
        attrs.insert(1, ("xmlns:xsi".to_owned(), XSI.to_owned()));
    }
    attrs.splice(1..1, doc.attributes.iter().cloned());
    w.open("model", &attrs, 0);
    w.texts("name", &doc.names, 1);
    w.texts("documentation", &doc.documentation, 1);
    for n in &doc.extra {
        w.node(n, 1);
    }
    w.properties(&doc.properties, 1);
    if let Some(m) = &doc.metadata {
        w.node(m, 1);
    }
    w.concepts("elements", "element", &doc.elements);
    w.concepts("relationships", "relationship", &doc.relationships);
    for o in &doc.organizations {
        w.node(o, 1);
    }
    if !doc.property_definitions.is_empty() {
        w.open("propertyDefinitions", &[], 1);
        for d in &doc.property_definitions {
            let attrs = [
                ("identifier".to_owned(), d.id.clone()),
                ("type".to_owned(), d.kind.clone()),
            ];
            w.open("propertyDefinition", &attrs, 2);
            w.texts("name", &d.names, 3);
            w.close("propertyDefinition", 2);
        }
        w.close("propertyDefinitions", 1);
    }
    if let Some(v) = &doc.views {
        w.node(v, 1);
    }
    w.close("model", 0);
    w.out
}

struct Writer {
    out: String,
}

impl Writer {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, name: &str, attrs: &[(String, String)], depth: usize) {
        self.indent(depth);
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true);
            self.out.push('"');
        }
    }

    fn open(&mut self, name: &str, attrs: &[(String, String)], depth: usize) {
        self.start(name, attrs, depth);
        self.out.push_str(">\n");
    }

    fn close(&mut self, name: &str, depth: usize) {
        self.indent(depth);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn text_element(&mut self, name: &str, attrs: &[(String, String)], text: &str, depth: usize) {
        self.start(name, attrs, depth);
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn texts(&mut self, name: &str, texts: &[LangString], depth: usize) {
        for t in texts {
            let attrs: Vec<(String, String)> = t
                .lang
                .iter()
                .map(|l| ("xml:lang".to_owned(), l.clone()))
                .collect();
            self.text_element(name, &attrs, &t.text, depth);
        }
    }

    fn properties(&mut self, props: &[Property], depth: usize) {
        if props.is_empty() {
            return;
        }
        self.open("properties", &[], depth);
        for p in props {
            let attrs = [("propertyDefinitionRef".to_owned(), p.definition.clone())];
            self.open("property", &attrs, depth + 1);
            self.texts("value", &p.values, depth + 2);
            self.close("property", depth + 1);
        }
        self.close("properties", depth);
    }

    fn concepts(&mut self, section: &str, item: &str, list: &[Concept]) {
        if list.is_empty() {
            return;
        }
        self.open(section, &[], 1);
        for c in list {
            let mut attrs = vec![
                ("identifier".to_owned(), c.id.clone()),
                ("xsi:type".to_owned(), c.kind.clone()),
            ];
            if let (Some(s), Some(t)) = (&c.source, &c.target) {
                attrs.push(("source".to_owned(), s.clone()));
                attrs.push(("target".to_owned(), t.clone()));
            }
            attrs.extend(c.attributes.iter().cloned());
            if c.names.is_empty()
                && c.documentation.is_empty()
                && c.properties.is_empty()
                && c.extra.is_empty()
            {
                self.start(item, &attrs, 2);
                self.out.push_str(" />\n");
                continue;
            }
            self.open(item, &attrs, 2);
            self.texts("name", &c.names, 3);
            self.texts("documentation", &c.documentation, 3);
            for n in &c.extra {
                self.node(n, 3);
            }
            self.properties(&c.properties, 3);
            self.close(item, 2);
        }
        self.close(section, 1);
    }

    fn node(&mut self, n: &Node, depth: usize) {
        if n.children.is_empty() {
            self.start(&n.name, &n.attributes, depth);
            self.out.push_str(" />\n");
            return;
        }
        if n.children.iter().all(|c| matches!(c, Content::Text(_))) {
            self.text_element(&n.name, &n.attributes, &n.text(), depth);
            return;
        }
        self.open(&n.name, &n.attributes, depth);
        for c in &n.children {
            match c {
                Content::Node(child) => self.node(child, depth + 1),
                Content::Text(t) => {
                    self.indent(depth + 1);
                    escape_into(&mut self.out, t, false);
                    self.out.push('\n');
                }
            }
        }
        self.close(&n.name, depth);
    }
}

/// Escapes for XML; in attributes also the white space that attribute normalisation would
/// fold, and everywhere a carriage return, which a parser would otherwise drop.
fn escape_into(out: &mut String, s: &str, attribute: bool) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_carriage_returns_and_attributes_keep_line_breaks() {
        let mut s = String::new();
        escape_into(&mut s, "a\r\nb & <c>\u{1}", false);
        assert_eq!(s, "a&#13;\nb &amp; &lt;c&gt;\u{FFFD}");
        let mut s = String::new();
        escape_into(&mut s, "x\ny\"", true);
        assert_eq!(s, "x&#10;y&quot;");
    }
}
