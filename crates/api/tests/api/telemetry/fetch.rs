//! Fetching from the trackers' APIs, end to end through a session, against a loopback server
//! (127.0.0.1 only, a bounded number of requests, stopping by itself) that answers with
//! recorded responses in the real APIs' shapes: the real Jira Cloud search of
//! shared/external cut into pages, the real GitHub timelines and runs, the real GitLab state
//! events and the real Azure DevOps updates. Pages, a 429 with `Retry-After`, GitHub's secondary
//! limit, an expired token, a connection cut mid-fetch and a cancel.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tributary_api::ErrorCode;
use tributary_api::telemetry::{
    AzureQuery, FetchOptions, FetchOutcome, FetchQuery, GitHubQuery, GitLabQuery, ImportControl,
    ImportOptions, JiraQuery, Mapping, MappingToml,
};

use super::common::*;
use super::real::external;

/// What the mock server answers.
pub enum Answer {
    Json(u16, Vec<(&'static str, String)>, String),
    /// Headers that promise a body, half of it, then the connection closes.
    Cut(String),
}

pub fn ok(body: &Value) -> Answer {
    Answer::Json(200, Vec::new(), body.to_string())
}

pub type Route = Box<dyn Fn(&str) -> Answer + Send>;

/// A loopback server; `log` holds each request's URL and Authorization header.
pub struct Mock {
    pub base: String,
    log: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Serves at most `max` requests on 127.0.0.1, one a connection, each answered by
/// `route(base)(url)`; stops when asked for its log, or by itself after 10 s without a request. HTTP/1.1 with
/// `Connection: close`, written out here so that a test can cut a connection mid-answer.
pub fn serve(max: usize, route: impl FnOnce(&str) -> Route) -> Mock {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let route = route(&base);
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    let thread = std::thread::spawn(move || {
        let mut last = Instant::now();
        let mut served = 0;
        while served < max
            && last.elapsed() < Duration::from_secs(10)
            && !stopped.load(Ordering::Relaxed)
        {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            served += 1;
            last = Instant::now();
            if let Some((url, auth)) = request(&stream) {
                seen.lock().unwrap().push((url.clone(), auth));
                answer(stream, route(&url));
            }
        }
    });
    Mock {
        base,
        log,
        stop,
        thread: Some(thread),
    }
}

/// The URL and Authorization (or PRIVATE-TOKEN) header of the request on `stream`.
fn request(stream: &TcpStream) -> Option<(String, String)> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut r = BufReader::new(stream);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let url = line.split_whitespace().nth(1)?.to_owned();
    let (mut auth, mut length) = (String::new(), 0usize);
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        match k.to_ascii_lowercase().as_str() {
            "authorization" | "private-token" => auth = v.trim().to_owned(),
            "content-length" => length = v.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body).ok()?;
    Some((url, auth))
}

fn answer(mut stream: TcpStream, a: Answer) {
    let (status, headers, body, promised) = match a {
        Answer::Json(s, h, b) => {
            let n = b.len();
            (s, h, b, n)
        }
        Answer::Cut(b) => {
            let n = b.len() * 2;
            (200, Vec::new(), b, n)
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {promised}\r\nConnection: close\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

impl Mock {
    /// The requests served, once the server has stopped.
    pub fn log(mut self) -> Vec<(String, String)> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.log.lock().unwrap().clone()
    }
}

/// A query parameter of a request URL, decoded enough for these tests.
pub fn param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| {
            v.replace('+', " ")
                .replace("%22", "\"")
                .replace("%3E", ">")
                .replace("%3D", "=")
                .replace("%2F", "/")
                .replace("%20", " ")
                .replace("%3A", ":")
                .replace("%28", "(")
                .replace("%29", ")")
        })
    })
}

pub fn quick() -> FetchOptions {
    FetchOptions {
        page_size: 10,
        retries: 2,
        backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(5),
        secondary_wait: Duration::from_millis(200),
        timeout: Duration::from_secs(10),
        ..FetchOptions::default()
    }
}

const AA: &str = "jira/actionableagile-jira-to-analytics_search-with-changelog.json";
const AA_MAP: &str = "[states]\n\"Backlog\" = \"new\"\n\"Analysis Active\" = \"active\"\n\"Analysis Done\" = \"waiting\"\n\"Dev Active\" = \"active\"\n\"Dev Done\" = \"waiting\"\n\"Test\" = \"active\"\n\"Done\" = \"done\"\n";

fn issues() -> Vec<Value> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(external(AA)).unwrap()).unwrap();
    doc["issues"].as_array().unwrap().clone()
}

