// File actions: new models from templates, opening, saving and quitting. Before the open model
// is set aside while it lives only in the app's own folder, the user is told what happens to it
// (it stays in File > Unsaved models) and may save it first.
import { ipc, type Reply } from "../ipc/client";
import type { Core, Pending } from "./store";
import { unsavedWork } from "./store";

export type FileActions = {
  /** File > New: the start page with the templates. */
  newModel: () => void;
  newFrom: (template: string) => Promise<void>;
  open: () => Promise<void>;
  openRecent: (path: string) => Promise<void>;
  openExample: () => Promise<void>;
  save: () => Promise<void>;
  saveAs: () => Promise<boolean>;
  /** Closes the app, after the user's word when unsaved work would be set aside. */
  quit: () => Promise<void>;
  /** Runs `then` at once, or after the user has heard what happens to the unsaved model. */
  guard: (what: Pending["what"], then: () => Promise<void>) => Promise<void>;
};

export function fileActions({ set, get, adopt, fail }: Core): FileActions {
  const opening = (f: () => Promise<Reply | null>) => async () => {
    try {
      await adopt(await f(), { fresh: true });
    } catch (e) {
      fail(e);
    }
  };
  const guard: FileActions["guard"] = async (what, then) => {
    if (!unsavedWork(get())) return then();
    set({ dialog: "unsaved", dialogArg: { what, then } satisfies Pending });
  };
  return {
    guard,
    newModel: () => set({ dialog: "new", dialogArg: null }),
    newFrom: (template) => guard("new", opening(() => ipc.newFromTemplate(template))),
    open: () => guard("open", opening(() => ipc.openDialog())),
    openRecent: (path) => guard("open", opening(() => ipc.openRecent(path))),
    openExample: () => guard("open", opening(() => ipc.openExample())),
    save: async () => {
      if (get().ws?.untitled) {
        await get().saveAs();
        return;
      }
      // True at every moment: each edit is committed to the one file as it is made.
      get().notify(`Saved. ${get().ws?.snapshot.view.file_name ?? "The file"} holds every change as you make it.`, "info");
    },
    saveAs: async () => {
      try {
        const ws = await adopt(await ipc.saveAsDialog(get().scenarioId));
        if (ws) get().notify(`Saved as ${ws.snapshot.view.file_name}. Every change from now on is saved to it as you make it.`, "info");
        return !!ws;
      } catch (e) {
        fail(e);
        return false;
      }
    },
    quit: () =>
      guard("quit", async () => {
        try {
          await ipc.quit();
        } catch (e) {
          fail(e);
        }
      }),
  };
}
