//! The room on an open network: only the token opens it; a bad, oversized or flooding
//! connection is closed alone; pages carry headers that keep the token and the page safe.

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::{Client, WAIT, fixture, ws_url};

fn get(url: &str) -> (u16, Option<String>, Option<String>) {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let r = agent.get(url).call().unwrap();
    let h = |k: &str| {
        r.headers()
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    (
        r.status().as_u16(),
        h("content-security-policy"),
        h("referrer-policy"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_finds_nothing_and_pages_say_where_they_may_load_from() {
    let f = fixture().await;
    let page = f.room.join_url();
    let port = f.room.addr().port();
    let (bad, good) = (
        format!("http://127.0.0.1:{port}/r/not-the-token/"),
        page.clone(),
    );
    let (status, csp, referrer) = tokio::task::spawn_blocking(move || get(&bad))
        .await
        .unwrap();
    assert_eq!(status, 404);
    assert!(csp.unwrap().contains("default-src 'self'"));
    assert_eq!(referrer.as_deref(), Some("no-referrer"));
    let (status, csp, _) = tokio::task::spawn_blocking(move || get(&good))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(csp.unwrap().contains("frame-ancestors 'none'"));

    let wrong = ws_url(&format!(
        "http://127.0.0.1:{port}/r/AAAAAAAAAAAAAAAAAAAAAA/"
    ));
    let e = tokio_tungstenite::connect_async(wrong).await.unwrap_err();
    assert!(e.to_string().contains("404"), "{e}");
    // The join token and the facilitator's differ, and are 128 bits written in 22 characters.
    let token = |u: &str| u.rsplit('/').nth(1).unwrap().to_owned();
    assert_ne!(token(&page), token(&f.room.facilitator_url()));
    assert_eq!(token(&page).len(), 22);
}

/// Whether the room closes `c`'s connection (reads until it does, or times out).
async fn closed(c: &mut Client) -> bool {
    loop {
        match tokio::time::timeout(WAIT, c.ws.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_message_closes_that_connection_alone() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let mut calm = Client::join(&f.room.join_url(), "Calm").await;
    let mut big = Client::join(&f.room.join_url(), "Big").await;
    let mut odd = Client::join(&f.room.join_url(), "Odd").await;
    let note = "x".repeat(tributary_room::MAX_MESSAGE + 1);
    big.send(json!({"type": "note", "stream": "rma", "stage": "receive", "text": note}))
        .await;
    assert!(
        closed(&mut big).await,
        "an oversized message closes the connection"
    );
    odd.ws
        .send(Message::text("{\"type\": \"delete_everything\"}"))
        .await
        .unwrap();
    assert!(
        closed(&mut odd).await,
        "a message the room does not know closes it"
    );

    // A participant cannot act for the facilitator.
    calm.send(json!({"type": "grant", "participant": calm.you, "editor": true}))
        .await;
    let r = calm.until(|m| m["type"] == "refused").await;
    assert_eq!(r["message"], "only the facilitator can do that");
    // The others go on.
    fac.send(json!({"type": "ask", "question": {"kind": "bottleneck", "stream": "rma"}}))
        .await;
    let s = calm
        .until(|m| m["type"] == "state" && !m["rounds"].as_array().unwrap().is_empty())
        .await;
    assert_eq!(s["rounds"][0]["state"], "open");
    // A first message that is not hello.
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url(&f.room.join_url()))
        .await
        .unwrap();
    ws.send(Message::text(json!({"type": "undo", "id": 1}).to_string()))
        .await
        .unwrap();
    let first = tokio::time::timeout(WAIT, ws.next()).await.unwrap();
    assert!(
        matches!(first, None | Some(Ok(Message::Close(_))) | Some(Err(_))),
        "{first:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_slowed_then_closed_while_the_room_goes_on() {
    let f = fixture().await;
    let mut fac = Client::join(&f.room.facilitator_url(), "Facilitator").await;
    let mut calm = Client::join(&f.room.join_url(), "Calm").await;
    let flood = Client::join(&f.room.join_url(), "Flood").await;
    let n = tributary_room::BURST + tributary_room::MAX_DROPPED + 50;
    let msg = json!({"type": "note", "stream": "rma", "stage": "receive", "text": "again"});
    // Read while flooding, as a browser would: the room's replies are not left unread.
    let (mut tx, mut rx) = flood.ws.split();
    let reader = tokio::spawn(async move {
        let mut slowed = false;
        loop {
            match tokio::time::timeout(WAIT, rx.next()).await {
                Err(_) => return (slowed, "still open".to_owned()),
                Ok(end @ (None | Some(Err(_)) | Some(Ok(Message::Close(_))))) => {
                    return (slowed, format!("{end:?}"));
                }
                Ok(Some(Ok(Message::Text(t)))) => slowed |= t.contains("\"slow_down\""),
                Ok(Some(Ok(_))) => {}
            }
        }
    });
    for _ in 0..n {
        if tx.send(Message::text(msg.to_string())).await.is_err() {
            break;
        }
    }
    let (slowed, shut) = reader.await.unwrap();
    assert!(slowed, "the flooder was told to slow down");
    assert!(
        shut.contains("too many messages"),
        "and then closed, saying why: {shut}"
    );
    // At most the burst (and what the rate let in meanwhile) was taken: the room's notes are
    // bounded, not n.
    let s = fac.until(|m| m["type"] == "state").await;
    let notes = s["notes"].as_array().unwrap().len() as u32;
    assert!(
        notes <= tributary_room::BURST + 2 * tributary_room::RATE,
        "{notes} notes taken"
    );
    calm.send(json!({"type": "note", "stream": "rma", "stage": "refund", "text": "still here"}))
        .await;
    fac.until(|m| {
        m["type"] == "state"
            && m["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["text"] == "still here")
    })
    .await;
}
