import { useEffect } from "react";
import { useStore } from "../state/store";

export function Toast() {
  const toast = useStore((s) => s.toast);
  const dismiss = useStore((s) => s.dismissToast);
  useEffect(() => {
    if (!toast || toast.tone === "error") return;
    const t = setTimeout(dismiss, 4000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div className={`toast ${toast.tone}`} role={toast.tone === "error" ? "alert" : "status"} data-testid="toast">
      <span data-testid="toast-message">{toast.message}</span>
      <button onClick={dismiss} aria-label="Dismiss">
        OK
      </button>
    </div>
  );
}
