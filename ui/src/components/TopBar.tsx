import { useEffect, useRef, useState } from "react";
import { useStore } from "../state/store";

function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1e4fd8" />
      <path d="M5 9c9 0 14 3 22 7M5 16h22M5 23c9 0 14-3 22-7" stroke="#7dd3fc" strokeWidth="3" fill="none" strokeLinecap="round" />
    </svg>
  );
}

function FileMenu() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const s = useStore();
  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("pointerdown", close);
    return () => window.removeEventListener("pointerdown", close);
  }, [open]);
  const act = (f: () => unknown) => () => {
    setOpen(false);
    void f();
  };
  const recent = s.ws?.recent ?? [];
  return (
    <div className="menu" ref={ref}>
      <button className="tb-btn" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="file-menu">
        File ▾
      </button>
      {open && (
        <div className="menu-list" role="menu">
          <button role="menuitem" onClick={act(s.newModel)} data-testid="menu-new">
            New model <span className="kbd">Ctrl+N</span>
          </button>
          <button role="menuitem" onClick={act(s.open)} data-testid="menu-open">
            Open… <span className="kbd">Ctrl+O</span>
          </button>
          <button role="menuitem" onClick={act(s.openExample)}>
            Open the example (mortgage decision)
          </button>
          <hr />
          <button role="menuitem" onClick={act(s.save)} data-testid="menu-save">
            Save <span className="kbd">Ctrl+S</span>
          </button>
          <button role="menuitem" onClick={act(s.saveAs)} data-testid="menu-save-as">
            Save as… <span className="kbd">Ctrl+Shift+S</span>
          </button>
          <hr />
          <button role="menuitem" onClick={act(() => s.setDialog("import"))} data-testid="menu-import">
            Import work-item history…
          </button>
          <button role="menuitem" onClick={act(() => s.setDialog("export"))} data-testid="menu-export">
            Export report, workbook or map… <span className="kbd">Ctrl+E</span>
          </button>
          {recent.length > 0 && (
            <>
              <hr />
              <div className="label">Recent</div>
              {recent.map((r) => (
                <button role="menuitem" key={r.path} title={r.path} onClick={act(() => s.openRecent(r.path))}>
                  {r.name}
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </div>
  );
}

function ScenarioSwitch() {
  const ws = useStore((s) => s.ws);
  const scenarioId = useStore((s) => s.scenarioId);
  const setScenario = useStore((s) => s.setScenario);
  const run = useStore((s) => s.run);
  if (!ws) return null;
  const scenarios = ws.snapshot.view.model.scenarios;
  const onChange = async (value: string) => {
    if (value === "__new") {
      const n = scenarios.length + 1;
      const name = `Future state ${n}`;
      const ok = await run({ type: "add_scenario", scenario: { id: "", name, changes: [] } });
      if (ok) {
        const created = useStore.getState().ws?.snapshot.view.model.scenarios.at(-1);
        if (created) await setScenario(created.id);
      }
      return;
    }
    await setScenario(value === "" ? null : value);
  };
  return (
    <div className="scenario-switch">
      <span className={scenarioId ? "state-tag future" : "state-tag current"}>{scenarioId ? "Future state" : "Current state"}</span>
      <select aria-label="Scenario" value={scenarioId ?? ""} onChange={(e) => void onChange(e.target.value)} data-testid="scenario-select">
        <option value="">Baseline (as is)</option>
        {scenarios.map((sc) => (
          <option key={sc.id} value={sc.id}>
            {sc.name}
          </option>
        ))}
        <option value="__new">+ New scenario from the baseline</option>
      </select>
    </div>
  );
}

export function TopBar() {
  const ws = useStore((s) => s.ws);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const presenting = useStore((s) => s.presenting);
  const setPresenting = useStore((s) => s.setPresenting);
  if (!ws) return null;
  const v = ws.snapshot.view;
  const status = ws.untitled
    ? ws.edited
      ? "Edited · not yet saved to a file of your own"
      : "Not yet saved to a file of your own"
    : `${v.file_name} · all changes saved`;
  return (
    <header className="topbar">
      <span className="brand">
        <Logo /> Tributary
      </span>
      {!presenting && <FileMenu />}
      <div className="docname">
        <strong data-testid="model-name">{v.model.name}</strong>
        <span data-testid="file-status" title={v.path}>
          {status}
        </span>
      </div>
      <span className="spacer" />
      {!presenting && (
        <div className="tb-group">
          <button className="tb-btn" onClick={() => void undo()} disabled={!v.undo} title={v.undo ? `Undo ${v.undo} (Ctrl+Z)` : "Nothing to undo"} data-testid="undo">
            ↶ Undo
          </button>
          <button className="tb-btn" onClick={() => void redo()} disabled={!v.redo} title={v.redo ? `Redo ${v.redo} (Ctrl+Shift+Z)` : "Nothing to redo"} data-testid="redo">
            ↷ Redo
          </button>
        </div>
      )}
      <ScenarioSwitch />
      <button className={presenting ? "tb-btn primary" : "tb-btn"} onClick={() => setPresenting(!presenting)} title="Presentation mode (P)" data-testid="present">
        {presenting ? "Leave presentation" : "Present"}
      </button>
    </header>
  );
}
