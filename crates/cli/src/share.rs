//! Sharing models from the command line: `diff`, `merge`, `versions`, `conflicts`, `propose`,
//! `git setup` (and the drivers git calls), and `export --share`. Arguments are parsed here,
//! the work is the api's, and this module only prints (lines for people, `--json` for
//! machines). `diff` and `merge` exit 1 when the models differ or conflict, like `diff`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use tributary_api::share::{self, ConflictEntry, Diff, MergeReport, Side};
use tributary_api::{ApiError, ErrorCode, Session};

use crate::{out, show};

/// The sharing commands, flattened into the top-level command list.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// What differs between two models (.tributary or JSON), by item and name, and what it
    /// does to the numbers. Exit code 0 when they are equal, 1 when they differ.
    Diff {
        a: PathBuf,
        b: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Three-way merge of two models made from BASE. Exit code 1 when there are conflicts:
    /// the output holds ours for them and, as a model file, a record of each to resolve.
    Merge(MergeArgs),
    /// Named versions kept in a model file: list them, or save, restore, compare or delete one.
    Versions(VersionsArgs),
    /// The conflicts the last merge left in a model file; resolve one with --ours or --theirs.
    Conflicts(ConflictsArgs),
    /// Open the differences of a colleague's copy as a new scenario of FILE, to judge their
    /// business case before taking them (one undo step).
    Propose {
        file: PathBuf,
        theirs: PathBuf,
        /// The scenario's name (default: "Proposal from THEIRS").
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Models in git: `git setup` registers the merge and diff drivers in this repository.
    Git {
        #[command(subcommand)]
        command: GitCmd,
    },
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    pub base: PathBuf,
    pub ours: PathBuf,
    pub theirs: PathBuf,
    /// Where to write the result (may be OURS); JSON when it ends in .json.
    #[arg(short, long)]
    pub output: PathBuf,
    #[arg(long)]
    pub json: bool,
    /// Called by git as its merge driver: PATH is the file merged, for the undo step's name.
    #[arg(long, value_name = "PATH")]
    pub git: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("action").args(["save", "restore", "compare", "delete"])))]
pub struct VersionsArgs {
    pub file: PathBuf,
    /// Keep the model as it is now under NAME.
    #[arg(long, value_name = "NAME")]
    pub save: Option<String>,
    /// Who made the version (default: the model's author, else your login name).
    #[arg(long, requires = "save")]
    pub author: Option<String>,
    /// Make the model what version NAME holds (one undo step).
    #[arg(long, value_name = "NAME")]
    pub restore: Option<String>,
    /// What changed from version NAME to the model now, or to a second version.
    #[arg(long, value_name = "NAME", num_args = 1..=2)]
    pub compare: Option<Vec<String>>,
    #[arg(long, value_name = "NAME")]
    pub delete: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("side").args(["ours", "theirs"])))]
