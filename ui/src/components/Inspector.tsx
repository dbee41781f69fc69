// The inspector edits what is selected. In the baseline an edit changes the model; with a
// scenario active the same edit becomes a change of that scenario (the engine merges it). On a
// small screen it opens over the map when something is selected and closes with its ×.
import { useStore } from "../state/store";
import { useRun } from "./inspector/common";
import { StageInspector } from "./inspector/StageInspector";
import { AssignmentInspector } from "./inspector/AssignmentInspector";
import { PbcInspector } from "./inspector/PbcInspector";
import { StreamInspector } from "./inspector/StreamInspector";

function EdgeInspector({ streamId, from, to }: { streamId: string; from: string; to: string }) {
  const ws = useStore((s) => s.ws)!;
  const remove = useStore((s) => s.remove);
  const select = useStore((s) => s.select);
  const { scenarioId } = useRun();
  const stream = ws.snapshot.view.model.streams.find((s) => s.id === streamId);
  const name = (id: string) => stream?.stages.find((s) => s.id === id)?.name ?? "a stage that no longer exists";
  const explicit = stream?.edges.some((e) => e.from === from && e.to === to) ?? false;
  return (
    <div className="form">
      <h3>
        {name(from)} → {name(to)}
      </h3>
      <p className="empty-note flush">
        {explicit
          ? "Work flows along this arrow. Remove it to split the flow, or draw new arrows between the stages' handles to add parallel branches."
          : "This stream is drawn as a line in the order of its stages. Draw an arrow from one stage's right handle to another's left handle to add a parallel branch."}
      </p>
      {explicit && !scenarioId && (
        <div className="actions">
          <button
            className="btn small danger"
            onClick={async () => {
              if (await remove({ type: "disconnect", stream: streamId, from, to }, `the arrow ${name(from)} → ${name(to)}`)) select(null);
            }}
          >
            Remove arrow
          </button>
        </div>
      )}
    </div>
  );
}

const TITLES = { assignment: "PBC at stage", pbc: "PBC", edge: "Flow", stage: "Stage" } as const;

export function Inspector() {
  const sel = useStore((s) => s.selection);
  const streamId = useStore((s) => s.streamId);
  const setPanel = useStore((s) => s.setPanel);
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className="panel-head">
        <h2>{sel ? TITLES[sel.kind] : "Stream"}</h2>
        <button className="panel-close" onClick={() => setPanel("inspector", false)} aria-label="Close the inspector" title="Close the inspector" data-testid="inspector-close">
          ×
        </button>
      </div>
      {sel?.kind === "stage" && <StageInspector key={`${sel.stream}/${sel.id}`} streamId={sel.stream} stageId={sel.id} />}
      {sel?.kind === "assignment" && <AssignmentInspector key={`${sel.pbc}/${sel.stream}/${sel.stage}`} pbc={sel.pbc} streamId={sel.stream} stageId={sel.stage} />}
      {sel?.kind === "pbc" && <PbcInspector key={sel.id} id={sel.id} />}
      {sel?.kind === "edge" && <EdgeInspector streamId={sel.stream} from={sel.from} to={sel.to} />}
      {!sel && streamId && <StreamInspector key={streamId} streamId={streamId} />}
      {!sel && !streamId && <p className="empty-note">Add a value stream to start.</p>}
    </aside>
  );
}
