//! The mapping on a small value stream file written the way architects model one: stages
//! listed out of order, flows giving the order, a rework flow that loops back, properties in
//! several spellings, names in two languages, a capability realised by a component.
#![allow(clippy::unwrap_used)]

mod common;

use tributary_core::model::*;
use tributary_interchange::{Mapping, archimate};

const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
  <name xml:lang="en">Claims</name>
  <name xml:lang="nl">Schade</name>
  <elements>
    <element identifier="vs" xsi:type="ValueStream"><name xml:lang="en">Handle claim</name><name xml:lang="nl">Schade afhandelen</name>
      <properties><property propertyDefinitionRef="p-demand"><value>40</value></property></properties></element>
    <element identifier="pay" xsi:type="ValueStream"><name xml:lang="en">Pay</name><name xml:lang="nl">Betalen</name></element>
    <element identifier="reg" xsi:type="ValueStream"><name xml:lang="en">Register</name><name xml:lang="nl">Registreren</name>
      <properties>
        <property propertyDefinitionRef="p-pt"><value>0,5</value></property>
        <property propertyDefinitionRef="p-wt"><value>8</value></property>
        <property propertyDefinitionRef="p-ca"><value>90%</value></property>
        <property propertyDefinitionRef="p-colour"><value>blue</value></property>
      </properties></element>
    <element identifier="val" xsi:type="ValueStream"><name xml:lang="en">Valuate</name>
      <properties><property propertyDefinitionRef="p-pt"><value>two hours</value></property></properties></element>
    <element identifier="cap" xsi:type="Capability"><name xml:lang="en">Claims handling</name>
      <properties><property propertyDefinitionRef="p-cost"><value>€ 120,000</value></property>
        <property propertyDefinitionRef="p-life"><value>Invest</value></property></properties></element>
    <element identifier="app" xsi:type="ApplicationComponent"><name xml:lang="en">Claims system</name></element>
    <element identifier="actor" xsi:type="BusinessActor"><name xml:lang="en">Customer</name></element>
  </elements>
  <relationships>
    <relationship identifier="c1" xsi:type="Composition" source="vs" target="pay"/>
    <relationship identifier="c2" xsi:type="Composition" source="vs" target="reg"/>
    <relationship identifier="c3" xsi:type="Composition" source="vs" target="val"/>
    <relationship identifier="f1" xsi:type="Flow" source="reg" target="val"/>
    <relationship identifier="f2" xsi:type="Triggering" source="val" target="pay"/>
    <relationship identifier="f3" xsi:type="Flow" source="pay" target="reg"><name>rework</name></relationship>
    <relationship identifier="r1" xsi:type="Realization" source="app" target="cap"/>
    <relationship identifier="s1" xsi:type="Serving" source="cap" target="reg">
      <documentation>registration screens</documentation>
      <properties><property propertyDefinitionRef="p-wt"><value>0.25</value></property></properties></relationship>
    <relationship identifier="s2" xsi:type="Serving" source="app" target="val"/>
    <relationship identifier="s3" xsi:type="Serving" source="actor" target="pay"/>
  </relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="p-demand" type="number"><name>Demand</name></propertyDefinition>
    <propertyDefinition identifier="p-pt" type="string"><name>Process Time (h)</name></propertyDefinition>
    <propertyDefinition identifier="p-wt" type="string"><name>waiting time</name></propertyDefinition>
    <propertyDefinition identifier="p-ca" type="string"><name>%C&amp;A</name></propertyDefinition>
    <propertyDefinition identifier="p-colour" type="string"><name>Colour</name></propertyDefinition>
    <propertyDefinition identifier="p-cost" type="string"><name>Run cost</name></propertyDefinition>
    <propertyDefinition identifier="p-life" type="string"><name>TIME</name></propertyDefinition>
  </propertyDefinitions>
</model>"#;

fn read(m: &Mapping) -> tributary_interchange::Imported {
    archimate::read(FILE.as_bytes(), m).unwrap()
}

#[test]
fn stages_follow_the_flow_and_the_loop_is_kept_out_of_the_map() {
    let r = read(&Mapping::default());
    let s = &r.model.streams[0];
    let names: Vec<&str> = s.stages.iter().map(|s| s.name.as_str()).collect();
    // Listed Pay, Register, Valuate; the flows say Register -> Valuate -> Pay.
    assert_eq!(names, ["Register", "Valuate", "Pay"]);
    // A line in listed order: no edges needed.
    assert!(s.edges.is_empty());
    assert_eq!(s.demand_per_week, 40.0);
    assert!(
        r.report
            .warnings
            .iter()
            .any(|w| w.contains("f3") && w.contains("loop")),
        "{:?}",
        r.report.warnings
    );
}

