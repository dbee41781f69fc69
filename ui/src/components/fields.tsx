// Inspector fields. A field edits locally and commits once, on Enter or when it loses focus:
// one command, one undo step. A value the engine refuses is said beside the field, once, in the
// engine's plain words, and what the user typed stays there to be corrected (Escape goes back to
// the saved value); nothing the user had is lost.
import { useId, useRef, useState, type ReactNode } from "react";
import { parseNumber } from "../format";
import { useStore } from "../state/store";
import { HelpLink } from "./Help";

type Commit<T> = (v: T) => Promise<boolean>;

/** The text shown: what the user is typing while they edit (or typed and was refused), else
 * the saved value. */
function useDraft(saved: string) {
  const [draft, setDraft] = useState<string | null>(null);
  // Escape abandons the edit: the blur that follows must not commit it.
  const cancelled = useRef(false);
  return {
    text: draft ?? saved,
    setText: (t: string) => setDraft(t),
    begin: () => {
      cancelled.current = false;
      setDraft((d) => d ?? saved);
    },
    end: () => setDraft(null),
    cancel: () => {
      cancelled.current = true;
      setDraft(null);
    },
    cancelled: () => cancelled.current,
  };
}

/** The engine's words for why `field` was refused: its finding about that field, else its
 * plain sentence. */
export function refusal(field: string | undefined): string {
  const e = useStore.getState().lastError;
  if (!e) return "The value was not accepted.";
  const p = field ? e.problems.find((x) => x.field === field && x.severity === "error") : undefined;
  return p?.plain || e.plain || e.message;
}

/** Commits through the store so that a refusal is said here and not again in a toast. */
async function commitQuietly<T>(onCommit: Commit<T>, v: T): Promise<boolean> {
  return useStore.getState().quietly(() => onCommit(v));
}

type Common = {
  label: string;
  hint?: string;
  disabled?: boolean;
  testId?: string;
  /** The engine's name of the field (`wait_time`), to show its finding here. */
  field?: string;
  /** A glossary term the label explains. */
  term?: string;
};

function Label({ id, label, term }: { id: string; label: string; term?: string }) {
  return (
    <span className="lbl-row">
      <label htmlFor={id}>{label}</label>
      {term && <HelpLink term={term} />}
    </span>
  );
}

function Message({ error, hint, testId }: { error: string | null; hint?: ReactNode; testId?: string }) {
  if (error) {
    return (
      <div className="error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
        {error}
      </div>
    );
  }
  return hint ? <div className="hint">{hint}</div> : null;
}

/** What a typed text means as a number for a field: a value, nothing (blank where allowed), or
 * why not. */
function readNumber(text: string, optional: boolean, scale: number): { value: number | null } | { error: string } {
  if (optional && text.trim() === "") return { value: null };
  const parsed = parseNumber(text);
  if (parsed === null) return { error: `“${text.trim()}” is not a number. Type digits, for example 4.5.` };
  return { value: parsed / scale };
}

export function NumberField({
  value,
  onCommit,
  unit,
  scale = 1,
  optional = false,
  ...c
}: Common & {
  value: number | null | undefined;
  onCommit: Commit<number | null>;
  unit?: string;
  /** Shown value = stored value x scale (e.g. 100 to show a share as a percentage). */
  scale?: number;
  optional?: boolean;
}) {
  const id = useId();
  const saved = value === null || value === undefined ? "" : String(Math.round(value * scale * 1e6) / 1e6);
  const { text, setText, begin, end, cancel, cancelled } = useDraft(saved);
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    if (cancelled() || text.trim() === saved) {
      setError(null);
      end();
      return;
    }
    const read = readNumber(text, optional, scale);
    if ("error" in read) return setError(read.error);
    const ok = await commitQuietly(onCommit, read.value);
    if (ok) {
      setError(null);
      end();
    } else setError(refusal(c.field));
  };
  return (
    <div className={error ? "field invalid" : "field"}>
      <Label id={id} label={c.label} term={c.term} />
      <div className="unit-input">
        <input
          id={id}
          inputMode="decimal"
          value={text}
          disabled={c.disabled}
          aria-invalid={!!error}
          data-testid={c.testId}
          onFocus={begin}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(e) => {
            if (e.key === "Enter") (e.target as HTMLInputElement).blur();
            if (e.key === "Escape") {
              cancel();
              setError(null);
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
        {unit && <span>{unit}</span>}
      </div>
      <Message error={error} hint={c.hint} testId={c.testId} />
    </div>
  );
}

export function TextField({
  value,
  onCommit,
  placeholder,
  required = false,
  ...c
}: Common & {
  value: string | undefined;
  onCommit: Commit<string>;
  placeholder?: string;
  required?: boolean;
}) {
  const id = useId();
  const saved = value ?? "";
  const { text, setText, begin, end, cancel, cancelled } = useDraft(saved);
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    if (cancelled() || text === saved) {
      setError(null);
      end();
      return;
    }
    if (required && text.trim() === "") return setError(`${c.label} cannot be empty.`);
    const ok = await commitQuietly(onCommit, text);
    if (ok) {
      setError(null);
      end();
    } else setError(refusal(c.field ?? "name"));
  };
  return (
    <div className={error ? "field invalid" : "field"}>
      <Label id={id} label={c.label} term={c.term} />
      <input
        id={id}
        value={text}
        placeholder={placeholder}
        disabled={c.disabled}
        aria-invalid={!!error}
        data-testid={c.testId}
        onFocus={begin}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (e.key === "Escape") {
            cancel();
            setError(null);
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      <Message error={error} hint={c.hint} testId={c.testId} />
    </div>
  );
}

export function SelectField<T extends string>({
  value,
  options,
  onCommit,
  ...c
}: Common & {
  value: T;
  options: { value: T; label: string }[];
  onCommit: Commit<T>;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={error ? "field invalid" : "field"}>
      <Label id={id} label={c.label} term={c.term} />
      <select
        id={id}
        value={value}
        disabled={c.disabled}
        data-testid={c.testId}
        onChange={async (e) => {
          const ok = await commitQuietly(onCommit, e.target.value as T);
          setError(ok ? null : refusal(c.field));
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Message error={error} hint={c.hint} testId={c.testId} />
    </div>
  );
}
