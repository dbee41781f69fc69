// The Measured flow view of the active stream: what really happened, from the imported
// history of its work items. Cycle times, throughput, cumulative flow, aging work in progress,
// where the time went, a Monte Carlo forecast, and each stage's measured time beside the drawn
// one with Calibrate. Every figure is the engine's (`tributary flow` gives the same numbers).
import { useEffect, useState } from "react";
import { ipc, type ApiError, type FlowReport, type Mapping } from "../../ipc/client";
import { useStore } from "../../state/store";
import { duration, percent } from "../../format";
import type { StageFlow } from "../../ipc/bindings/StageFlow";
import { AgingWip, CumulativeFlow, CycleTimeScatter, ShareBars, ThroughputRun } from "./charts";
import { ForecastPanel } from "./ForecastPanel";
import { CalibratePanel } from "./CalibratePanel";
import { MappingTable } from "./MappingTable";
import { isNoTelemetry, useFlowStore } from "./flowStore";
import { sameMapping, toMapping, type StatusRow, type TypeRow } from "./mapping";
import { count, days } from "./scale";
import "./flow.css";

export function FlowView() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  if (!ws) return null;
  const stream = ws.snapshot.view.model.streams.find((s) => s.id === streamId);
  if (!stream) {
    return (
      <section className="page" aria-label="Measured flow">
        <h2>Measured flow</h2>
        <p className="lead">Add a value stream first (+ Stream above); then import the history of its work items to see how it really flows.</p>
      </section>
    );
  }
  return <FlowPage key={stream.id} stream={stream.id} name={stream.name} />;
}

type Loaded = { report: FlowReport | null; mapping: Mapping | null; none: boolean; error: string | null; done: boolean };

/** The stream's measured flow over the window, and its mapping; again after every edit. */
function useFlowReport(stream: string, win: { from: string | null; to: string | null }): Loaded {
  const view = useStore((s) => s.ws?.snapshot.view);
  const revision = useFlowStore((s) => s.revision);
  const [loaded, setLoaded] = useState<Loaded>({ report: null, mapping: null, none: false, error: null, done: false });
  useEffect(() => {
    let live = true;
    // the mapping gives each status of the cumulative flow diagram its flow state (its colour)
    Promise.all([ipc.flow(stream, win.from, win.to), ipc.getMapping(stream).catch(() => null)])
      .then(([report, mapping]) => live && setLoaded({ report, mapping, none: false, error: null, done: true }))
      .catch((e: unknown) => {
        if (!live) return;
        if (isNoTelemetry(e)) setLoaded({ report: null, mapping: null, none: true, error: null, done: true });
        else setLoaded((l) => ({ ...l, error: (e as ApiError).plain ?? (e as ApiError).message ?? String(e), done: true }));
      });
    return () => {
      live = false;
    };
    // the baseline (`view`) changes after an edit or a calibration: the drawn times with it
  }, [stream, win.from, win.to, revision, view]);
  return loaded;
}

function ImportButton() {
  const setDialog = useStore((s) => s.setDialog);
  const presenting = useStore((s) => s.presenting);
  if (presenting) return null;
  return (
    <button className="btn primary" onClick={() => setDialog("import")} data-testid="flow-import">
      Import history…
    </button>
  );
}

function FlowEmpty({ stream, name }: { stream: string; name: string }) {
  return (
    <section className="page" aria-label="Measured flow" data-testid="flow-empty">
      <h2>Measured flow · {name}</h2>
      <p className="lead">
        The map holds what the workshop estimated. The team&apos;s ticketing system holds what really happened. Import the history of this
        stream&apos;s work items to see their cycle times, throughput and work in progress, forecast when work will be done, and set the
        map&apos;s stage times from the measurements.
      </p>
      <div className="card fl-empty">
        <h3>No history imported for this stream yet</h3>
        <ol>
          <li>
            Export the work items&apos; history: Jira (issues JSON with changelog, or the issue CSV), Azure DevOps work item updates, GitLab or
            GitHub events, a stage-dates CSV, or Tributary&apos;s neutral events CSV. Deployments from GitHub Actions, GitLab pipelines or a
            CSV add the DORA keys.
          </li>
          <li>Press Import history, choose the file, check the preview, and map each status to a flow state and a stage of this stream.</li>
          <li>Import. Nothing is stored before that, names of people are not kept, and importing the same file again changes nothing.</li>
        </ol>
        <div className="actions">
          <ImportButton />
        </div>
        <p className="fl-muted fl-small-text">
          From the command line: <code>tributary telemetry import MODEL --stream {stream} --format events-csv history.csv</code>
        </p>
      </div>
    </section>
  );
}

