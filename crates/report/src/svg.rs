//! A scene as SVG (written here, text escaped as XML), and as PNG by rasterising that SVG
//! with resvg and the embedded fonts.

use std::fmt::Write as _;
use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use crate::error::{ReportError, Result};
use crate::fonts;
use crate::scene::{Anchor, Scene, Shape, Stroke};

/// The scene as a standalone SVG document (sizes in points).
pub fn write(scene: &Scene, title: &str) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" font-family="{font}, sans-serif">
<title>{title}</title>
<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>
"##,
        w = num(scene.width),
        h = num(scene.height),
        font = fonts::FAMILY,
        title = escape(title),
    );
    for g in &scene.groups {
        let _ = write!(s, r#"<g id="{}" class="{}""#, escape(&g.id), g.class);
        if let Some(stage) = &g.stage {
            let _ = write!(s, r#" data-stage="{}""#, escape(stage));
        }
        s.push_str(">\n");
        for shape in &g.shapes {
            shape_svg(&mut s, shape);
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

fn shape_svg(s: &mut String, shape: &Shape) {
    match shape {
        Shape::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
            radius,
        } => {
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}""#,
                num(*x),
                num(*y),
                num(*w),
                num(*h)
            );
            if *radius > 0.0 {
                let _ = write!(s, r#" rx="{}""#, num(*radius));
            }
            paint(s, *fill, stroke.as_ref());
            s.push_str("/>\n");
        }
        Shape::Line { points, stroke } => {
            let _ = write!(s, r#"<polyline points="{}""#, points_attr(points));
            paint(s, None, Some(stroke));
            s.push_str("/>\n");
        }
        Shape::Poly {
            points,
            fill,
            stroke,
        } => {
            let _ = write!(s, r#"<polygon points="{}""#, points_attr(points));
            paint(s, *fill, stroke.as_ref());
            s.push_str("/>\n");
        }
        Shape::Text {
            x,
            y,
            text,
            size,
            weight,
            fill,
            anchor,
        } => {
            let anchor = match anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" font-size="{}" font-weight="{weight}" fill="{fill}" text-anchor="{anchor}" xml:space="preserve">{}</text>"#,
                num(*x),
                num(*y),
                num(*size),
                escape(text)
            );
        }
    }
}

fn paint(s: &mut String, fill: Option<&str>, stroke: Option<&Stroke>) {
    let _ = write!(s, r#" fill="{}""#, fill.unwrap_or("none"));
    if let Some(st) = stroke {
        let _ = write!(
            s,
            r#" stroke="{}" stroke-width="{}""#,
            st.colour,
            num(st.width)
        );
        if let Some([on, off]) = st.dash {
            let _ = write!(s, r#" stroke-dasharray="{} {}""#, num(on), num(off));
        }
    }
}

fn points_attr(points: &[[f64; 2]]) -> String {
    points
        .iter()
        .map(|p| format!("{},{}", num(p[0]), num(p[1])))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A coordinate with at most two decimals.
fn num(v: f64) -> String {
    tributary_core::format::fixed(v, 2)
}

/// Text as XML character data or an attribute value. Characters XML 1.0 forbids (control
/// characters other than tab, newline and carriage return) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The fonts resvg draws text with: the embedded ones only, so PNGs are the same everywhere.
fn font_db() -> Arc<usvg::fontdb::Database> {
    static DB: std::sync::OnceLock<Arc<usvg::fontdb::Database>> = std::sync::OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for (_, bytes) in fonts::FACES {
            db.load_font_data(bytes.to_vec());
        }
        db.set_sans_serif_family(fonts::FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The most pixels a picture is drawn with: 40 million (160 MB while drawn). A stream of
/// thousands of stages is drawn smaller rather than taking gigabytes.
pub const MAX_PIXELS: f32 = 40.0e6;

/// `scale`, made smaller where a `w` x `h` picture would exceed [`MAX_PIXELS`].
fn capped(scale: f32, w: f32, h: f32) -> f32 {
    let pixels = w * h * scale * scale;
    if pixels > MAX_PIXELS {
        scale * (MAX_PIXELS / pixels).sqrt()
    } else {
        scale
    }
}

/// Rasterises an SVG document to PNG at `scale` pixels per point (smaller beyond
/// [`MAX_PIXELS`]).
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let options = usvg::Options {
        font_family: fonts::FAMILY.to_owned(),
        fontdb: font_db(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ReportError::Png(e.to_string()))?;
    // The SVG gives its size in points; usvg measures in CSS pixels (96 a inch, 72 points).
    let size = tree.size();
    let scale = capped(scale * 0.75, size.width(), size.height());
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| ReportError::Png(format!("a picture of {w} x {h} pixels is too large")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    drop(tree);
    encode(pixmap)
}

/// The PNG of a rendered picture. tiny-skia's own encoder first copies every pixel to undo the
/// premultiplied alpha (160 MB more for a picture at [`MAX_PIXELS`]); the picture is not needed
/// afterwards, so this undoes it in place, with the same rounding.
fn encode(mut pixmap: tiny_skia::Pixmap) -> Result<Vec<u8>> {
    for px in pixmap.data_mut().chunks_exact_mut(4) {
        let a = px[3];
        if a != 255 && a != 0 {
            let k = f64::from(a) / 255.0;
            for c in &mut px[..3] {
                *c = (f64::from(*c) / k + 0.5) as u8;
            }
        }
    }
    let mut data = Vec::new();
    let mut encoder = png::Encoder::new(&mut data, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let png_error = |e: png::EncodingError| ReportError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(pixmap.data()).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_png_is_what_tiny_skias_encoder_writes() {
        // half-transparent strokes and fills, so the alpha is undone on many pixels
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80">
            <rect x="5" y="5" width="100" height="60" fill="#1f6feb" fill-opacity="0.35"/>
            <circle cx="60" cy="40" r="30" fill="none" stroke="#d1242f" stroke-opacity="0.6" stroke-width="7"/>
        </svg>"##;
        let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(120, 80).unwrap();
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let partial = pixmap
            .pixels()
            .iter()
            .filter(|p| !matches!(p.alpha(), 0 | 255))
            .count();
        assert!(partial > 1000, "only {partial} half-transparent pixels");
        assert_eq!(
            encode(pixmap.clone()).unwrap(),
            pixmap.encode_png().unwrap()
        );
    }
}
