// Records what the room really sends, for the page's unit tests (ui/src/room/recorded/):
// a facilitator and two participants through a round, and a participant coming back.
// Run: node record.js (needs the CLI built; writes ui/src/room/recorded/round.json).
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { ROOT, openRoom } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function connect(page, hello) {
  const url = new URL("ws", page);
  url.protocol = "ws:";
  const ws = new WebSocket(url);
  const got = [];
  ws.on("message", (d) => got.push(JSON.parse(String(d))));
  const opened = new Promise((ok) => ws.on("open", ok)).then(() => ws.send(JSON.stringify(hello)));
  return { ws, got, opened, send: (m) => ws.send(JSON.stringify(m)) };
}

const room = await openRoom();
try {
  const fac = connect(room.facilitator, { type: "hello", name: "Facilitator" });
  const ana = connect(room.join, { type: "hello", name: "Ana" });
  const ben = connect(room.join, { type: "hello", name: "<b>Ben</b>" });
  await Promise.all([fac.opened, ana.opened, ben.opened]);
  await sleep(500);
  fac.send({ type: "ask", question: { kind: "stage_estimate", stream: "rma", stage: "authorise", field: "wait_time" } });
  await sleep(400);
  const round = ana.got.filter((m) => m.type === "state").at(-1).rounds[0].id;
  ana.send({ type: "answer", round, answer: { kind: "number", value: 3 } });
  ben.send({ type: "answer", round, answer: { kind: "number", value: 5 } });
  await sleep(400);
  ana.send({ type: "take_note", note: 1 });
  await sleep(200);
  fac.send({ type: "reveal", round });
  await sleep(400);
  // Ana's phone sleeps; the facilitator accepts meanwhile; she comes back with her secret.
  const welcome = ana.got.find((m) => m.type === "welcome");
  const version = ana.got.filter((m) => m.type === "model").at(-1).reply.version;
  ana.ws.close();
  await sleep(300);
  fac.send({ type: "accept", round, value: 4 });
  await sleep(600);
  const back = connect(room.join, { type: "hello", name: "Ana", resume: welcome.resume, version });
  await back.opened;
  await sleep(600);
  const out = join(ROOT, "ui/src/room/recorded");
  mkdirSync(out, { recursive: true });
  const record = { facilitator: fac.got, ana: ana.got, ben: ben.got, anaBack: back.got, version };
  writeFileSync(join(out, "round.json"), JSON.stringify(record, null, 1) + "\n");
  for (const c of [fac, ben, back]) c.ws.close();
  console.log(Object.entries(record).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.map((m) => m.type).join(",") : v}`).join("\n"));
} finally {
  room.close();
}
