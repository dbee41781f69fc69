//! The compact span every reader produces: ids as integers, the service and span name as
//! interned numbers, times in nanoseconds. About 64 bytes, so that the spans of the traces
//! still open fit in little memory whatever the format carried around them.

use std::collections::HashMap;

use base64::Engine;

/// What a span is in the call: the server side of a call, the client side, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl Kind {
    /// OTLP's numbers (`SpanKind`), also accepted as their proto names.
    pub(crate) fn from_otlp(n: u64) -> Kind {
        match n {
            1 => Kind::Internal,
            2 => Kind::Server,
            3 => Kind::Client,
            4 => Kind::Producer,
            5 => Kind::Consumer,
            _ => Kind::Unspecified,
        }
    }

    /// `SPAN_KIND_SERVER` (OTLP), `server` (Jaeger's `span.kind` tag), `SERVER` (Zipkin).
    pub(crate) fn from_name(s: &str) -> Kind {
        let s = s.strip_prefix("SPAN_KIND_").unwrap_or(s);
        match s.to_ascii_lowercase().as_str() {
            "internal" => Kind::Internal,
            "server" => Kind::Server,
            "client" => Kind::Client,
            "producer" => Kind::Producer,
            "consumer" => Kind::Consumer,
            _ => Kind::Unspecified,
        }
    }

    /// Messaging: the consumer may run long after the producer is done, so neither clips
    /// the other's time nor is shifted into it.
    pub(crate) fn is_async(self) -> bool {
        matches!(self, Kind::Producer | Kind::Consumer)
    }
}

/// One span as read. `parent == 0` means the span names no parent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawSpan {
    pub trace: u128,
    pub id: u64,
    pub parent: u64,
    /// Interned service name; [`NO_SERVICE`] when the format gave none.
    pub service: u32,
    /// Interned span name.
    pub name: u32,
    /// Start, nanoseconds since the Unix epoch; `None` when the format gave none (Zipkin).
    pub start: Option<i64>,
    /// Duration in nanoseconds, negative when the end is before the start; `None` when the
    /// format gave none (Zipkin) or the value does not fit.
    pub duration: Option<i64>,
    pub kind: Kind,
    pub error: bool,
    /// Zipkin's server half of a span id shared with its client.
    pub shared: bool,
    /// A time was given but is out of range (before 1677 or after 2262 in nanoseconds).
    pub bad_time: bool,
    /// Came after its trace had been closed (set by the importer).
    pub late: bool,
}

impl RawSpan {
    /// A span with ids only; readers fill in the rest.
    pub fn new(trace: u128, id: u64, parent: u64) -> RawSpan {
        RawSpan {
            trace,
            id,
            parent,
            service: NO_SERVICE,
            name: NO_NAME,
            start: None,
            duration: None,
            kind: Kind::Unspecified,
            error: false,
            shared: false,
            bad_time: false,
            late: false,
        }
    }

    /// Sets start and duration from a start and an end in nanoseconds (OTLP).
    pub fn set_start_end(&mut self, start: Option<u64>, end: Option<u64>) {
        let s = start.map(i64::try_from);
        let e = end.map(i64::try_from);
        self.bad_time = matches!(s, Some(Err(_))) || matches!(e, Some(Err(_)));
        self.start = s.and_then(Result::ok);
        self.duration = match (self.start, e.and_then(Result::ok)) {
            (Some(a), Some(b)) => b.checked_sub(a),
            _ => None,
        };
    }

    /// Sets start and duration given in microseconds (Jaeger, Zipkin).
    pub fn set_micros(&mut self, start: Option<i64>, duration: Option<i64>) {
        let s = start.map(micros_to_nanos);
        let d = duration.map(micros_to_nanos);
        self.bad_time = matches!(s, Some(None)) || matches!(d, Some(None));
        self.start = s.flatten();
        self.duration = d.flatten();
    }

    /// Has a start, a duration of at least 0, and an end that fits.
    pub fn measurable(&self) -> bool {
        match (self.start, self.duration) {
            (Some(s), Some(d)) => !self.bad_time && d >= 0 && s.checked_add(d).is_some(),
            _ => false,
        }
    }

