//! Sixty people in one room: every edit reaches everyone, quickly, and they all end with the
//! same model. Prints the latency from an edit to the last participant having it.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::{Client, fixture};

const PEOPLE: usize = 60;
const EDITS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_participants_all_get_every_edit() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        people.push(Client::join(&f.room.join_url(), &format!("Person {i}")).await);
    }
    assert_eq!(f.room.connections(), PEOPLE + 1);
    let mut latencies: Vec<Duration> = Vec::new();
    for i in 0..EDITS {
        let mut st = fac.stage("disposition");
        st["wait_time"] = json!(4.0 + (i + 1) as f64 / 8.0);
        let had = fac.version.unwrap();
        let sent = Instant::now();
        fac.send(json!({"type": "edit", "id": i, "command":
            {"type": "update_stage", "stream": "rma", "stage": st}}))
            .await;
        fac.until(|m| m["type"] == "result" && m["id"] == i).await;
        // the result comes first, then the change to everyone
        fac.at_version(had + 1).await;
        let want = fac.version.unwrap();
        let waits = people.iter_mut().map(|p| async move {
            p.at_version(want).await;
            sent.elapsed()
        });
        let all = futures_util::future::join_all(waits).await;
        latencies.push(all.into_iter().max().unwrap());
    }
    for p in &people {
        assert_eq!(p.workspace, fac.workspace, "{} has another model", p.you);
        assert_eq!(
            p.stage("disposition")["wait_time"],
            4.0 + EDITS as f64 / 8.0
        );
    }
    latencies.sort();
    let (median, p95) = (latencies[EDITS / 2], latencies[EDITS * 95 / 100]);
    println!(
        "room: {PEOPLE} participants, edit -> everyone: median {:.1} ms, p95 {:.1} ms",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
    // A floor for a debug build on two cores: the room must feel live.
    assert!(p95 < Duration::from_secs(2), "p95 {p95:?}");
}
