//! Bad input: each a clear error that says where and what, and no model at all.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;

use common::*;
use tributary_interchange::{At, Error, Mapping, archimate};

fn err(bytes: &[u8]) -> Error {
    archimate::read(bytes, &Mapping::default()).unwrap_err()
}

fn sample() -> String {
    String::from_utf8(read_external(REAL[1])).unwrap()
}

#[test]
fn text_that_is_not_xml_says_so() {
    let e = err(b"ID,Type,Name\nid-1,BusinessActor,Bob\n");
    assert!(matches!(e, Error::NotXml { .. }), "{e}");
    assert!(e.to_string().contains("not XML"), "{e}");
    let e = err(&[0u8, 159, 146, 150, 1, 2, 3]);
    assert!(e.to_string().contains("not XML"), "{e}");
}

#[test]
fn a_truncated_file_names_the_line() {
    let text = sample();
    let half = &text[..text[..text.len() / 2].rfind('\n').unwrap() + 1];
    match err(half.as_bytes()) {
        Error::NotXml {
            at: At::Line { line, .. },
            message,
        } => {
            let expected = half.matches('\n').count() as u64 + 1;
            assert_eq!(line, expected);
            assert!(message.contains("ends in the middle"), "{message}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn mismatched_tags_name_the_line() {
    let text = sample().replace(
        "</documentation>\n    </element>\n    <element identifier=\"id-89c22226\"",
        "</documentation>\n    </elementx>\n    <element identifier=\"id-89c22226\"",
    );
    match err(text.as_bytes()) {
        Error::NotXml {
            at: At::Line { line, .. },
            ..
        } => assert_eq!(line, 8),
        other => panic!("{other}"),
    }
}

#[test]
fn the_21_namespace_and_unknown_ones_say_which_versions_are_read() {
    let old = sample().replace(
        "xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\"",
        "xmlns=\"http://www.opengroup.org/xsd/archimate\"",
    );
    let e = err(old.as_bytes()).to_string();
    assert!(e.contains("2.1") && e.contains("3.0, 3.1 and 3.2"), "{e}");
    let other = sample().replace(
        "http://www.opengroup.org/xsd/archimate/3.0/\" xmlns:xsi",
        "urn:example:not-archimate\" xmlns:xsi",
    );
    let e = err(other.as_bytes()).to_string();
    assert!(
        e.contains("urn:example:not-archimate") && e.contains("3.0, 3.1 and 3.2"),
        "{e}"
    );
    // 3.1 and 3.2 namespaces are read.
    for v in ["3.1", "3.2"] {
        let t = sample().replace(
            "archimate/3.0/\" xmlns:xsi",
            &format!("archimate/{v}/\" xmlns:xsi"),
        );
        assert!(
            archimate::read(t.as_bytes(), &Mapping::default()).is_ok(),
            "{v}"
        );
    }
}

#[test]
fn a_relationship_to_a_missing_element_names_both() {
    let text = sample().replace("target=\"id-89c22226\"", "target=\"id-gone\"");
    let e = err(text.as_bytes());
    assert!(matches!(e, Error::MissingEnd { .. }), "{e}");
    let e = e.to_string();
    assert!(
        e.contains("id-52b86b7b") && e.contains("id-gone") && e.contains("target"),
        "{e}"
    );
}

#[test]
fn duplicate_identifiers_are_refused() {
    let text = sample()
        .replace("identifier=\"id-89c22226\"", "identifier=\"id-37d5bc4b\"")
        .replace("target=\"id-89c22226\"", "target=\"id-37d5bc4b\"");
    assert!(matches!(err(text.as_bytes()), Error::DuplicateId(id) if id == "id-37d5bc4b"));
}

#[test]
fn an_xml_bomb_is_refused_before_anything_expands() {
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE model [\n <!ENTITY a \"aaaaaaaaaa\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "a".to_owned()
        } else {
            format!("a{}", i - 1)
        };
        bomb.push_str(&format!(
            " <!ENTITY a{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>\n<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" identifier=\"m\"><name>&a9;</name></model>\n");
    let started = std::time::Instant::now();
    let e = err(bomb.as_bytes());
    assert!(started.elapsed().as_secs() < 1);
    assert!(
        matches!(
            e,
            Error::Dtd {
                at: At::Line { line: 2, .. }
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("DTD"), "{e}");
    // Without the DOCTYPE the reference alone is refused too.
    let e = err(b"<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" identifier=\"m\"><name>&a9;</name></model>");
    assert!(
        matches!(e, Error::Entity { ref name, .. } if name == "a9"),
        "{e}"
    );
}

#[test]
fn an_unknown_entity_in_an_attribute_is_refused() {
    let e = err(
        b"<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" identifier=\"&x;\"></model>",
    );
    assert!(e.to_string().contains("&x;"), "{e}");
}

#[test]
fn a_file_past_the_limit_stops_with_its_size() {
    let text = sample();
    let e = archimate::read_from(text.as_bytes(), &Mapping::default(), 300).unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 300 }), "{e}");
}

/// An exchange file of `elements` value-stream stages generated as it is read, never held
/// whole: `<element>`s in streams of ten, with compositions and flows.
pub struct Generated {
    elements: usize,
    at: usize,
    part: u8,
    pending: Vec<u8>,
}

impl Generated {
    pub fn new(elements: usize) -> Self {
        Generated {
            elements,
            at: 0,
            part: 0,
            pending: Vec::new(),
        }
    }

    fn next_chunk(&mut self) -> Option<Vec<u8>> {
        let n = self.elements;
        let s = match self.part {
            0 => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" identifier=\"m\">\n<name>Generated</name>\n<elements>\n".to_owned(),
            1 if self.at < n => {
                let i = self.at;
                self.at += 1;
                let kind = if i.is_multiple_of(10) { "stream" } else { "stage" };
                format!("<element identifier=\"e{i}\" xsi:type=\"ValueStream\"><name xml:lang=\"en\">{kind} {i} with a name of ordinary length</name><documentation>What happens at {i}, described in a sentence or two as architects do.</documentation><properties><property propertyDefinitionRef=\"pt\"><value>{}</value></property></properties></element>\n", i % 7)
            }
            1 => {
                self.part = 2;
                self.at = 0;
                "</elements>\n<relationships>\n".to_owned()
            }
            2 if self.at < n => {
                let i = self.at;
                self.at += 1;
                if i.is_multiple_of(10) {
                    String::new()
                } else {
                    let head = i - i % 10;
                    let mut s = format!("<relationship identifier=\"c{i}\" xsi:type=\"Composition\" source=\"e{head}\" target=\"e{i}\"/>\n");
                    if i % 10 > 1 {
                        s.push_str(&format!("<relationship identifier=\"f{i}\" xsi:type=\"Flow\" source=\"e{}\" target=\"e{i}\"/>\n", i - 1));
                    }
                    s
                }
            }
            2 => {
                self.part = 3;
                "</relationships>\n<propertyDefinitions><propertyDefinition identifier=\"pt\" type=\"number\"><name>Process time</name></propertyDefinition></propertyDefinitions>\n</model>\n".to_owned()
            }
            _ => return None,
        };
        if self.part == 0 {
            self.part = 1;
        }
        Some(s.into_bytes())
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            match self.next_chunk() {
                Some(c) => self.pending = c,
                None => return Ok(0),
            }
        }
        let k = self.pending.len().min(buf.len());
        buf[..k].copy_from_slice(&self.pending[..k]);
        self.pending.drain(..k);
        Ok(k)
    }
}

#[test]
fn a_generated_file_reads_as_its_parts_say() {
    // 100 elements: 10 streams of 1 + 9 stages, each a line (flows 1->2 .. 8->9, stage 1 first).
    let r = archimate::read_from(Generated::new(100), &Mapping::default(), 1 << 30).unwrap();
    assert_eq!((r.report.streams, r.report.stages), (10, 90));
    assert!(r.model.streams.iter().all(|s| s.edges.is_empty()));
    assert_eq!(r.model.streams[0].stages[2].process_time, 3.0);
}

/// The 200 MB file: streamed, never held as text. Run with
/// `/usr/bin/time -v cargo test -p tributary-interchange --release --test bad_input -- --ignored`
/// and read "Maximum resident set size" (figures in docs/interchange.md).
#[test]
#[ignore]
fn a_200_mb_file_streams() {
    let mut counter = Generated::new(420_000);
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = counter.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        bytes += n as u64;
    }
    assert!(bytes > 200_000_000, "{bytes} bytes");
    let started = std::time::Instant::now();
    let r = archimate::read_from(Generated::new(420_000), &Mapping::default(), 1 << 30).unwrap();
    eprintln!(
        "{bytes} bytes read in {:?}: {} streams, {} stages",
        started.elapsed(),
        r.report.streams,
        r.report.stages
    );
    assert_eq!(r.report.streams, 42_000);
    // Too large for the limit: refused with the limit named, nothing imported.
    let e = archimate::read_from(Generated::new(420_000), &Mapping::default(), 100_000_000)
        .unwrap_err();
    assert!(matches!(e, Error::TooLarge { limit: 100_000_000 }), "{e}");
}
