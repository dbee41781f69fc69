//! Fetching work-item and delivery history from the trackers' REST APIs instead of exporting
//! it by hand: Jira (Cloud and Server), GitHub (issues, their timelines, Actions runs), GitLab
//! (issues and their resource events) and Azure DevOps (WIQL, then each work item's updates).
//!
//! Every page is followed (same-origin links only), rate limits are waited out (429 and 503
//! with `Retry-After`, GitHub's `x-ratelimit-reset` and secondary limits) and failures retried
//! with backoff, all cancellable; the token is sent and never kept or printed. What is fetched
//! is put in the shape of the format's export file and read by the same parser as a file, so
//! an import of fetched data is an import like any other: all fetched first, then stored in
//! one transaction (a cut connection stores nothing; a rerun completes it).

mod azure;
mod github;
mod gitlab;
mod jira;

use std::io::Read;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use azure::AzureQuery;
pub use github::GitHubQuery;
pub use gitlab::GitLabQuery;
pub use jira::JiraQuery;

use crate::error::{Error, Result};
use crate::formats::{Control, Format, Phase};

/// How hard to try.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// For one request, its response body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Records asked for per page.
    pub page_size: u32,
    /// Largest response body read.
    pub max_body_bytes: u64,
    /// Tries of one request that fails (a cut connection, a 5xx answer) before giving up.
    pub retries: u32,
    /// The first wait between tries; it doubles each time.
    pub backoff: Duration,
    /// The longest wait for a rate limit to pass; a longer one is an error that says when.
    pub max_wait: Duration,
    /// GitHub's secondary rate limit without a `Retry-After`: how long to wait (GitHub asks
    /// for at least a minute).
    pub secondary_wait: Duration,
    /// Stop after this many items (the fetch says it was cut).
    pub max_items: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            page_size: 100,
            max_body_bytes: 256 << 20,
            retries: 4,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(15 * 60),
            secondary_wait: Duration::from_secs(60),
            max_items: 1_000_000,
        }
    }
}

/// How to sign requests. The token is sent, never stored, printed or logged.
#[derive(Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// `Authorization: Bearer TOKEN` (GitHub, Jira Server personal access tokens).
    Bearer(String),
    /// HTTP basic (Jira Cloud: e-mail and API token; Azure DevOps: an empty user and a PAT).
    Basic { user: String, token: String },
    /// A header of its own (GitLab's `PRIVATE-TOKEN`).
    Header { name: &'static str, token: String },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Auth::None => "Auth::None",
            Auth::Bearer(_) => "Auth::Bearer(<token>)",
            Auth::Basic { .. } => "Auth::Basic(<user>, <token>)",
            Auth::Header { .. } => "Auth::Header(<token>)",
        })
    }
}

/// What to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Jira(JiraQuery),
    GitHub(GitHubQuery),
    GitLab(GitLabQuery),
    AzureDevOps(AzureQuery),
}

impl Query {
    /// The name imports of this query are recorded under; the next fetch of the same query
    /// asks only for what changed since the last one.
    pub fn source(&self) -> String {
        match self {
            Query::Jira(q) => format!("jira {} ({})", q.site.trim_end_matches('/'), q.jql),
            Query::GitHub(q) => format!("github {}", q.repo),
            Query::GitLab(q) => format!(
                "gitlab {} project {}",
                q.base.trim_end_matches('/'),
                q.project
            ),
            Query::AzureDevOps(q) => format!(
                "azure-devops {} {} ({})",
                q.org.trim_end_matches('/'),
                q.project,
                q.wiql
            ),
        }
    }

    /// The environment variables a token is read from, most specific first.
    pub fn token_variables(&self) -> &'static [&'static str] {
        match self {
            Query::Jira(_) => &["TRIBUTARY_JIRA_TOKEN", "JIRA_API_TOKEN"],
            Query::GitHub(_) => &["TRIBUTARY_GITHUB_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"],
            Query::GitLab(_) => &["TRIBUTARY_GITLAB_TOKEN", "GITLAB_TOKEN"],
            Query::AzureDevOps(_) => &["TRIBUTARY_AZURE_DEVOPS_TOKEN", "AZURE_DEVOPS_EXT_PAT"],
        }
    }

    /// How to sign requests with `token` (and the Jira Cloud user, when given).
    pub fn auth(&self, token: Option<String>) -> Auth {
        let Some(token) = token.filter(|t| !t.trim().is_empty()) else {
            return Auth::None;
        };
        match self {
            Query::Jira(q) => match &q.user {
                Some(user) => Auth::Basic {
                    user: user.clone(),
                    token,
                },
                None => Auth::Bearer(token),
            },
            Query::GitHub(_) => Auth::Bearer(token),
            Query::GitLab(_) => Auth::Header {
                name: "PRIVATE-TOKEN",
                token,
            },
            Query::AzureDevOps(_) => Auth::Basic {
                user: String::new(),
                token,
            },
        }
    }
}

