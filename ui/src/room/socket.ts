// The room's socket as the page uses it: joins (or comes back as the same person with the
// resume secret kept in localStorage), applies the room's numbered patches with the desktop
// app's own `receive`, and reconnects on its own with backoff, saying plainly where it stands.
import { receive } from "../ipc/replies";
import type { Workspace } from "../ipc/bindings/Workspace";
import type { RoomClientMessage } from "../ipc/bindings/RoomClientMessage";
import type { RoomServerMessage } from "../ipc/bindings/RoomServerMessage";
import type { RoomParticipant } from "../ipc/bindings/RoomParticipant";
import type { RoomRound } from "../ipc/bindings/RoomRound";
import type { RoomNote } from "../ipc/bindings/RoomNote";
import type { RoomFollow } from "../ipc/bindings/RoomFollow";
import type { RoomRole } from "../ipc/bindings/RoomRole";

export type Status = "new" | "connecting" | "online" | "reconnecting";

export type RoomView = {
  status: Status;
  /** Failed attempts in a row (for "reconnecting, try 3"). */
  attempts: number;
  name: string;
  you?: string;
  role?: RoomRole;
  room?: string;
  /** The join address (told to the facilitator). */
  join?: string;
  ws: Workspace | null;
  version: number;
  participants: RoomParticipant[];
  rounds: RoomRound[];
  notes: RoomNote[];
  follow?: RoomFollow;
  /** The last refusal, in the user's words. */
  problem?: string;
};

export const EMPTY: RoomView = {
  status: "new",
  attempts: 0,
  name: "",
  ws: null,
  version: 0,
  participants: [],
  rounds: [],
  notes: [],
};

/** What the room's messages make of the page's view. `resync` is true when a patch did not
 * apply to the model held (then the page reconnects for the whole model). */
export function reduce(v: RoomView, m: RoomServerMessage): { view: RoomView; resync: boolean } {
  switch (m.type) {
    case "welcome":
      return {
        view: { ...v, you: m.you, role: m.role, room: m.room, join: m.join, problem: undefined },
        resync: false,
      };
    case "model": {
      const next = receive({ ws: v.ws, version: v.version }, m.reply);
      if (!next) return { view: v, resync: true };
      return { view: { ...v, ws: next.ws, version: next.version }, resync: false };
    }
    case "state":
      return {
        view: { ...v, participants: m.participants, rounds: m.rounds, notes: m.notes, follow: m.follow },
        resync: false,
      };
    case "result":
      if (!m.error) return { view: { ...v, problem: undefined }, resync: false };
      return { view: { ...v, problem: m.error.plain || m.error.message }, resync: false };
    case "refused":
      return { view: { ...v, problem: m.message }, resync: false };
    case "slow_down":
      return { view: { ...v, problem: "You are sending a lot at once: wait a moment and try again." }, resync: false };
  }
}

/** What the client needs of a WebSocket (tests give it a recorded one). */
export type SocketLike = Pick<WebSocket, "send" | "close" | "onopen" | "onmessage" | "onclose">;

export type Options = {
  url: string;
  storage: Storage;
  open: (url: string) => SocketLike;
  onChange: (v: RoomView) => void;
  /** Milliseconds before reconnect attempt n (from 1). */
  backoff?: (n: number) => number;
  schedule?: (f: () => void, ms: number) => unknown;
};

type Kept = { name: string; resume?: string; version?: number };

export const backoff = (n: number) => Math.min(10_000, 500 * 2 ** (n - 1));

/** The socket's address for the page at `href`: the same path's `ws`, with ws: or wss:. */
export function socketUrl(href: string): string {
  const u = new URL("ws", href);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString();
}

export class RoomClient {
  view: RoomView = EMPTY;
  private sock: SocketLike | null = null;
  private nextId = 1;
  private stopped = false;
  private readonly key: string;

