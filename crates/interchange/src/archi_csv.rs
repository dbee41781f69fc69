//! Archi's CSV format: `elements.csv` (`ID, Type, Name, Documentation, Specialization`, with
//! an optional `ArchimateModel` row for the model), `relations.csv` (`..., Source, Target, ...`)
//! and `properties.csv` (`ID, Key, Value`). Read with Archi's conventions: a comma, semicolon or
//! tab delimiter, `#` comment lines, quoted multi-line values, blank ids (generated), a later
//! row with the same id replacing the earlier one. It has no views: those stay in an exchange
//! file.

use std::collections::HashMap;

use tributary_core::Model;

use crate::doc::{Concept, Doc, LangString, Property, PropertyDefinition, pick_text};
use crate::error::{Error, Result};
use crate::kept::{Imported, Kept, Mapping};
use crate::{archimate, export, import};

/// The three files, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFiles {
    pub elements: String,
    pub relations: String,
    pub properties: String,
}

const MODEL_TYPE: &str = "ArchimateModel";
const ELEMENTS_HEADER: [&str; 5] = ["ID", "Type", "Name", "Documentation", "Specialization"];
const RELATIONS_HEADER: [&str; 7] = [
    "ID",
    "Type",
    "Name",
    "Documentation",
    "Source",
    "Target",
    "Specialization",
];
const PROPERTIES_HEADER: [&str; 3] = ["ID", "Key", "Value"];

/// Element types of ArchiMate 3.1 as the exchange format names them. Archi's CSV writes
/// `Junction` for both junctions.
const ELEMENT_TYPES: [&str; 61] = [
    "BusinessActor",
    "BusinessRole",
    "BusinessCollaboration",
    "BusinessInterface",
    "BusinessProcess",
    "BusinessFunction",
    "BusinessInteraction",
    "BusinessEvent",
    "BusinessService",
    "BusinessObject",
    "Contract",
    "Representation",
    "Product",
    "ApplicationComponent",
    "ApplicationCollaboration",
    "ApplicationInterface",
    "ApplicationFunction",
    "ApplicationInteraction",
    "ApplicationProcess",
    "ApplicationEvent",
    "ApplicationService",
    "DataObject",
    "Node",
    "Device",
    "SystemSoftware",
    "TechnologyCollaboration",
    "TechnologyInterface",
    "Path",
    "CommunicationNetwork",
    "TechnologyFunction",
    "TechnologyProcess",
    "TechnologyInteraction",
    "TechnologyEvent",
    "TechnologyService",
    "Artifact",
    "Equipment",
    "Facility",
    "DistributionNetwork",
    "Material",
    "Stakeholder",
    "Driver",
    "Assessment",
    "Goal",
    "Outcome",
    "Principle",
    "Requirement",
    "Constraint",
    "Meaning",
    "Value",
    "Resource",
    "Capability",
    "CourseOfAction",
    "ValueStream",
    "WorkPackage",
    "Deliverable",
    "ImplementationEvent",
    "Plateau",
    "Gap",
    "Grouping",
    "Location",
    "AndJunction",
];
const RELATION_TYPES: [&str; 11] = [
    "Composition",
    "Aggregation",
    "Assignment",
    "Realization",
    "Serving",
    "Access",
    "Influence",
    "Triggering",
    "Flow",
    "Specialization",
    "Association",
];

/// Reads Archi's CSV files into a model, keeping every row for export.
pub fn read(
    elements: &[u8],
    relations: Option<&[u8]>,
    properties: Option<&[u8]>,
    mapping: &Mapping,
) -> Result<Imported> {
    let mut warnings = Vec::new();
    let doc = to_doc(elements, relations, properties, &mut warnings)?;
    let mut imported = archimate::imported(doc, mapping)?;
    warnings.append(&mut imported.report.warnings);
    imported.report.warnings = warnings;
    Ok(imported)
}

/// Writes the model (and what an import kept) as Archi's three CSV files.
pub fn write(model: &Model, kept: Option<&Kept>) -> Result<CsvFiles> {
    let doc = export::build_doc(model, kept)?;
    let lang = kept.and_then(|k| k.mapping.language.as_deref());
    from_doc(&doc, lang)
}

/// One row as read: its line, for messages, and its fields.
struct Row {
    line: u64,
    fields: Vec<String>,
}

fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        // Spreadsheet programs on Windows save CSV in windows-1252.
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The delimiter Archi would find: the one that splits the header into its columns.
fn delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|l| !l.starts_with('#'))
        .unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.matches(char::from(*d)).count())
        .unwrap_or(b',')
}

