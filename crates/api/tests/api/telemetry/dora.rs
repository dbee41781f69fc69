//! The DORA four keys on the delivery fixtures, worked by hand.

use tributary_api::telemetry::Format;

use super::common::*;

#[test]
fn four_keys_from_the_deployments_csv() {
    let f = with("deployments.csv", Format::DeploymentsCsv, None);
    let d = f.session.dora(None, None, None).unwrap();
    assert_eq!(
        (d.window.from.as_str(), d.window.to.as_str()),
        ("2024-03-04", "2024-03-08")
    );
    // Successful production deployments: d1 (03-04), d2 (03-05), d5 and d6 (03-08); d3 went
    // to staging, d4 failed.
    let per_day: Vec<u64> = d
        .deployment_frequency
        .per_day
        .iter()
        .map(|x| x.count)
        .collect();
    assert_eq!(per_day, [1, 1, 0, 0, 2]);
    assert!(approx(d.deployment_frequency.mean_per_day, 0.8));
    // Monday to Friday: no whole week.
    assert_eq!(d.deployment_frequency.median_per_week, None);
    // Lead times 6 h, 24 h, 4 h; c4 was committed after its deploy and is ignored.
    assert_eq!(
        (
            d.lead_time_for_changes.changes,
            d.lead_time_for_changes.ignored
        ),
        (3, 1)
    );
    assert_close(d.lead_time_for_changes.median_hours, 6.0);
    assert_close(d.lead_time_for_changes.median_days, 0.25);
    // i1 took 4 h; i2 is open.
    assert_eq!(
        (d.time_to_restore.incidents, d.time_to_restore.open),
        (2, 1)
    );
    assert_close(d.time_to_restore.median_hours, 4.0);
    // A two-week window: the median per week counts whole weeks only (1 deployment... the
    // week of 03-11 has none).
    let w = f
        .session
        .dora(Some("delivery"), Some("2024-03-04"), Some("2024-03-17"))
        .unwrap();
    assert_eq!(w.deployment_frequency.per_day.len(), 14);
    assert_close(w.deployment_frequency.median_per_week, (4.0 + 0.0) / 2.0);
}

#[test]
fn pipelines_without_incidents_leave_the_failure_rate_unknown() {
    let mut f = with("github-actions.json", Format::GithubActionsJson, None);
    let d = f.session.dora(None, None, None).unwrap();
    assert_eq!(d.deployment_frequency.deployments, 2);
    // acb5820: 08:30 UTC commit (09:30+01:00), deployed 10:30: 2 h. c2: 06:30 -> 14:30: 8 h.
    assert_close(d.lead_time_for_changes.median_hours, 5.0);
    assert_eq!(d.change_failure_rate.rate, None);
    assert!(d.notes.iter().any(|n| n.contains("no incident data")));
    import(
        &mut f.session,
        &fixture("gitlab-pipelines.json"),
        Format::GitlabPipelinesJson,
        None,
    )
    .unwrap();
    let d = f.session.dora(None, None, None).unwrap();
    assert_eq!(d.deployment_frequency.deployments, 4);
    // Lead times 2 h, 8 h and pipeline 47's 4 h (committed 09:00+01:00, finished 12:00Z).
    assert_close(d.lead_time_for_changes.median_hours, 4.0);
    let e = document().session.dora(None, None, None).unwrap_err();
    assert!(e.to_string().contains("there is no delivery data"), "{e}");
}
