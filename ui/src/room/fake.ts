// A socket for the page's tests: records what the page sends and delivers what the room
// really sent (recorded/round.json, from tests/room/record.js).
import type { SocketLike } from "./socket";
import type { RoomServerMessage } from "../ipc/bindings/RoomServerMessage";

export class FakeSocket {
  sent: unknown[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  send(d: string) {
    this.sent.push(JSON.parse(d));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
  open() {
    this.onopen?.();
  }
  deliver(...ms: RoomServerMessage[]) {
    for (const m of ms) this.onmessage?.({ data: JSON.stringify(m) });
  }
  get socket(): SocketLike {
    return this as unknown as SocketLike;
  }
}

/** A Storage kept in memory. */
export class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
}
