//! What the desktop app needs of the engine beyond editing one model: the models File > New
//! starts from (a blank model, the bundled examples, starter PBC catalogues), the untitled
//! models kept in the app's own folder, the glossary, and errors in the user's words.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::{Model, exchange};
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Result};

pub use tributary_core::glossary::{Term, terms as glossary};

/// Help > About: what this build of Tributary is and what it is made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct About {
    /// "0.1.0"
    pub version: String,
    /// "commit 1a2b3c4d5e6f" for a packaged build, else "a development build".
    pub build: String,
    /// Tributary's own licence.
    pub licence: String,
    /// The fonts drawn into reports and pictures, with their licence.
    pub fonts: String,
    /// The file listing every library and font the package bundles with its licence, where
    /// the package installed it; `null` for a build from a checkout.
    pub third_party: Option<String>,
}

/// What a package installed beside the program `exe` (`/usr/bin/tributary` ->
/// `/usr/share/...`): `file` under the prefix's `share/`, where it exists.
pub fn installed(exe: Option<&Path>, file: &str) -> Option<std::path::PathBuf> {
    let path = exe?.parent()?.parent()?.join("share").join(file);
    path.exists().then_some(path)
}

/// About this build; `exe` is the running program, beside which a package installs
/// `share/doc/tributary/THIRD-PARTY.md`.
pub fn about(exe: Option<&Path>) -> About {
    let third_party = installed(exe, "doc/tributary/THIRD-PARTY.md")
        .filter(|p| p.is_file())
        .map(|p| p.to_string_lossy().into_owned());
    About {
        version: crate::VERSION.to_owned(),
        build: crate::BUILD.to_owned(),
        licence: "MIT OR Apache-2.0".to_owned(),
        fonts: "Inter, by Rasmus Andersson (SIL Open Font License 1.1)".to_owned(),
        third_party,
    }
}

/// What a template starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// An empty model with one empty stream.
    Blank,
    /// A worked example: streams, PBCs, a scenario and initiatives.
    Example,
    /// An empty stream and a starter library of typical PBCs of an industry.
    Catalogue,
}

/// One choice of File > New.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Template {
    pub id: String,
    pub kind: TemplateKind,
    pub name: String,
    pub description: String,
    pub stages: u32,
    pub pbcs: u32,
    /// Business domains of the PBCs, for a catalogue ("Lending", "Payments", ...).
    pub domains: Vec<String>,
}

/// The bundled examples and catalogues, by template id.
const SOURCES: &[(&str, TemplateKind, &str)] = &[
    (
        "example-mortgage",
        TemplateKind::Example,
        include_str!("../../../assets/examples/mortgage.json"),
    ),
    (
        "example-distributor",
        TemplateKind::Example,
        include_str!("../../../assets/examples/distributor.json"),
    ),
    (
        "example-returns",
        TemplateKind::Example,
        include_str!("../../../assets/examples/returns.json"),
    ),
    (
        "example-telecom",
        TemplateKind::Example,
        include_str!("../../../assets/examples/telecom.json"),
    ),
    (
        "catalogue-banking",
        TemplateKind::Catalogue,
        include_str!("../../../assets/catalogues/banking.json"),
    ),
    (
        "catalogue-retail",
        TemplateKind::Catalogue,
        include_str!("../../../assets/catalogues/retail.json"),
    ),
    (
        "catalogue-telecom",
        TemplateKind::Catalogue,
        include_str!("../../../assets/catalogues/telecom.json"),
    ),
];

/// Every choice of File > New: the blank model first, then the examples, then the catalogues.
pub fn templates() -> Result<Vec<Template>> {
    let mut out = vec![describe(
        "blank",
        TemplateKind::Blank,
        &crate::untitled_model(),
    )];
    for (id, kind, text) in SOURCES {
        out.push(describe(id, *kind, &exchange::from_json(text)?));
    }
    Ok(out)
}

fn describe(id: &str, kind: TemplateKind, m: &Model) -> Template {
    let mut domains: Vec<String> = Vec::new();
    for d in m.pbcs.iter().filter_map(|p| p.domain.clone()) {
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    Template {
        id: id.to_owned(),
        kind,
        name: match kind {
            TemplateKind::Blank => "Blank model".to_owned(),
            // the model it makes is untitled; the card says whose capabilities it holds
            TemplateKind::Catalogue => catalogue_title(id),
            _ => m.name.clone(),
        },
        description: match kind {
            TemplateKind::Blank => {
                "One empty value stream: draw its stages and create its PBCs.".to_owned()
            }
            _ => m.description.clone().unwrap_or_default(),
        },
        stages: m.streams.iter().map(|s| s.stages.len() as u32).sum(),
        pbcs: m.pbcs.len() as u32,
        domains,
    }
}

/// "catalogue-banking" is offered as "Banking: starter PBC catalogue".
fn catalogue_title(id: &str) -> String {
    let sector = id.strip_prefix("catalogue-").unwrap_or(id);
    let mut chars = sector.chars();
    let sector: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{sector}: starter PBC catalogue")
}

/// The model a template makes. A catalogue's model is named "Untitled model", as a blank one.
pub fn template_model(id: &str) -> Result<Model> {
    if id == "blank" {
        return Ok(crate::untitled_model());
    }
    let (_, _, text) = SOURCES.iter().find(|(i, _, _)| *i == id).ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("template {id:?}"))
            .with_plain("That kind of model is not offered any more.")
    })?;
    Ok(exchange::from_json(text)?)
}

