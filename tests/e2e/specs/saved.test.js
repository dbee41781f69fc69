// Issue 14, items 1 and 2: "saved" is true at every moment. A model is built in the app, saved
// with Save As, edited further (a scenario with its own name, an initiative renamed by typing,
// another stage), and saved with Ctrl+S; then, with the app still open, the `.tributary` file
// alone is copied (no -wal or other companion) and the copy, read by the CLI, must equal the
// app's file as exported after quitting, and hold every edit. Edit-to-saved times are printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sandbox, teardown, $id, waitText, typeInto, newFromTemplate, CLI } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("saved");
});
after(async () => {
  await box?.stop();
  teardown();
});

function exported(file) {
  const r = spawnSync(CLI, ["export", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tributary export ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function addStage(app, name, pt, wt) {
  await (await $id(app, "add-stage")).click();
  await (await $id(app, "stage-inspector")).waitForExist({ timeout: 5000 });
  await typeInto(app, "stage-name", name);
  await typeInto(app, "stage-process-time", pt);
  await typeInto(app, "stage-wait-time", wt);
}

test("a copy of the open model's file alone holds every edit", async () => {
  const app = await box.launch();
  const file = join(box.dir, "returns.tributary");
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await newFromTemplate(app, "blank");
    await waitText(app, "model-name", "Untitled model");
    await addStage(app, "Receive return", 0.5, 4);
    await addStage(app, "Inspect", 1, 8);
    box.answerDialog(`save ${file}`);
    await (await $id(app, "file-menu")).click();
    await (await $id(app, "menu-save-as")).click();
    await waitText(app, "file-status", "returns.tributary · all changes saved");

    // after Save As: a named scenario, an initiative renamed by typing, one more stage
    await (await $id(app, "view-compare")).click();
    await (await $id(app, "compare-new-scenario")).click();
    await typeInto(app, "scenario-name", "Automated inspection");
    await (await $id(app, "view-initiatives")).click();
    await (await $id(app, "add-initiative")).click();
    const name = await app.$('[data-testid^="initiative-name-"]');
    await name.waitForExist({ timeout: 5000 });
    await typeInto(app, await name.getAttribute("data-testid"), "Inspection robot");
    // a new scenario is selected when made: stages are added to the baseline
    await (await $id(app, "scenario-select")).selectByAttribute("value", "");
    await (await $id(app, "view-map")).click();
    const t0 = Date.now();
    await addStage(app, "Refund", 0.25, 2);
    await app.keys(["Control", "s"]);
    await waitText(app, "file-status", "returns.tributary · all changes saved");
    console.log(`# add a stage, type its three fields, Ctrl+S to "saved": ${Date.now() - t0} ms`);

    // the file alone, copied while the app holds it open
    const mail = join(box.dir, "attached");
    mkdirSync(mail);
    const copy = join(mail, "returns.tributary");
    copyFileSync(file, copy);
    const m = exported(copy);
    assert.deepEqual(m.streams[0].stages.map((s) => s.name), ["Receive return", "Inspect", "Refund"]);
    assert.deepEqual(m.scenarios.map((s) => s.name), ["Automated inspection"]);
    assert.deepEqual(m.initiatives.map((i) => i.name), ["Inspection robot"]);
    assert.deepEqual(readdirSync(mail), ["returns.tributary"], "the CLI read the copy as it was");
  } finally {
    await app.deleteSession();
  }
  // after quitting, the app's own file says the same as the copy
  assert.deepEqual(exported(join(box.dir, "attached", "returns.tributary")), exported(file));
});
