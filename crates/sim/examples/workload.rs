//! Runs `tributary_sim::simulate` on a tributary/1 model and prints one line of JSON with the
//! first stream's lead-time figures and the wall time of the simulation alone. The Rust side
//! of `benches/simpy_compare.py`, and what callgrind profiles.
//!
//!     cargo run --release -p tributary-sim --example workload -- \
//!         [--model crates/sim/benches/workload.json] [--items 100000] [--runs 1] \
//!         [--seed 1] [--warmup 0] [--threads 1]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark driver: fail loudly

use std::time::Instant;

use tributary_sim::{Control, Options, simulate};

fn main() {
    let mut model = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/workload.json").to_owned();
    let mut options = Options {
        items: 100_000,
        runs: 1,
        seed: 1,
        warmup: Some(0),
        threads: Some(1),
        ..Options::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        let number = || -> u64 { value.parse().unwrap_or_else(|e| panic!("{flag}: {e}")) };
        match flag.as_str() {
            "--model" => model = value.clone(),
            "--items" => options.items = number() as u32,
            "--runs" => options.runs = number() as u32,
            "--seed" => options.seed = number(),
            // 0 threads: rayon's default, one per core
            "--threads" => options.threads = Some(number() as u32).filter(|&t| t > 0),
            "--warmup" => options.warmup = Some(number() as u32),
            other => panic!("unknown option {other}"),
        }
    }
    let text = std::fs::read_to_string(&model).unwrap_or_else(|e| panic!("{model}: {e}"));
    let model = tributary_core::exchange::from_json(&text).unwrap();
    let start = Instant::now();
    let sim = simulate(&model, &options, &Control::new()).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let s = &sim.streams[0];
    let lt = &s.lead_time;
    let line = serde_json::json!({
        "items": u64::from(sim.items) * u64::from(sim.runs),
        "runs": sim.runs,
        "mean": lt.mean, "p50": lt.p50, "p85": lt.p85, "p95": lt.p95,
        "std_error": lt.std_error,
        "reworked": s.reworked_share.value,
        "seconds": seconds,
    });
    println!("{line}");
}
