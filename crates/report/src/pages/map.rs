//! The value stream map pages: the map cut into bands drawn at one scale, as many bands to a
//! page as stay legible, with the legend under them and the caption and headline above.

use serde::Serialize;
use tributary_core::format::percent;

use super::{Meta, Subject};
use crate::map::MapInput;
use crate::scene::{Group, Scene};

/// Width and height of the drawing area of a landscape A4 page, in points (the template's
/// margins and headings taken off).
pub const MAP_AREA_W: f64 = 770.0;
pub const MAP_AREA_H: f64 = 440.0;

/// Most map columns in one band of a report page.
const COLUMNS_PER_BAND: usize = 6;

#[derive(Debug, Serialize)]
pub struct MapPages {
    pub caption: String,
    pub headline: String,
    /// Pages of bands; each band is a scene, with the scale it is drawn at.
    pub pages: Vec<Vec<Band>>,
    pub legend: Scene,
}

#[derive(Debug, Serialize)]
pub struct Band {
    pub scale: f64,
    pub scene: Scene,
}

/// The map pages of the report: caption, headline, the bands and the legend.
pub fn map_pages_of(s: &Subject, input: &MapInput, meta: &Meta) -> MapPages {
    let mapped_by = meta
        .author
        .as_deref()
        .map(|a| format!(" · mapped by {a}"))
        .unwrap_or_default();
    let date = &meta.date;
    let caption = match s.scenario {
        Some(sc) => format!(
            "Current state · {date}{mapped_by} · kaizen bursts mark the changes of scenario “{}”",
            sc.name
        ),
        None => format!("Current state · {date}{mapped_by}"),
    };
    let mut legend = Group::new("legend", "label");
    input.legend(&mut legend, 0.0, 0.0, MAP_AREA_W);
    let legend = Scene {
        width: MAP_AREA_W,
        height: 22.0 + 9.0 * input.kaizen_notes.len() as f64,
        groups: vec![legend],
    };
    let area_h = MAP_AREA_H - legend.height;
    let wait_share = percent(s.sm.wait_share());
    let headline = match &s.sm.bottleneck {
        // the engine's sentence starts with a stage name: its case stays
        Some(b) => format!(
            "Items wait {wait_share} of their lead time; {}",
            b.explanation
        ),
        None => format!("Items wait {wait_share} of their lead time"),
    };
    MapPages {
        caption,
        headline,
        pages: map_pages(input, area_h),
        legend,
    }
}

/// Cuts the map into bands, draws them all at one scale (so boxes are the same size on every
/// page), and paginates them: as many bands to a page as stay at 72 % of full size or more,
/// so a short map reads on one sheet and a long one on as few as legibly possible.
pub fn map_pages(input: &MapInput, area_h: f64) -> Vec<Vec<Band>> {
    const GAP: f64 = 8.0;
    let bands = input.bands(COLUMNS_PER_BAND);
    let count = bands.len();
    let scenes: Vec<Scene> = bands
        .into_iter()
        .enumerate()
        .map(|(k, cols)| input.band(cols, k == 0, k + 1 == count))
        .collect();
    let mut scale = scenes
        .iter()
        .map(|s| (MAP_AREA_W / s.width).min(area_h / s.height))
        .fold(1.0, f64::min);
    // as many bands to a page as stay readable (at least 72 % of full size)
    let tallest = scenes.iter().map(|s| s.height).fold(0.0, f64::max);
    let fits = |k: usize| (area_h - GAP * k as f64) / (k as f64 * tallest);
    if let Some(k) = (1..=count).rev().find(|&k| fits(k) >= 0.72) {
        scale = scale.min(fits(k));
    }
    let mut pages: Vec<Vec<Band>> = Vec::new();
    let mut page: Vec<Band> = Vec::new();
    let mut used = 0.0;
    for scene in scenes {
        let h = scene.height * scale + GAP;
        if !page.is_empty() && used + h > area_h + 0.01 {
            pages.push(std::mem::take(&mut page));
            used = 0.0;
        }
        used += h;
        page.push(Band { scale, scene });
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use tributary_core::metrics;

    /// Every page of the map holds its bands: nothing runs off the drawing area, and a
    /// short map stays on one page.
    #[test]
    fn map_pages_fit_their_area() {
        for (stages, expect_pages) in [(6, 1), (12, 2), (300, 26)] {
            let model = tributary_core::testkit::large_model(1, stages, 20, 2 * stages);
            let stream = &model.streams[0];
            let sm = metrics::compute(&model).unwrap().streams.remove(0);
            let input = MapInput::new(&model, stream, &sm, None).unwrap();
            let area_h = MAP_AREA_H - 22.0;
            let pages = map_pages(&input, area_h);
            assert_eq!(pages.len(), expect_pages, "{stages} stages");
            let mut stage_groups = 0;
            for page in &pages {
                let used: f64 = page.iter().map(|b| b.scene.height * b.scale + 8.0).sum();
                assert!(used <= area_h + 0.01, "{stages} stages: {used} > {area_h}");
                for b in page {
                    assert!(b.scene.width * b.scale <= MAP_AREA_W + 0.01);
                    assert!(b.scale >= 0.72, "readable: scale {}", b.scale);
                    stage_groups += b.scene.groups.iter().filter(|g| g.class == "stage").count();
                }
            }
            assert_eq!(stage_groups, stages, "every stage drawn exactly once");
        }
    }
}
