//! Mapping files name what is wrong in them; the order given is the workflow order.

use tributary_telemetry::{Mapping, MappingToml};

#[test]
fn mapping_files_name_what_is_wrong() {
    let e = Mapping::from_toml("[states]\n\"Doing\" = \"busy\"\n").unwrap_err();
    assert!(e.contains("[states] \"Doing\" = \"busy\": a flow state is one of new, waiting, active, done, canceled"), "{e}");
    let e = Mapping::from_toml("[colours]\n\"Doing\" = \"red\"\n").unwrap_err();
    assert!(e.contains("unknown table [colours]"), "{e}");
    let e = Mapping::from_toml("[types]\n\"Bug\" = \"bug\"\n").unwrap_err();
    assert!(
        e.contains("an item kind is one of feature, defect, risk, debt"),
        "{e}"
    );
    let e = Mapping::from_toml("[states\n").unwrap_err();
    assert!(e.contains("not valid TOML"), "{e}");
    let m = Mapping::from_toml("[states]\n\"Z\" = \"done\"\n\"A\" = \"new\"\n").unwrap();
    // The order given is the workflow order, not sorted.
    assert_eq!(m.states[0].status, "Z");
}
