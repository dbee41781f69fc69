// The PBC library: every capability, how many stages it serves in the state shown (the baseline
// or the selected future state, with what the scenario adds or retires), dragged onto a stage
// to serve it. On a small screen it folds to a rail and opens over the map; it steps aside as
// soon as a card is dragged, so that every stage is a target.
import { memo, useMemo, useState } from "react";
import { useStore } from "../state/store";
import { moneyShort } from "../format";
import { useDrag } from "./pbcDrag";
import type { Pbc } from "../ipc/bindings/Pbc";
import type { Assignment } from "../ipc/bindings/Assignment";

const KIND_LABEL = { legacy: "Legacy", modern: "Modern", saas: "SaaS" } as const;

function countUses(assignments: Assignment[] | undefined) {
  const m = new Map<string, number>();
  for (const a of assignments ?? []) m.set(a.pbc, (m.get(a.pbc) ?? 0) + 1);
  return m;
}

/** What the future state does to a PBC, against the baseline. */
function stateNote(base: number, now: number): string | null {
  if (base === now) return null;
  if (base === 0) return "added in this state";
  if (now === 0) return "retired in this state";
  return now > base ? `serves ${now - base} more here` : `serves ${base - now} fewer here`;
}

function Rail() {
  const setPanel = useStore((s) => s.setPanel);
  const open = useStore((s) => s.panels.library);
  return (
    <button className="library-rail" onClick={() => setPanel("library", !open)} aria-expanded={open} data-testid="library-toggle" title={open ? "Fold the PBC library" : "Open the PBC library"}>
      <span>{open ? "‹ PBC library" : "PBC library ›"}</span>
    </button>
  );
}

export function PbcLibrary() {
  // Only the parts of the model the library shows: an edit elsewhere leaves them the same
  // objects (the shell's replies are patches), so the library does not redraw.
  const pbcs = useStore((s) => (s.ws?.snapshot.scenario?.model ?? s.ws?.snapshot.view.model)?.pbcs);
  const assignments = useStore((s) => (s.ws?.snapshot.scenario?.model ?? s.ws?.snapshot.view.model)?.assignments);
  const baseAssignments = useStore((s) => s.ws?.snapshot.view.model.assignments);
  const inScenario = useStore((s) => !!s.scenarioId);
  const cur = useStore((s) => s.ws?.snapshot.view.model.currency);
  const open = useStore((s) => s.panels.library);
  const selection = useStore((s) => s.selection);
  const select = useStore((s) => s.select);
  const run = useStore((s) => s.run);
  const { start } = useDrag();
  const [query, setQuery] = useState("");
  const uses = useMemo(() => countUses(assignments), [assignments]);
  const baseUses = useMemo(() => countUses(baseAssignments), [baseAssignments]);
  if (!pbcs || !cur) return null;
  const q = query.trim().toLowerCase();
  const shown = q ? pbcs.filter((p) => [p.name, p.domain ?? "", p.team ?? "", p.kind, p.lifecycle, ...p.systems].some((t) => t.toLowerCase().includes(q))) : pbcs;
  const create = async () => {
    const pbc: Pbc = { id: "", name: `New capability ${pbcs.length + 1}`, kind: "modern", lifecycle: "invest", annual_run_cost: 0, systems: [] };
    if (await run({ type: "add_pbc", pbc })) {
      const created = useStore.getState().ws?.snapshot.view.model.pbcs.at(-1);
      if (created) select({ kind: "pbc", id: created.id });
    }
  };
  return (
    <aside className={open ? "library open" : "library"} aria-label="PBC library" data-drop="library" data-testid="library">
      <Rail />
      {open && (
        <div className="library-panel">
          <div className="panel-head">
            <h2>PBC library</h2>
            <button className="btn small" onClick={() => void create()} data-testid="new-pbc" title={inScenario ? "A new PBC joins the library of every state" : undefined}>
              + New PBC
            </button>
          </div>
          <input className="search" type="search" placeholder="Search name, domain, team, system" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search PBCs" />
          {inScenario && <p className="library-note">Uses in the future state shown. Drag a card onto a stage to add it there in this state.</p>}
          {pbcs.length === 0 ? (
            <p className="empty-note">
              No Packaged Business Capabilities yet. Create the capabilities that serve this stream (pricing engine, credit scoring, …) with <strong>+ New PBC</strong>, or start a
              model from a PBC catalogue (File › New model), then drag each onto the stages it serves.
            </p>
          ) : shown.length === 0 ? (
            <p className="empty-note">No PBC matches “{query}”.</p>
          ) : (
            <div className="pbc-list">
              {shown.map((p) => (
                <PbcCard
                  key={p.id}
                  pbc={p}
                  uses={uses.get(p.id) ?? 0}
                  note={inScenario ? stateNote(baseUses.get(p.id) ?? 0, uses.get(p.id) ?? 0) : null}
                  currency={cur}
                  selected={selection?.kind === "pbc" && selection.id === p.id}
                  onStart={start}
                  onSelect={select}
                />
              ))}
            </div>
          )}
        </div>
      )}
    </aside>
  );
}

type CardProps = {
  pbc: Pbc;
  uses: number;
  note: string | null;
  currency: string;
  selected: boolean;
  onStart: ReturnType<typeof useDrag>["start"];
  onSelect: (s: { kind: "pbc"; id: string }) => void;
};

/** One card; redrawn only when its PBC, its use count or its selection changes. */
const PbcCard = memo(
  function PbcCard({ pbc: p, uses: n, note, currency, selected, onStart, onSelect }: CardProps) {
    return (
      <div
        className={`pbc-card ${p.kind}`}
        role="button"
        tabIndex={0}
        aria-selected={selected}
        data-testid={`pbc-${p.id}`}
        title="Drag onto a stage to show that this PBC serves it"
        onPointerDown={(e) => onStart({ kind: "pbc", pbc: p.id, label: p.name }, e)}
        onClick={() => onSelect({ kind: "pbc", id: p.id })}
        onKeyDown={(e) => {
          if (e.key === "Enter") onSelect({ kind: "pbc", id: p.id });
        }}
      >
        <span className="bar" />
        <div className="body">
          <div className="name">{p.name}</div>
          <div className="meta">
            <span className={`kind-tag ${p.kind}`}>{KIND_LABEL[p.kind]}</span>
            {p.lifecycle} · <span className="num">{moneyShort(p.annual_run_cost, currency)}/yr</span>
          </div>
          <div className="meta" data-testid={`pbc-uses-${p.id}`}>
            {p.domain ?? "no domain"} · {n === 0 ? "serves no stage" : n === 1 ? "1 stage" : `${n} stages`}
            {note && <span className="state-note"> · {note}</span>}
          </div>
        </div>
      </div>
    );
  },
  (a, b) =>
    a.uses === b.uses && a.note === b.note && a.selected === b.selected && a.currency === b.currency && a.onStart === b.onStart && JSON.stringify(a.pbc) === JSON.stringify(b.pbc),
);
