// A fault in the UI must not leave a blank window: say what happened and how to carry on.
// The model is safe either way, because every edit is saved in the file as it is made.
import { Component, type ReactNode } from "react";

/** "ResizeObserver loop completed with undelivered notifications" is the browser saying that
 * some size changes (of map nodes drawn while zooming) are reported in the next frame instead;
 * nothing failed, so it is not shown as a problem. */
export function isBenign(e: Pick<ErrorEvent, "error" | "message">): boolean {
  return !e.error && /^ResizeObserver loop/.test(e.message ?? "");
}

export function showFatal(err: unknown) {
  const text = err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err);
  const el = document.getElementById("fatal") ?? document.createElement("pre");
  el.id = "fatal";
  el.setAttribute("role", "alert");
  el.style.cssText =
    "position:fixed;left:16px;right:16px;bottom:16px;max-height:40vh;overflow:auto;z-index:9999;background:#7f1d1d;color:#fff;padding:12px;border-radius:8px;font:12px/1.4 monospace;white-space:pre-wrap";
  el.textContent = `Tributary hit an unexpected problem. Your model is saved; restart the app to continue.\n\n${text}`;
  document.body.appendChild(el);
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  componentDidCatch(error: unknown) {
    showFatal(error);
  }
  render() {
    return this.state.error ? null : this.props.children;
  }
}
