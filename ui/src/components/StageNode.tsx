// A stage as a VSM process box: name bar, owning team, data box (PT, WT, LT, %C&A, people and
// load), and the PBCs that serve it as chips. Small and memoised: large maps draw hundreds.
import { memo } from "react";
import { Handle, Position, type NodeProps, type Node } from "@xyflow/react";
import { duration, number, percent } from "../format";
import type { StageMetrics } from "../ipc/bindings/StageMetrics";
import type { TimeUnit } from "../ipc/bindings/TimeUnit";
import type { PbcKind } from "../ipc/bindings/PbcKind";
import { useDrag } from "./pbcDrag";
import { useStore } from "../state/store";
import type { StageMeasure } from "./flow/flowStore";
import "./flow/flow.css";

export type ChipData = { pbc: string; name: string; kind: PbcKind; process: number; wait: number };

export type StageData = {
  stream: string;
  id: string;
  name: string;
  team: string | undefined;
  metrics: StageMetrics;
  unit: TimeUnit;
  chips: ChipData[];
  bottleneck: boolean;
  affected: boolean;
  future: boolean;
  dim: boolean;
  selectedChip: string | null;
  readOnly: boolean;
  /** Measured median lead time beside the drawn one, when the stream has telemetry. */
  measured?: StageMeasure | null;
};

export type StageNodeType = Node<StageData, "stage">;

function Kaizen() {
  // A starburst: where the future state changes the map.
  const pts: string[] = [];
  for (let i = 0; i < 16; i++) {
    const r = i % 2 === 0 ? 16 : 9;
    const a = (Math.PI * 2 * i) / 16;
    pts.push(`${17 + r * Math.cos(a)},${17 + r * Math.sin(a)}`);
  }
  return (
    <svg className="kaizen" viewBox="0 0 34 34" aria-label="Changed in this scenario">
      <polygon points={pts.join(" ")} fill="#fde047" stroke="#ca8a04" strokeWidth="1.2" />
    </svg>
  );
}

function Queue({ wait, unit }: { wait: number; unit: TimeUnit }) {
  return (
    <div className="queue" aria-hidden="true">
      <svg width="26" height="22" viewBox="0 0 26 22">
        <polygon points="13,1 25,21 1,21" fill="#fde68a" stroke="#b45309" strokeWidth="1.5" />
        <text x="13" y="18" textAnchor="middle" fontSize="11" fontWeight="700" fill="#92400e">
          I
        </text>
      </svg>
      <div className="w">{duration(wait, unit)}</div>
    </div>
  );
}

function Chip({ chip, stream, stage, unit, selected, readOnly }: { chip: ChipData; stream: string; stage: string; unit: TimeUnit; selected: boolean; readOnly: boolean }) {
  const { start } = useDrag();
  const select = useStore((s) => s.select);
  const run = useStore((s) => s.run);
  const scenarioId = useStore((s) => s.scenarioId);
  const time = chip.process + chip.wait;
  const remove = (e: React.MouseEvent) => {
    e.stopPropagation();
    void run(
      scenarioId
        ? { type: "upsert_change", scenario: scenarioId, change: { kind: "unassign_pbc", pbc: chip.pbc, stream, stage } }
        : { type: "unassign", pbc: chip.pbc, stream, stage },
    );
  };
  return (
    <span
      className={`chip nodrag ${chip.kind}${selected ? " selected" : ""}`}
      data-testid={`chip-${chip.pbc}`}
      title={`${chip.name}: adds ${duration(chip.process, unit)} process, ${duration(chip.wait, unit)} wait here`}
      onPointerDown={(e) => {
        if (readOnly) return;
        e.stopPropagation();
        start({ kind: "chip", pbc: chip.pbc, stream, stage, label: chip.name }, e);
      }}
      onClick={(e) => {
        e.stopPropagation();
        select({ kind: "assignment", pbc: chip.pbc, stream, stage });
      }}
    >
      <span className="label">{chip.name}</span>
      {time > 0 && <span className="t num">+{number(time)}</span>}
      {!readOnly && (
        <button className="x" aria-label={`Remove ${chip.name} from this stage`} onClick={remove}>
          ×
        </button>
      )}
    </span>
  );
}

/** "Measured 12 h · drawn 8 h": the measured median lead time, highlighted when the engine flags the gap. */
function MeasuredLine({ m, unit, future, id }: { m: StageMeasure; unit: TimeUnit; future: boolean; id: string }) {
  const drawnLabel = future ? "baseline" : "drawn";
  return (
    <div
      className={m.flagged ? "measured off" : "measured"}
      data-testid={`measured-${id}`}
      title={`Measured median lead time of ${m.items} items done${m.drawn !== null ? `; ${future ? "the baseline map" : "the map"} says ${duration(m.drawn, unit)}` : ""}${m.flagged ? ": more than 25 % off" : ""}`}
    >
      <span>
        Measured <b>{duration(m.lead, unit)}</b>
      </span>
      {m.drawn !== null && (
        <span>
          {drawnLabel} {duration(m.drawn, unit)}
          {m.flagged && <span className="flag"> !</span>}
        </span>
      )}
    </div>
  );
}

function StageNodeInner({ data, selected }: NodeProps<StageNodeType>) {
  const { target } = useDrag();
  const m = data.metrics;
  const dropTarget = target !== null && "stage" in target && target.stage === data.id && target.stream === data.stream;
  const cls = [
    "stage",
    data.future ? "future" : "",
    selected ? "selected" : "",
    data.bottleneck ? "bottleneck" : "",
    dropTarget ? "drop-target" : "",
    data.dim ? "dim" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={cls} data-stage-id={data.id} data-stream-id={data.stream} data-testid={`stage-${data.id}`}>
      <Handle type="target" position={Position.Left} />
      {m.wait_time > 0 && <Queue wait={m.wait_time} unit={data.unit} />}
      {data.affected && <Kaizen />}
      <div className="title">
        <strong>{data.name}</strong>
        {data.bottleneck && <span className="bn-flag">Bottleneck</span>}
      </div>
      <div className="team">{data.team ?? "No owning team"}</div>
      <div className="data num">
        <span>PT</span>
        <span data-testid={`pt-${data.id}`}>{duration(m.process_time, data.unit)}</span>
        <span>WT</span>
        <span data-testid={`wt-${data.id}`}>{duration(m.wait_time, data.unit)}</span>
        <span>LT</span>
        <span>{duration(m.lead_time, data.unit)}</span>
        <span>%C&amp;A</span>
        <span>{percent(m.pca)}</span>
        {m.capacity !== null && (
          <>
            <span>People</span>
            <span>{number(m.capacity)}</span>
            <span>Load</span>
            <span style={m.utilisation !== null && m.utilisation >= 0.85 ? { color: "var(--bad)" } : undefined}>
              {m.utilisation !== null ? percent(m.utilisation) : "—"}
            </span>
          </>
        )}
      </div>
      {data.measured && <MeasuredLine m={data.measured} unit={data.unit} future={data.future} id={data.id} />}
      <div className="chips">
        {data.chips.length === 0 ? (
          <span className="none">{data.readOnly ? "No PBCs" : "Drop PBCs here"}</span>
        ) : (
          data.chips.map((c) => (
            <Chip key={c.pbc} chip={c} stream={data.stream} stage={data.id} unit={data.unit} selected={data.selectedChip === c.pbc} readOnly={data.readOnly} />
          ))
        )}
      </div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const StageNode = memo(StageNodeInner);