const has = (v: number | null | undefined): v is number => v !== undefined && v !== null;

function FlowFigures({ r }: { r: FlowReport }) {
  const ct = r.cycle_time;
  const atRisk = r.aging_wip.filter((a) => a.beyond_p85);
  return (
    <div className="big-figures">
      <div className="card">
        <div className="l">Cycle time, 85 % of items within</div>
        <div className="v num" data-testid="flow-p85">
          {days(ct.p85)}
        </div>
        <div className="s">
          50 % within {days(ct.p50)} · {count(ct.count)} items done
        </div>
      </div>
      <div className="card">
        <div className="l">Throughput</div>
        <div className="v num" data-testid="flow-throughput">
          {r.throughput.mean_per_day.toFixed(1)} a day
        </div>
        <div className="s">
          {count(r.throughput.total)} done{has(r.throughput.median_per_week) ? ` · median ${count(r.throughput.median_per_week)} a week` : ""}
        </div>
      </div>
      <div className="card">
        <div className="l">Work in progress</div>
        <div className="v num" data-testid="flow-wip">
          {count(r.wip)} items
        </div>
        <div className="s">{atRisk.length > 0 ? `! ${atRisk.length} older than 85 % of finished items` : "none older than 85 % of finished items"}</div>
      </div>
      <div className="card">
        <div className="l">Flow efficiency (active / flow time)</div>
        <div className="v num" data-testid="flow-efficiency">
          {has(r.flow_efficiency) ? percent(r.flow_efficiency) : "—"}
        </div>
        <div className="s">{has(r.flow_efficiency_median) ? `median item ${percent(r.flow_efficiency_median)}` : "no item done"}</div>
      </div>
    </div>
  );
}

function FlowCharts({ r, mapping, stageNames }: { r: FlowReport; mapping: Mapping | null; stageNames: Map<string, string> }) {
  const ct = r.cycle_time;
  const atRisk = r.aging_wip.filter((a) => a.beyond_p85);
  const asOf = r.as_of.slice(0, 10);
  return (
    <div className="fl-grid">
      <div className="card">
        <h3>Cycle time: 85 % of items were done within {days(ct.p85)}</h3>
        <CycleTimeScatter report={r} />
        <p className="fl-caption">Each dot is an item done in the window, at the day it was done; lines at the 50, 70, 85 and 95 % of flow time.</p>
      </div>
      <div className="card">
        <h3>
          Throughput: {r.throughput.mean_per_day.toFixed(1)} items a day
          {has(r.throughput.median_per_week) ? `, median ${count(r.throughput.median_per_week)} a week` : ""}
        </h3>
        <ThroughputRun report={r} />
        <p className="fl-caption">Items done each calendar day, days with none counted as 0: the samples the forecast draws from.</p>
      </div>
      <div className="card">
        <h3>Cumulative flow: arrivals against departures</h3>
        <CumulativeFlow report={r} mapping={mapping} />
        <p className="fl-caption">Each band is the items at that status or a later one at the end of each day; a widening band is work piling up.</p>
      </div>
      <div className="card">
        <h3>
          Aging work in progress: {count(r.wip)} items{atRisk.length > 0 ? `, ${atRisk.length} older than 85 % of finished ones` : ""}
        </h3>
        <AgingWip report={r} stageNames={stageNames} />
        <p className="fl-caption">
          Each mark is an item in progress at {asOf}, at its age since commitment; ▲ older than 85 % of the finished items (at risk). Lines at the
          cycle-time percentiles.
        </p>
      </div>
    </div>
  );
}

