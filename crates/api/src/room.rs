//! The workshop room's protocol: the messages between a participant's browser (or the
//! facilitator) and the room, and what a round asks and how an accepted answer becomes an
//! edit. The server is `tributary-room`; these types are here so that the UI's TypeScript is
//! generated with the rest of the bridge, from one place.
//!
//! Every message is JSON with a `"type"`. A participant says `hello`, gets `welcome`, then the
//! model as numbered replies (`model`: the same whole-or-patch [`Reply`] the app receives) and
//! the room's `state` (participants, rounds, notes) whenever it changes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::edit::Command;
use crate::engine::estimates::{FIBONACCI, Spread, Tally};
use crate::engine::format::number;
use crate::engine::model::{Initiative, Model, Stage, Wsjf};
use crate::{ApiError, Reply};

/// A stage's figure the room estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RoomStageField")]
pub enum StageField {
    ProcessTime,
    WaitTime,
    /// Asked as a percentage ("80": 80 % pass without rework).
    Pca,
}

/// An initiative's score the room gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RoomScoreField")]
pub enum ScoreField {
    BusinessValue,
    TimeCriticality,
    RiskReduction,
    JobSize,
    CostOfDelayPerWeek,
}

/// What a round asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "RoomQuestion")]
pub enum Question {
    /// "How long does this really wait?"
    StageEstimate {
        stream: String,
        stage: String,
        field: StageField,
    },
    /// A WSJF score on the Fibonacci scale, or a cost of delay per week.
    InitiativeScore {
        initiative: String,
        field: ScoreField,
    },
    /// Which stage to attack first: one of the stream's stages.
    Bottleneck { stream: String },
}

/// One participant's answer to a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "RoomAnswer")]
pub enum Answer {
    Number { value: f64 },
    Choice { stage: String },
}

impl Question {
    /// The question for people: "Wait time of Approve, in h".
    pub fn label(&self, model: &Model) -> String {
        let unit = model.time_unit.suffix();
        match self {
            Question::StageEstimate {
                stream,
                stage,
                field,
            } => {
                let name = stage_name(model, stream, stage);
                match field {
                    StageField::ProcessTime => format!("Process time of {name}, in {unit}"),
                    StageField::WaitTime => format!("Wait time of {name}, in {unit}"),
                    StageField::Pca => format!("%C&A of {name}: the share that passes, in %"),
                }
            }
            Question::InitiativeScore { initiative, field } => {
                let name = model
                    .initiatives
                    .iter()
                    .find(|x| x.id == *initiative)
                    .map_or(initiative.clone(), |x| x.name.clone());
                let what = match field {
                    ScoreField::BusinessValue => "Business value",
                    ScoreField::TimeCriticality => "Time criticality",
                    ScoreField::RiskReduction => "Risk reduction",
                    ScoreField::JobSize => "Job size",
                    ScoreField::CostOfDelayPerWeek => {
                        return format!("Cost of delay a week of {name}, in {}", model.currency);
                    }
                };
                format!("{what} of {name} (Fibonacci: 1, 2, 3, 5, 8, 13, 20)")
            }
            Question::Bottleneck { stream } => {
                let name = model
                    .stream(stream)
                    .map_or(stream.clone(), |s| s.name.clone());
                format!("Which stage of {name} should we attack first?")
            }
        }
    }

    /// Whether the question names things the model has.
    pub fn check(&self, model: &Model) -> Result<(), String> {
        match self {
            Question::StageEstimate { stream, stage, .. } => model
                .stream(stream)
                .and_then(|s| s.stage(stage))
                .map(|_| ())
                .ok_or_else(|| format!("stream {stream:?} has no stage {stage:?}")),
            Question::InitiativeScore { initiative, .. } => initiative_of(model, initiative)
                .map(|_| ())
                .ok_or_else(|| format!("there is no initiative {initiative:?}")),
            Question::Bottleneck { stream } => model
                .stream(stream)
                .map(|_| ())
                .ok_or_else(|| format!("there is no stream {stream:?}")),
        }
    }

