//! A model file is untrusted input: every bad file gets a clear error and stays untouched.

use tributary_store::{Document, Error};

use crate::{bytes, e1, file_in};

fn made(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = file_in(dir, "m.tributary");
    Document::create(&path, &e1()).unwrap().close().unwrap();
    path
}

#[test]
fn random_bytes_are_not_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "noise.tributary");
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &noise).unwrap();
    let err = Document::open(&path).err().unwrap();
    assert!(matches!(err, Error::NotAModel { .. }), "{err}");
    assert!(err.to_string().contains("noise.tributary"), "{err}");
    assert_eq!(bytes(&path), noise);
}

#[test]
fn json_and_empty_files_get_their_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "model.tributary");
    std::fs::write(&path, crate::E1).unwrap();
    let err = Document::open(&path).err().unwrap().to_string();
    assert!(
        err.contains("looks like JSON") && err.contains("tributary import"),
        "{err}"
    );
    std::fs::write(&path, "").unwrap();
    let err = Document::open(&path).err().unwrap().to_string();
    assert!(err.contains("empty"), "{err}");
    let err = Document::open(&file_in(&dir, "missing.tributary"))
        .err()
        .unwrap();
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
}

#[test]
fn a_truncated_file_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(&dir);
    let full = bytes(&path);
    let mut refused = 0;
    for cut in (0..full.len())
        .step_by(997)
        .chain([50, 4096, full.len() - 100])
    {
        std::fs::write(&path, &full[..cut]).unwrap();
        match Document::open(&path) {
            Err(err) => {
                assert!(
                    matches!(err, Error::Corrupt { .. } | Error::NotAModel { .. }),
                    "cut at {cut}: {err}"
                );
                assert_eq!(
                    bytes(&path).len(),
                    cut,
                    "a refused file must not be changed"
                );
                refused += 1;
            }
            // Cutting only bytes SQLite never used (the free tail of the last page) loses
            // nothing; then the model must be exactly the one saved, never a partial one.
            Ok(doc) => assert_eq!(doc.model(), &e1(), "cut at {cut} opened a different model"),
        }
    }
    assert!(refused > 80, "only {refused} cuts were refused");
}

#[test]
fn a_damaged_page_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(&dir);
    let mut b = bytes(&path);
    // scribble over the b-tree page header of every page after the first (the schema page
    // stays readable, so SQLite gets as far as the data)
    let page = 4096;
    for p in (page..b.len()).step_by(page) {
        for i in 0..8 {
            b[p + i] ^= 0xA5;
        }
    }
    std::fs::write(&path, &b).unwrap();
    let err = Document::open(&path).err().unwrap();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
}

#[test]
fn a_newer_schema_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(&dir);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99;")
        .unwrap();
    let err = Document::open(&path).err().unwrap();
    assert!(
        matches!(err, Error::NewerVersion { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer Tributary"), "{err}");
}

#[test]
fn another_programs_database_is_not_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "other.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let err = Document::open(&path).err().unwrap();
    assert!(err.to_string().contains("made by another program"), "{err}");
}

#[test]
fn a_planted_trigger_or_view_is_named_and_never_run() {
    let dir = tempfile::tempdir().unwrap();
    for (name, sql) in [
        (
            "evil_trigger",
            "CREATE TABLE loot (x); CREATE TRIGGER evil_trigger AFTER UPDATE ON stages BEGIN INSERT INTO loot VALUES (1); END;",
        ),
        (
            "evil_view",
            "CREATE VIEW evil_view AS SELECT * FROM stages;",
        ),
    ] {
        let path = file_in(&dir, &format!("{name}.tributary"));
        Document::create(&path, &e1()).unwrap().close().unwrap();
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let before = bytes(&path);
        let err = Document::open(&path).err().unwrap();
        match &err {
            Error::ForeignSchema { objects, .. } => {
                assert!(objects.iter().any(|o| o.contains(name)), "{objects:?}");
            }
            other => panic!("expected a foreign schema error, got {other}"),
        }
        assert_eq!(bytes(&path), before);
    }
}

#[test]
fn a_changed_table_definition_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(&dir);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("ALTER TABLE stages ADD COLUMN payload TEXT;")
        .unwrap();
    let err = Document::open(&path).err().unwrap().to_string();
    assert!(err.contains("table \"stages\" (changed)"), "{err}");
}

#[test]
fn rows_that_break_the_rules_are_reported_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = made(&dir);
    // an edge that loops back: allowed by SQL, refused by the engine
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO edges VALUES ('s', 'intake', 'assess', 0);
             INSERT INTO edges VALUES ('s', 'assess', 'intake', 1);",
        )
        .unwrap();
    let err = Document::open(&path).err().unwrap().to_string();
    assert!(
        err.contains("streams[0].edges") && err.contains("cycle"),
        "{err}"
    );
}