function FlowPage({ stream, name }: { stream: string; name: string }) {
  const view = useStore((s) => s.ws?.snapshot.view);
  const presenting = useStore((s) => s.presenting);
  const [win, setWin] = useState<{ from: string | null; to: string | null }>({ from: null, to: null });
  const loaded = useFlowReport(stream, win);
  if (!loaded.done) return <section className="page" aria-label="Measured flow" aria-busy="true" />;
  if (loaded.none) return <FlowEmpty stream={stream} name={name} />;
  const r = loaded.report;
  if (!r) {
    return (
      <section className="page" aria-label="Measured flow">
        <h2>Measured flow · {name}</h2>
        <p className="fl-message error" role="alert">
          {loaded.error}
        </p>
      </section>
    );
  }
  const stageNames = new Map((view?.model.streams.find((s) => s.id === stream)?.stages ?? []).map((s) => [s.id, s.name]));
  return (
    <section className="page fl-page" aria-label="Measured flow" data-testid="flow-view">
      <div className="fl-head">
        <div>
          <h2>Measured flow · {name}</h2>
          <p className="lead" data-testid="flow-window">
            What really happened: {count(r.counts.items)} work items in the imported history, measured {r.window.from} to {r.window.to} ({r.window.days}{" "}
            days). Flow times are elapsed calendar days; work in progress and ages as of {r.as_of.slice(0, 10)}.
          </p>
        </div>
        <div className="fl-tools">
          <WindowPicker from={win.from ?? r.window.from} to={win.to ?? r.window.to} chosen={win.from !== null || win.to !== null} onChange={setWin} />
          <ImportButton />
        </div>
      </div>
      {loaded.error && (
        <p className="fl-message error" role="alert" data-testid="flow-error">
          {loaded.error}
        </p>
      )}
      <FlowFigures r={r} />
      {(r.notes.length > 0 || r.unmapped_statuses.length > 0) && (
        <div className="card fl-notes" data-testid="flow-notes">
          <h3>What the data cannot tell</h3>
          <ul>
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      <FlowCharts r={r} mapping={loaded.mapping} stageNames={stageNames} />
      <div className="fl-grid">
        <TimeSplit report={r} />
        <div className="card">
          <h3>Flow distribution: what the team finished</h3>
          <ShareBars testId="flow-distribution" rows={r.distribution.map((d) => ({ label: d.kind, share: d.share, note: `${count(d.items)} items` }))} />
          <p className="fl-caption">Share of each item kind among the items done in the window.</p>
        </div>
      </div>
      <DrawnVsMeasured report={r} stream={stream} />
      <ForecastPanel stream={stream} from={win.from} to={win.to} />
      {!presenting && <MappingEditor report={r} stream={stream} />}
      <p className="fl-caption">
        DORA keys (deployment frequency, lead time for changes, change failure rate, time to restore) of the imported deployments:{" "}
        <code>tributary dora MODEL --stream {stream}</code>.
      </p>
    </section>
  );
}

function WindowPicker({
  from,
  to,
  chosen,
  onChange,
}: {
  from: string;
  to: string;
  chosen: boolean;
  onChange: (w: { from: string | null; to: string | null }) => void;
}) {
  return (
    <div className="fl-window" role="group" aria-label="History window">
      <DateField label="From" value={from} onCommit={(v) => onChange({ from: v, to })} testId="flow-from" />
      <DateField label="to" value={to} onCommit={(v) => onChange({ from, to: v })} testId="flow-to" />
      {chosen && (
        <button className="btn small" onClick={() => onChange({ from: null, to: null })} data-testid="flow-all">
          All data
        </button>
      )}
    </div>
  );
}

/** A date typed as YYYY-MM-DD, committed on Enter or when the field loses focus. */
function DateField({ label, value, onCommit, testId }: { label: string; value: string; onCommit: (v: string) => void; testId: string }) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? value;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
  const commit = () => {
    if (draft !== null && valid && draft !== value) onCommit(draft);
    if (valid) setDraft(null);
  };
  return (
    <label>
      {label}
      <input
        value={text}
        size={10}
        placeholder="YYYY-MM-DD"
        aria-invalid={!valid}
        className={valid ? undefined : "fl-invalid"}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setDraft(null);
        }}
        data-testid={testId}
      />
    </label>
  );
}

