//! Aggregates generated traces (or a file) and prints the counts and the time taken; run
//! under `/usr/bin/time -v` for peak memory:
//!
//! ```sh
//! cargo run --release -p tributary-traces --features testkit --example aggregate -- 100000
//! cargo run --release -p tributary-traces --features testkit --example aggregate -- 100000 one-span-traces
//! cargo run --release -p tributary-traces --features testkit --example aggregate -- FILE otlp-json
//! ```

use std::time::Instant;

use tributary_traces::testkit::OtlpLines;
use tributary_traces::{ImportOptions, TraceFormat, import};

/// Counts the bytes read, to say how large the generated export was.
struct Counted<R>(R, u64);

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1 += n as u64;
        Ok(n)
    }
}

fn generated(lines: OtlpLines) -> tributary_traces::Result<tributary_traces::TraceSummary> {
    let mut src = Counted(lines, 0);
    let s = import(TraceFormat::OtlpJson, &mut src, ImportOptions::default())?;
    println!("generated {} MB of OTLP JSON lines", src.1 >> 20);
    Ok(s)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = Instant::now();
    let s = match args.as_slice() {
        [n, split] if split == "one-span-traces" => {
            generated(OtlpLines::new(n.parse()?, 1).one_span_per_trace())?
        }
        [file, format] => {
            let format: TraceFormat = format.parse()?;
            import(format, std::fs::File::open(file)?, ImportOptions::default())?
        }
        [n] => generated(OtlpLines::new(n.parse()?, 1))?,
        _ => generated(OtlpLines::new(100_000, 1))?,
    };
    let c = &s.counts;
    println!(
        "{} spans read, {} used, {} traces, {} services, {} calls in {:.2} s",
        c.read,
        c.used,
        c.traces,
        s.services.len(),
        s.calls.len(),
        t.elapsed().as_secs_f64()
    );
    println!("summary JSON: {} bytes", serde_json::to_string(&s)?.len());
    Ok(())
}
