//! Jaeger's JSON: the query API's `{"data": [trace, ...], "errors": ...}`, the UI's download
//! of one bare trace `{"traceID", "spans", "processes"}`, or an array of traces. A span's
//! service is in `processes[span.processID]`, which comes after the spans, so each trace
//! object is held (in compact form) until it ends, then pushed and closed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Ctx, Id, json_reader};
use crate::aggregate::Importer;
use crate::error::{Error, Location, Result};
use crate::span::{Kind, NO_SERVICE, RawSpan};
use crate::summary::TraceFormat;

const FORMAT: TraceFormat = TraceFormat::JaegerJson;

/// What one Jaeger response held: for following pages of the query API.
#[derive(Debug, Default, Clone)]
pub struct Page {
    /// Trace ids in the response, new or not.
    pub traces: Vec<u128>,
    /// The earliest span start of the response, nanoseconds.
    pub earliest: Option<i64>,
}

pub fn read(input: impl Read, imp: &mut Importer) -> Result<Page> {
    read_skipping(input, imp, &HashSet::new())
}

/// Reads one response, leaving out traces whose id is in `skip` (already read from an
/// earlier page).
pub fn read_skipping(input: impl Read, imp: &mut Importer, skip: &HashSet<u128>) -> Result<Page> {
    let mut ctx = Ctx::new(imp);
    let mut top = Top {
        ctx: &mut ctx,
        skip,
        page: Page::default(),
        bare: Trace::default(),
    };
    let mut de = json_reader(input);
    let r = (&mut top).deserialize(&mut de).and_then(|_| de.end());
    let page = std::mem::take(&mut top.page);
    ctx.outcome(FORMAT, r)?;
    Ok(page)
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum TopKey {
    #[serde(rename = "data")]
    Data,
    #[serde(rename = "errors")]
    Errors,
    #[serde(rename = "spans")]
    Spans,
    #[serde(rename = "processes")]
    Processes,
    #[serde(other)]
    Other,
}

/// The spans of one trace object and its processes, until the object ends.
#[derive(Default)]
struct Trace {
    spans: Vec<(RawSpan, Option<String>)>,
    processes: HashMap<String, u32>,
}

struct Top<'c, 'a, 's> {
    ctx: &'c mut Ctx<'a>,
    skip: &'s HashSet<u128>,
    page: Page,
    bare: Trace,
}

seed!(&mut Top<'_, '_, '_>, deserialize_any);

impl<'de> Visitor<'de> for &mut Top<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger JSON object (with \"data\", or one trace with \"spans\")")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
        let mut bare = std::mem::take(&mut self.bare);
        while let Some(k) = m.next_key::<TopKey>()? {
            match k {
                TopKey::Data => m.next_value_seed(Traces(&mut *self))?,
                TopKey::Errors => {
                    let errs: Option<Vec<ApiError>> = m.next_value()?;
                    reported(self.ctx, errs.unwrap_or_default())?;
                }
                TopKey::Spans => m.next_value_seed(SpanList(&mut *self.ctx, &mut bare))?,
                TopKey::Processes => {
                    m.next_value_seed(Processes(&mut *self.ctx, &mut bare))?;
                }
                TopKey::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.flush(bare)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, s: S) -> Result<(), S::Error> {
        Traces(self).visit_seq(s)
    }
}

impl Top<'_, '_, '_> {
    /// Resolves the services of a finished trace object, pushes its spans and closes it.
    fn flush<E: de::Error>(&mut self, t: Trace) -> Result<(), E> {
        let mut ids: Vec<u128> = t.spans.iter().map(|s| s.0.trace).collect();
        ids.sort_unstable();
        ids.dedup();
        for (mut s, process) in t.spans {
            if self.skip.contains(&s.trace) {
                continue;
            }
            if s.service == NO_SERVICE
                && let Some(p) = process
            {
                s.service = t.processes.get(&p).copied().unwrap_or(NO_SERVICE);
            }
            if let Some(start) = s.start {
                self.page.earliest = Some(self.page.earliest.map_or(start, |e| e.min(start)));
            }
            self.ctx.push(s)?;
        }
        for id in ids {
            self.page.traces.push(id);
            self.ctx.run(|imp| imp.close(id))?;
        }
        Ok(())
    }
}