/// The PBC x stage matrix of the baseline, or of `scenario` applied to it.
pub fn dependency_matrix(
    model: &Model,
    scenario: Option<&str>,
) -> Result<tributary_core::matrix::DependencyMatrix> {
    use tributary_core::scenario as sc;
    match scenario {
        None => crate::dependency_matrix(model),
        Some(id) => {
            let (applied, _) = sc::apply(model, sc::find(model, id)?)?;
            crate::dependency_matrix(&applied)
        }
    }
}

/// An untitled model kept in the app's own folder: made with File > New and not yet saved to
/// a place the user chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
pub struct UntitledModel {
    pub path: String,
    /// The model's name, as its file holds it.
    pub name: String,
    /// When it was last changed, local time, "YYYY-MM-DD HH:MM".
    pub modified: String,
    pub stages: u32,
    pub pbcs: u32,
}

/// The untitled models in `dirs`, the most recently changed first. A file that cannot be read
/// is left out (it is named when the user opens it).
pub fn untitled_models(dirs: &[&Path]) -> Vec<UntitledModel> {
    let mut found: Vec<(std::time::SystemTime, UntitledModel)> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tributary"))
        .filter_map(|p| {
            let when = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            let doc = tributary_store::Document::open_read_only(&p).ok()?;
            let m = doc.model();
            Some((
                when,
                UntitledModel {
                    path: p.to_string_lossy().into_owned(),
                    name: m.name.clone(),
                    modified: local_time(when),
                    stages: m.streams.iter().map(|s| s.stages.len() as u32).sum(),
                    pbcs: m.pbcs.len() as u32,
                },
            ))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, u)| u).collect()
}

fn local_time(t: std::time::SystemTime) -> String {
    jiff::Timestamp::try_from(t)
        .map(|ts| {
            ts.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Deletes an untitled model the user discards. Only files in `dirs` are ever removed.
pub fn discard_untitled(dirs: &[&Path], path: &Path) -> Result<()> {
    let inside = path.parent().is_some_and(|p| dirs.contains(&p))
        && path.extension().is_some_and(|x| x == "tributary");
    if !inside {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("{} is not an untitled model", path.display()),
        )
        .with_plain("Only unsaved models can be discarded here."));
    }
    std::fs::remove_file(path).map_err(|e| {
        ApiError::new(ErrorCode::Io, format!("{}: {e}", path.display()))
            .with_plain("The unsaved model could not be discarded.")
    })?;
    let _ = std::fs::remove_file(tributary_store::lock_path(path));
    Ok(())
}

/// The error in the app's words: every id it quotes becomes the name people gave the item,
/// and places in the file (paths, `streams[0].stages[1].wait_time`) are left to the message.
pub fn in_plain_words(model: &Model, mut e: ApiError) -> ApiError {
    e.plain = humanize(model, &e.plain);
    for p in &mut e.problems {
        p.plain = humanize(model, &p.plain);
    }
    e
}

/// The name of the item whose id is `id`, if the model has one.
fn name_of<'m>(model: &'m Model, id: &str) -> Option<&'m str> {
    let stage = model
        .streams
        .iter()
        .flat_map(|s| &s.stages)
        .find(|st| st.id == id);
    stage
        .map(|s| s.name.as_str())
        .or_else(|| model.stream(id).map(|s| s.name.as_str()))
        .or_else(|| model.pbc(id).map(|p| p.name.as_str()))
        .or_else(|| model.scenario(id).map(|s| s.name.as_str()))
        .or_else(|| {
            let i = model.initiatives.iter().find(|i| i.id == id);
            i.map(|i| i.name.as_str())
        })
}

/// Where a sentence starts after what only a developer reads: a file path, a place in the
/// document, "error:".
pub fn skip_places(text: &str) -> &str {
    let mut rest = text.trim_start();
    while let Some((head, tail)) = rest.split_once(": ") {
        let place = head.contains('/')
            || head.contains('\\')
            || head == "error"
            || head == "warning"
            || is_document_path(head);
        if !place {
            break;
        }
        rest = tail.trim_start();
    }
    rest
}

/// `assignments[1].wait_time`, `streams[0]`, `format`: a place in the exchange document.
fn is_document_path(s: &str) -> bool {
    (s.contains('[') || s.contains('.'))
        && !s.contains(' ')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_[].".contains(c))
}

