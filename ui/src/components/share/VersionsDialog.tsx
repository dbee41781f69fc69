// File > Versions: named versions the file keeps ("Before the workshop", "Board pack v1"),
// each compared with the model as it is now, restored as one step that Undo takes back, or
// deleted. Making one keeps the model as it is now under a name.
import { useEffect, useState } from "react";
import { ipc, type ApiError } from "../../ipc/client";
import type { VersionInfo } from "../../ipc/bindings/VersionInfo";
import { useStore } from "../../state/store";
import { Dialog } from "../Dialog";
import type { Differences } from "./DiffDialog";

const WHEN = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

function said(e: unknown) {
  const err = e as ApiError;
  return err.plain ?? err.message ?? String(e);
}

export function VersionsDialog() {
  const open = useStore((s) => s.dialog === "versions");
  if (!open) return null;
  return <VersionsDialogOpen />;
}

function KeepVersion({ onKept }: { onKept: (list: VersionInfo[]) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const keep = async () => {
    if (name.trim() === "") return setError("Give the version a name you will recognise, such as “Before the workshop”.");
    try {
      onKept(await ipc.saveVersion(name));
      setName("");
    } catch (e) {
      setError(said(e));
    }
  };
  return (
    <div className={error ? "field invalid" : "field"}>
      <label htmlFor="version-name">Keep the model as it is now, as</label>
      <div className="share-row">
        <input id="version-name" value={name} placeholder="e.g. Board pack v1" data-testid="version-name" onChange={(e) => (setName(e.target.value), setError(null))} onKeyDown={(e) => e.key === "Enter" && void keep()} />
        <button className="btn primary" onClick={() => void keep()} data-testid="version-save">
          Keep this version
        </button>
      </div>
      {error ? <div className="error">{error}</div> : <div className="hint">The file keeps it; a copy you share keeps it too.</div>}
    </div>
  );
}

function VersionRow({ v, onList }: { v: VersionInfo; onList: (list: VersionInfo[]) => void }) {
  const s = useStore();
  const [confirming, setConfirming] = useState(false);
  const compare = async () => {
    try {
      const diff = await ipc.compareWithVersion(v.name);
      s.setDialog("differences", { title: `Changes since “${v.name}”`, lead: `What changed in the model since the version “${v.name}” was kept.`, diff } satisfies Differences);
    } catch (e) {
      s.notify(said(e), "error");
    }
  };
  const restore = async () => {
    try {
      await s.adopt(await ipc.restoreVersion(v.name, s.scenarioId));
      s.setDialog(null);
      s.notify(`Restored the version “${v.name}”.`, "info", { label: "Undo", run: () => void useStore.getState().undo() });
    } catch (e) {
      s.notify(said(e), "error");
    }
  };
  const remove = async () => {
    try {
      onList(await ipc.deleteVersion(v.name));
    } catch (e) {
      s.notify(said(e), "error");
    }
  };
  return (
    <li className="version" data-testid="version" data-name={v.name}>
      <div className="version-what">
        <strong>{v.name}</strong>
        <span className="hint">
          {WHEN.format(new Date(v.created_at))} UTC{v.author ? ` · ${v.author}` : ""}
        </span>
      </div>
      {confirming ? (
        <div className="share-row">
          <span className="hint">Delete it? This cannot be undone.</span>
          <button className="btn small danger" onClick={() => void remove()} data-testid="version-delete-confirm">
            Delete
          </button>
          <button className="btn small" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <div className="share-row">
          <button className="btn small" onClick={() => void compare()} data-testid="version-compare">
            Compare with now
          </button>
          <button className="btn small" onClick={() => void restore()} data-testid="version-restore" disabled={s.ws?.read_only}>
            Restore
          </button>
          <button className="btn small danger" onClick={() => setConfirming(true)} data-testid="version-delete" disabled={s.ws?.read_only}>
            Delete…
          </button>
        </div>
      )}
    </li>
  );
}

function VersionsDialogOpen() {
  const setDialog = useStore((s) => s.setDialog);
  const readOnly = useStore((s) => s.ws?.read_only ?? false);
  const [list, setList] = useState<VersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ipc.versions().then(setList, (e) => setError(said(e)));
  }, []);
  const newest = list ? [...list].reverse() : [];
  return (
    <Dialog
      title="Versions of this model"
      onClose={() => setDialog(null)}
      testId="versions-dialog"
      actions={
        <button className="btn" onClick={() => setDialog(null)}>
          Close
        </button>
      }
    >
      {!readOnly && <KeepVersion onKept={setList} />}
      {error && <p className="error">{error}</p>}
      {list && list.length === 0 && <p className="hint" data-testid="versions-none">No version kept yet.</p>}
      <ul className="versions" data-testid="versions">
        {newest.map((v) => (
          <VersionRow key={v.name} v={v} onList={setList} />
        ))}
      </ul>
    </Dialog>
  );
}