/// A non-empty `errors` list of the query API: Jaeger says the answer is not whole.
fn reported<E: de::Error>(ctx: &mut Ctx, errs: Vec<ApiError>) -> Result<(), E> {
    if errs.is_empty() {
        return Ok(());
    }
    let text: Vec<String> = errs
        .iter()
        .map(|e| match (e.code, &e.msg) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (None, Some(m)) => m.clone(),
            (Some(c), None) => format!("code {c}"),
            (None, None) => "an unnamed error".to_owned(),
        })
        .collect();
    ctx.run(|_| {
        Err(Error::Input {
            format: FORMAT.as_str(),
            location: Location::Input,
            message: format!(
                "Jaeger reported errors, so the traces may be incomplete: {}",
                text.join("; ")
            ),
        })
    })
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    msg: Option<String>,
}

/// The `data` array (or a top-level array) of trace objects.
struct Traces<'t, 'c, 'a, 's>(&'t mut Top<'c, 'a, 's>);

seed!(Traces<'_, '_, '_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for Traces<'_, '_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Jaeger traces")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        loop {
            let mut t = Trace::default();
            if s.next_element_seed(TraceObject(&mut *self.0.ctx, &mut t))?
                .is_none()
            {
                return Ok(());
            }
            self.0.flush(t)?;
        }
    }
}

struct TraceObject<'c, 'a, 't>(&'c mut Ctx<'a>, &'t mut Trace);

seed!(TraceObject<'_, '_, '_>, deserialize_map);

impl<'de> Visitor<'de> for TraceObject<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger trace object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
        while let Some(k) = m.next_key::<TopKey>()? {
            match k {
                TopKey::Spans => m.next_value_seed(SpanList(&mut *self.0, &mut *self.1))?,
                TopKey::Processes => m.next_value_seed(Processes(&mut *self.0, &mut *self.1))?,
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Processes<'c, 'a, 't>(&'c mut Ctx<'a>, &'t mut Trace);

impl<'de> DeserializeSeed<'de> for Processes<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let all: HashMap<String, Process> = HashMap::deserialize(d)?;
        for (key, p) in all {
            let id = match p.service_name.as_deref().filter(|s| !s.is_empty()) {
                Some(name) => self.0.service(name)?,
                None => NO_SERVICE,
            };
            self.1.processes.insert(key, id);
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Process {
    #[serde(rename = "serviceName", default)]
    service_name: Option<String>,
}

struct SpanList<'c, 'a, 't>(&'c mut Ctx<'a>, &'t mut Trace);

seed!(SpanList<'_, '_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for SpanList<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of Jaeger spans")
    }
    fn visit_seq<S: SeqAccess<'de>>(mut self, mut s: S) -> Result<(), S::Error> {
        while let Some(span) = s.next_element::<JaegerSpan>()? {
            let limit = self.0.imp.limits().max_open_spans;
            if self.1.spans.len() >= limit {
                return self.0.run(|_| {
                    Err(Error::Limit {
                        format: FORMAT.as_str(),
                        message: format!("a trace has more than {limit} spans"),
                    })
                });
            }
            let raw = self.convert(&span)?;
            let process = span.process_id.map(Cow::into_owned);
            self.1.spans.push((raw, process));
        }
        Ok(())
    }
}

impl SpanList<'_, '_, '_> {
    fn convert<E: de::Error>(&mut self, span: &JaegerSpan) -> Result<RawSpan, E> {
        let mut raw = RawSpan::new(span.trace_id.0, span.span_id.span(), span.parent());
        raw.name = self.0.run(|imp| Ok(imp.names().name(&span.name)))?;
        raw.set_micros(span.start_time, span.duration);
        for t in &span.tags.0 {
            match t {
                Tag::Kind(k) => raw.kind = *k,
                Tag::Error => raw.error = true,
            }
        }
        if let Some(name) = span
            .process
            .as_ref()
            .and_then(|p| p.service_name.as_deref())
            .filter(|s| !s.is_empty())
        {
            raw.service = self.0.service(name)?;
        }
        Ok(raw)
    }
}

