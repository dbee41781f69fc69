//! The codebase's own rules, as tests: a rule in `ARCHITECTURE.md` that no test checks would
//! drift. Each failure says what is wrong and where.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Our crates by short name ("core" for tributary-core, "app" for the desktop shell), with
/// their manifests.
fn manifests() -> BTreeMap<String, toml::Table> {
    let mut out = BTreeMap::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.push(root().join("src-tauri"));
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let table: toml::Table = text.parse().unwrap();
        let name = table["package"]["name"].as_str().unwrap().to_owned();
        let short = name.trim_start_matches("tributary-").to_owned();
        out.insert(short, table);
    }
    out
}

/// A crate's normal dependencies (not dev- or build-dependencies).
fn dependencies(m: &toml::Table) -> BTreeSet<String> {
    m.get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

/// The arrows ARCHITECTURE.md draws, from the block after its `<!-- tidy: arrows -->` line:
/// `api -> core, store` means api may depend on core and store.
fn drawn_arrows() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let block = text
        .split("<!-- tidy: arrows -->")
        .nth(1)
        .expect("ARCHITECTURE.md has a `<!-- tidy: arrows -->` block");
    let block = block
        .split("```")
        .nth(1)
        .expect("the arrows in a ``` block");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in block.lines().filter(|l| l.contains("->")) {
        let (from, to) = line.split_once("->").unwrap();
        let to: BTreeSet<String> = to.split(',').map(|t| t.trim().to_owned()).collect();
        out.entry(from.trim().to_owned()).or_default().extend(to);
    }
    out
}

