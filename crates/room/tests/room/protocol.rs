//! What the room does for the people in it: estimate, reveal, accept; edit with leave, undo
//! one's own; come back after a dropped connection; notes.

use serde_json::{Value, json};

use crate::{Client, fixture};

fn lead_time(c: &Client) -> f64 {
    c.workspace["snapshot"]["view"]["metrics"]["streams"][0]["lead_time"]
        .as_f64()
        .unwrap()
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_is_estimated_hidden_revealed_and_accepted_into_the_model() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    assert_eq!(
        fac.join.as_deref(),
        Some(f.room.join_url().as_str()),
        "the facilitator is told where to join"
    );
    let mut people = Vec::new();
    for name in ["Ana", "Ben", "Caro", "Dev"] {
        people.push(Client::join(&f.room.join_url(), name).await);
    }
    let before = lead_time(&fac);
    assert_eq!(people[0].stage("authorise")["wait_time"], 2.0);

    fac.send(json!({"type": "ask", "question":
        {"kind": "stage_estimate", "stream": "rma", "stage": "authorise", "field": "wait_time"}}))
        .await;
    for p in people.iter_mut() {
        let s = p
            .until(|m| {
                m["type"] == "state" && m["rounds"].as_array().is_some_and(|r| !r.is_empty())
            })
            .await;
        assert_eq!(s["rounds"][0]["state"], "open");
        assert!(
            s["rounds"][0]["label"]
                .as_str()
                .unwrap()
                .contains("RMA authorisation")
        );
    }
    let round = people[0].rounds()[0]["id"].clone();
    for (p, v) in people.iter_mut().zip([2.0, 3.0, 3.0, 20.0]) {
        p.send(json!({"type": "answer", "round": round, "answer": {"kind": "number", "value": v}}))
            .await;
    }
    // Nobody sees another's answer before the reveal: only who answered, and their own.
    let ana = &mut people[0];
    let s = ana
        .until(|m| {
            m["type"] == "state"
                && m["rounds"][0]["answered"]
                    .as_array()
                    .is_some_and(|a| a.len() == 4)
        })
        .await;
    assert_eq!(
        names(&s["rounds"][0]["answered"]),
        ["Ana", "Ben", "Caro", "Dev"]
    );
    assert_eq!(s["rounds"][0]["yours"]["value"], 2.0);
    assert!(s["rounds"][0].get("revealed").is_none(), "{s}");
    assert!(
        !s.to_string().contains("20"),
        "Dev's 20 leaked before the reveal: {s}"
    );

    fac.send(json!({"type": "reveal", "round": round})).await;
    let s = people[3]
        .until(|m| m["type"] == "state" && m["rounds"][0]["state"] == "revealed")
        .await;
    let spread = &s["rounds"][0]["revealed"]["spread"];
    // Sorted 2, 3, 3, 20: median (3 + 3) / 2 = 3; hinges median(2, 3) = 2.5, median(3, 20) = 11.5.
    assert_eq!(spread["median"], 3.0);
    assert_eq!(spread["lower_quartile"], 2.5);
    assert_eq!(spread["upper_quartile"], 11.5);
    assert_eq!(
        s["rounds"][0]["revealed"]["answers"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    fac.send(json!({"type": "accept", "round": round, "value": 3.0}))
        .await;
    for p in people.iter_mut().chain(std::iter::once(&mut fac)) {
        p.until(|m| m["type"] == "state" && m["rounds"][0]["state"] == "closed")
            .await;
        while p.stage("authorise")["wait_time"] != 3.0 {
            p.next().await.unwrap();
        }
        // 2 -> 3 days of wait on a line of stages adds one day to the lead time.
        assert!(
            (lead_time(p) - before - 1.0).abs() < 1e-9,
            "{} -> {}",
            before,
            lead_time(p)
        );
        assert!(p.patches >= 1, "the change came as a patch");
    }
    let reply = f.room.facilitator_view().unwrap();
    let text = serde_json::to_string(&reply).unwrap();
    assert!(text.contains("\"accepted\":3.0"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participants_edit_only_when_let_and_undo_only_their_own() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let mut ana = Client::join(&f.room.join_url(), "Ana").await;
    let mut ben = Client::join(&f.room.join_url(), "Ben").await;
    let start = fac.version.unwrap();

    let mut st = ana.stage("receive");
    st["wait_time"] = json!(1.5);
    let edit = json!({"type": "edit", "id": 1, "command":
        {"type": "update_stage", "stream": "rma", "stage": st}});
    ana.send(edit.clone()).await;
    let r = ana.until(|m| m["type"] == "result").await;
    assert_eq!(r["error"]["code"], "read_only", "{r}");

    for who in [&ana.you, &ben.you] {
        fac.send(json!({"type": "grant", "participant": who, "editor": true}))
            .await;
    }
    ana.until(|m| {
        m["type"] == "state"
            && m["participants"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "Ana" && p["editor"] == true)
    })
    .await;
    ben.until(|m| {
        m["type"] == "state"
            && m["participants"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "Ben" && p["editor"] == true)
    })
    .await;
    ana.send(edit).await;
    let r = ana.until(|m| m["type"] == "result").await;
    assert!(r.get("error").is_none(), "{r}");

    let mut st = ben.stage("refund");
    st["wait_time"] = json!(0.5);
    ben.send(json!({"type": "edit", "id": 7, "command":
        {"type": "update_stage", "stream": "rma", "stage": st}}))
        .await;
    let r = ben.until(|m| m["type"] == "result" && m["id"] == 7).await;
    assert!(r.get("error").is_none(), "{r}");

    // Ana takes back her edit alone: Ben's, made after it on another stage, stays.
    ana.send(json!({"type": "undo", "id": 2})).await;
    let r = ana.until(|m| m["type"] == "result" && m["id"] == 2).await;
    assert!(r.get("error").is_none(), "{r}");
    fac.send(json!({"type": "call", "id": 9, "call": {"call": "workspace"}}))
        .await;
    let whole = fac.until(|m| m["type"] == "result" && m["id"] == 9).await["ok"].clone();
    let model = &whole["snapshot"]["view"]["model"]["streams"][0]["stages"];
    assert_eq!(model[2]["wait_time"], 3.0, "Ana's edit undone");
    assert_eq!(model[4]["wait_time"], 0.5, "Ben's edit kept");
    // Everyone's model, put together from patches, is the model.
    for c in [&mut fac, &mut ana, &mut ben] {
        // three changes: Ana's edit, Ben's, Ana's undo
        c.at_version(start + 3).await;
        assert_eq!(
            c.workspace["snapshot"]["view"]["model"],
            whole["snapshot"]["view"]["model"]
        );
        assert_eq!(
            c.workspace["snapshot"]["view"]["metrics"],
            whole["snapshot"]["view"]["metrics"]
        );
    }
    // Nothing of Ana's is left to undo.
    ana.send(json!({"type": "undo", "id": 3})).await;
    let r = ana.until(|m| m["type"] == "result" && m["id"] == 3).await;
    assert_eq!(r["error"]["code"], "not_found", "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_participant_comes_back_as_themselves_and_catches_up_with_patches() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let mut ana = Client::join(&f.room.join_url(), "Ana").await;
    let (you, resume, version) = (ana.you.clone(), ana.resume.clone(), ana.version.unwrap());
    let kept = ana.workspace.clone();
    ana.ws.close(None).await.unwrap();

    for (i, wait) in [(1, 2.5), (2, 3.5)] {
        let mut st = fac.stage("authorise");
        st["wait_time"] = json!(wait);
        fac.send(json!({"type": "edit", "id": i, "command":
            {"type": "update_stage", "stream": "rma", "stage": st}}))
            .await;
        fac.until(|m| m["type"] == "result" && m["id"] == i).await;
    }
    let hello = json!({"type": "hello", "name": "Ana", "resume": resume, "version": version});
    let back = Client::resume(&f.room.join_url(), hello, kept, Some(version)).await;
    assert_eq!(
        back.join, None,
        "a participant is not told the join address again"
    );
    assert_eq!(back.you, you, "the same person");
    assert_eq!(
        (back.wholes, back.patches),
        (0, 2),
        "two patches, no whole model"
    );
    assert_eq!(back.stage("authorise")["wait_time"], 3.5);
    fac.at_version(back.version.unwrap()).await;
    assert_eq!(
        back.workspace, fac.workspace,
        "the same model as the facilitator's"
    );
    let s = &back.state["participants"];
    let anas: Vec<&Value> = s
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == "Ana")
        .collect();
    assert_eq!(anas.len(), 1, "one Ana, connected again: {s}");
    assert_eq!(anas[0]["connected"], true);

    // A wrong resume secret makes a new person, never someone else.
    let hello = json!({"type": "hello", "name": "Ana", "resume": "guess"});
    let other = Client::hello(&f.room.join_url(), hello).await;
    assert_ne!(other.you, you);
    assert_eq!(other.wholes, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_and_names_stay_text_and_a_note_taken_goes_into_the_stage() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let name = "<img src=x onerror=alert(1)>\u{202e}Eve\u{7}";
    let mut eve = Client::join(&f.room.join_url(), name).await;
    let text = "<script>alert('x')</script> waits for the\u{0}Friday batch";
    eve.send(json!({"type": "note", "stream": "rma", "stage": "receive", "text": text}))
        .await;
    let s = fac
        .until(|m| m["type"] == "state" && !m["notes"].as_array().unwrap().is_empty())
        .await;
    let note = &s["notes"][0];
    // Markup is kept as the text it is (the page shows text, never markup); control and
    // direction-changing characters are taken out.
    assert_eq!(
        note["text"],
        "<script>alert('x')</script> waits for the Friday batch"
    );
    assert_eq!(note["author"], "<img src=x onerror=alert(1)> Eve");
    // A participant cannot take notes into the model.
    eve.send(json!({"type": "take_note", "note": note["id"]}))
        .await;
    let r = eve.until(|m| m["type"] == "refused").await;
    assert!(
        r["message"].as_str().unwrap().contains("facilitator"),
        "{r}"
    );
    fac.send(json!({"type": "take_note", "note": note["id"]}))
        .await;
    while fac.stage("receive")["note"].is_null() {
        fac.next().await.unwrap();
    }
    // Taken in with who said it.
    assert_eq!(
        fac.stage("receive")["note"],
        "<img src=x onerror=alert(1)> Eve: <script>alert('x')</script> waits for the Friday batch"
    );
    let s = fac.until(|m| m["type"] == "state").await;
    assert!(s["notes"].as_array().unwrap().is_empty(), "{s}");
    // An unknown stage is refused in words.
    eve.send(json!({"type": "note", "stream": "rma", "stage": "nope", "text": "x"}))
        .await;
    let r = eve.until(|m| m["type"] == "refused").await;
    assert_eq!(r["message"], "there is no such stage");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_sent_at_once_by_several_people_are_all_kept_in_one_order() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let start = fac.version.unwrap();
    let stages = ["request", "authorise", "receive", "disposition"];
    let mut editors = Vec::new();
    for name in ["Ana", "Ben", "Caro", "Dev"] {
        let c = Client::join(&f.room.join_url(), name).await;
        fac.send(json!({"type": "grant", "participant": c.you, "editor": true}))
            .await;
        editors.push(c);
    }
    for c in editors.iter_mut() {
        let me = c.you.clone();
        c.until(|m| {
            m["type"] == "state"
                && m["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["id"] == me.as_str() && p["editor"] == true)
        })
        .await;
    }
    // Each sends five edits of its own stage without waiting, all four at once.
    const EACH: u32 = 5;
    let sends = editors.iter_mut().zip(stages).map(|(c, stage)| async move {
        let base = c.stage(stage);
        for i in 1..=EACH {
            let mut st = base.clone();
            st["wait_time"] = json!(10.0 + f64::from(i));
            c.send(json!({"type": "edit", "id": i, "command":
                {"type": "update_stage", "stream": "rma", "stage": st}}))
                .await;
        }
        for i in 1..=EACH {
            let r = c.until(|m| m["type"] == "result" && m["id"] == i).await;
            assert!(r.get("error").is_none(), "{r}");
        }
    });
    futures_util::future::join_all(sends).await;
    // Every edit made one change, in one order everyone shares, and each stage holds its last.
    let total = u64::from(EACH) * stages.len() as u64;
    fac.at_version(start + total).await;
    assert_eq!(fac.version, Some(start + total));
    for c in editors.iter_mut() {
        c.at_version(start + total).await;
        assert_eq!(c.workspace, fac.workspace);
    }
    for stage in stages {
        assert_eq!(
            fac.stage(stage)["wait_time"],
            10.0 + f64::from(EACH),
            "{stage}"
        );
    }
    // Each person's undo takes back their own last edit only.
    editors[1].send(json!({"type": "undo", "id": 99})).await;
    let r = editors[1]
        .until(|m| m["type"] == "result" && m["id"] == 99)
        .await;
    assert!(r.get("error").is_none(), "{r}");
    fac.at_version(start + total + 1).await;
    assert_eq!(
        fac.stage("authorise")["wait_time"],
        10.0 + f64::from(EACH - 1)
    );
    assert_eq!(fac.stage("receive")["wait_time"], 10.0 + f64::from(EACH));
}