#[test]
fn properties_become_fields_whatever_their_spelling() {
    let r = read(&Mapping::default());
    let reg = &r.model.streams[0].stages[0];
    assert_eq!((reg.process_time, reg.wait_time, reg.pca), (0.5, 8.0, 0.9));
    let val = &r.model.streams[0].stages[1];
    assert_eq!(val.process_time, 0.0);
    assert!(r.report.warnings.iter().any(|w| w.contains("two hours")));
    let pbc = &r.model.pbcs[0];
    assert_eq!(pbc.annual_run_cost, 120000.0);
    assert_eq!(pbc.lifecycle, Lifecycle::Invest);
    assert_eq!(pbc.systems, ["Claims system"]);
    assert!(r.report.kept_properties.iter().any(|c| c.name == "Colour"));
}

#[test]
fn serving_by_the_capability_or_its_system_assigns_the_pbc() {
    let r = read(&Mapping::default());
    let a: Vec<(&str, &str, f64, Option<&str>)> = r
        .model
        .assignments
        .iter()
        .map(|a| {
            (
                a.pbc.as_str(),
                a.stage.as_str(),
                a.wait_time,
                a.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        a,
        [
            (
                "claims-handling",
                "register",
                0.25,
                Some("registration screens")
            ),
            ("claims-handling", "valuate", 0.0, None)
        ]
    );
    assert_eq!(r.report.assignments, 2);
    // The actor serving Pay is not a PBC: kept only.
    assert!(
        r.report
            .kept_elements
            .iter()
            .any(|c| c.name == "BusinessActor")
    );
}

#[test]
fn the_users_language_names_things() {
    let nl = Mapping {
        language: Some("nl".into()),
        ..Mapping::default()
    };
    let r = read(&nl);
    assert_eq!(r.model.name, "Schade");
    assert_eq!(r.model.streams[0].name, "Schade afhandelen");
    // Valuate has no Dutch name: the first one is taken.
    assert_eq!(r.model.streams[0].stages[1].name, "Valuate");
    // Renaming in Tributary changes the Dutch name only.
    let mut m = r.model.clone();
    m.streams[0].name = "Claim afhandelen".into();
    let xml = archimate::write(&m, Some(&r.kept)).unwrap();
    assert!(xml.contains("<name xml:lang=\"nl\">Claim afhandelen</name>"));
    assert!(xml.contains("<name xml:lang=\"en\">Handle claim</name>"));
}

#[test]
fn components_as_pbcs_when_the_user_says_so() {
    let m = Mapping {
        pbc_types: vec!["ApplicationComponent".into()],
        ..Mapping::default()
    };
    let r = read(&m);
    let ids: Vec<&str> = r.model.pbcs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["claims-system"]);
    assert_eq!(r.model.assignments.len(), 1);
}

#[test]
fn edits_in_tributary_reach_the_file_and_deletions_take_their_references() {
    let r = read(&Mapping::default());
    let mut m = r.model.clone();
    m.streams[0].stages[0].wait_time = 6.0;
    // Remove Valuate: its element, composition, flows, serving and nothing else go.
    m.assignments.retain(|a| a.stage != "valuate");
    m.streams[0].stages.remove(1);
    let xml = archimate::write(&m, Some(&r.kept)).unwrap();
    common::assert_schema_valid(&xml, "the edited claims file");
    let back = archimate::read(xml.as_bytes(), &Mapping::default()).unwrap();
    let doc = &back.kept.doc;
    assert!(doc.elements.iter().all(|c| c.id != "val"));
    for gone in ["c3", "f1", "f2", "s2"] {
        assert!(
            doc.relationships.iter().all(|c| c.id != gone),
            "{gone} should be gone"
        );
    }
    // The rework flow, the actor's serving and the colour stay.
    for kept in ["f3", "s3", "r1"] {
        assert!(
            doc.relationships.iter().any(|c| c.id == kept),
            "{kept} should stay"
        );
    }
    let register = back.model.streams[0].stage("register").unwrap();
    assert_eq!(register.wait_time, 6.0);
    // The wait time was updated in place, in the file's own spelling.
    assert!(xml.contains("<value>6</value>"));
    assert_eq!(xml.matches("waiting time").count(), 1);
    assert_eq!(back.model.streams[0].stages.len(), 2);
}
