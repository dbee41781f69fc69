//! What each message to the room does: answers, notes, rounds, edits. Calls into the host
//! (SQLite) run on tokio's blocking threads; every change to the model is followed by one
//! numbered reply to everyone, and every change to the room by everyone's view of it.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::broadcast;
use tributary_api::engine::edit::Command;
use tributary_api::engine::format::number;
use tributary_api::room::{ClientMsg, Question, ReadCall, Role, ServerMsg, answer_text};
use tributary_api::{ApiError, ErrorCode, ModelView};

use crate::assets::Assets;
use crate::feed::{self, Feed};
use crate::host::Host;
use crate::state::{Refusal, State};
use crate::token::Token;

/// What every connection hears.
#[derive(Clone, Debug)]
pub enum Event {
    /// A numbered reply with the model's changes.
    Model(Arc<str>),
    /// The room changed: each connection sends its person's view of it.
    State,
    /// The room is closing.
    Closing,
}

pub struct Shared {
    pub host: Arc<dyn Host>,
    pub assets: Arc<dyn Assets>,
    pub join: Token,
    pub facilitator: Token,
    pub state: Mutex<State>,
    pub feed: Mutex<Feed>,
    pub events: broadcast::Sender<Event>,
    /// The join address, once the room knows where it listens.
    pub join_url: std::sync::OnceLock<String>,
}

fn poisoned() -> ApiError {
    ApiError::new(ErrorCode::Internal, "the room's state was poisoned")
}

