//! REFERENCE.md section 6, worked example E16 (the one that needs a stored delivery log; the
//! others compute over memory and stay in the telemetry crate's tests).

use tributary_api::telemetry::Format;

use super::common::*;

#[test]
fn e16_change_failure_rate() {
    let f = with("deployments.csv", Format::DeploymentsCsv, None);
    let d = f.session.dora(None, None, None).unwrap();
    // Production deployments that succeeded: d1, d2, d5 (prod), d6; d2 caused i1.
    assert_eq!(d.change_failure_rate.deployments, 4);
    assert_eq!(d.change_failure_rate.caused_incident, 1);
    assert_close(d.change_failure_rate.rate, 0.25);
}
