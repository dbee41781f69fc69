// File > New: a blank model, the bundled examples and the starter PBC catalogues; and the
// models not yet saved to a file of the user's own, which stay in the app's folder until saved
// or discarded. Before the open unsaved model is set aside, the user hears what happens to it.
import { useEffect, useState } from "react";
import { ipc } from "../ipc/client";
import type { Template } from "../ipc/bindings/Template";
import type { UntitledModel } from "../ipc/bindings/UntitledModel";
import { useStore, type Pending } from "../state/store";
import { Dialog } from "./Dialog";

/** The unsaved models, refreshed whenever `key` changes (the workspace). */
export function useUntitled(key: unknown): [UntitledModel[], (list: UntitledModel[]) => void] {
  const [list, setList] = useState<UntitledModel[]>([]);
  useEffect(() => {
    let live = true;
    ipc
      .untitledModels()
      .then((l) => live && setList(l))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [key]);
  return [list, setList];
}

function TemplateCard({ t, onPick }: { t: Template; onPick: (id: string) => void }) {
  const what =
    t.kind === "catalogue"
      ? `${t.pbcs} PBCs in ${t.domains.length} domains: ${t.domains.join(", ")}`
      : t.kind === "example"
        ? `${t.stages} stages, ${t.pbcs} PBCs, a future state and initiatives`
        : "Start from nothing";
  return (
    <button className={`template ${t.kind}`} onClick={() => onPick(t.id)} data-testid={`template-${t.id}`}>
      <strong>{t.name}</strong>
      <span className="what">{what}</span>
      <span className="desc">{t.description}</span>
    </button>
  );
}

/** The unsaved models with Open and Discard. */
export function UnsavedList({ list, setList, onOpen }: { list: UntitledModel[]; setList: (l: UntitledModel[]) => void; onOpen: (path: string) => void }) {
  const current = useStore((s) => s.ws?.snapshot.view.path);
  const notify = useStore((s) => s.notify);
  if (list.length === 0) return null;
  return (
    <ul className="unsaved-list" data-testid="unsaved-list">
      {list.map((u) => (
        <li key={u.path}>
          <span className="name">{u.name}</span>
          <span className="meta num">
            {u.modified} · {u.stages} stages · {u.pbcs} PBCs
          </span>
          {u.path === current ? (
            <span className="pill">open now</span>
          ) : (
            <span className="actions">
              <button className="btn small" onClick={() => onOpen(u.path)} data-testid="unsaved-open">
                Open
              </button>
              <button
                className="btn small danger"
                data-testid="unsaved-discard"
                onClick={() =>
                  ipc
                    .discardUntitled(u.path)
                    .then((l) => {
                      setList(l);
                      notify(`Discarded “${u.name}”.`);
                    })
                    .catch((e: { plain?: string }) => notify(e.plain ?? String(e), "error"))
                }
              >
                Discard
              </button>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function StartPage() {
  const open = useStore((s) => s.dialog === "new");
  const setDialog = useStore((s) => s.setDialog);
  const newFrom = useStore((s) => s.newFrom);
  const openRecent = useStore((s) => s.openRecent);
  const ws = useStore((s) => s.ws);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [list, setList] = useUntitled(ws);
  useEffect(() => {
    if (open) void ipc.templates().then(setTemplates).catch(() => setTemplates([]));
  }, [open]);
  if (!open) return null;
  const pick = (id: string) => {
    setDialog(null);
    void newFrom(id);
  };
  const groups: [string, Template["kind"][]][] = [
    ["Start", ["blank", "catalogue"]],
    ["Learn from an example", ["example"]],
  ];
  return (
    <Dialog title="New model" onClose={() => setDialog(null)} testId="start-page" wide>
      {groups.map(([title, kinds]) => (
        <section key={title}>
          <h3>{title}</h3>
          <div className="templates">
            {templates
              .filter((t) => kinds.includes(t.kind))
              .map((t) => (
                <TemplateCard key={t.id} t={t} onPick={pick} />
              ))}
          </div>
        </section>
      ))}
      {list.filter((u) => u.path !== ws?.snapshot.view.path).length > 0 && (
        <section>
          <h3>Not yet saved to a file of your own</h3>
          <UnsavedList
            list={list}
            setList={setList}
            onOpen={(path) => {
              setDialog(null);
              void openRecent(path);
            }}
          />
        </section>
      )}
    </Dialog>
  );
}

const WHAT: Record<Pending["what"], string> = { new: "Start the new model", open: "Open the other model", quit: "Quit" };

/** Says what happens to the open unsaved model before New, Open or Quit set it aside. */
export function UnsavedDialog() {
  const pending = useStore((s) => (s.dialog === "unsaved" ? (s.dialogArg as Pending) : null));
  const name = useStore((s) => s.ws?.snapshot.view.model.name ?? "This model");
  const setDialog = useStore((s) => s.setDialog);
  const saveAs = useStore((s) => s.saveAs);
  if (!pending) return null;
  const go = async (save: boolean) => {
    setDialog(null);
    if (save && !(await saveAs())) return;
    await pending.then();
  };
  return (
    <Dialog
      title={`“${name}” is not saved to a file of your own`}
      onClose={() => setDialog(null)}
      testId="unsaved-dialog"
      actions={
        <>
          <button className="btn" onClick={() => setDialog(null)} data-testid="unsaved-cancel">
            Cancel
          </button>
          <button className="btn" onClick={() => void go(false)} data-testid="unsaved-continue">
            {WHAT[pending.what]}, keep it in Unsaved models
          </button>
          <button className="btn primary" onClick={() => void go(true)} data-testid="unsaved-save">
            Save as…
          </button>
        </>
      }
    >
      <p>
        Every change you made is kept. Until you save it where you choose, it lives in Tributary&apos;s own folder: it stays listed under{" "}
        <strong>File › Unsaved models</strong> (and on the New model page), where you can open it again, save it, or discard it.
      </p>
    </Dialog>
  );
}