/// A page of Jira Server's `/rest/api/2/search`, as `startAt` asks.
fn search_page(url: &str) -> Answer {
    let all = issues();
    let start: usize = param(url, "startAt")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let size: usize = param(url, "maxResults")
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let page: Vec<Value> = all.iter().skip(start).take(size).cloned().collect();
    ok(&json!({"startAt": start, "maxResults": size, "total": all.len(), "issues": page}))
}

fn jira(base: &str) -> FetchQuery {
    FetchQuery::Jira(JiraQuery {
        site: base.to_owned(),
        jql: "project = UT ORDER BY created".into(),
        user: None,
        cloud: Some(false),
    })
}

fn opts() -> ImportOptions {
    let mut o = ImportOptions::new("delivery", tributary_api::telemetry::Format::JiraJson, NOW);
    o.mapping = Some(Mapping::from_toml(AA_MAP).unwrap());
    o
}

fn fetch(
    f: &mut Fixture,
    q: &FetchQuery,
    token: Option<&str>,
    o: &ImportOptions,
) -> tributary_api::Result<FetchOutcome> {
    f.session.fetch(
        q,
        token.map(str::to_owned),
        o,
        &quick(),
        ImportControl::default(),
    )
}

#[test]
fn jira_pages_are_followed_a_429_is_waited_out_and_the_import_is_a_file_s() {
    let asked = Arc::new(Mutex::new(0));
    let n = asked.clone();
    let mock = serve(20, |_| {
        Box::new(move |url| {
            let mut k = n.lock().unwrap();
            *k += 1;
            if param(url, "startAt").as_deref() == Some("10") && *k == 2 {
                return Answer::Json(
                    429,
                    vec![("Retry-After", "1".into())],
                    "{\"errorMessages\":[\"Rate limit exceeded\"]}".into(),
                );
            }
            search_page(url)
        })
    });
    let mut f = document();
    let out = fetch(&mut f, &jira(&mock.base), Some("s3cret"), &opts()).unwrap();
    // Three pages of 10, 10 and 5 issues, and the page asked again after the 429.
    assert_eq!(
        (out.fetch.requests, out.fetch.retries, out.fetch.items),
        (4, 1, 25)
    );
    assert!(out.fetch.waited_ms >= 1000, "{:?}", out.fetch);
    let r = &out.imports[0];
    assert_eq!((r.rows.read, r.rows.used, r.events_added), (25, 25, 89));
    assert_eq!(
        r.source,
        "jira http://127.0.0.1 (project = UT ORDER BY created)"
            .replace("http://127.0.0.1", &mock.base)
    );
    // The same figures as the file (real.rs, check_real.py).
    let ct = f.session.flow("delivery", None, None).unwrap().cycle_time;
    assert_close(ct.p50, 18.0264682176);
    assert_close(ct.p95, 123.9843405532);
    assert!(!format!("{:?}", out).contains("s3cret"));
    assert!(!dump(&f.path).iter().any(|r| r.contains("s3cret")));
    // The next fetch asks for what changed since the last one (less a day), adds nothing.
    let out = fetch(&mut f, &jira(&mock.base), Some("s3cret"), &opts()).unwrap();
    assert_eq!(
        (out.imports[0].events_added, out.imports[0].events_existing),
        (0, 89)
    );
    assert_eq!(out.fetch.since.as_deref(), Some(NOW));
    let log = mock.log();
    assert!(log.iter().all(|(_, a)| a == "Bearer s3cret"), "{log:?}");
    let jql = param(&log[4].0, "jql").unwrap();
    assert_eq!(
        jql,
        "(project = UT) AND updated >= \"2024/03/09 12:00\" ORDER BY created"
    );
}

#[test]
fn an_expired_token_stores_nothing_and_says_where_tokens_are_read_from() {
    let mock = serve(5, |_| {
        Box::new(|_| {
            Answer::Json(
                401,
                Vec::new(),
                "{\"message\":\"Client must be authenticated to access this resource.\"}".into(),
            )
        })
    });
    let mut f = document();
    let e = fetch(&mut f, &jira(&mock.base), Some("old"), &opts()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Io);
    assert!(
        e.message
            .contains("HTTP 401: the token was refused (expired, revoked or wrong)"),
        "{e}"
    );
    assert!(
        e.message
            .contains("$TRIBUTARY_JIRA_TOKEN or $JIRA_API_TOKEN"),
        "{e}"
    );
    assert!(!e.message.contains("old"), "{e}");
    assert!(dump(&f.path).is_empty());
    assert_eq!(mock.log().len(), 1);
}

