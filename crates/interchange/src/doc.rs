//! The exchange document as read: every element, relationship, property, view, organisation and
//! metadata item of an ArchiMate exchange file (or of Archi's CSV), in the file's order.
//!
//! Tributary maps part of it onto its model and keeps the whole, so that an export writes back
//! what the architecture tool gave. Parts Tributary never interprets (views, organisations,
//! metadata, tool extensions) are kept as plain XML trees.

use serde::{Deserialize, Serialize};

/// The namespace Tributary writes (ArchiMate 3.0, 3.1 and 3.2 exchange files all use it).
pub const NAMESPACE: &str = "http://www.opengroup.org/xsd/archimate/3.0/";
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A text in one language (`xml:lang`), or in none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangString {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    pub text: String,
}

impl LangString {
    pub fn plain(text: impl Into<String>) -> LangString {
        LangString {
            lang: None,
            text: text.into(),
        }
    }
}

/// One property value of a concept: a reference to its definition (which holds the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    pub definition: String,
    pub values: Vec<LangString>,
}

/// A property key: `propertyDefinition` in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDefinition {
    pub id: String,
    /// The data type: string, boolean, currency, date, time or number.
    pub kind: String,
    pub names: Vec<LangString>,
}

/// An element or a relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    pub id: String,
    /// The `xsi:type`: `ValueStream`, `Capability`, `Flow`, ...
    pub kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<LangString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documentation: Vec<LangString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// Relationships only: the ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Attributes Tributary does not interpret (`accessType`, `isDirected`, a tool's own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    /// Child elements of other namespaces (tool extensions), kept as they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Node>,
    /// Archi's specialization (its CSV column); the exchange format has no place for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialization: Option<String>,
}

impl Concept {
    pub fn new(id: impl Into<String>, kind: impl Into<String>) -> Concept {
        Concept {
            id: id.into(),
            kind: kind.into(),
            names: Vec::new(),
            documentation: Vec::new(),
            properties: Vec::new(),
            source: None,
            target: None,
            attributes: Vec::new(),
            extra: Vec::new(),
            specialization: None,
        }
    }

    pub fn relationship(
        id: impl Into<String>,
        kind: impl Into<String>,
        source: &str,
        target: &str,
    ) -> Concept {
        let mut c = Concept::new(id, kind);
        c.source = Some(source.to_owned());
        c.target = Some(target.to_owned());
        c
    }
}

/// A plain XML element: views, organisations, metadata and extensions are kept as these.
/// Names of ArchiMate elements are their local names; others keep their prefix (`dc:title`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Content>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    Node(Node),
    Text(String),
}

impl Node {
    pub fn new(name: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn with_attr(mut self, name: &str, value: impl Into<String>) -> Node {
        self.attributes.push((name.to_owned(), value.into()));
        self
    }

    pub fn with_child(mut self, child: Node) -> Node {
        self.children.push(Content::Node(child));
        self
    }

    pub fn with_text(mut self, text: impl Into<String>) -> Node {
        self.children.push(Content::Text(text.into()));
        self
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Content::Node(n) => Some(n),
            Content::Text(_) => None,
        })
    }

    /// The text directly inside, concatenated.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Content::Text(t) => Some(t.as_str()),
                Content::Node(_) => None,
            })
            .collect()
    }
}

/// The whole exchange document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Doc {
    /// The model's `identifier`.
    pub id: String,
    /// Attributes of the root other than `identifier` and the default namespace
    /// (`xmlns:dc`, `xsi:schemaLocation`, `version`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<LangString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documentation: Vec<LangString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Node>,
    #[serde(default)]
    pub elements: Vec<Concept>,
    #[serde(default)]
    pub relationships: Vec<Concept>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub property_definitions: Vec<PropertyDefinition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub views: Option<Node>,
}

/// Picks the text in `lang` (or a regional variant of it, `en` for `en-GB`), else the one with
/// no language, else the first.
pub fn pick<'a>(texts: &'a [LangString], lang: Option<&str>) -> Option<&'a LangString> {
    let wanted = lang.map(str::to_ascii_lowercase);
    let matches = |l: &str, w: &str| {
        let l = l.to_ascii_lowercase();
        l == w || l.starts_with(&format!("{w}-")) || w.starts_with(&format!("{l}-"))
    };
    wanted
        .as_deref()
        .and_then(|w| {
            texts
                .iter()
                .find(|t| t.lang.as_deref().is_some_and(|l| matches(l, w)))
        })
        .or_else(|| texts.iter().find(|t| t.lang.is_none()))
        .or_else(|| texts.first())
}

pub fn pick_text(texts: &[LangString], lang: Option<&str>) -> Option<String> {
    pick(texts, lang).map(|t| t.text.clone())
}

/// Sets the text that [`pick`] would choose, or adds one when there is none; an empty `text`
/// with `None` removes the picked one.
pub fn set_picked(texts: &mut Vec<LangString>, lang: Option<&str>, text: Option<&str>) {
    let at = pick(texts, lang).and_then(|p| texts.iter().position(|t| std::ptr::eq(t, p)));
    match (at, text) {
        (Some(i), Some(t)) => texts[i].text = t.to_owned(),
        (Some(i), None) => {
            texts.remove(i);
        }
        (None, Some(t)) => texts.push(LangString {
            lang: lang.map(str::to_owned),
            text: t.to_owned(),
        }),
        (None, None) => {}
    }
}

impl Doc {
    /// The key of a property, in the chosen language.
    pub fn key_of(&self, definition: &str, lang: Option<&str>) -> Option<String> {
        self.property_definitions
            .iter()
            .find(|d| d.id == definition)
            .and_then(|d| pick_text(&d.names, lang))
    }

    /// Every property of a concept as (key, value) in the chosen language.
    pub fn properties_of(&self, props: &[Property], lang: Option<&str>) -> Vec<(String, String)> {
        props
            .iter()
            .filter_map(|p| {
                let key = self.key_of(&p.definition, lang)?;
                Some((key, pick_text(&p.values, lang).unwrap_or_default()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn texts() -> Vec<LangString> {
        vec![
            LangString {
                lang: Some("nl".into()),
                text: "Schade".into(),
            },
            LangString {
                lang: Some("en-GB".into()),
                text: "Damage".into(),
            },
        ]
    }

    #[test]
    fn the_users_language_wins_then_the_unqualified_then_the_first() {
        assert_eq!(pick_text(&texts(), Some("en")).unwrap(), "Damage");
        assert_eq!(pick_text(&texts(), Some("NL")).unwrap(), "Schade");
        assert_eq!(pick_text(&texts(), Some("fr")).unwrap(), "Schade");
        let mut t = texts();
        t.push(LangString::plain("Plain"));
        assert_eq!(pick_text(&t, Some("fr")).unwrap(), "Plain");
        assert_eq!(pick_text(&t, None).unwrap(), "Plain");
    }

    #[test]
    fn setting_changes_only_the_picked_language() {
        let mut t = texts();
        set_picked(&mut t, Some("en"), Some("Loss"));
        assert_eq!(t[0].text, "Schade");
        assert_eq!(t[1].text, "Loss");
        let mut empty = Vec::new();
        set_picked(&mut empty, Some("de"), Some("Schaden"));
        assert_eq!(empty[0].lang.as_deref(), Some("de"));
    }
}