/** Active, waiting (blocked apart) and other time of the items done, as shares of their flow time. */
function TimeSplit({ report: r }: { report: FlowReport }) {
  const waitingOnly = Math.max(0, r.waiting_days - r.blocked_days);
  const total = r.active_days + r.waiting_days + r.other_days;
  const share = (v: number) => (total > 0 ? v / total : 0);
  return (
    <div className="card">
      <h3>
        Where the time went: {r.flow_efficiency !== undefined && r.flow_efficiency !== null ? `${percent(r.flow_efficiency)} of flow time was active work` : "no item done yet"}
      </h3>
      <ShareBars
        testId="flow-time-split"
        rows={[
          { label: "Active", share: share(r.active_days), note: days(r.active_days), tone: "var(--process)" },
          { label: "Waiting", share: share(waitingOnly), note: days(waitingOnly), tone: "var(--wait)" },
          { label: "Blocked", share: share(r.blocked_days), note: days(r.blocked_days), tone: "#b45309" },
          { label: "Other", share: share(r.other_days), note: days(r.other_days), tone: "var(--faint)" },
        ]}
      />
      <p className="fl-caption">
        Summed over the items done in the window. Blocked time counts as waiting; “other” is time in new, unmapped or done-before-reopen statuses.
      </p>
    </div>
  );
}

/** Per stage: the map's process and wait time beside the measured median and 85th percentile. */
function DrawnVsMeasured({ report, stream }: { report: FlowReport; stream: string }) {
  const rows = report.stages;
  const measuredAny = rows.some((s) => Number(s.items) > 0);
  const top = Math.max(1e-9, ...rows.flatMap((s) => [s.drawn?.lead_time ?? 0, s.measured.lead_p50 ?? 0]));
  const flagged = rows.filter((s) => s.gap?.flagged);
  return (
    <div className="card" data-testid="drawn-vs-measured">
      <h3>
        Drawn against measured:{" "}
        {measuredAny
          ? flagged.length > 0
            ? `${flagged.length} of ${rows.length} stages are off the map by more than 25 %`
            : "every measured stage is within 25 % of the map"
          : "no status is mapped to a stage yet"}
      </h3>
      <div className="fl-scroll-x">
        <table className="t fl-dvm">
          <thead>
            <tr>
              <th>Stage</th>
              <th className="n">
                Process time
                <br />
                drawn → measured
              </th>
              <th className="n">
                Wait time
                <br />
                drawn → measured
              </th>
              <th className="n">
                Lead time
                <br />
                gap
              </th>
              <th>
                <span className="fl-key fl-key-drawn" /> drawn
                <br />
                <span className="fl-key fl-key-measured" /> measured
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <StageRow key={s.stage} s={s} top={top} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="fl-caption">
        Measured = the median of the items done in the window that passed through the stage (85th percentile below), in working time of the
        model&apos;s unit: a calendar week of elapsed time counts as one working week. Drawn is the baseline map (own time plus PBCs). The gap is
        measured minus drawn; ! marks a stage more than 25 % off.
      </p>
      {measuredAny && <CalibratePanel stream={stream} />}
    </div>
  );
}

function StageRow({ s, top }: { s: StageFlow; top: number }) {
  const u = s.unit;
  const d = (v: number | null | undefined) => (v === undefined || v === null ? "—" : duration(v, u));
  const gap = s.gap;
  const W = 110;
  const drawnW = ((s.drawn?.lead_time ?? 0) / top) * W;
  const measW = ((s.measured.lead_p50 ?? 0) / top) * W;
  return (
    <tr className={gap?.flagged ? "fl-flagged" : undefined} data-testid={`dvm-${s.stage}`}>
      <td>
        {s.name}
        <div className="fl-sub">{count(s.items)} items</div>
      </td>
      <td className="n">
        {d(s.drawn?.process_time)} → <strong>{d(s.measured.process_p50)}</strong>
        <div className="fl-sub">85 %: {d(s.measured.process_p85)}</div>
      </td>
      <td className="n">
        {d(s.drawn?.wait_time)} → <strong>{d(s.measured.wait_p50)}</strong>
        <div className="fl-sub">85 %: {d(s.measured.wait_p85)}</div>
      </td>
      <td className="n fl-gap" data-testid={`dvm-gap-${s.stage}`}>
        {gap ? `${gap.lead_time > 0 ? "+" : gap.lead_time < 0 ? "−" : ""}${duration(Math.abs(gap.lead_time), u)}${gap.flagged ? " !" : ""}` : "—"}
      </td>
      <td>
        <svg width={W + 2} height={20} aria-label={`drawn ${d(s.drawn?.lead_time)}, measured median ${d(s.measured.lead_p50)}`}>
          <rect x={1} y={2} width={drawnW} height={7} className="fl-drawn" data-testid="dvm-drawn-bar" />
          <rect x={1} y={11} width={measW} height={7} className="fl-measured" data-testid="dvm-measured-bar" />
        </svg>
      </td>
    </tr>
  );
}