    /// Why the span cannot be measured, if it cannot.
    pub fn refusal(&self) -> Option<crate::summary::Reason> {
        use crate::summary::Reason;
        if self.measurable() {
            return None;
        }
        Some(if self.bad_time {
            Reason::TimeOutOfRange
        } else if self.start.is_none() {
            Reason::NoTimestamp
        } else if self.duration.is_none() {
            Reason::NoDuration
        } else if self.duration.is_some_and(|d| d < 0) {
            Reason::NegativeDuration
        } else {
            Reason::TimeOutOfRange
        })
    }
}

/// The service id a span gets when its format names no service.
pub const NO_SERVICE: u32 = u32::MAX;

/// Distinct service names kept: more means `service.name` carries something else (an
/// instance id, a URL), and the figures would say nothing.
pub const MAX_SERVICES: usize = 10_000;
/// Distinct span names kept; later new names count as "other" (span names can hold ids).
pub const MAX_NAMES: usize = 100_000;
/// The interned id of every span name past [`MAX_NAMES`].
pub const OTHER_NAME: u32 = u32::MAX;
/// The name id of a span the format gave no name (or an empty one).
pub const NO_NAME: u32 = u32::MAX - 1;

/// Service and span names, each stored once.
#[derive(Debug, Default)]
pub struct Names {
    services: Vec<String>,
    service_ids: HashMap<String, u32>,
    names: Vec<String>,
    name_ids: HashMap<String, u32>,
}

impl Names {
    /// The id of a service name; `None` when there are already [`MAX_SERVICES`].
    pub fn service(&mut self, s: &str) -> Option<u32> {
        intern(&mut self.services, &mut self.service_ids, s, MAX_SERVICES)
    }

    pub fn name(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return NO_NAME;
        }
        intern(&mut self.names, &mut self.name_ids, s, MAX_NAMES).unwrap_or(OTHER_NAME)
    }

    pub fn service_name(&self, id: u32) -> &str {
        self.services.get(id as usize).map_or("", String::as_str)
    }

    pub fn span_name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }
}

fn intern(
    list: &mut Vec<String>,
    ids: &mut HashMap<String, u32>,
    s: &str,
    max: usize,
) -> Option<u32> {
    if let Some(&id) = ids.get(s) {
        return Some(id);
    }
    if list.len() >= max {
        return None;
    }
    let id = u32::try_from(list.len()).ok()?;
    list.push(s.to_owned());
    ids.insert(s.to_owned(), id);
    Some(id)
}

/// Reads a trace or span id: hex (OTLP/JSON, Jaeger, Zipkin; up to `2 * bytes` digits,
/// leading zeros may be dropped as Jaeger does), or base64 of exactly `bytes` bytes (protobuf
/// JSON as Tempo writes it). The empty string and all zeros mean "none" (0).
pub fn parse_id(s: &str, bytes: usize) -> Result<u128, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let hex = s.len() <= 2 * bytes && s.bytes().all(|b| b.is_ascii_hexdigit());
    if hex {
        return u128::from_str_radix(s, 16).map_err(|e| format!("id {s:?}: {e}"));
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|_| describe_bad_id(s, bytes))?;
    if raw.len() != bytes {
        return Err(describe_bad_id(s, bytes));
    }
    Ok(raw.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b)))
}

fn describe_bad_id(s: &str, bytes: usize) -> String {
    let shown: String = s.chars().take(40).collect();
    format!(
        "id {shown:?} is neither hex of at most {} digits nor base64 of {bytes} bytes",
        2 * bytes
    )
}

/// Hex of a trace id, for messages.
pub fn trace_hex(t: u128) -> String {
    format!("{t:032x}")
}

/// Hex of a span id, for messages.
pub fn span_hex(s: u64) -> String {
    format!("{s:016x}")
}

/// Microseconds (Jaeger, Zipkin) to nanoseconds; `None` when out of range.
pub fn micros_to_nanos(us: i64) -> Option<i64> {
    us.checked_mul(1000)
}
