// The value stream shown (its name, trigger, value, demand and cost of delay; in a future state
// the numbers become changes of the scenario) and the model's own settings. Changing the time
// unit converts every duration through the work calendar unless the user chooses to keep the
// numbers and change only the unit.
import { useStore } from "../../state/store";
import { NumberField, SelectField, TextField } from "../fields";
import { Dialog } from "../Dialog";
import { number } from "../../format";
import type { Stream } from "../../ipc/bindings/Stream";
import type { Model } from "../../ipc/bindings/Model";
import type { Settings } from "../../ipc/bindings/Settings";
import type { TimeUnit } from "../../ipc/bindings/TimeUnit";
import { InBaseline, ScenarioNote, useRun } from "./common";

const UNITS: { value: TimeUnit; label: string }[] = [
  { value: "minutes", label: "Minutes" },
  { value: "hours", label: "Hours" },
  { value: "days", label: "Days" },
  { value: "weeks", label: "Weeks" },
];

function settingsOf(model: Model): Settings {
  return { name: model.name, currency: model.currency, time_unit: model.time_unit, calendar: model.calendar, finance: model.finance, author: model.author, description: model.description };
}

export function StreamInspector({ streamId }: { streamId: string }) {
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
  const setNumber = (key: "demand_per_week" | "cost_of_delay_per_week") => (v: number | null) =>
    scenarioId ? change({ kind: "set_stream", stream: streamId, [key]: v ?? 0 }) : update({ [key]: v ?? 0 });
  return (
    <div className="form" data-testid="stream-inspector">
      <h3>{stream.name}</h3>
      <ScenarioNote />
      <TextField label="Value stream" value={stream.name} required disabled={locked} field="name" onCommit={(v) => update({ name: v })} testId="stream-name" />
      <TextField label="Trigger (the customer's request)" value={stream.trigger} disabled={locked} onCommit={(v) => update({ trigger: v.trim() || undefined })} />
      <TextField label="Value delivered" value={stream.value} disabled={locked} onCommit={(v) => update({ value: v.trim() || undefined })} />
      <InBaseline what="A stream's name, trigger, value and urgency, and the model's settings," />
      <div className="row2">
        <NumberField label="Demand" unit="/ week" field="demand_per_week" value={shown.demand_per_week} disabled={presenting} onCommit={setNumber("demand_per_week")} testId="stream-demand" />
        <NumberField label="Cost of delay" term="cost_of_delay" unit={`${cur}/wk`} field="cost_of_delay_per_week" value={shown.cost_of_delay_per_week} disabled={presenting} onCommit={setNumber("cost_of_delay_per_week")} hint="lost per item per week late" testId="stream-cod" />
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
  const setDialog = useStore((s) => s.setDialog);
  const settings = settingsOf(model);
  const set = (patch: Partial<Settings>) => run({ type: "set_settings", settings: { ...settings, ...patch } });
  return (
    <>
      <h3 className="section">Model</h3>
      <TextField label="Model name" value={model.name} required disabled={disabled} field="name" onCommit={(v) => set({ name: v })} testId="model-name-field" />
      <div className="row2">
        <TextField label="Currency (ISO)" value={model.currency} disabled={disabled} field="currency" onCommit={(v) => set({ currency: v.trim().toUpperCase() })} />
        <SelectField
          label="Time unit"
          value={model.time_unit}
          options={UNITS}
          disabled={disabled}
          testId="time-unit"
          onCommit={async (v) => {
            if (v !== model.time_unit) setDialog("time-unit", v);
            return true;
          }}
        />
      </div>
      <div className="row2">
        <NumberField label="Hours a day" field="hours_per_day" value={model.calendar.hours_per_day} disabled={disabled} onCommit={(v) => set({ calendar: { ...model.calendar, hours_per_day: v ?? 8 } })} />
        <NumberField label="Days a week" field="days_per_week" value={model.calendar.days_per_week} disabled={disabled} onCommit={(v) => set({ calendar: { ...model.calendar, days_per_week: v ?? 5 } })} />
      </div>
      <div className="row2">
        <NumberField label="Discount rate" unit="%" scale={100} field="discount_rate" value={model.finance.discount_rate} disabled={disabled} onCommit={(v) => set({ finance: { ...model.finance, discount_rate: v ?? 0.08 } })} />
        <NumberField label="Horizon" unit="years" field="horizon_years" value={model.finance.horizon_years} disabled={disabled} onCommit={(v) => set({ finance: { ...model.finance, horizon_years: Math.round(v ?? 5) } })} />
      </div>
      <TextField label="Author" value={model.author} disabled={disabled} onCommit={(v) => set({ author: v.trim() || undefined })} />
    </>
  );
}

/** Converting is the default: every duration through the work calendar, one undo step. */
export function TimeUnitDialog() {
  const unit = useStore((s) => (s.dialog === "time-unit" ? (s.dialogArg as TimeUnit) : null));
  const model = useStore((s) => s.ws?.snapshot.view.model);
  const setDialog = useStore((s) => s.setDialog);
  const run = useStore((s) => s.run);
  if (!unit || !model) return null;
  const from = model.time_unit;
  const cal = `${number(model.calendar.hours_per_day)} hours a day, ${number(model.calendar.days_per_week)} days a week`;
  const go = async (convert: boolean) => {
    setDialog(null);
    await run(convert ? { type: "convert_time_unit", time_unit: unit } : { type: "set_settings", settings: { ...settingsOf(model), time_unit: unit } });
  };
  return (
    <Dialog
      title={`Change the time unit from ${from} to ${unit}`}
      onClose={() => setDialog(null)}
      testId="time-unit-dialog"
      actions={
        <>
          <button className="btn" onClick={() => setDialog(null)}>
            Cancel
          </button>
          <button className="btn" onClick={() => void go(false)} data-testid="time-unit-relabel">
            Keep the numbers, change only the unit
          </button>
          <button className="btn primary" onClick={() => void go(true)} data-testid="time-unit-convert">
            Convert every time to {unit}
          </button>
        </>
      }
    >
      <p>
        <strong>Convert</strong> (recommended) turns every duration of the model into {unit} through the work calendar ({cal}): stage and PBC times,
        the simulation&apos;s distributions and the scenarios&apos; changes. Lead time and cost of delay stay what they are. One undo step.
      </p>
      <p className="hint">
        <strong>Keep the numbers</strong> only relabels them: 8 {from} become 8 {unit}, and lead time and cost of delay change with it. Use it when
        the figures were typed in {unit} by mistake.
      </p>
    </Dialog>
  );
}
