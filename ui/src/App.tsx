import { useEffect, useState } from "react";
import { useStore } from "./state/store";
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

export function App() {
  const load = useStore((s) => s.load);
  const ready = useStore((s) => s.ws !== null);
  const view = useStore((s) => s.view);
  const presenting = useStore((s) => s.presenting);
  useEffect(() => {
    void load();
  }, [load]);
  useShortcuts();

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
  return (
    <PbcDragProvider>
      <div className={presenting ? "app presenting" : "app"}>
        <TopBar />
        <SubBar />
        <KpiStrip />
        <div className="main">
          <PbcLibrary />
          {view === "map" && <MapView />}
          {view === "matrix" && <MatrixView />}
          {view === "compare" && <CompareView />}
          {view === "initiatives" && <InitiativesView />}
          {view === "simulate" && <SimulateView />}
          {view === "flow" && <FlowView />}
          <Inspector />
        </div>
        <ExportDialog />
        <ImportDialog />
        <Toast />
        {presenting && <PresentHint />}
      </div>
    </PbcDragProvider>
  );
}

/** How to walk and leave, shown for a few seconds when the presentation starts. */
function PresentHint() {
  const [shown, setShown] = useState(true);
  useEffect(() => {
    const t = setTimeout(() => setShown(false), 5000);
    return () => clearTimeout(t);
  }, []);
  if (!shown) return null;
  return (
          <div className="present-hint">
            Presenting: <kbd>←</kbd> <kbd>→</kbd> walk the stages · <kbd>P</kbd> or <kbd>Esc</kbd> to leave
          </div>
  );
}