/// One export's worth of fetched data, in the shape of `format`'s file.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub format: Format,
    pub body: Vec<u8>,
    /// Items (issues, work items, runs) it holds.
    pub items: usize,
}

/// What a fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FetchReport {
    pub source: String,
    /// Requests sent, retries included.
    pub requests: u32,
    /// Requests tried again (a cut connection, a 5xx answer, a rate limit).
    pub retries: u32,
    /// Time spent waiting for rate limits and between tries, in ms.
    pub waited_ms: u64,
    /// Items fetched (issues, work items, runs).
    pub items: u64,
    /// Only what changed since this time was asked for (the last fetch of the same query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub since: Option<String>,
    /// `max_items` was reached: there may be more.
    pub cut: bool,
    pub notes: Vec<String>,
}

/// Fetches everything `query` names (only what changed since `since`, UTC ms, when given).
pub fn fetch(
    query: &Query,
    auth: &Auth,
    since: Option<i64>,
    opts: &FetchOptions,
    control: Control<'_>,
) -> Result<(Vec<Fetched>, FetchReport)> {
    let mut report = FetchReport {
        source: query.source(),
        since: since.map(crate::time::format_instant),
        ..FetchReport::default()
    };
    let base = match query {
        Query::Jira(q) => &q.site,
        Query::GitHub(q) => &q.api,
        Query::GitLab(q) => &q.base,
        Query::AzureDevOps(q) => &q.org,
    };
    let mut client = Client::new(base, auth.clone(), opts, control)?;
    let fetched = match query {
        Query::Jira(q) => vec![jira::fetch(q, since, &mut client, &mut report)?],
        Query::GitHub(q) => github::fetch(q, since, &mut client, &mut report)?,
        Query::GitLab(q) => vec![gitlab::fetch(q, since, &mut client, &mut report)?],
        Query::AzureDevOps(q) => vec![azure::fetch(q, since, &mut client, &mut report)?],
    };
    report.requests = client.requests;
    report.retries = client.retries;
    report.waited_ms = client.waited.as_millis() as u64;
    report.items = fetched.iter().map(|f| f.items as u64).sum();
    Ok((fetched, report))
}

/// A JSON answer and what its headers say of the next page.
pub(crate) struct Reply {
    pub body: Value,
    /// The `Link` header's `rel="next"`.
    pub next: Option<String>,
    /// GitLab's `X-Next-Page`.
    pub next_page: Option<String>,
}

/// An HTTP client for one server: retries, rate limits, cancel and progress.
pub(crate) struct Client<'a> {
    agent: ureq::Agent,
    auth: Auth,
    opts: &'a FetchOptions,
    control: Control<'a>,
    /// `scheme://host[:port]`: the only place links are followed to.
    origin: String,
    pub base: String,
    pub requests: u32,
    pub retries: u32,
    pub waited: Duration,
    pub fetched: u64,
}

fn fetch_error(url: &str, message: impl Into<String>) -> Error {
    Error::Fetch {
        url: url.to_owned(),
        message: message.into(),
    }
}

/// `scheme://host[:port]` of an http(s) address.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !host.contains('@')).then(|| format!("{scheme}://{host}"))
}

/// What to do with an answer that is not a success.
enum Verdict {
    Retry,
    Wait(Duration),
    Fail(String),
}

