//! Aggregates generated traces (or a file) and prints the counts and the time taken; run
//! under `/usr/bin/time -v` for peak memory:
//!
//! ```sh
//! cargo run --release -p tributary-traces --features testkit --example aggregate -- 100000
//! cargo run --release -p tributary-traces --features testkit --example aggregate -- FILE otlp-json
//! ```

use std::time::Instant;

use tributary_traces::testkit::OtlpLines;
use tributary_traces::{ImportOptions, TraceFormat, import};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = Instant::now();
    let s = match args.as_slice() {
        [file, format] => {
            let format: TraceFormat = format.parse()?;
            import(format, std::fs::File::open(file)?, ImportOptions::default())?
        }
        [n] => import(
            TraceFormat::OtlpJson,
            OtlpLines::new(n.parse()?, 1),
            ImportOptions::default(),
        )?,
        _ => import(
            TraceFormat::OtlpJson,
            OtlpLines::new(100_000, 1),
            ImportOptions::default(),
        )?,
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
