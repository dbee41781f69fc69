// The page as a whole against the recorded room: joining by name, the connection's state in
// plain words, the participant's stream with the engine's figures, the facilitator's controls.
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import recorded from "./recorded/round.json";
import { FakeSocket, MemoryStorage } from "./fake";
import { Room, defaultClient } from "./Room";
import type { RoomServerMessage } from "../ipc/bindings/RoomServerMessage";

const rec = recorded as unknown as Record<"facilitator" | "ana", RoomServerMessage[]>;

function page() {
  const sockets: FakeSocket[] = [];
  const make = defaultClient({
    url: "ws://127.0.0.1:4000/r/abc/ws",
    storage: new MemoryStorage(),
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s.socket;
    },
    schedule: () => {},
  });
  render(<Room make={make} />);
  return sockets;
}

test("a participant joins by name, sees the stream, and is told plainly when offline", async () => {
  const sockets = page();
  await userEvent.click(screen.getByRole("button", { name: "Join" }));
  expect(screen.getByText(/Type the name/)).toBeInTheDocument();
  await userEvent.type(screen.getByRole("textbox", { name: "Your name" }), "Ana");
  await userEvent.click(screen.getByRole("button", { name: "Join" }));
  expect(screen.getByRole("status")).toHaveTextContent("Connecting");
  act(() => {
    sockets[0]!.open();
    sockets[0]!.deliver(...rec.ana);
  });
  expect(screen.queryByRole("status")).toBeNull();
  const model = rec.ana.find((m) => m.type === "model");
  const m = model?.type === "model" && model.reply.kind === "full" ? model.reply.workspace : null;
  const lt = m!.snapshot.view.metrics.streams[0]!.lead_time;
  expect(document.querySelector("[data-figure=lead-time]")).toHaveTextContent(`${lt} d`);
  expect(screen.getByRole("alert")).toHaveTextContent("only the facilitator can do that");
  await userEvent.click(screen.getByRole("button", { name: "OK" }));
  expect(screen.queryByRole("alert")).toBeNull();
  act(() => sockets[0]!.close());
  expect(screen.getByRole("status")).toHaveTextContent("Offline: reconnecting");
});

test("the facilitator's page has the join code and the round's controls", () => {
  const sockets = page();
  return userEvent
    .type(screen.getByRole("textbox", { name: "Your name" }), "Facilitator{Enter}")
    .then(() => {
      const at = rec.facilitator.findIndex((m) => m.type === "state" && m.rounds[0]?.state === "revealed");
      const upToReveal = rec.facilitator.slice(0, at + 1);
      act(() => {
        sockets[0]!.open();
        sockets[0]!.deliver(...upToReveal);
      });
      expect(screen.getByRole("img", { name: /QR code to join/ })).toHaveAttribute("src", "join.svg");
      expect(screen.getByRole("region", { name: "People" })).toHaveTextContent("<b>Ben</b>");
      expect(screen.getByRole("button", { name: "Accept the median: 4 d" })).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Reveal the answers" })).toBeNull();
    });
});
