//! The workshop room over the network, as browsers use it: simulated participants on real
//! WebSocket connections to a room opened on a real model file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod load;
mod protocol;
mod security;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tributary_api::Session;
use tributary_room::{NoAssets, Options, RoomHandle, SessionHost};

pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A room on a copy of the bundled returns example (stream `rma`, stages request, authorise,
/// receive, disposition, refund).
pub struct Fixture {
    pub room: RoomHandle,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workshop.tributary");
    let model = tributary_api::read_json(&root().join("assets/examples/returns.json")).unwrap();
    let session = Session::create(&path, &model).unwrap();
    let host = Arc::new(SessionHost::new(session));
    let room = tributary_room::open(host, Arc::new(NoAssets), Options::default())
        .await
        .unwrap();
    Fixture {
        room,
        path,
        _dir: dir,
    }
}

pub fn ws_url(page: &str) -> String {
    format!("{}ws", page.replacen("http://", "ws://", 1))
}

/// One browser: its socket, and the model and room as it has put them together from what the
/// room sent.
pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub you: String,
    pub resume: String,
    /// The join address, told to the facilitator.
    pub join: Option<String>,
    pub version: Option<u64>,
    pub workspace: Value,
    pub state: Value,
    /// Patches applied (against whole workspaces received).
    pub patches: usize,
    pub wholes: usize,
}

pub const WAIT: Duration = Duration::from_secs(10);

impl Client {
    pub async fn join(page: &str, name: &str) -> Client {
        Client::hello(page, json!({"type": "hello", "name": name})).await
    }

    pub async fn hello(page: &str, hello: Value) -> Client {
        Client::resume(page, hello, Value::Null, None).await
    }

    /// Connects with the model a browser kept (at `version`) from an earlier connection.
    pub async fn resume(
        page: &str,
        hello: Value,
        workspace: Value,
        version: Option<u64>,
    ) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(ws_url(page))
            .await
            .unwrap();
        let mut c = Client {
            ws,
            you: String::new(),
            resume: String::new(),
            join: None,
            version,
            workspace,
            state: Value::Null,
            patches: 0,
            wholes: 0,
        };
        c.send(hello).await;
        let w = c.until(|m| m["type"] == "welcome").await;
        c.you = w["you"].as_str().unwrap().to_owned();
        c.resume = w["resume"].as_str().unwrap().to_owned();
        c.join = w["join"].as_str().map(str::to_owned);
        c.until(|m| m["type"] == "state").await;
        c
    }

    pub async fn send(&mut self, msg: Value) {
        self.ws.send(Message::text(msg.to_string())).await.unwrap();
    }

    /// The next message, taken in (the model patched, the room's state kept); None when the
    /// room closed the connection.
    pub async fn next(&mut self) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("the room went quiet")?;
            match msg.ok()? {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    self.take(&v);
                    return Some(v);
                }
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// Reads until a message matches.
    pub async fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self.next().await.expect("the room closed the connection");
            if pred(&m) {
                return m;
            }
        }
    }

    /// Reads until the model is at least at version `v`.
    pub async fn at_version(&mut self, v: u64) {
        while self.version.is_none_or(|have| have < v) {
            self.next().await.expect("closed before catching up");
        }
    }

    fn take(&mut self, v: &Value) {
        match v["type"].as_str() {
            Some("state") => self.state = v.clone(),
            Some("model") => self.model(&v["reply"]),
            _ => {}
        }
    }

    fn model(&mut self, reply: &Value) {
        let version = reply["version"].as_u64().unwrap();
        if reply["kind"] == "full" {
            self.workspace = reply["workspace"].clone();
            self.wholes += 1;
        } else {
            let base = reply["base"].as_u64().unwrap();
            assert_eq!(
                Some(base),
                self.version,
                "a patch against a version we do not have"
            );
            for op in reply["changes"].as_array().unwrap() {
                patch(&mut self.workspace, op);
            }
            self.patches += 1;
        }
        self.version = Some(version);
    }

    pub fn model_json(&self) -> &Value {
        &self.workspace["snapshot"]["view"]["model"]
    }

    pub fn stage(&self, id: &str) -> Value {
        self.model_json()["streams"][0]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap()
    }

    /// The rounds as this person sees them.
    pub fn rounds(&self) -> &Vec<Value> {
        self.state["rounds"].as_array().unwrap()
    }
}

/// Applies one change of the room's patches (paths split into keys; array indices as text).
fn patch(doc: &mut Value, op: &Value) {
    let path: Vec<&str> = op["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let (last, parents) = path.split_last().expect("a patch of the root");
    let mut at = doc;
    for k in parents {
        at = match at {
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            other => &mut other[*k],
        };
    }
    let value = op.get("value").cloned().unwrap_or(Value::Null);
    match (at, op["op"].as_str().unwrap()) {
        (Value::Array(a), "add") if *last == "-" => a.push(value),
        (Value::Array(a), "add") => a.insert(last.parse().unwrap(), value),
        (Value::Array(a), "replace") => a[last.parse::<usize>().unwrap()] = value,
        (Value::Array(a), "remove") => {
            a.remove(last.parse().unwrap());
        }
        (Value::Object(o), "remove") => {
            o.remove(*last);
        }
        (Value::Object(o), _) => {
            o.insert((*last).to_owned(), value);
        }
        (other, op) => panic!("cannot {op} {last} in {other}"),
    }
}
