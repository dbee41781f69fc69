// A stage: its name, team and note, its times, %C&A and people (in a future state these become
// changes of the scenario), what the engine computes for it, the PBCs serving it, and how it
// varies for the simulation.
import { useStore } from "../../state/store";
import { duration, percent, unitSuffix } from "../../format";
import { NumberField, TextField } from "../fields";
import { HelpLink } from "../Help";
import type { Change } from "../../ipc/bindings/Change";
import type { Stage } from "../../ipc/bindings/Stage";
import type { StageMetrics } from "../../ipc/bindings/StageMetrics";
import type { TimeUnit } from "../../ipc/bindings/TimeUnit";
import type { Model } from "../../ipc/bindings/Model";
import { InBaseline, ScenarioNote, useRun } from "./common";
import { VariabilitySection } from "./Variability";
import { follow } from "./variability";

/** The edit of a stage: a whole new stage in the baseline, a change in a future state. Preset
 * variability follows the typical time it was set from. */
function useUpdate(streamId: string, stageId: string) {
  const ws = useStore((s) => s.ws)!;
  const { run, scenarioId, change } = useRun();
  return (patch: Partial<Stage>) => {
    if (scenarioId) {
      const c: Change = { kind: "set_stage", stream: streamId, stage: stageId };
      if ("process_time" in patch) c.process_time = patch.process_time;
      if ("wait_time" in patch) c.wait_time = patch.wait_time;
      if ("pca" in patch) c.pca = patch.pca;
      if ("capacity" in patch) c.capacity = patch.capacity ?? undefined;
      return change(c);
    }
    const old = ws.snapshot.view.model.streams.find((s) => s.id === streamId)?.stages.find((s) => s.id === stageId);
    if (!old) return Promise.resolve(false);
    const next: Stage = { ...old, ...patch };
    if (old.uncertainty && !("uncertainty" in patch)) {
      const u = { ...old.uncertainty };
      u.process = follow(u.process, old.process_time, next.process_time);
      u.wait = follow(u.wait, old.wait_time, next.wait_time);
      if (!u.process) delete u.process;
      if (!u.wait) delete u.wait;
      next.uncertainty = Object.keys(u).length ? u : undefined;
    }
    return run({ type: "update_stage", stream: streamId, stage: next });
  };
}

function Readout({ m, unit }: { m: StageMetrics; unit: TimeUnit }) {
  return (
    <div className="readout num" data-testid="stage-readout">
      <span>
        Lead time here <HelpLink term="lead_time" />
      </span>
      <span>{duration(m.lead_time, unit)}</span>
      <span>… with rework</span>
      <span>{duration(m.expected_lead_time, unit)}</span>
      <span>PBCs add</span>
      <span>
        {duration(m.pbc_process_time, unit)} + {duration(m.pbc_wait_time, unit)} wait
      </span>
      <span>Load</span>
      <span>{m.utilisation === null ? "no capacity set" : percent(m.utilisation)}</span>
      <span>Critical path</span>
      <span>{m.on_critical_path ? "yes" : "no (a parallel branch sets the pace)"}</span>
    </div>
  );
}