#[test]
fn a_connection_cut_mid_fetch_stores_nothing_and_a_rerun_completes_it() {
    let mock = serve(10, |_| {
        Box::new(|url| {
            if param(url, "startAt").as_deref() == Some("0") {
                search_page(url)
            } else {
                Answer::Cut("{\"startAt\": 10, \"issues\": [".into())
            }
        })
    });
    let mut f = document();
    let e = fetch(&mut f, &jira(&mock.base), None, &opts()).unwrap_err();
    assert!(e.message.contains("the answer was cut short"), "{e}");
    assert!(
        e.message
            .contains("after 3 tries; nothing was stored: run the fetch again"),
        "{e}"
    );
    assert!(dump(&f.path).is_empty());
    assert_eq!(mock.log().len(), 4);
    let mock = serve(10, |_| Box::new(search_page));
    let out = fetch(&mut f, &jira(&mock.base), None, &opts()).unwrap();
    assert_eq!(out.imports[0].items_added, 25);
    drop(mock.log());
}

#[test]
fn a_cancelled_fetch_stores_nothing() {
    let mock = serve(10, |_| Box::new(search_page));
    let mut f = document();
    let cancel = AtomicBool::new(false);
    let progress = |p: tributary_api::telemetry::ImportProgress| {
        if p.done >= 10 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let control = ImportControl {
        progress: Some(&progress),
        cancel: Some(&cancel),
    };
    let e = f
        .session
        .fetch(&jira(&mock.base), None, &opts(), &quick(), control)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{e}");
    assert!(dump(&f.path).is_empty());
    assert_eq!(mock.log().len(), 1);
}

fn timeline(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(external(rel)).unwrap()).unwrap()
}

#[test]
fn github_issues_timelines_and_runs_with_a_secondary_rate_limit() {
    let limited = Arc::new(AtomicBool::new(false));
    let mock = serve(20, |base| {
        let next = format!("<{base}/repos/PyGithub/PyGithub/issues?page=2>; rel=\"next\"");
        Box::new(move |url| {
            let path = url.split('?').next().unwrap_or(url);
            match path {
                "/repos/PyGithub/PyGithub/issues" if param(url, "page").is_none() => Answer::Json(
                    200,
                    vec![("Link", next.clone())],
                    json!([{"number": 28, "title": "Twenty-eight", "created_at": "2012-05-19T10:38:23Z", "state": "closed"}]).to_string(),
                ),
                "/repos/PyGithub/PyGithub/issues" => ok(&json!([{"number": 31, "title": "Thirty-one", "pull_request": {}, "created_at": "2012-05-27T07:00:00Z", "state": "closed"}])),
                "/repos/PyGithub/PyGithub/issues/28/timeline" if !limited.swap(true, Ordering::Relaxed) => Answer::Json(
                    403,
                    vec![("Retry-After", "1".into())],
                    "{\"message\":\"You have exceeded a secondary rate limit.\"}".into(),
                ),
                "/repos/PyGithub/PyGithub/issues/28/timeline" => ok(&timeline("github-timeline/pygithub_issue-28-timeline_body.json")),
                "/repos/PyGithub/PyGithub/issues/31/timeline" => ok(&timeline("github-timeline/pygithub_issue-31-timeline_body.json")),
                "/repos/PyGithub/PyGithub/actions/workflows/1026390/runs" => ok(&timeline("github-actions/pygithub_PyGithub-actions-runs_body.json")),
                _ => Answer::Json(404, Vec::new(), "{\"message\":\"Not Found\"}".into()),
            }
        })
    });
    let mut f = document();
    let q = FetchQuery::GitHub(GitHubQuery {
        api: mock.base.clone(),
        repo: "PyGithub/PyGithub".into(),
        workflows: vec!["1026390".into()],
        branch: None,
        event: None,
        issues: true,
    });
    let mut o = opts();
    o.mapping = None;
    let out = fetch(&mut f, &q, Some("ghp_x"), &o).unwrap();
    assert_eq!(out.imports.len(), 2);
    // #28 created, then closed; #31 created at 07:00, merged at 10:29:07.
    assert_eq!(
        (out.imports[0].items_added, out.imports[0].events_added),
        (2, 4)
    );
    // The real runs: the three pushes to master are the deployments.
    assert_eq!(out.imports[1].deployments_added, 3);
    assert!(out.fetch.waited_ms >= 1000, "{:?}", out.fetch);
    let log = mock.log();
    assert_eq!(log.len(), 6, "{log:?}");
    assert!(log.iter().all(|(_, a)| a == "Bearer ghp_x"));
}

