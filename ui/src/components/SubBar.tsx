import { useStore, type View } from "../state/store";

const VIEWS: { id: View; label: string }[] = [
  { id: "map", label: "Map" },
  { id: "matrix", label: "PBC matrix" },
  { id: "compare", label: "Scenario comparison" },
  { id: "initiatives", label: "Initiatives" },
  { id: "simulate", label: "Simulate" },
  { id: "flow", label: "Measured flow" },
];

export function SubBar() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const setStream = useStore((s) => s.setStream);
  const view = useStore((s) => s.view);
  const setView = useStore((s) => s.setView);
  const run = useStore((s) => s.run);
  const presenting = useStore((s) => s.presenting);
  if (!ws) return null;
  const streams = ws.snapshot.view.model.streams;
  const addStream = async () => {
    const ok = await run({
      type: "add_stream",
      stream: {
        id: "",
        name: `Value stream ${streams.length + 1}`,
        demand_per_week: 10,
        cost_of_delay_per_week: 1000,
        urgency: { profile: "standard" },
        stages: [],
        edges: [],
      },
    });
    if (ok) {
      const last = useStore.getState().ws?.snapshot.view.model.streams.at(-1);
      if (last) setStream(last.id);
    }
  };
  return (
    <nav className="subbar">
      <div className="tabs" role="tablist" aria-label="Value streams">
        {streams.map((s) => (
          <button key={s.id} role="tab" className="tab" aria-selected={s.id === streamId} onClick={() => setStream(s.id)}>
            {s.name}
          </button>
        ))}
        {!presenting && (
          <button className="tab add" onClick={() => void addStream()} title="Add a value stream">
            + Stream
          </button>
        )}
      </div>
      <span className="spacer" />
      <div className="tabs" role="tablist" aria-label="Views">
        {VIEWS.map((v) => (
          <button key={v.id} role="tab" className="tab" aria-selected={view === v.id} onClick={() => setView(v.id)} data-testid={`view-${v.id}`}>
            {v.label}
          </button>
        ))}
      </div>
    </nav>
  );
}