impl<'a> Client<'a> {
    pub fn new(
        base: &str,
        auth: Auth,
        opts: &'a FetchOptions,
        control: Control<'a>,
    ) -> Result<Client<'a>> {
        let base = base.trim().trim_end_matches('/').to_owned();
        let Some(origin) = origin_of(&base) else {
            return Err(Error::Invalid(format!(
                "{base:?} is not an http:// or https:// address"
            )));
        };
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.connect_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Ok(Client {
            agent,
            auth,
            opts,
            control,
            origin,
            base,
            requests: 0,
            retries: 0,
            waited: Duration::ZERO,
            fetched: 0,
        })
    }

    pub fn page_size(&self) -> u32 {
        self.opts.page_size.max(1)
    }

    pub fn max_items(&self) -> usize {
        self.opts.max_items
    }

    /// Reports items fetched so far (of `total` when known) and hears a cancel.
    pub fn progress(&mut self, items: u64, total: Option<u64>) -> Result<()> {
        self.fetched = items;
        self.control
            .report(Phase::Fetching, items, total.unwrap_or(0).max(items));
        self.control.check()
    }

    /// GETs `url` (absolute, on this server) with `query`, as JSON.
    pub fn get(&mut self, url: &str, query: &[(&str, String)]) -> Result<Reply> {
        self.send(url, query, None)
    }

    /// POSTs `body` as JSON to `url`.
    pub fn post(&mut self, url: &str, query: &[(&str, String)], body: &Value) -> Result<Reply> {
        self.send(url, query, Some(body))
    }

    /// Follows a `next` link, which must point to the same server.
    pub fn follow(&mut self, next: &str) -> Result<Reply> {
        if origin_of(next).as_deref() != Some(self.origin.as_str()) {
            return Err(fetch_error(
                next,
                format!(
                    "the server's next page is on another server than {}: not followed (the token is only sent to {})",
                    self.origin, self.origin
                ),
            ));
        }
        self.send(next, &[], None)
    }

    fn send(&mut self, url: &str, query: &[(&str, String)], body: Option<&Value>) -> Result<Reply> {
        let mut tries = 0u32;
        loop {
            self.control.check()?;
            self.requests += 1;
            let verdict = match self.once(url, query, body) {
                Ok(Ok(reply)) => return Ok(reply),
                Ok(Err(v)) => v,
                Err(message) => {
                    if tries >= self.opts.retries {
                        return Err(fetch_error(
                            url,
                            format!(
                                "{message} (after {} tries; nothing was stored: run the fetch again)",
                                tries + 1
                            ),
                        ));
                    }
                    Verdict::Retry
                }
            };
            let wait = match verdict {
                Verdict::Fail(m) => return Err(fetch_error(url, m)),
                Verdict::Wait(d) => d,
                Verdict::Retry if tries >= self.opts.retries => {
                    return Err(fetch_error(
                        url,
                        format!(
                            "the server kept failing ({} tries; nothing was stored: run the fetch again)",
                            tries + 1
                        ),
                    ));
                }
                Verdict::Retry => self.opts.backoff * 2u32.saturating_pow(tries),
            };
            tries += 1;
            self.retries += 1;
            self.sleep(wait)?;
        }
    }

    /// Waits, in steps short enough to hear a cancel.
    fn sleep(&mut self, d: Duration) -> Result<()> {
        let until = Instant::now() + d;
        while Instant::now() < until {
            self.control.check()?;
            std::thread::sleep((until - Instant::now()).min(Duration::from_millis(50)));
        }
        self.waited += d;
        Ok(())
    }

    /// One request: the reply, what to do about an answer that is not one, or why the
    /// connection failed.
    fn once(
        &self,
        url: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> std::result::Result<std::result::Result<Reply, Verdict>, String> {
        let resp = match body {
            None => {
                let mut req = self.agent.get(url).header("Accept", "application/json");
                req = self.sign(req);
                for (k, v) in query {
                    req = req.query(*k, v);
                }
                req.call()
            }
            Some(b) => {
                let mut req = self
                    .agent
                    .post(url)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json");
                req = self.sign(req);
                for (k, v) in query {
                    req = req.query(*k, v);
                }
                req.send(b.to_string().as_bytes())
            }
        };
        let resp = resp.map_err(|e| connection(&e))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (link, next_page) = (header("link"), header("x-next-page"));
        let retry_after = header("retry-after");
        let remaining = header("x-ratelimit-remaining");
        let reset = header("x-ratelimit-reset");
        let mut body = resp.into_body();
        if (200..300).contains(&status) {
            let bytes = body
                .with_config()
                .limit(self.opts.max_body_bytes)
                .read_to_vec()
                .map_err(|e| format!("the answer was cut short: {e}"))?;
            let json: Value = serde_json::from_slice(&bytes)
                .map_err(|e| format!("the answer was cut short or is not JSON: {e}"))?;
            return Ok(Ok(Reply {
                body: json,
                next: link.as_deref().and_then(next_link),
                next_page: next_page.filter(|p| !p.trim().is_empty()),
            }));
        }
        let mut text = String::new();
        let _ = body
            .with_config()
            .limit(4096)
            .reader()
            .read_to_string(&mut text);
        let text: String = text.trim().chars().take(300).collect();
        let limits = Limits {
            retry_after,
            remaining,
            reset,
        };
        Ok(Err(self.verdict(status, &text, &limits)))
    }

    fn sign<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        use base64::Engine;
        match &self.auth {
            Auth::None => req,
            Auth::Bearer(t) => req.header("Authorization", format!("Bearer {t}")),
            Auth::Basic { user, token } => {
                let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
                req.header("Authorization", format!("Basic {b}"))
            }
            Auth::Header { name, token } => req.header(*name, token.as_str()),
        }
    }

    fn verdict(&self, status: u16, text: &str, l: &Limits) -> Verdict {
        let secondary = text.to_ascii_lowercase().contains("secondary rate limit");
        let exhausted = l.remaining.as_deref() == Some("0");
        match status {
            429 | 503 => self.wait_for(l, status),
            403 if secondary || exhausted || l.retry_after.is_some() => self.wait_for(l, status),
            401 => Verdict::Fail(format!(
                "HTTP 401: the token was refused (expired, revoked or wrong): set a new one and run the fetch again ({text})"
            )),
            403 => Verdict::Fail(format!("HTTP 403: the token may not read this ({text})")),
            404 => Verdict::Fail(format!(
                "HTTP 404: not found (is the address, project or repository right? {text})"
            )),
            300..=399 => Verdict::Fail(format!(
                "HTTP {status}: the server redirects; give the address it redirects to"
            )),
            500..=599 => Verdict::Retry,
            _ => Verdict::Fail(format!("HTTP {status}: {text}")),
        }
    }

    /// How long a rate limit asks to wait: `Retry-After` (seconds or a date), GitHub's reset
    /// time, or the secondary-limit default; an error when longer than `max_wait`.
    fn wait_for(&self, l: &Limits, status: u16) -> Verdict {
        let now = jiff::Timestamp::now().as_second();
        let wait = l
            .retry_after
            .as_deref()
            .and_then(|r| retry_after(r, now))
            .or_else(|| {
                l.reset
                    .as_deref()
                    .and_then(|r| r.trim().parse::<i64>().ok())
                    .map(|t| Duration::from_secs((t - now).max(1) as u64))
            })
            .unwrap_or(if status == 503 {
                self.opts.backoff
            } else {
                self.opts.secondary_wait
            });
        if wait > self.opts.max_wait {
            return Verdict::Fail(format!(
                "HTTP {status}: rate limited for {} s, longer than the {} s this fetch waits: run it again later",
                wait.as_secs(),
                self.opts.max_wait.as_secs()
            ));
        }
        Verdict::Wait(wait)
    }
}

