// Scenarios by name: the switch between the baseline and each future state, and a new
// scenario, a rename, a duplicate (an add with a copy of the changes) and a delete, each one
// undo step. A new scenario is named by the user, never "Future state 1" behind their back.
import { useRef, useState } from "react";
import { useStore } from "../state/store";
import { Dialog } from "./Dialog";
import { Menu } from "./Menu";
import type { Scenario } from "../ipc/bindings/Scenario";

type Mode = { mode: "new" } | { mode: "rename"; id: string } | { mode: "duplicate"; id: string };

function copyName(name: string, taken: string[]): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${name} (copy)` : `${name} (copy ${n})`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export function ScenarioSwitch() {
  const ws = useStore((s) => s.ws);
  const scenarioId = useStore((s) => s.scenarioId);
  const setScenario = useStore((s) => s.setScenario);
  const setDialog = useStore((s) => s.setDialog);
  const remove = useStore((s) => s.remove);
  const presenting = useStore((s) => s.presenting);
  const chosenIn = useRef<HTMLSelectElement | null>(null);
  if (!ws) return null;
  const scenarios = ws.snapshot.view.model.scenarios;
  const current = scenarios.find((s) => s.id === scenarioId);
  const onChange = (value: string, from: HTMLSelectElement) => {
    chosenIn.current = from;
    if (value === "__new") setDialog("scenario", { mode: "new" } satisfies Mode);
    else void setScenario(value === "" ? null : value);
  };
  // WebKit fires no change for an option it last reported, even after the state was changed
  // from elsewhere ("Switch to the baseline"), so choosing that state again would do nothing:
  // the switch is made afresh for each state shown, keeping the focus of a keyboard user.
  const focusAgain = (el: HTMLSelectElement | null) => {
    if (el && chosenIn.current && el !== chosenIn.current) {
      chosenIn.current = null;
      el.focus();
    }
  };
  return (
    <div className="scenario-switch">
      <span className={scenarioId ? "state-tag future" : "state-tag current"} data-testid="state-tag">
        {scenarioId ? "Future state" : "Current state"}
      </span>
      <select key={scenarioId ?? ""} ref={focusAgain} aria-label="Scenario" value={scenarioId ?? ""} onChange={(e) => onChange(e.target.value, e.currentTarget)} data-testid="scenario-select" title={current?.name ?? "Baseline (as is)"}>
        <option value="">Baseline (as is)</option>
        {scenarios.map((sc) => (
          <option key={sc.id} value={sc.id}>
            {sc.name}
          </option>
        ))}
        {!presenting && <option value="__new">+ New scenario…</option>}
      </select>
      {current && !presenting && (
        <Menu label="⋯" testId="scenario-menu" title={`Rename, duplicate or delete “${current.name}”`}>
          {(close) => (
            <>
              <button role="menuitem" data-testid="scenario-rename" onClick={() => (close(), setDialog("scenario", { mode: "rename", id: current.id } satisfies Mode))}>
                Rename…
              </button>
              <button role="menuitem" data-testid="scenario-duplicate" onClick={() => (close(), setDialog("scenario", { mode: "duplicate", id: current.id } satisfies Mode))}>
                Duplicate…
              </button>
              <button
                role="menuitem"
                data-testid="scenario-delete"
                onClick={async () => {
                  close();
                  await setScenario(null);
                  await remove({ type: "delete_scenario", id: current.id }, `the scenario “${current.name}”`);
                }}
              >
                Delete
              </button>
            </>
          )}
        </Menu>
      )}
    </div>
  );
}

/** What the dialog sends for `name`, and the scenario to show afterwards (by name). */
function commandFor(mode: Mode, name: string, all: Scenario[]) {
  const src = "id" in mode ? all.find((s) => s.id === mode.id) : undefined;
  if (mode.mode === "rename" && src) return { type: "update_scenario" as const, scenario: { ...src, name } };
  const changes = mode.mode === "duplicate" && src ? structuredClone(src.changes) : [];
  return { type: "add_scenario" as const, scenario: { id: "", name, description: src?.description, changes } };
}

export function ScenarioDialog() {
  const mode = useStore((s) => (s.dialog === "scenario" ? (s.dialogArg as Mode) : null));
  if (!mode) return null;
  return <ScenarioDialogOpen mode={mode} />;
}

function ScenarioDialogOpen({ mode }: { mode: Mode }) {
  const scenarios = useStore((s) => s.ws?.snapshot.view.model.scenarios ?? []);
  const setDialog = useStore((s) => s.setDialog);
  const run = useStore((s) => s.run);
  const setScenario = useStore((s) => s.setScenario);
  const src = "id" in mode ? scenarios.find((s) => s.id === mode.id) : undefined;
  const initial = mode.mode === "rename" ? (src?.name ?? "") : mode.mode === "duplicate" && src ? copyName(src.name, scenarios.map((s) => s.name)) : "";
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const title = mode.mode === "new" ? "New scenario from the baseline" : mode.mode === "rename" ? "Rename the scenario" : "Duplicate the scenario";
  const submit = async () => {
    const n = name.trim();
    if (n === "") return setError("Give the scenario a name people will recognise in the report.");
    if (scenarios.some((s) => s.name === n && s.id !== src?.id)) return setError(`A scenario is called “${n}” already.`);
    if (!(await run(commandFor(mode, n, scenarios)))) return;
    setDialog(null);
    const made = useStore.getState().ws?.snapshot.view.model.scenarios.find((s) => s.name === n);
    if (made && mode.mode !== "rename") await setScenario(made.id);
  };
  return (
    <Dialog
      title={title}
      onClose={() => setDialog(null)}
      testId="scenario-dialog"
      actions={
        <>
          <button className="btn" onClick={() => setDialog(null)}>
            Cancel
          </button>
          <button className="btn primary" onClick={() => void submit()} data-testid="scenario-save">
            {mode.mode === "rename" ? "Rename" : "Create"}
          </button>
        </>
      }
    >
      <div className={error ? "field invalid" : "field"}>
        <label htmlFor="scenario-name">Name of the future state</label>
        <input
          id="scenario-name"
          value={name}
          placeholder="e.g. Automated credit scoring"
          data-testid="scenario-name"
          onChange={(e) => (setName(e.target.value), setError(null))}
          onKeyDown={(e) => e.key === "Enter" && void submit()}
        />
        {error ? <div className="error">{error}</div> : <div className="hint">The board report asks to fund it by this name.</div>}
      </div>
      {mode.mode === "new" && <p className="hint">It starts as a copy of the baseline; every edit you make while it is selected becomes one of its changes.</p>}
      {mode.mode === "duplicate" && src && <p className="hint">With a copy of its {src.changes.length} changes.</p>}
    </Dialog>
  );
}
