//! Synthetic traces for tests and benchmarks, clearly labelled as such: a small web shop
//! whose every trace is the same ten-span call tree over five services, with seeded jitter.
//! [`OtlpLines`] writes them lazily as OTLP JSON lines (one Collector batch per line), so a
//! million spans never sit in memory as text.

use std::io::Read;

/// The call tree of one trace: (service, span name, kind, parent index, base duration in
/// µs). Kinds are OTLP numbers: 1 internal, 2 server, 3 client.
pub const TEMPLATE: [(&str, &str, u8, Option<usize>, u64); 10] = [
    ("shop-frontend", "GET /checkout", 2, None, 90_000),
    ("shop-frontend", "POST auth", 3, Some(0), 12_000),
    ("auth", "POST /token", 2, Some(1), 10_000),
    ("shop-frontend", "GET cart", 3, Some(0), 30_000),
    ("cart", "GET /cart", 2, Some(3), 28_000),
    ("cart", "SELECT cart_items", 3, Some(4), 8_000),
    ("cart-db", "query", 2, Some(5), 7_000),
    ("shop-frontend", "POST payment", 3, Some(0), 40_000),
    ("payment", "POST /charge", 2, Some(7), 38_000),
    ("payment", "sign request", 1, Some(8), 5_000),
];

/// splitmix64: a tiny seeded generator, enough for jitter.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A lazily written OTLP JSON lines export of `traces` synthetic traces.
pub struct OtlpLines {
    traces: u64,
    per_line: u64,
    done: u64,
    rng: u64,
    buf: Vec<u8>,
    pos: usize,
    split: bool,
}

impl OtlpLines {
    pub fn new(traces: u64, seed: u64) -> OtlpLines {
        OtlpLines {
            traces,
            per_line: 50,
            done: 0,
            rng: seed,
            buf: Vec::new(),
            pos: 0,
            split: false,
        }
    }

    /// Gives every span a trace of its own (its parent then is not in the input): the
    /// worst case for memory, as no trace ever grows and each waits out its idle time.
    pub fn one_span_per_trace(mut self) -> OtlpLines {
        self.split = true;
        self
    }

    /// Spans the export will hold.
    pub fn spans(&self) -> u64 {
        self.traces * TEMPLATE.len() as u64
    }

    fn fill(&mut self) {
        self.buf.clear();
        self.pos = 0;
        let n = self.per_line.min(self.traces - self.done);
        let first = self.done;
        self.done += n;
        // One resourceSpans per service, as the Collector groups a batch by resource.
        let mut blocks: Vec<(&str, Vec<String>)> = Vec::new();
        for t in first..first + n {
            for (service, span) in self.trace(t) {
                match blocks.iter_mut().find(|b| b.0 == service) {
                    Some(b) => b.1.push(span),
                    None => blocks.push((service, vec![span])),
                }
            }
        }
        let rs: Vec<String> = blocks
            .iter()
            .map(|(svc, spans)| {
                format!(
                    r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{svc}"}}}},{{"key":"host.name","value":{{"stringValue":"node-7"}}}}]}},"scopeSpans":[{{"scope":{{"name":"testkit"}},"spans":[{}]}}]}}"#,
                    spans.join(",")
                )
            })
            .collect();
        self.buf
            .extend_from_slice(format!(r#"{{"resourceSpans":[{}]}}"#, rs.join(",")).as_bytes());
        self.buf.push(b'\n');
    }

    /// The spans of trace `t`: a child starts 1 ms into its parent; durations are the base
    /// times with up to +50 % jitter, a child never longer than its parent less 2 ms.
    fn trace(&mut self, t: u64) -> Vec<(&'static str, String)> {
        let start0: u64 = 1_750_000_000_000_000_000 + t * 1_000_000;
        let mut start = [0u64; 10];
        let mut dur = [0u64; 10];
        let mut out = Vec::with_capacity(TEMPLATE.len());
        for (i, (svc, name, kind, parent, base)) in TEMPLATE.iter().enumerate() {
            let jitter = next(&mut self.rng) % (base / 2 + 1);
            let mut d = (base + jitter) * 1000;
            match parent {
                Some(p) => {
                    start[i] = start[*p] + 1_000_000;
                    d = d.min(dur[*p].saturating_sub(2_000_000));
                }
                None => start[i] = start0,
            }
            dur[i] = d;
            let parent_id =
                parent.map_or(String::new(), |p| format!("{:016x}", t * 16 + p as u64 + 1));
            let error = i == 8 && t.is_multiple_of(20);
            out.push((
                *svc,
                format!(
                    r#"{{"traceId":"{:032x}","spanId":"{:016x}","parentSpanId":"{parent_id}","name":"{name}","kind":{kind},"startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"http.method","value":{{"stringValue":"POST"}}}},{{"key":"http.status_code","value":{{"intValue":"{}"}}}}],"status":{{"code":{}}}}}"#,
                    if self.split { t * 16 + i as u64 + 1 } else { t + 1 },
                    t * 16 + i as u64 + 1,
                    start[i],
                    start[i] + d,
                    if error { 500 } else { 200 },
                    if error { 2 } else { 0 },
                ),
            ));
        }
        out
    }
}

impl Read for OtlpLines {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.buf.len() {
            if self.done >= self.traces {
                return Ok(0);
            }
            self.fill();
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
