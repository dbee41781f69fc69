// Inspector fields. A field edits locally and commits once, on Enter or when it loses focus:
// one command, one undo step. A value the engine refuses shows the engine's message and the
// field returns to the saved value; nothing the user had is lost.
import { useId, useRef, useState } from "react";
import { parseNumber } from "../format";
import { useStore } from "../state/store";

type Commit<T> = (v: T) => Promise<boolean>;

/** The text shown: what the user is typing while they edit, else the saved value. */
function useDraft(saved: string) {
  const [draft, setDraft] = useState<string | null>(null);
  // Escape abandons the edit: the blur that follows must not commit it.
  const cancelled = useRef(false);
  return {
    text: draft ?? saved,
    setText: (t: string) => setDraft(t),
    begin: () => {
      cancelled.current = false;
      setDraft(saved);
    },
    end: () => setDraft(null),
    cancel: () => {
      cancelled.current = true;
      setDraft(null);
    },
    cancelled: () => cancelled.current,
  };
}

export function NumberField({
  label,
  value,
  onCommit,
  unit,
  hint,
  scale = 1,
  optional = false,
  disabled = false,
  testId,
}: {
  label: string;
  value: number | null | undefined;
  onCommit: Commit<number | null>;
  unit?: string;
  hint?: string;
  /** Shown value = stored value x scale (e.g. 100 to show a share as a percentage). */
  scale?: number;
  optional?: boolean;
  disabled?: boolean;
  testId?: string;
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
    const parsed = parseNumber(text);
    if (parsed === null && !(optional && text.trim() === "")) {
      setError(`"${text}" is not a number`);
      end();
      return;
    }
    const ok = await onCommit(parsed === null ? null : parsed / scale);
    setError(ok ? null : (useStore.getState().lastError?.message ?? "The value was not accepted"));
    end();
  };
  return (
    <div className={error ? "field invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <div className="unit-input">
        <input
          id={id}
          inputMode="decimal"
          value={text}
          disabled={disabled}
          data-testid={testId}
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
      {error ? <div className="error">{error}</div> : hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

export function TextField({
  label,
  value,
  onCommit,
  placeholder,
  disabled = false,
  required = false,
  testId,
}: {
  label: string;
  value: string | undefined;
  onCommit: Commit<string>;
  placeholder?: string;
  disabled?: boolean;
  required?: boolean;
  testId?: string;
}) {
  const id = useId();
  const saved = value ?? "";
  const { text, setText, begin, end, cancel, cancelled } = useDraft(saved);
  const [error, setError] = useState<string | null>(null);
  const commit = async () => {
    if (cancelled() || text === saved) {
      end();
      return;
    }
    if (required && text.trim() === "") {
      setError(`${label} cannot be empty`);
      end();
      return;
    }
    const ok = await onCommit(text);
    setError(ok ? null : (useStore.getState().lastError?.message ?? "The value was not accepted"));
    end();
  };
  return (
    <div className={error ? "field invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        data-testid={testId}
        onFocus={begin}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
          if (e.key === "Escape") {
            cancel();
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {error && <div className="error">{error}</div>}
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onCommit,
  disabled = false,
  testId,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onCommit: Commit<T>;
  disabled?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} data-testid={testId} onChange={(e) => void onCommit(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