  constructor(private readonly o: Options) {
    this.key = `tributary.room.${new URL(o.url).pathname}`;
    const kept = this.kept();
    if (kept) this.view = { ...this.view, name: kept.name, ws: this.keptModel(kept.version), version: kept.version ?? 0 };
    if (!this.view.ws) this.view = { ...this.view, version: 0 };
  }

  /** The name the person joined under last time, to join again without asking. */
  keptName(): string | null {
    return this.kept()?.name ?? null;
  }

  join(name: string) {
    const kept = this.kept();
    // A different name is a different person: forget the old secret.
    if (kept && kept.name !== name) this.forget();
    this.set({ ...this.view, name, status: "connecting" });
    this.connect();
  }

  /** The person has read the last refusal. */
  dismiss() {
    this.set({ ...this.view, problem: undefined });
  }

  stop() {
    this.stopped = true;
    this.sock?.close();
  }

  send(m: RoomClientMessage) {
    this.sock?.send(JSON.stringify(m));
  }

  /** A message that carries an id its `result` repeats. */
  withId(make: (id: number) => RoomClientMessage) {
    this.send(make(this.nextId++));
  }

  private connect() {
    const sock = this.o.open(this.o.url);
    this.sock = sock;
    sock.onopen = () => {
      const kept = this.kept();
      const hello: RoomClientMessage = { type: "hello", name: this.view.name };
      if (kept?.resume) hello.resume = kept.resume;
      if (this.view.ws) hello.version = this.view.version;
      sock.send(JSON.stringify(hello));
    };
    sock.onmessage = (e) => this.take(sock, e.data);
    sock.onclose = () => {
      if (this.sock !== sock || this.stopped) return;
      const attempts = this.view.attempts + 1;
      this.set({ ...this.view, status: "reconnecting", attempts });
      const wait = (this.o.backoff ?? backoff)(attempts);
      (this.o.schedule ?? setTimeout)(() => this.connect(), wait);
    };
  }

  private take(sock: SocketLike, data: unknown) {
    if (typeof data !== "string") return;
    let m: RoomServerMessage;
    try {
      m = JSON.parse(data) as RoomServerMessage;
    } catch {
      return;
    }
    const { view, resync } = reduce(this.view, m);
    if (resync) {
      // A patch against a model we do not hold: come back for the whole model.
      this.set({ ...view, ws: null, version: 0 });
      sock.close();
      return;
    }
    let next = view;
    if (m.type === "welcome") {
      next = { ...next, status: "online", attempts: 0 };
      this.keep({ name: next.name, resume: m.resume, version: next.ws ? next.version : undefined });
    }
    if (m.type === "model") this.keepModel(next);
    this.set(next);
  }

  private set(v: RoomView) {
    this.view = v;
    this.o.onChange(v);
  }

  private kept(): Kept | null {
    try {
      const t = this.o.storage.getItem(this.key);
      return t ? (JSON.parse(t) as Kept) : null;
    } catch {
      return null;
    }
  }

  private keep(k: Kept) {
    try {
      this.o.storage.setItem(this.key, JSON.stringify(k));
    } catch {
      // storage full or refused: the page still works, it just cannot come back as itself
    }
  }

  private forget() {
    this.o.storage.removeItem(this.key);
    this.o.storage.removeItem(`${this.key}#model`);
    this.view = { ...this.view, ws: null, version: 0 };
  }

  private keptModel(version: number | undefined): Workspace | null {
    if (version === undefined) return null;
    try {
      const t = this.o.storage.getItem(`${this.key}#model`);
      if (!t) return null;
      const m = JSON.parse(t) as { version: number; ws: Workspace };
      return m.version === version ? m.ws : null;
    } catch {
      return null;
    }
  }

  private keepModel(v: RoomView) {
    const kept = this.kept();
    if (!kept || !v.ws) return;
    try {
      this.o.storage.setItem(`${this.key}#model`, JSON.stringify({ version: v.version, ws: v.ws }));
      this.keep({ ...kept, version: v.version });
    } catch {
      // too big to keep: a reload then fetches the whole model
      this.keep({ ...kept, version: undefined });
    }
  }
}
