//! A picture as a list of shapes in points: what the map builder produces and what the SVG
//! writer and the PDF template both draw, so the map is the same picture in every export.
//!
//! Text in a scene is data: the SVG writer escapes it, the PDF template prints it as a string.

use serde::Serialize;

/// Colours of the house style (restrained; red and green only with a sign or arrow).
pub mod colour {
    pub const NAVY: &str = "#1b2f4b";
    pub const INK: &str = "#1f2328";
    pub const MUTED: &str = "#5b6470";
    pub const RULE: &str = "#c3c9d2";
    pub const FAINT: &str = "#eef1f5";
    pub const WHITE: &str = "#ffffff";
    pub const QUEUE: &str = "#f3df9f";
    pub const QUEUE_EDGE: &str = "#7a5c12";
    pub const BAD: &str = "#b42318";
    pub const PLANNED: &str = "#a65f00";
    pub const LEGACY: &str = "#e6e2da";
    pub const LEGACY_EDGE: &str = "#857d70";
    pub const MODERN: &str = "#dbe7f4";
    pub const MODERN_EDGE: &str = "#4f759f";
    pub const SAAS: &str = "#ffffff";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stroke {
    pub colour: &'static str,
    pub width: f64,
    /// Dash pattern (on, off) in points; `None` for a solid line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dash: Option<[f64; 2]>,
}

impl Stroke {
    pub fn solid(colour: &'static str, width: f64) -> Option<Stroke> {
        Some(Stroke {
            colour,
            width,
            dash: None,
        })
    }

    pub fn dashed(colour: &'static str, width: f64, on: f64, off: f64) -> Option<Stroke> {
        Some(Stroke {
            colour,
            width,
            dash: Some([on, off]),
        })
    }
}

/// One shape. Coordinates in points, y down, from the scene's top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        fill: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stroke: Option<Stroke>,
        radius: f64,
    },
    /// An open polyline.
    Line {
        points: Vec<[f64; 2]>,
        stroke: Stroke,
    },
    /// A closed polygon.
    Poly {
        points: Vec<[f64; 2]>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fill: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stroke: Option<Stroke>,
    },
    /// One line of text; `y` is the baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        weight: u16,
        fill: &'static str,
        anchor: Anchor,
    },
}

/// Shapes that belong together: one stage, the ladder, the summary box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Stable id, unique within a picture: `stage-3` (the 4th stage of the stream), `ladder-0`.
    pub id: String,
    /// What the group is: `stage`, `queue`, `flow`, `ladder`, `summary`, `label`.
    pub class: &'static str,
    /// The model's id of the stage, for `stage` groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    pub shapes: Vec<Shape>,
}

impl Group {
    pub fn new(id: impl Into<String>, class: &'static str) -> Group {
        Group {
            id: id.into(),
            class,
            stage: None,
            shapes: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<&'static str>,
        stroke: Option<Stroke>,
        radius: f64,
    ) {
        self.shapes.push(Shape::Rect {
            x: r(x),
            y: r(y),
            w: r(w),
            h: r(h),
            fill,
            stroke,
            radius,
        });
    }

    pub fn line(&mut self, points: &[[f64; 2]], stroke: Option<Stroke>) {
        if let Some(stroke) = stroke {
            self.shapes.push(Shape::Line {
                points: points.iter().map(|p| [r(p[0]), r(p[1])]).collect(),
                stroke,
            });
        }
    }

    pub fn poly(
        &mut self,
        points: &[[f64; 2]],
        fill: Option<&'static str>,
        stroke: Option<Stroke>,
    ) {
        self.shapes.push(Shape::Poly {
            points: points.iter().map(|p| [r(p[0]), r(p[1])]).collect(),
            fill,
            stroke,
        });
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        size: f64,
        weight: crate::fonts::Weight,
        fill: &'static str,
        anchor: Anchor,
    ) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        self.shapes.push(Shape::Text {
            x: r(x),
            y: r(y),
            text,
            size,
            weight: weight.css(),
            fill,
            anchor,
        });
    }

    /// An arrow along `points`, its head at the last point.
    pub fn arrow(&mut self, points: &[[f64; 2]], colour: &'static str, width: f64, dashed: bool) {
        let n = points.len();
        if n < 2 {
            return;
        }
        let [x1, y1] = points[n - 1];
        let [x0, y0] = points[n - 2];
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / len, dy / len);
        let head = 5.0;
        let base = [x1 - ux * head, y1 - uy * head];
        let mut shaft: Vec<[f64; 2]> = points[..n - 1].to_vec();
        shaft.push(base);
        let stroke = if dashed {
            Stroke::dashed(colour, width, 3.0, 1.6)
        } else {
            Stroke::solid(colour, width)
        };
        self.line(&shaft, stroke);
        self.poly(
            &[
                [x1, y1],
                [base[0] - uy * 2.6, base[1] + ux * 2.6],
                [base[0] + uy * 2.6, base[1] - ux * 2.6],
            ],
            Some(colour),
            None,
        );
    }
}

/// A picture: its size and its groups, drawn in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub groups: Vec<Group>,
}

/// Rounds to 0.01 pt: enough for print, and keeps the SVG and the JSON small.
fn r(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
