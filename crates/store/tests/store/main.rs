//! One integration-test binary for the model file.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
mod bad_input;
mod crash;
mod documents;
mod promises;
mod revert;
mod versions;

use std::path::{Path, PathBuf};

use tributary_core::Model;
use tributary_core::exchange::from_json;

pub const E1: &str = r#"{"format":"tributary/1","name":"E1 line stream","currency":"EUR","time_unit":"hours",
    "calendar":{"hours_per_day":8,"days_per_week":5},
    "streams":[{"id":"s","name":"E1","demand_per_week":20,"cost_of_delay_per_week":500,
    "stages":[{"id":"intake","name":"Intake","process_time":0.5,"wait_time":8,"pca":0.90},
              {"id":"assess","name":"Assess","process_time":2,"wait_time":24,"pca":0.80},
              {"id":"approve","name":"Approve","process_time":1,"wait_time":40,"pca":0.95},
              {"id":"fulfil","name":"Fulfil","process_time":3,"wait_time":16,"pca":0.98}]}],
    "pbcs":[{"id":"core","name":"Legacy core","kind":"legacy","lifecycle":"migrate","annual_run_cost":250000,"systems":["mainframe"]}],
    "assignments":[{"pbc":"core","stream":"s","stage":"assess","wait_time":6,"note":"re-keying"}],
    "scenarios":[{"id":"auto","name":"Automate approval","changes":[
        {"kind":"set_stage","stream":"s","stage":"approve","wait_time":8},
        {"kind":"investment","name":"decision engine","amount":600000}]}],
    "initiatives":[{"id":"i1","name":"Automate","cost_of_delay_per_week":1000,"duration_weeks":4,
        "urgency":{"profile":"fixed_date","date":"2027-03-31","deadline_week":18},
        "wsjf":{"business_value":8,"time_criticality":5,"risk_reduction":3,"job_size":5}}]}"#;

pub fn e1() -> Model {
    from_json(E1).unwrap()
}

pub fn file_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