impl Shared {
    pub fn state(&self) -> Result<MutexGuard<'_, State>, ApiError> {
        self.state.lock().map_err(|_| poisoned())
    }

    pub fn feed(&self) -> Result<MutexGuard<'_, Feed>, ApiError> {
        self.feed.lock().map_err(|_| poisoned())
    }

    /// Reads the model again and tells everyone what changed.
    pub fn refresh(&self) -> Result<(), ApiError> {
        let mut feed = self.feed()?;
        let msg = feed.refresh(self.host.as_ref())?;
        // under the feed's lock, so that replies go out in version order
        let _ = self.events.send(Event::Model(msg));
        Ok(())
    }

    pub fn state_changed(&self) {
        let _ = self.events.send(Event::State);
    }

    /// The model last read.
    pub fn view(&self) -> Result<Arc<ModelView>, ApiError> {
        self.feed()?
            .view
            .clone()
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the room has no model yet"))
    }

    /// Runs `f` on a blocking thread (it calls the host, which writes SQLite).
    async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Shared) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || f(&me))
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
    }

    /// Handles one message from person `me`; the reply for the sender alone, if any.
    pub async fn act(self: &Arc<Self>, me: &str, msg: ClientMsg) -> Option<ServerMsg> {
        let role = self.state().ok()?.person(me).map(|p| p.role)?;
        if msg.facilitators_only() && role != Role::Facilitator {
            return refused("only the facilitator can do that".into());
        }
        match msg {
            ClientMsg::Hello { .. } => refused("you are in the room already".into()),
            ClientMsg::Call { id, call } => Some(self.call(id, call).await),
            ClientMsg::Edit { id, command } => Some(self.edit(me, id, *command).await),
            ClientMsg::Undo { id } => Some(self.undo(me, id).await),
            ClientMsg::Accept { round, value } => self.accept(round, value).await,
            ClientMsg::TakeNote { note } => self.take_note(note).await,
            ClientMsg::Show { follow } => self.show(follow).await,
            other => self.in_room(me, other),
        }
    }

    /// Messages that change the room and not the model.
    fn in_room(&self, me: &str, msg: ClientMsg) -> Option<ServerMsg> {
        let done = (|| -> Result<(), Refusal> {
            let view = self.view().map_err(|e| e.message)?;
            let model = &view.model;
            let mut s = self.state().map_err(|e| e.message)?;
            match msg {
                ClientMsg::Answer { round, answer } => {
                    let q = s.question(round).ok_or("there is no such round")?.clone();
                    q.admits(model, &answer)?;
                    let text = answer_text(model, &q, &answer);
                    s.answer(me, round, answer, text)
                }
                ClientMsg::Note {
                    stream,
                    stage,
                    text,
                } => {
                    model
                        .stream(&stream)
                        .and_then(|x| x.stage(&stage))
                        .ok_or("there is no such stage")?;
                    s.note(me, &stream, &stage, &text)
                }
                ClientMsg::Ask { question } => ask(&mut s, model, question),
                ClientMsg::Reveal { round } => s.reveal(round),
                ClientMsg::Close { round } => s.close(round, None),
                ClientMsg::Again { round } => s.again(round).map(|_| ()),
                ClientMsg::Grant {
                    participant,
                    editor,
                } => s.grant(&participant, editor),
                ClientMsg::DropNote { note } => s.take_note(note).map(|_| ()),
                _ => Err("the room does not take that here".into()),
            }
        })();
        match done {
            Ok(()) => {
                self.state_changed();
                None
            }
            Err(why) => refused(why),
        }
    }

    async fn call(self: &Arc<Self>, id: u32, call: ReadCall) -> ServerMsg {
        let done = self
            .blocking(move |sh| {
                let view = sh.view()?;
                let json = |v: Result<serde_json::Value, serde_json::Error>| {
                    v.map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
                };
                match call {
                    ReadCall::Workspace { scenario } => {
                        let ws = feed::room_workspace((*view).clone(), scenario.as_deref())?;
                        json(serde_json::to_value(ws))
                    }
                    ReadCall::Prioritize => json(serde_json::to_value(tributary_api::prioritize(
                        &view.model,
                    )?)),
                    ReadCall::DependencyMatrix => json(serde_json::to_value(
                        tributary_api::dependency_matrix(&view.model)?,
                    )),
                }
            })
            .await;
        result(id, done.map(Some))
    }

    async fn edit(self: &Arc<Self>, me: &str, id: u32, command: Command) -> ServerMsg {
        let me = me.to_owned();
        let done = self
            .blocking(move |sh| {
                let (name, editor) = {
                    let s = sh.state()?;
                    let p = s.person(&me).ok_or_else(poisoned)?;
                    (p.name.clone(), p.editor)
                };
                if !editor {
                    return Err(ApiError::new(
                        ErrorCode::ReadOnly,
                        "the facilitator has not let you edit the model",
                    ));
                }
                let label = format!("{} ({name})", command.label());
                let step = sh.host.execute(&Command::Batch {
                    label: label.clone(),
                    commands: vec![command],
                })?;
                if let Some(p) = sh.state()?.person_mut(&me) {
                    p.steps.push((step, label));
                }
                sh.refresh()
            })
            .await;
        result(id, done.map(|()| None))
    }

    async fn undo(self: &Arc<Self>, me: &str, id: u32) -> ServerMsg {
        let me = me.to_owned();
        let done = self
            .blocking(move |sh| {
                let last = sh.state()?.person_mut(&me).and_then(|p| p.steps.pop());
                let Some((step, label)) = last else {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        "you have no edit to undo",
                    ));
                };
                if let Err(e) = sh.host.revert(step, &format!("Undo {label}")) {
                    if let Some(p) = sh.state()?.person_mut(&me) {
                        p.steps.push((step, label));
                    }
                    return Err(e);
                }
                sh.refresh()
            })
            .await;
        result(id, done.map(|()| None))
    }

    /// The facilitator takes a value into the model: one undo step, and the round closes.
    async fn accept(self: &Arc<Self>, round: u32, value: f64) -> Option<ServerMsg> {
        let done = self
            .blocking(move |sh| {
                let refused = |m: String| ApiError::new(ErrorCode::Invalid, m);
                let q = {
                    let s = sh.state()?;
                    s.can_accept(round).map_err(refused)?;
                    s.question(round).cloned().ok_or_else(poisoned)?
                };
                let view = sh.view()?;
                if let Some(cmd) = q.accept(&view.model, value).map_err(refused)? {
                    let label = format!("Room: {}: {}", q.label(&view.model), number(value));
                    sh.host.execute(&Command::Batch {
                        label,
                        commands: vec![cmd],
                    })?;
                    sh.refresh()?;
                }
                sh.state()?.close(round, Some(value)).map_err(refused)
            })
            .await;
        self.after(done)
    }

    /// Appends a participant's note to the stage's own note, as one undo step.
    async fn take_note(self: &Arc<Self>, note: u32) -> Option<ServerMsg> {
        let done = self
            .blocking(move |sh| {
                let refused = |m: String| ApiError::new(ErrorCode::NotFound, m);
                let (stream, stage, text) = sh.state()?.take_note(note).map_err(refused)?;
                let view = sh.view()?;
                let Some(old) = view.model.stream(&stream).and_then(|s| s.stage(&stage)) else {
                    return Err(refused("that stage is gone".into()));
                };
                let mut st = old.clone();
                st.note = Some(match &old.note {
                    Some(n) if !n.trim().is_empty() => format!("{n}\n{text}"),
                    _ => text,
                });
                sh.host
                    .execute(&Command::UpdateStage { stream, stage: st })?;
                sh.refresh()
            })
            .await;
        self.after(done)
    }

    /// What the facilitator shows: participants who follow go there; another scenario means
    /// the room's model is that scenario's.
    async fn show(self: &Arc<Self>, follow: tributary_api::room::Follow) -> Option<ServerMsg> {
        let done = self
            .blocking(move |sh| {
                let scenario = follow.scenario.clone();
                sh.state()?.follow = Some(follow);
                let changed = {
                    let mut feed = sh.feed()?;
                    let changed = feed.scenario != scenario;
                    feed.scenario = scenario;
                    changed
                };
                if changed {
                    sh.refresh()?;
                }
                Ok(())
            })
            .await;
        self.after(done)
    }

    fn after(&self, done: Result<(), ApiError>) -> Option<ServerMsg> {
        self.state_changed();
        done.err().and_then(|e| refused(e.plain))
    }
}

fn ask(s: &mut State, model: &tributary_api::engine::Model, q: Question) -> Result<(), Refusal> {
    q.check(model)?;
    let label = q.label(model);
    let choices = q.choices(model);
    s.ask(q, label, choices);
    Ok(())
}

fn refused(message: String) -> Option<ServerMsg> {
    Some(ServerMsg::Refused { message })
}

fn result(id: u32, r: Result<Option<serde_json::Value>, ApiError>) -> ServerMsg {
    match r {
        Ok(ok) => ServerMsg::Result {
            id,
            ok: Some(ok.unwrap_or(serde_json::Value::Null)),
            error: None,
        },
        Err(e) => ServerMsg::Result {
            id,
            ok: None,
            error: Some(e),
        },
    }
}
