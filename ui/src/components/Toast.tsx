// One message at a time, above every dialog: what happened, and where it helps, one action
// ("Deleted “Assess”. Undo"). Errors stay until dismissed; news goes after a few seconds.
import { useEffect } from "react";
import { useStore } from "../state/store";

export function Toast() {
  const toast = useStore((s) => s.toast);
  const dismiss = useStore((s) => s.dismissToast);
  useEffect(() => {
    if (!toast || toast.tone === "error") return;
    const t = setTimeout(dismiss, toast.action ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div className={`toast ${toast.tone}`} role={toast.tone === "error" ? "alert" : "status"} data-testid="toast">
      <span data-testid="toast-message">{toast.message}</span>
      {toast.action && (
        <button
          className="toast-action"
          data-testid="toast-action"
          onClick={() => {
            dismiss();
            toast.action!.run();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button onClick={dismiss} aria-label="Dismiss" data-testid="toast-dismiss">
        OK
      </button>
    </div>
  );
}
