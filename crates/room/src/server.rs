//! The room on the network: every path starts with a token (`/r/TOKEN/...`), and a request
//! with no valid token gets the same 404 as a page that does not exist. The page and its files
//! are the web UI; `/r/TOKEN/ws` is the participant's WebSocket (the facilitator's token makes
//! the facilitator). Each connection is limited in message size and rate; a bad or oversized
//! message closes that connection alone.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State as Axum};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::StreamExt;
use governor::{Quota, RateLimiter};
use tokio::sync::broadcast::error::RecvError;
use tributary_api::room::{ClientMsg, Role, ServerMsg};

use crate::actions::{Event, Shared};
use crate::feed;

/// The largest message a participant may send: an edit of a large stage fits many times.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// Messages a connection may send in a second, and in a burst.
pub const RATE: u32 = 20;
pub const BURST: u32 = 40;
/// Messages over the rate a connection may send before it is closed.
pub const MAX_DROPPED: u32 = 400;
/// Open connections the room takes in all.
pub const MAX_CONNECTIONS: usize = 400;
/// Time a new connection has to say hello.
pub const HELLO_WITHIN: Duration = Duration::from_secs(10);
/// Time the other side has to answer our close.
const CLOSING_WITHIN: Duration = Duration::from_secs(2);

pub struct Server {
    pub shared: Arc<Shared>,
    pub connections: AtomicUsize,
}

pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/r/{token}/ws", get(socket))
        .route("/r/{token}", get(redirect))
        .route("/r/{token}/", get(index))
        .route("/r/{token}/join.svg", get(join_qr))
        .route("/r/{token}/{*path}", get(asset))
        .fallback(|| async { not_found() })
        .with_state(server)
}

/// Which token this is, if any.
fn role_of(shared: &Shared, token: &str) -> Option<Role> {
    if shared.join.matches(token) {
        Some(Role::Participant)
    } else if shared.facilitator.matches(token) {
        Some(Role::Facilitator)
    } else {
        None
    }
}

fn not_found() -> Response {
    secure((StatusCode::NOT_FOUND, "Not found").into_response())
}

/// Headers for every page: nothing from elsewhere runs, the token in the URL is not sent on
/// as a referrer, nothing is cached on a shared computer.
fn secure(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; \
         style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'",
    );
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::CACHE_CONTROL, "no-store");
    r
}

async fn redirect(Axum(s): Axum<Arc<Server>>, Path(token): Path<String>) -> Response {
    match role_of(&s.shared, &token) {
        Some(_) => secure(Redirect::permanent(&format!("/r/{token}/")).into_response()),
        None => not_found(),
    }
}

async fn index(Axum(s): Axum<Arc<Server>>, Path(token): Path<String>) -> Response {
    if role_of(&s.shared, &token).is_none() {
        return not_found();
    }
    file(&s, "room.html").unwrap_or_else(|| {
        let text = "This Tributary room serves its protocol only: the web UI is not bundled.";
        secure((StatusCode::OK, text).into_response())
    })
}

/// The join address as a QR code, for the facilitator's screen on the projector.
async fn join_qr(Axum(s): Axum<Arc<Server>>, Path(token): Path<String>) -> Response {
    if role_of(&s.shared, &token).is_none() {
        return not_found();
    }
    let Some(url) = s.shared.join_url.get() else {
        return not_found();
    };
    let mut r = Response::new(Body::from(crate::qr_svg(url)));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    secure(r)
}

async fn asset(
    Axum(s): Axum<Arc<Server>>,
    Path((token, path)): Path<(String, String)>,
) -> Response {
    if role_of(&s.shared, &token).is_none() {
        return not_found();
    }
    file(&s, &path).unwrap_or_else(not_found)
}

fn file(s: &Server, path: &str) -> Option<Response> {
    let a = s.shared.assets.get(path)?;
    let mut r = Response::new(Body::from(a.bytes.into_owned()));
    if let Ok(v) = HeaderValue::from_str(&a.mime) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    Some(secure(r))
}

async fn socket(
    Axum(s): Axum<Arc<Server>>,
    Path(token): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(role) = role_of(&s.shared, &token) else {
        return not_found();
    };
    if s.connections.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
        return secure((StatusCode::SERVICE_UNAVAILABLE, "The room is full").into_response());
    }
    ws.max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            s.connections.fetch_add(1, Ordering::Relaxed);
            connection(&s.shared, socket, role).await;
            s.connections.fetch_sub(1, Ordering::Relaxed);
        })
}

/// Sends `text`; false when the connection is gone.
async fn send(ws: &mut WebSocket, text: Arc<str>) -> bool {
    ws.send(Message::Text(Utf8Bytes::from(text.as_ref())))
        .await
        .is_ok()
}

async fn send_msg(ws: &mut WebSocket, msg: &ServerMsg) -> bool {
    match feed::text(msg) {
        Ok(t) => send(ws, t).await,
        Err(_) => false,
    }
}

