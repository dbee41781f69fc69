//! Who is in the room and what they have said: people, rounds of estimates, scores and votes,
//! notes. Plain data and rules, no network: the server turns messages into calls here, and
//! shows each person the room as they may see it (nobody sees an answer before the reveal).

use tributary_api::engine::estimates::{spread, tally};
use tributary_api::room::{
    Answer, Follow, NamedAnswer, Note, Participant, Question, Revealed, Role, Round, RoundState,
    ServerMsg,
};

use crate::token::Token;

/// How much a room keeps, so that no participant can make it grow without bound.
pub const MAX_PEOPLE: usize = 200;
pub const MAX_ROUNDS: usize = 100;
pub const MAX_NOTES: usize = 500;
pub const MAX_NAME: usize = 40;
pub const MAX_NOTE: usize = 500;

/// The facilitator's id: the host's person, there from the start.
pub const FACILITATOR: &str = "f";

pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub editor: bool,
    /// Open connections (a phone and a laptop, or a reload overlapping the old page).
    pub connections: u32,
    pub resume: Token,
    /// The undo steps of this person's own edits, oldest first.
    pub steps: Vec<(i64, String)>,
}

struct RoundData {
    id: u32,
    question: Question,
    label: String,
    number: u32,
    state: RoundState,
    /// (person id, answer, the answer for people), in the order given.
    answers: Vec<(String, Answer, String)>,
    accepted: Option<f64>,
    /// The choices of a vote, as stage ids.
    choices: Vec<String>,
}

struct NoteData {
    id: u32,
    stream: String,
    stage: String,
    author: String,
    text: String,
}

/// Why the room refused something, in the sender's words.
pub type Refusal = String;

