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
    let rounds = answer_together(&mut fac, &mut people).await;
    latencies.sort();
    let (median, p95) = (latencies[EDITS / 2], latencies[EDITS * 95 / 100]);
    println!(
        "room: {PEOPLE} participants, edit -> everyone: median {:.1} ms, p95 {:.1} ms; \
         {PEOPLE} answers at once -> revealed to all in {:.1} ms; resident memory {} MB \
         (the room and its {PEOPLE} clients in one process)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        rounds.as_secs_f64() * 1e3,
        resident_mb()
    );
    // A floor for a debug build on two cores: the room must feel live.
    assert!(p95 < Duration::from_secs(2), "p95 {p95:?}");
}

/// Everyone answers one round at once; the facilitator reveals; the time until everyone sees
/// all the answers.
async fn answer_together(fac: &mut Client, people: &mut [Client]) -> Duration {
    fac.send(json!({"type": "ask", "question":
        {"kind": "stage_estimate", "stream": "rma", "stage": "receive", "field": "wait_time"}}))
        .await;
    let open =
        |m: &serde_json::Value| m["type"] == "state" && !m["rounds"].as_array().unwrap().is_empty();
    let started = Instant::now();
    let answers = people.iter_mut().enumerate().map(|(i, p)| async move {
        let s = p.until(open).await;
        let round = s["rounds"][0]["id"].clone();
        let v = 2.0 + (i % 5) as f64;
        p.send(json!({"type": "answer", "round": round, "answer": {"kind": "number", "value": v}}))
            .await;
    });
    futures_util::future::join_all(answers).await;
    let all = |m: &serde_json::Value| {
        m["type"] == "state"
            && m["rounds"][0]["answered"]
                .as_array()
                .is_some_and(|a| a.len() == PEOPLE)
    };
    let s = fac.until(all).await;
    fac.send(json!({"type": "reveal", "round": s["rounds"][0]["id"]}))
        .await;
    let revealed =
        |m: &serde_json::Value| m["type"] == "state" && m["rounds"][0]["state"] == "revealed";
    let seen = people.iter_mut().map(|p| async move {
        let s = p.until(revealed).await;
        assert_eq!(
            s["rounds"][0]["revealed"]["answers"]
                .as_array()
                .unwrap()
                .len(),
            PEOPLE
        );
        // 60 answers of 2, 3, 4, 5, 6 (twelve each): the median is 4.
        assert_eq!(s["rounds"][0]["revealed"]["spread"]["median"], 4.0);
    });
    futures_util::future::join_all(seen).await;
    started.elapsed()
}

/// This process's resident memory, in MB (Linux).
fn resident_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
