// File > Compare with another model, and File > Open their changes as a scenario: each asks for
// the other file in the native dialog, then shows what the engine made of it.
import { ipc, type ApiError } from "../../ipc/client";
import { useStore } from "../../state/store";
import type { Differences } from "./DiffDialog";

function fail(e: unknown) {
  const err = e as ApiError;
  useStore.getState().notify(err.plain ?? err.message ?? String(e), "error");
}

export async function compareWithFile() {
  try {
    const c = await ipc.compareWithFile();
    if (!c) return;
    const shown: Differences = { title: `Compared with ${c.file}`, lead: `What ${c.file} would change in this model.`, diff: c.diff };
    useStore.getState().setDialog("differences", shown);
  } catch (e) {
    fail(e);
  }
}

/** Their changes become a scenario, shown with its business case in the Compare view. */
export async function openAsScenario() {
  try {
    const opened = await ipc.openAsScenario();
    if (!opened) return;
    const s = useStore.getState();
    await s.adopt(opened.reply);
    const r = opened.report;
    const n = r.included.length;
    const left = r.left_out.length ? ` ${r.left_out.length} of their differences cannot be a scenario's change and were left out.` : "";
    s.setView("compare");
    s.notify(`Opened their changes as the scenario “${r.scenario_name}” (${n} ${n === 1 ? "change" : "changes"}).${left}`, "info", { label: "Undo", run: () => void useStore.getState().undo() });
  } catch (e) {
    fail(e);
  }
}