fn rows(file: &'static str, bytes: &[u8], header: &[&str]) -> Result<Vec<Row>> {
    let text = text_of(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        // The reader's own line numbers lag behind on CRLF files; count from the byte offset.
        let line_at = |byte: u64| {
            let b = text.as_bytes();
            let mut at = (byte as usize).min(b.len());
            while at < b.len() && matches!(b[at], b'\r' | b'\n') {
                at += 1;
            }
            b[..at].iter().filter(|&&c| c == b'\n').count() as u64 + 1
        };
        let rec = rec.map_err(|e| Error::Csv {
            file,
            line: e.position().map_or(0, |p| line_at(p.byte())),
            message: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        let fields: Vec<String> = rec.iter().map(str::to_owned).collect();
        let is_header = fields.len() >= header.len() - 1
            && header
                .iter()
                .zip(&fields)
                .all(|(h, f)| h.eq_ignore_ascii_case(f.trim()));
        if i == 0 && is_header {
            continue;
        }
        if i == 0 {
            return Err(Error::Csv {
                file,
                line,
                message: format!("the first row should be the header {}", header.join(",")),
            });
        }
        // Archi's own files may leave out the last (specialization) column.
        if fields.len() + 1 < header.len() || fields.len() > header.len() {
            return Err(Error::Csv {
                file,
                line,
                message: format!(
                    "the row has {} columns; {} expected ({})",
                    fields.len(),
                    header.len(),
                    header.join(",")
                ),
            });
        }
        out.push(Row { line, fields });
    }
    Ok(out)
}

/// Names and property keys hold no line breaks or tabs in Archi: they become spaces.
fn normalise(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n', '\t'], " ")
}

struct Builder {
    doc: Doc,
    at: HashMap<String, (bool, usize, u64)>,
    generated: usize,
    warnings: Vec<String>,
}

impl Builder {
    fn id(&mut self, raw: &str, file: &'static str, line: u64) -> Result<String> {
        let id = raw.trim();
        if id.is_empty() {
            loop {
                self.generated += 1;
                let g = format!("id-csv-{}", self.generated);
                if !self.at.contains_key(&g) {
                    return Ok(g);
                }
            }
        }
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(Error::Csv {
                file,
                line,
                message: format!(
                    "the id {id:?} has characters Archi does not allow (letters, digits, - and _ only)"
                ),
            });
        }
        Ok(id.to_owned())
    }

    /// Adds a concept, or replaces the one with its id (a later row wins, as in Archi).
    fn put(&mut self, c: Concept, relation: bool, file: &'static str, line: u64) -> Result<()> {
        match self.at.get(&c.id).copied() {
            Some((was_relation, i, first)) if was_relation == relation => {
                self.warnings.push(format!("{file}, line {line}: the id {:?} is also on line {first}; the later row is kept", c.id));
                let list = if relation {
                    &mut self.doc.relationships
                } else {
                    &mut self.doc.elements
                };
                list[i] = c;
                Ok(())
            }
            Some(_) => Err(Error::Csv {
                file,
                line,
                message: format!("the id {:?} is both an element and a relation", c.id),
            }),
            None => {
                let list = if relation {
                    &mut self.doc.relationships
                } else {
                    &mut self.doc.elements
                };
                list.push(c.clone());
                self.at.insert(c.id, (relation, list.len() - 1, line));
                Ok(())
            }
        }
    }

    fn concept(&mut self, r: &Row, kind: String, file: &'static str) -> Result<Concept> {
        let mut c = Concept::new(self.id(&r.fields[0], file, r.line)?, kind);
        let name = normalise(&r.fields[2]);
        if !name.is_empty() {
            c.names.push(LangString::plain(name));
        }
        if !r.fields[3].is_empty() {
            c.documentation.push(LangString::plain(r.fields[3].clone()));
        }
        c.specialization = r
            .fields
            .get(if file == "relations.csv" { 6 } else { 4 })
            .filter(|s| !s.is_empty())
            .cloned();
        Ok(c)
    }

    fn element(&mut self, r: &Row) -> Result<()> {
        const FILE: &str = "elements.csv";
        let kind = r.fields[1].trim();
        if kind == MODEL_TYPE {
            if !r.fields[0].trim().is_empty() {
                self.doc.id = r.fields[0].trim().to_owned();
            }
            self.doc.names = vec![LangString::plain(normalise(&r.fields[2]))];
            self.doc.documentation = vec![LangString::plain(r.fields[3].clone())]
                .into_iter()
                .filter(|d| !d.text.is_empty())
                .collect();
            return Ok(());
        }
        let kind = if kind == "Junction" {
            "AndJunction"
        } else {
            kind
        };
        if !ELEMENT_TYPES.contains(&kind) {
            return Err(Error::Csv {
                file: FILE,
                line: r.line,
                message: format!("{kind:?} is not an ArchiMate element type"),
            });
        }
        let c = self.concept(r, kind.to_owned(), FILE)?;
        self.put(c, false, FILE, r.line)
    }

    fn relation(&mut self, r: &Row) -> Result<()> {
        const FILE: &str = "relations.csv";
        let raw = r.fields[1].trim();
        let kind = raw.strip_suffix("Relationship").unwrap_or(raw);
        if !RELATION_TYPES.contains(&kind) {
            return Err(Error::Csv {
                file: FILE,
                line: r.line,
                message: format!("{raw:?} is not an ArchiMate relationship type"),
            });
        }
        let mut c = self.concept(r, kind.to_owned(), FILE)?;
        c.source = Some(r.fields[4].trim().to_owned());
        c.target = Some(r.fields[5].trim().to_owned());
        self.put(c, true, FILE, r.line)
    }

    fn property(&mut self, r: &Row, defs: &mut HashMap<String, String>) -> Result<()> {
        const FILE: &str = "properties.csv";
        let id = r.fields[0].trim();
        let key = normalise(&r.fields[1]);
        let def = match defs.get(&key) {
            Some(d) => d.clone(),
            None => {
                let d = format!("propid-{}", defs.len() + 1);
                defs.insert(key.clone(), d.clone());
                self.doc.property_definitions.push(PropertyDefinition {
                    id: d.clone(),
                    kind: "string".into(),
                    names: vec![LangString::plain(key)],
                });
                d
            }
        };
        let p = Property {
            definition: def,
            values: vec![LangString::plain(normalise(
                r.fields.get(2).map_or("", |s| s),
            ))],
        };
        if id == self.doc.id {
            self.doc.properties.push(p);
            return Ok(());
        }
        let Some(&(relation, i, _)) = self.at.get(id) else {
            return Err(Error::Csv {
                file: FILE,
                line: r.line,
                message: format!("no element, relation or model has the id {id:?}"),
            });
        };
        let list = if relation {
            &mut self.doc.relationships
        } else {
            &mut self.doc.elements
        };
        list[i].properties.push(p);
        Ok(())
    }
}

/// The CSV files as an exchange document.
pub fn to_doc(
    elements: &[u8],
    relations: Option<&[u8]>,
    properties: Option<&[u8]>,
    warnings: &mut Vec<String>,
) -> Result<Doc> {
    let mut b = Builder {
        doc: Doc {
            id: "id-csv-model".into(),
            ..Doc::default()
        },
        at: HashMap::new(),
        generated: 0,
        warnings: Vec::new(),
    };
    for r in rows("elements.csv", elements, &ELEMENTS_HEADER)? {
        b.element(&r)?;
    }
    if let Some(rel) = relations {
        for r in rows("relations.csv", rel, &RELATIONS_HEADER)? {
            b.relation(&r)?;
        }
    }
    if let Some(props) = properties {
        let mut defs = HashMap::new();
        for r in rows("properties.csv", props, &PROPERTIES_HEADER)? {
            b.property(&r, &mut defs)?;
        }
    }
    import::check_doc(&b.doc)?;
    warnings.append(&mut b.warnings);
    Ok(b.doc)
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| Error::Io(std::io::Error::other(e)))
}

