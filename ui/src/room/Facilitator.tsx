// What only the facilitator has: the join code for the projector, asking a question, running
// the round (reveal, accept, again, close), who may edit, and the notes people left.
import { useState } from "react";
import type { Workspace } from "../ipc/bindings/Workspace";
import type { RoomQuestion } from "../ipc/bindings/RoomQuestion";
import type { RoomRound } from "../ipc/bindings/RoomRound";
import type { RoomParticipant } from "../ipc/bindings/RoomParticipant";
import type { RoomNote } from "../ipc/bindings/RoomNote";
import type { RoomStageField } from "../ipc/bindings/RoomStageField";
import type { RoomScoreField } from "../ipc/bindings/RoomScoreField";
import type { RoomClientMessage } from "../ipc/bindings/RoomClientMessage";
import { number, parseNumber } from "../format";
import { answerUnit, stageName } from "./model";
import { Revealed, Who } from "./Rounds";

type Send = (m: RoomClientMessage) => void;

export function JoinCode({ join }: { join?: string }) {
  return (
    <section className="card join-code" aria-label="Join the room">
      <img src="join.svg" alt="QR code to join the room" />
      {join ? (
        <p>
          Scan to join, or open <strong className="join-url">{join}</strong>
        </p>
      ) : (
        <p>Scan to join, or open the join address the room printed when it opened.</p>
      )}
    </section>
  );
}

const STAGE_FIELDS: [RoomStageField, string][] = [
  ["wait_time", "Wait"],
  ["process_time", "Process time"],
  ["pca", "%C&A"],
];
const SCORE_FIELDS: [RoomScoreField, string][] = [
  ["business_value", "Business value"],
  ["time_criticality", "Time criticality"],
  ["risk_reduction", "Risk reduction"],
  ["job_size", "Job size"],
  ["cost_of_delay_per_week", "Cost of delay a week"],
];

export function Ask({ ws, send }: { ws: Workspace; send: Send }) {
  const model = ws.snapshot.view.model;
  const [kind, setKind] = useState<RoomQuestion["kind"]>("stage_estimate");
  const [stream, setStream] = useState(model.streams[0]?.id ?? "");
  const st = model.streams.find((s) => s.id === stream) ?? model.streams[0];
  const [stage, setStage] = useState(st?.stages[0]?.id ?? "");
  const [field, setField] = useState<RoomStageField>("wait_time");
  const [initiative, setInitiative] = useState(model.initiatives[0]?.id ?? "");
  const [score, setScore] = useState<RoomScoreField>("business_value");
  const ask = (e: React.FormEvent) => {
    e.preventDefault();
    const stageId = st?.stages.some((s) => s.id === stage) ? stage : (st?.stages[0]?.id ?? "");
    const question: RoomQuestion =
      kind === "stage_estimate"
        ? { kind, stream: st?.id ?? "", stage: stageId, field }
        : kind === "initiative_score"
          ? { kind, initiative, field: score }
          : { kind, stream: st?.id ?? "" };
    send({ type: "ask", question });
  };
  const stages = (st?.stages ?? []).map((s) => [s.id, s.name] as const);
  return (
    <form className="card ask" onSubmit={ask} aria-label="Ask the room">
      <h2>Ask the room</h2>
      <Pick label="Question" name="kind" value={kind} onPick={(v) => setKind(v as RoomQuestion["kind"])}
        options={[
          ["stage_estimate", "Estimate a stage"],
          ...(model.initiatives.length > 0 ? [["initiative_score", "Score an initiative"] as const] : []),
          ["bottleneck", "Vote on the bottleneck"],
        ]}
      />
      {kind !== "initiative_score" && model.streams.length > 1 && (
        <Pick label="Stream" name="stream" value={stream} onPick={setStream}
          options={model.streams.map((s) => [s.id, s.name] as const)} />
      )}
      {kind === "stage_estimate" && (
        <>
          <Pick label="Stage" name="stage" value={stage} onPick={setStage} options={stages} />
          <Pick label="Figure" name="field" value={field} onPick={(v) => setField(v as RoomStageField)}
            options={STAGE_FIELDS} />
        </>
      )}
      {kind === "initiative_score" && (
        <>
          <Pick label="Initiative" name="initiative" value={initiative} onPick={setInitiative}
            options={model.initiatives.map((i) => [i.id, i.name] as const)} />
          <Pick label="Score" name="score" value={score} onPick={(v) => setScore(v as RoomScoreField)}
            options={SCORE_FIELDS} />
        </>
      )}
      <button type="submit" className="big primary">Ask</button>
    </form>
  );
}

