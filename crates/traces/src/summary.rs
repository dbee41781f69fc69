//! What an import keeps: figures per service and per call between services, the time window
//! and the counts of spans read, used, repaired and refused. Small (no span lists, no
//! attributes: service names and span-name counts only), so the lead can store it in the
//! model file and show it; TypeScript types are generated from these.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::stats::{DurationFigures, Sketch};

/// The export formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TraceFormat {
    /// OTLP/JSON as the OpenTelemetry Collector's file exporter writes it (one
    /// `ExportTraceServiceRequest` per line, or one pretty-printed object); also Tempo's.
    OtlpJson,
    /// Jaeger's query API and UI download (`{"data": [traces]}`, or one bare trace).
    JaegerJson,
    /// Zipkin v2 JSON: an array of spans (or of traces, as `/api/v2/traces` gives).
    ZipkinJson,
}

impl TraceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TraceFormat::OtlpJson => "otlp-json",
            TraceFormat::JaegerJson => "jaeger-json",
            TraceFormat::ZipkinJson => "zipkin-json",
        }
    }
}

impl std::str::FromStr for TraceFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "otlp-json" => Ok(TraceFormat::OtlpJson),
            "jaeger-json" => Ok(TraceFormat::JaegerJson),
            "zipkin-json" => Ok(TraceFormat::ZipkinJson),
            other => Err(format!(
                "unknown trace format {other:?} (otlp-json, jaeger-json or zipkin-json)"
            )),
        }
    }
}

/// Why a span was repaired or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TraceReason")]
pub enum Reason {
    /// Refused: no duration (Zipkin spans reported in pieces whose end never came).
    NoDuration,
    /// Refused: no start time.
    NoTimestamp,
    /// Refused: ends before it starts.
    NegativeDuration,
    /// Refused: a time outside 1677..2262 (nanoseconds since 1970 do not fit).
    TimeOutOfRange,
    /// Repaired: names a parent that is not in the input; measured as a root (no caller).
    ParentMissing,
    /// Repaired: runs outside its caller on another service's clock; shifted into it.
    ClockSkew,
    /// Repaired: its parents lead back to itself; cut there and measured as a root.
    ParentCycle,
    /// Repaired: the input names no service; counted as `unknown_service`.
    NoServiceName,
    /// Repaired: came after its trace had been closed (its other spans were far earlier in
    /// the input); measured as a separate part of the trace.
    LateSpan,
}

impl Reason {
    pub fn refused(self) -> bool {
        matches!(
            self,
            Reason::NoDuration
                | Reason::NoTimestamp
                | Reason::NegativeDuration
                | Reason::TimeOutOfRange
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoDuration => "refused: the span has no duration",
            Reason::NoTimestamp => "refused: the span has no start time",
            Reason::NegativeDuration => "refused: the span ends before it starts",
            Reason::TimeOutOfRange => "refused: a time is outside the years 1677 to 2262",
            Reason::ParentMissing => {
                "repaired: its parent span is not in the input, so it is measured as a root (no caller)"
            }
            Reason::ClockSkew => {
                "repaired: it lies outside its caller on another service's clock, so it was shifted into the caller"
            }
            Reason::ParentCycle => "repaired: its parents lead back to itself; cut into a root",
            Reason::NoServiceName => "repaired: no service name; counted as unknown_service",
            Reason::LateSpan => {
                "repaired: it came after its trace was closed; measured as a separate part"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceReasonCount")]
pub struct ReasonCount {
    pub reason: Reason,
    pub refused: bool,
    #[ts(type = "number")]
    pub count: u64,
    /// The first span it happened to, as "trace T, span S".
    pub example: String,
}

/// Spans read = merged + used + refused; `repaired` are among the used.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct SpanCounts {
    #[ts(type = "number")]
    pub read: u64,
    /// Records that were another part (or a copy) of a span already read: same trace, span
    /// id, service and shared flag.
    #[ts(type = "number")]
    pub merged: u64,
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub repaired: u64,
    #[ts(type = "number")]
    pub refused: u64,
    /// Traces measured (a trace closed early and continued later counts twice).
    #[ts(type = "number")]
    pub traces: u64,
    /// Traces closed before the input ended, to keep memory bounded.
    #[ts(type = "number")]
    pub traces_closed_early: u64,
    pub reasons: Vec<ReasonCount>,
}

/// The first and last moment of the spans used, RFC 3339 in UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TraceWindow {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TraceNameCount")]
pub struct NameCount {
    pub name: String,
    #[ts(type = "number")]
    pub spans: u64,
}

/// One service: its spans, their own time (duration minus the time in their children) and
/// inclusive time, and its own time per trace (summed over its spans in each trace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ServiceFigures {
    pub service: String,
    /// Spans of this service (pieces merged), refused ones included: used + refused.
    #[ts(type = "number")]
    pub spans: u64,
    /// Spans measured.
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub errors: u64,
    /// errors / used (0 when none is used).
    pub error_share: f64,
    /// Traces in which the service has a span measured.
    #[ts(type = "number")]
    pub traces: u64,
    pub own: DurationFigures,
    pub inclusive: DurationFigures,
    pub own_per_trace: DurationFigures,
    /// `own_per_trace` in mergeable form, to combine the services of one PBC.
    pub own_per_trace_sketch: Sketch,
    /// The most frequent span names (at most 20), most frequent first.
    pub names: Vec<NameCount>,
    /// Spans whose name is not among `names`.
    #[ts(type = "number")]
    pub other_names: u64,
}

/// Calls from one service to another: a span of `to` whose parent span is of `from`.
/// `inclusive` is the callee span's duration (the latency the caller sees, less the
/// network), `own` its duration minus the time in its own children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CallFigures {
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub calls: u64,
    #[ts(type = "number")]
    pub errors: u64,
    pub error_share: f64,
    /// Traces with at least one such call.
    #[ts(type = "number")]
    pub traces: u64,
    pub inclusive: DurationFigures,
    pub own: DurationFigures,
    /// `inclusive` in mergeable form, to combine the services of PBCs.
    pub inclusive_sketch: Sketch,
}

/// The aggregates of one import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TraceSummary {
    pub format: TraceFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub window: Option<TraceWindow>,
    pub counts: SpanCounts,
    /// By service name.
    pub services: Vec<ServiceFigures>,
    /// By caller, then callee.
    pub calls: Vec<CallFigures>,
}

impl TraceSummary {
    pub fn service(&self, name: &str) -> Option<&ServiceFigures> {
        self.services.iter().find(|s| s.service == name)
    }

    pub fn call(&self, from: &str, to: &str) -> Option<&CallFigures> {
        self.calls.iter().find(|c| c.from == from && c.to == to)
    }

    /// Checks a summary read back from a model file: its sketches are untrusted input.
    pub fn check(&self) -> Result<(), String> {
        for s in &self.services {
            s.own_per_trace_sketch
                .check()
                .map_err(|e| format!("service {:?}: {e}", s.service))?;
        }
        for c in &self.calls {
            c.inclusive_sketch
                .check()
                .map_err(|e| format!("calls {:?} -> {:?}: {e}", c.from, c.to))?;
        }
        Ok(())
    }
}
