//! Every flow definition on the events fixture, against numbers worked out by hand (the
//! fixture's comments: see the hand calculation in each test).

use tributary_api::telemetry::FlowReport;
use tributary_telemetry::FlowState;

use super::common::*;

fn report() -> FlowReport {
    imported().session.flow("delivery", None, None).unwrap()
}

const DAY_H: f64 = 24.0;
#[test]
fn flow_time_runs_from_commitment_to_the_final_done() {
    let r = report();
    assert_eq!(
        (r.window.from.as_str(), r.window.to.as_str(), r.window.days),
        ("2024-03-04", "2024-03-08", 5)
    );
    // Ready 03-05 08:00 -> Done 03-08 08:00 = 3 d. A-2: Ready 03-05 00:00 -> Done
    // 03-07 17:00 (12:00-05:00) = 2 d 17 h. A-3: Doing 03-05 10:00 -> finally Done 03-08 10:00
    // = 3 d (reopened once). A-4: 03-05 08:00 -> 03-07 08:00 = 2 d.
    let ft = |id: &str| {
        r.done_items
            .iter()
            .find(|d| d.item_id == id)
            .and_then(|d| d.flow_time_days)
            .unwrap()
    };
    assert!(approx(ft("A-1"), 3.0));
    assert!(approx(ft("A-2"), 2.0 + 17.0 / DAY_H));
    assert!(approx(ft("A-3"), 3.0));
    assert!(approx(ft("A-4"), 2.0));
    // Sorted 2, 2.708333, 3, 3: p50 = 2.708333 + 0.5 x 0.291667; p70, p85, p95 = 3.
    assert_eq!(r.cycle_time.count, 4);
    assert_close(r.cycle_time.p50, (2.0 + 17.0 / DAY_H + 3.0) / 2.0);
    assert_close(r.cycle_time.p70, 3.0);
    assert_close(r.cycle_time.p85, 3.0);
    assert_close(r.cycle_time.p95, 3.0);
    assert_close(
        r.cycle_time.mean,
        (3.0 + 2.0 + 17.0 / DAY_H + 3.0 + 2.0) / 4.0,
    );
    assert_eq!(r.counts.done, 4);
    assert_eq!(r.counts.canceled, 1);
}

#[test]
fn throughput_counts_the_final_done_and_zero_days() {
    let r = report();
    let got: Vec<u64> = r.throughput_per_day.iter().map(|d| d.count).collect();
    // A-3's first done (03-06) is not counted: it was reopened.
    assert_eq!(got, [0, 0, 0, 2, 2]);
    // 2024-03-04 is a Monday: one ISO week, 5 days of it in the window.
    assert_eq!(r.throughput_per_week.len(), 1);
    assert_eq!(
        (
            r.throughput_per_week[0].week_start.as_str(),
            r.throughput_per_week[0].days,
            r.throughput_per_week[0].count
        ),
        ("2024-03-04", 5, 4)
    );
    assert_eq!(r.throughput.median_per_week, None);
}

#[test]
fn efficiency_is_active_over_flow_time_and_blocked_time_waits() {
    let r = report();
    // Active: A-1 36 h, A-2 24 h, A-3 48 h, A-4 36 h of which 12 h blocked = 24 h... no:
    // A-4 is in Doing 03-05 08:00 -> 03-07 08:00 (48 h), blocked 03-05 20:00 -> 03-06 08:00
    // (12 h): active 36 h, waiting 12 h.
    let active_h = 36.0 + 24.0 + 48.0 + 36.0;
    let flow_h = 72.0 + 65.0 + 72.0 + 48.0;
    assert_close(r.flow_efficiency, active_h / flow_h);
    assert!(approx(r.active_days, active_h / DAY_H));
    assert!(approx(r.blocked_days, 0.5));
    // Waiting: A-1 Ready 24 h + Review 12 h; A-2 Ready 12 h + Review 12 h + 17 h; A-4 12 h.
    assert!(approx(r.waiting_days, (36.0 + 41.0 + 12.0) / DAY_H));
    // Other: A-3's day in Done before it was reopened.
    assert!(approx(r.other_days, 1.0));
    // Per-item efficiencies: 0.5, 24/65, 2/3, 0.75 -> median (0.5 + 2/3) / 2.
    assert_close(r.flow_efficiency_median, (0.5 + 2.0 / 3.0) / 2.0);
    let a4 = r.done_items.iter().find(|d| d.item_id == "A-4").unwrap();
    assert_close(a4.active_days, 1.5);
    assert_close(a4.waiting_days, 0.5);
}

