// The differences between two models, as the engine words them: what they do to the numbers
// first (the question a reviewer asks), then each change. Shown for "Compare with a version"
// and "Compare with another model".
import type { Diff } from "../../ipc/bindings/Diff";
import type { ItemDiff } from "../../ipc/bindings/ItemDiff";
import { useStore } from "../../state/store";
import { moneyShort } from "../../format";
import { Dialog } from "../Dialog";

/** What the differences dialog shows: a title and the engine's diff. */
export type Differences = { title: string; lead: string; diff: Diff };

const MARK: Record<ItemDiff["status"], string> = { added: "+", removed: "−", changed: "~" };

function Effect({ diff }: { diff: Diff }) {
  const im = diff.impact;
  const [before, after] = im.annual_delay_cost;
  return (
    <>
      <h3>Effect on the numbers</h3>
      <ul className="diff-effect" data-testid="diff-effect">
        {im.streams.map((s) => (
          <li key={s.id}>{s.text}</li>
        ))}
        {before !== after && im.streams.length > 1 && (
          <li>
            All streams: annual delay cost {moneyShort(before, im.currency)} → {moneyShort(after, im.currency)}
          </li>
        )}
        {im.scenarios.map((s) => (
          <li key={s.id}>{s.text}</li>
        ))}
        {im.notes.map((n) => (
          <li key={n} className="hint">
            {n}
          </li>
        ))}
        {im.streams.length === 0 && im.scenarios.length === 0 && before === after && <li className="hint">No figure changes.</li>}
      </ul>
    </>
  );
}

export function Changes({ diff }: { diff: Diff }) {
  const n = diff.settings.length + diff.items.length;
  return (
    <>
      <h3>
        {n} {n === 1 ? "change" : "changes"}
      </h3>
      <ul className="diff-items" data-testid="diff-items">
        {diff.settings.map((f) => (
          <li key={`setting-${f.field}`} className="changed">
            <span className="diff-mark" aria-hidden="true">
              ~
            </span>
            {f.text}
          </li>
        ))}
        {diff.items.map((it) => (
          <li key={`${it.list}:${it.key.join("/")}`} className={it.status} data-status={it.status}>
            <span className="diff-mark" aria-label={it.status}>
              {MARK[it.status]}
            </span>
            {it.text}
          </li>
        ))}
      </ul>
    </>
  );
}

export function DiffDialog() {
  const shown = useStore((s) => (s.dialog === "differences" ? (s.dialogArg as Differences) : null));
  const setDialog = useStore((s) => s.setDialog);
  if (!shown) return null;
  const { diff } = shown;
  const same = diff.settings.length === 0 && diff.items.length === 0;
  return (
    <Dialog
      title={shown.title}
      onClose={() => setDialog(null)}
      testId="diff-dialog"
      wide
      actions={
        <button className="btn primary" onClick={() => setDialog(null)} data-testid="diff-close">
          Close
        </button>
      }
    >
      <p className="hint">{shown.lead}</p>
      {same ? (
        <p data-testid="diff-same">No differences: the two models are the same.</p>
      ) : (
        <>
          <Effect diff={diff} />
          <Changes diff={diff} />
        </>
      )}
    </Dialog>
  );
}
