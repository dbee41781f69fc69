//! Readers of trace exports. Each streams its input with serde visitors and pushes compact
//! spans into the [`Importer`] as it goes, so no reader holds more than one trace object
//! (Jaeger) or one resource block (OTLP) beyond the spans of the traces still open.

/// `DeserializeSeed` for a visitor that is its own seed: `seed!(Type<'_>, deserialize_map)`.
macro_rules! seed {
    ($ty:ty, $how:ident) => {
        impl<'de> serde::de::DeserializeSeed<'de> for $ty {
            type Value = ();
            fn deserialize<D: serde::de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.$how(self)
            }
        }
    };
}

pub mod jaeger;
pub mod otlp;
pub mod zipkin;

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, Visitor};

use crate::aggregate::Importer;
use crate::error::{Error, Result};
use crate::span::RawSpan;
use crate::summary::TraceFormat;

/// Reads one input of `format` into the importer. The caller finishes the importer, so
/// several inputs (pages of a query API) can go into one summary.
pub fn read(format: TraceFormat, input: impl Read, imp: &mut Importer) -> Result<()> {
    match format {
        TraceFormat::OtlpJson => otlp::read(input, imp),
        TraceFormat::JaegerJson => jaeger::read(input, imp).map(|_| ()),
        TraceFormat::ZipkinJson => zipkin::read(input, imp),
    }
}

/// A trace id (16 bytes) or span id (8 bytes), hex or base64; see [`crate::span::parse_id`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Id<const BYTES: usize>(pub u128);

impl<'de, const BYTES: usize> Deserialize<'de> for Id<BYTES> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const B: usize>;
        impl<const B: usize> Visitor<'_> for V<B> {
            type Value = Id<B>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an id as a string of hex digits")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Id<B>, E> {
                crate::span::parse_id(s, B).map(Id).map_err(E::custom)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Id<B>, E> {
                Ok(Id(0))
            }
        }
        d.deserialize_any(V::<BYTES>)
    }
}

impl Id<8> {
    pub fn span(self) -> u64 {
        self.0 as u64
    }
}

/// Non-negative integer time given as a number or as a string of digits (OTLP/JSON writes
/// 64-bit integers as strings).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Int(pub Option<u64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Int;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a non-negative integer, as a number or a string of digits"
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                Ok(Int(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                u64::try_from(v)
                    .map(|v| Int(Some(v)))
                    .map_err(|_| E::custom(format!("a time of {v} is negative")))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Int, E> {
                if s.is_empty() {
                    return Ok(Int(None));
                }
                s.parse::<u64>()
                    .map(|v| Int(Some(v)))
                    .map_err(|_| E::custom(format!("{s:?} is not a whole number")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// What a reader's visitors share: the importer, and the error that stopped them when it
/// is the importer's (a limit, a cancel) rather than the JSON's.
pub(crate) struct Ctx<'a> {
    pub imp: &'a mut Importer,
    pub err: Option<Error>,
}

impl<'a> Ctx<'a> {
    pub fn new(imp: &'a mut Importer) -> Ctx<'a> {
        Ctx { imp, err: None }
    }

    /// Runs an importer step inside a visitor: its error is kept and serde is told to stop.
    pub fn run<T, E: de::Error>(
        &mut self,
        step: impl FnOnce(&mut Importer) -> Result<T>,
    ) -> Result<T, E> {
        step(self.imp).map_err(|e| {
            self.err = Some(e);
            E::custom("stopped")
        })
    }

    pub fn push<E: de::Error>(&mut self, span: RawSpan) -> Result<(), E> {
        self.run(|imp| imp.push(span))
    }

    /// The service id of a name; too many distinct names stop the import.
    pub fn service<E: de::Error>(&mut self, name: &str) -> Result<u32, E> {
        self.run(|imp| {
            imp.names()
                .service(name)
                .ok_or_else(crate::aggregate::too_many)
        })
    }

    /// The result of a whole parse: the importer's own error first, else the JSON's.
    pub fn outcome<T>(
        &mut self,
        format: TraceFormat,
        r: Result<T, serde_json::Error>,
    ) -> Result<T> {
        match r {
            Ok(v) => Ok(v),
            Err(e) => Err(self
                .err
                .take()
                .unwrap_or_else(|| Error::json(format.as_str(), &e))),
        }
    }
}

/// A JSON parser over a buffered reader.
pub(crate) fn json_reader<R: Read>(
    input: R,
) -> serde_json::Deserializer<serde_json::de::IoRead<std::io::BufReader<R>>> {
    serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, input))
}
