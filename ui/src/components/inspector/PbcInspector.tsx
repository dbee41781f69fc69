// A PBC: what it is (the same in every state, edited in the baseline), its run cost (a change of
// the scenario in a future state) and the stages it serves in the state shown.
import { useStore } from "../../state/store";
import { money } from "../../format";
import { NumberField, SelectField, TextField } from "../fields";
import type { Pbc } from "../../ipc/bindings/Pbc";
import type { Model } from "../../ipc/bindings/Model";
import { InBaseline, ScenarioNote, useRun } from "./common";

const KINDS = [
  { value: "legacy", label: "Legacy" },
  { value: "modern", label: "Modern" },
  { value: "saas", label: "SaaS" },
] as const;
const LIFECYCLES = [
  { value: "tolerate", label: "Tolerate" },
  { value: "invest", label: "Invest" },
  { value: "migrate", label: "Migrate" },
  { value: "eliminate", label: "Eliminate" },
] as const;

function Serves({ id, model }: { id: string; model: Model }) {
  const select = useStore((s) => s.select);
  const inScenario = useStore((s) => !!s.scenarioId);
  const serves = model.assignments.filter((a) => a.pbc === id);
  return (
    <div className="field">
      <span className="lbl">Serves{inScenario ? " in this future state" : ""}</span>
      {serves.length === 0 ? (
        <span className="hint">No stage{inScenario ? " in this future state" : " yet"}: drag the card from the library onto a stage. Its run cost counts once it serves one.</span>
      ) : (
        <div className="chip-list">
          {serves.map((a) => {
            const st = model.streams.find((s) => s.id === a.stream);
            const stage = st?.stages.find((x) => x.id === a.stage);
            return (
              <button key={`${a.stream}/${a.stage}`} className="btn small serving" onClick={() => select({ kind: "assignment", pbc: id, stream: a.stream, stage: a.stage })}>
                <span className="name">
                  {st?.name} · {stage?.name}
                </span>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

function PbcActions({ p }: { p: Pbc }) {
  const run = useStore((s) => s.run);
  const remove = useStore((s) => s.remove);
  const select = useStore((s) => s.select);
  const pbcs = useStore((s) => s.ws?.snapshot.view.model.pbcs ?? []);
  const duplicate = async () => {
    let name = `${p.name} (copy)`;
    for (let n = 2; pbcs.some((x) => x.name === name); n++) name = `${p.name} (copy ${n})`;
    if (await run({ type: "add_pbc", pbc: { ...structuredClone(p), id: "", name } })) {
      const made = useStore.getState().ws?.snapshot.view.model.pbcs.at(-1);
      if (made) select({ kind: "pbc", id: made.id });
    }
  };
  return (
    <div className="actions">
      <button className="btn small" onClick={() => void duplicate()} data-testid="duplicate-pbc">
        Duplicate
      </button>
      <button
        className="btn small danger"
        data-testid="delete-pbc"
        onClick={async () => {
          if (await remove({ type: "delete_pbc", id: p.id }, `the PBC “${p.name}”`)) select(null);
        }}
      >
        Delete PBC
      </button>
    </div>
  );
}

export function PbcInspector({ id }: { id: string }) {
  const ws = useStore((s) => s.ws)!;
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const p = ws.snapshot.view.model.pbcs.find((x) => x.id === id);
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const shown = model.pbcs.find((x) => x.id === id) ?? p;
  if (!p || !shown) return <p className="empty-note">This PBC no longer exists. Undo brings it back.</p>;
  const cur = ws.snapshot.view.model.currency;
  const update = (patch: Partial<Pbc>) => run({ type: "update_pbc", pbc: { ...p, ...patch } });
  const locked = presenting || !!scenarioId;
  return (
    <div className="form" data-testid="pbc-inspector">
      <h3>{p.name}</h3>
      <ScenarioNote />
      <InBaseline what="A PBC's name, domain, team, kind, lifecycle and systems" />
      <TextField label="Name" value={p.name} required disabled={locked} field="name" onCommit={(v) => update({ name: v })} testId="pbc-name" />
      <TextField label="Business domain (bounded context)" value={p.domain} disabled={locked} placeholder="e.g. Pricing" onCommit={(v) => update({ domain: v.trim() || undefined })} testId="pbc-domain" />
      <TextField label="Owner team" value={p.team} disabled={locked} onCommit={(v) => update({ team: v.trim() || undefined })} />
      <div className="row2">
        <SelectField label="Kind" value={p.kind} options={[...KINDS]} disabled={locked} onCommit={(v) => update({ kind: v })} testId="pbc-kind" />
        <SelectField label="Lifecycle" value={p.lifecycle} options={[...LIFECYCLES]} disabled={locked} onCommit={(v) => update({ lifecycle: v })} />
      </div>
      <NumberField
        label="Annual run cost"
        unit={cur}
        field="annual_run_cost"
        value={shown.annual_run_cost}
        disabled={presenting}
        testId="pbc-run-cost"
        onCommit={(v) => (scenarioId ? change({ kind: "set_pbc_run_cost", pbc: id, annual_run_cost: v ?? 0 }) : update({ annual_run_cost: v ?? 0 }))}
        hint={scenarioId ? `recorded as a change of this scenario; ${money(shown.annual_run_cost, cur)} a year here` : "counted while it serves at least one stage"}
      />
      <TextField
        label="Microservices and systems behind it"
        value={p.systems.join(", ")}
        disabled={locked}
        placeholder="comma-separated"
        onCommit={(v) => update({ systems: v.split(",").map((s) => s.trim()).filter(Boolean) })}
      />
      <Serves id={id} model={model} />
      {!locked && <PbcActions p={p} />}
    </div>
  );
}
