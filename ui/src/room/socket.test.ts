// The page's socket client against what the room really sent (recorded/round.json): joining,
// the model patched to the room's version, refusals in words, coming back after a drop as the
// same person with only the patches since, and reconnecting on its own.
import recorded from "./recorded/round.json";
import { FakeSocket, MemoryStorage } from "./fake";
import { RoomClient, backoff, socketUrl, type RoomView } from "./socket";
import type { RoomServerMessage } from "../ipc/bindings/RoomServerMessage";

const rec = recorded as unknown as Record<"facilitator" | "ana" | "ben" | "anaBack", RoomServerMessage[]> & {
  version: number;
};
const URL_ = "ws://127.0.0.1:4000/r/abc/ws";

function client(storage: Storage = new MemoryStorage()) {
  const sockets: FakeSocket[] = [];
  const later: { f: () => void; ms: number }[] = [];
  const views: RoomView[] = [];
  const c = new RoomClient({
    url: URL_,
    storage,
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s.socket;
    },
    onChange: (v) => views.push(v),
    schedule: (f, ms) => later.push({ f, ms }),
  });
  return { c, sockets, later, views, storage };
}

const wait = (v: RoomView) =>
  v.ws?.snapshot.view.model.streams[0]?.stages.find((s) => s.id === "authorise")?.wait_time;
const lead = (v: RoomView) => v.ws?.snapshot.view.metrics.streams[0]?.lead_time;

test("the socket's address is the page's own path with ws", () => {
  expect(socketUrl("http://10.0.0.5:8080/r/tok/")).toBe("ws://10.0.0.5:8080/r/tok/ws");
  expect(socketUrl("https://room.example/r/tok/")).toBe("wss://room.example/r/tok/ws");
});

test("the facilitator's page follows the round into the model with the room's patches", () => {
  const { c, sockets } = client();
  c.join("Facilitator");
  sockets[0]!.open();
  expect(sockets[0]!.sent).toEqual([{ type: "hello", name: "Facilitator" }]);
  sockets[0]!.deliver(...rec.facilitator);
  const v = c.view;
  expect(v.status).toBe("online");
  expect(v.role).toBe("facilitator");
  // The recording: answers 3 and 5, median 4 accepted; the model came as patches after the
  // first whole one, and the page holds the same model the room's last message numbers.
  expect(wait(v)).toBe(4);
  const models = rec.facilitator.filter((m) => m.type === "model");
  expect(models[0]!.reply.kind).toBe("full");
  expect(models.slice(1).every((m) => m.type === "model" && m.reply.kind === "patch")).toBe(true);
  expect(v.version).toBe((models.at(-1) as { reply: { version: number } }).reply.version);
  expect(v.rounds[0]?.state).toBe("closed");
  expect(v.rounds[0]?.accepted).toBe(4);
  expect(lead(v)).toBeGreaterThan(0);
});

test("a refusal is kept in the room's words", () => {
  const { c, sockets } = client();
  c.join("Ana");
  sockets[0]!.open();
  sockets[0]!.deliver(...rec.ana);
  const refused = rec.ana.find((m) => m.type === "refused");
  expect(refused).toBeDefined();
  const views = rec.ana.slice(0, rec.ana.indexOf(refused!) + 1);
  const { c: c2, sockets: s2 } = client();
  c2.join("Ana");
  s2[0]!.open();
  s2[0]!.deliver(...views);
  expect(c2.view.problem).toBe(refused!.type === "refused" && refused!.message);
  expect(c2.view.problem).toMatch(/facilitator/);
  expect(c2.view.problem).not.toMatch(/[{}]|error|code/i);
  // An error in a result speaks the app's plain words, not the command line's.
  s2[0]!.deliver({
    type: "result",
    id: 3,
    error: { code: "not_found", message: "undo: no step of p7 to undo", problems: [], plain: "You have no edit left to undo." },
  });
  expect(c2.view.problem).toBe("You have no edit left to undo.");
});

