// How a stage varies, for the simulator: how much its process and wait times vary (in plain
// presets, or a distribution of one's own), its WIP limit, and where failed items go back to.
// A hand-built model without these simulates with p50 = p85 = p95; the file holds them, so here
// they are edited.
import type { Distribution } from "../../ipc/bindings/Distribution";
import type { Stage } from "../../ipc/bindings/Stage";
import type { Stream } from "../../ipc/bindings/Stream";
import type { Uncertainty } from "../../ipc/bindings/Uncertainty";
import { number } from "../../format";
import { NumberField, SelectField, TextField } from "../fields";
import { PARAMS, PRESETS, presetDistribution, presetOf, startingPoint, type Preset } from "./variability";

type Update = (patch: Partial<Stage>) => Promise<boolean>;

/** The stage's uncertainty with `patch`, or none at all when nothing is left in it. */
export function withUncertainty(stage: Stage, patch: Partial<Uncertainty>): Uncertainty | undefined {
  const u: Uncertainty = { ...(stage.uncertainty ?? {}), ...patch };
  for (const k of Object.keys(u) as (keyof Uncertainty)[]) if (u[k] === undefined) delete u[k];
  return Object.keys(u).length === 0 ? undefined : u;
}

function describe(d: Distribution | undefined, typical: number, u: string): string {
  if (!d) return `always ${number(typical)} ${u}`;
  switch (d.type) {
    case "fixed":
      return `always ${number(d.value)} ${u}`;
    case "uniform":
      return `anywhere from ${number(d.min)} to ${number(d.max)} ${u}`;
    case "triangular":
      return `${number(d.min)} to ${number(d.max)} ${u}, most often ${number(d.mode)}`;
    case "lognormal":
      return `typically ${number(d.median)} ${u}; 1 item in 10 takes over ${number(d.p90)} ${u}`;
    case "empirical":
      return `one of ${d.values.length} observed times`;
  }
}

const TYPES: { value: Distribution["type"]; label: string }[] = [
  { value: "lognormal", label: "Log-normal (typical and 9 in 10)" },
  { value: "triangular", label: "Triangular (least, most often, most)" },
  { value: "uniform", label: "Uniform (least, most)" },
  { value: "fixed", label: "Fixed" },
  { value: "empirical", label: "Observed times" },
];

function Custom({ d, set, u, testId }: { d: Distribution; set: (d: Distribution) => Promise<boolean>; u: string; testId: string }) {
  return (
    <div className="custom-dist" data-testid={`${testId}-custom`}>
      <SelectField label="Kind" value={d.type} options={TYPES} onCommit={(t) => set(startingPoint(t, "median" in d ? d.median : "mode" in d ? d.mode : 1))} />
      {d.type === "empirical" ? (
        <TextField
          label="Observed times, separated by commas"
          value={d.values.map(number).join(", ")}
          onCommit={(v) => set({ type: "empirical", values: v.split(/[;,\s]+/).filter(Boolean).map(Number) })}
        />
      ) : (
        <div className="row2">
          {PARAMS[d.type].map((p) => (
            <NumberField
              key={p.key}
              label={p.label}
              unit={u}
              field={p.key}
              value={(d as unknown as Record<string, number>)[p.key]}
              onCommit={(v) => set({ ...d, [p.key]: v ?? 0 } as Distribution)}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function TimeVariation({ label, which, stage, typical, update, u, disabled }: { label: string; which: "process" | "wait"; stage: Stage; typical: number; update: Update; u: string; disabled: boolean }) {
  const d = stage.uncertainty?.[which];
  const preset = presetOf(d, typical);
  const set = (next: Distribution | undefined) => update({ uncertainty: withUncertainty(stage, { [which]: next }) });
  const choose = (p: Preset) => set(p === "custom" ? startingPoint("lognormal", typical) : presetDistribution(p, typical));
  const testId = `variability-${which}`;
  return (
    <div className="variation">
      <SelectField label={label} value={preset} options={PRESETS} disabled={disabled} onCommit={choose} testId={testId} hint={describe(d, typical, u)} />
      {preset === "custom" && d && !disabled && <Custom d={d} set={set} u={u} testId={testId} />}
    </div>
  );
}

export function VariabilitySection({ stage, stream, update, u, disabled }: { stage: Stage; stream: Stream; update: Update; u: string; disabled: boolean }) {
  const earlier = stream.stages.slice(0, Math.max(0, stream.stages.findIndex((s) => s.id === stage.id)));
  const rework = [{ value: "", label: "Redo this stage" }, ...earlier.map((s) => ({ value: s.id, label: `Back to ${s.name}` }))];
  return (
    <details className="variability" data-testid="variability" open={!!stage.uncertainty}>
      <summary>Variability, for the simulation</summary>
      <p className="hint">
        Real work varies. Without this, every simulated item takes the same time and the 50th, 85th and 95th percentiles come out equal.
      </p>
      <TimeVariation label="Process time" which="process" stage={stage} typical={stage.process_time} update={update} u={u} disabled={disabled} />
      <TimeVariation label="Wait time" which="wait" stage={stage} typical={stage.wait_time} update={update} u={u} disabled={disabled} />
      <div className="row2">
        <NumberField
          label="WIP limit"
          unit="items"
          optional
          field="wip_limit"
          value={stage.uncertainty?.wip_limit ?? null}
          disabled={disabled}
          hint="blank: no limit"
          testId="stage-wip-limit"
          onCommit={(v) => update({ uncertainty: withUncertainty(stage, { wip_limit: v === null ? undefined : Math.round(v) }) })}
        />
        <SelectField
          label="A failed item goes"
          value={stage.uncertainty?.rework_to ?? ""}
          options={rework}
          disabled={disabled}
          field="rework_to"
          testId="stage-rework-to"
          onCommit={(v) => update({ uncertainty: withUncertainty(stage, { rework_to: v === "" ? undefined : v }) })}
        />
      </div>
    </details>
  );
}
