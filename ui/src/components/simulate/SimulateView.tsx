// The Simulate view (issue 5): many work items run through the active stream, baseline and (with
// a scenario active) the scenario beside it with the same random numbers; lead-time
// distributions, the headline, throughput, rework, flow efficiency, the cost of delay as a range
// and the stages' queues. Runs show progress and can be cancelled; a result is marked stale once
// the model changes. Every figure is the engine's (tributary-sim through ipc.simulate).
import { useState, type FormEvent, type ReactNode } from "react";
import { useStore } from "../../state/store";
import { duration, grouped, moneyShort, number, percent } from "../../format";
import { Delta } from "../KpiStrip";
import type { ApiError, Workspace } from "../../ipc/client";
import type { Model } from "../../ipc/bindings/Model";
import type { Problem } from "../../ipc/bindings/Problem";
import type { StreamSimulation } from "../../ipc/bindings/StreamSimulation";
import type { StreamSimComparison } from "../../ipc/bindings/StreamSimComparison";
import type { StageSimulation } from "../../ipc/bindings/StageSimulation";
import type { Estimate } from "../../ipc/bindings/Estimate";
import type { TimeUnit } from "../../ipc/bindings/TimeUnit";
import { Histogram, type Series } from "./Histogram";
import { DEFAULT_SETTINGS, MAX_ITEMS_TOTAL, fingerprint, runKey, useSim, type Job, type Outcome, type Run, type RunSettings } from "./simStore";
import "./simulate.css";

export function SimulateView() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const scenarioId = useStore((s) => s.scenarioId);
  const setView = useStore((s) => s.setView);
  const runs = useSim((s) => s.runs);
  const outcomes = useSim((s) => s.outcomes);
  const job = useSim((s) => s.job);
  if (!ws) return null;
  const model = ws.snapshot.view.model;
  const stream = model.streams.find((s) => s.id === streamId);
  if (!stream) {
    return (
      <section className="page simulate" aria-label="Simulate" data-testid="simulate">
        <h2>Simulate a value stream</h2>
        <div className="card sim-empty" data-testid="sim-empty">
          This model has no value stream yet. Add one with <strong>+ Stream</strong> above, give it stages on the map, then come back to
          simulate it.
        </div>
      </section>
    );
  }
  const scenario = ws.snapshot.scenario ?? null;
  const key = runKey(stream.id, scenarioId);
  const run = runs[key];
  const outcome = outcomes[key];
  const stale = run ? run.fingerprint !== fingerprint(ws, scenarioId) : false;
  // runs of this stream whose scenario has since been deleted
  const orphans = Object.values(runs).filter((r) => r.stream === stream.id && r.scenario && !model.scenarios.some((s) => s.id === r.scenario));

  return (
    <section className="page simulate" aria-label="Simulate" data-testid="simulate">
      <h2>Simulate {stream.name}</h2>
      <p className="lead">
        Runs thousands of work items through the stream: they arrive at {number(stream.demand_per_week)} a week, queue where a stage&apos;s
        people are busy and go round again where %C&amp;A fails. The spread of their lead times says how sure a promise is
        {scenario ? (
          <>
            ; <strong>{scenario.name}</strong> runs beside the baseline with the same random numbers, so the difference is the
            scenario&apos;s, not chance.
          </>
        ) : (
          "."
        )}
      </p>
      {stream.stages.length === 0 ? (
        <div className="card sim-empty" data-testid="sim-empty">
          <strong>{stream.name}</strong> has no stages yet, so there is nothing to simulate. Add its stages on the map, with their times,
          %C&amp;A and the people who do the work (capacity); then run the simulation here.
          <div className="actions" style={{ marginTop: 12 }}>
            <button className="btn primary" onClick={() => setView("map")}>
              Go to the map
            </button>
          </div>
        </div>
      ) : (
        <>
          <RunBar job={job} what={scenario ? `the baseline and “${scenario.name}”` : "the baseline"} last={run?.settings} />
          <Outcomes orphans={orphans} outcome={outcome} hasRun={!!run} ws={ws} streamId={stream.id} scenarioId={scenarioId} />
          {run ? (
            <Results run={run} stale={stale} />
          ) : (
            !job &&
            !outcome && (
              <div className="card sim-empty" data-testid="sim-not-run">
                Not simulated yet. Press <strong>Run simulation</strong>: with the settings above it takes about a second.
              </div>
            )
          )}
        </>
      )}
    </section>
  );
}

