//! The fonts every export is drawn with, compiled into the binary (Inter, SIL Open Font
//! License 1.1, `assets/fonts/OFL.txt`), so a report looks the same on every machine and
//! needs neither the network nor the system's fonts. Also measures text, so that labels on
//! the map can be fitted to their boxes before either renderer draws them.

use std::sync::OnceLock;

/// The family name the templates and the SVG ask for.
pub const FAMILY: &str = "Inter";

/// (file name, bytes) of each embedded face.
pub const FACES: [(&str, &[u8]); 5] = [
    (
        "Inter-Regular.otf",
        include_bytes!("../../../assets/fonts/Inter-Regular.otf"),
    ),
    (
        "Inter-Italic.otf",
        include_bytes!("../../../assets/fonts/Inter-Italic.otf"),
    ),
    (
        "Inter-Medium.otf",
        include_bytes!("../../../assets/fonts/Inter-Medium.otf"),
    ),
    (
        "Inter-SemiBold.otf",
        include_bytes!("../../../assets/fonts/Inter-SemiBold.otf"),
    ),
    (
        "Inter-Bold.otf",
        include_bytes!("../../../assets/fonts/Inter-Bold.otf"),
    ),
];

/// Font weights used on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Medium,
    SemiBold,
    Bold,
}

impl Weight {
    pub fn css(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::Medium => 500,
            Weight::SemiBold => 600,
            Weight::Bold => 700,
        }
    }

    fn face_index(self) -> usize {
        match self {
            Weight::Regular => 0,
            Weight::Medium => 2,
            Weight::SemiBold => 3,
            Weight::Bold => 4,
        }
    }
}

struct Metrics {
    units_per_em: f64,
    /// Advance width of each char we have met, per face; looked up lazily.
    faces: Vec<ttf_parser::Face<'static>>,
}

fn metrics() -> Option<&'static Metrics> {
    static M: OnceLock<Option<Metrics>> = OnceLock::new();
    M.get_or_init(|| {
        let faces: Vec<ttf_parser::Face<'static>> = FACES
            .iter()
            .map(|(_, bytes)| ttf_parser::Face::parse(bytes, 0).ok())
            .collect::<Option<_>>()?;
        let units_per_em = f64::from(faces.first()?.units_per_em());
        Some(Metrics {
            units_per_em,
            faces,
        })
    })
    .as_ref()
}

/// Width of `text` set at `size` points (advance widths, no kerning: a hair wide, which is
/// the safe side for fitting).
pub fn width(text: &str, size: f64, weight: Weight) -> f64 {
    let Some(m) = metrics() else {
        // Cannot happen with the embedded fonts; a rough average keeps layout going.
        return text.chars().count() as f64 * size * 0.55;
    };
    let face = &m.faces[weight.face_index()];
    let units: f64 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(m.units_per_em * 0.6, f64::from)
        })
        .sum();
    units * size / m.units_per_em
}

/// `text` broken into at most `max_lines` lines no wider than `max_width`; the last line ends
/// in an ellipsis when the text does not fit. Words longer than a line are cut.
pub fn wrap(
    text: &str,
    max_width: f64,
    size: f64,
    weight: Weight,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut truncated = false;
    'words: for word in words {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, size, weight) <= max_width {
            current = candidate;
            continue;
        }
        // the word does not fit on this line
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                truncated = true;
                break 'words;
            }
        }
        // a word too long for a whole line is cut where it fills the line
        let mut rest = word;
        while width(rest, size, weight) > max_width {
            let cut = fit_prefix(rest, max_width, size, weight);
            if cut == 0 {
                break;
            }
            lines.push(rest[..cut].to_owned());
            rest = &rest[cut..];
            if lines.len() == max_lines {
                truncated = !rest.is_empty();
                break 'words;
            }
        }
        current = rest.to_owned();
    }
    if !current.is_empty() {
        if lines.len() < max_lines {
            lines.push(current);
        } else {
            truncated = true;
        }
    }
    if truncated && let Some(last) = lines.last_mut() {
        *last = ellipsize(last, max_width, size, weight);
    }
    lines
}

/// `text` on one line, cut with an ellipsis if it is wider than `max_width`.
pub fn fit(text: &str, max_width: f64, size: f64, weight: Weight) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if width(&one_line, size, weight) <= max_width {
        return one_line;
    }
    let ell = "…";
    let room = max_width - width(ell, size, weight);
    let cut = fit_prefix(&one_line, room, size, weight);
    format!("{}{ell}", one_line[..cut].trim_end())
}

/// `line` with an ellipsis appended, shortened until both fit.
fn ellipsize(line: &str, max_width: f64, size: f64, weight: Weight) -> String {
    let ell = "…";
    let room = max_width - width(ell, size, weight);
    let cut = fit_prefix(line, room, size, weight);
    format!("{}{ell}", line[..cut].trim_end())
}

/// Byte length of the longest prefix of `s` (on a char boundary) no wider than `max_width`.
fn fit_prefix(s: &str, max_width: f64, size: f64, weight: Weight) -> usize {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let next = i + c.len_utf8();
        if width(&s[..next], size, weight) > max_width {
            break;
        }
        end = next;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        let a = width("Approve", 10.0, Weight::Regular);
        let b = width("Approve loan", 10.0, Weight::Regular);
        assert!(a > 20.0 && a < 60.0, "{a}");
        assert!(b > a);
        assert!(width("Approve", 10.0, Weight::Bold) > a);
        assert!((width("Approve", 20.0, Weight::Regular) - 2.0 * a).abs() < 1e-9);
    }

    #[test]
    fn wrapping_keeps_within_the_width_and_marks_cuts() {
        let text = "Credit risk assessment and underwriting of the application";
        let lines = wrap(text, 80.0, 8.0, Weight::Regular, 2);
        assert_eq!(lines.len(), 2);
        for l in &lines {
            assert!(width(l, 8.0, Weight::Regular) <= 80.0, "{l}");
        }
        assert!(lines[1].ends_with('…'), "{lines:?}");
        let short = wrap("Intake", 80.0, 8.0, Weight::Regular, 2);
        assert_eq!(short, vec!["Intake"]);
        let long_word = wrap(&"x".repeat(200), 50.0, 8.0, Weight::Regular, 2);
        assert_eq!(long_word.len(), 2);
        assert!(long_word[1].ends_with('…'));
        assert_eq!(fit("Approve", 200.0, 8.0, Weight::Regular), "Approve");
        let cut = fit(text, 60.0, 8.0, Weight::Regular);
        assert!(cut.ends_with('…') && width(&cut, 8.0, Weight::Regular) <= 60.0);
    }
}
