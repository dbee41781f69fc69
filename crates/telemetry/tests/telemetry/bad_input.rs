//! Bad input gets a clear error that names the file, the line (or item) and what is wrong,
//! already when previewing, before anything is written. The refused imports into a model file
//! (and that they change nothing stored) are tested in the api crate.

use tributary_telemetry::{Control, Format, Mapping, preview};

const HEADER: &str = "item_id,item_type,timestamp,from_state,to_state\n";

#[test]
fn preview_refuses_the_same_input_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.csv");
    std::fs::write(&p, format!("{HEADER}X,Story,2024-03-01,,\n")).unwrap();
    let e = preview(
        &p,
        Format::EventsCsv,
        &Mapping::default(),
        None,
        10,
        Control::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("line 2: item \"X\": to_state is empty"),
        "{e}"
    );
    let e = preview(
        &p,
        Format::EventsCsv,
        &Mapping::default(),
        Some("Mars/Olympus"),
        10,
        Control::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("unknown time zone \"Mars/Olympus\""),
        "{e}"
    );
    let missing = dir.path().join("missing.csv");
    let e = preview(
        &missing,
        Format::EventsCsv,
        &Mapping::default(),
        None,
        10,
        Control::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("missing.csv"), "{e}");
}