/// The rate-limit headers of an answer.
struct Limits {
    retry_after: Option<String>,
    remaining: Option<String>,
    reset: Option<String>,
}

fn connection(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("no answer in time ({t:?} timeout)"),
        ureq::Error::HostNotFound => "the host name is not known".to_owned(),
        ureq::Error::ConnectionFailed => {
            "cannot connect (is the address right and the server up?)".to_owned()
        }
        other => format!("the connection failed: {other}"),
    }
}

/// `Retry-After`: whole seconds, or an HTTP date.
fn retry_after(text: &str, now: i64) -> Option<Duration> {
    let t = text.trim();
    if let Ok(s) = t.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let tm = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", t).ok()?;
    let at = tm
        .to_datetime()
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()?;
    Some(Duration::from_secs(
        (at.timestamp().as_second() - now).max(0) as u64,
    ))
}

/// The `rel="next"` address of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

/// `since` less a day, as the APIs' filters want it: each fetch overlaps the last by a day
/// (what was stored already is recognised and left alone), so that clocks and time zones
/// cannot make it miss a change.
pub(crate) fn overlap(since: Option<i64>) -> Option<jiff::Timestamp> {
    since.and_then(|ms| jiff::Timestamp::from_millisecond(ms - crate::time::MS_PER_DAY).ok())
}

/// A path segment from an answer (an issue key or number) checked before it goes in a URL.
pub(crate) fn segment(s: &str) -> Option<&str> {
    (!s.is_empty()
        && s.len() <= 100
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some(s)
}

/// Percent-encodes a path segment given by the user (a GitLab project path).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The export bytes of `doc`.
pub(crate) fn bytes(doc: &Value) -> Vec<u8> {
    doc.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_and_retry_after_read_as_the_rfcs_say() {
        let l = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(l).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        assert_eq!(next_link("<https://x/a?page=1>; rel=\"prev\""), None);
        assert_eq!(retry_after("120", 0), Some(Duration::from_secs(120)));
        // RFC 9110's example date is 1994-11-06T08:49:37Z = 784111777.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_677),
            Some(Duration::from_secs(100))
        );
        assert_eq!(
            origin_of("https://a.example/x?y").as_deref(),
            Some("https://a.example")
        );
        assert_eq!(origin_of("https://user@a.example/"), None);
        assert_eq!(origin_of("file:///etc/passwd"), None);
        assert_eq!(encode("group/sub project"), "group%2Fsub%20project");
        assert_eq!(segment("PROJ-12"), Some("PROJ-12"));
        assert_eq!(segment("../x"), None);
    }
}
