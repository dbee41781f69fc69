//! Reading traces from tracing back ends: Jaeger's query API (`/api/traces?service=...`,
//! pages followed by moving the window's end back to the earliest trace of the last page)
//! and Grafana Tempo's (`/api/search`, then `/api/traces/<id>` for each trace found). Each
//! response is streamed into the same [`Importer`] as a file would be, with timeouts, a cap
//! on response size and on traces, and errors that name the URL.

use std::collections::HashSet;
use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use crate::aggregate::{ImportOptions, Importer};
use crate::error::{Error, Result};
use crate::read::{jaeger, otlp};
use crate::span::parse_id;
use crate::summary::{TraceFormat, TraceSummary};

#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// For one request, the response body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Traces asked for per request (Jaeger's and Tempo's `limit`).
    pub page_size: u32,
    /// Stop after this many traces (the report says the fetch was cut).
    pub max_traces: usize,
    /// Largest response body read.
    pub max_body_bytes: u64,
    pub import: ImportOptions,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            page_size: 100,
            max_traces: 10_000,
            max_body_bytes: 512 << 20,
            import: ImportOptions::default(),
        }
    }
}

/// Traces of one service in a time window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The API's base, such as `http://localhost:16686` (Jaeger) or `http://tempo:3200`.
    pub base_url: String,
    pub service: String,
    /// Window, microseconds since the Unix epoch (Jaeger's unit; Tempo's seconds are derived).
    pub start_us: i64,
    pub end_us: i64,
}

#[derive(Debug, Clone)]
pub struct FetchReport {
    pub summary: TraceSummary,
    pub requests: u32,
    pub traces: usize,
    /// `max_traces` was reached: more traces may be in the window.
    pub cut: bool,
}

fn agent(opts: &FetchOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .timeout_connect(Some(opts.connect_timeout))
        .http_status_as_error(false)
        .build()
        .into()
}

fn check(q: &Query) -> Result<String> {
    let base = q.base_url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(Error::Invalid(format!(
            "{:?} is not an http:// or https:// address",
            q.base_url
        )));
    }
    if q.service.is_empty() || q.end_us <= q.start_us {
        return Err(Error::Invalid(
            "a fetch needs a service and a window that ends after it starts".into(),
        ));
    }
    Ok(base.to_owned())
}

/// Sends a GET and returns the body as a bounded reader, or an error naming the URL and
/// saying what the server answered.
fn get(
    agent: &ureq::Agent,
    url: &str,
    query: &[(&str, String)],
    opts: &FetchOptions,
) -> Result<impl Read + use<>> {
    let mut req = agent.get(url).header("Accept", "application/json");
    for (k, v) in query {
        req = req.query(*k, v);
    }
    let resp = req.call().map_err(|e| http_error(url, &e))?;
    let status = resp.status().as_u16();
    let body = resp.into_body();
    if status != 200 {
        let mut text = String::new();
        let _ = body
            .into_with_config()
            .limit(4096)
            .reader()
            .read_to_string(&mut text);
        let text: String = text.trim().chars().take(300).collect();
        return Err(Error::Http {
            url: url.to_owned(),
            message: format!("HTTP {status}: {text}"),
        });
    }
    Ok(body.into_with_config().limit(opts.max_body_bytes).reader())
}

fn http_error(url: &str, e: &ureq::Error) -> Error {
    let message = match e {
        ureq::Error::Timeout(t) => format!("no answer in time ({t:?} timeout)"),
        ureq::Error::ConnectionFailed | ureq::Error::Io(_) => {
            format!("cannot connect: {e} (is the server running at this address?)")
        }
        ureq::Error::HostNotFound => "the host name is not known".to_owned(),
        other => other.to_string(),
    };
    Error::Http {
        url: url.to_owned(),
        message,
    }
}

/// Fetches from Jaeger's query API. Jaeger has no page token: each request asks for
/// `page_size` traces of the window; when it gets that many, the next request ends at the
/// earliest span start of the last page. Traces already read are left out; a page that
/// brings nothing new ends the fetch.
pub fn fetch_jaeger(q: &Query, opts: &FetchOptions) -> Result<FetchReport> {
    let base = check(q)?;
    let url = format!("{base}/api/traces");
    let agent = agent(opts);
    let mut imp = Importer::new(opts.import.clone());
    let mut seen: HashSet<u128> = HashSet::new();
    let (mut end, mut requests, mut cut) = (q.end_us, 0u32, false);
    loop {
        let params = [
            ("service", q.service.clone()),
            ("start", q.start_us.to_string()),
            ("end", end.to_string()),
            ("limit", opts.page_size.to_string()),
        ];
        let body = get(&agent, &url, &params, opts)?;
        requests += 1;
        let page = jaeger::read_skipping(body, &mut imp, &seen).map_err(|e| at(&url, e))?;
        let before = seen.len();
        seen.extend(page.traces.iter().copied());
        if seen.len() >= opts.max_traces {
            cut = page.traces.len() >= opts.page_size as usize;
            break;
        }
        let full = page.traces.len() >= opts.page_size as usize;
        let next_end = page.earliest.map(|ns| ns.div_euclid(1000));
        match next_end {
            Some(e) if full && seen.len() > before && e > q.start_us && e <= end => end = e,
            _ => break,
        }
    }
    finish(imp, TraceFormat::JaegerJson, requests, seen.len(), cut)
}

