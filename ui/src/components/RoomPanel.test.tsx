import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { baselineWorkspace } from "../test/fixture";

vi.mock("../ipc/client", () => ({
  ipc: { roomAddresses: vi.fn(), openRoom: vi.fn(), roomStatus: vi.fn(), closeRoom: vi.fn() },
}));

import { ipc } from "../ipc/client";
import { useStore } from "../state/store";
import { RoomButton, RoomPanel, useRoom } from "./RoomPanel";

type Mocked = Record<"roomAddresses" | "openRoom" | "roomStatus" | "closeRoom", ReturnType<typeof vi.fn>>;
const m = ipc as unknown as Mocked;

const status = (connections: number) => ({
  join_url: "http://192.168.1.20:40123/r/AAAAAAAAAAAAAAAAAAAAAA/",
  facilitator_url: "http://192.168.1.20:40123/r/BBBBBBBBBBBBBBBBBBBBBB/",
  join_qr_svg: "<svg xmlns='http://www.w3.org/2000/svg'/>",
  connections,
  address: "192.168.1.20:40123",
  local_only: false,
});

beforeEach(() => {
  vi.clearAllMocks();
  useRoom.setState({ room: null });
  useStore.setState({ ws: baselineWorkspace(), dialog: "room" });
  m.roomAddresses.mockResolvedValue([
    { ip: "192.168.1.20", interface: "wlan0", loopback: false },
    { ip: "127.0.0.1", interface: "lo", loopback: true },
  ]);
  m.roomStatus.mockResolvedValue(null);
});

describe("RoomPanel", () => {
  it("opens the room on the LAN address first offered and shows where to join", async () => {
    m.openRoom.mockResolvedValue(status(0));
    render(
      <>
        <RoomButton />
        <RoomPanel />
      </>,
    );
    const start = await screen.findByTestId("room-start");
    expect(screen.getByTestId("room-bind")).toHaveValue("192.168.1.20");
    await userEvent.click(start);
    expect(m.openRoom).toHaveBeenCalledWith("192.168.1.20");
    expect(await screen.findByTestId("room-join-url")).toHaveTextContent(status(0).join_url);
    expect(screen.getByTestId("room-connections")).toHaveTextContent("Nobody connected yet");
    expect(screen.getByTestId("room")).toHaveTextContent("Room open");
    expect(screen.getByTestId("room-qr").getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    // the facilitator's address is shown only when asked for (it is not for the projector)
    expect(screen.queryByTestId("room-facilitator-url")).toBeNull();
    await userEvent.click(screen.getByTestId("room-facilitator"));
    expect(screen.getByTestId("room-facilitator-url")).toHaveValue(status(0).facilitator_url);
  });

  it("says why a room could not open, in the shell's plain words", async () => {
    m.openRoom.mockRejectedValue({ code: "io", message: "cannot listen", plain: "The room could not open: port 80 is in use by another program." });
    render(<RoomPanel />);
    await userEvent.click(await screen.findByTestId("room-start"));
    expect(await screen.findByTestId("room-error")).toHaveTextContent("port 80 is in use");
    expect(screen.queryByTestId("room-join-url")).toBeNull();
  });

  it("counts the people connected and closes the room", async () => {
    useRoom.setState({ room: status(3) });
    m.roomStatus.mockResolvedValue(status(3));
    m.closeRoom.mockResolvedValue(null);
    render(<RoomPanel />);
    expect(screen.getByTestId("room-connections")).toHaveTextContent("3 connected");
    await userEvent.click(screen.getByTestId("room-close"));
    expect(m.closeRoom).toHaveBeenCalledTimes(1);
    m.roomStatus.mockResolvedValue(null);
    expect(await screen.findByTestId("room-start")).toBeInTheDocument();
  });
});
