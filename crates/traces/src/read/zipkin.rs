//! Zipkin v2 JSON: an array of spans (`traceId`, `id`, `parentId`, `kind`, `timestamp` and
//! `duration` in microseconds, `localEndpoint.serviceName`, `shared`, `tags`), or an array of
//! traces (arrays of spans) as `/api/v2/traces` answers. The pieces of one span and the
//! client and server halves of a shared id are sorted out when the trace closes.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Ctx, Id, json_reader};
use crate::aggregate::Importer;
use crate::error::Result;
use crate::span::{Kind, RawSpan};
use crate::summary::TraceFormat;

const FORMAT: TraceFormat = TraceFormat::ZipkinJson;

pub fn read(input: impl Read, imp: &mut Importer) -> Result<()> {
    let mut ctx = Ctx::new(imp);
    let mut de = json_reader(input);
    let r = List {
        ctx: &mut ctx,
        nested: false,
    }
    .deserialize(&mut de)
    .and_then(|_| de.end());
    ctx.outcome(FORMAT, r)
}

/// The top-level array, or one trace inside it (`nested`), whose spans are closed at its end.
struct List<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    nested: bool,
}

seed!(List<'_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Zipkin v2 array of spans")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        let mut traces: Vec<u128> = Vec::new();
        while let Some(()) = s.next_element_seed(Element {
            ctx: &mut *self.ctx,
            nested: self.nested,
            traces: &mut traces,
        })? {}
        traces.sort_unstable();
        traces.dedup();
        for t in traces {
            self.ctx.run(|imp| imp.close(t))?;
        }
        Ok(())
    }
}

/// A span, or (at the top level) an array of spans.
struct Element<'c, 'a, 't> {
    ctx: &'c mut Ctx<'a>,
    nested: bool,
    traces: &'t mut Vec<u128>,
}

seed!(Element<'_, '_, '_>, deserialize_any);

impl<'de> Visitor<'de> for Element<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Zipkin span object")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, s: S) -> Result<(), S::Error> {
        if self.nested {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        List {
            ctx: self.ctx,
            nested: true,
        }
        .visit_seq(s)
    }
    fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<(), M::Error> {
        let span = ZipkinSpan::deserialize(de::value::MapAccessDeserializer::new(m))?;
        let mut raw = RawSpan::new(span.trace_id.0, span.id.span(), span.parent_id.span());
        raw.name = match span.name.as_deref() {
            Some(n) => self.ctx.run(|imp| Ok(imp.names().name(n)))?,
            None => crate::span::NO_NAME,
        };
        raw.kind = span
            .kind
            .as_deref()
            .map_or(Kind::Unspecified, Kind::from_name);
        raw.shared = span.shared.unwrap_or(false);
        raw.error = span.tags.0;
        raw.set_micros(span.timestamp, span.duration);
        if let Some(name) = span
            .local_endpoint
            .as_ref()
            .and_then(|e| e.service_name.as_deref())
            .filter(|s| !s.is_empty())
        {
            raw.service = self.ctx.service(name)?;
        }
        if self.nested {
            self.traces.push(raw.trace);
        }
        self.ctx.push(raw)
    }
}

#[derive(Deserialize)]
struct ZipkinSpan<'a> {
    #[serde(rename = "traceId")]
    trace_id: Id<16>,
    id: Id<8>,
    #[serde(rename = "parentId", default)]
    parent_id: Id<8>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(default)]
    timestamp: Option<i64>,
    #[serde(default)]
    duration: Option<i64>,
    #[serde(rename = "localEndpoint", borrow, default)]
    local_endpoint: Option<Endpoint<'a>>,
    #[serde(default)]
    shared: Option<bool>,
    #[serde(default)]
    tags: ErrorTag,
}

#[derive(Deserialize)]
struct Endpoint<'a> {
    #[serde(rename = "serviceName", borrow, default)]
    service_name: Option<Cow<'a, str>>,
}

/// Zipkin marks a failed span with an `error` tag (any value).
#[derive(Default)]
struct ErrorTag(bool);

impl<'de> Deserialize<'de> for ErrorTag {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorTag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of tags")
            }
            fn visit_unit<E: de::Error>(self) -> Result<ErrorTag, E> {
                Ok(ErrorTag(false))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<ErrorTag, M::Error> {
                let mut error = false;
                while let Some(k) = m.next_key::<Cow<str>>()? {
                    m.next_value::<IgnoredAny>()?;
                    error |= k == "error";
                }
                Ok(ErrorTag(error))
            }
        }
        d.deserialize_any(V)
    }
}
