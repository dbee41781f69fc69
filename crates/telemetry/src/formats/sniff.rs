//! A look at the start of a file before a parser reads it: a binary file is refused naming the
//! byte that gives it away, and a file of another format than the one named is refused naming
//! the format it looks like.

use std::io::BufRead;

use super::{Context, Format};
use crate::error::{Location, Result};

/// Marks of each format in the first kilobytes of a file: all of `all` and one of `any`.
struct Marks {
    format: Format,
    all: &'static [&'static str],
    any: &'static [&'static str],
    what: &'static str,
}

const JSON_MARKS: &[Marks] = &[
    Marks {
        format: Format::GithubActionsJson,
        all: &["\"workflow_runs\""],
        any: &[],
        what: "GitHub Actions workflow runs",
    },
    Marks {
        format: Format::JiraJson,
        all: &["\"fields\""],
        any: &["\"changelog\"", "\"issues\"", "\"issuetype\""],
        what: "Jira issues",
    },
    Marks {
        format: Format::AzureDevopsJson,
        all: &["\"rev\""],
        any: &["\"workItemId\"", "\"System.", "\"revisedDate\""],
        what: "Azure DevOps work item updates",
    },
    Marks {
        format: Format::GitlabEventsJson,
        all: &["\"resource_type\"", "\"resource_id\""],
        any: &[],
        what: "GitLab resource events",
    },
    Marks {
        format: Format::GitlabPipelinesJson,
        all: &["\"sha\"", "\"ref\"", "\"status\""],
        any: &["/pipelines/", "\"source\"", "\"before_sha\""],
        what: "GitLab pipelines",
    },
    Marks {
        format: Format::GithubTimelineJson,
        all: &["\"event\""],
        any: &["\"actor\"", "\"node_id\"", "\"issue\""],
        what: "GitHub issue events or a timeline",
    },
];

const CSV_MARKS: &[Marks] = &[
    Marks {
        format: Format::EventsCsv,
        all: &["item_id", "from_state", "to_state"],
        any: &[],
        what: "the neutral events CSV",
    },
    Marks {
        format: Format::JiraHistoryCsv,
        all: &["issue_id", "created_date", "field"],
        any: &[],
        what: "Jira's issue_history CSV",
    },
    Marks {
        format: Format::JiraCsv,
        all: &["issue key", "created"],
        any: &[],
        what: "Jira's issue CSV",
    },
    Marks {
        format: Format::DeploymentsCsv,
        all: &["type", "id", "timestamp"],
        any: &[],
        what: "the deployments CSV",
    },
];

fn matches(text: &str, m: &Marks) -> bool {
    m.all.iter().all(|k| text.contains(k))
        && (m.any.is_empty() || m.any.iter().any(|k| text.contains(k)))
}

/// The format the start of a file looks like, if any says so clearly.
pub fn guess(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(&head[..head.len().min(64 << 10)]);
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if start.starts_with('{') || start.starts_with('[') {
        return JSON_MARKS
            .iter()
            .find(|m| matches(&text, m))
            .map(|m| m.format);
    }
    let header = start.lines().next().unwrap_or("").to_ascii_lowercase();
    let cols: Vec<&str> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    let has = |c: &str| cols.contains(&c);
    if let Some(m) = CSV_MARKS.iter().find(|m| m.all.iter().all(|c| has(c))) {
        return Some(m.format);
    }
    let first = cols.first().copied().unwrap_or("");
    (matches!(first, "id" | "key") && cols.len() > 2).then_some(Format::StageDatesCsv)
}

fn describe(f: Format) -> &'static str {
    JSON_MARKS
        .iter()
        .chain(CSV_MARKS)
        .find(|m| m.format == f)
        .map_or("stage dates", |m| m.what)
}

/// Refuses a binary file, JSON given as CSV and the reverse, and a file that clearly is
/// another format than `format`, each naming what it saw.
pub(crate) fn check(reader: &mut dyn BufRead, format: Format, cx: &Context<'_>) -> Result<()> {
    let head = reader.fill_buf().map_err(|source| super::io(cx, source))?;
    if head.is_empty() {
        return Err(cx.err(
            Location::File,
            format!("the file is empty; expected {format}"),
        ));
    }
    if let Some(pos) = head.iter().take(8192).position(|b| *b == 0) {
        return Err(cx.err(
            Location::File,
            format!(
                "this is not a text file (it holds binary data: a zero byte at offset {pos}); expected {format}"
            ),
        ));
    }
    let guessed = guess(head).filter(|g| *g != format && !looks_like(head, format));
    let hint = guessed.map_or(String::new(), |g| {
        format!(" It looks like {} (--format {g}).", describe(g))
    });
    let first = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    let json_like = first.is_some_and(|i| head[i] == b'{' || head[i] == b'[');
    if format.is_csv() && json_like {
        return Err(cx.err(
            Location::Line(1),
            format!("this looks like JSON, not CSV; expected {format}.{hint}"),
        ));
    }
    if !format.is_csv() && first.is_some() && !json_like {
        return Err(cx.err(
            Location::Line(1),
            format!("this is not JSON (it does not start with {{ or [); expected {format}.{hint}"),
        ));
    }
    if let Some(g) = guessed
        && g.is_csv() == format.is_csv()
    {
        return Err(cx.err(
            Location::File,
            format!(
                "this does not look like {format}: it looks like {} (use --format {g})",
                describe(g)
            ),
        ));
    }
    Ok(())
}

/// Whether the head carries the marks of `format` itself (then another format's marks do
/// not count against it: GitHub issue events hold "fields" nowhere, Jira issues no "event").
fn looks_like(head: &[u8], format: Format) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(64 << 10)]);
    let lower = text.to_ascii_lowercase();
    let marks = if format.is_csv() {
        CSV_MARKS
    } else {
        JSON_MARKS
    };
    marks.iter().filter(|m| m.format == format).any(|m| {
        if format.is_csv() {
            m.all.iter().all(|c| lower.contains(c))
        } else {
            matches(&text, m)
        }
    })
}