fn humanize(model: &Model, text: &str) -> String {
    let rest = skip_places(text);
    let mut out = String::with_capacity(rest.len());
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        // a quoted id or name, as Rust's Debug writes it: up to the next unescaped quote
        let mut inner = String::new();
        let mut closed = false;
        while let Some((_, d)) = chars.next() {
            match d {
                '\\' => {
                    if let Some((_, e)) = chars.next() {
                        inner.push(e);
                    }
                }
                '"' => {
                    closed = true;
                    break;
                }
                _ => inner.push(d),
            }
        }
        if !closed {
            out.push_str(&rest[i..]);
            break;
        }
        let shown = name_of(model, &inner).unwrap_or(&inner);
        out.push('“');
        out.push_str(shown);
        out.push('”');
    }
    sentence(out)
}

/// Starts with a capital and ends with a full stop.
fn sentence(s: String) -> String {
    let mut chars = s.chars();
    let mut out = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => return s,
    };
    if !out.ends_with(['.', '!', '?', ')']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn model() -> Model {
        let mut m = template_model("example-mortgage").unwrap();
        m.streams[0].stages[1].id = "stage-4".into();
        m
    }

    #[test]
    fn ids_become_names_and_places_go() {
        let m = model();
        let name = m.streams[0].stages[1].name.clone();
        let text = "/home/ann/Untitled model.tributary: error: assignments[1].wait_time: stage \"stage-4\" of stream \"mortgage\": wait_time is -4";
        let plain = humanize(&m, text);
        assert_eq!(
            plain,
            format!(
                "Stage “{name}” of stream “{}”: wait_time is -4.",
                m.streams[0].name
            )
        );
        assert!(!plain.contains('/') && !plain.contains("stage-4"));
    }

    #[test]
    fn sentences_already_plain_stay_as_they_are() {
        let m = model();
        let s = "The wait time of “Credit scoring” cannot be negative.";
        assert_eq!(humanize(&m, s), s);
        // a quoted name that is no id is kept, in the app's quotes
        assert_eq!(humanize(&m, "no \"xyz\" here"), "No “xyz” here.");
    }

    #[test]
    fn every_template_opens_and_says_what_it_holds() {
        let all = templates().unwrap();
        assert_eq!(all.len(), 8, "blank, four examples, three catalogues");
        let banking = all.iter().find(|t| t.id == "catalogue-banking").unwrap();
        assert_eq!(banking.name, "Banking: starter PBC catalogue");
        assert_eq!(all[0].kind, TemplateKind::Blank);
        for t in &all {
            let m = template_model(&t.id).unwrap();
            assert_eq!(t.pbcs as usize, m.pbcs.len(), "{}", t.id);
            if t.kind == TemplateKind::Catalogue {
                assert!(t.pbcs >= 12, "{}: a useful starter library", t.id);
                assert!(m.pbcs.iter().all(|p| p.domain.is_some()), "{}", t.id);
                assert!(t.domains.len() >= 5, "{}", t.id);
                assert_eq!(m.streams.len(), 1, "{}: one stream to draw on", t.id);
            }
        }
        assert!(template_model("nope").is_err());
    }

    #[test]
    fn untitled_models_are_listed_newest_first_and_only_they_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("Untitled model.tributary");
        let b = dir.path().join("Untitled model 2.tributary");
        let mut m = crate::untitled_model();
        crate::Session::create(&a, &m).unwrap().close().unwrap();
        m.name = "Returns pilot".into();
        std::thread::sleep(std::time::Duration::from_millis(20));
        crate::Session::create(&b, &m).unwrap().close().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let list = untitled_models(&[dir.path()]);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name, "Returns pilot");
        assert_eq!(list[0].modified.len(), 16, "{}", list[0].modified);
        let outside = tempfile::tempdir().unwrap();
        let other = outside.path().join("mine.tributary");
        std::fs::write(&other, b"x").unwrap();
        assert!(discard_untitled(&[dir.path()], &other).is_err());
        assert!(other.exists());
        discard_untitled(&[dir.path()], &a).unwrap();
        assert_eq!(untitled_models(&[dir.path()]).len(), 1);
    }

    /// A path or a place in the document is skipped; a sentence that names a file is not.
    #[test]
    fn places_are_skipped_sentences_kept() {
        assert_eq!(
            skip_places("/tmp/x/broken.tributary: not a Tributary model"),
            "not a Tributary model"
        );
        assert_eq!(
            skip_places("error: streams[0].stages[0].process_time: cannot be negative"),
            "cannot be negative"
        );
        let named = "“broken.tributary” could not be opened: not a Tributary model";
        assert_eq!(skip_places(named), named);
    }

    #[test]
    fn about_names_the_licence_list_only_where_a_package_installed_it() {
        let plain = about(None);
        assert_eq!(plain.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(plain.third_party, None);
        let prefix = tempfile::tempdir().unwrap();
        let exe = prefix.path().join("bin/tributary-app");
        assert_eq!(about(Some(&exe)).third_party, None);
        let doc = prefix.path().join("share/doc/tributary");
        std::fs::create_dir_all(&doc).unwrap();
        std::fs::write(
            doc.join("THIRD-PARTY.md"),
            "# What Tributary is built from\n",
        )
        .unwrap();
        let listed = about(Some(&exe)).third_party.unwrap();
        assert!(
            listed.ends_with("share/doc/tributary/THIRD-PARTY.md"),
            "{listed}"
        );
    }
}
