// A workshop round in real browsers: the facilitator asks the wait of a stage, two people
// answer on their phones or laptops, the facilitator reveals and accepts the median, and every
// participant's page shows the engine's new figures; a name that is markup stays text.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { browser, driver, metrics, openRoom, shot } from "../harness.js";

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function join(b, url, name) {
  await b.url(url);
  const input = await b.$("input[name=name]");
  await input.waitForDisplayed({ timeout: 15000 });
  await input.setValue(name);
  await (await b.$("button=Join")).click();
  await (await b.$(`[data-stage="authorise"]`)).waitForDisplayed({ timeout: 15000 });
}

const text = async (b, sel) => (await b.$(sel)).getText();
/** Waits until a figure reads `value` in days as the page rounds it (at most two decimals). */
const waitDays = async (b, sel, value) =>
  b.waitUntil(
    async () => {
      const t = await text(b, sel);
      return t.endsWith(" d") && Math.abs(parseFloat(t) - value) < 0.006;
    },
    { timeout: 15000, timeoutMsg: `${sel} never read ${value} d` },
  );

test("a wait estimated, revealed and accepted reaches every participant's page", async () => {
  const room = await openRoom();
  cleanups.push(() => room.close());
  const d = await driver();
  cleanups.push(() => d.stop());
  const fac = await browser(d.port, 1920, 1080);
  const ana = await browser(d.port, 390, 844);
  const eve = await browser(d.port, 1280, 720);
  for (const b of [fac, ana, eve]) cleanups.push(() => b.deleteSession());

  const before = metrics(room.file).streams[0];
  await join(fac, room.facilitator, "Facilitator");
  await join(ana, room.join, "Ana");
  const evil = "<script>window.pwned=1</script>Eve";
  await join(eve, room.join, evil);

  // Eve's name is on the facilitator's people list as the text she typed, and ran nothing.
  await fac.waitUntil(async () => (await text(fac, ".people")).includes(evil), { timeout: 15000 });
  assert.equal(await eve.execute(() => window.pwned ?? null), null);
  assert.equal(await fac.execute(() => window.pwned ?? null), null);

  const stage = "[data-stage=authorise] [data-figure=wait]";
  const lead = ".stream [data-figure=lead-time]";
  const waitBefore = before.stages.find((s) => s.id === "authorise").wait_time;
  await waitDays(ana, stage, waitBefore);

  await (await fac.$("select[name=stage]")).selectByAttribute("value", "authorise");
  await (await fac.$("select[name=field]")).selectByAttribute("value", "wait_time");
  await (await fac.$("button=Ask")).click();

  for (const [b, v] of [[ana, "3"], [eve, "5"]]) {
    const input = await b.$("input[name=answer]");
    await input.waitForDisplayed({ timeout: 15000 });
    await input.setValue(v);
    await (await b.$("button=Send")).click();
  }
  await fac.waitUntil(async () => (await text(fac, ".who")).includes("Answered (2)"), { timeout: 15000 });
  await shot(fac, "facilitator-round-open-1920x1080");
  await shot(ana, "participant-answered-390x844");

  await (await fac.$("button=Reveal the answers")).click();
  const accept = await fac.$("button*=Accept the median");
  await accept.waitForDisplayed({ timeout: 15000 });
  // Median of 3 and 5 is 4 days (the mean of the two middle values).
  assert.match(await accept.getText(), /4 d$/);
  await (await ana.$(".median")).waitForDisplayed({ timeout: 15000 });
  await shot(ana, "participant-revealed-390x844");
  await shot(fac, "facilitator-revealed-1920x1080");
  await accept.click();

  // The engine's figures after the accept, read from the file by the CLI.
  assert.equal(before.unit ?? "days", "days");
  for (let i = 0; i < 50; i++) {
    const m = metrics(room.file).streams[0];
    if (m.lead_time !== before.lead_time) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const now = metrics(room.file).streams[0];
  const wait = now.stages.find((s) => s.id === "authorise").wait_time;
  // The stage's own wait goes from 2 to 4 days (its PBCs' part unchanged): two days more here
  // and, on a line of stages, two days more lead time.
  assert.ok(Math.abs(wait - waitBefore - 2) < 1e-9, `${waitBefore} -> ${wait}`);
  assert.ok(Math.abs(now.lead_time - before.lead_time - 2) < 1e-9);
  for (const b of [ana, eve]) {
    await waitDays(b, stage, wait);
    await waitDays(b, lead, now.lead_time);
  }
  await shot(ana, "participant-accepted-390x844");
  await shot(eve, "participant-accepted-1280x720");
  await shot(fac, "facilitator-accepted-1920x1080");

  // Let Ana edit: her undo with nothing to undo is refused in words, not codes.
  for (const li of await fac.$$(".people li")) {
    if ((await li.$(".name").getText()) === "Ana") await (await li.$("input[type=checkbox]")).click();
  }
  const undo = await ana.$("button=Undo my last edit");
  await undo.waitForDisplayed({ timeout: 15000 });
  await undo.click();
  const problem = await ana.$(".problem");
  await problem.waitForDisplayed({ timeout: 15000 });
  const words = await problem.getText();
  assert.ok(words.length > 10 && !/[{}]|not_found|\bp\d+\b/.test(words), words);

  // Her edit of the stage's wait (4 -> 6 days of its own) reaches Eve's page as the engine's
  // figures; her undo takes it back.
  const box = await ana.$("[data-stage=authorise]");
  await (await box.$("button=Edit")).click();
  await (await box.$(".edit label:nth-child(2) input")).setValue("6");
  await (await box.$("button=Save")).click();
  await waitDays(eve, stage, wait + 2);
  await shot(ana, "participant-editing-390x844");
  await undo.click();
  await waitDays(eve, stage, wait);
  await waitDays(eve, lead, now.lead_time);

  // A reload (a phone waking) comes back as the same Ana, not a second one, without asking her
  // name again.
  await ana.refresh();
  await (await ana.$("[data-stage=authorise]")).waitForDisplayed({ timeout: 15000 });
  assert.equal(await (await ana.$("input[name=name]")).isExisting(), false);
  await waitDays(ana, stage, wait);
  const names = [];
  for (const n of await fac.$$(".people .name")) names.push(await n.getText());
  assert.deepEqual(names.filter((n) => n === "Ana"), ["Ana"]);
});
