// The shell answers an action with the whole workspace or, after an edit, with only what changed
// since the version the UI holds (crates/api/src/outbox.rs). A patch applies to the version it
// was made against and to no other; a new workspace shares every unchanged part with the old
// one, so memoised views skip what did not change.
import { Immer, enablePatches, type Patch } from "immer";
import type { Reply } from "./bindings/Reply";
import type { Workspace } from "./bindings/Workspace";

enablePatches();
// Workspaces are never mutated by the UI; freezing them would cost a walk of the first one.
const immer = new Immer({ autoFreeze: false });

export type Held = { ws: Workspace | null; version: number };

/** The workspace a reply makes of the one held, or null when the reply is a patch against a
 * version the UI does not hold (a reply lost to an error): then ask for the whole workspace. */
export function receive(held: Held, reply: Reply): { ws: Workspace; version: number } | null {
  if (reply.kind === "full") return { ws: reply.workspace, version: reply.version };
  if (!held.ws || reply.base !== held.version) return null;
  if (reply.changes.length === 0) return { ws: held.ws, version: reply.version };
  const ws = immer.applyPatches(held.ws, reply.changes as Patch[]);
  return { ws, version: reply.version };
}
