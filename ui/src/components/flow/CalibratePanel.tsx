// Calibrate: write the measured stage times into the baseline or a scenario. The planned
// changes are shown first (the engine's plan); applying them is one edit, so Ctrl+Z undoes it.
import { useState } from "react";
import { ipc, type ApiError, type Calibration, type Statistic, type Target } from "../../ipc/client";
import { useStore } from "../../state/store";
import { duration } from "../../format";

export function CalibratePanel({ stream }: { stream: string }) {
  const ws = useStore((s) => s.ws);
  const scenarioId = useStore((s) => s.scenarioId);
  const adopt = useStore((s) => s.adopt);
  const setScenario = useStore((s) => s.setScenario);
  const notify = useStore((s) => s.notify);
  const presenting = useStore((s) => s.presenting);
  const [statistic, setStatistic] = useState<Statistic>("median");
  const [into, setInto] = useState<"scenario" | "baseline">("scenario");
  const [name, setName] = useState("Measured flow");
  const [plan, setPlan] = useState<Calibration | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (presenting || !ws) return null;
  const scenarios = ws.snapshot.view.model.scenarios;
  const target: Target = into === "baseline" ? { kind: "baseline" } : { kind: "scenario", name: name.trim() };
  const existing = into === "scenario" ? scenarios.find((s) => s.name === name.trim() || s.id === name.trim()) : undefined;

  const showPlan = async () => {
    if (target.kind === "scenario" && target.name === "") {
      setError("Name the scenario the measured times go into");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPlan(await ipc.planCalibration(stream, statistic, target));
    } catch (e) {
      setPlan(null);
      setError((e as ApiError).plain ?? (e as ApiError).message ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!plan) return;
    setBusy(true);
    setError(null);
    try {
      const next = await adopt(await ipc.calibrate(stream, plan.statistic, plan.target, scenarioId));
      const t = plan.target;
      if (t.kind === "scenario" && next) {
        const sc = next.snapshot.view.model.scenarios.find((s) => s.name === t.name || s.id === t.name);
        if (sc) await setScenario(sc.id);
      }
      notify(
        `Calibrated ${plan.stages.length} stage${plan.stages.length === 1 ? "" : "s"} from the measured ${plan.statistic} ${
          t.kind === "scenario" ? `into the scenario “${t.name}”` : "into the baseline"
        }. Undo with Ctrl+Z.`,
        "info",
      );
      setPlan(null);
    } catch (e) {
      setError((e as ApiError).plain ?? (e as ApiError).message ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  const unit = plan?.unit ?? ws.snapshot.view.metrics.unit;
  return (
    <div className="fl-calibrate" data-testid="calibrate">
      <h3>Calibrate the map from these measurements</h3>
      <div className="fl-form">
        <div className="field fl-narrow">
          <label htmlFor="cal-stat">Statistic</label>
          <select id="cal-stat" value={statistic} onChange={(e) => (setStatistic(e.target.value as Statistic), setPlan(null))} data-testid="cal-statistic">
            <option value="median">Median</option>
            <option value="mean">Mean</option>
          </select>
        </div>
        <div className="field fl-narrow">
          <label htmlFor="cal-into">Into</label>
          <select id="cal-into" value={into} onChange={(e) => (setInto(e.target.value as "scenario" | "baseline"), setPlan(null))} data-testid="cal-into">
            <option value="scenario">A scenario</option>
            <option value="baseline">The baseline</option>
          </select>
        </div>
        {into === "scenario" && (
          <div className="field">
            <label htmlFor="cal-name">Scenario</label>
            <input id="cal-name" list="cal-scenarios" value={name} onChange={(e) => (setName(e.target.value), setPlan(null))} data-testid="cal-name" />
            <datalist id="cal-scenarios">
              {scenarios.map((s) => (
                <option key={s.id} value={s.name} />
              ))}
            </datalist>
          </div>
        )}
        <button className="btn" onClick={() => void showPlan()} disabled={busy} data-testid="cal-plan">
          Show the changes…
        </button>
      </div>
      <p className="fl-muted fl-small-text">
        {into === "scenario"
          ? existing
            ? `The scenario “${existing.name}” exists: its stage times are set, its other changes kept.`
            : "A new scenario starts from the baseline with the measured stage times, so the future state starts from facts."
          : "The baseline's stage times are replaced by the measured ones."}{" "}
        Process time takes the measured active time, wait time the measured waiting (blocked included); calendar time is converted to working
        time.
      </p>
      {error && (
        <p className="fl-message error" role="alert" data-testid="cal-error">
          {error}
        </p>
      )}
      {plan && (
        <div className="fl-plan" data-testid="cal-plan-table">
          <table className="t">
            <thead>
              <tr>
                <th>Stage</th>
                <th className="n">Items</th>
                <th className="n">Process time (own)</th>
                <th className="n">Wait time (own)</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {plan.stages.map((s) => (
                <tr key={s.stage} data-testid={`cal-row-${s.stage}`}>
                  <td>{s.name}</td>
                  <td className="n">{String(s.items)}</td>
                  <td className="n">
                    {duration(s.process_before, unit)} → <strong>{duration(s.process_after, unit)}</strong>
                  </td>
                  <td className="n">
                    {duration(s.wait_before, unit)} → <strong>{duration(s.wait_after, unit)}</strong>
                  </td>
                  <td className="fl-muted">{s.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.skipped.map((s) => (
            <p key={s} className="fl-note">
              Left as drawn: {s}
            </p>
          ))}
          <div className="actions" style={{ marginTop: 10 }}>
            <button className="btn primary" onClick={() => void apply()} disabled={busy || plan.stages.length === 0} data-testid="cal-apply">
              Apply {plan.target.kind === "scenario" ? `to “${plan.target.name}”` : "to the baseline"}
            </button>
            <button className="btn" onClick={() => setPlan(null)} disabled={busy} data-testid="cal-cancel">
              Cancel
            </button>
            <span className="fl-muted fl-small-text">One edit: Ctrl+Z undoes it.</span>
          </div>
        </div>
      )}
    </div>
  );
}
