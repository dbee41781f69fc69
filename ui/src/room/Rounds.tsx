// A round as people see it: the question and how to answer it, who has answered, and after the
// reveal every answer with its spread (a box and dots, outliers marked) or the votes as bars.
import { useState } from "react";
import type { RoomRound } from "../ipc/bindings/RoomRound";
import type { RoomAnswer } from "../ipc/bindings/RoomAnswer";
import type { RoomRevealed } from "../ipc/bindings/RoomRevealed";
import type { Workspace } from "../ipc/bindings/Workspace";
import { number, parseNumber } from "../format";
import { answerUnit, FIBONACCI, isFibonacci, stageName } from "./model";

type Answer = (a: RoomAnswer) => void;

export function Who({ round }: { round: RoomRound }) {
  return (
    <div className="who">
      <p>
        <strong>Answered ({round.answered.length}):</strong> {round.answered.join(", ") || "nobody yet"}
      </p>
      {round.waiting.length > 0 && (
        <p>
          <strong>Still to answer ({round.waiting.length}):</strong> {round.waiting.join(", ")}
        </p>
      )}
    </div>
  );
}

function NumberAnswer({ round, ws, onAnswer }: { round: RoomRound; ws: Workspace | null; onAnswer: Answer }) {
  const [text, setText] = useState("");
  const [wrong, setWrong] = useState(false);
  if (isFibonacci(round.question)) {
    return (
      <div className="choices fib" role="group" aria-label="Your score">
        {FIBONACCI.map((v) => (
          <button key={v} type="button" className="big" onClick={() => onAnswer({ kind: "number", value: v })}>
            {v}
          </button>
        ))}
      </div>
    );
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = parseNumber(text);
    if (v === null || v < 0) return setWrong(true);
    setWrong(false);
    onAnswer({ kind: "number", value: v });
  };
  return (
    <form className="answer" onSubmit={submit}>
      <label>
        <span className="sr">Your answer</span>
        <input
          name="answer"
          inputMode="decimal"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={wrong}
        />
        <span className="unit">{answerUnit(round.question, ws)}</span>
      </label>
      <button type="submit" className="big primary">
        Send
      </button>
      <p className="field-error" aria-live="polite">
        {wrong ? "Type a number of 0 or more, such as 2.5" : ""}
      </p>
    </form>
  );
}

function VoteAnswer({ round, ws, onAnswer }: { round: RoomRound; ws: Workspace | null; onAnswer: Answer }) {
  const q = round.question;
  if (q.kind !== "bottleneck") return null;
  const stream = ws?.snapshot.view.model.streams.find((s) => s.id === q.stream);
  return (
    <div className="choices" role="group" aria-label="The bottleneck">
      {stream?.stages.map((s) => (
        <button
          key={s.id}
          type="button"
          className={`big ${round.yours?.kind === "choice" && round.yours.stage === s.id ? "chosen" : ""}`}
          onClick={() => onAnswer({ kind: "choice", stage: s.id })}
        >
          {s.name}
        </button>
      ))}
    </div>
  );
}

function yoursText(a: RoomAnswer, round: RoomRound, ws: Workspace | null): string {
  if (a.kind === "number") return `${number(a.value)} ${answerUnit(round.question, ws)}`.trim();
  const q = round.question;
  return q.kind === "bottleneck" ? stageName(ws, q.stream, a.stage) : a.stage;
}

