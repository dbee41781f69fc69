import type { ReactNode } from "react";
import { Menu } from "./Menu";
import { useStore } from "../state/store";
import { UnsavedList, useUntitled } from "./StartPage";
import { ScenarioSwitch } from "./Scenarios";
import { RoomButton } from "./RoomPanel";
import { compareWithFile, openAsScenario } from "./share/actions";
import { mergeFromFile } from "./share/MergeDialog";

function Logo() {
  return (
    <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1e4fd8" />
      <path d="M5 9c9 0 14 3 22 7M5 16h22M5 23c9 0 14-3 22-7" stroke="#7dd3fc" strokeWidth="3" fill="none" strokeLinecap="round" />
    </svg>
  );
}

function Item({ onClick, testId, children, kbd }: { onClick: () => void; testId?: string; children: ReactNode; kbd?: string }) {
  return (
    <button role="menuitem" onClick={onClick} data-testid={testId}>
      {children} {kbd && <span className="kbd">{kbd}</span>}
    </button>
  );
}

/** File > Versions, comparing, merging and copies to share (components/share). */
function ShareItems({ close }: { close: () => void }) {
  const setDialog = useStore((s) => s.setDialog);
  const act = (f: () => unknown) => () => {
    close();
    void f();
  };
  return (
    <>
      <Item onClick={act(() => setDialog("versions"))} testId="menu-versions">
        Versions…
      </Item>
      <Item onClick={act(compareWithFile)} testId="menu-compare-file">
        Compare with another model…
      </Item>
      <Item onClick={act(openAsScenario)} testId="menu-proposal">
        Open their changes as a scenario…
      </Item>
      <Item onClick={act(mergeFromFile)} testId="menu-merge">
        Merge changes from a file…
      </Item>
      <Item onClick={act(() => setDialog("merge", null))} testId="menu-conflicts">
        Resolve merge conflicts…
      </Item>
      <Item onClick={act(() => setDialog("share"))} testId="menu-share">
        Share a copy…
      </Item>
    </>
  );
}

function FileMenu() {
  const s = useStore();
  const [unsaved, setUnsaved] = useUntitled(s.ws);
  const act = (close: () => void, f: () => unknown) => () => {
    close();
    void f();
  };
  const recent = s.ws?.recent ?? [];
  const others = unsaved.filter((u) => u.path !== s.ws?.snapshot.view.path);
  return (
    <Menu label="File ▾" testId="file-menu">
      {(close) => (
        <>
          <Item onClick={act(close, s.newModel)} testId="menu-new" kbd="Ctrl+N">
            New model…
          </Item>
          <Item onClick={act(close, s.open)} testId="menu-open" kbd="Ctrl+O">
            Open…
          </Item>
          <Item onClick={act(close, s.openExample)} testId="menu-example">
            Open the example (mortgage decision)
          </Item>
          <hr />
          <Item onClick={act(close, s.save)} testId="menu-save" kbd="Ctrl+S">
            Save
          </Item>
          <Item onClick={act(close, s.saveAs)} testId="menu-save-as" kbd="Ctrl+Shift+S">
            Save as…
          </Item>
          <hr />
          <ShareItems close={close} />
          <hr />
          <Item onClick={act(close, () => s.setDialog("import"))} testId="menu-import">
            Import work-item history…
          </Item>
          <Item onClick={act(close, () => s.setDialog("export"))} testId="menu-export" kbd="Ctrl+E">
            Export report, workbook or map…
          </Item>
          {recent.length > 0 && (
            <>
              <hr />
              <div className="label">Recent</div>
              {recent.map((r) => (
                <button role="menuitem" key={r.path} title={r.name} onClick={act(close, () => s.openRecent(r.path))}>
                  {r.name}
                </button>
              ))}
            </>
          )}
          {others.length > 0 && (
            <>
              <hr />
              <div className="label">Unsaved models</div>
              <UnsavedList list={unsaved} setList={setUnsaved} onOpen={(p) => act(close, () => s.openRecent(p))()} />
            </>
          )}
          <hr />
          <Item onClick={act(close, s.quit)} testId="menu-quit" kbd="Ctrl+Q">
            Quit
          </Item>
        </>
      )}
    </Menu>
  );
}

function FileStatus() {
  const ws = useStore((s) => s.ws)!;
  const v = ws.snapshot.view;
  const status = ws.read_only
    ? `${v.file_name} · read-only`
    : ws.untitled
      ? ws.edited
        ? "Edited · in Unsaved models until you save it"
        : "Not yet saved to a file of your own"
      : `${v.file_name} · all changes saved`;
  return (
    <div className="docname">
      <strong data-testid="model-name" title={v.model.name}>
        {v.model.name}
      </strong>
      <span data-testid="file-status" title={ws.untitled ? "Save as… to keep it where you choose" : v.file_name}>
        {status}
      </span>
    </div>
  );
}

/** How to walk and leave, in the bar while presenting (it never covers the map). */
function PresentHint() {
  return (
    <span className="present-hint" data-testid="present-hint">
      <kbd>←</kbd> <kbd>→</kbd> walk · <kbd>Esc</kbd> leave
    </span>
  );
}

export function TopBar() {
  const ws = useStore((s) => s.ws);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const presenting = useStore((s) => s.presenting);
  const setPresenting = useStore((s) => s.setPresenting);
  const setDialog = useStore((s) => s.setDialog);
  if (!ws) return null;
  const v = ws.snapshot.view;
  return (
    <header className="topbar">
      <span className="brand">
        <Logo /> <span className="brand-name">Tributary</span>
      </span>
      {!presenting && <FileMenu />}
      <FileStatus />
      <span className="spacer" />
      {presenting && <PresentHint />}
      {!presenting && (
        <div className="tb-group">
          <button className="tb-btn" onClick={() => void undo()} disabled={!v.undo} title={v.undo ? `Undo ${v.undo} (Ctrl+Z)` : "Nothing to undo"} data-testid="undo">
            ↶ <span className="tb-label">Undo</span>
          </button>
          <button className="tb-btn" onClick={() => void redo()} disabled={!v.redo} title={v.redo ? `Redo ${v.redo} (Ctrl+Shift+Z)` : "Nothing to redo"} data-testid="redo">
            ↷ <span className="tb-label">Redo</span>
          </button>
        </div>
      )}
      <ScenarioSwitch />
      {!presenting && <RoomButton />}
      {!presenting && (
        <button className="tb-btn" onClick={() => setDialog("help", null)} title="What the figures mean, keys, display size" data-testid="help">
          ? <span className="tb-label">Help</span>
        </button>
      )}
      <button className={presenting ? "tb-btn primary" : "tb-btn"} onClick={() => setPresenting(!presenting)} title="Presentation mode (P)" data-testid="present">
        {presenting ? "Leave" : "Present"}
      </button>
    </header>
  );
}
