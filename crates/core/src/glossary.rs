//! The words behind the figures: what PT, WT, LT, %C&A, flow efficiency, cost of delay, CD3 and
//! WSJF mean, and the conventions Tributary computes them by. One text for every place that
//! explains them: the app's help and the board report's appendix ("Definitions and
//! conventions") both read it from here, so they cannot drift apart.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Lead and process time along the critical path, and flow efficiency from them.
pub const CRITICAL_PATH: &str = "Lead time and process time run along the critical path (the longest path through the flow); flow efficiency (activity ratio) = process time / lead time, never an average of stage ratios.";
/// Rolled %C&A and the lead time with rework.
pub const ROLLED_PCA: &str = "Rolled %C&A is the product of every stage's %C&A; lead time with rework assumes a failed item redoes its own stage.";
/// The annual cost of delay of a stream.
pub const ANNUAL_DELAY_COST: &str = "Annual cost of delay = demand per week × 52 × cost of delay per item-week × lead time in weeks.";
/// How initiatives are ranked and sequences costed.
pub const RANKING: &str = "CD3 = cost of delay per week / duration in weeks; WSJF = (business value + time criticality + risk reduction) / job size. Sequences are costed one after another from week 0.";

/// One term as the app's help shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, TS)]
pub struct Term {
    /// A stable key the app links figures to (`lead_time`).
    pub id: String,
    /// The abbreviation on the map, where there is one (`LT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub short: Option<String>,
    /// The term in words ("Lead time").
    pub name: String,
    /// What it means, for someone who has never drawn a value stream map.
    pub meaning: String,
    /// How Tributary computes it: the sentence the board report's appendix prints.
    pub convention: String,
}

fn term(id: &str, short: Option<&str>, name: &str, meaning: &str, convention: &str) -> Term {
    Term {
        id: id.to_owned(),
        short: short.map(str::to_owned),
        name: name.to_owned(),
        meaning: meaning.to_owned(),
        convention: convention.to_owned(),
    }
}

/// Every term, in the order a map is read: times, quality, flow, money, ranking.
pub fn terms() -> Vec<Term> {
    vec![
        term(
            "process_time",
            Some("PT"),
            "Process time",
            "Hands-on time: how long someone actually works on one item at a stage, including the time the PBCs serving it add.",
            CRITICAL_PATH,
        ),
        term(
            "wait_time",
            Some("WT"),
            "Wait time",
            "Time one item spends waiting before or within a stage with nobody working on it: queues, hand-offs, approvals, batches.",
            CRITICAL_PATH,
        ),
        term(
            "lead_time",
            Some("LT"),
            "Lead time",
            "Process time plus wait time: how long one item takes from entering a stage (or the stream) to leaving it.",
            CRITICAL_PATH,
        ),
        term(
            "pca",
            Some("%C&A"),
            "Percent complete and accurate",
            "The share of items a stage passes on that the next stage can use as they are, without correcting, adding or asking back. Between 0 and 100 %.",
            ROLLED_PCA,
        ),
        term(
            "flow_efficiency",
            None,
            "Flow efficiency (activity ratio)",
            "The share of the lead time in which someone works on the item. 1 to 10 % is normal in office work: the rest is waiting.",
            CRITICAL_PATH,
        ),
        term(
            "cost_of_delay",
            None,
            "Cost of delay",
            "The money lost for every week that one item is late: revenue not earned, costs not saved, penalties. A stream's annual cost of delay is what its lead time costs in a year.",
            ANNUAL_DELAY_COST,
        ),
        term(
            "cd3",
            Some("CD3"),
            "Cost of delay divided by duration",
            "An initiative's cost of delay per week divided by the weeks the work takes. Doing the highest CD3 first loses the least money to waiting.",
            RANKING,
        ),
        term(
            "wsjf",
            Some("WSJF"),
            "Weighted shortest job first",
            "SAFe's ranking by relative scores: business value, time criticality and risk reduction added up and divided by the job size. The highest goes first.",
            RANKING,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_has_its_words_and_a_convention_of_the_report() {
        let all = terms();
        let ids: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
        for want in [
            "process_time",
            "wait_time",
            "lead_time",
            "pca",
            "flow_efficiency",
            "cost_of_delay",
            "cd3",
            "wsjf",
        ] {
            assert!(ids.contains(&want), "{want} is explained");
        }
        let notes = [CRITICAL_PATH, ROLLED_PCA, ANNUAL_DELAY_COST, RANKING];
        for t in &all {
            assert!(
                !t.meaning.is_empty() && t.meaning.ends_with('.'),
                "{}",
                t.id
            );
            assert!(notes.contains(&t.convention.as_str()), "{}", t.id);
        }
    }
}
