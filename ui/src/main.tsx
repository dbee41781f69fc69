import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@fontsource-variable/inter";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { App } from "./App";
import { ErrorBoundary, isBenign, showFatal } from "./components/ErrorBoundary";

window.addEventListener("error", (e) => {
  if (!isBenign(e)) showFatal(e.error ?? e.message);
});
window.addEventListener("unhandledrejection", (e) => showFatal(e.reason));

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
