// The inspector edits what is selected. In the baseline an edit changes the model; with a
// scenario active the same edit becomes a change of that scenario (the engine merges it).
import { useStore } from "../state/store";
import { duration, money, percent, unitSuffix } from "../format";
import { NumberField, SelectField, TextField } from "./fields";
import type { Command } from "../ipc/client";
import type { Change } from "../ipc/bindings/Change";
import type { Pbc } from "../ipc/bindings/Pbc";
import type { Stage } from "../ipc/bindings/Stage";
import type { Stream } from "../ipc/bindings/Stream";
import type { Model } from "../ipc/bindings/Model";
import type { TimeUnit } from "../ipc/bindings/TimeUnit";

function useRun() {
  const run = useStore((s) => s.run);
  const scenarioId = useStore((s) => s.scenarioId);
  const change = (c: Change) => (scenarioId ? run({ type: "upsert_change", scenario: scenarioId, change: c }) : Promise.resolve(false));
  return { run, scenarioId, change };
}

function ScenarioNote() {
  const sc = useStore((s) => s.ws?.snapshot.scenario);
  if (!sc) return null;
  return (
    <div className="scenario-note">
      You are editing the future state <strong>{sc.name}</strong>. Changes here are recorded as changes of this scenario; the
      baseline stays as it is.
    </div>
  );
}