#[test]
fn github_without_a_workflow_lists_the_repository_s_workflows() {
    let mock = serve(5, |_| {
        Box::new(|url| {
            if url.starts_with("/repos/o/r/actions/workflows") {
                ok(
                    &json!({"total_count": 2, "workflows": [{"name": "CI", "path": ".github/workflows/ci.yml"}, {"name": "Deploy", "path": ".github/workflows/deploy.yml"}]}),
                )
            } else {
                Answer::Json(404, Vec::new(), "{}".into())
            }
        })
    });
    let mut f = document();
    let q = FetchQuery::GitHub(GitHubQuery {
        api: mock.base.clone(),
        repo: "o/r".into(),
        workflows: Vec::new(),
        branch: None,
        event: None,
        issues: false,
    });
    let out = fetch(&mut f, &q, None, &opts()).unwrap();
    assert!(out.imports.is_empty());
    assert!(
        out.fetch.notes[0].contains("CI (ci.yml), Deploy (deploy.yml)"),
        "{:?}",
        out.fetch.notes
    );
    drop(mock.log());
}

#[test]
fn gitlab_issues_and_their_state_events_page_by_x_next_page() {
    let events: Value =
        timeline("gitlab/gitlab-docs_resource_state_events_issue-11-EXTRACTED.json");
    let mock = serve(10, |_| {
        Box::new(move |url| {
            let path = url.split('?').next().unwrap_or(url);
            match (path, param(url, "page").as_deref()) {
            ("/api/v4/projects/group%2Fproject/issues", Some("1")) => Answer::Json(
                200,
                vec![("X-Next-Page", "2".into())],
                json!([{"id": 11, "iid": 11, "title": "Eleven", "created_at": "2018-08-20T13:38:20.077Z"}]).to_string(),
            ),
            ("/api/v4/projects/group%2Fproject/issues", _) => Answer::Json(200, vec![("X-Next-Page", "".into())], "[]".into()),
            ("/api/v4/projects/group%2Fproject/issues/11/resource_state_events", _) => ok(&events),
            ("/api/v4/projects/group%2Fproject/issues/11/resource_label_events", _) => ok(&json!([])),
            _ => Answer::Json(404, Vec::new(), "{}".into()),
        }
        })
    });
    let mut f = document();
    let q = FetchQuery::GitLab(GitLabQuery {
        base: mock.base.clone(),
        project: "group/project".into(),
        merge_requests: false,
    });
    let mut o = opts();
    o.mapping = Some(
        Mapping::from_toml("[states]\n\"opened\" = \"waiting\"\n\"closed\" = \"done\"\n").unwrap(),
    );
    let out = fetch(&mut f, &q, Some("glpat"), &o).unwrap();
    let r = &out.imports[0];
    assert_eq!((r.items_added, r.events_added), (1, 2));
    let log = mock.log();
    assert!(log.iter().all(|(_, a)| a == "glpat"), "{log:?}");
    // Opened then closed a day and an hour later (real.rs).
    let ft = f.session.flow("delivery", None, None).unwrap();
    assert_close(ft.cycle_time.p50, 25.0 / 24.0);
}

#[test]
fn azure_devops_wiql_then_each_work_item_s_updates() {
    let updates = timeline("azure-devops/msdocs-7.1_workitem-1-updates_body-DERIVED.json");
    let mock = serve(10, |_| {
        Box::new(move |url| {
            let path = url.split('?').next().unwrap_or(url);
            match path {
                "/Fabrikam/_apis/wit/wiql" => ok(&json!({"workItems": [{"id": 1, "url": "x"}]})),
                // Pages by `$top` and `$skip`, as the service does.
                "/Fabrikam/_apis/wit/workItems/1/updates" => {
                    let skip: usize = param(url, "%24skip")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0);
                    let top: usize = param(url, "%24top")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(200);
                    let page: Vec<Value> = updates["value"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .skip(skip)
                        .take(top)
                        .cloned()
                        .collect();
                    ok(&json!({"count": page.len(), "value": page}))
                }
                _ => Answer::Json(404, Vec::new(), "{}".into()),
            }
        })
    });
    let mut f = document();
    let q = FetchQuery::AzureDevOps(AzureQuery {
        org: mock.base.clone(),
        project: "Fabrikam".into(),
        wiql: "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project".into(),
    });
    let mut o = opts();
    o.mapping = None;
    let out = fetch(&mut f, &q, Some("pat"), &o).unwrap();
    // The real updates of work item 1: created New, then Active (real.rs).
    assert_eq!(
        (out.imports[0].items_added, out.imports[0].events_added),
        (1, 2)
    );
    let log = mock.log();
    // An empty user and the PAT, as basic auth.
    assert_eq!(log[0].1, "Basic OnBhdA==");
}
