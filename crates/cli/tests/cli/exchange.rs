//! ArchiMate through the command line: a real exchange file (The Open Group's Archisurance,
//! exported by Archi) imported into a model file and exported again keeps every element and
//! relationship, and the file written validates against the exchange format's schemas.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tributary(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn archimate() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/external/archimate");
    assert!(
        p.exists(),
        "the real ArchiMate files are in ../shared/external/archimate"
    );
    p
}

/// The `identifier` of every element and relationship of an exchange file.
fn ids(xml: &str, tag: &str) -> std::collections::BTreeSet<String> {
    xml.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|rest| rest.split("identifier=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_archimate_file_goes_through_tributary_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = archimate().join("archi_archisurance-exchange.xml");
    let o = tributary(
        d,
        &[
            "import",
            input.to_str().unwrap(),
            "--format",
            "archimate",
            "-o",
            "a.tributary",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Archisurance has no capabilities: its 10 application components are proposed as PBCs
    assert!(out.contains("10 PBCs"), "{out}");
    let o = tributary(
        d,
        &[
            "export",
            "a.tributary",
            "--format",
            "archimate",
            "-o",
            "back.xml",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let schema = archimate().join("xsd/all.xsd");
    let lint = Command::new("xmllint")
        .args(["--noout", "--schema", schema.to_str().unwrap(), "back.xml"])
        .current_dir(d)
        .output()
        .expect("xmllint is installed by ./dev (libxml2-utils)");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let before = std::fs::read_to_string(&input).unwrap();
    let after = std::fs::read_to_string(d.join("back.xml")).unwrap();
    for tag in ["element", "relationship"] {
        let (b, a) = (ids(&before, tag), ids(&after, tag));
        assert!(b.len() > 100, "{tag}: {} read", b.len());
        assert!(
            b.is_subset(&a),
            "{tag}s lost: {:?}",
            b.difference(&a).collect::<Vec<_>>()
        );
    }
    // and Archi's CSV, three files into a folder
    let o = tributary(
        d,
        &[
            "export",
            "a.tributary",
            "--format",
            "archi-csv",
            "-o",
            "csv",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(d.join("csv/elements.csv").exists() && d.join("csv/relations.csv").exists());
}