function StageInspector({ streamId, stageId }: { streamId: string; stageId: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const metrics = ws.snapshot.scenario?.metrics ?? ws.snapshot.view.metrics;
  const stream = model.streams.find((s) => s.id === streamId);
  const k = stream?.stages.findIndex((s) => s.id === stageId) ?? -1;
  const stage = stream?.stages[k];
  const m = metrics.streams.find((s) => s.id === streamId)?.stages[k];
  if (!stream || !stage || !m) return <p className="empty-note">This stage no longer exists.</p>;
  const unit = metrics.unit;
  const u = unitSuffix(unit);
  const update = (patch: Partial<Stage>) => {
    if (scenarioId) {
      const c: Change = { kind: "set_stage", stream: streamId, stage: stageId };
      if ("process_time" in patch) c.process_time = patch.process_time;
      if ("wait_time" in patch) c.wait_time = patch.wait_time;
      if ("pca" in patch) c.pca = patch.pca;
      if ("capacity" in patch) c.capacity = patch.capacity ?? undefined;
      return change(c);
    }
    const baseStage = ws.snapshot.view.model.streams.find((s) => s.id === streamId)?.stages.find((s) => s.id === stageId);
    if (!baseStage) return Promise.resolve(false);
    return run({ type: "update_stage", stream: streamId, stage: { ...baseStage, ...patch } });
  };
  const locked = presenting;
  const chips = model.assignments.filter((a) => a.stream === streamId && a.stage === stageId);
  return (
    <div className="form" data-testid="stage-inspector">
      <h3>{stage.name}</h3>
      <ScenarioNote />
      <TextField label="Stage name" value={stage.name} required disabled={locked || !!scenarioId} onCommit={(v) => update({ name: v })} testId="stage-name" />
      <TextField label="Owning team" value={stage.team} disabled={locked || !!scenarioId} placeholder="e.g. Underwriting" onCommit={(v) => update({ team: v.trim() === "" ? undefined : v })} />
      <div className="row2">
        <NumberField label="Process time" unit={u} value={stage.process_time} disabled={locked} onCommit={(v) => update({ process_time: v ?? 0 })} testId="stage-process-time" hint="hands-on, per item" />
        <NumberField label="Wait time" unit={u} value={stage.wait_time} disabled={locked} onCommit={(v) => update({ wait_time: v ?? 0 })} testId="stage-wait-time" hint="before and within" />
      </div>
      <div className="row2">
        <NumberField label="%C&A" unit="%" scale={100} value={stage.pca} disabled={locked} onCommit={(v) => update({ pca: v ?? 1 })} testId="stage-pca" hint="passed on complete" />
        <NumberField label="Capacity" unit="people" optional value={stage.capacity ?? null} disabled={locked} onCommit={(v) => update({ capacity: v ?? undefined })} testId="stage-capacity" hint="blank: not modelled" />
      </div>
      <div className="readout num" data-testid="stage-readout">
        <span>Lead time here</span>
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
      <div className="field">
        <span className="lbl">PBCs serving this stage</span>
        {chips.length === 0 ? (
          <span className="hint">Drag a PBC from the library onto the stage.</span>
        ) : (
          <div className="chip-list">
            {chips.map((a) => {
              const p = model.pbcs.find((x) => x.id === a.pbc);
              return (
                <button key={a.pbc} className="btn small" style={{ justifyContent: "space-between" }} onClick={() => select({ kind: "assignment", pbc: a.pbc, stream: streamId, stage: stageId })}>
                  <span>{p?.name ?? a.pbc}</span>
                  <span className="num">
                    +{duration(a.process_time, unit)} / +{duration(a.wait_time, unit)} wait
                  </span>
                </button>
              );
            })}
          </div>
        )}
      </div>
      {!scenarioId && !locked && (
        <div className="actions">
          <button className="btn small" disabled={k === 0} onClick={() => void run({ type: "move_stage", stream: streamId, id: stageId, index: k - 1 })} title="Move earlier in the stream">
            ← Earlier
          </button>
          <button
            className="btn small"
            disabled={k === stream.stages.length - 1}
            onClick={() => void run({ type: "move_stage", stream: streamId, id: stageId, index: k + 1 })}
            title="Move later in the stream"
          >
            Later →
          </button>
          <button
            className="btn small danger"
            data-testid="delete-stage"
            onClick={async () => {
              if (await run({ type: "delete_stage", stream: streamId, id: stageId })) select(null);
            }}
          >
            Delete stage
          </button>
        </div>
      )}
    </div>
  );
}

function AssignmentInspector({ pbc, streamId, stageId }: { pbc: string; streamId: string; stageId: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const a = model.assignments.find((x) => x.pbc === pbc && x.stream === streamId && x.stage === stageId);
  const p = model.pbcs.find((x) => x.id === pbc);
  const stage = model.streams.find((s) => s.id === streamId)?.stages.find((s) => s.id === stageId);
  if (!a || !p || !stage) return <p className="empty-note">This PBC no longer serves this stage.</p>;
  const u = unitSuffix(model.time_unit);
  const setTimes = (pt: number, wt: number) =>
    scenarioId
      ? change({ kind: "assign_pbc", pbc, stream: streamId, stage: stageId, process_time: pt, wait_time: wt })
      : run({ type: "update_assignment", assignment: { ...a, process_time: pt, wait_time: wt } });
  const remove = async () => {
    const ok = scenarioId
      ? await change({ kind: "unassign_pbc", pbc, stream: streamId, stage: stageId })
      : await run({ type: "unassign", pbc, stream: streamId, stage: stageId });
    if (ok) select({ kind: "stage", stream: streamId, id: stageId });
  };
  const others = model.pbcs.filter((x) => x.id !== pbc);
  return (
    <div className="form" data-testid="assignment-inspector">
      <h3>
        {p.name} at {stage.name}
      </h3>
      <ScenarioNote />
      <p className="hint" style={{ margin: 0, color: "var(--muted)", fontSize: 13 }}>
        The time this PBC adds at this stage, on top of the stage&apos;s own work (for example a nightly batch, or manual re-keying).
      </p>
      <div className="row2">
        <NumberField label="Process time added" unit={u} value={a.process_time} disabled={presenting} onCommit={(v) => setTimes(v ?? 0, a.wait_time)} testId="assignment-process-time" />
        <NumberField label="Wait time added" unit={u} value={a.wait_time} disabled={presenting} onCommit={(v) => setTimes(a.process_time, v ?? 0)} testId="assignment-wait-time" />
      </div>
      {!scenarioId && (
        <TextField label="Note" value={a.note} disabled={presenting} placeholder="why it adds this time" onCommit={(v) => run({ type: "update_assignment", assignment: { ...a, note: v.trim() === "" ? undefined : v } })} />
      )}
      {scenarioId && others.length > 0 && (
        <div className="field">
          <label htmlFor="swap">Swap for another PBC</label>
          <select
            id="swap"
            value=""
            data-testid="swap-pbc"
            onChange={async (e) => {
              if (!e.target.value) return;
              const ok = await change({ kind: "swap_pbc", from: pbc, to: e.target.value, stream: streamId, process_time: a.process_time, wait_time: a.wait_time });
              if (ok) select({ kind: "assignment", pbc: e.target.value, stream: streamId, stage: stageId });
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
      )}
      {!presenting && (
        <div className="actions">
          <button className="btn small" onClick={() => select({ kind: "pbc", id: pbc })}>
            Edit the PBC
          </button>
          <button className="btn small danger" onClick={() => void remove()} data-testid="remove-assignment">
            Remove from stage
          </button>
        </div>
      )}
    </div>
  );
}

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

function PbcInspector({ id }: { id: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const p = ws.snapshot.view.model.pbcs.find((x) => x.id === id);
  const shown = ws.snapshot.scenario?.model.pbcs.find((x) => x.id === id) ?? p;
  if (!p || !shown) return <p className="empty-note">This PBC no longer exists.</p>;
  const cur = ws.snapshot.view.model.currency;
  const update = (patch: Partial<Pbc>) => run({ type: "update_pbc", pbc: { ...p, ...patch } });
  const serves = ws.snapshot.view.model.assignments.filter((a) => a.pbc === id);
  const locked = presenting || !!scenarioId;
  return (
    <div className="form" data-testid="pbc-inspector">
      <h3>{p.name}</h3>
      <ScenarioNote />
      <TextField label="Name" value={p.name} required disabled={locked} onCommit={(v) => update({ name: v })} testId="pbc-name" />
      <TextField label="Business domain (bounded context)" value={p.domain} disabled={locked} placeholder="e.g. Pricing" onCommit={(v) => update({ domain: v.trim() || undefined })} />
      <TextField label="Owner team" value={p.team} disabled={locked} onCommit={(v) => update({ team: v.trim() || undefined })} />
      <div className="row2">
        <SelectField label="Kind" value={p.kind} options={[...KINDS]} disabled={locked} onCommit={(v) => update({ kind: v })} testId="pbc-kind" />
        <SelectField label="Lifecycle" value={p.lifecycle} options={[...LIFECYCLES]} disabled={locked} onCommit={(v) => update({ lifecycle: v })} />
      </div>
      <NumberField
        label="Annual run cost"
        unit={cur}
        value={shown.annual_run_cost}
        disabled={presenting}
        onCommit={(v) => (scenarioId ? change({ kind: "set_pbc_run_cost", pbc: id, annual_run_cost: v ?? 0 }) : update({ annual_run_cost: v ?? 0 }))}
        hint={scenarioId ? "recorded as a change of this scenario" : "counted while it serves at least one stage"}
      />
      <TextField
        label="Microservices and systems behind it"
        value={p.systems.join(", ")}
        disabled={locked}
        placeholder="comma-separated"
        onCommit={(v) =>
          update({
            systems: v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          })
        }
      />
      <div className="field">
        <span className="lbl">Serves</span>
        {serves.length === 0 ? (
          <span className="hint">No stage yet: drag the card from the library onto a stage. Its run cost counts once it serves one.</span>
        ) : (
          <div className="chip-list">
            {serves.map((a) => {
              const st = ws.snapshot.view.model.streams.find((s) => s.id === a.stream);
              const stage = st?.stages.find((x) => x.id === a.stage);
              return (
                <button key={`${a.stream}/${a.stage}`} className="btn small" style={{ justifyContent: "flex-start" }} onClick={() => select({ kind: "assignment", pbc: id, stream: a.stream, stage: a.stage })}>
                  {st?.name} · {stage?.name}
                </button>
              );
            })}
          </div>
        )}
      </div>
      {!locked && (
        <div className="actions">
          <button
            className="btn small danger"
            onClick={async () => {
              if (await run({ type: "delete_pbc", id })) select(null);
            }}
          >
            Delete PBC
          </button>
        </div>
      )}
      <div className="hint" style={{ color: "var(--muted)", fontSize: 12 }}>
        Run cost now {money(shown.annual_run_cost, cur)} a year.
      </div>
    </div>
  );
}

const UNITS: { value: TimeUnit; label: string }[] = [
  { value: "minutes", label: "Minutes" },
  { value: "hours", label: "Hours" },
  { value: "days", label: "Days" },
  { value: "weeks", label: "Weeks" },
];

function StreamInspector({ streamId }: { streamId: string }) {
  const ws = useStore((s) => s.ws)!;
  const presenting = useStore((s) => s.presenting);
  const { run, scenarioId, change } = useRun();
  const base = ws.snapshot.view.model;
  const stream = base.streams.find((s) => s.id === streamId);
  const shown = (ws.snapshot.scenario?.model ?? base).streams.find((s) => s.id === streamId);
  if (!stream || !shown) return null;
  const cur = base.currency;
  const update = (patch: Partial<Stream>) => run({ type: "update_stream", stream: { ...stream, ...patch, stages: [], edges: [] } });
  const locked = presenting || !!scenarioId;
  return (
    <div className="form" data-testid="stream-inspector">
      <h3>{stream.name}</h3>
      <ScenarioNote />
      <TextField label="Value stream" value={stream.name} required disabled={locked} onCommit={(v) => update({ name: v })} testId="stream-name" />
      <TextField label="Trigger (the customer's request)" value={stream.trigger} disabled={locked} onCommit={(v) => update({ trigger: v.trim() || undefined })} />
      <TextField label="Value delivered" value={stream.value} disabled={locked} onCommit={(v) => update({ value: v.trim() || undefined })} />
      <div className="row2">
        <NumberField
          label="Demand"
          unit="/ week"
          value={shown.demand_per_week}
          disabled={presenting}
          onCommit={(v) => (scenarioId ? change({ kind: "set_stream", stream: streamId, demand_per_week: v ?? 0 }) : update({ demand_per_week: v ?? 0 }))}
          testId="stream-demand"
        />
        <NumberField
          label="Cost of delay"
          unit={`${cur}/wk`}
          value={shown.cost_of_delay_per_week}
          disabled={presenting}
          onCommit={(v) => (scenarioId ? change({ kind: "set_stream", stream: streamId, cost_of_delay_per_week: v ?? 0 }) : update({ cost_of_delay_per_week: v ?? 0 }))}
          hint="lost per item per week late"
          testId="stream-cod"
        />
      </div>
      <SelectField
        label="Urgency profile"
        value={stream.urgency.profile}
        disabled={locked}
        options={[
          { value: "standard", label: "Standard" },
          { value: "urgent", label: "Urgent, long-life" },
          { value: "fixed_date", label: "Fixed date" },
          { value: "intangible", label: "Intangible" },
        ]}
        onCommit={(v) => update({ urgency: v === "fixed_date" ? { profile: "fixed_date" } : v === "intangible" ? { profile: "intangible" } : { profile: v } })}
      />
      {!scenarioId && <ModelSettings model={base} disabled={presenting} />}
    </div>
  );
}

function ModelSettings({ model, disabled }: { model: Model; disabled: boolean }) {
  const run = useStore((s) => s.run);
  const settings = {
    name: model.name,
    currency: model.currency,
    time_unit: model.time_unit,
    calendar: model.calendar,
    finance: model.finance,
    author: model.author,
    description: model.description,
  };
  const set = (patch: Partial<typeof settings>) => run({ type: "set_settings", settings: { ...settings, ...patch } } as Command);
  return (
    <>
      <h3 style={{ marginTop: 14 }}>Model</h3>
      <TextField label="Model name" value={model.name} required disabled={disabled} onCommit={(v) => set({ name: v })} testId="model-name-field" />
      <div className="row2">
        <TextField label="Currency (ISO)" value={model.currency} disabled={disabled} onCommit={(v) => set({ currency: v.trim().toUpperCase() })} />
        <SelectField label="Time unit" value={model.time_unit} options={UNITS} disabled={disabled} onCommit={(v) => set({ time_unit: v })} />
      </div>
      <div className="row2">
        <NumberField label="Hours a day" value={model.calendar.hours_per_day} disabled={disabled} onCommit={(v) => set({ calendar: { ...model.calendar, hours_per_day: v ?? 8 } })} />
        <NumberField label="Days a week" value={model.calendar.days_per_week} disabled={disabled} onCommit={(v) => set({ calendar: { ...model.calendar, days_per_week: v ?? 5 } })} />
      </div>
      <div className="row2">
        <NumberField label="Discount rate" unit="%" scale={100} value={model.finance.discount_rate} disabled={disabled} onCommit={(v) => set({ finance: { ...model.finance, discount_rate: v ?? 0.08 } })} />
        <NumberField label="Horizon" unit="years" value={model.finance.horizon_years} disabled={disabled} onCommit={(v) => set({ finance: { ...model.finance, horizon_years: Math.round(v ?? 5) } })} />
      </div>
      <TextField label="Author" value={model.author} disabled={disabled} onCommit={(v) => set({ author: v.trim() || undefined })} />
    </>
  );
}

function EdgeInspector({ streamId, from, to }: { streamId: string; from: string; to: string }) {
  const ws = useStore((s) => s.ws)!;
  const select = useStore((s) => s.select);
  const { run, scenarioId } = useRun();
  const stream = ws.snapshot.view.model.streams.find((s) => s.id === streamId);
  const name = (id: string) => stream?.stages.find((s) => s.id === id)?.name ?? id;
  const explicit = stream?.edges.some((e) => e.from === from && e.to === to) ?? false;
  return (
    <div className="form">
      <h3>
        {name(from)} → {name(to)}
      </h3>
      <p className="empty-note" style={{ padding: 0 }}>
        {explicit
          ? "Work flows along this arrow. Remove it to split the flow, or draw new arrows between the stages' handles to add parallel branches."
          : "This stream is drawn as a line in the order of its stages. Draw an arrow from one stage's right handle to another's left handle to add a parallel branch."}
      </p>
      {explicit && !scenarioId && (
        <div className="actions">
          <button
            className="btn small danger"
            onClick={async () => {
              if (await run({ type: "disconnect", stream: streamId, from, to })) select(null);
            }}
          >
            Remove arrow
          </button>
        </div>
      )}
    </div>
  );
}

export function Inspector() {
  const sel = useStore((s) => s.selection);
  const streamId = useStore((s) => s.streamId);
  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="panel-head">
        <h2>{sel ? sel.kind === "assignment" ? "PBC at stage" : sel.kind === "pbc" ? "PBC" : sel.kind === "edge" ? "Flow" : "Stage" : "Stream"}</h2>
      </div>
      {sel?.kind === "stage" && <StageInspector key={`${sel.stream}/${sel.id}`} streamId={sel.stream} stageId={sel.id} />}
      {sel?.kind === "assignment" && <AssignmentInspector key={`${sel.pbc}/${sel.stream}/${sel.stage}`} pbc={sel.pbc} streamId={sel.stream} stageId={sel.stage} />}
      {sel?.kind === "pbc" && <PbcInspector key={sel.id} id={sel.id} />}
      {sel?.kind === "edge" && <EdgeInspector streamId={sel.stream} from={sel.from} to={sel.to} />}
      {!sel && streamId && <StreamInspector key={streamId} streamId={streamId} />}
      {!sel && !streamId && <p className="empty-note">Add a value stream to start.</p>}
    </aside>
  );
}
