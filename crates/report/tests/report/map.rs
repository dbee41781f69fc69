//! The map as SVG and PNG: valid XML, one group per stage, user text escaped, the layout rule.

use tributary_core::format::number;
use tributary_core::metrics;
use tributary_report::{MapOptions, map_png, map_svg};

use crate::common::*;

fn stage_groups<'a>(doc: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("stage"))
        .collect()
}

fn options(stream: &str) -> MapOptions {
    MapOptions {
        stream: Some(stream.into()),
        ..MapOptions::default()
    }
}

#[test]
fn every_example_map_is_valid_svg_with_one_node_per_stage() {
    for (name, model) in examples() {
        let mm = metrics::compute(&model).unwrap();
        for (stream, sm) in model.streams.iter().zip(&mm.streams) {
            let svg = map_svg(&model, &options(&stream.id)).unwrap();
            let doc =
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: not XML: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "svg");
            let groups = stage_groups(&doc);
            assert_eq!(groups.len(), stream.stages.len(), "{name}");
            // stable ids by position, and the model's stage id alongside
            for (k, (g, st)) in groups.iter().zip(&stream.stages).enumerate() {
                assert_eq!(g.attribute("id"), Some(format!("stage-{k}").as_str()));
                assert_eq!(g.attribute("data-stage"), Some(st.id.as_str()));
            }
            // the summary box carries the engine's totals
            let texts: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            let lt = format!("{} {}", number(sm.lead_time), model.time_unit.suffix());
            assert!(texts.contains(&lt.as_str()), "{name}: {lt} not on the map");
            let wait = |st: &tributary_core::metrics::StageMetrics| {
                format!("{} {}", number(st.wait_time), model.time_unit.suffix())
            };
            for st in &sm.stages {
                assert!(
                    texts.contains(&wait(st).as_str()),
                    "{name}: queue of {}",
                    st.name
                );
            }
        }
    }
}

#[test]
fn user_text_is_escaped_in_the_svg() {
    let mut model = e1_e2();
    model.streams[0].stages[0].name = "<script>alert('x')</script>".into();
    model.streams[0].stages[1].name = "A & B \"quoted\" <b>".into();
    model.streams[0].stages[2].id = "id\"with<quote>".into();
    // keep the scenario pointing at the renamed stage
    if let tributary_core::model::Change::SetStage { stage, .. } =
        &mut model.scenarios[0].changes[0]
    {
        *stage = "id\"with<quote>".into();
    }
    let svg = map_svg(&model, &options("e1")).unwrap();
    assert!(!svg.contains("<script"), "raw markup in the SVG");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("script"))
            .count(),
        0
    );
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    assert!(
        texts.iter().any(|t| t == "<script>alert('x')</script>"),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "A & B \"quoted\" <b>"),
        "{texts:?}"
    );
    let ids: Vec<&str> = stage_groups(&doc)
        .iter()
        .filter_map(|g| g.attribute("data-stage"))
        .collect();
    assert_eq!(ids[2], "id\"with<quote>");
}

/// REFERENCE.md E4: parallel branches stand in one column, stacked; the others in flow order.
#[test]
fn parallel_branches_are_stacked_in_one_column() {
    let model = e4();
    let svg = map_svg(&model, &options("e4")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    // the process box is the first rect of each stage group after the queue
    let origin = |g: &roxmltree::Node| -> (f64, f64) {
        let r = g.children().find(|n| n.has_tag_name("rect")).unwrap();
        (
            r.attribute("x").unwrap().parse().unwrap(),
            r.attribute("y").unwrap().parse().unwrap(),
        )
    };
    let at: Vec<(f64, f64)> = stage_groups(&doc).iter().map(origin).collect();
    let (start, b1, b2, end) = (at[0], at[1], at[2], at[3]);
    assert_eq!(b1.0, b2.0, "B1 and B2 share a column");
    assert!(b2.1 > b1.1, "B2 is stacked below B1");
    assert!(start.0 < b1.0 && b1.0 < end.0, "columns in flow order");
    assert_eq!(start.1, b1.1);
    assert_eq!(end.1, b1.1);
}

#[test]
fn the_png_is_the_svg_rasterised() {
    let model = e4();
    let svg = map_svg(&model, &options("e4")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let vb: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let png = map_png(&model, &options("e4"), 2.0).unwrap();
    let (w, h) = png_size(&png);
    assert_eq!(w, (vb[2] * 2.0).ceil() as u32);
    assert_eq!(h, (vb[3] * 2.0).ceil() as u32);
}

#[test]
fn a_very_long_stream_is_drawn_smaller_not_larger_than_the_pixel_cap() {
    // 300 stages wrap into bands some 20,000 points tall: at 2 pixels a point that would be
    // about 170 million pixels (680 MB to draw); the picture is scaled to the cap instead.
    let model = tributary_core::testkit::large_model(1, 300, 40, 600);
    let opts = options("stream-0");
    let svg = map_svg(&model, &opts).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let vb: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(
        vb[2] * vb[3] * 4.0 > f64::from(tributary_report::MAX_PIXELS),
        "{vb:?}"
    );
    let (w, h) = png_size(&map_png(&model, &opts, 2.0).unwrap());
    let pixels = f64::from(w) * f64::from(h);
    assert!(
        pixels <= f64::from(tributary_report::MAX_PIXELS) * 1.001,
        "{w} x {h}"
    );
    assert!(
        pixels > f64::from(tributary_report::MAX_PIXELS) * 0.99,
        "{w} x {h}: drawn at the cap"
    );
    // the same shape
    let (want, got) = (vb[2] / vb[3], f64::from(w) / f64::from(h));
    assert!((want - got).abs() / want < 0.01, "{want} vs {got}");
}

#[test]
fn a_long_stream_wraps_into_bands() {
    let model = tributary_core::testkit::large_model(1, 300, 40, 600);
    let svg = map_svg(&model, &options("stream-0")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(stage_groups(&doc).len(), 300);
    let ladders = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("ladder"))
        .count();
    // 300 columns and the summary box, 8 to a band
    assert_eq!(ladders, 301_usize.div_ceil(8));
    let width: f64 = doc
        .root_element()
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        width < 1_600.0,
        "bands keep the picture slide-shaped: {width}"
    );
}

/// Every line of text lies inside the picture, the legend's last line (the planned changes of a
/// scenario) included: the PNG once cut off the legend's last line.
#[test]
fn the_legend_fits_inside_the_picture() {
    for (name, model) in examples() {
        let Some(sc) = model.scenarios.first() else {
            continue;
        };
        let opts = MapOptions {
            stream: Some(model.streams[0].id.clone()),
            scenario: Some(sc.id.clone()),
            ..MapOptions::default()
        };
        let svg = map_svg(&model, &opts).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let height: f64 = doc
            .root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .nth(3)
            .unwrap()
            .parse()
            .unwrap();
        // each text's baseline, plus a descender of a third of its size, within the height
        let lowest = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let y: f64 = n.attribute("y").unwrap().parse().unwrap();
                let size: f64 = n
                    .attribute("font-size")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(8.0);
                y + size / 3.0
            })
            .fold(0.0, f64::max);
        assert!(
            lowest <= height,
            "{name}: text reaches {lowest:.1}, the picture ends at {height:.1}"
        );
    }
}