#[test]
fn time_in_each_status_sums_every_visit() {
    let r = report();
    let st = |s: &str| r.statuses.iter().find(|x| x.status == s).unwrap();
    // Doing: A-1 1.5 d, A-2 0.5 + 0.5 d (moved back), A-3 1 + 1 d (reopened), A-4 2 d.
    let doing = &st("Doing").days;
    assert_eq!(doing.count, 4);
    assert_close(doing.mean, (1.5 + 1.0 + 2.0 + 2.0) / 4.0);
    // Review: A-1 0.5 d, A-2 0.5 + 17/24 d.
    let review = &st("Review").days;
    assert_eq!(review.count, 2);
    assert_close(review.max, 0.5 + 17.0 / DAY_H);
    assert_eq!(st("Ready").state, Some(FlowState::Waiting));
    assert_eq!(st("Ready").stage.as_deref(), Some("build"));
}

#[test]
fn wip_per_day_and_aging_at_the_end_of_the_window() {
    let r = report();
    // End of day: 03-04 nobody committed (A-5 in unmapped Triage); 03-05 A-1 A-2 A-3 A-4
    // A-5; 03-06 A-1 A-2 A-4 A-5 (A-3 done); 03-07 A-1 A-3 A-5; 03-08 A-5.
    let wip: Vec<u64> = r.wip_per_day.iter().map(|d| d.count).collect();
    assert_eq!(wip, [0, 5, 4, 3, 1]);
    assert_eq!(r.wip, 1);
    let a5 = &r.aging_wip[0];
    assert_eq!(a5.item_id, "A-5");
    // Committed (Ready) 03-05 12:00; the window ends 03-09 00:00: 3.5 days, beyond p85 = 3.
    assert!(approx(a5.age_days, 3.5));
    assert!(a5.beyond_p85);
    assert!(!a5.start_unknown);
    assert_eq!(a5.status, "Doing");
    assert_eq!(a5.stage.as_deref(), Some("build"));
}

#[test]
fn cfd_follows_the_mapping_order_and_leaves_out_canceled_and_unmapped() {
    let r = report();
    assert_eq!(
        r.cfd.statuses,
        ["Backlog", "Ready", "Doing", "Review", "Done"]
    );
    let got: Vec<Vec<u64>> = r.cfd.days.iter().map(|d| d.counts.clone()).collect();
    assert_eq!(
        got,
        [
            vec![5, 0, 0, 0, 0],
            vec![6, 5, 3, 0, 0],
            vec![5, 5, 5, 1, 1],
            vec![5, 5, 5, 3, 2],
            vec![5, 5, 5, 4, 4],
        ]
    );
}

#[test]
fn distribution_and_unmapped_are_listed_not_guessed() {
    let r = report();
    let share = |k: &str| r.distribution.iter().find(|d| d.kind == k).unwrap();
    assert_eq!(share("feature").items, 3);
    assert!(approx(share("feature").share, 0.75));
    assert_eq!(share("defect").items, 1);
    assert_eq!(share("risk").items, 0);
    assert_eq!(r.unmapped_statuses.len(), 1);
    assert_eq!(
        (
            r.unmapped_statuses[0].name.as_str(),
            r.unmapped_statuses[0].count
        ),
        ("Triage", 1)
    );
    assert_eq!(r.unmapped_types.len(), 1);
    assert_eq!(r.unmapped_types[0].name, "Task");
    assert!(r.notes.iter().any(|n| n.contains("Triage")));
}

