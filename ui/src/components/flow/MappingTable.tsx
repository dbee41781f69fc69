// The status and type mapping, edited in a table with the counts beside each name. Nothing
// is guessed: an unmapped status is highlighted and counts neither as active, waiting nor done.
import { useState } from "react";
import type { FlowState } from "../../ipc/bindings/FlowState";
import type { ItemKind } from "../../ipc/bindings/ItemKind";
import { KINDS, STATES, move, type StatusRow, type TypeRow } from "./mapping";
import { count } from "./scale";

export function MappingTable({
  statuses,
  types,
  stages,
  onChange,
  countLabel = "Events",
  showNow = true,
  absentNote = " · not in this file",
  disabled = false,
}: {
  statuses: StatusRow[];
  types: TypeRow[];
  stages: { id: string; name: string }[];
  onChange: (statuses: StatusRow[], types: TypeRow[]) => void;
  countLabel?: string;
  /** Show how many items are at each status now (the file's latest events). */
  showNow?: boolean;
  /** Said of a row the file does not have. */
  absentNote?: string;
  disabled?: boolean;
}) {
  const [showAbsent, setShowAbsent] = useState(false);
  // Statuses only the stored mapping names stay in it; they are folded away unless asked for.
  const collapse = absentNote !== "";
  const shown = (r: StatusRow) => showAbsent || !collapse || r.inFile;
  const shownType = (r: TypeRow) => showAbsent || !collapse || r.inFile;
  const absent = collapse ? statuses.filter((r) => !r.inFile).length : 0;
  const absentTypes = collapse ? types.filter((r) => !r.inFile).length : 0;
  const firstShown = statuses.findIndex(shown);
  const lastShown = statuses.length - 1 - [...statuses].reverse().findIndex(shown);
  const unmapped = statuses.filter((r) => r.state === null && r.inFile);
  const unmappedTypes = types.filter((r) => r.kind === null && r.inFile);
  const setRow = (i: number, patch: Partial<StatusRow>) => onChange(statuses.map((r, k) => (k === i ? { ...r, ...patch } : r)), types);
  const setType = (i: number, kind: ItemKind | null) => onChange(statuses, types.map((r, k) => (k === i ? { ...r, kind } : r)));
  return (
    <div className="fl-mapping">
      <div className="fl-maphead">
        <h3>Statuses</h3>
        {unmapped.length > 0 ? (
          <span className="fl-warn" data-testid="unmapped-count">
            ! {unmapped.length} status{unmapped.length === 1 ? "" : "es"} not mapped: counted neither as active, waiting nor done
          </span>
        ) : (
          <span className="hint">Every status is mapped. The order is the workflow&apos;s: the bands of the cumulative flow diagram.</span>
        )}
      </div>
      <table className="t fl-maptable" data-testid="status-table">
        <thead>
          <tr>
            <th style={{ width: 54 }}>Order</th>
            <th>Status</th>
            <th className="n">{countLabel}</th>
            {showNow && <th className="n">Items there now</th>}
            <th>Flow state</th>
            <th>Stage of the stream</th>
          </tr>
        </thead>
        <tbody>
          {statuses.map(
            (r, i) =>
              shown(r) && (
              <tr key={r.status} className={r.state === null ? "fl-unmapped" : r.inFile || !absentNote ? undefined : "fl-absent"} data-testid={`status-row-${r.status}`}>
                <td className="fl-order">
                  <button className="fl-mini" aria-label={`Move ${r.status} up`} disabled={disabled || i === firstShown} onClick={() => onChange(move(statuses, i, -1, shown), types)}>
                    ↑
                  </button>
                  <button className="fl-mini" aria-label={`Move ${r.status} down`} disabled={disabled || i === lastShown} onClick={() => onChange(move(statuses, i, 1, shown), types)}>
                    ↓
                  </button>
                </td>
                <td>
                  {r.status}
                  {r.state === null && <span className="fl-tag">! not mapped</span>}
                  {!r.inFile && absentNote && <span className="fl-muted">{absentNote}</span>}
                </td>
                <td className="n">{r.inFile ? count(r.events) : "—"}</td>
                {showNow && <td className="n">{r.inFile ? count(r.itemsNow) : "—"}</td>}
                <td>
                  <select
                    aria-label={`Flow state of ${r.status}`}
                    disabled={disabled}
                    data-testid={`map-state-${r.status}`}
                    value={r.state ?? ""}
                    onChange={(e) => setRow(i, { state: e.target.value === "" ? null : (e.target.value as FlowState) })}
                  >
                    <option value="">— not mapped —</option>
                    {STATES.map((s) => (
                      <option key={s.value} value={s.value}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select
                    aria-label={`Stage of ${r.status}`}
                    disabled={disabled}
                    data-testid={`map-stage-${r.status}`}
                    value={r.stage ?? ""}
                    onChange={(e) => setRow(i, { stage: e.target.value === "" ? null : e.target.value })}
                  >
                    <option value="">No stage</option>
                    {stages.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                    {r.stage !== null && !stages.some((s) => s.id === r.stage) && <option value={r.stage}>{r.stage} (not in the stream)</option>}
                  </select>
                </td>
              </tr>
              ),
          )}
        </tbody>
      </table>
      {absent + absentTypes > 0 && (
        <p className="fl-muted fl-small-text">
          {[absent > 0 ? `${absent} status${absent === 1 ? "" : "es"}` : "", absentTypes > 0 ? `${absentTypes} item type${absentTypes === 1 ? "" : "s"}` : ""]
            .filter(Boolean)
            .join(" and ")}{" "}
          of the stream&apos;s mapping are not in this file; they stay mapped as they are.{" "}
          <button className="fl-link" onClick={() => setShowAbsent(!showAbsent)} data-testid="toggle-absent">
            {showAbsent ? "Hide them" : "Show them"}
          </button>
        </p>
      )}
      {types.length > 0 && (
        <>
          <div className="fl-maphead">
            <h3>Item types</h3>
            {unmappedTypes.length > 0 ? (
              <span className="fl-warn" data-testid="unmapped-types">
                ! {unmappedTypes.length} type{unmappedTypes.length === 1 ? "" : "s"} not mapped: their items show as “unmapped” in the flow distribution
              </span>
            ) : (
              <span className="hint">Feature, defect, risk and debt: the Flow Framework&apos;s item kinds.</span>
            )}
          </div>
          <table className="t fl-maptable" data-testid="type-table">
            <thead>
              <tr>
                <th>Type</th>
                <th className="n">Items</th>
                <th>Kind</th>
              </tr>
            </thead>
            <tbody>
              {types.map(
                (r, i) =>
                  shownType(r) && (
                <tr key={r.itemType} className={r.kind === null ? "fl-unmapped" : r.inFile || !absentNote ? undefined : "fl-absent"}>
                  <td>
                    {r.itemType}
                    {r.kind === null && <span className="fl-tag">! not mapped</span>}
                    {!r.inFile && absentNote && <span className="fl-muted">{absentNote}</span>}
                  </td>
                  <td className="n">{r.inFile ? count(r.items) : "—"}</td>
                  <td>
                    <select
                      aria-label={`Kind of ${r.itemType}`}
                      disabled={disabled}
                      data-testid={`map-kind-${r.itemType}`}
                      value={r.kind ?? ""}
                      onChange={(e) => setType(i, e.target.value === "" ? null : (e.target.value as ItemKind))}
                    >
                      <option value="">— not mapped —</option>
                      {KINDS.map((k) => (
                        <option key={k.value} value={k.value}>
                          {k.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
                  ),
              )}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
