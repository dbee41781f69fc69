//! CSV tables, parsed back.

use tributary_core::metrics;
use tributary_core::scenario;
use tributary_report::{Table, csv_table};

use crate::common::*;

fn rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn the_tables_hold_the_engines_numbers() {
    for (name, model) in examples() {
        let mm = metrics::compute(&model).unwrap();
        let (h, r) = rows(&csv_table(&model, Table::Stages, None).unwrap());
        let total: usize = model.streams.iter().map(|s| s.stages.len()).sum();
        assert_eq!(r.len(), total, "{name}");
        let all: Vec<&tributary_core::metrics::StageMetrics> =
            mm.streams.iter().flat_map(|s| &s.stages).collect();
        for (row, st) in r.iter().zip(&all) {
            assert_eq!(row[col(&h, "stage")], st.name);
            let lt: f64 = row[col(&h, "lead_time")].parse().unwrap();
            assert_eq!(lt, st.lead_time, "{name}: full precision");
            let fe: f64 = row[col(&h, "flow_efficiency")].parse().unwrap();
            assert_eq!(fe, st.flow_efficiency);
        }

        let (h, r) = rows(&csv_table(&model, Table::Matrix, None).unwrap());
        assert_eq!(
            r.len(),
            model.assignments.len(),
            "{name}: one row per assignment"
        );
        for row in &r {
            let a = model
                .assignments
                .iter()
                .find(|a| a.pbc == row[col(&h, "pbc_id")] && a.stage == row[col(&h, "stage_id")])
                .unwrap();
            assert_eq!(
                row[col(&h, "wait_time")].parse::<f64>().unwrap(),
                a.wait_time
            );
        }

        let (h, r) = rows(&csv_table(&model, Table::Initiatives, None).unwrap());
        assert_eq!(r.len(), model.initiatives.len());
        let p = tributary_core::cod::prioritize(&model.initiatives);
        for (row, ranked) in r.iter().zip(&p.cd3) {
            assert_eq!(row[col(&h, "name")], ranked.name);
            assert_eq!(row[col(&h, "cd3")].parse::<f64>().unwrap(), ranked.score);
        }

        let (h, r) = rows(&csv_table(&model, Table::Comparison, None).unwrap());
        assert_eq!(r.len(), model.scenarios.len() * model.streams.len());
        for row in &r {
            let c = scenario::compare(&model, &row[col(&h, "scenario_id")]).unwrap();
            assert_eq!(row[col(&h, "scenario_npv")].parse::<f64>().unwrap(), c.npv);
        }
    }
}

#[test]
fn a_stream_filter_limits_the_rows() {
    let mut model = e1_e2();
    let mut other = e4().streams.remove(0);
    other.id = "other".into();
    model.streams.push(other);
    let (_, all) = rows(&csv_table(&model, Table::Stages, None).unwrap());
    let (_, one) = rows(&csv_table(&model, Table::Stages, Some("other")).unwrap());
    assert_eq!((all.len(), one.len()), (8, 4));
    assert!(one.iter().all(|r| r[0] == "other"));
    assert_eq!("matrix".parse::<Table>(), Ok(Table::Matrix));
    assert!("pivot".parse::<Table>().is_err());
    // names with commas, quotes and line breaks survive the round trip
    model.streams[0].stages[0].name = "A, \"B\"\nC".into();
    let (h, r) = rows(&csv_table(&model, Table::Stages, Some("e1")).unwrap());
    assert_eq!(r[0][col(&h, "stage")], "A, \"B\"\nC");
}
