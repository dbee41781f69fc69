//! `docs/commands.md`, the reference of every edit command (`tributary edit`, the app and the
//! workshop room send the same JSON), generated from the `Command` type's schema so that it
//! cannot drift. Re-made with `UPDATE_GENERATED=1 cargo test -p tributary-api --test api`.

use serde_json::Value;

use crate::generated::check;
use crate::root;

/// The JSON type of a property, as a reader of the reference needs it.
fn type_of(p: &Value) -> String {
    if let Some(r) = p.get("$ref").and_then(Value::as_str) {
        return format!("`{}`", r.rsplit('/').next().unwrap_or(r));
    }
    if let Some(any) = p.get("anyOf").and_then(Value::as_array) {
        let kinds: Vec<String> = any
            .iter()
            .filter(|v| v.get("type") != Some(&Value::from("null")))
            .map(type_of)
            .collect();
        return kinds.join(" or ");
    }
    match p.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!(
                "list of {}",
                p.get("items").map(type_of).unwrap_or_default()
            )
        }
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "value".into(),
    }
}

fn command_section(v: &Value) -> String {
    let props = v["properties"].as_object().cloned().unwrap_or_default();
    let name = props["type"]["const"]
        .as_str()
        .or_else(|| props["type"]["enum"][0].as_str())
        .unwrap_or("?")
        .to_owned();
    let required: Vec<&str> = v["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = format!("## `{name}`\n\n");
    if let Some(d) = v["description"].as_str() {
        out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
    }
    let fields: Vec<(&String, &Value)> = props.iter().filter(|(k, _)| *k != "type").collect();
    if !fields.is_empty() {
        out.push_str("| Field | Type | |\n|---|---|---|\n");
        for (k, p) in fields {
            let need = if required.contains(&k.as_str()) {
                "required"
            } else {
                "optional"
            };
            out.push_str(&format!("| `{k}` | {} | {need} |\n", type_of(p)));
        }
        out.push('\n');
    }
    out
}

pub fn commands_doc() -> String {
    let schema =
        serde_json::to_value(schemars::schema_for!(tributary_api::engine::edit::Command)).unwrap();
    let mut out = String::from(
        "# Edit commands\n\n\
         <!-- Generated from the Command type by crates/api/tests/api/commands_doc.rs; do not edit. -->\n\n\
         Every change to a model is one of these commands, as JSON with a `type`: what\n\
         `tributary edit FILE 'JSON'` (or `@file.json`) applies, and what the desktop app and the\n\
         workshop room send. Each is one undo step. The types of the fields are those of the\n\
         `tributary/1` model format ([JSON Schema](tributary-1.schema.json)).\n\n\
         ```console\n\
         $ tributary edit model.tributary '{\"type\":\"delete_scenario\",\"id\":\"future\"}'\n\
         ```\n\n",
    );
    for v in schema["oneOf"].as_array().unwrap() {
        out.push_str(&command_section(v));
    }
    out
}

#[test]
fn the_commands_reference_is_fresh() {
    check(&root().join("docs/commands.md"), &commands_doc());
}
