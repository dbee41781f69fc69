//! The exchange format's identifiers are XML IDs (a letter or `_` first, no spaces). Archi's
//! CSV ids such as `862677a6` are not: they are renamed `id-862677a6` on the way out, with
//! every reference to them.

use std::collections::{HashMap, HashSet};

use crate::doc::Doc;
use crate::view;

pub fn is_xml_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub fn make_valid(doc: &mut Doc) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut all = vec![doc.id.clone()];
    all.extend(
        doc.elements
            .iter()
            .chain(&doc.relationships)
            .map(|c| c.id.clone()),
    );
    all.extend(doc.property_definitions.iter().map(|d| d.id.clone()));
    let mut in_trees = HashSet::new();
    for n in doc.views.iter().chain(&doc.organizations) {
        view::identifiers(n, &mut in_trees);
    }
    all.extend(in_trees);
    taken.extend(all.iter().cloned());
    let mut map = HashMap::new();
    for id in all.iter().filter(|id| !is_xml_id(id)) {
        let clean: String = id
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let base = format!("id-{clean}");
        let mut new = base.clone();
        let mut n = 2;
        while taken.contains(&new) {
            new = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(new.clone());
        map.insert(id.clone(), new);
    }
    if map.is_empty() {
        return;
    }
    let rename = |s: &mut String| {
        if let Some(n) = map.get(s.as_str()) {
            *s = n.clone();
        }
    };
    rename(&mut doc.id);
    for c in doc.elements.iter_mut().chain(doc.relationships.iter_mut()) {
        rename(&mut c.id);
        c.source.as_mut().map(rename);
        c.target.as_mut().map(rename);
        for p in &mut c.properties {
            rename(&mut p.definition);
        }
    }
    for p in &mut doc.properties {
        rename(&mut p.definition);
    }
    for d in &mut doc.property_definitions {
        rename(&mut d.id);
    }
    for n in doc.views.iter_mut().chain(doc.organizations.iter_mut()) {
        view::rename_in(n, &map);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_ids_start_with_a_letter() {
        assert!(is_xml_id("id-1544"));
        assert!(is_xml_id("_x"));
        assert!(!is_xml_id("862677a6"));
        assert!(!is_xml_id("a b"));
        assert!(!is_xml_id(""));
    }
}
