// The room's page: joining, the connection's state in plain words, then the participant's view
// (the question, the model, notes) or the facilitator's (join code, rounds, people, notes).
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { Workspace } from "../ipc/bindings/Workspace";
import type { RoomNote } from "../ipc/bindings/RoomNote";
import { RoomClient, type RoomView, type Options } from "./socket";
import { current } from "./model";
import { Streams } from "./Stream";
import { AnswerRound } from "./Rounds";
import { Ask, JoinCode, Notes, People, RunRound } from "./Facilitator";

type Make = (onChange: (v: RoomView) => void) => RoomClient;

/** The page's client and its view, kept in step. */
function useRoom(make: Make): [RoomClient, RoomView] {
  const store = useMemo(() => {
    const listeners = new Set<() => void>();
    const client = make(() => listeners.forEach((l) => l()));
    return {
      client,
      subscribe: (l: () => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
  }, [make]);
  const view = useSyncExternalStore(store.subscribe, () => store.client.view);
  return [store.client, view];
}

export function defaultClient(o: Omit<Options, "onChange">): Make {
  return (onChange) => new RoomClient({ ...o, onChange });
}

export function Room({ make }: { make: Make }) {
  const [client, view] = useRoom(make);
  useEffect(() => {
    const name = client.keptName();
    if (name && client.view.status === "new") client.join(name);
  }, [client]);
  if (view.status === "new") return <Join onJoin={(n) => client.join(n)} />;
  return (
    <div className={`room ${view.role ?? ""}`}>
      <Header view={view} />
      {view.problem && (
        <p className="problem" role="alert">
          {view.problem}{" "}
          <button type="button" onClick={() => client.dismiss()}>
            OK
          </button>
        </p>
      )}
      {!view.ws ? (
        <p className="card muted">Fetching the model…</p>
      ) : view.role === "facilitator" ? (
        <FacilitatorPage view={view} ws={view.ws} client={client} />
      ) : (
        <ParticipantPage view={view} ws={view.ws} client={client} />
      )}
    </div>
  );
}

function Join({ onJoin }: { onJoin: (name: string) => void }) {
  const [name, setName] = useState("");
  const [wrong, setWrong] = useState(false);
  return (
    <form
      className="join card"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setWrong(true);
        onJoin(name.trim());
      }}
    >
      <h1>Join the workshop</h1>
      <label>
        Your name
        <input name="name" autoComplete="name" maxLength={40} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <p className="field-error" aria-live="polite">{wrong ? "Type the name the room should know you by" : ""}</p>
      <button type="submit" className="big primary">Join</button>
    </form>
  );
}

function Header({ view }: { view: RoomView }) {
  const status =
    view.status === "online"
      ? null
      : view.status === "connecting"
        ? "Connecting to the room…"
        : `Offline: reconnecting${view.attempts > 1 ? ` (try ${view.attempts})` : ""}… Your answers are kept by the room.`;
  return (
    <header className="top">
      <h1>{view.room ?? "Workshop room"}</h1>
      <p className="you">
        {view.role === "facilitator" ? "Facilitator" : view.name}
        {view.role !== "facilitator" && view.participants.some((p) => p.id === view.you && p.editor) && " · may edit"}
      </p>
      {status && (
        <p className="status" role="status">
          {status}
        </p>
      )}
    </header>
  );
}

type PageProps = { view: RoomView; ws: Workspace; client: RoomClient };

function ParticipantPage({ view, ws, client }: PageProps) {
  const round = current(view.rounds);
  const me = view.participants.find((p) => p.id === view.you);
  const [following, setFollowing] = useState(true);
  return (
    <main>
      {round && round.state !== "closed" ? (
        <AnswerRound
          round={round}
          ws={ws}
          onAnswer={(answer) => client.send({ type: "answer", round: round.id, answer })}
        />
      ) : (
        <p className="card waiting">
          {round?.accepted != null
            ? `Taken into the model: ${round.label}. The next question comes here.`
            : "No question yet: the next one comes here."}
        </p>
      )}
      <label className="toggle follow">
        <input type="checkbox" checked={following} onChange={(e) => setFollowing(e.target.checked)} /> Follow the
        facilitator
      </label>
      {me?.editor && (
        <p className="editing">
          You may edit the model.{" "}
          <button type="button" onClick={() => client.withId((id) => ({ type: "undo", id }))}>
            Undo my last edit
          </button>
        </p>
      )}
      <Streams
        ws={ws}
        follow={following ? view.follow : undefined}
        onEdit={
          me?.editor
            ? (stream, stage) => client.withId((id) => ({ type: "edit", id, command: { type: "update_stage", stream, stage } }))
            : undefined
        }
      />
      <NoteForm ws={ws} mine={view.notes} onNote={(stream, stage, text) => client.send({ type: "note", stream, stage, text })} />
    </main>
  );
}

function FacilitatorPage({ view, ws, client }: PageProps) {
  const round = current(view.rounds);
  const send = (m: Parameters<RoomClient["send"]>[0]) => client.send(m);
  return (
    <main className="desk">
      <div className="side">
        <JoinCode join={view.join} />
        <People people={view.participants} send={send} />
      </div>
      <div className="middle">
        {round && round.state !== "closed" ? <RunRound round={round} ws={ws} send={send} /> : <Ask ws={ws} send={send} />}
        {round?.state === "closed" && round.accepted != null && (
          <p className="card accepted">
            Last round: {round.label}: taken into the model.
          </p>
        )}
        <Streams
          ws={ws}
          follow={view.follow}
          onShow={(stream, stage) => send({ type: "show", follow: { view: "map", stream, stage } })}
        />
      </div>
      <div className="side">
        <Notes notes={view.notes} ws={ws} send={send} />
      </div>
    </main>
  );
}

function NoteForm({ ws, mine, onNote }: { ws: Workspace; mine: RoomNote[]; onNote: (stream: string, stage: string, text: string) => void }) {
  const options = ws.snapshot.view.model.streams.flatMap((s) => s.stages.map((st) => ({ stream: s.id, stage: st.id, name: st.name })));
  const [at, setAt] = useState(0);
  const [text, setText] = useState("");
  const where = options[at];
  return (
    <form
      className="card note"
      onSubmit={(e) => {
        e.preventDefault();
        if (!where || !text.trim()) return;
        onNote(where.stream, where.stage, text.trim());
        setText("");
      }}
    >
      <h2>Leave a note on a stage</h2>
      <label>
        Stage
        <select name="note-stage" value={at} onChange={(e) => setAt(Number(e.target.value))}>
          {options.map((o, i) => (
            <option key={`${o.stream}/${o.stage}`} value={i}>{o.name}</option>
          ))}
        </select>
      </label>
      <label>
        Note
        <textarea name="note" maxLength={500} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="big">Leave the note</button>
      {mine.length > 0 && (
        <>
          <h3>Your notes</h3>
          <ul className="mine">
            {mine.map((n) => (
              <li key={n.id}>{n.text}</li>
            ))}
          </ul>
        </>
      )}
    </form>
  );
}
