//! `ui/src/ipc/commands.ts`, the UI's typed calls into the shell, generated from the one list
//! of the app's commands (`tributary_api::ipc_commands!`). Re-made with
//! `UPDATE_GENERATED=1 cargo test -p tributary-api --test api`.

use std::collections::BTreeSet;

use ts_rs::{Config, TS, TypeVisitor};

use crate::generated::check;
use crate::root;

/// One command as the UI calls it.
struct Spec {
    name: &'static str,
    doc: Vec<String>,
    args: Vec<(&'static str, String)>,
    progress: Option<(&'static str, String)>,
    reply: String,
    /// The binding files the command's types live in.
    uses: BTreeSet<String>,
}

/// Collects the named types a signature's type is made of (`Reply` in `Reply | null`).
struct Named<'a>(&'a mut BTreeSet<String>, &'a Config);

impl TypeVisitor for Named<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.0.insert(T::ident(self.1));
        } else {
            // a wrapper (`Option<T>`, `Vec<T>`): the types it wraps
            T::visit_generics(self);
        }
    }
}

fn named<T: TS + 'static + ?Sized>(uses: &mut BTreeSet<String>) -> String {
    let cfg = Config::new();
    Named(uses, &cfg).visit::<T>();
    T::name(&cfg)
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in snake.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

macro_rules! specs {
    ($( $(#[doc = $doc:literal])* $name:ident (
        $($arg:ident : $ty:ty),* $(; $p:ident : $pty:ty)?
    ) -> $reply:ty ; )*) => {
        vec![$({
            let mut uses = BTreeSet::new();
            Spec {
                name: stringify!($name),
                doc: vec![$($doc.trim().to_owned()),*],
                args: vec![$((stringify!($arg), named::<$ty>(&mut uses))),*],
                progress: None$(.or(Some((stringify!($p), named::<$pty>(&mut uses)))))?,
                reply: named::<$reply>(&mut uses),
                uses,
            }
        }),*]
    };
}

fn command_ts(s: &Spec) -> String {
    let mut params: Vec<String> = s
        .args
        .iter()
        .map(|(a, t)| format!("{}: {t}", camel(a)))
        .collect();
    let mut fields: Vec<String> = s.args.iter().map(|(a, _)| camel(a)).collect();
    if let Some((p, t)) = &s.progress {
        params.push(format!("{}: (progress: {t}) => void", camel(p)));
        fields.push(format!("{0}: channel({0})", camel(p)));
    }
    let doc = if s.doc.is_empty() {
        String::new()
    } else {
        format!("  /** {} */\n", s.doc.join(" "))
    };
    let args = if fields.is_empty() {
        String::new()
    } else {
        format!(", {{ {} }}", fields.join(", "))
    };
    format!(
        "{doc}  {}: ({}) => call<{}>(\"{}\"{args}),\n",
        camel(s.name),
        params.join(", "),
        s.reply,
        s.name
    )
}

pub fn commands_ts() -> String {
    let specs: Vec<Spec> = tributary_api::ipc_commands!(specs);
    let uses: BTreeSet<&String> = specs.iter().flat_map(|s| &s.uses).collect();
    let mut out = String::from(
        "// Generated from tributary_api::ipc_commands! by crates/api/tests/api/bridge.rs; do not edit.\n\
         // Every command the UI sends to the desktop shell, with its arguments and its reply.\n\
         import { call, channel } from \"./invoke\";\n",
    );
    for u in uses {
        out.push_str(&format!("import type {{ {u} }} from \"./bindings/{u}\";\n"));
    }
    out.push_str("\nexport const commands = {\n");
    for s in &specs {
        out.push_str(&command_ts(s));
    }
    out.push_str("};\n\nexport type Commands = typeof commands;\n");
    out
}

#[test]
fn the_uis_calls_are_fresh() {
    check(&root().join("ui/src/ipc/commands.ts"), &commands_ts());
}