test("a reload comes back as the same person and catches up with patches only", () => {
  const storage = new MemoryStorage();
  const first = client(storage);
  first.c.join("Ana");
  first.sockets[0]!.open();
  // What Ana had received when her phone slept (everything before the room's accept).
  first.sockets[0]!.deliver(...rec.ana);
  const welcome = rec.ana.find((m) => m.type === "welcome")!;
  expect(first.c.view.version).toBe(rec.version);

  const again = client(storage);
  expect(again.c.keptName()).toBe("Ana");
  again.c.join("Ana");
  again.sockets[0]!.open();
  expect(again.sockets[0]!.sent[0]).toEqual({
    type: "hello",
    name: "Ana",
    resume: welcome.type === "welcome" && welcome.resume,
    version: rec.version,
  });
  again.sockets[0]!.deliver(...rec.anaBack);
  const back = rec.anaBack.filter((m) => m.type === "model");
  expect(back.length).toBeGreaterThan(0);
  expect(back.every((m) => m.type === "model" && m.reply.kind === "patch")).toBe(true);
  expect(again.c.view.you).toBe(first.c.view.you);
  expect(wait(again.c.view)).toBe(4);

  // The same model as the facilitator's, who saw every change live.
  const fac = client();
  fac.c.join("Facilitator");
  fac.sockets[0]!.open();
  fac.sockets[0]!.deliver(...rec.facilitator);
  expect(again.c.view.ws?.snapshot.view.model).toEqual(fac.c.view.ws?.snapshot.view.model);
  expect(again.c.view.ws?.snapshot.view.metrics).toEqual(fac.c.view.ws?.snapshot.view.metrics);
});

test("a dropped connection says so, retries with growing waits, and resumes", () => {
  const { c, sockets, later, views } = client();
  c.join("Ana");
  sockets[0]!.open();
  sockets[0]!.deliver(...rec.ana);
  sockets[0]!.close();
  expect(c.view.status).toBe("reconnecting");
  expect(later.at(-1)!.ms).toBe(backoff(1));
  later.at(-1)!.f();
  // The second socket fails too: the wait grows.
  sockets[1]!.close();
  expect(c.view.attempts).toBe(2);
  expect(later.at(-1)!.ms).toBe(backoff(2));
  expect(backoff(2)).toBeGreaterThan(backoff(1));
  expect(backoff(30)).toBe(10_000);
  later.at(-1)!.f();
  sockets[2]!.open();
  const hello = sockets[2]!.sent[0] as { resume?: string; version?: number };
  expect(hello.resume).toBeTruthy();
  expect(hello.version).toBe(rec.version);
  sockets[2]!.deliver(...rec.anaBack);
  expect(c.view.status).toBe("online");
  expect(c.view.attempts).toBe(0);
  expect(wait(c.view)).toBe(4);
  expect(views.some((v) => v.status === "reconnecting")).toBe(true);
});

test("a patch against a model the page does not hold fetches the whole model again", () => {
  const { c, sockets, later } = client();
  c.join("Ana");
  sockets[0]!.open();
  sockets[0]!.deliver(...rec.ana);
  sockets[0]!.deliver({ type: "model", reply: { kind: "patch", base: 999, version: 1000, changes: [] } });
  expect(sockets[0]!.closed).toBe(true);
  expect(c.view.ws).toBeNull();
  later.at(-1)!.f();
  sockets[1]!.open();
  expect((sockets[1]!.sent[0] as { version?: number }).version).toBeUndefined();
});

test("another name is another person: the old secret is not sent", () => {
  const storage = new MemoryStorage();
  const first = client(storage);
  first.c.join("Ana");
  first.sockets[0]!.open();
  first.sockets[0]!.deliver(...rec.ana);
  const other = client(storage);
  other.c.join("Ben");
  other.sockets[0]!.open();
  expect(other.sockets[0]!.sent[0]).toEqual({ type: "hello", name: "Ben" });
});