/** A labelled choice of a few options, each (value, text). */
function Pick(props: {
  label: string;
  name: string;
  value: string;
  onPick: (v: string) => void;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={(e) => props.onPick(e.target.value)}>
        {props.options.map(([v, t]) => (
          <option key={v} value={v}>{t}</option>
        ))}
      </select>
    </label>
  );
}

/** The round the facilitator runs, with its controls. */
export function RunRound({ round, ws, send }: { round: RoomRound; ws: Workspace | null; send: Send }) {
  const [other, setOther] = useState("");
  const median = round.revealed?.spread?.median;
  const u = answerUnit(round.question, ws);
  const otherValue = parseNumber(other);
  return (
    <section className="card round" aria-label="The round">
      <h2 className="question">{round.label}</h2>
      {round.number > 1 && <p className="muted">Round {round.number}</p>}
      {round.state === "open" && <Who round={round} />}
      {round.revealed && <Revealed round={round} revealed={round.revealed} ws={ws} />}
      {round.accepted != null && (
        <p className="accepted">
          Taken into the model: <strong>{number(round.accepted)} {u}</strong>
        </p>
      )}
      <div className="controls">
        {round.state === "open" && (
          <button type="button" className="big primary" onClick={() => send({ type: "reveal", round: round.id })}>
            Reveal the answers
          </button>
        )}
        {round.state === "revealed" && median != null && (
          <button type="button" className="big primary" onClick={() => send({ type: "accept", round: round.id, value: median })}>
            Accept the median: {number(median)} {u}
          </button>
        )}
        {round.state === "revealed" && round.revealed?.spread && (
          <form
            className="other"
            onSubmit={(e) => {
              e.preventDefault();
              if (otherValue !== null) send({ type: "accept", round: round.id, value: otherValue });
            }}
          >
            <label>
              Or accept <input name="other" inputMode="decimal" value={other} onChange={(e) => setOther(e.target.value)} /> {u}
            </label>
            <button type="submit" disabled={otherValue === null}>Accept</button>
          </form>
        )}
        {round.state !== "closed" && (
          <button type="button" onClick={() => send({ type: "again", round: round.id })}>Ask again</button>
        )}
        {round.state !== "closed" && (
          <button type="button" onClick={() => send({ type: "close", round: round.id })}>Close without changing the model</button>
        )}
      </div>
    </section>
  );
}

export function People({ people, send }: { people: RoomParticipant[]; send: Send }) {
  const here = people.filter((p) => p.role === "participant");
  return (
    <section className="card people" aria-label="People">
      <h2>People ({here.filter((p) => p.connected).length} here)</h2>
      {here.length === 0 && <p className="muted">Nobody has joined yet: show the QR code.</p>}
      <ul>
        {here.map((p) => (
          <li key={p.id} className={p.connected ? "" : "away"}>
            <span className="name">{p.name}</span>
            {!p.connected && <span className="muted"> (away)</span>}
            <label className="toggle">
              <input
                type="checkbox"
                checked={p.editor}
                onChange={(e) => send({ type: "grant", participant: p.id, editor: e.target.checked })}
              />{" "}
              may edit
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Notes({ notes, ws, send }: { notes: RoomNote[]; ws: Workspace | null; send: Send }) {
  return (
    <section className="card notes" aria-label="Notes">
      <h2>Notes ({notes.length})</h2>
      {notes.length === 0 && <p className="muted">Notes people leave on stages come here.</p>}
      <ul>
        {notes.map((n) => (
          <li key={n.id}>
            <p>
              <strong>{stageName(ws, n.stream, n.stage)}</strong> · <span className="name">{n.author}</span>
            </p>
            <p className="text">{n.text}</p>
            <button type="button" onClick={() => send({ type: "take_note", note: n.id })}>Take into the model</button>
            <button type="button" onClick={() => send({ type: "drop_note", note: n.id })}>Drop</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