#[test]
fn stages_put_drawn_beside_measured_in_working_time() {
    let r = report();
    let build = r.stages.iter().find(|s| s.stage == "build").unwrap();
    // Active in build (Doing): 1.5, 1, 2, 1.5 days; waiting (Ready, blocked): 1, 0.5, 0, 0.5.
    assert_eq!(build.items, 4);
    assert_close(build.active_days.p50, 1.5);
    assert_close(build.active_days.p85, 1.5 + 0.55 * 0.5);
    assert_close(build.waiting_days.p50, 0.5);
    // 8 h x 5 d calendar: a calendar day is 40/7 working hours.
    let k = 40.0 / 7.0;
    assert_close(build.measured.process_p50, 1.5 * k);
    assert_close(build.measured.wait_p50, 0.5 * k);
    let drawn = build.drawn.as_ref().unwrap();
    assert_eq!((drawn.process_time, drawn.wait_time), (4.0, 8.0));
    let gap = build.gap.as_ref().unwrap();
    assert!(approx(gap.process_time, 1.5 * k - 4.0));
    // Lead: totals 2.5, 1.5, 2, 2 -> median 2 d = 11.43 h against 12 h drawn: within 25 %.
    assert!(approx(gap.lead_time, 2.0 * k - 12.0));
    assert!(!gap.flagged);
    let review = r.stages.iter().find(|s| s.stage == "review").unwrap();
    assert_eq!(review.items, 2);
    assert_close(review.waiting_days.p50, (0.5 + 0.5 + 17.0 / DAY_H) / 2.0);
    assert_close(review.active_days.p50, 0.0);
    // Drawn 4 h lead against 0.854 d = 4.88 h measured: 22 % off, not flagged; process 1 h
    // against 0 measured.
    assert!(approx(review.gap.as_ref().unwrap().process_time, -1.0));
    // Analyse has no status mapped: drawn only.
    let analyse = r.stages.iter().find(|s| s.stage == "analyse").unwrap();
    assert_eq!(analyse.items, 0);
    assert!(analyse.gap.is_none() && analyse.measured.process_p50.is_none());
}

#[test]
fn a_window_narrows_everything_and_no_done_items_give_a_message_not_nan() {
    let f = imported();
    let r = f
        .session
        .flow("delivery", Some("2024-03-04"), Some("2024-03-06"))
        .unwrap();
    assert_eq!(r.cycle_time.count, 0);
    assert_eq!(r.cycle_time.p50, None);
    assert_eq!(r.flow_efficiency, None);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("no item of stream \"delivery\" was done"))
    );
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("NaN") && !json.contains("null,\"p70\":NaN"));
    assert!(json.contains("\"p50\":null"));
    // WIP at the end of 03-06: A-1 A-2 A-4 A-5.
    assert_eq!(r.wip, 4);
    let ages: Vec<(&str, f64)> = r
        .aging_wip
        .iter()
        .map(|a| (a.item_id.as_str(), a.age_days))
        .collect();
    // The window ends 03-07 00:00: A-2 committed 03-05 00:00 (2 d), A-4 03-05 08:00,
    // A-1 03-05 08:00, A-5 03-05 12:00.
    assert_eq!(ages[0].0, "A-2");
    assert!(approx(ages[0].1, 2.0));
    assert!(approx(ages[3].1, 1.5));
    // A window that ends before it starts is refused.
    let e = f
        .session
        .flow("delivery", Some("2024-03-06"), Some("2024-03-04"))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("ends (2024-03-04) before it starts (2024-03-06)"),
        "{e}"
    );
}

#[test]
fn a_stream_without_telemetry_says_so() {
    let f = document();
    let e = f.session.flow("delivery", None, None).unwrap_err();
    assert!(e.to_string().contains("has no work-item telemetry"), "{e}");
    let e = f.session.flow("nope", None, None).unwrap_err();
    assert!(
        e.to_string()
            .contains("stream \"nope\" does not exist (streams: delivery)"),
        "{e}"
    );
}
