// The VSM timeline ladder under the map: a square wave along the critical path, wait on the
// upper rung, process time on the lower, and the summary box with the totals at the right end.
import { memo, useEffect, useRef } from "react";
import { useStore } from "../state/store";
import { duration, percent } from "../format";
import type { TimeUnit } from "../ipc/bindings/TimeUnit";
import { HelpLink } from "./Help";

/** One step of the square wave; memoised so an edit redraws only the steps it changes. */
const Step = memo(function Step({ id, name, wait, process, unit, pos, selected }: { id: string; name: string; wait: number; process: number; unit: TimeUnit; pos: "first" | "last" | "mid"; selected: boolean }) {
  const cls = ["seg", pos === "mid" ? "" : pos, selected ? "selected" : ""].filter(Boolean).join(" ");
  return (
    <div className={cls} title={name} data-stage={id}>
      <div className="w">
        <span>{duration(wait, unit)}</span>
      </div>
      <div className="p">
        <span>{duration(process, unit)}</span>
      </div>
      <em className="name">{name}</em>
    </div>
  );
});

export function Ladder() {
  const ws = useStore((s) => s.ws);
  const streamId = useStore((s) => s.streamId);
  const selected = useStore((s) => (s.selection?.kind === "stage" ? s.selection.id : null));
  const rungs = useRef<HTMLDivElement>(null);
  // A long path scrolls sideways (each step keeps a readable width); keep the selected stage's
  // step in sight.
  useEffect(() => {
    const box = rungs.current;
    const step = selected ? box?.querySelector<HTMLElement>(`[data-stage="${CSS.escape(selected)}"]`) : null;
    if (!box || !step) return;
    if (step.offsetLeft < box.scrollLeft || step.offsetLeft + step.offsetWidth > box.scrollLeft + box.clientWidth) {
      box.scrollLeft = step.offsetLeft - (box.clientWidth - step.offsetWidth) / 2;
    }
  }, [selected, streamId]);
  if (!ws) return null;
  const metrics = ws.snapshot.scenario?.metrics ?? ws.snapshot.view.metrics;
  const sm = metrics.streams.find((s) => s.id === streamId);
  if (!sm || sm.stages.length === 0) return null;
  const unit = metrics.unit;
  const path = sm.critical_path.map((id) => sm.stages.find((s) => s.id === id)!).filter(Boolean);
  return (
    <div className="ladder" data-testid="ladder">
      <div>
        <div className="caption">
          Timeline along the critical path: waiting on the upper rung, hands-on work on the lower
          {sm.critical_path.length < sm.stages.length ? " (stages on parallel branches are off the ladder)" : ""}
        </div>
        <div className="rungs num" role="img" aria-label="Timeline ladder" ref={rungs} data-testid="ladder-rungs">
          {path.map((st, k) => (
            <Step
              key={st.id}
              id={st.id}
              name={st.name}
              wait={st.wait_time}
              process={st.process_time}
              unit={unit}
              pos={k === 0 ? "first" : k === path.length - 1 ? "last" : "mid"}
              selected={st.id === selected}
            />
          ))}
        </div>
      </div>
      <div className="summary num" data-testid="summary-box">
        <div>
          <span>Summary</span>
          <span>{ws.snapshot.scenario ? "future" : "current"}</span>
        </div>
        <div>
          <span>
            Lead time <HelpLink term="lead_time" />
          </span>
          <b data-testid="summary-lead-time">{duration(sm.lead_time, unit)}</b>
        </div>
        <div>
          <span>Process time</span>
          <b>{duration(sm.process_time, unit)}</b>
        </div>
        <div>
          <span>
            Activity ratio <HelpLink term="flow_efficiency" />
          </span>
          <b data-testid="summary-flow-efficiency">{percent(sm.flow_efficiency)}</b>
        </div>
        <div>
          <span>
            Rolled %C&amp;A <HelpLink term="pca" />
          </span>
          <b>{percent(sm.rolled_pca)}</b>
        </div>
      </div>
    </div>
  );
}