fn csv_err(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e))
}

/// An exchange document as Archi's CSV files (its views are not part of the format).
pub fn from_doc(doc: &Doc, lang: Option<&str>) -> Result<CsvFiles> {
    let text = |t: &[LangString]| pick_text(t, lang).unwrap_or_default();
    let mut e = writer();
    e.write_record(ELEMENTS_HEADER).map_err(csv_err)?;
    e.write_record([
        doc.id.as_str(),
        MODEL_TYPE,
        &text(&doc.names),
        &text(&doc.documentation),
        "",
    ])
    .map_err(csv_err)?;
    for c in &doc.elements {
        let kind = if c.kind.ends_with("Junction") {
            "Junction"
        } else {
            c.kind.as_str()
        };
        e.write_record([
            c.id.as_str(),
            kind,
            &text(&c.names),
            &text(&c.documentation),
            c.specialization.as_deref().unwrap_or(""),
        ])
        .map_err(csv_err)?;
    }
    let mut r = writer();
    r.write_record(RELATIONS_HEADER).map_err(csv_err)?;
    for c in &doc.relationships {
        let kind = format!("{}Relationship", c.kind);
        let (s, t) = (
            c.source.as_deref().unwrap_or(""),
            c.target.as_deref().unwrap_or(""),
        );
        r.write_record([
            c.id.as_str(),
            &kind,
            &text(&c.names),
            &text(&c.documentation),
            s,
            t,
            c.specialization.as_deref().unwrap_or(""),
        ])
        .map_err(csv_err)?;
    }
    let mut p = writer();
    p.write_record(PROPERTIES_HEADER).map_err(csv_err)?;
    let owners = std::iter::once((doc.id.as_str(), doc.properties.as_slice())).chain(
        doc.elements
            .iter()
            .chain(&doc.relationships)
            .map(|c| (c.id.as_str(), c.properties.as_slice())),
    );
    for (id, props) in owners {
        for (key, value) in doc.properties_of(props, lang) {
            p.write_record([id, &key, &value]).map_err(csv_err)?;
        }
    }
    Ok(CsvFiles {
        elements: finish(e)?,
        relations: finish(r)?,
        properties: finish(p)?,
    })
}
