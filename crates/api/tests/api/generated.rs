//! Files generated from the Rust types: the JSON Schema of tributary/1 and the TypeScript IPC
//! bindings. Each test fails when the committed file is stale; run
//! `UPDATE_GENERATED=1 cargo test -p tributary-api --test api generated` to write them.

use std::collections::BTreeMap;
use std::path::Path;

use ts_rs::{Config, TS, TypeVisitor};

use crate::root;

fn update() -> bool {
    std::env::var("UPDATE_GENERATED").is_ok_and(|v| v == "1")
}

pub fn check(path: &Path, fresh: &str) {
    if update() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: run `UPDATE_GENERATED=1 cargo test -p tributary-api --test api generated`",
        path.display()
    );
}

pub fn schema_text() -> String {
    let schema = schemars::schema_for!(tributary_core::Model);
    let mut text = serde_json::to_string_pretty(&schema).unwrap();
    text.push('\n');
    text
}

#[test]
fn json_schema_is_fresh() {
    check(&root().join("docs/tributary-1.schema.json"), &schema_text());
}

/// Exports `T` with its dependencies into `cfg`'s folder, failing if a file of the same name
/// but different content is there already: two Rust types with one TypeScript name.
fn export_checked<T: TS + ?Sized + 'static>(cfg: &Config) {
    let alone = tempfile::tempdir().unwrap();
    T::export_all(&Config::new().with_out_dir(alone.path())).unwrap();
    for entry in std::fs::read_dir(alone.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let there = cfg.out_dir().join(&name);
        if there.exists() {
            assert_eq!(
                std::fs::read_to_string(&there).unwrap(),
                std::fs::read_to_string(&path).unwrap(),
                "two types are called {} in TypeScript",
                name.to_string_lossy()
            );
        }
    }
    T::export_all(cfg).unwrap();
}

/// Exports each named type a command's signature is made of.
struct Export<'a>(&'a Config);

impl TypeVisitor for Export<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            export_checked::<T>(self.0);
        } else {
            T::visit_generics(self);
        }
    }
}

macro_rules! export_signatures {
    ($( $(#[doc = $doc:literal])* $name:ident (
        $($arg:ident : $ty:ty),* $(; $p:ident : $pty:ty)?
    ) -> $reply:ty ; )*) => {
        |cfg: &Config| {
            $(
                $(Export(cfg).visit::<$ty>();)*
                $(Export(cfg).visit::<$pty>();)?
                Export(cfg).visit::<$reply>();
            )*
        }
    };
}

/// Every type that crosses the IPC boundary, with the types they use: those of the commands'
/// signatures (`tributary_api::ipc_commands!`), the workspace the replies patch, and errors.
fn bindings() -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config::new().with_out_dir(dir.path());
    export_checked::<tributary_api::Workspace>(&cfg);
    export_checked::<tributary_api::ApiError>(&cfg);
    // the workshop room's protocol, for the participant's page
    export_checked::<tributary_api::room::ClientMsg>(&cfg);
    export_checked::<tributary_api::room::ServerMsg>(&cfg);
    let signatures = tributary_api::ipc_commands!(export_signatures);
    signatures(&cfg);
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    out
}

#[test]
fn typescript_bindings_are_fresh() {
    let dir = root().join("ui/src/ipc/bindings");
    let fresh = bindings();
    if update() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, text) in &fresh {
        check(&dir.join(name), text);
    }
    // and nothing stale is left behind
    let committed: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for name in committed {
        assert!(
            fresh.contains_key(&name),
            "{name} in {} is no longer generated",
            dir.display()
        );
    }
}

#[test]
fn the_examples_satisfy_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for entry in std::fs::read_dir(root().join("assets/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    // and the schema is not vacuous: a negative-typed field fails it
    let bad = serde_json::json!({"format": "tributary/1", "name": "x", "streams": [
        {"id": "s", "name": "s", "stages": [{"id": "a", "name": "a", "process_time": "two", "wait_time": 1}]}]});
    assert!(!validator.is_valid(&bad));
}

/// A workspace as the app receives it (the mortgage example with its future state), for the
/// UI's unit tests: the fixture is the engine's real output, not a hand-written imitation.
#[test]
fn ui_fixture_is_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mortgage.tributary");
    let model = tributary_api::read_json(&root().join("assets/examples/mortgage.json")).unwrap();
    let session = tributary_api::Session::create(&path, &model).unwrap();
    let mut snapshot = session.snapshot(Some("future")).unwrap();
    snapshot.view.path = "/home/user/models/mortgage.tributary".into();
    let ws = tributary_api::Workspace {
        snapshot,
        untitled: false,
        edited: false,
        read_only: false,
        recent: vec![tributary_api::RecentFile {
            path: "/home/user/models/mortgage.tributary".into(),
            name: "mortgage.tributary".into(),
        }],
        notice: None,
    };
    let mut text = serde_json::to_string_pretty(&ws).unwrap();
    text.push('\n');
    check(&root().join("ui/src/test/fixtures/workspace.json"), &text);
}