/** The round for someone answering it. */
export function AnswerRound({ round, ws, onAnswer }: { round: RoomRound; ws: Workspace | null; onAnswer: Answer }) {
  return (
    <section className="round card" aria-label="The question">
      <h2 className="question">{round.label}</h2>
      {round.number > 1 && <p className="muted">Round {round.number}</p>}
      {round.state === "open" && (
        <>
          {round.question.kind === "bottleneck" ? (
            <VoteAnswer round={round} ws={ws} onAnswer={onAnswer} />
          ) : (
            <NumberAnswer round={round} ws={ws} onAnswer={onAnswer} />
          )}
          {round.yours && (
            <p className="yours">
              Your answer: <strong>{yoursText(round.yours, round, ws)}</strong> (you can change it until the reveal)
            </p>
          )}
          <Who round={round} />
        </>
      )}
      {round.revealed && <Revealed round={round} revealed={round.revealed} ws={ws} />}
      {round.accepted !== undefined && round.accepted !== null && (
        <p className="accepted">
          Taken into the model: <strong>{number(round.accepted)} {answerUnit(round.question, ws)}</strong>
        </p>
      )}
      {round.state === "closed" && round.accepted == null && <p className="muted">This round is closed.</p>}
    </section>
  );
}

export function Revealed({ round, revealed, ws }: { round: RoomRound; revealed: RoomRevealed; ws: Workspace | null }) {
  const u = answerUnit(round.question, ws);
  const s = revealed.spread;
  return (
    <div className="revealed">
      {s && (
        <>
          <p className="median">
            Median <strong>{number(s.median)} {u}</strong>
            <span className="muted">
              {" "}
              · middle half {number(s.lower_quartile)} to {number(s.upper_quartile)} {u} · {s.count} answers
            </span>
          </p>
          <DotPlot round={round} revealed={revealed} />
        </>
      )}
      {revealed.tally.length > 0 && <Votes round={round} revealed={revealed} ws={ws} />}
      <ul className="answers">
        {revealed.answers.map((a, i) => (
          <li key={i} className={a.outlier ? "outlier" : ""}>
            <span className="name">{a.name}</span> <strong>{a.text}</strong>
            {a.outlier && <span className="flag"> ▲ far from the rest: ask them why</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

const W = 480;
const H = 110;
const PAD = 30;

/** Every answer as a dot on one line, the middle half as a box, the median as a bold line. */
export function DotPlot({ round, revealed }: { round: RoomRound; revealed: RoomRevealed }) {
  const s = revealed.spread;
  if (!s) return null;
  const values = revealed.answers.flatMap((a) => (a.answer.kind === "number" ? [a.answer.value] : []));
  const lo = Math.min(0, s.min);
  const hi = s.max > lo ? s.max : lo + 1;
  const x = (v: number) => PAD + ((v - lo) / (hi - lo)) * (W - 2 * PAD);
  const outliers = new Set(s.outliers);
  return (
    <svg className="dots" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${round.label}: the answers`}>
      <line x1={PAD} x2={W - PAD} y1={70} y2={70} className="axis" />
      <rect x={x(s.lower_quartile)} width={Math.max(2, x(s.upper_quartile) - x(s.lower_quartile))} y={45} height={50} className="box" />
      <line x1={x(s.median)} x2={x(s.median)} y1={38} y2={102} className="mid" />
      {values.map((v, i) => (
        <circle key={i} cx={x(v)} cy={70 - (i % 3) * 8} r={9} className={outliers.has(v) ? "dot out" : "dot"} />
      ))}
      {x(s.median) - PAD > 60 && <text x={PAD} y={26} className="tick">{number(lo)}</text>}
      {W - PAD - x(s.median) > 60 && <text x={W - PAD} y={26} textAnchor="end" className="tick">{number(hi)}</text>}
      <text x={x(s.median)} y={26} textAnchor="middle" className="tick strong">{number(s.median)}</text>
    </svg>
  );
}

function Votes({ round, revealed, ws }: { round: RoomRound; revealed: RoomRevealed; ws: Workspace | null }) {
  const most = Math.max(1, ...revealed.tally.map((t) => t.votes));
  const q = round.question;
  return (
    <ul className="votes">
      {revealed.tally.map((t) => (
        <li key={t.choice}>
          <span className="name">{q.kind === "bottleneck" ? stageName(ws, q.stream, t.choice) : t.choice}</span>
          <span className="bar" style={{ width: `${(t.votes / most) * 100}%` }} />
          <strong>{t.votes}</strong>
        </li>
      ))}
    </ul>
  );
}