/** The stream's mapping, edited in place: statuses the engine found unmapped are highlighted. */
/** The mapping editor's rows: every status the mapping or the history knows, in that order. */
function rowsOf(m: Mapping, report: FlowReport): { statuses: StatusRow[]; types: TypeRow[]; initial: string } {
  const visited = new Map(report.statuses.map((s) => [s.status, Number(s.days.count)]));
  const order: string[] = [];
  const add = (s: string) => order.includes(s) || order.push(s);
  m.states.forEach((s) => add(s.status));
  m.stages.forEach((s) => add(s.status));
  report.statuses.forEach((s) => add(s.status));
  report.unmapped_statuses.forEach((s) => add(s.name));
  const statuses: StatusRow[] = order.map((status) => ({
    status,
    events: visited.get(status) ?? 0,
    itemsNow: 0,
    inFile: true,
    state: m.states.find((x) => x.status === status)?.state ?? null,
    stage: m.stages.find((x) => x.status === status)?.stage ?? null,
  }));
  const types: TypeRow[] = [
    ...m.types.map((t) => ({ itemType: t.item_type, items: 0, inFile: false, kind: t.kind })),
    ...report.unmapped_types.map((t) => ({ itemType: t.name, items: Number(t.count), inFile: true, kind: null })),
  ];
  return { statuses, types, initial: JSON.stringify(toMapping(statuses, types)) };
}

function MappingEditor({ report, stream }: { report: FlowReport; stream: string }) {
  const ws = useStore((s) => s.ws);
  const notify = useStore((s) => s.notify);
  const adopt = useStore((s) => s.adopt);
  const scenarioId = useStore((s) => s.scenarioId);
  const bump = useFlowStore((s) => s.bump);
  const [rows, setRows] = useState<{ statuses: StatusRow[]; types: TypeRow[]; initial: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stages = (ws?.snapshot.view.model.streams.find((s) => s.id === stream)?.stages ?? []).map((s) => ({ id: s.id, name: s.name }));

  const edit = async () => {
    try {
      setRows(rowsOf(await ipc.getMapping(stream), report));
      setError(null);
    } catch (e) {
      setError((e as ApiError).plain ?? (e as ApiError).message ?? String(e));
    }
  };

  const save = async () => {
    if (!rows) return;
    try {
      // a model edit like any other: the reply carries it, and it can be undone
      await adopt(await ipc.setMapping(stream, toMapping(rows.statuses, rows.types), scenarioId));
      setRows(null);
      bump();
      notify("Mapping saved: the measured flow is read again with it.", "info");
    } catch (e) {
      setError((e as ApiError).plain ?? (e as ApiError).message ?? String(e));
    }
  };

  const unmapped = report.unmapped_statuses.length;
  const changed = rows !== null && !sameMapping(JSON.parse(rows.initial), toMapping(rows.statuses, rows.types));
  return (
    <div className="card" data-testid="mapping-editor">
      <div className="fl-maphead">
        <h3>Status mapping</h3>
        {unmapped > 0 ? (
          <span className="fl-warn">
            ! {unmapped} status{unmapped === 1 ? " is" : "es are"} not mapped: {report.unmapped_statuses.map((c) => `${c.name} (${count(c.count)})`).join(", ")}
          </span>
        ) : (
          <span className="hint">Every status of the history is mapped to a flow state.</span>
        )}
        <span className="spacer" />
        {rows === null && (
          <button className="btn small" onClick={() => void edit()} data-testid="mapping-edit">
            Edit the mapping…
          </button>
        )}
      </div>
      {error && (
        <p className="fl-message error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <>
          <MappingTable
            statuses={rows.statuses}
            types={rows.types}
            stages={stages}
            countLabel="Done items that visited"
            showNow={false}
            absentNote=""
            onChange={(statuses, types) => setRows({ ...rows, statuses, types })}
          />
          <div className="actions" style={{ marginTop: 10 }}>
            <button className="btn primary" disabled={!changed} onClick={() => void save()} data-testid="mapping-save">
              Save the mapping
            </button>
            <button className="btn" onClick={() => setRows(null)}>
              Cancel
            </button>
          </div>
        </>
      )}
    </div>
  );
}
