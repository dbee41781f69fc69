//! OTLP/JSON: `{"resourceSpans": [{"resource": {"attributes": [...]}, "scopeSpans":
//! [{"spans": [...]}]}]}`, as the Collector's file exporter writes it (one request per line)
//! or pretty-printed; Tempo's `{"batches": ...}` and `{"trace": ...}`, and the older
//! `instrumentationLibrarySpans`, too. Ids are hex (OTLP/JSON) or base64 (protobuf JSON).

use std::borrow::Cow;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Ctx, Id, Int, json_reader};
use crate::aggregate::Importer;
use crate::error::{Error, Location, Result};
use crate::span::{Kind, NO_SERVICE, RawSpan};
use crate::summary::TraceFormat;

const FORMAT: TraceFormat = TraceFormat::OtlpJson;
/// The longest line read in one piece (a Collector batch is far smaller).
pub const MAX_LINE: u64 = 256 << 20;

/// Reads JSON lines when the first line is a whole JSON value, else one (pretty-printed)
/// value streamed from the reader.
pub fn read(input: impl Read, imp: &mut Importer) -> Result<()> {
    let mut r = BufReader::with_capacity(1 << 16, input);
    let mut line = Vec::new();
    let mut n = next_line(&mut r, &mut line)?;
    if n == 0 {
        return Ok(());
    }
    let whole = serde_json::from_slice::<IgnoredAny>(trim(&line)).is_ok();
    if !whole {
        let rest = std::io::Cursor::new(std::mem::take(&mut line)).chain(r);
        let mut ctx = Ctx::new(imp);
        let mut de = json_reader(rest);
        let r = Request(&mut ctx)
            .deserialize(&mut de)
            .and_then(|_| de.end());
        return ctx.outcome(FORMAT, r);
    }
    let mut number = 1usize;
    while n > 0 {
        let text = trim(&line);
        if !text.is_empty() {
            read_line(text, number, imp)?;
        }
        n = next_line(&mut r, &mut line)?;
        number += 1;
    }
    Ok(())
}

fn trim(line: &[u8]) -> &[u8] {
    line.trim_ascii()
}

fn next_line(r: &mut impl BufRead, line: &mut Vec<u8>) -> Result<usize> {
    line.clear();
    let n = r
        .by_ref()
        .take(MAX_LINE + 1)
        .read_until(b'\n', line)
        .map_err(|source| Error::Io {
            format: FORMAT.as_str(),
            source,
        })?;
    if n as u64 > MAX_LINE {
        return Err(Error::Limit {
            format: FORMAT.as_str(),
            message: format!(
                "a line is longer than {} MB: not OTLP JSON lines",
                MAX_LINE >> 20
            ),
        });
    }
    Ok(n)
}

fn read_line(text: &[u8], number: usize, imp: &mut Importer) -> Result<()> {
    let mut ctx = Ctx::new(imp);
    let mut de = serde_json::Deserializer::from_slice(text);
    let r = Request(&mut ctx)
        .deserialize(&mut de)
        .and_then(|_| de.end());
    ctx.outcome(FORMAT, r).map_err(|e| at_line(e, number))
}

