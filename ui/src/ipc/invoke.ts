// The one place that calls Tauri: a command by name with its arguments, and a channel for a
// long job's progress. The typed calls of every command are generated in ./commands.ts.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";

/** Errors come back as data; anything else (a crash in the bridge) becomes one too. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const err = e as ApiError;
    return {
      code: err.code,
      message: err.message,
      problems: err.problems ?? [],
      plain: err.plain ?? err.message,
    };
  }
  return { code: "internal", message: String(e), problems: [], plain: "Something went wrong inside the app." };
}

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asApiError(e);
  }
}

/** A channel the shell reports a long job's progress on. */
export function channel<T>(onProgress: (p: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onProgress;
  return ch;
}