pub struct State {
    people: Vec<Person>,
    rounds: Vec<RoundData>,
    notes: Vec<NoteData>,
    pub follow: Option<Follow>,
    next_person: u32,
    next_round: u32,
    next_note: u32,
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl State {
    pub fn new() -> State {
        let facilitator = Person {
            id: FACILITATOR.into(),
            name: "Facilitator".into(),
            role: Role::Facilitator,
            editor: true,
            connections: 0,
            resume: Token::new(),
            steps: Vec::new(),
        };
        State {
            people: vec![facilitator],
            rounds: Vec::new(),
            notes: Vec::new(),
            follow: None,
            next_person: 1,
            next_round: 1,
            next_note: 1,
        }
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn person_mut(&mut self, id: &str) -> Option<&mut Person> {
        self.people.iter_mut().find(|p| p.id == id)
    }

    /// A participant joins under `name`, or comes back with their `resume` secret; the
    /// facilitator's connections are the facilitator. Returns the person's id.
    pub fn join(
        &mut self,
        name: &str,
        resume: Option<&str>,
        role: Role,
    ) -> Result<String, Refusal> {
        let id = if role == Role::Facilitator {
            FACILITATOR.to_owned()
        } else if let Some(p) =
            resume.and_then(|r| self.people.iter().find(|p| p.resume.matches(r)))
        {
            p.id.clone()
        } else {
            self.add_participant(name)?
        };
        if let Some(p) = self.person_mut(&id) {
            p.connections += 1;
        }
        Ok(id)
    }

    fn add_participant(&mut self, name: &str) -> Result<String, Refusal> {
        if self.people.len() >= MAX_PEOPLE {
            return Err(format!("the room is full ({MAX_PEOPLE} people)"));
        }
        let name = clean(name, MAX_NAME);
        if name.is_empty() {
            return Err("give a name so the room knows who answered".into());
        }
        let id = format!("p{}", self.next_person);
        self.next_person += 1;
        self.people.push(Person {
            id: id.clone(),
            name,
            role: Role::Participant,
            editor: false,
            connections: 0,
            resume: Token::new(),
            steps: Vec::new(),
        });
        Ok(id)
    }

    pub fn leave(&mut self, id: &str) {
        if let Some(p) = self.person_mut(id) {
            p.connections = p.connections.saturating_sub(1);
        }
    }

    pub fn grant(&mut self, id: &str, editor: bool) -> Result<(), Refusal> {
        match self.person_mut(id) {
            Some(p) if p.role == Role::Participant => {
                p.editor = editor;
                Ok(())
            }
            Some(_) => Err("the facilitator can always edit".into()),
            None => Err(format!("nobody in the room is {id:?}")),
        }
    }

    /// Opens a round; `label` and `choices` come from the question on the model.
    pub fn ask(&mut self, question: Question, label: String, choices: Vec<String>) -> u32 {
        let number = 1 + self
            .rounds
            .iter()
            .filter(|r| r.question == question)
            .count() as u32;
        let id = self.next_round;
        self.next_round += 1;
        self.rounds.push(RoundData {
            id,
            question,
            label,
            number,
            state: RoundState::Open,
            answers: Vec::new(),
            accepted: None,
            choices,
        });
        self.forget_old_rounds();
        id
    }

    /// Keeps the newest rounds; closed ones go first.
    fn forget_old_rounds(&mut self) {
        while self.rounds.len() > MAX_ROUNDS {
            let i = self
                .rounds
                .iter()
                .position(|r| r.state == RoundState::Closed)
                .unwrap_or(0);
            self.rounds.remove(i);
        }
    }

    fn round_mut(&mut self, id: u32) -> Result<&mut RoundData, Refusal> {
        self.rounds
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or_else(|| format!("there is no round {id}"))
    }

    pub fn question(&self, round: u32) -> Option<&Question> {
        self.rounds
            .iter()
            .find(|r| r.id == round)
            .map(|r| &r.question)
    }

    /// Records (or replaces) `who`'s answer while the round is open; `text` is the answer
    /// for people.
    pub fn answer(
        &mut self,
        who: &str,
        round: u32,
        answer: Answer,
        text: String,
    ) -> Result<(), Refusal> {
        let r = self.round_mut(round)?;
        if r.state != RoundState::Open {
            return Err("this round has been revealed; wait for the next one".into());
        }
        r.answers.retain(|(p, _, _)| p != who);
        r.answers.push((who.to_owned(), answer, text));
        Ok(())
    }

    pub fn reveal(&mut self, round: u32) -> Result<(), Refusal> {
        let r = self.round_mut(round)?;
        if r.state == RoundState::Open {
            r.state = RoundState::Revealed;
        }
        Ok(())
    }

    /// Checks the round can take an accepted value (revealed, not closed yet).
    pub fn can_accept(&self, round: u32) -> Result<(), Refusal> {
        match self.rounds.iter().find(|r| r.id == round).map(|r| r.state) {
            Some(RoundState::Revealed) => Ok(()),
            Some(RoundState::Open) => Err("reveal the answers before accepting one".into()),
            Some(RoundState::Closed) => Err("this round is closed already".into()),
            None => Err(format!("there is no round {round}")),
        }
    }

    pub fn close(&mut self, round: u32, accepted: Option<f64>) -> Result<(), Refusal> {
        let r = self.round_mut(round)?;
        r.state = RoundState::Closed;
        r.accepted = accepted;
        Ok(())
    }

    /// A second round on the same question: the old one closes, answers start afresh.
    pub fn again(&mut self, round: u32) -> Result<u32, Refusal> {
        let r = self.round_mut(round)?;
        r.state = RoundState::Closed;
        let (q, label, choices) = (r.question.clone(), r.label.clone(), r.choices.clone());
        Ok(self.ask(q, label, choices))
    }

    pub fn note(
        &mut self,
        who: &str,
        stream: &str,
        stage: &str,
        text: &str,
    ) -> Result<(), Refusal> {
        let text = clean(text, MAX_NOTE);
        if text.is_empty() {
            return Err("the note is empty".into());
        }
        if self.notes.len() >= MAX_NOTES {
            return Err("the room holds as many notes as it can; ask the facilitator".into());
        }
        let id = self.next_note;
        self.next_note += 1;
        self.notes.push(NoteData {
            id,
            stream: stream.into(),
            stage: stage.into(),
            author: who.into(),
            text,
        });
        Ok(())
    }

    /// Removes a note; returns it as (stream, stage, "Author: text").
    pub fn take_note(&mut self, id: u32) -> Result<(String, String, String), Refusal> {
        let i = self
            .notes
            .iter()
            .position(|n| n.id == id)
            .ok_or_else(|| format!("there is no note {id}"))?;
        let n = self.notes.remove(i);
        let author = self.name_of(&n.author);
        Ok((n.stream, n.stage, format!("{author}: {}", n.text)))
    }

    fn name_of(&self, id: &str) -> String {
        self.person(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    }

    /// The room as person `viewer` sees it.
    pub fn view_for(&self, viewer: &str) -> ServerMsg {
        let facilitator = self
            .person(viewer)
            .is_some_and(|p| p.role == Role::Facilitator);
        ServerMsg::State {
            participants: self.people.iter().map(participant).collect(),
            rounds: self
                .rounds
                .iter()
                .map(|r| self.round_for(r, viewer))
                .collect(),
            notes: self
                .notes
                .iter()
                .filter(|n| facilitator || n.author == viewer)
                .map(|n| Note {
                    id: n.id,
                    stream: n.stream.clone(),
                    stage: n.stage.clone(),
                    author: self.name_of(&n.author),
                    text: n.text.clone(),
                })
                .collect(),
            follow: self.follow.clone(),
        }
    }

    fn round_for(&self, r: &RoundData, viewer: &str) -> Round {
        let answered: Vec<String> = r.answers.iter().map(|(p, _, _)| self.name_of(p)).collect();
        let waiting = self
            .people
            .iter()
            .filter(|p| p.role == Role::Participant && p.connections > 0)
            .filter(|p| !r.answers.iter().any(|(a, _, _)| *a == p.id))
            .map(|p| p.name.clone())
            .collect();
        Round {
            id: r.id,
            question: r.question.clone(),
            label: r.label.clone(),
            number: r.number,
            state: r.state,
            answered,
            waiting,
            yours: r
                .answers
                .iter()
                .find(|(p, _, _)| p == viewer)
                .map(|(_, a, _)| a.clone()),
            revealed: (r.state != RoundState::Open).then(|| self.revealed(r)),
            accepted: r.accepted,
        }
    }

    fn revealed(&self, r: &RoundData) -> Revealed {
        let numbers: Vec<f64> = r
            .answers
            .iter()
            .filter_map(|(_, a, _)| match a {
                Answer::Number { value } => Some(*value),
                Answer::Choice { .. } => None,
            })
            .collect();
        let spread = spread(&numbers);
        let outlier = |a: &Answer| match (a, &spread) {
            (Answer::Number { value }, Some(s)) => s.outliers.contains(value),
            _ => false,
        };
        let choices = r.answers.iter().filter_map(|(_, a, _)| match a {
            Answer::Choice { stage } => Some(stage.as_str()),
            Answer::Number { .. } => None,
        });
        Revealed {
            answers: r
                .answers
                .iter()
                .map(|(p, a, text)| NamedAnswer {
                    name: self.name_of(p),
                    answer: a.clone(),
                    text: text.clone(),
                    outlier: outlier(a),
                })
                .collect(),
            tally: if r.choices.is_empty() {
                Vec::new()
            } else {
                tally(&r.choices, choices)
            },
            spread,
        }
    }
}

fn participant(p: &Person) -> Participant {
    Participant {
        id: p.id.clone(),
        name: p.name.clone(),
        role: p.role,
        editor: p.editor,
        connected: p.connections > 0,
    }
}

/// Text as people typed it, without control characters or the marks that reverse the
/// direction of the text around it (a name that reads as another), trimmed, cut to `max`
/// characters.
pub fn clean(text: &str, max: usize) -> String {
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let kept: String = text
        .chars()
        .map(|c| {
            if (c.is_control() && c != '\n') || bidi(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    kept.trim().chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn vote() -> Question {
        Question::Bottleneck { stream: "s".into() }
    }

    fn rounds(m: ServerMsg) -> Vec<Round> {
        match m {
            ServerMsg::State { rounds, .. } => rounds,
            _ => panic!("a state"),
        }
    }

    #[test]
    fn nobody_sees_an_answer_before_the_reveal() {
        let mut s = State::new();
        let anna = s.join("Anna", None, Role::Participant).unwrap();
        let ben = s.join("Ben", None, Role::Participant).unwrap();
        let q = Question::StageEstimate {
            stream: "s".into(),
            stage: "a".into(),
            field: tributary_api::room::StageField::WaitTime,
        };
        let r = s.ask(q, "Wait time of A".into(), vec![]);
        s.answer(&anna, r, Answer::Number { value: 8.0 }, "8".into())
            .unwrap();
        for viewer in [&ben, &anna, &FACILITATOR.to_owned()] {
            let round = &rounds(s.view_for(viewer))[0];
            assert_eq!(round.answered, ["Anna"]);
            assert_eq!(round.waiting, ["Ben"]);
            assert!(round.revealed.is_none(), "{viewer} saw it");
            assert_eq!(round.yours.is_some(), viewer == &anna);
        }
        s.answer(&ben, r, Answer::Number { value: 40.0 }, "40".into())
            .unwrap();
        s.reveal(r).unwrap();
        let seen = rounds(s.view_for(&ben))[0].revealed.clone().unwrap();
        assert_eq!(seen.answers.len(), 2);
        assert_eq!(seen.spread.unwrap().median, 24.0);
        assert!(
            s.answer(&ben, r, Answer::Number { value: 1.0 }, "1".into())
                .is_err()
        );
    }

    #[test]
    fn a_second_round_starts_afresh_and_says_so() {
        let mut s = State::new();
        let anna = s.join("Anna", None, Role::Participant).unwrap();
        let r = s.ask(vote(), "Which?".into(), vec!["a".into(), "b".into()]);
        s.answer(&anna, r, Answer::Choice { stage: "b".into() }, "B".into())
            .unwrap();
        s.reveal(r).unwrap();
        let tally = rounds(s.view_for(&anna))[0].revealed.clone().unwrap().tally;
        assert_eq!((tally[0].choice.as_str(), tally[0].votes), ("b", 1));
        let r2 = s.again(r).unwrap();
        let all = rounds(s.view_for(&anna));
        assert_eq!(all[0].state, RoundState::Closed);
        assert_eq!(
            (all[1].id, all[1].number, all[1].answered.len()),
            (r2, 2, 0)
        );
    }

    #[test]
    fn coming_back_with_the_secret_is_the_same_person() {
        let mut s = State::new();
        let anna = s.join("Anna", None, Role::Participant).unwrap();
        let secret = s.person(&anna).unwrap().resume.as_str().to_owned();
        s.leave(&anna);
        assert_eq!(s.person(&anna).unwrap().connections, 0);
        assert_eq!(
            s.join("whoever", Some(&secret), Role::Participant).unwrap(),
            anna
        );
        // a wrong secret is a new person, with the name given
        let other = s.join("Anna", Some("guess"), Role::Participant).unwrap();
        assert_ne!(other, anna);
    }

    #[test]
    fn names_and_notes_are_cleaned_and_bounded() {
        let mut s = State::new();
        let id = s
            .join("  <b>Anna</b>\u{7}\u{202e}  ", None, Role::Participant)
            .unwrap();
        // kept as typed (shown as text by the UI), control characters gone
        assert_eq!(s.person(&id).unwrap().name, "<b>Anna</b>");
        assert!(s.join("   ", None, Role::Participant).is_err());
        let long = "x".repeat(MAX_NOTE + 50);
        s.note(&id, "s", "a", &long).unwrap();
        let (_, _, text) = s.take_note(1).unwrap();
        assert_eq!(
            text.chars().count(),
            "<b>Anna</b>: ".chars().count() + MAX_NOTE
        );
        for _ in 0..MAX_NOTES {
            s.note(&id, "s", "a", "n").unwrap();
        }
        assert!(s.note(&id, "s", "a", "one more").is_err());
    }

    #[test]
    fn only_participants_are_granted_editing() {
        let mut s = State::new();
        let anna = s.join("Anna", None, Role::Participant).unwrap();
        s.grant(&anna, true).unwrap();
        assert!(s.person(&anna).unwrap().editor);
        assert!(s.grant(FACILITATOR, false).is_err());
        assert!(s.grant("p99", true).is_err());
    }
}