#[test]
fn our_crates_depend_only_along_the_arrows_architecture_md_draws() {
    let arrows = drawn_arrows();
    let crates = manifests();
    let mut wrong = Vec::new();
    for (name, m) in &crates {
        for dep in dependencies(m) {
            let Some(target) = dep.strip_prefix("tributary-") else {
                continue;
            };
            if !arrows.get(name).is_some_and(|a| a.contains(target)) {
                wrong.push(format!("{name} -> {target}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies ARCHITECTURE.md does not draw: {}",
        wrong.join("; ")
    );
    // and the map names no crate that does not exist
    for name in arrows.keys().chain(arrows.values().flatten()) {
        assert!(
            crates.contains_key(name),
            "ARCHITECTURE.md draws {name:?}, which is not a crate"
        );
    }
}

#[test]
fn only_the_store_touches_sqlite() {
    for (name, m) in manifests() {
        if name != "store" {
            assert!(
                !dependencies(&m).contains("rusqlite"),
                "{name} depends on rusqlite: the store owns every query"
            );
        }
    }
}

#[test]
fn the_cli_and_the_shell_call_the_api_alone() {
    let crates = manifests();
    // The room is a server over the api (it reaches the model through a host), not a way
    // round it: the shells may open one.
    for shell in ["cli", "app"] {
        let ours: Vec<String> = dependencies(&crates[shell])
            .into_iter()
            .filter(|d| d.starts_with("tributary-") && d != "tributary-room")
            .collect();
        assert_eq!(
            ours,
            ["tributary-api"],
            "{shell} must reach the engine through the api"
        );
    }
}

// ---- short functions ----------------------------------------------------------------------

/// The longest a function may be without a reason written beside it.
const MAX_LINES: usize = 80;

/// The source with comments, strings and character literals blanked (newlines kept), so
/// that braces can be counted.
fn code_only(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            i + 2 + find(&rest[2..], b"*/").map_or(rest.len(), |p| p + 2)
        } else if let Some(n) = raw_string(b, i) {
            n
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else if rest[0] == b'\'' && char_literal(rest) > 0 {
            i + char_literal(rest)
        } else {
            i += 1;
            continue;
        };
        blank(&mut out, i, end);
        i = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The end of a raw string `r#"..."#` starting at `i`, if one does.
fn raw_string(b: &[u8], i: usize) -> Option<usize> {
    if b[i] != b'r' || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
        return None;
    }
    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
    if b.get(i + 1 + hashes) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let start = i + 2 + hashes;
    Some(find(&b[start..], &close).map_or(b.len(), |p| start + p + close.len()))
}

/// The length of a character literal at the start of `rest` ('a', '\n', '\u{..}'), or 0 for a
/// lifetime.
fn char_literal(rest: &[u8]) -> usize {
    match rest.get(1) {
        Some(b'\\') => rest[2..]
            .iter()
            .position(|&c| c == b'\'')
            .map_or(0, |p| p + 3),
        Some(_) => {
            let len = std::str::from_utf8(&rest[1..rest.len().min(5)])
                .ok()
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            if rest.get(1 + len) == Some(&b'\'') {
                len + 2
            } else {
                0
            }
        }
        None => 0,
    }
}

/// Every function of a source file: its name, first line and number of lines.
fn functions(src: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(src);
    let text = String::from_utf8_lossy(&code);
    let line_of = |pos: usize| code[..pos].iter().filter(|&&c| c == b'\n').count() + 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("fn ") {
        let at = from + p;
        from = at + 3;
        if at > 0 && (code[at - 1].is_ascii_alphanumeric() || code[at - 1] == b'_') {
            continue;
        }
        let name: String = text[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = body_start(&code, at) else {
            continue;
        };
        let close = matching(&code, open);
        out.push((name, line_of(at), line_of(close) - line_of(at) + 1));
    }
    out
}

/// The `{` that opens the body of the function at `at`, or `None` for a declaration.
fn body_start(code: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, &c) in code.iter().enumerate().skip(at) {
        match c {
            b'(' | b'[' | b'<' => depth += 1,
            b')' | b']' | b'>' if code.get(i.wrapping_sub(1)) != Some(&b'-') => depth -= 1,
            b';' if depth <= 0 => return None,
            b'{' if depth <= 0 => return Some(i),
            _ => {}
        }
    }
    None
}

fn matching(code: &[u8], open: usize) -> usize {
    let mut depth = 0;
    for (i, &c) in code.iter().enumerate().skip(open) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    code.len() - 1
}

/// A `// long: why` comment in the lines just before line `line` (1-based) excuses a function.
fn excused(lines: &[&str], line: usize) -> bool {
    lines[..line - 1]
        .iter()
        .rev()
        .take_while(|l| {
            let t = l.trim_start();
            t.starts_with("//") || t.starts_with("#[") || t.starts_with("///")
        })
        .any(|l| l.trim_start().starts_with("// long:"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Production code: every crate's `src`, and the desktop shell's.
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        rust_files(&entry.path().join("src"), &mut files);
    }
    rust_files(&root().join("src-tauri/src"), &mut files);
    files.sort();
    files
}

#[test]
fn functions_are_short_or_say_why_not() {
    let mut long = Vec::new();
    for path in sources() {
        let src = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = src.lines().collect();
        for (name, line, len) in functions(&src) {
            if len > MAX_LINES && !excused(&lines, line) {
                let rel = path
                    .strip_prefix(root())
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                long.push(format!("{rel}:{line} {name} ({len} lines)"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "{} functions are over {MAX_LINES} lines with no `// long: why` beside them:\n  {}",
        long.len(),
        long.join("\n  ")
    );
}

#[test]
fn the_function_counter_counts_what_a_reader_sees() {
    let src = "fn a() {\n    let s = \"}\";\n    // }\n    let c = '}';\n}\nfn b<'x>(v: &'x str) -> &'x str { v }\nfn decl();\n";
    let f = functions(src);
    assert_eq!(
        f,
        vec![("a".to_owned(), 1, 5), ("b".to_owned(), 6, 1)],
        "{f:?}"
    );
    let raw = "fn r() {\n    let _ = r#\"{ \"# ;\n}\n";
    assert_eq!(functions(raw), vec![("r".to_owned(), 1, 3)]);
}