async fn close(ws: &mut WebSocket, why: &str) {
    let frame = CloseFrame {
        code: axum::extract::ws::close_code::POLICY,
        reason: Utf8Bytes::from(why),
    };
    if ws.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    // The closing handshake: read (and drop) what is still coming until the other side's
    // close, so that the socket is not reset with our close and its reason still unread.
    let _ = tokio::time::timeout(CLOSING_WITHIN, async {
        while let Some(Ok(m)) = ws.next().await {
            if matches!(m, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// The first message must be `hello`, in time.
async fn hello(ws: &mut WebSocket) -> Option<(String, Option<String>, Option<u64>)> {
    let first = tokio::time::timeout(HELLO_WITHIN, ws.next())
        .await
        .ok()??
        .ok()?;
    let Message::Text(t) = first else { return None };
    match serde_json::from_str::<ClientMsg>(&t).ok()? {
        ClientMsg::Hello {
            name,
            resume,
            version,
        } => Some((name, resume, version)),
        _ => None,
    }
}

/// One participant's connection, from hello to goodbye.
async fn connection(shared: &Arc<Shared>, mut ws: WebSocket, role: Role) {
    let Some((name, resume, version)) = hello(&mut ws).await else {
        close(&mut ws, "say hello first").await;
        return;
    };
    // subscribe before catching up, so that nothing sent in between is missed
    let mut events = shared.events.subscribe();
    let joined = shared
        .state()
        .map_err(|e| e.message)
        .and_then(|mut s| s.join(&name, resume.as_deref(), role));
    let me = match joined {
        Ok(me) => me,
        Err(why) => {
            send_msg(
                &mut ws,
                &ServerMsg::Refused {
                    message: why.clone(),
                },
            )
            .await;
            close(&mut ws, &why).await;
            return;
        }
    };
    shared.state_changed();
    if welcome(shared, &mut ws, &me, version).await {
        serve(shared, &mut ws, &me, &mut events).await;
    }
    if let Ok(mut s) = shared.state() {
        s.leave(&me);
    }
    shared.state_changed();
}

/// Who they are, the model since the version they have, and the room.
async fn welcome(shared: &Arc<Shared>, ws: &mut WebSocket, me: &str, version: Option<u64>) -> bool {
    let (resume, role) = match shared.state() {
        Ok(s) => match s.person(me) {
            Some(p) => (p.resume.as_str().to_owned(), p.role),
            None => return false,
        },
        Err(_) => return false,
    };
    let welcome = ServerMsg::Welcome {
        you: me.to_owned(),
        resume,
        role,
        room: shared
            .view()
            .map(|v| v.model.name.clone())
            .unwrap_or_default(),
        join: (role == Role::Facilitator)
            .then(|| shared.join_url.get().cloned())
            .flatten(),
    };
    if !send_msg(ws, &welcome).await {
        return false;
    }
    let catch_up = shared.feed().and_then(|mut f| f.catch_up(version));
    for m in catch_up.unwrap_or_default() {
        if !send(ws, m).await {
            return false;
        }
    }
    true
}

/// The connection's loop: messages in (rate-limited), the room's events out.
async fn serve(
    shared: &Arc<Shared>,
    ws: &mut WebSocket,
    me: &str,
    events: &mut tokio::sync::broadcast::Receiver<Event>,
) {
    let quota = Quota::per_second(NonZeroU32::new(RATE).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN));
    let limiter = RateLimiter::direct(quota);
    let (mut dropped, mut warned) = (0u32, None::<Instant>);
    let mut view = shared.state().ok().map(|s| s.view_for(me));
    loop {
        if let Some(v) = view.take()
            && !send_msg(ws, &v).await
        {
            return;
        }
        tokio::select! {
            incoming = ws.next() => {
                let Some(Ok(msg)) = incoming else { return };
                let text = match msg {
                    Message::Text(t) => t,
                    Message::Close(_) => return,
                    Message::Ping(_) | Message::Pong(_) => continue,
                    Message::Binary(_) => {
                        close(ws, "the room takes text messages").await;
                        return;
                    }
                };
                if limiter.check().is_err() {
                    dropped += 1;
                    if dropped > MAX_DROPPED {
                        close(ws, "too many messages").await;
                        return;
                    }
                    if warned.is_none_or(|t| t.elapsed() > Duration::from_secs(1)) {
                        warned = Some(Instant::now());
                        if !send_msg(ws, &ServerMsg::SlowDown).await {
                            return;
                        }
                    }
                    continue;
                }
                let Ok(msg) = serde_json::from_str::<ClientMsg>(&text) else {
                    close(ws, "a message the room does not understand").await;
                    return;
                };
                if let Some(reply) = shared.act(me, msg).await
                    && !send_msg(ws, &reply).await
                {
                    return;
                }
            }
            event = events.recv() => match event {
                Ok(Event::Model(m)) => {
                    if !send(ws, m).await {
                        return;
                    }
                }
                Ok(Event::State) => view = shared.state().ok().map(|s| s.view_for(me)),
                Ok(Event::Closing) | Err(RecvError::Closed) => {
                    close(ws, "the room has closed").await;
                    return;
                }
                Err(RecvError::Lagged(_)) => {
                    // fell behind: the whole model, then the room
                    let whole = shared.feed().and_then(|mut f| f.catch_up(None));
                    for m in whole.unwrap_or_default() {
                        if !send(ws, m).await {
                            return;
                        }
                    }
                    view = shared.state().ok().map(|s| s.view_for(me));
                }
            },
        }
    }
}
