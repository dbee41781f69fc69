//! Simulation as the CLI and the app call it: the baseline alone, or a scenario beside it
//! with the same random numbers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tributary_core::Model;
use ts_rs::TS;

use crate::Result;

pub use tributary_sim::{
    Control as SimControl, Estimate, Options as SimOptions, Progress as SimProgress, SimComparison,
    Simulation, StreamSimComparison, StreamSimulation, Summary,
};

/// A simulation as the app shows it: the baseline alone, or a scenario beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimResult {
    Baseline { simulation: Simulation },
    Comparison { comparison: SimComparison },
}

/// Simulates the model, or a scenario beside the baseline with the same random numbers.
pub fn simulate(
    model: &Model,
    scenario: Option<&str>,
    options: &SimOptions,
    control: &SimControl,
) -> Result<SimResult> {
    Ok(match scenario {
        None => SimResult::Baseline {
            simulation: tributary_sim::simulate(model, options, control)?,
        },
        Some(id) => SimResult::Comparison {
            comparison: tributary_sim::compare(model, id, options, control)?,
        },
    })
}