    /// The stages a vote chooses among (empty for other questions).
    pub fn choices(&self, model: &Model) -> Vec<String> {
        match self {
            Question::Bottleneck { stream } => model
                .stream(stream)
                .map(|s| s.stages.iter().map(|st| st.id.clone()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Whether `answer` is one this question takes; the reason, in the participant's words,
    /// where it is not.
    pub fn admits(&self, model: &Model, answer: &Answer) -> Result<(), String> {
        match (self, answer) {
            (Question::Bottleneck { .. }, Answer::Choice { stage }) => {
                if self.choices(model).contains(stage) {
                    Ok(())
                } else {
                    Err("choose one of the stream's stages".into())
                }
            }
            (Question::Bottleneck { .. }, Answer::Number { .. }) => Err("choose a stage".into()),
            (_, Answer::Choice { .. }) => Err("give a number".into()),
            (q, Answer::Number { value }) => q.admits_number(*value),
        }
    }

    fn admits_number(&self, v: f64) -> Result<(), String> {
        if !v.is_finite() {
            return Err("give a number".into());
        }
        match self {
            Question::StageEstimate {
                field: StageField::Pca,
                ..
            } if !(v > 0.0 && v <= 100.0) => Err("give a share between 0 and 100 %".into()),
            Question::InitiativeScore { field, .. }
                if *field != ScoreField::CostOfDelayPerWeek && !FIBONACCI.contains(&v) =>
            {
                Err("give one of 1, 2, 3, 5, 8, 13, 20".into())
            }
            _ if v < 0.0 => Err("a number of 0 or more".into()),
            _ => Ok(()),
        }
    }

    /// The edit that puts `value` into the model (one undo step); `None` for a vote, which
    /// decides what to attack rather than a figure.
    pub fn accept(&self, model: &Model, value: f64) -> Result<Option<Command>, String> {
        self.admits_number(value)?;
        match self {
            Question::StageEstimate {
                stream,
                stage,
                field,
            } => {
                let old = model
                    .stream(stream)
                    .and_then(|s| s.stage(stage))
                    .ok_or_else(|| format!("stream {stream:?} has no stage {stage:?}"))?;
                let st = match field {
                    StageField::ProcessTime => Stage {
                        process_time: value,
                        ..old.clone()
                    },
                    StageField::WaitTime => Stage {
                        wait_time: value,
                        ..old.clone()
                    },
                    StageField::Pca => Stage {
                        pca: value / 100.0,
                        ..old.clone()
                    },
                };
                Ok(Some(Command::UpdateStage {
                    stream: stream.clone(),
                    stage: st,
                }))
            }
            Question::InitiativeScore { initiative, field } => {
                let old = initiative_of(model, initiative)
                    .ok_or_else(|| format!("there is no initiative {initiative:?}"))?;
                Ok(Some(Command::UpdateInitiative {
                    initiative: scored(old, *field, value),
                }))
            }
            Question::Bottleneck { .. } => Ok(None),
        }
    }
}

fn stage_name(model: &Model, stream: &str, stage: &str) -> String {
    model
        .stream(stream)
        .and_then(|s| s.stage(stage))
        .map_or(stage.to_owned(), |s| s.name.clone())
}

fn initiative_of<'m>(model: &'m Model, id: &str) -> Option<&'m Initiative> {
    model.initiatives.iter().find(|x| x.id == id)
}

/// The initiative with one score set; the other WSJF scores are kept, or start at 1.
fn scored(old: &Initiative, field: ScoreField, v: f64) -> Initiative {
    let mut x = old.clone();
    if field == ScoreField::CostOfDelayPerWeek {
        x.cost_of_delay_per_week = v;
        return x;
    }
    let w = x.wsjf.get_or_insert(Wsjf {
        business_value: 1.0,
        time_criticality: 1.0,
        risk_reduction: 1.0,
        job_size: 1.0,
    });
    match field {
        ScoreField::BusinessValue => w.business_value = v,
        ScoreField::TimeCriticality => w.time_criticality = v,
        ScoreField::RiskReduction => w.risk_reduction = v,
        ScoreField::JobSize => w.job_size = v,
        ScoreField::CostOfDelayPerWeek => {}
    }
    x
}

/// An answer for people: "8", "Approve".
pub fn answer_text(model: &Model, q: &Question, a: &Answer) -> String {
    match a {
        Answer::Number { value } => number(*value),
        Answer::Choice { stage } => match q {
            Question::Bottleneck { stream } => stage_name(model, stream, stage),
            _ => stage.clone(),
        },
    }
}

/// Who is in the room, as everyone sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "RoomParticipant")]
pub struct Participant {
    pub id: String,
    /// As they typed it (shown as text, never markup).
    pub name: String,
    pub role: Role,
    /// May edit the model.
    pub editor: bool,
    pub connected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RoomRole")]
pub enum Role {
    Facilitator,
    Participant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RoomRoundState")]
pub enum RoundState {
    /// Taking answers; nobody sees anyone else's.
    Open,
    /// Everyone sees every answer and the spread.
    Revealed,
    /// Done: the accepted value went into the model (or nothing did).
    Closed,
}

/// A round as one person sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "RoomRound")]
pub struct Round {
    pub id: u32,
    pub question: Question,
    pub label: String,
    /// 1 for the first round on a question, 2 for the second, ...
    pub number: u32,
    pub state: RoundState,
    /// Names of those who answered, and of those still to answer.
    pub answered: Vec<String>,
    pub waiting: Vec<String>,
    /// The viewer's own answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub yours: Option<Answer>,
    /// Once revealed: every answer, and what they say together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub revealed: Option<Revealed>,
    /// The value the facilitator accepted into the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub accepted: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "RoomRevealed")]
pub struct Revealed {
    pub answers: Vec<NamedAnswer>,
    /// For numbers: median, quartiles, outliers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub spread: Option<Spread>,
    /// For a vote: each stage and its votes, the most chosen first.
    pub tally: Vec<Tally>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "RoomNamedAnswer")]
pub struct NamedAnswer {
    pub name: String,
    pub answer: Answer,
    /// The answer for people.
    pub text: String,
    pub outlier: bool,
}

/// A note a participant left on a stage, for the facilitator to take into the model or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "RoomNote")]
pub struct Note {
    pub id: u32,
    pub stream: String,
    pub stage: String,
    pub author: String,
    pub text: String,
}

/// What the facilitator is showing, for participants who follow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(rename = "RoomFollow")]
pub struct Follow {
    /// The app's view: "map", "compare", ...
    pub view: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stream: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scenario: Option<String>,
}

/// The read-only questions a participant's browser may ask of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "call", rename_all = "snake_case")]
#[ts(rename = "RoomCall")]
pub enum ReadCall {
    /// The whole workspace of a scenario (unnumbered: for browsing on one's own).
    Workspace {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        scenario: Option<String>,
    },
    Prioritize,
    DependencyMatrix,
}

/// A message to the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[ts(rename = "RoomClientMessage")]
pub enum ClientMsg {
    /// The first message: a name, and to come back as the same person, the `resume` secret
    /// from `welcome` with the model version last received.
    Hello {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        resume: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "number")]
        version: Option<u64>,
    },
    Call {
        id: u32,
        call: ReadCall,
    },
    Answer {
        round: u32,
        answer: Answer,
    },
    Note {
        stream: String,
        stage: String,
        text: String,
    },
    /// An edit, by someone the facilitator let edit.
    Edit {
        id: u32,
        // boxed: the other messages are small
        command: Box<Command>,
    },
    /// Takes back the sender's own last edit.
    Undo {
        id: u32,
    },
    // The facilitator's:
    Ask {
        question: Question,
    },
    Reveal {
        round: u32,
    },
    /// Puts `value` into the model (one undo step) and closes the round.
    Accept {
        round: u32,
        value: f64,
    },
    /// Closes the round without changing the model.
    Close {
        round: u32,
    },
    /// A new round on the same question, answers cleared.
    Again {
        round: u32,
    },
    Grant {
        participant: String,
        editor: bool,
    },
    Show {
        follow: Follow,
    },
    /// Appends a participant's note to the stage's note (one undo step).
    TakeNote {
        note: u32,
    },
    DropNote {
        note: u32,
    },
}

impl ClientMsg {
    /// Whether only the facilitator may send it.
    pub fn facilitators_only(&self) -> bool {
        matches!(
            self,
            ClientMsg::Ask { .. }
                | ClientMsg::Reveal { .. }
                | ClientMsg::Accept { .. }
                | ClientMsg::Close { .. }
                | ClientMsg::Again { .. }
                | ClientMsg::Grant { .. }
                | ClientMsg::Show { .. }
                | ClientMsg::TakeNote { .. }
                | ClientMsg::DropNote { .. }
        )
    }
}

/// A message from the room.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(rename = "RoomServerMessage")]
pub enum ServerMsg {
    Welcome {
        you: String,
        /// Keep it to come back as the same person after a dropped connection.
        resume: String,
        role: Role,
        /// The model's name.
        room: String,
        /// The address participants join at, for the facilitator to show.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        join: Option<String>,
    },
    /// The model: whole, or the changes since the version the participant has.
    Model { reply: Reply },
    /// The room as this person sees it.
    State {
        participants: Vec<Participant>,
        rounds: Vec<Round>,
        /// The facilitator sees every note; a participant their own.
        notes: Vec<Note>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        follow: Option<Follow>,
    },
    /// The answer to a `call`, `edit` or `undo` with the same id.
    Result {
        id: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "unknown")]
        ok: Option<serde_json::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        error: Option<ApiError>,
    },
    /// Something the sender did that the room could not take, in their words.
    Refused { message: String },
    /// Messages are arriving faster than the room takes them; some were left out.
    SlowDown,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::engine::exchange::from_json;

