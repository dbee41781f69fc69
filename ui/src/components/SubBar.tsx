// The stream tabs (each renamed in place with a double-click, duplicated or deleted from its
// menu, one undo step each) and the view tabs.
import { useState } from "react";
import { useStore, type View } from "../state/store";
import { Menu } from "./Menu";
import type { Command } from "../ipc/client";
import type { Model } from "../ipc/bindings/Model";
import type { Stream } from "../ipc/bindings/Stream";

const VIEWS: { id: View; label: string; short: string }[] = [
  { id: "map", label: "Map", short: "Map" },
  { id: "matrix", label: "PBC matrix", short: "Matrix" },
  { id: "compare", label: "Scenario comparison", short: "Compare" },
  { id: "initiatives", label: "Initiatives", short: "Initiatives" },
  { id: "simulate", label: "Simulate", short: "Simulate" },
  { id: "flow", label: "Measured flow", short: "Measured" },
];

function unique(base: string, taken: string[]): string {
  for (let n = 1; ; n++) {
    const c = n === 1 ? base : `${base}-${n}`;
    if (!taken.includes(c)) return c;
  }
}

/** A stream's copy with its stages, flow and PBC assignments, as one undo step. */
export function duplicateStream(model: Model, s: Stream): Command {
  const id = unique(`${s.id}-copy`, model.streams.map((x) => x.id));
  const names = model.streams.map((x) => x.name);
  let name = `${s.name} (copy)`;
  for (let n = 2; names.includes(name); n++) name = `${s.name} (copy ${n})`;
  const assigns: Command[] = model.assignments
    .filter((a) => a.stream === s.id)
    .map((a) => ({ type: "assign", assignment: { ...a, stream: id } }));
  return { type: "batch", label: `Duplicate stream ${s.name}`, commands: [{ type: "add_stream", stream: { ...structuredClone(s), id, name } }, ...assigns] };
}

function StreamTab({ s, active, editing, setEditing }: { s: Stream; active: boolean; editing: boolean; setEditing: (on: boolean) => void }) {
  const run = useStore((st) => st.run);
  const setStream = useStore((st) => st.setStream);
  const presenting = useStore((st) => st.presenting);
  const [text, setText] = useState(s.name);
  const rename = async () => {
    setEditing(false);
    const name = text.trim();
    if (name && name !== s.name) await run({ type: "update_stream", stream: { ...s, name, stages: [], edges: [] } });
  };
  if (editing) {
    return (
      <input
        className="tab-edit"
        autoFocus
        value={text}
        aria-label="Name of the value stream"
        data-testid="stream-rename-input"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void rename()}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (e.key === "Escape") {
            setText(s.name);
            setEditing(false);
          }
        }}
      />
    );
  }
  return (
    <button
      role="tab"
      className="tab"
      aria-selected={active}
      onClick={() => setStream(s.id)}
      onDoubleClick={() => {
        if (presenting) return;
        setText(s.name);
        setEditing(true);
      }}
      title={presenting ? s.name : `${s.name} (double-click to rename)`}
      data-testid={`stream-tab-${s.id}`}
    >
      {s.name}
    </button>
  );
}

function StreamMenu({ s, rename }: { s: Stream; rename: () => void }) {
  const model = useStore((st) => st.ws?.snapshot.view.model);
  const run = useStore((st) => st.run);
  const remove = useStore((st) => st.remove);
  const setStream = useStore((st) => st.setStream);
  if (!model) return null;
  return (
    <Menu label="⋯" testId="stream-menu" className="tab menu-tab" title={`Rename, duplicate or delete “${s.name}”`}>
      {(close) => (
        <>
          <button role="menuitem" onClick={() => (close(), rename())} data-testid="stream-rename">
            Rename…
          </button>
          <button
            role="menuitem"
            data-testid="stream-duplicate"
            onClick={async () => {
              close();
              const cmd = duplicateStream(model, s);
              if (await run(cmd)) setStream(useStore.getState().ws?.snapshot.view.model.streams.at(-1)?.id ?? s.id);
            }}
          >
            Duplicate
          </button>
          <button role="menuitem" data-testid="stream-delete" onClick={() => (close(), void remove({ type: "delete_stream", id: s.id }, `the stream “${s.name}”`))}>
            Delete
          </button>
        </>
      )}
    </Menu>
  );
}

export function SubBar() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const setStream = useStore((s) => s.setStream);
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const run = useStore((s) => s.run);
  const presenting = useStore((s) => s.presenting);
  const [editing, setEditing] = useState<string | null>(null);
  if (!ws) return null;
  const streams = ws.snapshot.view.model.streams;
  const addStream = async () => {
    const stream: Stream = { id: "", name: `Value stream ${streams.length + 1}`, demand_per_week: 10, cost_of_delay_per_week: 1000, urgency: { profile: "standard" }, stages: [], edges: [] };
    if (await run({ type: "add_stream", stream })) {
      const last = useStore.getState().ws?.snapshot.view.model.streams.at(-1);
      if (last) {
        setStream(last.id);
        setEditing(last.id);
      }
    }
  };
  const active = streams.find((s) => s.id === streamId);
  return (
    <nav className="subbar">
      <div className="tabs streams" role="tablist" aria-label="Value streams">
        {streams.map((s) => (
          <StreamTab key={s.id} s={s} active={s.id === streamId} editing={editing === s.id} setEditing={(on) => setEditing(on ? s.id : null)} />
        ))}
      </div>
      {active && !presenting && <StreamMenu s={active} rename={() => setEditing(active.id)} />}
      {!presenting && (
        <button className="tab add" onClick={() => void addStream()} title="Add a value stream" data-testid="add-stream">
          + Stream
        </button>
      )}
      <span className="spacer" />
      <div className="tabs views" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button key={v.id} role="tab" className="tab" aria-selected={view === v.id} onClick={() => setView(v.id)} data-testid={`view-${v.id}`} title={v.label}>
            <span className="long">{v.label}</span>
            <span className="short">{v.short}</span>
          </button>
        ))}
      </div>
    </nav>
  );
}