fn finish(
    imp: Importer,
    format: TraceFormat,
    requests: u32,
    traces: usize,
    cut: bool,
) -> Result<FetchReport> {
    let summary = imp.finish(format)?;
    if summary.counts.read == 0 {
        return Err(Error::NoData(
            "the server found no trace of that service in the window".into(),
        ));
    }
    Ok(FetchReport {
        summary,
        requests,
        traces,
        cut,
    })
}

/// Errors in a response body say which URL gave them.
fn at(url: &str, e: Error) -> Error {
    match e {
        Error::Input {
            location, message, ..
        } => Error::Http {
            url: url.to_owned(),
            message: format!("the answer is not valid: {location}: {message}"),
        },
        Error::Io { source, .. } => Error::Http {
            url: url.to_owned(),
            message: format!("the answer could not be read to its end: {source}"),
        },
        other => other,
    }
}

#[derive(Deserialize)]
struct TempoSearch {
    #[serde(default)]
    traces: Vec<TempoHit>,
}

#[derive(Deserialize)]
struct TempoHit {
    #[serde(rename = "traceID")]
    trace_id: String,
    #[serde(rename = "startTimeUnixNano", default)]
    start: Option<String>,
}

/// Fetches from Tempo: `/api/search?tags=service.name=<service>&start&end&limit` (seconds),
/// then each trace found by id. When a search returns `page_size` traces, the next one ends
/// at the earliest start among them; a search that brings nothing new ends the fetch.
pub fn fetch_tempo(q: &Query, opts: &FetchOptions) -> Result<FetchReport> {
    let base = check(q)?;
    let search = format!("{base}/api/search");
    let agent = agent(opts);
    let mut imp = Importer::new(opts.import.clone());
    let mut seen: HashSet<u128> = HashSet::new();
    let start_s = q.start_us.div_euclid(1_000_000);
    let (mut end_s, mut requests, mut cut) = (q.end_us.div_euclid(1_000_000) + 1, 0u32, false);
    'pages: loop {
        let params = [
            ("tags", format!("service.name={}", q.service)),
            ("start", start_s.to_string()),
            ("end", end_s.to_string()),
            ("limit", opts.page_size.to_string()),
        ];
        let hits = search_page(&agent, &search, &params, opts)?;
        requests += 1;
        let mut new = 0usize;
        let mut earliest: Option<i64> = None;
        for h in &hits.traces {
            let id = parse_id(&h.trace_id, 16).map_err(|m| Error::Http {
                url: search.clone(),
                message: format!("the answer is not valid: {m}"),
            })?;
            let s = h.start.as_deref().and_then(|s| s.parse::<i64>().ok());
            earliest = match (earliest, s) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if !seen.insert(id) {
                continue;
            }
            new += 1;
            // The id as parsed, not as sent: the answer cannot steer the next URL.
            let url = format!("{base}/api/traces/{id:032x}");
            let body = get(&agent, &url, &[], opts)?;
            requests += 1;
            otlp::read(body, &mut imp).map_err(|e| at(&url, e))?;
            imp.close(id)?;
            if seen.len() >= opts.max_traces {
                cut = true;
                break 'pages;
            }
        }
        let full = hits.traces.len() >= opts.page_size as usize;
        match earliest.map(|ns| ns.div_euclid(1_000_000_000)) {
            Some(e) if full && new > 0 && e >= start_s && e <= end_s => end_s = e,
            _ => break,
        }
    }
    finish(imp, TraceFormat::OtlpJson, requests, seen.len(), cut)
}

fn search_page(
    agent: &ureq::Agent,
    url: &str,
    params: &[(&str, String)],
    opts: &FetchOptions,
) -> Result<TempoSearch> {
    let body = get(agent, url, params, opts)?;
    serde_json::from_reader(std::io::BufReader::new(body)).map_err(|e| Error::Http {
        url: url.to_owned(),
        message: format!("the search answer is not Tempo's JSON: {e}"),
    })
}
