import { memo, useMemo, useState } from "react";
import { useStore } from "../state/store";
import { moneyShort } from "../format";
import { useDrag } from "./pbcDrag";
import type { Pbc } from "../ipc/bindings/Pbc";

const KIND_LABEL = { legacy: "Legacy", modern: "Modern", saas: "SaaS" } as const;

export function PbcLibrary() {
  // Only the parts of the model the library shows: an edit elsewhere leaves them the same
  // objects (the shell's replies are patches), so the library does not redraw.
  const pbcs = useStore((s) => s.ws?.snapshot.view.model.pbcs);
  const assignments = useStore((s) => s.ws?.snapshot.view.model.assignments);
  const cur = useStore((s) => s.ws?.snapshot.view.model.currency);
  const selection = useStore((s) => s.selection);
  const select = useStore((s) => s.select);
  const run = useStore((s) => s.run);
  const { start } = useDrag();
  const [query, setQuery] = useState("");
  const uses = useMemo(() => {
    const m = new Map<string, number>();
    for (const a of assignments ?? []) m.set(a.pbc, (m.get(a.pbc) ?? 0) + 1);
    return m;
  }, [assignments]);
  if (!pbcs || !cur) return null;
  const q = query.trim().toLowerCase();
  const shown = q
    ? pbcs.filter((p) => [p.name, p.domain ?? "", p.team ?? "", p.kind, p.lifecycle, ...p.systems].some((t) => t.toLowerCase().includes(q)))
    : pbcs;
  const create = async () => {
    const pbc: Pbc = { id: "", name: `New capability ${pbcs.length + 1}`, kind: "modern", lifecycle: "invest", annual_run_cost: 0, systems: [] };
    if (await run({ type: "add_pbc", pbc })) {
      const created = useStore.getState().ws?.snapshot.view.model.pbcs.at(-1);
      if (created) select({ kind: "pbc", id: created.id });
    }
  };
  return (
    <aside className="library" aria-label="PBC library" data-drop="library">
      <div className="panel-head">
        <h2>PBC library</h2>
        <button className="btn small" onClick={() => void create()} data-testid="new-pbc">
          + New PBC
        </button>
      </div>
      <input className="search" type="search" placeholder="Search name, domain, team, system" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search PBCs" />
      {pbcs.length === 0 ? (
        <p className="empty-note">
          No Packaged Business Capabilities yet. Create the capabilities that serve this stream (pricing engine, credit scoring, …) with{" "}
          <strong>+ New PBC</strong>, then drag each onto the stages it serves.
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
              currency={cur}
              selected={selection?.kind === "pbc" && selection.id === p.id}
              onStart={start}
              onSelect={select}
            />
          ))}
        </div>
      )}
    </aside>
  );
}

type CardProps = {
  pbc: Pbc;
  uses: number;
  currency: string;
  selected: boolean;
  onStart: ReturnType<typeof useDrag>["start"];
  onSelect: (s: { kind: "pbc"; id: string }) => void;
};

/** One card; redrawn only when its PBC, its use count or its selection changes. */
const PbcCard = memo(
  function PbcCard({ pbc: p, uses: n, currency, selected, onStart, onSelect }: CardProps) {
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
            {p.lifecycle} · {moneyShort(p.annual_run_cost, currency)}/yr
          </div>
          <div className="meta">
            {p.domain ?? "no domain"} · {n === 0 ? "serves no stage" : n === 1 ? "1 stage" : `${n} stages`}
          </div>
        </div>
      </div>
    );
  },
  (a, b) =>
    a.uses === b.uses && a.selected === b.selected && a.currency === b.currency && a.onStart === b.onStart && JSON.stringify(a.pbc) === JSON.stringify(b.pbc),
);
