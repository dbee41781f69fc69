// What every part of the inspector shares: sending an edit to the baseline or, with a scenario
// active, as a change of that scenario; and saying what belongs to the baseline, and why.
import { useStore } from "../../state/store";
import type { Change } from "../../ipc/bindings/Change";

export function useRun() {
  const run = useStore((s) => s.run);
  const scenarioId = useStore((s) => s.scenarioId);
  const change = (c: Change) => (scenarioId ? run({ type: "upsert_change", scenario: scenarioId, change: c }) : Promise.resolve(false));
  return { run, scenarioId, change };
}

export function ScenarioNote() {
  const sc = useStore((s) => s.ws?.snapshot.scenario);
  if (!sc) return null;
  return (
    <div className="scenario-note" data-testid="scenario-note">
      You are editing the future state <strong>{sc.name}</strong>. Changes here are recorded as changes of this scenario; the baseline stays as it
      is.
    </div>
  );
}

/** Why fields are not editable in a future state, and the way to where they are. */
export function InBaseline({ what }: { what: string }) {
  const scenario = useStore((s) => s.ws?.snapshot.scenario);
  const setScenario = useStore((s) => s.setScenario);
  if (!scenario) return null;
  return (
    <div className="locked-note" data-testid="in-baseline">
      <span>
        {what} are the same in every state, so they are changed in the baseline.
      </span>
      <button className="btn small" onClick={() => void setScenario(null)} data-testid="go-baseline">
        Switch to the baseline
      </button>
    </div>
  );
}