function Serving({ model, streamId, stageId, unit }: { model: Model; streamId: string; stageId: string; unit: TimeUnit }) {
  const select = useStore((s) => s.select);
  const chips = model.assignments.filter((a) => a.stream === streamId && a.stage === stageId);
  return (
    <div className="field">
      <span className="lbl">PBCs serving this stage</span>
      {chips.length === 0 ? (
        <span className="hint">Drag a PBC from the library onto the stage.</span>
      ) : (
        <div className="chip-list">
          {chips.map((a) => (
            <button key={a.pbc} className="btn small serving" onClick={() => select({ kind: "assignment", pbc: a.pbc, stream: streamId, stage: stageId })}>
              <span className="name">{model.pbcs.find((x) => x.id === a.pbc)?.name ?? a.pbc}</span>
              <span className="num">
                +{duration(a.process_time, unit)} / +{duration(a.wait_time, unit)} wait
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function StageActions({ streamId, stage, k, count, hasPbcs }: { streamId: string; stage: Stage; k: number; count: number; hasPbcs: number }) {
  const { run } = useRun();
  const remove = useStore((s) => s.remove);
  const select = useStore((s) => s.select);
  const what = hasPbcs > 0 ? `“${stage.name}” and its ${hasPbcs === 1 ? "PBC" : `${hasPbcs} PBCs`}` : `“${stage.name}”`;
  return (
    <div className="actions">
      <button className="btn small" disabled={k === 0} onClick={() => void run({ type: "move_stage", stream: streamId, id: stage.id, index: k - 1 })} title="Move earlier in the stream">
        ← Earlier
      </button>
      <button className="btn small" disabled={k === count - 1} onClick={() => void run({ type: "move_stage", stream: streamId, id: stage.id, index: k + 1 })} title="Move later in the stream">
        Later →
      </button>
      <button
        className="btn small danger"
        data-testid="delete-stage"
        onClick={async () => {
          if (await remove({ type: "delete_stage", stream: streamId, id: stage.id }, what)) select(null);
        }}
      >
        Delete stage
      </button>
    </div>
  );
}

export function StageInspector({ streamId, stageId }: { streamId: string; stageId: string }) {
  const ws = useStore((s) => s.ws)!;
  const presenting = useStore((s) => s.presenting);
  const { scenarioId } = useRun();
  const update = useUpdate(streamId, stageId);
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const metrics = ws.snapshot.scenario?.metrics ?? ws.snapshot.view.metrics;
  const stream = model.streams.find((s) => s.id === streamId);
  const k = stream?.stages.findIndex((s) => s.id === stageId) ?? -1;
  const stage = stream?.stages[k];
  const m = metrics.streams.find((s) => s.id === streamId)?.stages[k];
  if (!stream || !stage || !m) return <p className="empty-note">This stage no longer exists. Undo brings it back.</p>;
  const unit = metrics.unit;
  const u = unitSuffix(unit);
  const locked = presenting || !!scenarioId;
  const pbcs = model.assignments.filter((a) => a.stream === streamId && a.stage === stageId).length;
  return (
    <div className="form" data-testid="stage-inspector">
      <h3>{stage.name}</h3>
      <ScenarioNote />
      <TextField label="Stage name" value={stage.name} required disabled={locked} field="name" onCommit={(v) => update({ name: v })} testId="stage-name" />
      <TextField label="Owning team" value={stage.team} disabled={locked} placeholder="e.g. Underwriting" onCommit={(v) => update({ team: v.trim() === "" ? undefined : v })} />
      <InBaseline what="A stage's name, team, note and variability" />
      <div className="row2">
        <NumberField label="Process time" term="process_time" unit={u} field="process_time" value={stage.process_time} disabled={presenting} onCommit={(v) => update({ process_time: v ?? 0 })} testId="stage-process-time" hint="hands-on, per item" />
        <NumberField label="Wait time" term="wait_time" unit={u} field="wait_time" value={stage.wait_time} disabled={presenting} onCommit={(v) => update({ wait_time: v ?? 0 })} testId="stage-wait-time" hint="before and within" />
      </div>
      <div className="row2">
        <NumberField label="%C&A" term="pca" unit="%" scale={100} field="pca" value={stage.pca} disabled={presenting} onCommit={(v) => update({ pca: v ?? 1 })} testId="stage-pca" hint="passed on complete" />
        <NumberField label="Capacity" unit="people" optional field="capacity" value={stage.capacity ?? null} disabled={presenting} onCommit={(v) => update({ capacity: v ?? undefined })} testId="stage-capacity" hint="blank: not modelled" />
      </div>
      <Readout m={m} unit={unit} />
      <Serving model={model} streamId={streamId} stageId={stageId} unit={unit} />
      <TextField label="Note from the workshop" value={stage.note} disabled={locked} placeholder="what people said about this stage" onCommit={(v) => update({ note: v.trim() === "" ? undefined : v })} testId="stage-note" />
      <VariabilitySection stage={stage} stream={stream} update={update} u={u} disabled={locked} />
      {!locked && <StageActions streamId={streamId} stage={stage} k={k} count={stream.stages.length} hasPbcs={pbcs} />}
    </div>
  );
}
