//! The appendix table: every stage with its times, flow efficiency, %C&A, load and PBCs, and
//! the totals along the critical path.

use std::collections::HashMap;

use serde::Serialize;
use tributary_core::format::{number, percent};

use super::Subject;

#[derive(Debug, Serialize)]
pub struct StageTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub total: Vec<String>,
}

pub fn stage_table(s: &Subject) -> StageTable {
    let sm = &s.sm;
    let u = s.unit();
    let header = vec![
        "#".into(),
        "Stage".into(),
        "Team".into(),
        format!("Process ({u})"),
        format!("Wait ({u})"),
        format!("Lead ({u})"),
        "Flow eff.".into(),
        "%C&A".into(),
        "Load".into(),
        "PBCs".into(),
    ];
    let team_of: HashMap<&str, Option<&str>> = s
        .stream
        .stages
        .iter()
        .map(|st| (st.id.as_str(), st.team.as_deref()))
        .collect();
    let rows = sm
        .stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let mut name = st.name.clone();
            if !st.on_critical_path {
                name.push_str(" (off critical path)");
            }
            vec![
                (i + 1).to_string(),
                name,
                team_of
                    .get(st.id.as_str())
                    .copied()
                    .flatten()
                    .unwrap_or("—")
                    .to_owned(),
                number(st.process_time),
                number(st.wait_time),
                number(st.lead_time),
                percent(st.flow_efficiency),
                percent(st.pca),
                st.utilisation.map_or("—".into(), percent),
                st.pbcs.len().to_string(),
            ]
        })
        .collect();
    let total = vec![
        String::new(),
        "Total along the critical path".into(),
        String::new(),
        number(sm.process_time),
        number(sm.wait_time),
        number(sm.lead_time),
        percent(sm.flow_efficiency),
        percent(sm.rolled_pca),
        String::new(),
        String::new(),
    ];
    StageTable {
        header,
        rows,
        total,
    }
}