#[derive(Deserialize)]
struct JaegerSpan<'a> {
    #[serde(rename = "traceID")]
    trace_id: Id<16>,
    #[serde(rename = "spanID")]
    span_id: Id<8>,
    /// The older JSON's parent field, used when no reference names a parent.
    #[serde(rename = "parentSpanID", default)]
    parent_span_id: Id<8>,
    #[serde(default)]
    references: Option<Vec<Reference>>,
    #[serde(rename = "operationName", borrow, default)]
    name: Cow<'a, str>,
    #[serde(rename = "startTime", default)]
    start_time: Option<i64>,
    #[serde(default)]
    duration: Option<i64>,
    #[serde(default)]
    tags: Tags,
    #[serde(rename = "processID", borrow, default)]
    process_id: Option<Cow<'a, str>>,
    #[serde(default)]
    process: Option<Process>,
}

impl JaegerSpan<'_> {
    /// The first CHILD_OF reference within the trace, else the first FOLLOWS_FROM, else
    /// `parentSpanID`.
    fn parent(&self) -> u64 {
        let refs = self.references.as_deref().unwrap_or_default();
        let in_trace = |kind: &str| {
            refs.iter()
                .find(|r| r.ref_type == kind && r.trace_id.0 == self.trace_id.0)
                .map(|r| r.span_id.span())
        };
        in_trace("CHILD_OF")
            .or_else(|| in_trace("FOLLOWS_FROM"))
            .unwrap_or(self.parent_span_id.span())
    }
}

#[derive(Deserialize)]
struct Reference {
    #[serde(rename = "refType", default)]
    ref_type: String,
    #[serde(rename = "traceID", default)]
    trace_id: Id<16>,
    #[serde(rename = "spanID")]
    span_id: Id<8>,
}

/// The tags that matter: `span.kind`, and `error` = true or `otel.status_code` = ERROR.
#[derive(Default)]
struct Tags(Vec<Tag>);

enum Tag {
    Kind(Kind),
    Error,
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tags;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of tags")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tags, E> {
                Ok(Tags::default())
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Tags, S::Error> {
                let mut out = Vec::new();
                while let Some(t) = s.next_element::<RawTag>()? {
                    match (t.key.as_ref(), &t.value) {
                        ("span.kind", TagValue::Text(v)) => out.push(Tag::Kind(Kind::from_name(v))),
                        ("error", TagValue::True) => out.push(Tag::Error),
                        ("otel.status_code", TagValue::Text(v)) if v == "ERROR" => {
                            out.push(Tag::Error)
                        }
                        _ => {}
                    }
                }
                Ok(Tags(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawTag<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(default)]
    value: TagValue,
}

/// A tag's value, kept only when short text or a boolean (kinds, "true", "ERROR").
#[derive(Default)]
enum TagValue {
    True,
    Text(String),
    #[default]
    Other,
}

impl<'de> Deserialize<'de> for TagValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TagValue, E> {
                Ok(if v { TagValue::True } else { TagValue::Other })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagValue, E> {
                Ok(match v {
                    "true" => TagValue::True,
                    _ if v.len() <= 16 => TagValue::Text(v.to_owned()),
                    _ => TagValue::Other,
                })
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<TagValue, E> {
                Ok(TagValue::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<TagValue, E> {
                Ok(TagValue::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<TagValue, E> {
                Ok(TagValue::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<TagValue, E> {
                Ok(TagValue::Other)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<TagValue, S::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(TagValue::Other)
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<TagValue, M::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(TagValue::Other)
            }
        }
        d.deserialize_any(V)
    }
}
