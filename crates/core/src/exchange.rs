//! The canonical `tributary/1` JSON exchange format.
//!
//! Reading names the exact place of any mistake (`streams[0].stages[2].wait_time`, line and
//! column). Writing is canonical: fields in a fixed order, lists in the model's order, numbers
//! in their shortest exact form, two-space indentation and a final newline, so that a model
//! kept in git diffs line by line and `import` then `export` gives back the same bytes.

use crate::error::{Error, Result};
use crate::model::{FORMAT, Model};
use crate::validate;

/// Parses a `tributary/1` document and checks it. Warnings are not errors; see
/// [`validate::validate`] for them.
pub fn from_json(text: &str) -> Result<Model> {
    let model = parse(text)?;
    validate::ensure_valid(&model)?;
    Ok(model)
}

/// Parses without checking the rules (for tools that report every problem at once).
pub fn parse(text: &str) -> Result<Model> {
    // A byte order mark is not part of the document (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        return Err(json_error(
            "",
            1,
            1,
            "the file holds a JSON list; a Tributary model is one JSON object, starting with {"
                .into(),
        ));
    }
    // Look at the format tag first so that a document from another tool, or from a newer
    // Tributary, gets a message about that rather than about a field it does not know.
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
        match map.get("format") {
            Some(serde_json::Value::String(f)) if f == FORMAT => {}
            Some(serde_json::Value::String(f)) if f.starts_with("tributary/") => {
                return Err(json_error(
                    "format",
                    0,
                    0,
                    format!(
                        "the document is {f:?}, written by a newer Tributary; this version reads {FORMAT:?}"
                    ),
                ));
            }
            Some(other) => {
                return Err(json_error(
                    "format",
                    0,
                    0,
                    format!("format is {other}; a Tributary model says \"format\": \"{FORMAT}\""),
                ));
            }
            None => {
                return Err(json_error(
                    "format",
                    0,
                    0,
                    format!(
                        "there is no \"format\" field; a Tributary model starts with \"format\": \"{FORMAT}\""
                    ),
                ));
            }
        }
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    let model = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = strip_position(&inner.to_string());
        json_error(&path, inner.line(), inner.column(), message)
    })?;
    // The document ends where the model does: a second document or stray text after it is
    // a mistake to report, not to ignore.
    de.end().map_err(|e| {
        json_error(
            "",
            e.line(),
            e.column(),
            "there is more after the end of the model; a file holds one model".into(),
        )
    })?;
    Ok(model)
}

fn json_error(path: &str, line: usize, column: usize, message: String) -> Error {
    Error::Json {
        path: if path == "." {
            String::new()
        } else {
            path.to_owned()
        },
        line,
        column,
        message,
    }
}

/// serde_json appends " at line L column C"; the error carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Writes the canonical document.
pub fn to_json(model: &Model) -> String {
    let mut out = serde_json::to_string_pretty(model).unwrap_or_else(|e| {
        // Serialising plain data to a string cannot fail short of a non-finite number, which
        // validation keeps out; say so rather than writing half a document.
        unreachable!("a model always serialises to JSON: {e}")
    });
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"format":"tributary/1","name":"..","currency":"EUR","time_unit":"hours",
      "calendar":{"hours_per_day":8,"days_per_week":5},
      "streams":[{"id":"s","name":"..","demand_per_week":10,"cost_of_delay_per_week":5000,
      "stages":[{"id":"a","name":"..","process_time":2,"wait_time":6,"pca":0.9}]}]}"#;

    #[test]
    fn the_minimal_shape_of_the_issue_is_accepted() {
        let m = from_json(MINIMAL).unwrap();
        assert_eq!(m.streams[0].stages[0].pca, 0.9);
        assert!(m.streams[0].edges.is_empty());
        assert_eq!(m.finance.discount_rate, 0.08);
    }

    #[test]
    fn a_model_is_the_whole_document() {
        for tail in ["xyz", MINIMAL, "{}"] {
            let e = parse(&format!("{MINIMAL}\n{tail}"))
                .unwrap_err()
                .to_string();
            assert!(e.contains("more after the end of the model"), "{tail}: {e}");
            assert!(e.contains("line 5"), "the place of the extra text: {e}");
        }
        // white space after it is fine, and so is a byte order mark before it
        assert!(parse(&format!("\u{feff}{MINIMAL}\n\n  ")).is_ok());
        let e = parse("[]").unwrap_err().to_string();
        assert!(e.contains("JSON list"), "{e}");
    }

    #[test]
    fn canonical_output_reads_back_to_the_same_bytes() {
        let m = from_json(MINIMAL).unwrap();
        let a = to_json(&m);
        let b = to_json(&from_json(&a).unwrap());
        assert_eq!(a, b);
        assert!(a.ends_with("}\n"));
    }

    #[test]
    fn a_wrong_type_is_reported_with_its_path_and_line() {
        let text = MINIMAL.replace("\"wait_time\":6", "\"wait_time\":\"six\"");
        match parse(&text) {
            Err(Error::Json {
                path,
                line,
                message,
                ..
            }) => {
                assert_eq!(path, "streams[0].stages[0].wait_time");
                assert_eq!(line, 4);
                assert!(message.contains("invalid type"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_time_is_reported() {
        let text = MINIMAL.replace("\"wait_time\":6,", "");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("streams[0].stages[0]"), "{err}");
        assert!(err.contains("missing field `wait_time`"), "{err}");
    }

    #[test]
    fn a_misspelt_field_is_refused_not_ignored() {
        let text = MINIMAL.replace("\"pca\"", "\"pcaa\"");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("unknown field `pcaa`"), "{err}");
    }

    #[test]
    fn other_formats_and_newer_versions_are_named() {
        let err = parse(&MINIMAL.replace("tributary/1", "tributary/2"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("newer Tributary"), "{err}");
        let err = parse(r#"{"name": "x"}"#).unwrap_err().to_string();
        assert!(err.contains("no \"format\" field"), "{err}");
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let err = parse("{\"format\": \"tributary/1\",\n  \"name\": }").unwrap_err();
        match err {
            Error::Json { line, column, .. } => {
                assert_eq!(line, 2);
                assert!(column > 0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rule_violations_come_from_validation() {
        let text = MINIMAL.replace("\"process_time\":2", "\"process_time\":-2");
        let err = from_json(&text).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)));
        assert!(
            err.to_string()
                .contains("streams[0].stages[0].process_time")
        );
    }
}
