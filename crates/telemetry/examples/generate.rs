//! Writes SYNTHETIC telemetry for one example stream: `events.csv`, `deployments.csv`,
//! `map.toml` and a `README.txt` saying the data is generated. Seeded: the same arguments give
//! the same files.
//!
//! cargo run -p tributary-telemetry --example generate -- --out DIR [--seed 7] [--items 400]
//!     [--start 2025-01-06] [--days 150] [--stages "In Development=build,Code Review=review"]
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::ExitCode;

use tributary_telemetry::testkit::{self, GenOptions};
use tributary_telemetry::time::{MS_PER_DAY, parse_day};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut out: Option<PathBuf> = None;
    let mut opts = GenOptions::default();
    let mut days: i64 = 150;
    let mut stages: Vec<(String, String)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => opts.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--items" => opts.items = value()?.parse().map_err(|e| format!("--items: {e}"))?,
            "--start" => opts.start_day = parse_day(&value()?)?,
            "--days" => days = value()?.parse().map_err(|e| format!("--days: {e}"))?,
            "--stages" => {
                for pair in value()?.split(',').filter(|p| !p.trim().is_empty()) {
                    let (s, st) = pair
                        .split_once('=')
                        .ok_or_else(|| format!("--stages: {pair:?} is not STATUS=STAGE"))?;
                    stages.push((s.trim().to_owned(), st.trim().to_owned()));
                }
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("give --out DIR")?;
    if days < 1 {
        return Err("--days must be at least 1".into());
    }
    // Arrivals spread over the history; the export is taken at its end, so the last items
    // are still in progress.
    opts.arrivals_per_day = opts.items as f64 / (days as f64 * 0.85);
    let end_day = opts.start_day + days - 1;
    opts.end = Some((end_day + 1) * MS_PER_DAY - 1);
    let rows = testkit::events(&opts);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, text: String| {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    write("events.csv", testkit::events_csv(&rows))?;
    write(
        "deployments.csv",
        testkit::deployments_csv(opts.seed, opts.start_day, end_day),
    )?;
    write("map.toml", testkit::mapping_toml(&stages))?;
    write(
        "README.txt",
        format!(
            "SYNTHETIC TELEMETRY - generated, not measured.\n\
             Made by `cargo run -p tributary-telemetry --example generate` with seed {}, {} items,\n\
             {days} days from day {}. Every item's title says \"Synthetic\". Use it to try the Flow\n\
             view, forecasts and the DORA keys; never present it as a team's data.\n",
            opts.seed, opts.items, opts.start_day
        ),
    )?;
    println!(
        "wrote {} events of {} items to {}",
        rows.len(),
        opts.items,
        out.display()
    );
    Ok(())
}