    fn model() -> Model {
        from_json(
            r#"{"format":"tributary/1","name":"m","streams":[{"id":"s","name":"Claims",
            "demand_per_week":10,"cost_of_delay_per_week":100,"stages":[
              {"id":"a","name":"Intake","process_time":1,"wait_time":2},
              {"id":"b","name":"Approve","process_time":1,"wait_time":40,"pca":0.9}]}],
            "initiatives":[{"id":"i","name":"Automate","cost_of_delay_per_week":500,
              "duration_weeks":4}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn an_accepted_estimate_is_an_edit_of_that_figure_alone() {
        let m = model();
        let q = Question::StageEstimate {
            stream: "s".into(),
            stage: "b".into(),
            field: StageField::Pca,
        };
        assert_eq!(q.label(&m), "%C&A of Approve: the share that passes, in %");
        let Some(Command::UpdateStage { stage, .. }) = q.accept(&m, 80.0).unwrap() else {
            panic!("an edit of the stage");
        };
        assert_eq!((stage.pca, stage.wait_time), (0.8, 40.0));
        assert_eq!(
            q.accept(&m, 120.0).unwrap_err(),
            "give a share between 0 and 100 %"
        );
    }

    #[test]
    fn scores_are_on_the_fibonacci_scale_and_keep_the_others() {
        let m = model();
        let q = Question::InitiativeScore {
            initiative: "i".into(),
            field: ScoreField::JobSize,
        };
        assert!(q.admits(&m, &Answer::Number { value: 4.0 }).is_err());
        let Some(Command::UpdateInitiative { initiative }) = q.accept(&m, 13.0).unwrap() else {
            panic!("an edit of the initiative");
        };
        let w = initiative.wsjf.unwrap();
        assert_eq!((w.job_size, w.business_value), (13.0, 1.0));
        assert_eq!(initiative.cost_of_delay_per_week, 500.0);
    }

    #[test]
    fn a_vote_chooses_among_the_streams_stages_and_edits_nothing() {
        let m = model();
        let q = Question::Bottleneck { stream: "s".into() };
        assert_eq!(q.choices(&m), ["a", "b"]);
        assert!(q.admits(&m, &Answer::Choice { stage: "b".into() }).is_ok());
        assert!(q.admits(&m, &Answer::Choice { stage: "z".into() }).is_err());
        assert_eq!(q.accept(&m, 1.0).unwrap(), None);
        let a = Answer::Choice { stage: "b".into() };
        assert_eq!(answer_text(&m, &q, &a), "Approve");
    }

    #[test]
    fn messages_read_as_the_browser_writes_them() {
        let m: ClientMsg = serde_json::from_str(
            r#"{"type":"answer","round":3,"answer":{"kind":"number","value":8}}"#,
        )
        .unwrap();
        assert_eq!(
            m,
            ClientMsg::Answer {
                round: 3,
                answer: Answer::Number { value: 8.0 }
            }
        );
        assert!(!m.facilitators_only());
        assert!(serde_json::from_str::<ClientMsg>(r#"{"type":"reveal","round":1,"x":1}"#).is_err());
    }
}
