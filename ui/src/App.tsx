import { useEffect } from "react";
import { useStore } from "./state/store";
import { ipc } from "./ipc/client";
import { TopBar } from "./components/TopBar";
import { SubBar } from "./components/SubBar";
import { KpiStrip } from "./components/KpiStrip";
import { PbcLibrary } from "./components/PbcLibrary";
import { Inspector } from "./components/Inspector";
import { MapView } from "./components/MapView";
import { MatrixView } from "./components/MatrixView";
import { CompareView } from "./components/CompareView";
import { InitiativesView } from "./components/InitiativesView";
import { SimulateView } from "./components/simulate/SimulateView";
import { FlowView } from "./components/flow/FlowView";
import { ImportDialog } from "./components/flow/ImportDialog";
import { ExportDialog } from "./components/ExportDialog";
import { Toast } from "./components/Toast";
import { useShortcuts } from "./components/shortcuts";
import { PbcDragProvider } from "./components/pbcDrag";
import { HelpDialog } from "./components/Help";
import { StartPage, UnsavedDialog } from "./components/StartPage";
import { ScenarioDialog } from "./components/Scenarios";
import { TimeUnitDialog } from "./components/inspector/StreamInspector";
import { RoomPanel } from "./components/RoomPanel";
import { VersionsDialog } from "./components/share/VersionsDialog";
import { DiffDialog } from "./components/share/DiffDialog";
import { ShareDialog } from "./components/share/ShareDialog";
import { MergeDialog } from "./components/share/MergeDialog";

/** What the shell tells the UI unasked, and the preferences it keeps. */
function useShell() {
  useEffect(() => {
    // the window's close button: say what happens to unsaved work first (the shell waits)
    // an edit from the workshop room: its changes, applied as an edit's reply is
    // a second model double-clicked while the app runs: it opens here
    void ipc
      .appEvents((e) => {
        const s = useStore.getState();
        if (e.kind === "close_requested") void s.quit();
        if (e.kind === "model_changed") void ipc.changes(s.scenarioId).then(s.adopt, () => undefined);
        if (e.kind === "open_requested") void s.openRecent(e.path);
      })
      .catch(() => undefined);
    void ipc
      .preferences()
      .then((prefs) => useStore.setState({ prefs }))
      .catch(() => undefined);
  }, []);
}

function Dialogs() {
  return (
    <>
      <ExportDialog />
      <ImportDialog />
      <HelpDialog />
      <StartPage />
      <UnsavedDialog />
      <ScenarioDialog />
      <TimeUnitDialog />
      <RoomPanel />
      <VersionsDialog />
      <DiffDialog />
      <ShareDialog />
      <MergeDialog />
    </>
  );
}

/** The inspector's tab when it is closed, at the right edge of the map. */
function InspectorTab() {
  const open = useStore((s) => s.panels.inspector);
  const setPanel = useStore((s) => s.setPanel);
  if (open) return null;
  return (
    <button className="inspector-tab" onClick={() => setPanel("inspector", true)} data-testid="inspector-open" title="Open the inspector">
      Inspector
    </button>
  );
}

export function App() {
  const load = useStore((s) => s.load);
  const ready = useStore((s) => s.ws !== null);
  const view = useStore((s) => s.view);
  const presenting = useStore((s) => s.presenting);
  const panels = useStore((s) => s.panels);
  useEffect(() => {
    void load();
  }, [load]);
  useShortcuts();
  useShell();

  if (!ready) {
    return (
      <div className="app" aria-busy="true">
        <div className="topbar">
          <span className="brand">Tributary</span>
        </div>
        <Toast />
      </div>
    );
  }
  const main = ["main", panels.library ? "lib-open" : "lib-closed", panels.inspector ? "insp-open" : "insp-closed"].join(" ");
  return (
    <PbcDragProvider>
      <div className={presenting ? "app presenting" : "app"}>
        <TopBar />
        <SubBar />
        <KpiStrip />
        <div className={main} data-testid="main">
          <PbcLibrary />
          {view === "map" && <MapView />}
          {view === "matrix" && <MatrixView />}
          {view === "compare" && <CompareView />}
          {view === "initiatives" && <InitiativesView />}
          {view === "simulate" && <SimulateView />}
          {view === "flow" && <FlowView />}
          <Inspector />
          <InspectorTab />
        </div>
        <Dialogs />
        <Toast />
      </div>
    </PbcDragProvider>
  );
}