/// Errors from one line say the line of the file, not of the slice.
fn at_line(e: Error, number: usize) -> Error {
    match e {
        Error::Input {
            format,
            location: Location::At { line, column },
            message,
        } => Error::Input {
            format,
            location: Location::At {
                line: number + line - 1,
                column,
            },
            message,
        },
        other => other,
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum TopKey {
    ResourceSpans,
    Batches,
    Trace,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum BlockKey {
    Resource,
    ScopeSpans,
    InstrumentationLibrarySpans,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum ScopeKey {
    Spans,
    #[serde(other)]
    Other,
}

/// An `ExportTraceServiceRequest` (or Tempo's wrappers of one).
struct Request<'c, 'a>(&'c mut Ctx<'a>);

seed!(Request<'_, '_>, deserialize_map);

impl<'de> Visitor<'de> for Request<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP JSON object with \"resourceSpans\"")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
        while let Some(k) = m.next_key::<TopKey>()? {
            match k {
                TopKey::ResourceSpans | TopKey::Batches => m.next_value_seed(Blocks(self.0))?,
                TopKey::Trace => m.next_value_seed(Request(self.0))?,
                TopKey::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The `resourceSpans` array.
struct Blocks<'c, 'a>(&'c mut Ctx<'a>);

seed!(Blocks<'_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for Blocks<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resourceSpans")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        while s
            .next_element_seed(Block {
                ctx: self.0,
                service: None,
                pending: Vec::new(),
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One `resourceSpans` entry. Spans that come before the resource (JSON keys have no
/// order) wait in `pending` until the service is known.
struct Block<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    service: Option<u32>,
    pending: Vec<RawSpan>,
}

seed!(Block<'_, '_>, deserialize_map);

impl<'de> Visitor<'de> for Block<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resourceSpans object")
    }
    fn visit_map<M: MapAccess<'de>>(mut self, mut m: M) -> Result<(), M::Error> {
        while let Some(k) = m.next_key::<BlockKey>()? {
            match k {
                BlockKey::Resource => {
                    let r: Resource = m.next_value()?;
                    let id = match r.service_name() {
                        Some(name) => self.ctx.service(name)?,
                        None => NO_SERVICE,
                    };
                    self.service = Some(id);
                    self.flush()?;
                }
                BlockKey::ScopeSpans | BlockKey::InstrumentationLibrarySpans => {
                    m.next_value_seed(Scopes(&mut self))?;
                }
                BlockKey::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.service.get_or_insert(NO_SERVICE);
        self.flush()
    }
}

impl Block<'_, '_> {
    fn flush<E: de::Error>(&mut self) -> Result<(), E> {
        let Some(service) = self.service else {
            return Ok(());
        };
        for mut s in std::mem::take(&mut self.pending) {
            s.service = service;
            self.ctx.push(s)?;
        }
        Ok(())
    }

    fn take<E: de::Error>(&mut self, mut s: RawSpan) -> Result<(), E> {
        match self.service {
            Some(service) => {
                s.service = service;
                self.ctx.push(s)
            }
            None => {
                if self.pending.len() >= self.ctx.imp.limits().max_open_spans {
                    return self.ctx.run(|_| {
                        Err(Error::Limit {
                            format: FORMAT.as_str(),
                            message: format!(
                                "a resourceSpans entry lists more than {} spans before its resource: put \"resource\" first",
                                self.pending.len()
                            ),
                        })
                    });
                }
                self.pending.push(s);
                Ok(())
            }
        }
    }
}

#[derive(Deserialize, Default)]
struct Resource<'a> {
    #[serde(borrow, default)]
    attributes: Vec<KeyValue<'a>>,
}

#[derive(Deserialize)]
struct KeyValue<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow, default)]
    value: AnyValue<'a>,
}

#[derive(Deserialize, Default)]
struct AnyValue<'a> {
    #[serde(borrow, default, rename = "stringValue")]
    string_value: Option<Cow<'a, str>>,
}

impl Resource<'_> {
    fn service_name(&self) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.key == "service.name")
            .and_then(|a| a.value.string_value.as_deref())
            .filter(|s| !s.is_empty())
    }
}

/// The `scopeSpans` array of one block.
struct Scopes<'b, 'c, 'a>(&'b mut Block<'c, 'a>);

seed!(Scopes<'_, '_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for Scopes<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of scopeSpans")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        while s.next_element_seed(Scope(self.0))?.is_some() {}
        Ok(())
    }
}

struct Scope<'b, 'c, 'a>(&'b mut Block<'c, 'a>);

seed!(Scope<'_, '_, '_>, deserialize_map);

impl<'de> Visitor<'de> for Scope<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scopeSpans object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<(), M::Error> {
        while let Some(k) = m.next_key::<ScopeKey>()? {
            match k {
                ScopeKey::Spans => m.next_value_seed(Spans(&mut *self.0))?,
                ScopeKey::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Spans<'b, 'c, 'a>(&'b mut Block<'c, 'a>);

seed!(Spans<'_, '_, '_>, deserialize_seq);

impl<'de> Visitor<'de> for Spans<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of spans")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<(), S::Error> {
        while let Some(span) = s.next_element::<OtlpSpan>()? {
            let mut raw = RawSpan::new(
                span.trace_id.0,
                span.span_id.0 as u64,
                span.parent_span_id.span(),
            );
            raw.name = self.0.ctx.run(|imp| Ok(imp.names().name(&span.name)))?;
            raw.kind = span.kind.0;
            raw.error = span.status.is_some_and(|s| s.code.0);
            raw.set_start_end(span.start_time_unix_nano.0, span.end_time_unix_nano.0);
            self.0.take(raw)?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtlpSpan<'a> {
    trace_id: Id<16>,
    span_id: Id<8>,
    #[serde(default)]
    parent_span_id: Id<8>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(default)]
    kind: KindField,
    #[serde(default)]
    start_time_unix_nano: Int,
    #[serde(default)]
    end_time_unix_nano: Int,
    #[serde(default)]
    status: Option<Status>,
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    code: ErrorCode,
}

/// `SpanKind` as a number (OTLP/JSON) or its name (protobuf JSON).
#[derive(Default)]
struct KindField(Kind);

impl<'de> Deserialize<'de> for KindField {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KindField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a span kind (a number or a name)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KindField, E> {
                Ok(KindField(Kind::from_otlp(v)))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<KindField, E> {
                Ok(KindField(Kind::Unspecified))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KindField, E> {
                Ok(KindField(Kind::from_name(s)))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Status.code`: 2 or `STATUS_CODE_ERROR` is an error.
#[derive(Default, Clone, Copy)]
struct ErrorCode(bool);

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ErrorCode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status code (a number or a name)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ErrorCode, E> {
                Ok(ErrorCode(v == 2))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<ErrorCode, E> {
                Ok(ErrorCode(false))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ErrorCode, E> {
                Ok(ErrorCode(s == "STATUS_CODE_ERROR" || s == "ERROR"))
            }
        }
        d.deserialize_any(V)
    }
}
