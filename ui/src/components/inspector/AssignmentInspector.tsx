// A PBC at a stage: the time it adds there. In a future state the times, a swap for another PBC
// and a removal become changes of the scenario; after a swap, the inspector says what the PBC
// was swapped for and leads there.
import { useStore } from "../../state/store";
import { unitSuffix } from "../../format";
import { NumberField, TextField } from "../fields";
import type { Model } from "../../ipc/bindings/Model";
import { InBaseline, ScenarioNote, useRun } from "./common";

/** Why a PBC no longer serves a stage in the future state shown, and where it went. */
function Gone({ pbc, streamId, stageId }: { pbc: string; streamId: string; stageId: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const sc = ws.snapshot.scenario;
  const base = ws.snapshot.view.model;
  const name = (id: string) => base.pbcs.find((p) => p.id === id)?.name ?? "another PBC";
  const stage = base.streams.find((s) => s.id === streamId)?.stages.find((s) => s.id === stageId)?.name ?? "this stage";
  const changes = base.scenarios.find((s) => s.id === sc?.id)?.changes ?? [];
  const swap = changes.find((c) => c.kind === "swap_pbc" && c.from === pbc && (!c.stream || c.stream === streamId));
  const removed = changes.some((c) => c.kind === "unassign_pbc" && c.pbc === pbc && c.stage === stageId);
  if (sc && swap && swap.kind === "swap_pbc") {
    return (
      <div className="form" data-testid="assignment-gone">
        <p className="scenario-note">
          In <strong>{sc.name}</strong>, {name(pbc)} was swapped for <strong>{name(swap.to)}</strong> at {stage}.
        </p>
        <button className="btn small primary" onClick={() => select({ kind: "assignment", pbc: swap.to, stream: streamId, stage: stageId })} data-testid="show-replacement">
          Show {name(swap.to)} at {stage}
        </button>
      </div>
    );
  }
  return (
    <p className="empty-note" data-testid="assignment-gone">
      {sc && removed ? `In ${sc.name}, ${name(pbc)} no longer serves ${stage}: the scenario removes it.` : `${name(pbc)} no longer serves ${stage}. Undo brings it back.`}
    </p>
  );
}

function Swap({ model, pbc, streamId, stageId, times }: { model: Model; pbc: string; streamId: string; stageId: string; times: [number, number] }) {
  const { change } = useRun();
  const select = useStore((s) => s.select);
  const others = model.pbcs.filter((x) => x.id !== pbc);
  if (others.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor="swap">Swap for another PBC</label>
      <select
        id="swap"
        value=""
        data-testid="swap-pbc"
        onChange={async (e) => {
          const to = e.target.value;
          if (!to) return;
          const ok = await change({ kind: "swap_pbc", from: pbc, to, stream: streamId, process_time: times[0], wait_time: times[1] });
          if (ok) select({ kind: "assignment", pbc: to, stream: streamId, stage: stageId });
        }}
      >
        <option value="">Choose the replacement…</option>
        {others.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.kind})
          </option>
        ))}
      </select>
      <span className="hint">Swaps it wherever it serves this stream; then set the new times above.</span>
    </div>
  );
}

export function AssignmentInspector({ pbc, streamId, stageId }: { pbc: string; streamId: string; stageId: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const remove = useStore((s) => s.remove);
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const a = model.assignments.find((x) => x.pbc === pbc && x.stream === streamId && x.stage === stageId);
  const p = model.pbcs.find((x) => x.id === pbc);
  const stage = model.streams.find((s) => s.id === streamId)?.stages.find((s) => s.id === stageId);
  if (!a || !p || !stage) return <Gone pbc={pbc} streamId={streamId} stageId={stageId} />;
  const u = unitSuffix(model.time_unit);
  const setTimes = (pt: number, wt: number) =>
    scenarioId ? change({ kind: "assign_pbc", pbc, stream: streamId, stage: stageId, process_time: pt, wait_time: wt }) : run({ type: "update_assignment", assignment: { ...a, process_time: pt, wait_time: wt } });
  const unassign = async () => {
    const ok = scenarioId
      ? await change({ kind: "unassign_pbc", pbc, stream: streamId, stage: stageId })
      : await remove({ type: "unassign", pbc, stream: streamId, stage: stageId }, `${p.name} from ${stage.name}`);
    if (ok) select({ kind: "stage", stream: streamId, id: stageId });
  };
  return (
    <div className="form" data-testid="assignment-inspector">
      <h3>
        {p.name} at {stage.name}
      </h3>
      <ScenarioNote />
      <p className="hint">The time this PBC adds at this stage, on top of the stage&apos;s own work (for example a nightly batch, or manual re-keying).</p>
      <div className="row2">
        <NumberField label="Process time added" term="process_time" unit={u} field="process_time" value={a.process_time} disabled={presenting} onCommit={(v) => setTimes(v ?? 0, a.wait_time)} testId="assignment-process-time" />
        <NumberField label="Wait time added" term="wait_time" unit={u} field="wait_time" value={a.wait_time} disabled={presenting} onCommit={(v) => setTimes(a.process_time, v ?? 0)} testId="assignment-wait-time" />
      </div>
      {!scenarioId && (
        <TextField label="Note" value={a.note} disabled={presenting} placeholder="why it adds this time" onCommit={(v) => run({ type: "update_assignment", assignment: { ...a, note: v.trim() === "" ? undefined : v } })} />
      )}
      {scenarioId && !presenting && <Swap model={model} pbc={pbc} streamId={streamId} stageId={stageId} times={[a.process_time, a.wait_time]} />}
      {scenarioId && <InBaseline what="A PBC's note at a stage" />}
      {!presenting && (
        <div className="actions">
          <button className="btn small" onClick={() => select({ kind: "pbc", id: pbc })}>
            Edit the PBC
          </button>
          <button className="btn small danger" onClick={() => void unassign()} data-testid="remove-assignment">
            Remove from stage
          </button>
        </div>
      )}
    </div>
  );
}
