// One file, one writer: a model that another program is editing opens read-only in the app,
// which says who has it, refuses edits, and leaves the file as it was.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { sandbox, teardown, waitText, textOf, $id, selectStage, typeInto, screenshot, CLI, ROOT } from "../harness.js";

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  teardown();
});

test("a model being edited elsewhere opens read-only, saying who has it", async () => {
  const box = await sandbox("held");
  cleanups.push(() => box.stop());
  const file = join(box.dir, "pilot.tributary");
  const made = spawnSync(CLI, ["import", join(ROOT, "assets/examples/returns.json"), "-o", file], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  // the command line's workshop room keeps the file open for writing while it runs
  const room = spawn(CLI, ["room", "serve", file], { stdio: ["ignore", "pipe", "ignore"] });
  cleanups.push(() => room.kill());
  await new Promise((resolve) => createInterface({ input: room.stdout }).once("line", resolve));
  const before = readFileSync(file);

  const app = await box.launch([file]);
  cleanups.push(() => app.deleteSession());
  await waitText(app, "model-name", "Returns (RMA) pilot stream", 30000);
  await waitText(app, "file-status", "pilot.tributary · read-only");
  const said = await textOf(await $id(app, "toast-message"));
  assert.match(said, /tributary command/, `the notice names who has the file: ${said}`);
  assert.match(said, /read-only/);
  await screenshot(app, "held-read-only");

  // an edit is refused in plain words; the file is untouched
  await selectStage(app, "Return request");
  await typeInto(app, "stage-wait-time", 99);
  const refused = await $id(app, "toast-message");
  await app.waitUntil(async () => /read-only|cannot|could not/i.test(await textOf(refused)), { timeout: 10000 });
  assert.deepEqual(readFileSync(file), before, "the file is as the other writer left it");
});