/** What became of the last run: its scenario gone, cancelled, or refused. */
function Outcomes({ orphans, outcome, hasRun, ws, streamId, scenarioId }: { orphans: Run[]; outcome: Outcome | undefined; hasRun: boolean; ws: Workspace; streamId: string; scenarioId: string | null }) {
  return (
    <>
          {orphans.map((r) => (
            <div className="sim-note" key={r.scenario} data-testid="sim-scenario-gone">
              The scenario simulated last, “{r.result.kind === "comparison" ? r.result.comparison.scenario_name : r.scenario}”, no longer
              exists in this model, so its results are not shown. Pick another scenario at the top right, or run the baseline.
            </div>
          ))}
          {outcome?.kind === "cancelled" && (
            <div className="sim-note" data-testid="sim-cancelled">
              Simulation cancelled; nothing was changed.{hasRun ? " The results below are from the run before." : ""} Run again when you are
              ready.
            </div>
          )}
          {outcome?.kind === "error" && (
            <SimError error={outcome.error} ws={ws} streamId={streamId} changed={outcome.fingerprint !== fingerprint(ws, scenarioId)} />
          )}
    </>
  );
}

// ---- run controls --------------------------------------------------------------------------

type Drafts = { items: string; runs: string; seed: string };

/** A count as people type it: "5000", "5,000", "5 000" or "5.000" (groups of three); else null. */
export function wholeNumber(text: string): number | null {
  const t = text.trim();
  const digits = /^\d+$/.test(t) ? t : /^\d{1,3}([,. '\u2009_]\d{3})+$/.test(t) ? t.replace(/\D/g, "") : null;
  if (digits === null) return null;
  const v = Number(digits);
  return Number.isSafeInteger(v) ? v : null;
}

function check(d: Drafts): { settings: RunSettings | null; errors: Partial<Record<keyof Drafts, string>> } {
  const errors: Partial<Record<keyof Drafts, string>> = {};
  const int = (k: keyof Drafts, min: number) => {
    const v = wholeNumber(d[k]);
    if (v === null || v < min) {
      errors[k] = `a whole number, at least ${min}`;
      return null;
    }
    return v;
  };
  const items = int("items", 2);
  const runs = int("runs", 1);
  const seed = int("seed", 0);
  if (items !== null && runs !== null && items * runs > MAX_ITEMS_TOTAL) errors.runs = `at most ${grouped(MAX_ITEMS_TOTAL)} items in all`;
  if (items === null || runs === null || seed === null || Object.keys(errors).length > 0) return { settings: null, errors };
  return { settings: { items, runs, seed }, errors };
}

function RunBar({ job, what, last }: { job: Job | null; what: string; last: RunSettings | undefined }) {
  const start = useSim((s) => s.start);
  const cancel = useSim((s) => s.cancel);
  const initial = last ?? DEFAULT_SETTINGS;
  const [d, setD] = useState<Drafts>({ items: String(initial.items), runs: String(initial.runs), seed: String(initial.seed) });
  const { settings, errors } = check(d);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (settings && !job) void start(settings);
  };
  const field = (k: keyof Drafts, label: string, hint: string) => (
    <div className={errors[k] ? "field invalid" : "field"}>
      <label htmlFor={`sim-${k}`}>{label}</label>
      <input
        id={`sim-${k}`}
        inputMode="numeric"
        value={d[k]}
        onChange={(e) => setD({ ...d, [k]: e.target.value })}
        disabled={!!job}
        data-testid={`sim-${k}`}
      />
      {errors[k] ? <span className="error">{errors[k]}</span> : <span className="hint">{hint}</span>}
    </div>
  );
  const share = job?.progress && job.progress.total > 0 ? Math.min(1, job.progress.done / job.progress.total) : 0;
  const pct = Math.floor(share * 100);
  return (
    <form className="card sim-run" onSubmit={submit} aria-label="Run the simulation">
      <div className="sim-controls">
        {field("items", "Items per run", "measured after a warm-up")}
        {field("runs", "Runs", "their spread gives the ±")}
        <details className="sim-advanced">
          <summary>Advanced</summary>
          {field("seed", "Seed", "same seed, same result")}
        </details>
        <div className="sim-go">
          <button type="submit" className="btn primary" disabled={!settings || !!job} data-testid="sim-run">
            Run simulation
          </button>
          <span className="hint">
            {settings ? `${grouped(settings.items * settings.runs)} items through ${what}` : "check the settings"}
          </span>
        </div>
      </div>
      {job && (
        <div className="sim-progress" data-testid="sim-progress" role="status">
          <div
            className="track"
            role="progressbar"
            aria-label="Simulation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <i style={{ width: `${share * 100}%` }} />
          </div>
          <span className="num pct" data-testid="sim-progress-pct">
            {pct} %
          </span>
          <span className="what">{job.cancelling ? "Stopping…" : job.progress ? "Simulating…" : "Starting…"}</span>
          <button type="button" className="btn" onClick={() => void cancel()} disabled={job.cancelling} data-testid="sim-cancel">
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}

// ---- errors -----------------------------------------------------------------------------------

/** The stream and stage a finding's path points at (`streams[0].stages[2].capacity`). */
function where(path: string, model: Model): { stream?: string; streamName?: string; stage?: string; stageName?: string } {
  const m = /^streams\[(\d+)\](?:\.stages\[(\d+)\])?/.exec(path);
  if (!m) return {};
  const stream = model.streams[Number(m[1])];
  const stage = m[2] === undefined ? undefined : stream?.stages[Number(m[2])];
  return { stream: stream?.id, streamName: stream?.name, stage: stage?.id, stageName: stage?.name };
}

function SimError({ error, ws, streamId, changed }: { error: ApiError; ws: Workspace; streamId: string; changed: boolean }) {
  const select = useStore((s) => s.select);
  // findings about a scenario point into the model with the scenario applied
  const model = ws.snapshot.scenario?.model ?? ws.snapshot.view.model;
  const since = changed ? (
    <p className="sim-since" data-testid="sim-error-changed">
      The model changed since this check. Run again to see whether that settles it.
    </p>
  ) : null;
  if (error.code === "not_found") {
    return (
      <div className="card sim-error" data-testid="sim-error">
        <h3>Nothing to simulate there any more</h3>
        <p>{(error.plain || error.message).replace(/\.?$/, ".")}</p>
        <p className="hint">Pick a scenario that exists at the top right, or switch back to the baseline, and run again.</p>
        {since}
      </div>
    );
  }
  const problems = [...error.problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return (
    <div className="card sim-error" data-testid="sim-error">
      <h3>{problems.length > 0 ? "The simulator cannot run this model as it is" : "The simulation did not run"}</h3>
      {problems.length === 0 ? (
        <p>{error.plain || error.message}</p>
      ) : (
        <>
          <p className="hint">
            Fix what is listed here, on the map or in the inspector (select the stage), then run again. Nothing was simulated.
          </p>
          <ul className="sim-problems">
            {problems.map((p: Problem, i) => {
              const w = where(p.path, model);
              return (
                <li key={i} className={p.severity} data-testid="sim-problem">
                  <span className={`sev ${p.severity}`}>{p.severity === "error" ? "Error" : "Warning"}</span>
                  <div>
                    {w.stageName ? (
                      <strong data-testid="sim-problem-stage">{w.stageName}</strong>
                    ) : w.streamName ? (
                      <strong>{w.streamName}</strong>
                    ) : null}
                    <p>{p.plain || p.message}</p>
                  </div>
                  {w.stage && w.stream === streamId && (
                    <button
                      type="button"
                      className="btn small"
                      onClick={() => select({ kind: "stage", stream: w.stream!, id: w.stage! })}
                      data-testid="sim-problem-select"
                    >
                      Edit {w.stageName}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {since}
    </div>
  );
}

// ---- results ------------------------------------------------------------------------------------

type Shown = {
  unit: TimeUnit;
  currency: string;
  base: StreamSimulation;
  scen: StreamSimulation | null;
  cmp: StreamSimComparison | null;
  scenarioName: string | null;
  notes: string[];
  warnings: Problem[];
};

function shown(run: Run): Shown | null {
  const r = run.result;
  if (r.kind === "baseline") {
    const base = r.simulation.streams.find((s) => s.id === run.stream);
    if (!base) return null;
    const sim = r.simulation;
    return { unit: sim.unit, currency: sim.currency, base, scen: null, cmp: null, scenarioName: null, notes: [], warnings: sim.warnings };
  }
  const c = r.comparison;
  const cmp = c.streams.find((s) => s.id === run.stream);
  if (!cmp) return null;
  return {
    unit: c.unit,
    currency: c.currency,
    base: cmp.baseline,
    scen: cmp.scenario,
    cmp,
    scenarioName: c.scenario_name,
    notes: c.notes,
    warnings: c.warnings,
  };
}

/** The sentence for a baseline alone, from the engine's numbers. */
function baselineSentence(s: StreamSimulation, unit: TimeUnit): string {
  return `85 % of items within ${duration(s.lead_time.p85, unit)}; half within ${duration(s.lead_time.p50, unit)}`;
}

const pts = (v: number) => `${number(v * 100)} pts`;

/** "± 1.2 pts over the runs": two standard errors, about a 95 % interval (as the CLI). */
function plusMinus(e: Estimate, format: (v: number) => string): string {
  return e.std_error !== undefined && e.std_error > 0 ? `± ${format(2 * e.std_error)} over the runs` : "one run: no spread";
}

/** A scenario's name for a chart label: up to its first colon ("Future state: cloud ..."). */
function shortName(name: string | null): string {
  const head = (name ?? "Scenario").split(":")[0]!.trim();
  return head === "" ? "Scenario" : head;
}

/**
 * A change between two of the engine's means, or the plain statement that the runs cannot tell
 * them apart: within two standard errors of each (combined as if independent, which the common
 * random numbers make cautious) a difference is run-to-run noise, not the scenario's effect.
 */
function EstimateChange({ before, after, betterWhen, format, was }: { before: Estimate; after: Estimate; betterWhen: "lower" | "higher"; format: (v: number) => string; was: (v: number) => string }) {
  const d = after.value - before.value;
  const se = before.std_error !== undefined && after.std_error !== undefined ? Math.hypot(before.std_error, after.std_error) : null;
  return (
    <>
      {se !== null && Math.abs(d) <= 2 * se ? (
        <span className="delta same" title="Within two standard errors: the runs cannot tell this from chance">
          ≈ unchanged
        </span>
      ) : (
        <Delta before={before.value} after={after.value} betterWhen={betterWhen} format={format} />
      )}{" "}
      <span className="was">from {was(before.value)}</span>
    </>
  );
}

/** "EUR 1.2m–1.5m": a range of money with the currency once. */
function moneyRange(a: number, b: number, cur: string): string {
  return `${moneyShort(a, cur)}–${moneyShort(b, "").trim()}`;
}

function Stale({ run }: { run: Run }) {
  const start = useSim((s) => s.start);
  const job = useSim((s) => s.job);
  return (
    <div className="sim-stale" data-testid="sim-stale" role="status">
      <span>
        <strong>The model changed since this run</strong> - these numbers are for the model as it was. Run again to see the model as it is.
      </span>
      <button className="btn primary small" disabled={!!job} onClick={() => void start(run.settings)} data-testid="sim-rerun">
        Run again
      </button>
    </div>
  );
}

function Headline({ run, v }: { run: Run; v: Shown }) {
  const { unit, base, scen, cmp } = v;
  const time = (x: number) => duration(x, unit);
  return (
    <div className="card sim-headline">
      <div className="sentence" data-testid="sim-headline">
        {cmp ? cmp.headline : baselineSentence(base, unit)}
      </div>
      <div className="meta">
        {cmp ? (
          <>
            <strong>{v.scenarioName}</strong> against the baseline, with the same random numbers ·{" "}
          </>
        ) : (
          <>Baseline · </>
        )}
        {run.settings.runs} runs × {grouped(run.settings.items)} items, seed {run.settings.seed}, after {grouped(base.warmup_items)} warm-up items · paper map{" "}
        {time(base.analytic_lead_time)}, {time(base.analytic_expected_lead_time)} with rework
        {scen ? ` (scenario ${time(scen.analytic_lead_time)}, ${time(scen.analytic_expected_lead_time)})` : ""}
      </div>
    </div>
  );
}

function LeadTimes({ run, v }: { run: Run; v: Shown }) {
  const { unit, base, scen, cmp } = v;
  const items = run.settings.items * run.settings.runs;
  const series: Series[] = [{ id: "baseline", label: "Baseline", bins: base.lead_time_histogram, lead: base.lead_time, analytic: base.analytic_lead_time }];
  if (scen) series.push({ id: "scenario", label: shortName(v.scenarioName), bins: scen.lead_time_histogram, lead: scen.lead_time, analytic: scen.analytic_lead_time });
  const binWidth = (base.lead_time_histogram[0]?.to ?? 0) - (base.lead_time_histogram[0]?.from ?? 0);
  return (
    <div className="card">
      <h3>
        Lead times of {grouped(items)} simulated items{scen ? ", baseline and scenario on the same bars" : ""}
      </h3>
      <p className="sim-sub">
        Share of items per bar of {duration(binWidth, unit)}
        {scen ? "; baseline solid, scenario hatched" : ""}; lines at the 50th, 85th and 95th percentiles; ▲ the paper map&apos;s lead time (no queues, no rework).
      </p>
      <Histogram series={series} unit={unit} title={`Histogram of simulated lead times. ${cmp ? cmp.headline : baselineSentence(base, unit)}.`} />
    </div>
  );
}

function Figure({ label, q, testId, value, sub, className = "v num" }: { label: string; q: string; testId: string; value: ReactNode; sub: ReactNode; className?: string }) {
  return (
    <div className="card">
      <div className="l">
        {label} <span className="q">{q}</span>
      </div>
      <div className={className} data-testid={testId}>
        {value}
      </div>
      <div className="s num" data-testid={`${testId}-change`}>
        {sub}
      </div>
    </div>
  );
}

function Percentiles({ v }: { v: Shown }) {
  const { unit, base, scen } = v;
  const now = scen ?? base;
  const time = (x: number) => duration(x, unit);
  const Q = { p50: "half of the items within", p85: "85 % within", p95: "95 % within" } as const;
  const alone = { p50: `mean ${time(base.lead_time.mean)}`, p85: `map with rework ${time(base.analytic_expected_lead_time)}`, p95: `slowest ${time(base.lead_time.max)}` };
  return (
    <>
      {(["p50", "p85", "p95"] as const).map((p) => (
        <Figure
          key={p}
          label={`Lead time ${p}`}
          q={Q[p]}
          testId={`sim-${p}`}
          value={time(now.lead_time[p])}
          sub={
            scen ? (
              <>
                <Delta before={base.lead_time[p]} after={scen.lead_time[p]} betterWhen="lower" format={time} /> <span className="was">from {time(base.lead_time[p])}</span>
              </>
            ) : (
              alone[p]
            )
          }
        />
      ))}
    </>
  );
}

function Figures({ v }: { v: Shown }) {
  const { currency: cur, base, scen, cmp } = v;
  const now = scen ?? base;
  const saved = cmp?.annual_delay_cost_saved;
  return (
    <div className="big-figures sim-figures">
      <Percentiles v={v} />
      <Figure
        label="Cost of delay a year"
        q="at the p50 to p85 lead time"
        testId="sim-delay-cost"
        className="v num sim-range"
        value={moneyRange(now.annual_delay_cost.p50, now.annual_delay_cost.p85, cur)}
        sub={
          saved ? (
            <span className={`delta ${saved.p85 >= 0 ? "good" : "bad"}`}>
              {saved.p85 >= 0 ? "▼ saves" : "▲ adds"} {moneyRange(Math.abs(saved.p50), Math.abs(saved.p85), cur)}
            </span>
          ) : (
            `${moneyShort(base.annual_delay_cost.mean, cur)} at the mean`
          )
        }
      />
      <Figure
        label="Throughput"
        q="items done a week"
        testId="sim-throughput"
        value={number(now.throughput_per_week.value)}
        sub={scen ? <EstimateChange before={base.throughput_per_week} after={scen.throughput_per_week} betterWhen="higher" format={number} was={number} /> : `demand ${number(base.demand_per_week)} a week`}
      />
      <Figure
        label="Reworked"
        q="failed %C&A once or more"
        testId="sim-reworked"
        value={percent(now.reworked_share.value)}
        sub={scen ? <EstimateChange before={base.reworked_share} after={scen.reworked_share} betterWhen="lower" format={pts} was={percent} /> : plusMinus(base.reworked_share, pts)}
      />
      <Figure
        label="Flow efficiency"
        q="hands-on share, median"
        testId="sim-flow-efficiency"
        value={percent(now.flow_efficiency.p50)}
        sub={
          scen ? (
            <>
              <Delta before={base.flow_efficiency.p50} after={scen.flow_efficiency.p50} betterWhen="higher" format={pts} /> <span className="was">from {percent(base.flow_efficiency.p50)}</span>
            </>
          ) : (
            `p85 ${percent(base.flow_efficiency.p85)}`
          )
        }
      />
      <Figure
        label="Work in progress"
        q="items in the stream"
        testId="sim-wip"
        value={number(now.wip.value)}
        sub={scen ? <EstimateChange before={base.wip} after={scen.wip} betterWhen="lower" format={number} was={number} /> : "arrived and not yet done"}
      />
    </div>
  );
}

function Results({ run, stale }: { run: Run; stale: boolean }) {
  const v = shown(run);
  if (!v) return <div className="card sim-empty">This run has no results for the stream shown. Run the simulation again.</div>;
  return (
    <div className={stale ? "sim-results stale" : "sim-results"} data-testid="sim-results" data-stale={stale}>
      {stale && <Stale run={run} />}
      <Headline run={run} v={v} />
      <LeadTimes run={run} v={v} />
      <Figures v={v} />
      <StageTable base={v.base} scen={v.scen} unit={v.unit} />
      {(v.notes.length > 0 || v.warnings.length > 0) && (
        <div className="card sim-warnings" data-testid="sim-warnings">
          <h3>Read with care</h3>
          <ul>
            {v.warnings.map((w, i) => (
              <li key={`w${i}`}>{w.plain || w.message}</li>
            ))}
            {v.notes.map((n, i) => (
              <li key={`n${i}`}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      <p className="sim-footnote">
        Simulated in {number(run.seconds)} s. Percentiles pool every measured item of every run; means are over the runs. The same seed gives the same numbers, here and
        with <code>tributary simulate</code>.
      </p>
    </div>
  );
}

/** The stage with the highest utilisation (stages without a capacity have none). */
function busiest(stages: StageSimulation[]): string | null {
  let best: StageSimulation | null = null;
  for (const s of stages) if (s.utilisation && (!best || s.utilisation.value > (best.utilisation?.value ?? -1))) best = s;
  return best?.id ?? null;
}

function StageTable({ base, scen, unit }: { base: StreamSimulation; scen: StreamSimulation | null; unit: TimeUnit }) {
  const select = useStore((s) => s.select);
  const now = scen ?? base;
  const top = busiest(now.stages);
  const pair = (f: (s: StageSimulation) => string, i: number) => {
    const b = base.stages[i];
    const a = scen?.stages[i];
    if (!b) return "—";
    if (!a) return f(b);
    const before = f(b);
    const after = f(a);
    return before === after ? after : (
      <>
        <span className="was">{before} →</span> {after}
      </>
    );
  };
  const util = (s: StageSimulation) => (s.utilisation ? percent(s.utilisation.value) : "—");
  return (
    <div className="card">
      <h3>
        Stage by stage{top ? `: ${now.stages.find((s) => s.id === top)?.name} is the busiest` : ""}
        {scen ? " in the scenario" : ""}
      </h3>
      <table className="t sim-stages" data-testid="sim-stages">
        <thead>
          <tr>
            <th>Stage</th>
            <th className="n">People</th>
            <th className="n" colSpan={2}>
              Utilisation
            </th>
            <th className="n">Queue, items</th>
            <th className="n">Queue time a visit</th>
            <th className="n">Visits per item</th>
          </tr>
        </thead>
        <tbody>
          {now.stages.map((s, i) => (
            <tr key={s.id} className={s.id === top ? "busiest" : undefined} data-testid={`sim-stage-${s.id}`}>
              <td>
                <button className="linkish" onClick={() => select({ kind: "stage", stream: now.id, id: s.id })} title="Show this stage in the inspector">
                  {s.name}
                </button>
                {s.id === top && <span className="pill bad busiest-tag">busiest</span>}
              </td>
              <td className="n">{pair((x) => (x.servers === undefined ? "no limit" : String(x.servers)), i)}</td>
              <td className="util-bar" aria-hidden="true">
                {s.utilisation && (
                  <span className="util">
                    <i style={{ width: `${Math.min(1, s.utilisation.value) * 100}%` }} />
                  </span>
                )}
              </td>
              <td className="n">{pair(util, i)}</td>
              <td className="n">{pair((x) => number(x.queue_length.value), i)}</td>
              <td className="n">{pair((x) => duration(x.queue_time.value, unit), i)}</td>
              <td className="n">{pair((x) => number(x.visits_per_item.value), i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
