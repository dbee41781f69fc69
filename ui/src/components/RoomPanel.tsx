// The workshop room's panel: opens a room on the open model (on the LAN address, or this
// computer only), shows the join address large with its QR code for the projector, how many
// are connected, the facilitator's own page, and closes the room. The room lives in the shell;
// this panel only asks it.
import { useEffect, useState } from "react";
import { create } from "zustand";
import { ipc, type ApiError } from "../ipc/client";
import type { RoomAddress } from "../ipc/bindings/RoomAddress";
import type { RoomStatus } from "../ipc/bindings/RoomStatus";
import { useStore } from "../state/store";
import { Dialog } from "./Dialog";

/** The open room as the shell last said, for the panel and the top bar's button. */
export const useRoom = create<{ room: RoomStatus | null; set: (room: RoomStatus | null) => void }>((set) => ({
  room: null,
  set: (room) => set({ room }),
}));

const said = (e: unknown) => (e as ApiError).plain ?? (e as ApiError).message ?? String(e);

/** The top bar's button: says while a room is open, and on which address. */
export function RoomButton() {
  const room = useRoom((s) => s.room);
  const setDialog = useStore((s) => s.setDialog);
  return (
    <button
      className={room ? "tb-btn primary" : "tb-btn"}
      onClick={() => setDialog("room")}
      title={room ? `The workshop room is open on ${room.address}` : "Let everyone in the room take part from their own device"}
      data-testid="room"
    >
      {room ? "Room open" : "Room"}
    </button>
  );
}

/** Asks the shell for the room's state every second while the panel or a room is open. */
function usePoll(active: boolean) {
  const set = useRoom((s) => s.set);
  useEffect(() => {
    if (!active) return;
    let live = true;
    const tick = () =>
      ipc
        .roomStatus()
        .then((r) => live && set(r))
        .catch(() => undefined);
    void tick();
    const timer = setInterval(() => void tick(), 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [active, set]);
}

function addressName(a: RoomAddress) {
  return a.loopback ? `This computer only (${a.ip})` : `${a.ip} (${a.interface})`;
}

function Opening({ onOpened }: { onOpened: (r: RoomStatus) => void }) {
  const [addresses, setAddresses] = useState<RoomAddress[] | null>(null);
  const [bind, setBind] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void ipc
      .roomAddresses()
      .then((list) => {
        setAddresses(list);
        setBind(list[0]?.ip ?? "127.0.0.1");
      })
      .catch((e) => setError(said(e)));
  }, []);
  const lan = (addresses ?? []).some((a) => !a.loopback);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      onOpened(await ipc.openRoom(bind || null));
    } catch (e) {
      setError(said(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="room-open form">
      <p>
        Everyone in the room opens an address on their phone or laptop, sees the map and its figures live, and answers the questions you ask. Nothing they
        send changes the model until you accept it.
      </p>
      <div className="field">
        <label htmlFor="room-bind">Where people join from</label>
        <select id="room-bind" value={bind} onChange={(e) => setBind(e.target.value)} data-testid="room-bind">
          {(addresses ?? []).map((a) => (
            <option key={a.ip} value={a.ip}>
              {addressName(a)}
            </option>
          ))}
        </select>
        {addresses && !lan && <span className="hint">No network found: only this computer can join. Connect to the room's network to let others in.</span>}
      </div>
      {error && (
        <p className="room-error" role="alert" data-testid="room-error">
          {error}
        </p>
      )}
      <div>
        <button className="btn primary" onClick={() => void open()} disabled={busy || !addresses} data-testid="room-start">
          {busy ? "Opening…" : "Open the room"}
        </button>
      </div>
    </div>
  );
}

function Copyable({ value, testId }: { value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(value)
      .then(() => setCopied(true))
      .catch(() => undefined);
  };
  return (
    <div className="room-copy">
      <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} data-testid={testId} aria-label="The facilitator's address" />
      <button className="btn" onClick={copy}>{copied ? "Copied" : "Copy"}</button>
    </div>
  );
}

function Open({ room, onClosed }: { room: RoomStatus; onClosed: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [showFacilitator, setShowFacilitator] = useState(false);
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(room.join_qr_svg)}`;
  const close = async () => {
    try {
      await ipc.closeRoom();
      onClosed();
    } catch (e) {
      setError(said(e));
    }
  };
  const people = room.connections;
  return (
    <div className="room-live">
      <img className="room-qr" src={qr} alt={`QR code of ${room.join_url}`} data-testid="room-qr" />
      <div className="room-side">
        <span className="lbl">Join at</span>
        <p className="room-url" data-testid="room-join-url">
          {room.join_url}
        </p>
        <p className="room-count" data-testid="room-connections" data-count={people}>
          {people === 0 ? "Nobody connected yet" : people === 1 ? "1 connected" : `${people} connected`}
        </p>
        {room.local_only && <p className="hint">Open on this computer only: nobody else can join.</p>}
        <div className="room-actions">
          <button className="btn" onClick={() => setShowFacilitator(!showFacilitator)} data-testid="room-facilitator">
            Open the facilitator's page
          </button>
          <button className="btn danger" onClick={() => void close()} data-testid="room-close">
            Close the room
          </button>
        </div>
        {showFacilitator && (
          <div className="room-facilitator">
            <span className="hint">Open this address in a browser on your own screen (not the projector): from it you ask questions, reveal and accept answers.</span>
            <Copyable value={room.facilitator_url} testId="room-facilitator-url" />
          </div>
        )}
        {error && (
          <p className="room-error" role="alert" data-testid="room-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

export function RoomPanel() {
  const open = useStore((s) => s.dialog === "room");
  const setDialog = useStore((s) => s.setDialog);
  const room = useRoom((s) => s.room);
  const setRoom = useRoom((s) => s.set);
  usePoll(open || room !== null);
  if (!open) return null;
  return (
    <Dialog title={room ? "The workshop room is open" : "Open a workshop room"} onClose={() => setDialog(null)} testId="room-panel" wide>
      {room ? <Open room={room} onClosed={() => setRoom(null)} /> : <Opening onOpened={setRoom} />}
    </Dialog>
  );
}
