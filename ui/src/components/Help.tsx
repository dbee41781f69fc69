// Help: what each figure means and how it is computed (the engine's glossary, the same text as
// the board report's appendix), reachable from a "?" beside every figure; and the size of
// everything in the window, for a room that is not a projector.
import { useEffect, useRef } from "react";
import { create } from "zustand";
import { ipc } from "../ipc/client";
import type { Term } from "../ipc/bindings/Term";
import type { About } from "../ipc/bindings/About";
import { useStore } from "../state/store";
import { Dialog } from "./Dialog";

const useGlossary = create<{ terms: Term[] | null; about: About | null; fetch: () => void }>((set, get) => ({
  terms: null,
  about: null,
  fetch: () => {
    if (get().terms) return;
    ipc
      .glossary()
      .then((terms) => set({ terms }))
      .catch(() => set({ terms: [] }));
    ipc
      .about()
      .then((about) => set({ about }))
      .catch(() => undefined);
  },
}));

/** Help > About: the version and build, and whose work it bundles under which licence. */
function AboutSection({ about }: { about: About | null }) {
  if (!about) return null;
  return (
    <section className="about" data-testid="about">
      <h3>About Tributary</h3>
      <p>
        <strong data-testid="about-version">Tributary {about.version}</strong> ({about.build}). Licensed {about.licence}.
      </p>
      <p>Reports and pictures are drawn with {about.fonts}.</p>
      <p>
        {about.third_party
          ? `The libraries it is built from, each with its licence, are listed in ${about.third_party}.`
          : "The package lists the libraries it is built from, each with its licence, in share/doc/tributary/THIRD-PARTY.md."}
      </p>
    </section>
  );
}

/** A "?" that opens the glossary at `term`. */
export function HelpLink({ term, label }: { term: string; label?: string }) {
  const setDialog = useStore((s) => s.setDialog);
  return (
    <button
      type="button"
      className="help-link nodrag"
      aria-label={`What is ${label ?? term.replace(/_/g, " ")}?`}
      title="What does this mean?"
      data-testid={`help-${term}`}
      onClick={(e) => {
        e.stopPropagation();
        setDialog("help", term);
      }}
    >
      ?
    </button>
  );
}

const SCALES = [0.9, 1, 1.1, 1.25, 1.5, 1.75];

function ScaleSetting() {
  const prefs = useStore((s) => s.prefs);
  const setScale = useStore((s) => s.setScale);
  const current = prefs?.ui_scale ?? 1;
  return (
    <div className="field">
      <span className="lbl">Size of everything in the window</span>
      <div className="segmented" role="radiogroup" aria-label="Interface size">
        {SCALES.map((s) => (
          <button
            key={s}
            role="radio"
            aria-checked={Math.abs(current - s) < 1e-6}
            className={Math.abs(current - s) < 1e-6 ? "on" : ""}
            onClick={() => void setScale(s)}
            data-testid={`scale-${Math.round(s * 100)}`}
          >
            {Math.round(s * 100)} %
          </button>
        ))}
      </div>
      <span className="hint">Larger for a workshop room at the back, smaller for a small laptop. Kept for next time.</span>
    </div>
  );
}

export function HelpDialog() {
  const open = useStore((s) => s.dialog === "help");
  const term = useStore((s) => (s.dialog === "help" ? (s.dialogArg as string | null) : null));
  const setDialog = useStore((s) => s.setDialog);
  const { terms, about, fetch } = useGlossary();
  const list = useRef<HTMLDListElement>(null);
  const shown = term;
  useEffect(() => {
    if (open) fetch();
  }, [open, fetch]);
  useEffect(() => {
    const el = term ? list.current?.querySelector<HTMLElement>(`[data-term="${CSS.escape(term)}"]`) : null;
    el?.scrollIntoView({ block: "nearest" });
  }, [term, terms]);
  if (!open) return null;
  return (
    <Dialog title="Help: the figures and what they mean" onClose={() => setDialog(null)} testId="help-dialog" wide>
      <dl className="glossary" ref={list}>
        {(terms ?? []).map((t) => (
          <div key={t.id} data-term={t.id} className={t.id === shown ? "term on" : "term"} data-testid={`term-${t.id}`}>
            <dt>
              {t.short && t.short !== t.name ? <abbr>{t.short}</abbr> : null} {t.name}
            </dt>
            <dd>
              {t.meaning}
              <span className="convention">{t.convention}</span>
            </dd>
          </div>
        ))}
      </dl>
      <h3>Display</h3>
      <ScaleSetting />
      <h3>Keys</h3>
      <div className="keys">
        <kbd>N</kbd> <span>add a stage after the selected one (or at the end)</span>
        <kbd>F</kbd> <span>fit the map to the screen</span>
        <kbd>P</kbd> <span>present; arrow keys walk the stages, Esc leaves</span>
        <kbd>Delete</kbd> <span>delete what is selected (Ctrl+Z brings it back)</span>
        <kbd>Ctrl+Z</kbd> <span>undo; Ctrl+Shift+Z redo</span>
        <span>
          <kbd>1</kbd>–<kbd>6</kbd>
        </span>
        <span>the views, from the map to measured flow</span>
      </div>
      <AboutSection about={about} />
    </Dialog>
  );
}
