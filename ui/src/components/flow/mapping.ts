// The Import dialog's model: the formats with plain labels, a guess from the file's name, and
// the mapping table (statuses and types with their counts) turned into the engine's Mapping.
import type { Format } from "../../ipc/bindings/Format";
import type { FlowState } from "../../ipc/bindings/FlowState";
import type { ItemKind } from "../../ipc/bindings/ItemKind";
import type { Mapping } from "../../ipc/bindings/Mapping";
import type { Preview } from "../../ipc/bindings/Preview";

export const FORMATS: { value: Format; label: string; delivery?: boolean }[] = [
  { value: "events-csv", label: "Events CSV (Tributary's neutral event log)" },
  { value: "jira-json", label: "Jira issues JSON with changelog" },
  { value: "jira-history-csv", label: "Jira Data Center issue history CSV" },
  { value: "jira-csv", label: "Jira issue CSV (created and resolved dates only)" },
  { value: "stage-dates-csv", label: "Stage dates CSV (one date column per stage)" },
  { value: "azure-devops-json", label: "Azure DevOps work item updates JSON" },
  { value: "gitlab-events-json", label: "GitLab state and label events JSON" },
  { value: "github-timeline-json", label: "GitHub issue timeline events JSON" },
  { value: "github-actions-json", label: "GitHub Actions workflow runs JSON (deployments)", delivery: true },
  { value: "gitlab-pipelines-json", label: "GitLab pipelines JSON (deployments)", delivery: true },
  { value: "deployments-csv", label: "Deployments, changes and incidents CSV", delivery: true },
];

export function isDelivery(f: Format): boolean {
  return FORMATS.some((x) => x.value === f && x.delivery);
}

/** The likeliest format for a file, from its extension and the words in its name. */
export function guessFormat(path: string): Format {
  const name = (path.split(/[\\/]/).pop() ?? path).toLowerCase();
  const has = (...words: string[]) => words.some((w) => name.includes(w));
  if (name.endsWith(".json")) {
    if (has("action", "workflow", "runs")) return "github-actions-json";
    if (has("pipeline")) return "gitlab-pipelines-json";
    if (has("gitlab")) return "gitlab-events-json";
    if (has("github", "timeline")) return "github-timeline-json";
    if (has("azure", "devops", "ado", "updates")) return "azure-devops-json";
    return "jira-json";
  }
  if (has("deploy", "incident")) return "deployments-csv";
  if (has("issue_history", "history")) return "jira-history-csv";
  if (has("jira")) return "jira-csv";
  if (has("stage")) return "stage-dates-csv";
  return "events-csv";
}

export const STATES: { value: FlowState; label: string }[] = [
  { value: "new", label: "New (not committed)" },
  { value: "waiting", label: "Waiting" },
  { value: "active", label: "Active" },
  { value: "done", label: "Done" },
  { value: "canceled", label: "Canceled" },
];

export const KINDS: { value: ItemKind; label: string }[] = [
  { value: "feature", label: "Feature" },
  { value: "defect", label: "Defect" },
  { value: "risk", label: "Risk" },
  { value: "debt", label: "Debt" },
];

export type StatusRow = {
  status: string;
  /** Events of the file that enter the status (0 when only the stored mapping names it). */
  events: number;
  itemsNow: number;
  inFile: boolean;
  state: FlowState | null;
  stage: string | null;
};

export type TypeRow = { itemType: string; items: number; inFile: boolean; kind: ItemKind | null };

/**
 * The table's rows: the statuses the stream's mapping names, in its (workflow) order, then the
 * file's other statuses in the file's order. Statuses kept only by the mapping stay in it.
 */
export function tableRows(preview: Preview, stored: Mapping): { statuses: StatusRow[]; types: TypeRow[] } {
  const fromFile = new Map(preview.statuses.map((s) => [s.status, s]));
  const stateOf = new Map(stored.states.map((s) => [s.status, s.state]));
  const stageOf = new Map(stored.stages.map((s) => [s.status, s.stage]));
  const order: string[] = [];
  const add = (s: string) => {
    if (!order.includes(s)) order.push(s);
  };
  stored.states.forEach((s) => add(s.status));
  stored.stages.forEach((s) => add(s.status));
  preview.statuses.forEach((s) => add(s.status));
  const statuses = order.map((status): StatusRow => {
    const f = fromFile.get(status);
    return {
      status,
      events: Number(f?.events ?? 0),
      itemsNow: Number(f?.items_now ?? 0),
      inFile: f !== undefined,
      state: f?.state ?? stateOf.get(status) ?? null,
      stage: f?.stage ?? stageOf.get(status) ?? null,
    };
  });
  const typesFromFile = new Map(preview.types.map((t) => [t.item_type, t]));
  const kindOf = new Map(stored.types.map((t) => [t.item_type, t.kind]));
  const typeOrder: string[] = [];
  stored.types.forEach((t) => typeOrder.includes(t.item_type) || typeOrder.push(t.item_type));
  preview.types.forEach((t) => typeOrder.includes(t.item_type) || typeOrder.push(t.item_type));
  const types = typeOrder.map((itemType): TypeRow => {
    const f = typesFromFile.get(itemType);
    return { itemType, items: Number(f?.items ?? 0), inFile: f !== undefined, kind: f?.kind ?? kindOf.get(itemType) ?? null };
  });
  return { statuses, types };
}

/** The Mapping the table says: mapped rows only, in the table's order (the workflow order). */
export function toMapping(statuses: StatusRow[], types: TypeRow[]): Mapping {
  return {
    states: statuses.filter((r) => r.state !== null).map((r) => ({ status: r.status, state: r.state! })),
    stages: statuses.filter((r) => r.stage !== null).map((r) => ({ status: r.status, stage: r.stage! })),
    types: types.filter((r) => r.kind !== null).map((r) => ({ item_type: r.itemType, kind: r.kind! })),
  };
}

export function sameMapping(a: Mapping, b: Mapping): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Moves row `i` one place up (-1) or down (1) among the rows shown (reordering the workflow). */
export function move<T>(rows: T[], i: number, by: -1 | 1, shown: (r: T) => boolean = () => true): T[] {
  let j = i + by;
  while (j >= 0 && j < rows.length && !shown(rows[j]!)) j += by;
  if (j < 0 || j >= rows.length) return rows;
  const out = rows.slice();
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}
