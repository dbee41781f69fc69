//! Import speed: a 10,000-element exchange file (500 value streams of 9 stages, 4,000
//! capabilities, 1,000 application components, 14,000 relationships) read into a model.
//! Floor: under 1 s.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use tributary_interchange::{Mapping, archimate};

fn file() -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<model xmlns=\"http://www.opengroup.org/xsd/archimate/3.0/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" identifier=\"m\">\n<name xml:lang=\"en\">Bench</name>\n<elements>\n",
    );
    let el = |x: &mut String, id: &str, kind: &str, name: &str, pt: Option<usize>| {
        let props = pt.map_or(String::new(), |v| {
            format!("<properties><property propertyDefinitionRef=\"pt\"><value>{v}</value></property><property propertyDefinitionRef=\"wt\"><value>{}</value></property></properties>", v * 3)
        });
        writeln!(x, "<element identifier=\"{id}\" xsi:type=\"{kind}\"><name xml:lang=\"en\">{name}</name>{props}</element>").unwrap();
    };
    for s in 0..500 {
        el(
            &mut x,
            &format!("s{s}"),
            "ValueStream",
            &format!("Stream {s}"),
            None,
        );
        for k in 0..9 {
            el(
                &mut x,
                &format!("s{s}-{k}"),
                "ValueStream",
                &format!("Stage {k} of {s}"),
                Some(k % 5),
            );
        }
    }
    for c in 0..4000 {
        el(
            &mut x,
            &format!("c{c}"),
            "Capability",
            &format!("Capability {c}"),
            None,
        );
    }
    for a in 0..1000 {
        el(
            &mut x,
            &format!("a{a}"),
            "ApplicationComponent",
            &format!("Component {a}"),
            None,
        );
    }
    x.push_str("</elements>\n<relationships>\n");
    let rel = |x: &mut String, id: String, kind: &str, s: String, t: String| {
        writeln!(
            x,
            "<relationship identifier=\"{id}\" xsi:type=\"{kind}\" source=\"{s}\" target=\"{t}\"/>"
        )
        .unwrap();
    };
    for s in 0..500 {
        for k in 0..9 {
            rel(
                &mut x,
                format!("comp{s}-{k}"),
                "Composition",
                format!("s{s}"),
                format!("s{s}-{k}"),
            );
            if k > 0 {
                rel(
                    &mut x,
                    format!("flow{s}-{k}"),
                    "Flow",
                    format!("s{s}-{}", k - 1),
                    format!("s{s}-{k}"),
                );
            }
            let c = (s * 9 + k) % 4000;
            rel(
                &mut x,
                format!("serv{s}-{k}"),
                "Serving",
                format!("c{c}"),
                format!("s{s}-{k}"),
            );
        }
    }
    for a in 0..1000 {
        rel(
            &mut x,
            format!("real{a}"),
            "Realization",
            format!("a{a}"),
            format!("c{}", a * 4),
        );
    }
    x.push_str("</relationships>\n<propertyDefinitions><propertyDefinition identifier=\"pt\" type=\"number\"><name>Process time</name></propertyDefinition><propertyDefinition identifier=\"wt\" type=\"number\"><name>Wait time</name></propertyDefinition></propertyDefinitions>\n</model>\n");
    x
}

fn bench(c: &mut Criterion) {
    let xml = file();
    let r = archimate::read(xml.as_bytes(), &Mapping::default()).unwrap();
    assert_eq!(
        (
            r.report.streams,
            r.report.stages,
            r.report.pbcs,
            r.report.assignments
        ),
        (500, 4500, 4000, 4500)
    );
    c.bench_function("import 10,000-element exchange file", |b| {
        b.iter(|| archimate::read(xml.as_bytes(), &Mapping::default()).unwrap())
    });
    c.bench_function("export the same model with what it kept", |b| {
        b.iter(|| archimate::write(&r.model, Some(&r.kept)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
