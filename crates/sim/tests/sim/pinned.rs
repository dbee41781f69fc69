//! Pinned figures: a seeded run must give exactly these numbers, bit for bit, so that any
//! change to the random draws or to the order of events shows here rather than passing
//! unnoticed. The other tests check that the numbers are right; these check that they stay
//! the same. When the draws change on purpose (another generator, another way to draw a
//! distribution), re-pin once from the failure message, say so in the commit, and update the
//! places outside this crate that quote simulated figures (README.md's mortgage sentence).

use tributary_core::exchange::from_json;
use tributary_sim::{Control, Options, StreamSimulation, compare, simulate};

use crate::reproducible::{opts, random_model};

/// The figures of one stream that depend on every kind of draw: arrivals, wait and process
/// times, %C&A, and the order in which servers and WIP slots are handed out.
fn figures(s: &StreamSimulation) -> String {
    let lt = &s.lead_time;
    format!(
        "lead mean {:?} p50 {:?} p85 {:?} p95 {:?} max {:?}; efficiency mean {:?}; \
         throughput {:?}; wip {:?}; reworked {:?}",
        lt.mean,
        lt.p50,
        lt.p85,
        lt.p95,
        lt.max,
        s.flow_efficiency.mean,
        s.throughput_per_week.value,
        s.wip.value,
        s.reworked_share.value
    )
}

#[track_caller]
fn pinned(what: &str, got: &str, want: &str) {
    assert!(
        got == want,
        "{what}: the seeded figures changed. If the draws changed on purpose, re-pin:\n{got}"
    );
}

// E1 with random times, capacities, WIP limits, rework to an earlier stage and Poisson
// arrivals, seed 9, 6 runs of 2,000 items.
#[test]
fn a_seeded_run_gives_the_pinned_figures() {
    let sim = simulate(&random_model(), &opts(9, None), &Control::new()).unwrap();
    pinned(
        "E1 with randomness, seed 9",
        &figures(&sim.streams[0]),
        "lead mean 6759.877962582956 p50 6745.524082362478 p85 10663.874353709996 \
         p95 11758.392445232495 max 12452.930228903346; efficiency mean 0.0015956642557188676; \
         throughput 5.2353347923374125; wip 890.1890725823549; reworked 0.3269166666666667",
    );
}

// The README's sentence on the mortgage example: "85 % of items within 123.89 h, down from
// 179.93 h" (the CLI's defaults: 10 runs of 10,000 items, seed 1).
#[test]
fn the_mortgage_example_gives_the_figures_the_readme_quotes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/examples/mortgage.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let model = from_json(&text).unwrap();
    let c = compare(&model, "future", &Options::default(), &Control::new()).unwrap();
    let s = &c.streams[0];
    pinned(
        "mortgage, headline",
        &s.headline,
        "85 % of items within 123.89 h, down from 179.93 h",
    );
    pinned(
        "mortgage, baseline",
        &figures(&s.baseline),
        "lead mean 146.72610081614008 p50 131.3949117445676 p85 179.9333667837476 \
         p95 217.88105616624838 max 455.40794987657614; efficiency mean 0.05851632357818072; \
         throughput 119.80928238669806; wip 439.8783189336574; reworked 0.5781999999999999",
    );
    pinned(
        "mortgage, scenario",
        &figures(&s.scenario),
        "lead mean 101.84019155750528 p50 88.5806004935082 p85 123.89296162111454 \
         p95 154.7694790234294 max 416.6068600820797; efficiency mean 0.1013844295609267; \
         throughput 119.84860068561935; wip 305.28289144042367; reworked 0.5787199999999999",
    );
}
