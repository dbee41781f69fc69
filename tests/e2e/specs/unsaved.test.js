// Issue 14, item 9: unsaved work never vanishes from view. The example edited, then File > New:
// the app says what happens to the unsaved model before setting it aside, and the New page and
// File > Unsaved models list it, to open again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sandbox, teardown, $id, textOf, waitText, typeInto, selectStage } from "../harness.js";

let box;
before(async () => {
  box = await sandbox("unsaved");
});
after(async () => {
  await box?.stop();
  teardown();
});

test("New on an edited unsaved model says so, and the model stays listed", async () => {
  const app = await box.launch(["--example"]);
  try {
    await waitText(app, "model-name", "Retail bank: mortgage decision", 30000);
    await selectStage(app, "Credit scoring");
    await typeInto(app, "stage-wait-time", 20);
    await app.waitUntil(async () => (await textOf(await $id(app, "kpi-lead-time"))) !== "117.85 h", { timeout: 5000 });
    const edited = await textOf(await $id(app, "kpi-lead-time"));

    await (await $id(app, "file-menu")).click();
    await (await $id(app, "menu-new")).click();
    await (await $id(app, "template-blank")).click();
    const dialog = await $id(app, "unsaved-dialog");
    await dialog.waitForExist({ timeout: 5000 });
    assert.match(await textOf(dialog), /Unsaved models/);
    await (await $id(app, "unsaved-continue")).click();
    await waitText(app, "model-name", "Untitled model");

    // the New page lists it (the new blank model is not edited yet: no question this time)
    await (await $id(app, "file-menu")).click();
    await (await $id(app, "menu-new")).click();
    const list = await $id(app, "unsaved-list");
    await list.waitForExist({ timeout: 5000 });
    assert.match(await textOf(list), /Retail bank: mortgage decision/);
    await app.keys("Escape");
    await (await $id(app, "file-menu")).click();
    await (await $id(app, "unsaved-open")).click();
    await waitText(app, "model-name", "Retail bank: mortgage decision");
    await waitText(app, "kpi-lead-time", edited);
  } finally {
    await app.deleteSession();
  }
});
