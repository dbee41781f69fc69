// The workshop room's page, served by the room at /r/TOKEN/: its socket is the same path's `ws`.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@fontsource-variable/inter";
import "./room.css";
import { Room, defaultClient } from "./Room";
import { socketUrl } from "./socket";

const make = defaultClient({
  url: socketUrl(location.href),
  storage: localStorage,
  open: (url) => new WebSocket(url),
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Room make={make} />
    </StrictMode>,
  );
}
