//! `tributary telemetry fetch jira|github|gitlab|azure-devops`: the history read from the
//! tracker's API instead of an export, imported as a file would be. The token comes from an
//! environment variable (never an argument, so that it stays out of shell history and process
//! lists); progress goes to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tributary_api::telemetry::{
    AzureQuery, FetchOptions, FetchOutcome, FetchQuery, Format, GitHubQuery, GitLabQuery,
    ImportControl, ImportProgress, JiraQuery, Phase, fetch_token,
};
use tributary_api::{ApiError, Session};

use super::import::{ReadArgs, print_import};
use crate::show;

#[derive(Debug, Subcommand)]
pub enum FetchCmd {
    /// Jira Cloud or Server: the issues a JQL query finds, with their changelogs. Token:
    /// $TRIBUTARY_JIRA_TOKEN or $JIRA_API_TOKEN (an API token with --user, else a personal
    /// access token).
    Jira {
        #[command(flatten)]
        to: Target,
        /// The site, such as https://example.atlassian.net.
        #[arg(long)]
        site: String,
        #[arg(long)]
        jql: String,
        /// Jira Cloud: the account's e-mail (the token is then its API token).
        #[arg(long)]
        user: Option<String>,
    },
    /// GitHub: issues and pull requests with their timelines, and the runs of the deployment
    /// workflow. Token: $TRIBUTARY_GITHUB_TOKEN, $GITHUB_TOKEN or $GH_TOKEN.
    Github {
        #[command(flatten)]
        to: Target,
        /// OWNER/NAME.
        #[arg(long)]
        repo: String,
        /// The API (GitHub Enterprise: https://HOST/api/v3).
        #[arg(long, default_value = "https://api.github.com")]
        api: String,
        /// Deliveries only: no issues or timelines.
        #[arg(long)]
        no_issues: bool,
    },
    /// GitLab: a project's issues (and merge requests) with their resource events. Token:
    /// $TRIBUTARY_GITLAB_TOKEN or $GITLAB_TOKEN.
    Gitlab {
        #[command(flatten)]
        to: Target,
        /// The project's id or path (group/project).
        #[arg(long)]
        project: String,
        #[arg(long, default_value = "https://gitlab.com")]
        base: String,
        #[arg(long)]
        merge_requests: bool,
    },
    /// Azure DevOps: the work items a WIQL query finds, with their updates. Token (a personal
    /// access token): $TRIBUTARY_AZURE_DEVOPS_TOKEN or $AZURE_DEVOPS_EXT_PAT.
    AzureDevops {
        #[command(flatten)]
        to: Target,
        /// The organisation, https://dev.azure.com/ORG.
        #[arg(long)]
        org: String,
        #[arg(long)]
        project: String,
        #[arg(long)]
        wiql: String,
    },
}

/// Where a fetch goes and how it is read.
#[derive(Debug, Args)]
pub struct Target {
    /// The .tributary model file.
    file: PathBuf,
    /// The stream the data belongs to.
    #[arg(long)]
    stream: String,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long)]
    json: bool,
}

/// The query a subcommand names, and where it goes.
fn query(cmd: FetchCmd) -> (FetchQuery, Target) {
    match cmd {
        FetchCmd::Jira {
            to,
            site,
            jql,
            user,
        } => (
            FetchQuery::Jira(JiraQuery {
                site,
                jql,
                user,
                cloud: None,
            }),
            to,
        ),
        FetchCmd::Github {
            to,
            repo,
            api,
            no_issues,
        } => {
            let q = GitHubQuery {
                api,
                repo,
                workflows: to.read.workflow.clone(),
                branch: to.read.branch.clone(),
                event: to.read.event.clone(),
                issues: !no_issues,
            };
            (FetchQuery::GitHub(q), to)
        }
        FetchCmd::Gitlab {
            to,
            project,
            base,
            merge_requests,
        } => (
            FetchQuery::GitLab(GitLabQuery {
                base,
                project,
                merge_requests,
            }),
            to,
        ),
        FetchCmd::AzureDevops {
            to,
            org,
            project,
            wiql,
        } => (
            FetchQuery::AzureDevOps(AzureQuery { org, project, wiql }),
            to,
        ),
    }
}

/// Fetching progress on stderr, at most every 500 items.
fn progress(p: ImportProgress) {
    if p.phase == Phase::Fetching && p.done % 500 < 100 {
        let of = if p.total > 0 {
            format!(" of {}", p.total)
        } else {
            String::new()
        };
        let _ = writeln!(std::io::stderr(), "fetched {}{of} items", p.done);
    }
}

pub fn run(cmd: FetchCmd) -> Result<ExitCode, ApiError> {
    let (q, to) = query(cmd);
    let now = super::now();
    let opts = to.read.options(&to.stream, Format::JiraJson, &now)?;
    let token = match fetch_token(&q) {
        Some((var, t)) => {
            let _ = writeln!(std::io::stderr(), "using the token in ${var}");
            Some(t)
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "no token in ${}: asking without one (public data only, lower rate limits)",
                q.token_variables().join(" or $")
            );
            None
        }
    };
    let mut doc = Session::open(&to.file)?;
    let control = ImportControl {
        progress: Some(&progress),
        cancel: None,
    };
    let out = doc.fetch(&q, token, &opts, &FetchOptions::default(), control)?;
    doc.close()?;
    show(to.json, &out, || print_fetch(&to, &out))
}

fn print_fetch(to: &Target, out: &FetchOutcome) -> String {
    let f = &out.fetch;
    let mut s = format!(
        "fetched {} items from {} ({} requests, {} tried again, {:.1} s waiting){}\n",
        f.items,
        f.source,
        f.requests,
        f.retries,
        f.waited_ms as f64 / 1000.0,
        f.since
            .as_ref()
            .map_or(String::new(), |t| format!("; what changed since {t}"))
    );
    if f.cut {
        s.push_str("note: the fetch stopped at its limit of items: there may be more\n");
    }
    for n in &f.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    for r in &out.imports {
        s.push('\n');
        s.push_str(&print_import(&to.file, std::path::Path::new(&r.source), r));
    }
    s
}