pub struct ConflictsArgs {
    pub file: PathBuf,
    /// Settle conflict ID by keeping ours (the model as it is).
    #[arg(long, value_name = "ID")]
    pub ours: Option<i64>,
    /// Settle conflict ID by taking theirs (one undo step).
    #[arg(long, value_name = "ID")]
    pub theirs: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum GitCmd {
    /// Register, in the repository of the current folder, a merge driver and a diff driver
    /// for *.tributary and *.tributary.json files (.gitattributes and the repository's config).
    Setup {
        #[arg(long)]
        json: bool,
    },
    /// git's diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE.
    #[command(hide = true)]
    Diff {
        #[arg(num_args = 7, required = true)]
        args: Vec<PathBuf>,
    },
    /// git's textconv: a model as canonical JSON.
    #[command(hide = true)]
    Textconv { file: PathBuf },
}

/// `export --share`: the flags, flattened into `export`.
#[derive(Debug, Args)]
pub struct ShareFlags {
    /// Write a clean .tributary to share: no undo history, no merge conflicts (needs -o).
    #[arg(long, requires = "output", conflicts_with_all = ["format", "stream", "table"])]
    pub share: bool,
    /// With --share, leave out the imported telemetry too.
    #[arg(long, requires = "share")]
    pub without_telemetry: bool,
}

pub fn run(cmd: Commands) -> Result<ExitCode, ApiError> {
    match cmd {
        Commands::Diff { a, b, json } => {
            let d = share::diff_files(&a, &b)?;
            show(json, &d, || diff_text(&d, &a, &b))?;
            Ok(differs(!d.is_empty()))
        }
        Commands::Merge(m) => merge(&m),
        Commands::Versions(v) => versions(&v),
        Commands::Conflicts(c) => conflicts(&c),
        Commands::Propose {
            file,
            theirs,
            name,
            json,
        } => {
            let mut s = Session::open(&file)?;
            let p = s.open_as_scenario(&theirs, name.as_deref())?;
            s.close()?;
            show(json, &p, || {
                let mut t = format!(
                    "scenario {:?} ({}) added to {}\n",
                    p.scenario_name,
                    p.scenario_id,
                    file.display()
                );
                section(&mut t, "changes", &p.included);
                section(&mut t, "PBCs added (serving no stage yet)", &p.new_pbcs);
                let left: Vec<String> = p
                    .left_out
                    .iter()
                    .map(|l| format!("{}: {}", l.text, l.reason))
                    .collect();
                section(&mut t, "not a scenario change, left out", &left);
                t.push_str(&crate::print::comparison(&p.comparison));
                t
            })
        }
        Commands::Git { command } => git(command),
    }
}

fn differs(yes: bool) -> ExitCode {
    if yes {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn section(out: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("{title}:\n"));
    for l in lines {
        out.push_str(&format!("  {l}\n"));
    }
}

/// A diff for people: what changed, then what it does to the numbers.
pub fn diff_text(d: &Diff, a: &Path, b: &Path) -> String {
    if d.is_empty() {
        return format!("{} and {} hold the same model\n", a.display(), b.display());
    }
    let mut t = format!("from {} to {}:\n", a.display(), b.display());
    for l in d.lines() {
        t.push_str(&format!("  {l}\n"));
    }
    section(&mut t, "what it does to the numbers", &d.impact.lines());
    t
}

fn conflict_lines(conflicts: &[ConflictEntry]) -> Vec<String> {
    conflicts
        .iter()
        .map(|c| match c.id {
            Some(id) => format!("[{id}] {}", c.conflict.text),
            None => c.conflict.text.clone(),
        })
        .collect()
}

fn merge(m: &MergeArgs) -> Result<ExitCode, ApiError> {
    let label = m.git.as_ref().map(|p| format!("Merge (git) of {p}"));
    let mut r = share::merge_files(&m.base, &m.ours, &m.theirs, &m.output, label.as_deref())?;
    if let Some(p) = &m.git {
        // git's own temporary file means nothing to the user
        r.output.clone_from(p);
    }
    show(m.json, &r, || merge_text(&r))?;
    Ok(differs(!r.conflicts.is_empty()))
}

fn merge_text(r: &MergeReport) -> String {
    let mut t = format!("merged into {}", r.output);
    if r.brought.is_empty() {
        t.push_str(": theirs brought nothing new\n");
    } else {
        t.push_str(", bringing in:\n");
        for l in r.brought.lines() {
            t.push_str(&format!("  {l}\n"));
        }
    }
    let n = r.conflicts.len();
    if n > 0 {
        let title = format!(
            "{} (ours kept; `tributary conflicts FILE --theirs ID` takes theirs)",
            crate::print::count(n, "conflict")
        );
        section(&mut t, &title, &conflict_lines(&r.conflicts));
    }
    t
}

fn versions(v: &VersionsArgs) -> Result<ExitCode, ApiError> {
    if let Some(names) = &v.compare {
        let s = Session::open_read_only(&v.file)?;
        let to = names.get(1).map(String::as_str);
        let d = s.compare_versions(&names[0], to)?;
        let there = Path::new(to.unwrap_or("the model now"));
        show(v.json, &d, || {
            diff_text(&d, Path::new(&format!("version {}", names[0])), there)
        })?;
        return Ok(differs(!d.is_empty()));
    }
    let mut s = Session::open(&v.file)?;
    let said = if let Some(name) = &v.save {
        let made = s.save_version(name, v.author.as_deref())?;
        Some(format!("saved version {:?}", made.name))
    } else if let Some(name) = &v.restore {
        s.restore_version(name)?;
        Some(format!(
            "restored version {name:?} (`tributary undo` takes it back)"
        ))
    } else if let Some(name) = &v.delete {
        s.delete_version(name)?;
        Some(format!("deleted version {name:?}"))
    } else {
        None
    };
    let list = s.versions()?;
    s.close()?;
    show(v.json, &list, || {
        let mut t = said.map(|l| format!("{l}\n")).unwrap_or_default();
        if list.is_empty() {
            t.push_str(&format!("{} has no versions\n", v.file.display()));
        }
        for x in &list {
            let by = x
                .author
                .as_deref()
                .map(|a| format!(", {a}"))
                .unwrap_or_default();
            t.push_str(&format!("  {}  ({}{by})\n", x.name, x.created_at));
        }
        t
    })
}

fn conflicts(c: &ConflictsArgs) -> Result<ExitCode, ApiError> {
    let mut s = Session::open(&c.file)?;
    let resolved = match (c.ours, c.theirs) {
        (Some(id), _) => Some((id, Side::Ours)),
        (_, Some(id)) => Some((id, Side::Theirs)),
        _ => None,
    };
    if let Some((id, side)) = resolved {
        s.resolve_conflict(id, side)?;
    }
    let list = s.conflicts()?;
    s.close()?;
    show(c.json, &list, || {
        let mut t = resolved
            .map(|(id, side)| format!("conflict {id} resolved: {side:?} kept\n").to_lowercase())
            .unwrap_or_default();
        if list.is_empty() {
            t.push_str(&format!(
                "{} has no conflicts to resolve\n",
                c.file.display()
            ));
        }
        section(&mut t, "to resolve", &conflict_lines(&list));
        t
    })
}

fn git(cmd: GitCmd) -> Result<ExitCode, ApiError> {
    match cmd {
        GitCmd::Setup { json } => {
            let here = std::env::current_dir()
                .map_err(|e| ApiError::new(ErrorCode::Io, format!("the current folder: {e}")))?;
            let program = std::env::current_exe().map_err(|e| {
                ApiError::new(ErrorCode::Io, format!("where tributary is installed: {e}"))
            })?;
            let r = share::git_setup(&here, &program)?;
            show(json, &r, || {
                let mut t = format!("git drivers for models set up in {}\n", r.repository);
                section(&mut t, &format!("added to {}", r.attributes), &r.added);
                let set: Vec<String> = r
                    .settings
                    .iter()
                    .map(|s| format!("{} = {}", s.key, s.value))
                    .collect();
                section(&mut t, "set in the repository's config", &set);
                t
            })
        }
        GitCmd::Diff { args } => {
            let d = share::git_diff(&args[1], &args[4])?;
            let path = args[0].display();
            let (a, b) = (format!("a/{path}"), format!("b/{path}"));
            // git stops on a driver that fails, so a difference is not an exit code here
            out(&format!(
                "tributary diff {a} {b}\n{}",
                diff_text(&d, Path::new(&a), Path::new(&b))
            ))
        }
        GitCmd::Textconv { file } => out(&share::textconv(&file)?),
    }
}

/// `export FILE --share -o OUT`.
pub fn export(
    file: &Path,
    output: Option<&Path>,
    flags: &ShareFlags,
) -> Result<ExitCode, ApiError> {
    let Some(out_path) = output else {
        return Err(ApiError::new(
            ErrorCode::Invalid,
            "export --share needs -o OUT, the .tributary file to write".to_owned(),
        ));
    };
    let r = share::share_file(file, out_path, !flags.without_telemetry)?;
    let mut t = format!("wrote {} to share\n", r.output);
    section(&mut t, "kept", &r.kept);
    section(&mut t, "left out", &r.left_out);
    out(&t)
}
